<?php
// The form's endpoint: verify the signature over the raw body, check what the payload
// says, store it once, and answer so that the form knows whether to retry
// (docs/delivery.md, "What the backend must do"). Each submission is a file
// msg_….json in LEADS_DIR (default: the system's temporary directory; keep it out of
// the web root).
require __DIR__ . '/../lib/endpoint.php';

const PHONE_E164 = '/^\+84[0-9]{9,10}$/'; // a Vietnamese number in E.164

/**
 * What is wrong with the parent's or guardian's part of a payload (a visitor under 16,
 * where the host set minors: guardian): their agreement ($guardian, the text they
 * ticked and its SHA-256) and their name and phone in $fields come together or not at
 * all.
 */
function guardian_problems(array $fields, $guardian): array
{
    $found = [];
    $name = array_key_exists('guardian_name', $fields);
    $phone = array_key_exists('guardian_phone', $fields);
    if ($guardian === null && ($name || $phone)) {
        $found[] = "fields.guardian_name and fields.guardian_phone come only with guardian, the parent's or guardian's agreement";
    }
    if ($guardian !== null) {
        $text = is_array($guardian) ? ($guardian['text'] ?? null) : null;
        if (!is_string($text) || trim($text) === '' || ($guardian['text_sha256'] ?? null) !== hash('sha256', $text)) {
            $found[] = "guardian needs its text and the text's SHA-256";
        }
    }
    if (($guardian !== null || $name || $phone) && !($name && $phone)) {
        $found[] = 'guardian comes with both fields.guardian_name and fields.guardian_phone';
    }
    if ($phone && !(is_string($fields['guardian_phone']) && preg_match(PHONE_E164, $fields['guardian_phone']))) {
        $found[] = 'fields.guardian_phone must be a Vietnamese number in E.164';
    }
    return $found;
}

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
    } else {
        if (isset($fields['phone']) && !preg_match(PHONE_E164, (string) $fields['phone'])) {
            $found[] = 'fields.phone must be a Vietnamese number in E.164';
        }
        $found = array_merge($found, guardian_problems($fields, $payload['guardian'] ?? null));
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
