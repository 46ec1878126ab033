<?php
// The plugin's tables: each submission once, as the signed bytes; each withdrawal (and
// each erasure) as a dated event; and the hash chain over both (includes/chain.php). The
// plugin's code only inserts, except the erasure on request, which empties a
// submission's personal data once (consent_form_erase). MySQL cannot be told so:
// WordPress's database user may change or delete any row, and so may anyone with that
// user's password or the site's admin tools for the database; the chain shows it.

defined('ABSPATH') || exit;

// 2: the phone numbers in columns of their own, for the owner's search. 3: the hash chain.
// 4: the captcha check's outcome.
const CONSENT_FORM_DB_VERSION = '4';

/** The table names, with the site's prefix. */
function consent_form_tables(): array
{
    global $wpdb;
    return ['submissions' => $wpdb->prefix . 'consent_form_submissions', 'events' => $wpdb->prefix . 'consent_form_events', 'chain' => $wpdb->prefix . 'consent_form_chain'];
}

// On a multisite network each site has its own three tables (its prefix; created at the
// site's first request after the plugin is network-activated, by
// consent_form_maybe_upgrade). Deleting a site deletes them with its other tables: the
// personal data goes with the site.
add_filter('wpmu_drop_tables', function (array $tables, int $site_id): array {
    global $wpdb;
    $prefix = $wpdb->get_blog_prefix($site_id);
    return array_merge($tables, [$prefix . 'consent_form_submissions', $prefix . 'consent_form_events', $prefix . 'consent_form_chain']);
}, 10, 2);

/** Creates or updates the tables (on activation, and once after an update of the plugin). */
function consent_form_install(): void
{
    global $wpdb;
    require_once ABSPATH . 'wp-admin/includes/upgrade.php';
    ['submissions' => $submissions, 'events' => $events, 'chain' => $chain] = consent_form_tables();
    $charset = $wpdb->get_charset_collate();
    // The rows stored before the chain existed are linked when it is made: as many as a
    // step allows in this request, the rest in steps after (consent_form_chain_backlog_begin).
    $before_chain = version_compare((string) get_option('consent_form_db_version', '0'), '3', '<');
    // Likewise the phone columns of the rows stored before them (version 2).
    $before_phones = version_compare((string) get_option('consent_form_db_version', '0'), '2', '<');
    // body: the exact signed bytes, NULL once erased; email: the address sent, for
    // WordPress's privacy tools, NULL once erased; phone, guardian_phone: the numbers
    // sent (E.164, as the checks require), for the owner's search, NULL once erased;
    // consents: [{purpose, granted, text_sha256}] as sent, kept as proof after erasure;
    // captcha: the captcha check's outcome (JSON {outcome, error-codes, hostname}), NULL
    // when none was made. Times are UTC.
    dbDelta("CREATE TABLE $submissions (
  id varchar(80) NOT NULL,
  received_at datetime NOT NULL,
  form varchar(16) NOT NULL,
  submitted_at varchar(40) NOT NULL,
  locale varchar(8) NOT NULL,
  email varchar(254) NULL,
  phone varchar(20) NULL,
  guardian_phone varchar(20) NULL,
  body longtext NULL,
  body_sha256 char(64) NOT NULL,
  webhook_timestamp varchar(12) NOT NULL,
  webhook_signature text NOT NULL,
  consents text NOT NULL,
  captcha text NULL,
  erased_at datetime NULL,
  PRIMARY KEY  (id),
  KEY received_at (received_at),
  KEY email (email(191)),
  KEY phone (phone),
  KEY guardian_phone (guardian_phone)
) $charset;
CREATE TABLE $events (
  seq bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  submission_id varchar(80) NOT NULL,
  kind varchar(16) NOT NULL,
  purpose varchar(64) NOT NULL DEFAULT '',
  received_at datetime NOT NULL,
  webhook_id varchar(80) NULL,
  webhook_timestamp varchar(12) NULL,
  webhook_signature text NULL,
  body longtext NULL,
  PRIMARY KEY  (seq),
  UNIQUE KEY once (submission_id,kind,purpose)
) $charset;
CREATE TABLE $chain (
  seq bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  row_kind varchar(16) NOT NULL,
  row_key varchar(80) NOT NULL,
  hash char(64) NOT NULL,
  linked_at datetime NOT NULL,
  PRIMARY KEY  (seq),
  UNIQUE KEY row_link (row_kind,row_key)
) $charset;");
    if ($before_phones) {
        consent_form_phones_begin();
    }
    update_option('consent_form_db_version', CONSENT_FORM_DB_VERSION);
    if ($before_chain) {
        consent_form_chain_backlog_begin();
    }
}

