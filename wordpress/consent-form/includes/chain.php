<?php
// The hash chain over the consent records (database version 3): each submission and each
// event (withdrawal, erasure) gets a link in `…_consent_form_chain` in the transaction
// that stores it, SHA-256 of the previous link's hash and what the plugin never changes
// in the row (for a submission: its id, times, form, locale, the SHA-256 of the signed
// bytes, the signature and the consents as given; an erasure leaves all of these).
// Verifying recomputes every link from the rows as they are now: a row changed, removed
// or inserted past the plugin shows. Anyone with the database's password can still
// rewrite the whole chain after a row; a head kept elsewhere — the daily e-mail to the
// site's admin address — pins everything linked before it.
//
// The recipe, for checking without WordPress (docs/wordpress.md, "The hash chain"):
//   hash(link n) = hex(SHA-256(hash(link n-1) . "\n" . text(row)))   (link 0: 64 zeros)
//   text(submission) = "submission\n" . id \n received_at \n form \n submitted_at \n
//                      locale \n body_sha256 \n webhook_timestamp \n webhook_signature \n consents
//   text(event)      = "event\n" . seq \n submission_id \n kind \n purpose \n received_at \n
//                      webhook_id \n webhook_timestamp \n webhook_signature \n hex(SHA-256(body))
// each value as stored (NULL as the empty string), received_at as MySQL writes it
// ("2026-11-25 10:00:00", UTC).

defined('ABSPATH') || exit;

/** The hash before the first link. */
const CONSENT_FORM_CHAIN_START = '0000000000000000000000000000000000000000000000000000000000000000';
/** Problems of each kind named in a report; the rest are counted. */
const CONSENT_FORM_CHAIN_NAMED = 20;
/** The daily e-mail of the head. */
const CONSENT_FORM_CHAIN_HOOK = 'consent_form_chain_head';

add_action(CONSENT_FORM_CHAIN_HOOK, 'consent_form_chain_mail_head');
register_activation_hook(CONSENT_FORM_FILE, 'consent_form_chain_schedule');
register_deactivation_hook(CONSENT_FORM_FILE, fn () => wp_clear_scheduled_hook(CONSENT_FORM_CHAIN_HOOK));
// A site that updated the plugin (no activation then) gets the event at the owner's next visit.
add_action('admin_init', 'consent_form_chain_schedule');

/** Schedules the daily e-mail of the head if it is not. */
function consent_form_chain_schedule(): void
{
    if (!wp_next_scheduled(CONSENT_FORM_CHAIN_HOOK)) {
        wp_schedule_event(time(), 'daily', CONSENT_FORM_CHAIN_HOOK);
    }
}

/** What a row's link covers ('submission' or 'event' and the row as stored). */
function consent_form_link_text(string $kind, array $row): string
{
    $values = $kind === 'submission'
        ? ['submission', $row['id'], $row['received_at'], $row['form'], $row['submitted_at'], $row['locale'], $row['body_sha256'], $row['webhook_timestamp'], $row['webhook_signature'], $row['consents']]
        : ['event', $row['seq'], $row['submission_id'], $row['kind'], $row['purpose'], $row['received_at'], $row['webhook_id'], $row['webhook_timestamp'], $row['webhook_signature'], hash('sha256', (string) $row['body'])];
    return implode("\n", array_map(fn ($value) => (string) $value, $values));
}

/** A link's hash: after $previous, over $text. */
function consent_form_link_hash(string $previous, string $text): string
{
    return hash('sha256', $previous . "\n" . $text);
}

/**
 * Runs $store (which returns true when it stored what it must) in one transaction with
 * the chain held, so that links are made one after another: under a named MySQL lock
 * per site. False, with nothing stored, if the lock, $store or the commit failed.
 */
function consent_form_chained(callable $store): bool
{
    global $wpdb;
    $lock = 'consent_form_chain_' . $wpdb->prefix;
    if ((int) $wpdb->get_var($wpdb->prepare('SELECT GET_LOCK(%s, 10)', $lock)) !== 1) {
        error_log('consent-form: the hash chain is busy (no lock in 10 s)');
        return false;
    }
    $committed = false;
    try {
        $wpdb->query('START TRANSACTION');
        $committed = $store() && $wpdb->query('COMMIT') !== false;
        return $committed;
    } finally {
        if (!$committed) {
            $wpdb->query('ROLLBACK'); // also when $store threw
        }
        $wpdb->query($wpdb->prepare('SELECT RELEASE_LOCK(%s)', $lock));
    }
}

/** The last link's hash, or the hash before the first link. */
function consent_form_chain_last(): string
{
    global $wpdb;
    $chain = consent_form_tables()['chain'];
    return $wpdb->get_var("SELECT hash FROM $chain ORDER BY seq DESC LIMIT 1") ?? CONSENT_FORM_CHAIN_START; // phpcs:ignore WordPress.DB.PreparedSQL
}

