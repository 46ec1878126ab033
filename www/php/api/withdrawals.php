<?php
namespace ConsentForm;

// The form's withdraw-endpoint: the visitor withdraws a consent from the receipt
// (docs/payload.md, "Withdrawing a consent"). The submission's file never changes: the
// withdrawal is a file of its own beside it, msg_….<purpose>.withdrawn.json, holding
// the signed message and when it was received: the dated event the law asks for.
require __DIR__ . '/../lib/endpoint.php';
limit_rate();

[$withdrawal, $raw, $headers] = signed_request();
[$status, $body] = withdrawal_answer(
    $withdrawal,
    $raw,
    time(),
    function (string $submission) {
        $stored = read_record("$submission.json");
        return $stored === null ? null : (json_decode((string) ($stored['body'] ?? ''), true)['consents'] ?? []);
    },
    fn (string $submission, string $purpose) => store_once("$submission.$purpose.withdrawn.json", $raw, $headers)
);
answer($status, $body);