/** The option that holds, while the phone columns are being filled, the last id looked at. */
const CONSENT_FORM_PHONES_BACKLOG = 'consent_form_phones_backlog';
/** The event that goes on filling them, in steps. */
const CONSENT_FORM_PHONES_HOOK = 'consent_form_fill_phones';

add_action(CONSENT_FORM_PHONES_HOOK, fn () => consent_form_fill_phones(consent_form_step_limits('consent_form_phones_step')));
register_deactivation_hook(CONSENT_FORM_FILE, fn () => wp_clear_scheduled_hook(CONSENT_FORM_PHONES_HOOK));
register_activation_hook(CONSENT_FORM_FILE, 'consent_form_phones_schedule');
// An owner's visit schedules it again if it went missing (the plugin deactivated meanwhile).
add_action('admin_init', 'consent_form_phones_schedule');

/** Schedules the filling of the phone columns if some is left and it is not. */
function consent_form_phones_schedule(): void
{
    if (consent_form_phones_backlog() !== null && !wp_next_scheduled(CONSENT_FORM_PHONES_HOOK)) {
        wp_schedule_single_event(time(), CONSENT_FORM_PHONES_HOOK);
    }
}

/**
 * At the update from version 1: the phone columns of the submissions already stored are
 * to be filled from their bodies, in id order. Fills what one step allows now; the rest
 * goes on in the event. Begun once: an update cut short and run again goes on where it was.
 */
function consent_form_phones_begin(): void
{
    add_option(CONSENT_FORM_PHONES_BACKLOG, ['after' => ''], '', 'no');
    // Scheduled first: a request cut short still leaves the rest to the event.
    consent_form_phones_schedule();
    consent_form_fill_phones(consent_form_step_limits('consent_form_phones_step'));
}

/** The last id looked at while the phone columns are being filled, read from the database itself; null when it is done. */
function consent_form_phones_backlog(): ?string
{
    global $wpdb;
    $value = $wpdb->get_var($wpdb->prepare("SELECT option_value FROM {$wpdb->options} WHERE option_name = %s", CONSENT_FORM_PHONES_BACKLOG));
    $backlog = $value === null ? null : maybe_unserialize($value);
    return is_array($backlog) && is_string($backlog['after'] ?? null) ? $backlog['after'] : null;
}

/** `WHERE …` of the submissions whose phone columns are still to be filled: after $after, with a body and no phone. */
const CONSENT_FORM_PHONES_LEFT = 'WHERE id > %s AND phone IS NULL AND guardian_phone IS NULL AND body IS NOT NULL';

/** How many submissions are still to be looked at for their phones (0 when the filling is done). */
function consent_form_phones_left(): int
{
    global $wpdb;
    $after = consent_form_phones_backlog();
    if ($after === null) {
        return 0;
    }
    ['submissions' => $table] = consent_form_tables();
    return (int) $wpdb->get_var($wpdb->prepare("SELECT COUNT(*) FROM $table " . CONSENT_FORM_PHONES_LEFT, $after)); // phpcs:ignore WordPress.DB.PreparedSQL
}

/**
 * Fills the phone columns of the submissions stored before they existed (version 1) from
 * their bodies (erased ones have none), in id order after the last one looked at, within
 * $limits (consent_form_step_limits; none: to the end), at most 500 in a transaction that
 * also moves the position on: a step cut short, or whose writes failed, is undone whole
 * and done again by the next, no row skipped. Each row is looked at once, a row with no
 * phone too. True when none is left (the position is removed and so is the event);
 * otherwise the event is scheduled to go on.
 */
