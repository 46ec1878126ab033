// The net/http handler of docs/payload.md ("Go"), compiled with the harness so that the
// docs show code that builds (receiver/tests/verify_samples.rs checks they match).
package main

import (
	"errors"
	"io"
	"log"
	"net/http"
	"os"

	"consent-form.example/verify/verifylead"
)

// http.HandleFunc("/api/leads", leads)
func leads(w http.ResponseWriter, r *http.Request) {
	// The raw bytes as sent, at most 64 KiB; verify_lead.go is in docs/receiver.md.
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		return
	case err != nil:
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	payload, err := verifylead.VerifyLead(os.Getenv("FORM_SECRET"), r.Header, body)
	switch {
	case errors.Is(err, verifylead.ErrSignature):
		w.WriteHeader(http.StatusUnauthorized)
	case err != nil: // not a JSON object, or its id is not the webhook-id
		w.WriteHeader(http.StatusBadRequest)
	default:
		// validate against schema/payload.schema.json (422 if it fails), then store once by payload["id"]
		log.Printf("lead %v verified", payload["id"])
		w.WriteHeader(http.StatusNoContent)
	}
}
