<?php
// The form's endpoint: verify the signature over the raw body, check what the payload
// says, store it once, and answer so that the form knows whether to retry
// (docs/delivery.md, "What the backend must do"). Stored as one file per submission
// in LEADS_DIR (default: the system's temporary directory; keep it out of the web root).
require __DIR__ . '/../lib/verify_lead.php';
require __DIR__ . '/../lib/session_keys.php';

const MAX_BODY = 65536; // the browsers' keepalive cap; the form never sends more

/** Ends the request with $status and a JSON body. */
function answer(int $status, array $body): void
{
    http_response_code($status);
    header('Content-Type: application/json');
    exit(json_encode($body, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES));
}

/**
 * What is wrong with a verified payload, in words; none if nothing. The essentials of
 * docs/payload.md only: validate against schema/payload.schema.json for the rest.
 */
function problems(array $payload): array
{
    $found = [];
    if (!preg_match('/^msg_[A-Za-z0-9_-]{16,64}$/', (string) ($payload['id'] ?? ''))) {
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

if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    answer(405, ['error' => 'method_not_allowed']);
}
if (stripos($_SERVER['CONTENT_TYPE'] ?? '', 'application/json') !== 0) {
    answer(415, ['error' => 'not_json']);
}
$raw = (string) file_get_contents('php://input', false, null, 0, MAX_BODY + 1);
if (strlen($raw) > MAX_BODY) {
    answer(413, ['error' => 'too_large']);
}

// Any live key of this visitor's session will do. A 401 makes the form fetch a new
// key and sign again once.
start_key_session();
$keys = live_keys(time());
session_write_close();
$headers = getallheaders();
$payload = null;
foreach ($keys as $key) {
    try {
        $payload = verify_lead($key['secret'], $headers, $raw);
        break;
    } catch (SignatureError $e) {
        continue;
    } catch (UnexpectedValueException $e) {
        answer(400, ['error' => 'bad_body', 'details' => [$e->getMessage()]]);
    }
}
if ($payload === null) {
    answer(401, ['error' => $keys ? 'bad_signature' : 'no_session']);
}
if ($found = problems($payload)) {
    answer(422, ['error' => 'invalid_payload', 'details' => $found]);
}

// Once per id: the form retries with the same id and the same bytes until it gets a
// 2xx, so a repeat is answered 2xx again and not stored twice. The record is written
// whole to a file of its own, then linked under the id's name, which fails if the name
// exists: two retries arriving together store it once, and a crash leaves no half file.
$dir = getenv('LEADS_DIR') ?: sys_get_temp_dir() . '/consent-form-leads';
$file = "$dir/{$payload['id']}.json"; // problems() checked the id's characters
$record = json_encode([
    'received_at' => gmdate('c'),
    'webhook-id' => header_value($headers, 'webhook-id'),
    'webhook-timestamp' => header_value($headers, 'webhook-timestamp'),
    'webhook-signature' => header_value($headers, 'webhook-signature'),
    'body' => $raw, // the signed bytes, as they came
], JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
$temporary = "$dir/." . bin2hex(random_bytes(8)) . '.tmp';
$written = (is_dir($dir) || @mkdir($dir, 0700, true) || is_dir($dir))
    && @file_put_contents($temporary, $record) === strlen($record);
$linked = $written && @link($temporary, $file);
@unlink($temporary);
if ($linked) {
    answer(200, ['ok' => true, 'id' => $payload['id']]);
}
$stored = $written && is_file($file) ? json_decode((string) file_get_contents($file), true) : null;
if (is_array($stored) && ($stored['body'] ?? null) === $raw) {
    answer(200, ['ok' => true, 'id' => $payload['id']]);
}
if (is_array($stored)) {
    answer(409, ['error' => 'id_reused']); // a retry sends the same bytes; this is another body
}
header('Retry-After: 5');
answer(503, ['error' => 'unavailable']); // the form keeps it and retries