function consent_form_fill_phones(array $limits = []): bool
{
    global $wpdb;
    ['submissions' => $table] = consent_form_tables();
    $budget = consent_form_chain_budget($limits);
    $finished = false;
    while (!$finished && ($size = min(500, consent_form_chain_left($budget))) > 0) {
        $seen = 0;
        $failed = 'no lock';
        $stored = consent_form_chained(function () use ($table, $size, $wpdb, &$finished, &$seen, &$failed) {
            $after = consent_form_phones_backlog();
            if ($after === null) {
                return $finished = true;
            }
            $rows = $wpdb->get_results($wpdb->prepare("SELECT id, body FROM $table " . CONSENT_FORM_PHONES_LEFT . ' ORDER BY id LIMIT %d', $after, $size), ARRAY_A) ?: []; // phpcs:ignore WordPress.DB.PreparedSQL
            if ($wpdb->last_error !== '') {
                $failed = $wpdb->last_error;
                return false; // not read is not none left
            }
            foreach ($rows as $row) {
                $phones = consent_form_phones(json_decode($row['body'], true));
                if (($phones['phone'] !== null || $phones['guardian_phone'] !== null) && $wpdb->update($table, $phones, ['id' => $row['id']]) !== 1) {
                    $failed = $wpdb->last_error;
                    return false;
                }
            }
            $seen = count($rows);
            $finished = $seen < $size;
            $moved = $finished
                ? $wpdb->delete($wpdb->options, ['option_name' => CONSENT_FORM_PHONES_BACKLOG])
                : $wpdb->update($wpdb->options, ['option_value' => maybe_serialize(['after' => end($rows)['id']])], ['option_name' => CONSENT_FORM_PHONES_BACKLOG]);
            $failed = $wpdb->last_error;
            return $moved !== false;
        }, 'phones');
        wp_cache_delete(CONSENT_FORM_PHONES_BACKLOG, 'options');
        if (!$stored) {
            $finished = false;
            error_log('consent-form: filling the phone columns stopped, to go on at the next run: ' . $failed);
            break;
        }
        $budget['records'] -= max(1, $seen);
    }
    if ($finished) {
        wp_clear_scheduled_hook(CONSENT_FORM_PHONES_HOOK);
    } elseif (!wp_next_scheduled(CONSENT_FORM_PHONES_HOOK)) {
        wp_schedule_single_event(time(), CONSENT_FORM_PHONES_HOOK);
    }
    return $finished;
}

/** The phone numbers of a payload, as sent ({phone, guardian_phone}, each a string or null). */
function consent_form_phones($payload): array
{
    $fields = is_array($payload['fields'] ?? null) ? $payload['fields'] : [];
    $phone = fn ($name) => is_string($fields[$name] ?? null) && strlen($fields[$name]) <= 20 ? $fields[$name] : null;
    return ['phone' => $phone('phone'), 'guardian_phone' => $phone('guardian_phone')];
}

function consent_form_maybe_upgrade(): void
{
    if (get_option('consent_form_db_version') !== CONSENT_FORM_DB_VERSION) {
        consent_form_install();
    }
}

/** A MySQL UTC datetime as RFC 3339 ('' for none). */
function consent_form_time(?string $utc): string
{
    return $utc ? gmdate('c', (int) strtotime($utc . ' UTC')) : '';
}

/**
 * Inserts $row into $table once, linked in the hash chain ($kind: 'submission', keyed by
 * its id, or 'event', by its seq): null when inserted now; else the row stored before
 * under the same unique key, found with $where. Refusal 503 (the form keeps the message
 * and sends it again) if it can do neither.
 */
function consent_form_insert_once(string $table, string $kind, array $row, string $where, array $args): ?array
{
    global $wpdb;
    $stored = consent_form_chained(function () use ($table, $kind, $row, $wpdb) {
        $suppressed = $wpdb->suppress_errors(true); // a duplicate key is an answer, not an error
        $inserted = $wpdb->insert($table, $row);
        $wpdb->suppress_errors($suppressed);
        return $inserted === 1 && consent_form_link($kind, $kind === 'submission' ? $row['id'] : (string) $wpdb->insert_id);
    });
    if ($stored) {
        return null;
    }
    $before = $wpdb->get_row($wpdb->prepare("SELECT * FROM $table WHERE $where", ...$args), ARRAY_A); // phpcs:ignore WordPress.DB.PreparedSQL
    if (!is_array($before)) {
        error_log('consent-form: could not store a message: ' . $wpdb->last_error);
        throw new ConsentForm\Refusal(503, ['error' => 'unavailable'], 5);
    }
    return $before;
}

