<?php
// Signing keys that belong to one visitor: the page fetches one from the key-url and
// signs with it; the endpoint accepts what any live key of the same visitor signed. A
// key read from the page proves only that the sender had this visitor's session
// (docs/payload.md): the site's own secrets never reach the browser. Where the keys are
// held is the host's: a PHP session here (api/keys.php), a signed cookie in the
// WordPress plugin (wordpress/consent-form/).
namespace ConsentForm;

const KEY_LIFETIME = 3600; // seconds
const KEY_GRACE = 60;      // a submission signed just before expiry may arrive after it

/**
 * The key to hand out now, {secret, expires_at, now}, and the keys to hold from now on,
 * given those held so far: a new key once the last one has less than half its
 * lifetime left (the form caches a key until just before it expires); older keys are
 * held until their grace period is over.
 */
function next_key($held, int $now): array
{
    $keys = live_keys_in($held, $now);
    $newest = end($keys);
    if ($newest === false || $newest['expires_at'] - $now < KEY_LIFETIME / 2) {
        $newest = ['secret' => 'whsec_' . base64_encode(random_bytes(32)), 'expires_at' => $now + KEY_LIFETIME];
        $keys[] = $newest;
    }
    return [$newest + ['now' => $now], $keys];
}

/** Those of the keys $held that may still verify a submission, oldest first. */
function live_keys_in($held, int $now): array
{
    return array_values(array_filter(
        is_array($held) ? $held : [],
        fn ($key) => is_array($key) && is_string($key['secret'] ?? null) && is_int($key['expires_at'] ?? null)
            && $key['expires_at'] + KEY_GRACE >= $now
    ));
}

/** Starts the PHP session whose cookie carries the visitor's keys. */
function start_key_session(): void
{
    session_start([
        'cookie_httponly' => true,
        'cookie_samesite' => 'Lax',
        'cookie_secure' => !empty($_SERVER['HTTPS']) && $_SERVER['HTTPS'] !== 'off',
    ]);
}

/** next_key() on the PHP session's keys, which it updates. Call start_key_session() first. */
function issue_key(int $now): array
{
    [$key, $_SESSION['consent_form_keys']] = next_key($_SESSION['consent_form_keys'] ?? [], $now);
    return $key;
}

/** The PHP session's keys that may still verify a submission, oldest first. */
function live_keys(int $now): array
{
    return live_keys_in($_SESSION['consent_form_keys'] ?? [], $now);
}
