<?php
// Receiving the form's signed messages, whatever stores them: the checks of the request,
// the signature and the content, and the answer the form relies on (docs/delivery.md,
// "What the backend must do"). Shared by www/php/api/ (files) and the WordPress plugin
// (wordpress/consent-form/, database tables): storage comes in as callbacks.
namespace ConsentForm;

require_once __DIR__ . '/verify_lead.php';
require_once __DIR__ . '/checks.php';
require_once __DIR__ . '/session_keys.php';
require_once __DIR__ . '/captcha.php';

const MAX_BODY = 65536; // the browsers' keepalive cap; the form never sends more

/** A request refused: the HTTP status, the JSON body, and a Retry-After in seconds or none. */
final class Refusal extends \RuntimeException
{
    public int $status;
    public array $body;
    public ?int $retryAfter;

    public function __construct(int $status, array $body, ?int $retryAfter = null)
    {
        parent::__construct((string) ($body['error'] ?? 'refused'));
        $this->status = $status;
        $this->body = $body;
        $this->retryAfter = $retryAfter;
    }
}

/** Requests a minute each address may make, unless the host says otherwise (the receiver's default). */
const RATE_PER_MINUTE = 60;

/**
 * One request of an address under a limit of $perMinute a minute (the reference
 * receiver's rule, GCRA: the whole minute's requests at once after a quiet minute).
 * $paid is the time (Unix seconds) by which its requests so far are paid for, null for
 * none. Returns [the new $paid to keep, null] when the request may go, or [null, the
 * seconds to wait] when it may not (keep the old $paid).
 */
function rate_step(?float $paid, float $now, int $perMinute): array
{
    $interval = 60 / max(1, $perMinute);
    $paid = max($paid ?? $now, $now);
    $wait = $paid + $interval - ($now + 60);
    return $wait > 0 ? [null, max(1, (int) ceil($wait))] : [$paid + $interval, null];
}

/** What an address is counted by: itself, or an IPv6 address's /64 (one subscriber's block). */
function rate_client(string $address): string
{
    $packed = @inet_pton($address);
    if ($packed === false) {
        return $address;
    }
    return bin2hex(strlen($packed) === 16 ? substr($packed, 0, 8) : $packed);
}

/** The refusal past the limit: 429 with Retry-After. */
function rate_refusal(int $wait): Refusal
{
    return new Refusal(429, ['error' => 'rate_limited'], $wait);
}

/** Refuses what cannot be a signed message of the form: not POST 405, not JSON 415, over 64 KiB 413. */
function check_request(string $method, string $contentType, int $length): void
{
    if ($method !== 'POST') {
        throw new Refusal(405, ['error' => 'method_not_allowed']);
    }
    if (stripos($contentType, 'application/json') !== 0) {
        throw new Refusal(415, ['error' => 'not_json']);
    }
    if ($length > MAX_BODY) {
        throw new Refusal(413, ['error' => 'too_large']);
    }
}

/**
 * The JSON body $raw, verified with the first of the visitor's live $keys whose
 * signature holds. Refusal 401 when none does (`no_session` when there is none: the
 * form then fetches a key and signs again once), 400 when the body is not a JSON
 * object or its id is not the webhook-id.
 */
function verified(array $keys, array $headers, string $raw): array
{
    foreach ($keys as $key) {
        try {
            return \verify_lead($key['secret'], $headers, $raw);
        } catch (\SignatureError $e) {
            continue;
        } catch (\UnexpectedValueException $e) {
            throw new Refusal(400, ['error' => 'bad_body', 'details' => [$e->getMessage()]]);
        }
    }
    throw new Refusal(401, ['error' => $keys ? 'bad_signature' : 'no_session']);
}

/**
 * The answer, [status, body], to a verified submission $payload whose signed bytes are
 * $raw: 422 with `details` when the content is wrong; then, if the host verifies
 * captchas, $captcha($payload) returns the check's outcome to store (JSON; null for a
 * retry of a stored id, or none) or throws a Refusal (422, 503: captcha_check); else
 * $storeOnce($id, $outcome) stores the bytes once under the payload's id and returns
 * null, or returns the record stored under that id before (with its `body_sha256`), or
 * throws a Refusal (503). The form retries with the same id and bytes until it gets a
 * 2xx: a repeat is 200 again, not stored twice (even once erased); another body under
 * the id is 409.
 */
function submission_answer(array $payload, string $raw, callable $storeOnce, ?callable $captcha = null): array
{
    if ($found = payload_problems($payload)) {
        return [422, ['error' => 'invalid_payload', 'details' => $found]];
    }
    $outcome = $captcha === null ? null : $captcha($payload);
    $before = $storeOnce($payload['id'], $outcome);
    if ($before !== null && !hash_equals((string) ($before['body_sha256'] ?? ''), hash('sha256', $raw))) {
        return [409, ['error' => 'id_reused']];
    }
    return [200, ['ok' => true, 'id' => $payload['id']]];
}

/**
 * The answer, [status, body], to a verified withdrawal $withdrawal whose signed bytes
 * are $raw, received at $now: 422 when the content is wrong; 404 when
 * $consentsOf($submissionId) finds no submission (it returns null, else the
 * submission's consents as sent: [{purpose, granted}]); 409 when the consent was not
 * given. Else $storeOnce($submissionId, $purpose) records the withdrawal once and
 * returns null, or returns the withdrawal of that consent recorded before ({body,
 * webhook-id, received_at}): the same message again is 200 with the first time, another
 * message with this id 409 `id_reused`, another withdrawal 409 `not_active`.
 */
function withdrawal_answer(array $withdrawal, string $raw, int $now, callable $consentsOf, callable $storeOnce): array
{
    if ($found = withdrawal_problems($withdrawal)) {
        return [422, ['error' => 'invalid_withdrawal', 'details' => $found]];
    }
    ['id' => $id, 'withdraws' => $submission, 'purpose' => $purpose] = $withdrawal;
    $consents = $consentsOf($submission);
    if ($consents === null) {
        return [404, ['error' => 'not_found', 'message' => 'No submission has this id.']]; // final: the form stops
    }
    $given = false;
    foreach ($consents as $consent) {
        $given = $given || (($consent['purpose'] ?? null) === $purpose && ($consent['granted'] ?? null) === true);
    }
    if (!$given) {
        return [409, ['error' => 'not_active', 'message' => "The consent “{$purpose}” was refused or not asked."]];
    }
    $ok = ['ok' => true, 'id' => $id, 'withdraws' => $submission, 'purpose' => $purpose];
    $before = $storeOnce($submission, $purpose);
    if ($before === null) {
        return [200, $ok + ['recorded_at' => gmdate('c', $now)]];
    }
    if (($before['body'] ?? null) === $raw) {
        return [200, $ok + ['recorded_at' => $before['received_at']]]; // the form's retry
    }
    if (($before['webhook-id'] ?? null) === $id) {
        return [409, ['error' => 'id_reused']];
    }
    return [409, ['error' => 'not_active', 'message' => "The consent “{$purpose}” was withdrawn at {$before['received_at']}."]];
}