/**
 * Stores a verified, checked submission once, with its captcha check's outcome (JSON) if
 * one was made; the row stored before under its id, if any.
 */
function consent_form_store_submission(array $payload, string $raw, array $headers, int $now, ?string $captcha = null): ?array
{
    ['submissions' => $table] = consent_form_tables();
    $email = $payload['fields']['email'] ?? null;
    return consent_form_insert_once($table, 'submission', [
        'id' => $payload['id'],
        'received_at' => gmdate('Y-m-d H:i:s', $now),
        'form' => $payload['form'],
        'submitted_at' => $payload['submitted_at'],
        'locale' => $payload['locale'],
        'email' => is_string($email) ? $email : null,
        'body' => $raw,
        'body_sha256' => hash('sha256', $raw),
        'webhook_timestamp' => header_value($headers, 'webhook-timestamp'),
        'webhook_signature' => header_value($headers, 'webhook-signature'),
        'consents' => wp_json_encode(consent_form_consents_kept($payload)),
        'captcha' => $captcha,
    ] + consent_form_phones($payload), 'id = %s', [$payload['id']]);
}

/**
 * What is kept of each consent after erasure, as the reference receiver keeps it:
 * purpose, given or refused, the text's SHA-256, the consent record's id, the policy's
 * URL and version.
 */
function consent_form_consents_kept(array $payload): array
{
    return array_map(fn ($c) => [
        'purpose' => $c['purpose'],
        'granted' => $c['granted'],
        'text_sha256' => $c['text_sha256'],
        'record_id' => is_string($c['record']['record_id'] ?? null) ? $c['record']['record_id'] : null,
        'policy_url' => is_string($c['policy_url'] ?? null) ? $c['policy_url'] : null,
        'policy_version' => is_string($c['policy_version'] ?? null) ? $c['policy_version'] : null,
    ], $payload['consents']);
}

/** Records a verified withdrawal once per consent; the one recorded before, if any ({body, webhook-id, received_at}). */
function consent_form_store_withdrawal(string $submission, string $purpose, string $raw, array $headers, int $now): ?array
{
    ['events' => $table] = consent_form_tables();
    $before = consent_form_insert_once($table, 'event', [
        'submission_id' => $submission,
        'kind' => 'withdrawn',
        'purpose' => $purpose,
        'received_at' => gmdate('Y-m-d H:i:s', $now),
        'webhook_id' => header_value($headers, 'webhook-id'),
        'webhook_timestamp' => header_value($headers, 'webhook-timestamp'),
        'webhook_signature' => header_value($headers, 'webhook-signature'),
        'body' => $raw,
    ], "submission_id = %s AND kind = 'withdrawn' AND purpose = %s", [$submission, $purpose]);
    return $before === null ? null
        : ['body' => $before['body'], 'webhook-id' => $before['webhook_id'], 'received_at' => consent_form_time($before['received_at'])];
}

/** A submission's row, or null. */
function consent_form_submission(string $id): ?array
{
    global $wpdb;
    ['submissions' => $table] = consent_form_tables();
    $row = $wpdb->get_row($wpdb->prepare("SELECT * FROM $table WHERE id = %s", $id), ARRAY_A); // phpcs:ignore WordPress.DB.PreparedSQL
    return is_array($row) ? $row : null;
}

/** A submission's events (withdrawals, erasure), oldest first. */
function consent_form_events(string $id): array
{
    global $wpdb;
    ['events' => $table] = consent_form_tables();
    return $wpdb->get_results($wpdb->prepare("SELECT * FROM $table WHERE submission_id = %s ORDER BY seq", $id), ARRAY_A) ?: []; // phpcs:ignore WordPress.DB.PreparedSQL
}

/** Each consent's state now: purpose => granted | refused | withdrawn. */
function consent_form_states(array $row, array $events): array
{
    $states = [];
    foreach (json_decode($row['consents'], true) ?: [] as $consent) {
        $states[$consent['purpose']] = $consent['granted'] ? 'granted' : 'refused';
    }
    foreach ($events as $event) {
        if ($event['kind'] === 'withdrawn' && isset($states[$event['purpose']])) {
            $states[$event['purpose']] = 'withdrawn';
        }
    }
    return $states;
}

