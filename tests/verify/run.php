<?php
// Test harness for www/php/lib/verify_lead.php (receiver/tests/verify_samples.rs runs it).
// stdin: {"secret", "headers", "body"} and, to check a signature alone at a given
// time, "now"; stdout: "200 <id>" ("200 signed" with "now"), "401 <why>" or "400 <why>".
require __DIR__ . '/../../www/php/lib/verify_lead.php';

$input = json_decode(file_get_contents('php://stdin'), true, 512, JSON_THROW_ON_ERROR);
try {
    if (isset($input['now'])) {
        verify_webhook($input['secret'], $input['headers'], $input['body'], $input['now']);
        echo "200 signed\n";
    } else {
        $payload = verify_lead($input['secret'], $input['headers'], $input['body']);
        echo "200 {$payload['id']}\n";
    }
} catch (SignatureError $e) {
    echo "401 {$e->getMessage()}\n";
} catch (UnexpectedValueException $e) {
    echo "400 {$e->getMessage()}\n";
}
