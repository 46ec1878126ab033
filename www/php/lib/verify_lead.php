<?php
// Standard Webhooks, checked with PHP's own functions (PHP 7.4+, nothing to install).

final class SignatureError extends RuntimeException {}

/** A header's value from name => value (any case; WordPress's `webhook_id`; arrays too). */
function header_value(array $headers, string $name): string
{
    foreach ($headers as $key => $value) {
        if (strtolower(str_replace('_', '-', (string) $key)) === $name) {
            return (string) (is_array($value) ? reset($value) : $value);
        }
    }
    return '';
}

/**
 * Checks the HMAC-SHA256 signature (key: the whsec_… secret) over
 * "{webhook-id}.{webhook-timestamp}.{raw body}" and that the timestamp is within
 * 5 minutes of $now (default: the clock). Throws SignatureError.
 */
function verify_webhook(string $secret, array $headers, string $rawBody, ?int $now = null): void
{
    $id = header_value($headers, 'webhook-id');
    $timestamp = header_value($headers, 'webhook-timestamp');
    $signatures = header_value($headers, 'webhook-signature');
    if ($id === '' || !preg_match('/^[0-9]{1,12}$/D', $timestamp) || $signatures === '') {
        throw new SignatureError('missing or malformed webhook-id, webhook-timestamp or webhook-signature');
    }
    if (abs(($now ?? time()) - (int) $timestamp) > 300) {
        throw new SignatureError('the timestamp is more than 5 minutes from now');
    }
    $key = base64_decode(preg_replace('/^whsec_/', '', $secret), true);
    if ($key === false || $key === '') {
        throw new SignatureError('the secret is not whsec_ followed by base64');
    }
    $expected = base64_encode(hash_hmac('sha256', "$id.$timestamp.$rawBody", $key, true));
    foreach (explode(' ', $signatures) as $candidate) {
        [$version, $signature] = array_pad(explode(',', $candidate, 2), 2, '');
        if ($version === 'v1' && hash_equals($expected, $signature)) {
            return;
        }
    }
    throw new SignatureError('no signature matches');
}

/**
 * $secret: the whsec_… key the form signed with; $rawBody: the body exactly as
 * received. Throws SignatureError (answer 401) or UnexpectedValueException (400).
 */
function verify_lead(string $secret, array $headers, string $rawBody): array
{
    verify_webhook($secret, $headers, $rawBody);
    $payload = json_decode($rawBody, true);
    if (!is_array($payload)) {
        throw new UnexpectedValueException('the body is not a JSON object');
    }
    if (($payload['id'] ?? null) !== header_value($headers, 'webhook-id')) {
        throw new UnexpectedValueException('the payload id differs from the webhook-id header');
    }
    return $payload; // store it once per $payload['id']; answer a repeated id 2xx again
}
