<?php
// The form's withdraw-endpoint: the visitor withdraws a consent from the receipt
// (docs/payload.md, "Withdrawing a consent"). The submission's file never changes: the
// withdrawal is a file of its own beside it, msg_….<purpose>.withdrawn.json, holding
// the signed message and when it was received: the dated event the law asks for.
require __DIR__ . '/../lib/endpoint.php';

/** What is wrong with a verified withdrawal, in words; none if nothing. */
function problems(array $withdrawal): array
{
    $found = [];
    foreach (['id', 'withdraws'] as $key) {
        if (!is_message_id($withdrawal[$key] ?? null)) {
            $found[] = "$key must be msg_ and 16 to 64 of A-Z a-z 0-9 _ -";
        }
    }
    if (($withdrawal['withdraws'] ?? null) === ($withdrawal['id'] ?? null)) {
        $found[] = 'withdraws must name the submission, not this message';
    }
    if (!preg_match('/^[a-z][a-z0-9_]{0,63}$/', (string) ($withdrawal['purpose'] ?? ''))) {
        $found[] = 'purpose must be a purpose id';
    }
    $text = $withdrawal['text'] ?? null;
    if (!is_string($text) || trim($text) === '' || ($withdrawal['text_sha256'] ?? null) !== hash('sha256', $text)) {
        $found[] = 'text must be the question confirmed, with its SHA-256';
    }
    return $found;
}

[$withdrawal, $raw, $headers] = signed_request();
if ($found = problems($withdrawal)) {
    answer(422, ['error' => 'invalid_withdrawal', 'details' => $found]);
}
['id' => $id, 'withdraws' => $submission, 'purpose' => $purpose] = $withdrawal;
$stored = read_record("$submission.json");
if ($stored === null) {
    answer(404, ['error' => 'not_found', 'message' => 'No submission has this id.']); // final: the form stops
}
$given = false;
foreach (json_decode($stored['body'], true)['consents'] ?? [] as $consent) {
    $given = $given || (($consent['purpose'] ?? null) === $purpose && ($consent['granted'] ?? null) === true);
}
if (!$given) {
    answer(409, ['error' => 'not_active', 'message' => "The consent “{$purpose}” was refused or not asked."]);
}
$ok = ['ok' => true, 'id' => $id, 'withdraws' => $submission, 'purpose' => $purpose];
$before = store_once("$submission.$purpose.withdrawn.json", $raw, $headers);
if ($before === null) {
    answer(200, $ok + ['recorded_at' => gmdate('c')]);
}
if (($before['body'] ?? null) === $raw) {
    answer(200, $ok + ['recorded_at' => $before['received_at']]); // the form's retry
}
if (($before['webhook-id'] ?? null) === $id) {
    answer(409, ['error' => 'id_reused']);
}
answer(409, ['error' => 'not_active', 'message' => "The consent “{$purpose}” was withdrawn at {$before['received_at']}."]);