/**
 * Erases a submission's personal data on request, keeping the proof: the id, the body's
 * SHA-256, the times, each consent as given or refused with its text's hash, the
 * withdrawals (which hold nothing personal), and a dated `erased` event saying by whom
 * and why, linked in the hash chain (which the erasure leaves whole). True if erased
 * now, false if it was erased before or does not exist.
 */
function consent_form_erase(string $id, string $by, string $reason): bool
{
    global $wpdb;
    ['submissions' => $submissions, 'events' => $events] = consent_form_tables();
    $now = gmdate('Y-m-d H:i:s');
    return consent_form_chained(fn () => $wpdb->query($wpdb->prepare(
        "UPDATE $submissions SET body = NULL, email = NULL, phone = NULL, guardian_phone = NULL, erased_at = %s WHERE id = %s AND erased_at IS NULL", // phpcs:ignore WordPress.DB.PreparedSQL
        $now,
        $id
    )) === 1 && $wpdb->insert($events, [
        'submission_id' => $id,
        'kind' => 'erased',
        'purpose' => '',
        'received_at' => $now,
        'body' => wp_json_encode(['by' => $by, 'reason' => $reason]),
    ]) === 1 && consent_form_link('event', (string) $wpdb->insert_id));
}

/**
 * What the owner typed in the search box, as the values stored: ['email' => address]
 * (compared in the column's collation, which WordPress makes case-insensitive), or
 * ['phones' => [E.164, …]] for a Vietnamese number typed as people say it ("0902 666
 * 984", "+84 902-666-984", "84902666984", "0902.666.984", "0084 …": digits only, then a
 * leading 0, 84, +84 or 0084 becomes +84; digits with none of these are taken as the
 * number without its leading 0). Nothing else is mapped: an old 11-digit number
 * (before the 2018 renumbering) does not find the new one the form stored. Null if it
 * is neither an address nor such a number.
 */
function consent_form_search_terms(string $typed): ?array
{
    $typed = trim($typed);
    if (str_contains($typed, '@')) {
        return strlen($typed) <= 254 ? ['email' => $typed] : null;
    }
    if (!preg_match('/^\(?\+?[0-9 ().\-]{1,40}$/', $typed)) {
        return null;
    }
    $digits = (string) preg_replace('/\D/', '', $typed);
    if (str_starts_with($digits, '00')) {
        $candidates = ['+' . substr($digits, 2)];
    } elseif (str_starts_with(ltrim($typed, '('), '+')) {
        $candidates = ['+' . $digits];
    } elseif (str_starts_with($digits, '0')) {
        $candidates = ['+84' . substr($digits, 1)];
    } elseif (str_starts_with($digits, '84')) {
        // 84…: the country code, or a number without its 0 that starts with 84.
        $candidates = ['+' . $digits, '+84' . $digits];
    } else {
        $candidates = ['+84' . $digits];
    }
    $phones = array_values(array_filter($candidates, fn ($phone) => preg_match(ConsentForm\PHONE_E164, $phone) === 1));
    return $phones ? ['phones' => $phones] : null;
}

/**
 * A page of submissions, newest first, and how many there are: all, or those matching
 * $terms (consent_form_search_terms), found through the indexes on email, phone and
 * guardian_phone, without reading any body.
 */
function consent_form_list(?array $terms, int $limit, int $offset): array
{
    global $wpdb;
    ['submissions' => $table] = consent_form_tables();
    $where = '1 = 1';
    $args = [];
    if (isset($terms['email'])) {
        $where = 'email = %s';
        $args = [$terms['email']];
    } elseif (isset($terms['phones'])) {
        $in = implode(', ', array_fill(0, count($terms['phones']), '%s'));
        $where = "(phone IN ($in) OR guardian_phone IN ($in))";
        $args = [...$terms['phones'], ...$terms['phones']];
    }
    $count = "SELECT COUNT(*) FROM $table WHERE $where";
    $total = (int) $wpdb->get_var($args ? $wpdb->prepare($count, ...$args) : $count); // phpcs:ignore WordPress.DB.PreparedSQL
    $rows = $wpdb->get_results($wpdb->prepare("SELECT * FROM $table WHERE $where ORDER BY received_at DESC, id DESC LIMIT %d OFFSET %d", ...[...$args, $limit, $offset]), ARRAY_A) ?: []; // phpcs:ignore WordPress.DB.PreparedSQL
    return ['rows' => $rows, 'total' => $total];
}
