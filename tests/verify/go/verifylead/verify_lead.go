// Package verifylead checks Standard Webhooks with Go's standard library alone.
package verifylead

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ErrSignature: no valid signature, or a timestamp out of time (answer 401).
// ErrPayload: signed, but not a payload whose id is the webhook-id (answer 400).
var (
	ErrSignature = errors.New("signature")
	ErrPayload   = errors.New("payload")
)

// VerifyLead checks a submission. secret: the whsec_… key the form signed with;
// body: the bytes exactly as received. Errors wrap ErrSignature or ErrPayload.
func VerifyLead(secret string, header http.Header, body []byte) (map[string]any, error) {
	if err := VerifyWebhook(secret, header, body, time.Now()); err != nil {
		return nil, err
	}
	if !utf8.Valid(body) { // encoding/json would read invalid bytes as U+FFFD
		return nil, fmt.Errorf("%w: the body is not UTF-8", ErrPayload)
	}
	var payload map[string]any
	if err := json.Unmarshal(body, &payload); err != nil || payload == nil {
		return nil, fmt.Errorf("%w: the body is not a JSON object", ErrPayload)
	}
	if id, _ := payload["id"].(string); id != header.Get("webhook-id") {
		return nil, fmt.Errorf("%w: the payload id differs from the webhook-id header", ErrPayload)
	}
	return payload, nil // store it once per id; answer a repeated id 2xx again
}

// VerifyWebhook checks the HMAC-SHA256 signature (key: the whsec_… secret) over
// "{webhook-id}.{webhook-timestamp}.{raw body}" and that the timestamp is within
// 5 minutes of now. A whpk_… public key checks v1a (Ed25519) instead.
func VerifyWebhook(secret string, header http.Header, body []byte, now time.Time) error {
	id := header.Get("webhook-id")
	timestamp := header.Get("webhook-timestamp")
	signatures := header.Get("webhook-signature")
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if id == "" || len(timestamp) > 12 || strings.Trim(timestamp, "0123456789") != "" || err != nil || signatures == "" {
		return fmt.Errorf("%w: missing or malformed webhook-id, webhook-timestamp or webhook-signature", ErrSignature)
	}
	if age := now.Unix() - ts; age > 300 || age < -300 {
		return fmt.Errorf("%w: the timestamp is more than 5 minutes from now", ErrSignature)
	}
	signed := append([]byte(id+"."+timestamp+"."), body...)
	asymmetric := strings.HasPrefix(secret, "whpk_")
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(strings.TrimPrefix(secret, "whsec_"), "whpk_"))
	if err != nil || len(key) == 0 || (asymmetric && len(key) != ed25519.PublicKeySize) {
		return fmt.Errorf("%w: the secret is not whsec_ (or whpk_) followed by base64", ErrSignature)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write(signed)
	expected := mac.Sum(nil)
	for _, candidate := range strings.Split(signatures, " ") {
		version, encoded, _ := strings.Cut(candidate, ",")
		signature, err := base64.StdEncoding.DecodeString(encoded)
		if err != nil {
			continue // not base64: not a match
		}
		if !asymmetric && version == "v1" && hmac.Equal(expected, signature) { // constant time
			return nil
		}
		if asymmetric && version == "v1a" && ed25519.Verify(ed25519.PublicKey(key), signed, signature) {
			return nil
		}
	}
	return fmt.Errorf("%w: no signature matches", ErrSignature)
}