/** `FROM … WHERE …` of the rows of $kind ('submission' or 'event') that have no link, as `r`. */
function consent_form_unlinked_from(string $kind): string
{
    $tables = consent_form_tables();
    return $kind === 'submission'
        ? "FROM {$tables['submissions']} r LEFT JOIN {$tables['chain']} c ON c.row_kind = 'submission' AND c.row_key = r.id WHERE c.seq IS NULL"
        // seq compared as text, so that the link's index is used.
        : "FROM {$tables['events']} r LEFT JOIN {$tables['chain']} c ON c.row_kind = 'event' AND c.row_key = CAST(r.seq AS CHAR) WHERE c.seq IS NULL";
}

/**
 * Links the row just stored ('submission' by its id, 'event' by its seq) after the head,
 * from the row as the database holds it. Inside consent_form_chained only.
 */
function consent_form_link(string $kind, string $key): bool
{
    global $wpdb;
    $tables = consent_form_tables();
    $row = $kind === 'submission'
        ? $wpdb->get_row($wpdb->prepare("SELECT * FROM {$tables['submissions']} WHERE id = %s", $key), ARRAY_A) // phpcs:ignore WordPress.DB.PreparedSQL
        : $wpdb->get_row($wpdb->prepare("SELECT * FROM {$tables['events']} WHERE seq = %d", $key), ARRAY_A); // phpcs:ignore WordPress.DB.PreparedSQL
    if (!is_array($row)) {
        return false;
    }
    $previous = consent_form_chain_last();
    return $wpdb->insert($tables['chain'], [
        'row_kind' => $kind,
        'row_key' => $key,
        'hash' => consent_form_link_hash($previous, consent_form_link_text($kind, $row)),
        'linked_at' => gmdate('Y-m-d H:i:s'),
    ]) === 1;
}

/**
 * Links every row that has no link, oldest first, 500 in a transaction: once, when the
 * chain table is made (rows stored before the plugin had it; a request cut short leaves
 * the rest to the next, which finds them unlinked). A row inserted past the plugin
 * later stays unlinked, and verifying names it.
 */
function consent_form_link_unlinked(): void
{
    global $wpdb;
    $tables = consent_form_tables();
    // Each batch starts after the last one's last row (received_at and id, or seq).
    $queries = [
        'submission' => fn (array $after) => $wpdb->prepare('SELECT r.* ' . consent_form_unlinked_from('submission') . ' AND (r.received_at > %s OR (r.received_at = %s AND r.id > %s)) ORDER BY r.received_at, r.id LIMIT 500', $after['received_at'] ?? '', $after['received_at'] ?? '', $after['id'] ?? ''), // phpcs:ignore WordPress.DB.PreparedSQL
        'event' => fn (array $after) => $wpdb->prepare('SELECT r.* ' . consent_form_unlinked_from('event') . ' AND r.seq > %d ORDER BY r.seq LIMIT 500', $after['seq'] ?? 0), // phpcs:ignore WordPress.DB.PreparedSQL
    ];
    foreach ($queries as $kind => $query) {
        $after = [];
        do {
            $rows = $wpdb->get_results($query($after), ARRAY_A) ?: []; // phpcs:ignore WordPress.DB.PreparedSQL
            $linked = $rows && consent_form_chained(function () use ($kind, $rows, $tables, $wpdb) {
                $previous = consent_form_chain_last();
                $now = gmdate('Y-m-d H:i:s');
                $values = [];
                foreach ($rows as $row) {
                    $previous = consent_form_link_hash($previous, consent_form_link_text($kind, $row));
                    $values[] = $wpdb->prepare('(%s, %s, %s, %s)', $kind, $kind === 'submission' ? $row['id'] : $row['seq'], $previous, $now);
                }
                return $wpdb->query("INSERT INTO {$tables['chain']} (row_kind, row_key, hash, linked_at) VALUES " . implode(', ', $values)) === count($rows); // phpcs:ignore WordPress.DB.PreparedSQL
            });
            $after = $rows ? end($rows) : [];
        } while ($linked && count($rows) === 500);
    }
}

/** The chain's head: ['links' => n, 'hash' => the last link's hash, or null when empty]. */
function consent_form_chain_head(): array
{
    global $wpdb;
    $links = (int) $wpdb->get_var('SELECT COUNT(*) FROM ' . consent_form_tables()['chain']); // phpcs:ignore WordPress.DB.PreparedSQL
    return ['links' => $links, 'hash' => $links > 0 ? consent_form_chain_last() : null];
}

/**
 * Recomputes the chain from the rows as they are now. The report: links, head (the last
 * stored hash), and the problems, each list naming at most CONSENT_FORM_CHAIN_NAMED
 * (with a count of all): `changed` (links whose hash is not what the row and the link
 * before give: the row, or the chain, was changed), `missing` (links whose row is gone),
 * `unlinked` (rows with no link: inserted past the plugin). With $kept, a head kept
 * elsewhere: `kept` is the link it is (its number), or 0 if no link has that hash.
 */
