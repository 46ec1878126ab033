<?php
// The payload's captcha token, verified with the provider's siteverify as the reference
// receiver does (lib/captcha.php; docs/wordpress.md, "Captcha"): off unless a secret is
// set, in wp-config.php (CONSENT_FORM_CAPTCHA_SECRET, which wins) or on the settings
// page; the siteverify URL likewise (CONSENT_FORM_CAPTCHA_VERIFY_URL; default
// Turnstile's). The secret is never shown back, logged or put in an answer.

defined('ABSPATH') || exit;

/**
 * The captcha check's configuration: null when off (no secret), else ['secret', 'url',
 * 'from' => 'constant' | 'settings'], with 'problem' set when the secret or the URL given
 * cannot be one (then every new submission is answered 503, which the form retries,
 * until it is fixed: nothing refused for good for the site's mistake).
 */
function consent_form_captcha_config(): ?array
{
    $settings = consent_form_settings();
    $fromConstant = consent_form_captcha_constant('CONSENT_FORM_CAPTCHA_SECRET');
    $secret = $fromConstant ?? trim((string) $settings['captcha_secret']);
    if ($secret === '') {
        return null;
    }
    $url = consent_form_captcha_constant('CONSENT_FORM_CAPTCHA_VERIFY_URL')
        ?? (trim((string) $settings['captcha_verify_url']) ?: ConsentForm\TURNSTILE_VERIFY_URL);
    $config = ['secret' => $secret, 'url' => $url, 'from' => $fromConstant !== null ? 'constant' : 'settings'];
    if (!ConsentForm\captcha_secret_ok($secret)) {
        $config['problem'] = 'the captcha secret is not a secret key (1 to 1024 printable ASCII characters, no space)';
    } elseif (!ConsentForm\captcha_verify_url_ok($url)) {
        $config['problem'] = 'the captcha siteverify URL is not an http(s) URL';
    }
    return $config;
}

/** The wp-config.php constant $name, trimmed, if it is a string that is not blank; else null. */
function consent_form_captcha_constant(string $name): ?string
{
    $value = defined($name) ? constant($name) : null;
    return is_string($value) && trim($value) !== '' ? trim($value) : null;
}

/** Whether a submission is stored under $id; Refusal 503 if the database cannot say. */
function consent_form_submission_stored(string $id): bool
{
    global $wpdb;
    ['submissions' => $table] = consent_form_tables();
    $found = $wpdb->get_var($wpdb->prepare("SELECT COUNT(*) FROM $table WHERE id = %s", $id)); // phpcs:ignore WordPress.DB.PreparedSQL
    if ($found === null || $wpdb->last_error !== '') {
        error_log('consent-form: could not look a submission up: ' . $wpdb->last_error);
        throw new ConsentForm\Refusal(503, ['error' => 'unavailable'], 5);
    }
    return (int) $found > 0;
}

/**
 * The captcha check of a new submission (after its signature and content checks, before
 * it is stored): the outcome to store with it (JSON), or null when captchas are off or
 * the id is stored already; else a Refusal (422 captcha_missing or captcha_failed, 503).
 */
function consent_form_captcha(array $payload): ?string
{
    $config = consent_form_captcha_config();
    if ($config === null) {
        return null;
    }
    if (isset($config['problem'])) {
        error_log("consent-form: {$config['problem']}: submissions are answered 503 until it is fixed");
        throw new ConsentForm\Refusal(503, ['error' => 'unavailable'], 5);
    }
    return ConsentForm\captcha_check(
        $payload,
        $config['secret'],
        $config['url'],
        consent_form_client_address(),
        (int) floor(microtime(true) * 1000),
        'consent_form_submission_stored',
        function (string $url, array $form) {
            $response = wp_remote_post($url, [
                'timeout' => ConsentForm\CAPTCHA_TIMEOUT,
                'redirection' => 0,
                'headers' => ['Accept' => 'application/json'],
                'body' => $form, // form-encoded by WordPress
            ]);
            // WordPress's error names the failure (cURL's, e.g. a timeout), not the body.
            return is_wp_error($response)
                ? $response->get_error_message()
                : [(int) wp_remote_retrieve_response_code($response), (string) wp_remote_retrieve_body($response)];
        },
        fn (string $why) => error_log("consent-form: $why")
    );
}

/** What the owner reads of a stored outcome (JSON) — or of a token sent but not verified; '' for none. */
function consent_form_captcha_words(?string $outcome, bool $tokenSent): string
{
    if ($outcome === null || $outcome === '') {
        return $tokenSent ? __('token sent, not verified (no captcha secret was set)', 'consent-form') : '';
    }
    $check = json_decode($outcome, true) ?: [];
    $said = match ($check['outcome'] ?? '') {
        'passed' => __('passed', 'consent-form'),
        'expired' => __('token expired on arrival (the submission came late from the visitor’s outbox): review it', 'consent-form'),
        default => (string) ($check['outcome'] ?? ''),
    };
    if (is_string($check['hostname'] ?? null)) {
        $said .= ' — ' . $check['hostname'];
    }
    if (!empty($check['error-codes']) && is_array($check['error-codes'])) {
        $said .= ' (' . implode(', ', array_map('strval', $check['error-codes'])) . ')';
    }
    return $said;
}
