<?php
// The payload's `captcha` token, verified with the provider's `siteverify` (Cloudflare
// Turnstile by default; hCaptcha and reCAPTCHA speak the same protocol): a POST of the
// form-encoded `secret`, `response` and `remoteip`, answered with JSON {"success": bool,
// "error-codes": [...], "hostname": "..."}. The reference receiver's rules
// (receiver/src/captcha.rs, docs/receiver.md "Captcha"), shared by the PHP hosts; the
// HTTP call is the host's (the WordPress plugin's wp_remote_post). Neither the secret
// nor the token is ever logged or put in an answer.
namespace ConsentForm;

/** Cloudflare Turnstile's siteverify, the default. */
const TURNSTILE_VERIFY_URL = 'https://challenges.cloudflare.com/turnstile/v0/siteverify';
/** Seconds a siteverify call may take, connection included. */
const CAPTCHA_TIMEOUT = 5;
/** How long a token lives, in seconds: Turnstile's and hCaptcha's; reCAPTCHA's below. */
const CAPTCHA_TOKEN_LIFETIME = 300;
const RECAPTCHA_TOKEN_LIFETIME = 120;
/** The provider's code for an expired or already redeemed token. */
const TIMEOUT_OR_DUPLICATE = 'timeout-or-duplicate';

/** Whether $secret can be a provider's secret key: 1 to 1024 printable ASCII characters, no space. */
function captcha_secret_ok(string $secret): bool
{
    return preg_match('/^[!-~]{1,1024}$/D', $secret) === 1;
}

/** Whether $url can be a siteverify URL: absolute http(s), a host, no user or password. */
function captcha_verify_url_ok(string $url): bool
{
    $parts = parse_url($url);
    return is_array($parts) && in_array(strtolower($parts['scheme'] ?? ''), ['http', 'https'], true)
        && ($parts['host'] ?? '') !== '' && !isset($parts['user']) && !isset($parts['pass'])
        && preg_match('/^[!-~]+$/D', $url) === 1;
}

/**
 * How long the tokens of the provider behind $url live, in seconds: reCAPTCHA's
 * (google.com or recaptcha.net, a path under /recaptcha/) 120, the others' 300.
 */
function captcha_token_lifetime(string $url): int
{
    $host = strtolower((string) parse_url($url, PHP_URL_HOST));
    $path = (string) parse_url($url, PHP_URL_PATH);
    foreach (['google.com', 'recaptcha.net'] as $domain) {
        if (($host === $domain || str_ends_with($host, ".$domain")) && str_starts_with($path, '/recaptcha/')) {
            return RECAPTCHA_TOKEN_LIFETIME;
        }
    }
    return CAPTCHA_TOKEN_LIFETIME;
}

/**
 * The provider's answer ({success, error-codes, hostname}) from its HTTP status and body,
 * or why it is not one: a status other than 2xx, or a body that is not its JSON.
 */
function captcha_answer(int $status, string $body): array|string
{
    if ($status < 200 || $status > 299) {
        return "siteverify answered HTTP $status";
    }
    $json = json_decode($body, true);
    $codes = is_array($json) ? ($json['error-codes'] ?? []) : null;
    $host = is_array($json) ? ($json['hostname'] ?? null) : null;
    if (!is_array($json) || array_is_list($json) || !is_bool($json['success'] ?? null) || !is_array($codes) || !array_is_list($codes)
        || array_filter($codes, fn ($c) => !is_string($c)) || !($host === null || is_string($host))) {
        return 'siteverify answer unreadable: not {"success": bool, "error-codes": [...]}';
    }
    return ['success' => $json['success'], 'error-codes' => $codes, 'hostname' => $host];
}

/**
 * What to do with a submission sent ($submittedMs, its `submitted_at`) at $nowMs (Unix
 * milliseconds) given the provider's $answer: ['store', outcome] or ['refuse', error
 * codes]. A token refused only as `timeout-or-duplicate` on a submission more than
 * $lifetime seconds old came late from the visitor's outbox: stored, outcome `expired`,
 * rather than dropping what the visitor sent. The outcome: {outcome, error-codes,
 * hostname}, empty codes and no hostname left out.
 */
function captcha_decide(array $answer, int $submittedMs, int $nowMs, int $lifetime): array
{
    $outcome = fn (string $said) => ['outcome' => $said]
        + ($answer['error-codes'] ? ['error-codes' => $answer['error-codes']] : [])
        + ($answer['hostname'] !== null ? ['hostname' => $answer['hostname']] : []);
    if ($answer['success']) {
        return ['store', $outcome('passed')];
    }
    $onlyExpired = $answer['error-codes'] !== []
        && array_filter($answer['error-codes'], fn ($c) => $c !== TIMEOUT_OR_DUPLICATE) === [];
    if ($onlyExpired && $nowMs - $submittedMs > $lifetime * 1000) {
        return ['store', $outcome('expired')];
    }
    return ['refuse', $answer['error-codes']];
}

/**
 * The captcha check of a verified, valid submission $payload, received at $nowMs: the
 * outcome to store with it (JSON), or null when $isStored($id) says its id is stored
 * already (a retry: its token was redeemed by the first attempt; the store answers it
 * as the first time). $post($url, $form) makes the form-encoded POST (within
 * CAPTCHA_TIMEOUT, no redirect followed) and returns [status, body], or a string saying
 * why there is no answer. $log gets why a call failed (never the secret or the token).
 * Refusal: 422 `captcha_missing` (no token), 422 `captcha_failed` with the provider's
 * error codes, 503 `unavailable` with Retry-After 5 when the provider could not be asked.
 */
function captcha_check(array $payload, string $secret, string $url, string $remoteIp, int $nowMs, callable $isStored, callable $post, callable $log): ?string
{
    $id = (string) $payload['id'];
    if ($isStored($id)) {
        return null;
    }
    $token = $payload['captcha'] ?? null;
    if (!is_string($token)) {
        throw new Refusal(422, ['error' => 'captcha_missing', 'message' => 'This site verifies captchas and the payload has no captcha token: give the form a captcha hook.']);
    }
    $form = ['secret' => $secret, 'response' => $token];
    if (filter_var($remoteIp, FILTER_VALIDATE_IP) !== false) {
        $form['remoteip'] = $remoteIp;
    }
    $answered = $post($url, $form);
    $answer = is_array($answered) ? captcha_answer((int) $answered[0], (string) $answered[1]) : "siteverify unreachable: $answered";
    if (is_string($answer)) {
        $log("the captcha could not be verified (the form will retry): $answer");
        throw new Refusal(503, ['error' => 'unavailable'], 5);
    }
    $submitted = (int) (new \DateTimeImmutable((string) $payload['submitted_at']))->format('Uv');
    [$decision, $said] = captcha_decide($answer, $submitted, $nowMs, captcha_token_lifetime($url));
    if ($decision === 'store') {
        return json_encode($said, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE);
    }
    // A retry that arrived while the first attempt was being stored redeemed the same
    // token: answered as the first.
    if ($isStored($id)) {
        return null;
    }
    throw new Refusal(422, ['error' => 'captcha_failed', 'details' => $said]);
}
