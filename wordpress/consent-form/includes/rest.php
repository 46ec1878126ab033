<?php
// The form's key-url, endpoint and withdraw-endpoint as REST routes
// (/wp-json/consent-form/v1/keys, /submissions, /withdrawals), answering as
// www/php/api/ does: the checks and the answers are lib/receive.php's.
//
// Keys: WordPress keeps no PHP session for visitors, and starting one would make page
// caches pass by and Site Health complain; so a visitor's live keys are held in a cookie
// of the plugin's own, `consent_form_keys`: the keys in JSON, then an HMAC-SHA256 of them
// with a key made from the site's salts (wp_salt), HttpOnly, SameSite=Lax, Secure on
// HTTPS, for the site's host and path, until the last key's grace period ends. A cookie
// whose HMAC does not hold counts as no keys. Nothing is stored on the server, so it
// works across several web servers; a key cannot be revoked before it expires (at most
// 1 h + 60 s). On a multisite network each site has a cookie of its own
// (`consent_form_keys_<site id>`, its HMAC keyed with the site's id too): the sites of a
// network share their salts and, on subdirectories, their host, and a key one site gave
// must not sign for another.

defined('ABSPATH') || exit;

const CONSENT_FORM_COOKIE = 'consent_form_keys';
const CONSENT_FORM_REST = 'consent-form/v1';

add_action('rest_api_init', function () {
    foreach (['keys' => 'consent_form_rest_keys', 'submissions' => 'consent_form_rest_submit', 'withdrawals' => 'consent_form_rest_withdraw'] as $route => $callback) {
        register_rest_route(CONSENT_FORM_REST, "/$route", [
            // Every method reaches the callback, which answers 405 as www/php/api does.
            'methods' => WP_REST_Server::ALLMETHODS,
            'callback' => fn (WP_REST_Request $request) => consent_form_rate_limited() ?? $callback($request),
            'permission_callback' => '__return_true', // the visitors' form: anyone may send it
            'consent_form' => true,
        ]);
    }
});

// WordPress refuses a body that is not JSON (rest_invalid_json, 400) before the route's
// callback; on these routes the signature is checked first (401), as www/php/api does.
add_filter('rest_request_before_callbacks', function ($response, $handler, $request) {
    if (!empty($handler['consent_form']) && is_wp_error($response) && $response->get_error_code() === 'rest_invalid_json') {
        return null;
    }
    return $response;
}, 10, 3);

/** The name of this site's key cookie. */
function consent_form_cookie_name(): string
{
    return is_multisite() ? CONSENT_FORM_COOKIE . '_' . get_current_blog_id() : CONSENT_FORM_COOKIE;
}

/** The HMAC of the cookie's JSON, with a key of this site's. */
function consent_form_cookie_mac(string $json): string
{
    return hash_hmac('sha256', $json, consent_form_cookie_name() . '|' . wp_salt('secure_auth'));
}

/** The keys the visitor's cookie holds, if its HMAC holds; else none. */
function consent_form_cookie_keys(): array
{
    $cookie = $_COOKIE[consent_form_cookie_name()] ?? null; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
    if (!is_string($cookie) || !preg_match('/^([A-Za-z0-9_-]+)\.([0-9a-f]{64})$/', $cookie, $m)) {
        return [];
    }
    $json = base64_decode(strtr($m[1], '-_', '+/'), true);
    if ($json === false || !hash_equals(consent_form_cookie_mac($json), $m[2])) {
        return [];
    }
    $keys = json_decode($json, true);
    return is_array($keys) ? $keys : [];
}

/** Sets the cookie to hold $keys. */
function consent_form_set_cookie(array $keys): void
{
    $json = wp_json_encode(array_values($keys));
    $value = rtrim(strtr(base64_encode($json), '+/', '-_'), '=') . '.' . consent_form_cookie_mac($json);
    $last = max(array_column($keys, 'expires_at') ?: [time()]);
    // For this host and this site's path only: on a multisite network COOKIE_DOMAIN is
    // the network's domain, which a browser refuses from a site with a domain of its own
    // (a mapped domain), and COOKIEPATH is the network's path, which every site on
    // subdirectories is under; no other site needs the keys.
    setcookie(consent_form_cookie_name(), $value, [
        'expires' => $last + ConsentForm\KEY_GRACE,
        'path' => (string) parse_url(home_url('/'), PHP_URL_PATH) ?: '/',
        'domain' => '',
        'secure' => is_ssl(),
        'httponly' => true,
        'samesite' => 'Lax',
    ]);
}

