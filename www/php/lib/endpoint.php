<?php
// What api/leads.php and api/withdrawals.php share: reading a signed request from PHP's
// own globals, answering, storing a record once in a file. The checks and the answers
// are lib/receive.php's, which the WordPress plugin shares.
namespace ConsentForm;

require_once __DIR__ . '/receive.php';

// Where submissions and withdrawals are stored: a directory outside the web root (the
// files hold personal data) that PHP's user can write, e.g. /var/lib/consent-form-leads.
// Write it here, or set LEADS_DIR in PHP's environment (which wins): with php-fpm that
// takes `env[LEADS_DIR] = /var/lib/consent-form-leads` in the pool's configuration, as
// php-fpm passes no environment variable it is not told to (clear_env). Unset, nothing
// is stored: every submission is answered 503, and the form keeps it and sends it again.
const LEADS_DIR = '';

/**
 * Ends the request with 429 (and Retry-After) once this address has made more than
 * RATE_PER_MINUTE requests a minute to api/ (RATE_LIMIT in the environment sets the
 * number, 0 for none), so that one address cannot fill LEADS_DIR. Counted in a small
 * file per address under LEADS_DIR/.rate; not while LEADS_DIR is unset (nothing is
 * stored then), nor when the count cannot be written (a request is never lost to it).
 * The address is client_address(): behind a reverse proxy, set TRUST_PROXY=1, or every
 * visitor would share the proxy's count.
 */
function limit_rate(): void
{
    $dir = getenv('LEADS_DIR') ?: LEADS_DIR;
    $setting = getenv('RATE_LIMIT');
    $perMinute = $setting === false || $setting === '' ? RATE_PER_MINUTE : (int) $setting;
    $rates = "$dir/.rate";
    if ($dir === '' || $perMinute <= 0 || !(is_dir($rates) || @mkdir($rates, 0700, true) || is_dir($rates))) {
        return;
    }
    $file = @fopen("$rates/" . hash('sha256', rate_client(client_address())), 'c+');
    if ($file === false || !flock($file, LOCK_EX)) {
        return;
    }
    $kept = stream_get_contents($file);
    [$paid, $wait] = rate_step($kept === '' || $kept === false ? null : (float) $kept, microtime(true), $perMinute);
    if ($paid !== null) {
        ftruncate($file, 0);
        rewind($file);
        fwrite($file, (string) $paid);
    }
    fclose($file);
    // Now and then, the counts of addresses quiet for a minute go.
    if (random_int(0, 99) === 0) {
        foreach (glob("$rates/*") ?: [] as $old) {
            if (@filemtime($old) < time() - 120) {
                @unlink($old);
            }
        }
    }
    if ($wait !== null) {
        refuse(rate_refusal($wait));
    }
}

/**
 * The visitor's address: REMOTE_ADDR, or with TRUST_PROXY=1 in the environment (behind a
 * reverse proxy, whose address REMOTE_ADDR then is) the last address of X-Forwarded-For,
 * the one the proxy added; a visitor can write only the ones before it. The rate limit
 * counts by it, and the captcha check sends it to the provider.
 */
function client_address(): string
{
    $peer = (string) ($_SERVER['REMOTE_ADDR'] ?? '');
    if (getenv('TRUST_PROXY') !== '1') {
        return $peer;
    }
    $forwarded = explode(',', (string) ($_SERVER['HTTP_X_FORWARDED_FOR'] ?? ''));
    $last = trim((string) end($forwarded));
    return filter_var($last, FILTER_VALIDATE_IP) !== false ? $last : $peer;
}

/**
 * The captcha check for api/leads.php (lib/captcha.php, the reference receiver's rules),
 * or null when CAPTCHA_SECRET is not set in the environment: the provider's secret key,
 * and CAPTCHA_VERIFY_URL its siteverify (Cloudflare Turnstile's unless set; hCaptcha's
 * and reCAPTCHA's work). With php-fpm, pass them as `env[CAPTCHA_SECRET] = …` in the
 * pool's configuration. The visitor's address sent as `remoteip` is client_address().
 */
function captcha_hook(): ?callable
{
    $secret = trim((string) getenv('CAPTCHA_SECRET'));
    if ($secret === '') {
        return null;
    }
    $url = trim((string) getenv('CAPTCHA_VERIFY_URL')) ?: TURNSTILE_VERIFY_URL;
    return function (array $payload) use ($secret, $url): ?string {
        if (!captcha_secret_ok($secret) || !captcha_verify_url_ok($url)) {
            error_log('consent-form: CAPTCHA_SECRET or CAPTCHA_VERIFY_URL cannot be used: submissions are answered 503 until it is fixed');
            throw new Refusal(503, ['error' => 'unavailable'], 5);
        }
        return captcha_check(
            $payload,
            $secret,
            $url,
            client_address(),
            (int) floor(microtime(true) * 1000),
            fn (string $id) => read_record("$id.json") !== null,
            __NAMESPACE__ . '\\siteverify_post',
            fn (string $why) => error_log("consent-form: $why")
        );
    };
}

/**
 * A form-encoded POST of $form to $url through PHP's own HTTP streams (no curl needed),
 * CAPTCHA_TIMEOUT seconds to connect and as much to answer, no redirect followed:
 * [status, body], or why there was no answer (PHP's message names the URL, never the
 * body).
 */
