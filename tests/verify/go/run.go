// Test harness for verifylead/verify_lead.go (receiver/tests/verify_samples.rs runs it).
// stdin: one JSON input per line, {"secret", "headers", "body" or "body_hex"} and, to
// check a signature alone at a given time, "now"; stdout: one line per input,
// "200 <id>" ("200 signed" with "now"), "401 <why>" or "400 <why>". With "handler":
// true, the status the handler of docs/payload.md (handler.go) answers a POST with them.
package main

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"consent-form.example/verify/verifylead"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(nil, 1<<24)
	for in.Scan() {
		var input struct {
			Secret  string            `json:"secret"`
			Headers map[string]string `json:"headers"`
			Body    string            `json:"body"`
			BodyHex string            `json:"body_hex"`
			Now     *int64            `json:"now"`
			Handler bool              `json:"handler"`
		}
		if len(in.Bytes()) == 0 {
			continue
		}
		var err error
		if err = json.Unmarshal(in.Bytes(), &input); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		header := http.Header{}
		for name, value := range input.Headers {
			header.Add(name, value) // as net/http hands them over
		}
		body := []byte(input.Body) // the body as a server reads it: its UTF-8 bytes
		if input.BodyHex != "" {   // or any bytes
			if body, err = hex.DecodeString(input.BodyHex); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(2)
			}
		}
		if input.Handler {
			os.Setenv("FORM_SECRET", input.Secret)
			request := httptest.NewRequest(http.MethodPost, "/api/leads", bytes.NewReader(body))
			request.Header = header
			response := httptest.NewRecorder()
			leads(response, request)
			fmt.Println(response.Code)
			continue
		}
		var answer string
		if input.Now != nil {
			err = verifylead.VerifyWebhook(input.Secret, header, body, time.Unix(*input.Now, 0))
			answer = "200 signed"
		} else {
			var payload map[string]any
			payload, err = verifylead.VerifyLead(input.Secret, header, body)
			answer = fmt.Sprint("200 ", payload["id"])
		}
		switch {
		case errors.Is(err, verifylead.ErrSignature):
			answer = "401 " + err.Error()
		case err != nil:
			answer = "400 " + err.Error()
		}
		fmt.Println(answer)
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
