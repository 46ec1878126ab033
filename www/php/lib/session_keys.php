<?php
// Signing keys that belong to the visitor's PHP session: the page fetches one from
// api/keys.php and signs with it; api/leads.php accepts what any live key of the same
// session signed. A key read from the page proves only that the sender had this
// session (docs/payload.md): the site's own secrets never reach the browser.

const KEY_LIFETIME = 3600; // seconds
const KEY_GRACE = 60;      // a submission signed just before expiry may arrive after it

/** Starts the session whose cookie carries the visitor's keys. */
function start_key_session(): void
{
    session_start([
        'cookie_httponly' => true,
        'cookie_samesite' => 'Lax',
        'cookie_secure' => !empty($_SERVER['HTTPS']) && $_SERVER['HTTPS'] !== 'off',
    ]);
}

/**
 * The key to hand out now: {secret, expires_at, now}. A new key once the last one has
 * less than half its lifetime left (the form caches a key until just before it
 * expires); older keys stay in the session until their grace period is over.
 * Call start_key_session() first.
 */
function issue_key(int $now): array
{
    $keys = live_keys($now);
    $newest = end($keys);
    if ($newest === false || $newest['expires_at'] - $now < KEY_LIFETIME / 2) {
        $newest = ['secret' => 'whsec_' . base64_encode(random_bytes(32)), 'expires_at' => $now + KEY_LIFETIME];
        $keys[] = $newest;
    }
    $_SESSION['consent_form_keys'] = $keys;
    return $newest + ['now' => $now];
}

/** The session's keys that may still verify a submission, oldest first. */
function live_keys(int $now): array
{
    $keys = $_SESSION['consent_form_keys'] ?? [];
    return array_values(array_filter(
        is_array($keys) ? $keys : [],
        fn ($key) => is_array($key) && ($key['expires_at'] ?? 0) + KEY_GRACE >= $now
    ));
}
