<?php
// The form's endpoint: verify the signature over the raw body, check what the payload
// says, store it once, and answer so that the form knows whether to retry
// (docs/delivery.md, "What the backend must do"). Each submission is a file
// msg_….json in LEADS_DIR (default: the system's temporary directory; keep it out of
// the web root).
require __DIR__ . '/../lib/endpoint.php';

/**
 * What is wrong with a verified payload, in words; none if nothing. The essentials of
 * docs/payload.md only: validate against schema/payload.schema.json for the rest.
 */
function problems(array $payload): array
{
    $found = [];
    if (!is_message_id($payload['id'] ?? null)) {
        $found[] = 'id must be msg_ and 16 to 64 of A-Z a-z 0-9 _ -';
    }
    if (!in_array($payload['form'] ?? null, ['contact', 'callback'], true)) {
        $found[] = 'form must be "contact" or "callback"';
    }
    $fields = $payload['fields'] ?? null;
    if (!is_array($fields)) {
        $found[] = 'fields must be an object';
    } elseif (isset($fields['phone']) && !preg_match('/^\+84[0-9]{9,10}$/', (string) $fields['phone'])) {
        $found[] = 'fields.phone must be a Vietnamese number in E.164';
    }
    $consultation = false;
    foreach (is_array($payload['consents'] ?? null) ? $payload['consents'] : [] as $i => $consent) {
        $text = $consent['text'] ?? null;
        if (!is_string($text) || !is_bool($consent['granted'] ?? null)
            || ($consent['text_sha256'] ?? null) !== hash('sha256', $text)) {
            $found[] = "consents[$i] needs its text, granted and the text's SHA-256";
        } elseif (($consent['purpose'] ?? null) === 'consultation') {
            $consultation = $consent['granted'];
        }
    }
    if (!$consultation) {
        $found[] = 'the consultation consent must be granted';
    }
    return $found;
}

[$payload, $raw, $headers] = signed_request();
if ($found = problems($payload)) {
    answer(422, ['error' => 'invalid_payload', 'details' => $found]);
}
// The form retries with the same id and the same bytes until it gets a 2xx: a repeat
// is answered 200 again and not stored twice.
$before = store_once("{$payload['id']}.json", $raw, $headers);
if ($before !== null && ($before['body'] ?? null) !== $raw) {
    answer(409, ['error' => 'id_reused']); // a retry sends the same bytes; this is another body
}
answer(200, ['ok' => true, 'id' => $payload['id']]);