/** A JSON answer that no cache keeps. */
function consent_form_answer(int $status, array $body, ?int $retryAfter = null): WP_REST_Response
{
    $response = new WP_REST_Response($body, $status);
    $response->header('Cache-Control', 'no-store');
    if ($retryAfter !== null) {
        $response->header('Retry-After', (string) $retryAfter);
    }
    return $response;
}

/**
 * 429 `rate_limited` once an address has made more requests to the plugin's routes than
 * `consent_form_rate_limit` a minute (60 unless filtered; 0 for none), else null: the
 * receiver's rule (GCRA: the whole minute's requests at once after a quiet minute),
 * so that one address cannot fill the tables. An IPv6 address counts with its /64.
 * The address is `REMOTE_ADDR`; behind a proxy, give the visitor's through the
 * `consent_form_client_ip` filter, or every visitor shares one count. The form keeps
 * a refused submission and sends it again after `Retry-After`.
 */
function consent_form_rate_limited(): ?WP_REST_Response
{
    $perMinute = (int) apply_filters('consent_form_rate_limit', ConsentForm\RATE_PER_MINUTE);
    if ($perMinute <= 0) {
        return null;
    }
    $name = 'consent_form_rate_' . md5(ConsentForm\rate_client(consent_form_client_address()));
    $kept = get_transient($name);
    [$paid, $wait] = ConsentForm\rate_step($kept === false ? null : (float) $kept, microtime(true), $perMinute);
    if ($wait !== null) {
        $refusal = ConsentForm\rate_refusal($wait);
        return consent_form_answer($refusal->status, $refusal->body, $refusal->retryAfter);
    }
    set_transient($name, (string) $paid, 61);
    return null;
}

/**
 * The visitor's address: `REMOTE_ADDR`, or what the `consent_form_client_ip` filter makes
 * of it (behind a proxy). The rate limit counts by it; the captcha check sends it to the
 * provider as `remoteip`.
 */
function consent_form_client_address(): string
{
    return (string) apply_filters('consent_form_client_ip', (string) ($_SERVER['REMOTE_ADDR'] ?? '')); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
}

/** POST …/keys: a signing key for this visitor. */
function consent_form_rest_keys(WP_REST_Request $request): WP_REST_Response
{
    if ($request->get_method() !== 'POST') {
        return consent_form_answer(405, ['error' => 'method_not_allowed']);
    }
    [$key, $keys] = ConsentForm\next_key(consent_form_cookie_keys(), time());
    consent_form_set_cookie($keys);
    return consent_form_answer(200, $key);
}

/** Runs $receive on the request's verified JSON body, turning a Refusal into its answer. */
function consent_form_receive(WP_REST_Request $request, callable $receive): WP_REST_Response
{
    try {
        $raw = $request->get_body();
        ConsentForm\check_request($request->get_method(), (string) $request->get_header('content_type'), strlen($raw));
        $headers = $request->get_headers();
        $message = ConsentForm\verified(ConsentForm\live_keys_in(consent_form_cookie_keys(), time()), $headers, $raw);
        [$status, $body] = $receive($message, $raw, $headers, time());
        return consent_form_answer($status, $body);
    } catch (ConsentForm\Refusal $refusal) {
        return consent_form_answer($refusal->status, $refusal->body, $refusal->retryAfter);
    }
}

/**
 * POST …/submissions: the form's endpoint. With a captcha secret set, a new submission's
 * token is verified (includes/captcha.php) after the signature and content checks,
 * before it is stored; a retry of a stored id is not verified again.
 */
function consent_form_rest_submit(WP_REST_Request $request): WP_REST_Response
{
    return consent_form_receive($request, fn (array $payload, string $raw, array $headers, int $now) => ConsentForm\submission_answer(
        $payload,
        $raw,
        fn (string $id, ?string $captcha) => consent_form_store_submission($payload, $raw, $headers, $now, $captcha),
        'consent_form_captcha'
    ));
}

/** POST …/withdrawals: the form's withdraw-endpoint. */
function consent_form_rest_withdraw(WP_REST_Request $request): WP_REST_Response
{
    return consent_form_receive($request, fn (array $withdrawal, string $raw, array $headers, int $now) => ConsentForm\withdrawal_answer(
        $withdrawal,
        $raw,
        $now,
        function (string $id) {
            $row = consent_form_submission($id);
            return $row === null ? null : json_decode($row['consents'], true);
        },
        fn (string $submission, string $purpose) => consent_form_store_withdrawal($submission, $purpose, $raw, $headers, $now)
    ));
}