function siteverify_post(string $url, array $form): array|string
{
    $context = stream_context_create(['http' => [
        'method' => 'POST',
        'header' => "Content-Type: application/x-www-form-urlencoded\r\nAccept: application/json\r\n",
        'content' => http_build_query($form),
        'timeout' => CAPTCHA_TIMEOUT,
        'follow_location' => 0,
        'ignore_errors' => true, // a 4xx or 5xx body is read, not a failure
    ]]);
    $connect = ini_set('default_socket_timeout', (string) CAPTCHA_TIMEOUT);
    $http_response_header = [];
    $body = @file_get_contents($url, false, $context);
    ini_set('default_socket_timeout', (string) $connect);
    if ($body === false || !$http_response_header) {
        return (string) (error_get_last()['message'] ?? 'no answer');
    }
    return [preg_match('{^HTTP/\S+ ([0-9]{3})}', $http_response_header[0], $m) ? (int) $m[1] : 0, $body];
}

/** Ends the request with $status and a JSON body. */
function answer(int $status, array $body): void
{
    http_response_code($status);
    header('Content-Type: application/json');
    exit(json_encode($body, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES));
}

/**
 * The request's verified JSON body, its raw bytes and its headers; answers 405, 415,
 * 413, 401 or 400 itself (lib/receive.php). Any live key of the visitor's session will
 * do; a 401 makes the form fetch a new key and sign again once.
 */
function signed_request(): array
{
    try {
        check_request($_SERVER['REQUEST_METHOD'], $_SERVER['CONTENT_TYPE'] ?? '', 0);
        $raw = (string) file_get_contents('php://input', false, null, 0, MAX_BODY + 1);
        check_request('POST', 'application/json', strlen($raw));
        start_key_session();
        $keys = live_keys(time());
        session_write_close();
        $headers = getallheaders();
        return [verified($keys, $headers, $raw), $raw, $headers];
    } catch (Refusal $refusal) {
        refuse($refusal);
    }
}

/** Ends the request with a Refusal's answer. */
function refuse(Refusal $refusal): void
{
    if ($refusal->retryAfter !== null) {
        header("Retry-After: {$refusal->retryAfter}");
    }
    answer($refusal->status, $refusal->body);
}

/**
 * The directory records go to: LEADS_DIR from the environment, else the constant above.
 * Neither set, answers 503 (the form keeps the message and retries) and says why in
 * PHP's error log: never a guess such as the temporary directory, which is shared and
 * emptied.
 */
function records_dir(): string
{
    $dir = getenv('LEADS_DIR') ?: LEADS_DIR;
    if ($dir === '') {
        error_log('consent-form: nowhere to store submissions: set LEADS_DIR in www/php/lib/endpoint.php or in the environment');
        header('Retry-After: 60');
        answer(503, ['error' => 'not_configured', 'message' => 'LEADS_DIR is not set: the site has not said where to store submissions.']);
    }
    return $dir;
}

/**
 * Writes $data to a new file $path that only PHP's user can read (0600, whatever the
 * umask), creating it: false if it exists or cannot be written.
 */
function write_private(string $path, string $data): bool
{
    $file = @fopen($path, 'xb');
    if ($file === false) {
        return false;
    }
    $ok = chmod($path, 0600) && fwrite($file, $data) === strlen($data) && fflush($file);
    return fclose($file) && $ok;
}

/**
 * Stores the signed bytes with their headers under $name in records_dir(), unless a
 * record is stored under that name already. Null when stored now; else the record
 * stored before. Answers 503 (the form keeps the message and retries) if it cannot.
 * The record is written whole to a file of its own, then linked under $name, which
 * fails if the name exists: two retries arriving together store it once, and a crash
 * leaves no half file. $captcha: a submission's captcha outcome (JSON), kept as `captcha`.
 */
function store_once(string $name, string $raw, array $headers, ?string $captcha = null): ?array
{
    $dir = records_dir();
    $record = json_encode([
        'received_at' => gmdate('c'),
        'webhook-id' => header_value($headers, 'webhook-id'),
        'webhook-timestamp' => header_value($headers, 'webhook-timestamp'),
        'webhook-signature' => header_value($headers, 'webhook-signature'),
        'body' => $raw, // the signed bytes, as they came
    ] + ($captcha === null ? [] : ['captcha' => json_decode($captcha, true)]), JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
    $temporary = "$dir/." . bin2hex(random_bytes(8)) . '.tmp';
    // The directory and the files only for PHP's user (0700, 0600): they hold personal data.
    $written = (is_dir($dir) || @mkdir($dir, 0700, true) || is_dir($dir))
        && write_private($temporary, $record);
    $linked = $written && @link($temporary, "$dir/$name");
    @unlink($temporary);
    if ($linked) {
        return null;
    }
    $stored = $written ? read_record($name) : null;
    if (is_string($stored['body'] ?? null)) {
        $stored['body_sha256'] = hash('sha256', $stored['body']);
    }
    if ($stored === null) {
        header('Retry-After: 5');
        answer(503, ['error' => 'unavailable']);
    }
    return $stored;
}

/** The record stored under $name, if any. */
function read_record(string $name): ?array
{
    $file = records_dir() . "/$name";
    $record = is_file($file) ? json_decode((string) file_get_contents($file), true) : null;
    return is_array($record) ? $record : null;
}
