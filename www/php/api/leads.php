<?php
namespace ConsentForm;

// The form's endpoint: verify the signature over the raw body, check what the payload
// says, store it once, and answer so that the form knows whether to retry
// (docs/delivery.md, "What the backend must do"). Each submission is a file
// msg_….json in the records directory, LEADS_DIR (lib/endpoint.php: set it, outside
// the web root).
require __DIR__ . '/../lib/endpoint.php';
limit_rate();

[$payload, $raw, $headers] = signed_request();
// Checked (lib/checks.php), its captcha token verified if CAPTCHA_SECRET is set
// (lib/captcha.php), then stored once; a repeat is answered 200 again, not verified again.
try {
    [$status, $body] = submission_answer(
        $payload,
        $raw,
        fn (string $id, ?string $captcha) => store_once("$id.json", $raw, $headers, $captcha),
        captcha_hook()
    );
} catch (Refusal $refusal) {
    refuse($refusal);
}
answer($status, $body);