function consent_form_chain_verify(string $kept = ''): array
{
    global $wpdb;
    $tables = consent_form_tables();
    $report = ['links' => 0, 'head' => null, 'changed' => [], 'missing' => [], 'unlinked' => [], 'counts' => ['changed' => 0, 'missing' => 0, 'unlinked' => 0], 'kept' => null, 'first_problem' => null];
    $note = function (string $problem, string $what, int $link) use (&$report) {
        $report['counts'][$problem]++;
        if (count($report[$problem]) < CONSENT_FORM_CHAIN_NAMED) {
            $report[$problem][] = $what;
        }
        if ($link > 0 && ($report['first_problem'] === null || $link < $report['first_problem'])) {
            $report['first_problem'] = $link;
        }
    };
    $previous = CONSENT_FORM_CHAIN_START;
    $after = 0;
    do {
        $links = $wpdb->get_results($wpdb->prepare("SELECT seq, row_kind, row_key, hash FROM {$tables['chain']} WHERE seq > %d ORDER BY seq LIMIT 500", $after), ARRAY_A) ?: []; // phpcs:ignore WordPress.DB.PreparedSQL
        $rows = ['submission' => [], 'event' => []];
        foreach (['submission' => [$tables['submissions'], 'id', '%s'], 'event' => [$tables['events'], 'seq', '%d']] as $kind => [$table, $column, $format]) {
            $keys = array_column(array_filter($links, fn ($link) => $link['row_kind'] === $kind), 'row_key');
            if ($keys) {
                $in = implode(', ', array_fill(0, count($keys), $format));
                foreach ($wpdb->get_results($wpdb->prepare("SELECT * FROM $table WHERE $column IN ($in)", ...$keys), ARRAY_A) ?: [] as $row) { // phpcs:ignore WordPress.DB.PreparedSQL
                    $rows[$kind][(string) $row[$column]] = $row;
                }
            }
        }
        foreach ($links as $link) {
            $after = (int) $link['seq'];
            $report['links']++;
            $what = sprintf('%s %s (link %d)', $link['row_kind'], $link['row_key'], $link['seq']);
            $row = $rows[$link['row_kind']][$link['row_key']] ?? null;
            if ($row === null) {
                $note('missing', $what, $after);
            } elseif (!hash_equals($link['hash'], consent_form_link_hash($previous, consent_form_link_text($link['row_kind'], $row)))) {
                $note('changed', $what, $after);
            }
            if ($kept !== '' && hash_equals($link['hash'], $kept) && $report['kept'] === null) {
                $report['kept'] = $report['links'];
            }
            $previous = $link['hash'];
        }
    } while (count($links) === 500);
    $report['head'] = $report['links'] > 0 ? $previous : null;
    if ($kept !== '') {
        $report['kept'] ??= 0;
    }
    foreach (['submission' => 'r.id', 'event' => 'r.seq'] as $kind => $key_column) {
        foreach ($wpdb->get_col("SELECT $key_column " . consent_form_unlinked_from($kind)) ?: [] as $key) { // phpcs:ignore WordPress.DB.PreparedSQL
            $note('unlinked', "$kind $key", 0);
        }
    }
    return $report;
}

/** True when the report found nothing changed, removed or inserted. */
function consent_form_chain_whole(array $report): bool
{
    return array_sum($report['counts']) === 0;
}

/**
 * The daily event: when the head changed since the last e-mail, sends it to the site's
 * admin address (filter `consent_form_chain_head_to` for another, '' for none), so that a
 * copy is held outside the database. Returns the head sent, or null.
 */
function consent_form_chain_mail_head(): ?array
{
    $head = consent_form_chain_head();
    $sent = get_option('consent_form_chain_mailed');
    $to = (string) apply_filters('consent_form_chain_head_to', get_option('admin_email'));
    if ($head['hash'] === null || $to === '' || (is_array($sent) && ($sent['hash'] ?? null) === $head['hash'])) {
        return null;
    }
    $site = wp_specialchars_decode(get_bloginfo('name'), ENT_QUOTES);
    /* translators: 1: the site's name, 2: how many links */
    $subject = sprintf(__('[%1$s] Consent records: %2$d links', 'consent-form'), $site, $head['links']);
    $body = sprintf(
        /* translators: 1: the site's name, 2: how many links, 3: the head's hash, 4: a time (UTC) */
        __("The consent records of %1\$s: %2\$d links, head\n\n%3\$s\n\nat %4\$s UTC.\n\nKeep this e-mail. Paste this head into “A head you kept” above the list of submissions (Consent forms) and press Verify records: if any record linked before it was changed or removed since, or the chain rewritten, it shows. The copy in this mailbox is what the site's database cannot rewrite.", 'consent-form'),
        $site,
        $head['links'],
        $head['hash'],
        gmdate('Y-m-d H:i:s')
    );
    if (!wp_mail($to, $subject, $body)) {
        return null; // tried again tomorrow
    }
    update_option('consent_form_chain_mailed', $head + ['at' => time()], false);
    return $head;
}
