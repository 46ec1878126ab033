<?php
// The hash chain over the consent records (database version 3): each submission and each
// event (withdrawal, erasure) gets a link in `…_consent_form_chain` in the transaction
// that stores it, SHA-256 of the previous link's hash and what the plugin never changes
// in the row (for a submission: its id, times, form, locale, the SHA-256 of the signed
// bytes, the signature, the consents as given and the captcha check's outcome; an
// erasure leaves all of these).
// Verifying recomputes every link from the rows as they are now: a row changed, removed
// or inserted past the plugin shows. Anyone with the database's password can still
// rewrite the whole chain after a row; a head kept elsewhere — the daily e-mail to the
// site's admin address — pins everything linked before it.
//
// The recipe, for checking without WordPress (docs/wordpress.md, "The hash chain"):
//   hash(link n) = hex(SHA-256(hash(link n-1) . "\n" . text(row)))   (link 0: 64 zeros)
//   text(submission) = "submission\n" . id \n received_at \n form \n submitted_at \n
//                      locale \n body_sha256 \n webhook_timestamp \n webhook_signature \n consents
//                      [\n captcha, only when it is not NULL: rows without one as before it]
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

/**
 * Schedules the daily e-mail of the head if it is not, and the linking of an update's
 * rows if some are left and it is not (the plugin was deactivated meanwhile).
 */
function consent_form_chain_schedule(): void
{
    if (!wp_next_scheduled(CONSENT_FORM_CHAIN_HOOK)) {
        wp_schedule_event(time(), 'daily', CONSENT_FORM_CHAIN_HOOK);
    }
    if (get_option(CONSENT_FORM_CHAIN_BACKLOG) && !wp_next_scheduled(CONSENT_FORM_CHAIN_LINK_HOOK)) {
        wp_schedule_single_event(time(), CONSENT_FORM_CHAIN_LINK_HOOK);
    }
}

/** What a row's link covers ('submission' or 'event' and the row as stored). */
function consent_form_link_text(string $kind, array $row): string
{
    $values = $kind === 'submission'
        ? ['submission', $row['id'], $row['received_at'], $row['form'], $row['submitted_at'], $row['locale'], $row['body_sha256'], $row['webhook_timestamp'], $row['webhook_signature'], $row['consents'], ...(isset($row['captcha']) ? [$row['captcha']] : [])]
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
 * per site ($name: another lock, for other work done one at a time). False, with nothing
 * stored, if the lock, $store or the commit failed.
 */
function consent_form_chained(callable $store, string $name = 'chain'): bool
{
    global $wpdb;
    $lock = 'consent_form_' . $name . '_' . $wpdb->prefix;
    if ((int) $wpdb->get_var($wpdb->prepare('SELECT GET_LOCK(%s, 10)', $lock)) !== 1) {
        error_log("consent-form: the $name lock is busy (none in 10 s)");
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
 * What one step of the work on the chain may take (verifying, linking the rows stored
 * before it): `seconds`, and `records` (links checked, rows looked at or linked; 0 for
 * no limit). Filter `consent_form_chain_step`; the default, 5 s, keeps a step well within
 * PHP's usual 30 s and a proxy's 60 s.
 */
function consent_form_chain_step_limits(): array
{
    return consent_form_step_limits('consent_form_chain_step');
}

/** A step's limits as the filter $filter gives them (consent_form_chain_step_limits). */
function consent_form_step_limits(string $filter): array
{
    $limits = apply_filters($filter, ['seconds' => 5.0, 'records' => 0]);
    return ['seconds' => max(0.1, (float) ($limits['seconds'] ?? 5.0)), 'records' => max(0, (int) ($limits['records'] ?? 0))];
}

/** A step's budget from $limits: the time it ends at and the records it may take. */
function consent_form_chain_budget(array $limits): array
{
    $records = ($limits['records'] ?? 0) ?: PHP_INT_MAX;
    return ['until' => microtime(true) + ($limits['seconds'] ?? INF), 'records' => $records, 'allowed' => $records];
}

/**
 * How many records $budget still allows: 0 once its time is up, but never before the
 * step took its first batch (each batch takes at least one record off), so that every
 * step gets on, however short its time or slow the database.
 */
function consent_form_chain_left(array $budget): int
{
    return $budget['records'] === $budget['allowed'] || microtime(true) < $budget['until'] ? max(0, $budget['records']) : 0;
}

/** The option that holds, while rows stored before the chain are still being linked, where linking goes on. */
const CONSENT_FORM_CHAIN_BACKLOG = 'consent_form_chain_backlog';
/** The event that goes on linking them, in steps. */
const CONSENT_FORM_CHAIN_LINK_HOOK = 'consent_form_chain_link';

add_action(CONSENT_FORM_CHAIN_LINK_HOOK, fn () => consent_form_link_unlinked(consent_form_chain_step_limits()));
register_deactivation_hook(CONSENT_FORM_FILE, fn () => wp_clear_scheduled_hook(CONSENT_FORM_CHAIN_LINK_HOOK));

/**
 * When the chain table is made: every row already stored is to be linked, oldest first
 * (submissions by received_at and id, then events by seq). Links what one step allows
 * now; the rest goes on in the event (and Verify records finishes it first).
 */
function consent_form_chain_backlog_begin(): void
{
    update_option(CONSENT_FORM_CHAIN_BACKLOG, ['kind' => 'submission', 'after' => []], false);
    // Scheduled first: a request cut short still leaves the rest to the event.
    if (!wp_next_scheduled(CONSENT_FORM_CHAIN_LINK_HOOK)) {
        wp_schedule_single_event(time(), CONSENT_FORM_CHAIN_LINK_HOOK);
    }
    consent_form_link_unlinked(consent_form_chain_step_limits());
}

/** Where linking goes on, read from the database itself (not a cache): null when nothing is left. */
function consent_form_chain_backlog(): ?array
{
    global $wpdb;
    $value = $wpdb->get_var($wpdb->prepare("SELECT option_value FROM {$wpdb->options} WHERE option_name = %s", CONSENT_FORM_CHAIN_BACKLOG));
    $backlog = $value === null ? null : maybe_unserialize($value);
    return is_array($backlog) && in_array($backlog['kind'] ?? null, ['submission', 'event'], true) ? $backlog : null;
}

/**
 * Links the rows of the backlog (consent_form_chain_backlog_begin) that have no link,
 * 500 in a transaction that also moves the backlog on, within $limits (none: to the end).
 * True when nothing is left (the backlog is removed); otherwise the event is scheduled to
 * go on. A row inserted past the plugin after the backlog is done stays unlinked, and
 * verifying names it.
 */
function consent_form_link_unlinked(array $limits = []): bool
{
    global $wpdb;
    $tables = consent_form_tables();
    // Each batch starts after the last one's last row (received_at and id, or seq).
    $queries = [
        'submission' => fn (array $after, int $size) => $wpdb->prepare('SELECT r.* ' . consent_form_unlinked_from('submission') . ' AND (r.received_at > %s OR (r.received_at = %s AND r.id > %s)) ORDER BY r.received_at, r.id LIMIT %d', $after['received_at'] ?? '', $after['received_at'] ?? '', $after['id'] ?? '', $size), // phpcs:ignore WordPress.DB.PreparedSQL
        'event' => fn (array $after, int $size) => $wpdb->prepare('SELECT r.* ' . consent_form_unlinked_from('event') . ' AND r.seq > %d ORDER BY r.seq LIMIT %d', $after['seq'] ?? 0, $size), // phpcs:ignore WordPress.DB.PreparedSQL
    ];
    $budget = consent_form_chain_budget($limits);
    $finished = false;
    while (!$finished && ($size = min(500, consent_form_chain_left($budget))) > 0) {
        $linked = 0;
        // The backlog is read and moved on under the chain's lock, in the transaction
        // that links: two requests going on at once link each row once.
        $stored = consent_form_chained(function () use ($queries, $size, $tables, $wpdb, &$finished, &$linked) {
            $backlog = consent_form_chain_backlog();
            if ($backlog === null) {
                return $finished = true;
            }
            $kind = $backlog['kind'];
            $rows = $wpdb->get_results($queries[$kind]((array) $backlog['after'], $size), ARRAY_A) ?: []; // phpcs:ignore WordPress.DB.PreparedSQL
            if ($wpdb->last_error !== '') {
                return false; // not read is not none left
            }
            if ($rows) {
                $previous = consent_form_chain_last();
                $now = gmdate('Y-m-d H:i:s');
                $values = [];
                foreach ($rows as $row) {
                    $previous = consent_form_link_hash($previous, consent_form_link_text($kind, $row));
                    $values[] = $wpdb->prepare('(%s, %s, %s, %s)', $kind, $kind === 'submission' ? $row['id'] : $row['seq'], $previous, $now);
                }
                if ($wpdb->query("INSERT INTO {$tables['chain']} (row_kind, row_key, hash, linked_at) VALUES " . implode(', ', $values)) !== count($rows)) { // phpcs:ignore WordPress.DB.PreparedSQL
                    return false;
                }
            }
            $linked = count($rows);
            $last = $rows ? end($rows) : [];
            $next = count($rows) === $size
                ? ['kind' => $kind, 'after' => $kind === 'submission' ? ['received_at' => $last['received_at'], 'id' => $last['id']] : ['seq' => $last['seq']]]
                : ($kind === 'submission' ? ['kind' => 'event', 'after' => []] : null);
            $moved = $next === null
                ? $wpdb->delete($wpdb->options, ['option_name' => CONSENT_FORM_CHAIN_BACKLOG])
                : $wpdb->update($wpdb->options, ['option_value' => maybe_serialize($next)], ['option_name' => CONSENT_FORM_CHAIN_BACKLOG]);
            $finished = $next === null;
            return $moved !== false;
        });
        wp_cache_delete(CONSENT_FORM_CHAIN_BACKLOG, 'options');
        if (!$stored) {
            $finished = false;
            break; // the lock or the database failed: the event tries again
        }
        $budget['records'] -= max(1, $linked);
    }
    if ($finished) {
        wp_clear_scheduled_hook(CONSENT_FORM_CHAIN_LINK_HOOK);
    } elseif (!wp_next_scheduled(CONSENT_FORM_CHAIN_LINK_HOOK)) {
        wp_schedule_single_event(time(), CONSENT_FORM_CHAIN_LINK_HOOK);
    }
    return $finished;
}

/** The chain's head: ['links' => n, 'hash' => the last link's hash, or null when empty]. */
function consent_form_chain_head(): array
{
    global $wpdb;
    $links = (int) $wpdb->get_var('SELECT COUNT(*) FROM ' . consent_form_tables()['chain']); // phpcs:ignore WordPress.DB.PreparedSQL
    return ['links' => $links, 'hash' => $links > 0 ? consent_form_chain_last() : null];
}

/**
 * Recomputes the chain from the rows as they are now, to the end (in one request: for
 * the tests and small sites; the owner's page goes step by step). The report: links,
 * head (the last stored hash), and the problems, each list naming at most
 * CONSENT_FORM_CHAIN_NAMED (with a count of all): `changed` (links whose hash is not what
 * the row and the link before give: the row, or the chain, was changed), `missing` (links
 * whose row is gone), `unlinked` (rows with no link: inserted past the plugin). With
 * $kept, a head kept elsewhere: `kept` is the link it is (its number), or 0 if no link
 * has that hash; `first_problem` the first link changed or missing.
 */
function consent_form_chain_verify(string $kept = ''): array
{
    $state = consent_form_chain_verify_begin($kept);
    while ($state['phase'] !== 'done') {
        $state = consent_form_chain_verify_step($state, []);
    }
    return $state['report'];
}

/**
 * A verification begun (consent_form_chain_verify_step takes it on): what the steps carry
 * from one to the next — the phase (`backlog`: linking the rows stored before the chain
 * first; `links`: the links up to the last one there is now, by seq; `unlinked`: the
 * rows without a link; `done`), where it is, the hash before, the counts, the report.
 */
function consent_form_chain_verify_begin(string $kept = ''): array
{
    $state = [
        'phase' => 'backlog',
        'kept_hash' => $kept,
        'after' => 0, 'end' => null, 'total' => null,
        'kind' => 'submission', 'row_after' => '', 'rows' => 0, 'rows_total' => null,
        'previous' => CONSENT_FORM_CHAIN_START,
        'report' => ['links' => 0, 'head' => null, 'changed' => [], 'missing' => [], 'unlinked' => [], 'counts' => ['changed' => 0, 'missing' => 0, 'unlinked' => 0], 'kept' => null, 'first_problem' => null],
    ];
    return consent_form_chain_backlog() === null ? array_merge($state, consent_form_chain_verify_links()) : $state;
}

/**
 * Throws when the query just made failed: a verification must not take what it could
 * not read for what is not there (the step is then not taken; asked again, it is).
 */
function consent_form_chain_read_check(): void
{
    global $wpdb;
    if ($wpdb->last_error !== '') {
        throw new RuntimeException($wpdb->last_error);
    }
}

/**
 * What a verification's state becomes at the links: up to the last link there is now
 * (what is linked while verifying goes on is for the next verification), how many.
 */
function consent_form_chain_verify_links(): array
{
    global $wpdb;
    $chain = consent_form_tables()['chain'];
    $end = (int) $wpdb->get_var("SELECT COALESCE(MAX(seq), 0) FROM $chain"); // phpcs:ignore WordPress.DB.PreparedSQL
    consent_form_chain_read_check();
    $total = (int) $wpdb->get_var($wpdb->prepare("SELECT COUNT(*) FROM $chain WHERE seq <= %d", $end)); // phpcs:ignore WordPress.DB.PreparedSQL
    consent_form_chain_read_check();
    return ['phase' => 'links', 'end' => $end, 'total' => $total];
}

/**
 * One step of a verification ($state from consent_form_chain_verify_begin or the step
 * before), within $limits (consent_form_chain_step_limits(); none: to the end): the state
 * after it. At most 500 links and their rows are in memory at once. Throws
 * RuntimeException when the database fails a read.
 */
function consent_form_chain_verify_step(array $state, array $limits): array
{
    global $wpdb;
    $tables = consent_form_tables();
    $budget = consent_form_chain_budget($limits);
    $report = &$state['report'];
    $note = function (string $problem, string $what, int $link) use (&$report) {
        $report['counts'][$problem]++;
        if (count($report[$problem]) < CONSENT_FORM_CHAIN_NAMED) {
            $report[$problem][] = $what;
        }
        if ($link > 0 && ($report['first_problem'] === null || $link < $report['first_problem'])) {
            $report['first_problem'] = $link;
        }
    };
    while ($state['phase'] !== 'done' && consent_form_chain_left($budget) > 0) {
        if ($state['phase'] === 'backlog') {
            // The rows stored before the chain are linked first: else they would be named
            // as inserted past the plugin.
            $left = consent_form_chain_left($budget);
            $done = consent_form_link_unlinked(['seconds' => $budget['until'] - microtime(true), 'records' => $left]);
            $budget['records'] -= $left;
            if ($done) {
                foreach (consent_form_chain_verify_links() as $name => $value) {
                    $state[$name] = $value; // not $state itself: $report refers into it
                }
            }
            continue;
        }
        if ($state['phase'] === 'links') {
            $size = min(500, consent_form_chain_left($budget));
            $links = $wpdb->get_results($wpdb->prepare("SELECT seq, row_kind, row_key, hash FROM {$tables['chain']} WHERE seq > %d AND seq <= %d ORDER BY seq LIMIT %d", $state['after'], $state['end'], $size), ARRAY_A) ?: []; // phpcs:ignore WordPress.DB.PreparedSQL
            consent_form_chain_read_check();
            // The rows of these links, each table read once; a submission's body is not
            // in its link (its SHA-256 is), an event's is.
            $rows = ['submission' => [], 'event' => []];
            foreach (['submission' => [$tables['submissions'], 'id', '%s', 'id, received_at, form, submitted_at, locale, body_sha256, webhook_timestamp, webhook_signature, consents, captcha'], 'event' => [$tables['events'], 'seq', '%d', '*']] as $kind => [$table, $column, $format, $columns]) {
                $keys = array_column(array_filter($links, fn ($link) => $link['row_kind'] === $kind), 'row_key');
                if ($keys) {
                    $in = implode(', ', array_fill(0, count($keys), $format));
                    $found = $wpdb->get_results($wpdb->prepare("SELECT $columns FROM $table WHERE $column IN ($in)", ...$keys), ARRAY_A) ?: []; // phpcs:ignore WordPress.DB.PreparedSQL
                    consent_form_chain_read_check();
                    foreach ($found as $row) {
                        $rows[$kind][(string) $row[$column]] = $row;
                    }
                }
            }
            foreach ($links as $link) {
                $state['after'] = (int) $link['seq'];
                $report['links']++;
                $what = sprintf('%s %s (link %d)', $link['row_kind'], $link['row_key'], $link['seq']);
                $row = $rows[$link['row_kind']][$link['row_key']] ?? null;
                if ($row === null) {
                    $note('missing', $what, $state['after']);
                } elseif (!hash_equals($link['hash'], consent_form_link_hash($state['previous'], consent_form_link_text($link['row_kind'], $row)))) {
                    $note('changed', $what, $state['after']);
                }
                if ($state['kept_hash'] !== '' && $report['kept'] === null && hash_equals($link['hash'], $state['kept_hash'])) {
                    $report['kept'] = $report['links'];
                }
                $state['previous'] = $link['hash'];
            }
            $budget['records'] -= max(1, count($links));
            if (count($links) < $size) {
                $report['head'] = $report['links'] > 0 ? $state['previous'] : null;
                $state['phase'] = 'unlinked';
            }
            continue;
        }
        // 'unlinked': the rows of each table in key order, 5,000 at most at a time, each
        // looked up in the chain; only the keys are read.
        if ($state['rows_total'] === null) {
            $rows_total = 0;
            foreach (['submissions', 'events'] as $table) {
                $rows_total += (int) $wpdb->get_var("SELECT COUNT(*) FROM {$tables[$table]}"); // phpcs:ignore WordPress.DB.PreparedSQL
                consent_form_chain_read_check();
            }
            $state['rows_total'] = $rows_total;
        }
        $size = min(5000, consent_form_chain_left($budget));
        $chunk = $state['kind'] === 'submission'
            ? $wpdb->prepare("SELECT r.id AS row_key, c.seq IS NULL AS unlinked FROM (SELECT id FROM {$tables['submissions']} WHERE id > %s ORDER BY id LIMIT %d) r LEFT JOIN {$tables['chain']} c ON c.row_kind = 'submission' AND c.row_key = r.id ORDER BY r.id", $state['row_after'], $size) // phpcs:ignore WordPress.DB.PreparedSQL
            : $wpdb->prepare("SELECT r.seq AS row_key, c.seq IS NULL AS unlinked FROM (SELECT seq FROM {$tables['events']} WHERE seq > %d ORDER BY seq LIMIT %d) r LEFT JOIN {$tables['chain']} c ON c.row_kind = 'event' AND c.row_key = CAST(r.seq AS CHAR) ORDER BY r.seq", (int) $state['row_after'], $size); // phpcs:ignore WordPress.DB.PreparedSQL
        $found = $wpdb->get_results($chunk, ARRAY_A) ?: []; // phpcs:ignore WordPress.DB.PreparedSQL
        consent_form_chain_read_check();
        foreach ($found as $row) {
            $state['row_after'] = $row['row_key'];
            if ((int) $row['unlinked'] === 1) {
                $note('unlinked', "{$state['kind']} {$row['row_key']}", 0);
            }
        }
        $state['rows'] += count($found);
        $budget['records'] -= max(1, count($found));
        if (count($found) < $size) {
            if ($state['kind'] === 'submission') {
                $state['kind'] = 'event';
                $state['row_after'] = 0;
            } else {
                if ($state['kept_hash'] !== '') {
                    $report['kept'] ??= 0;
                }
                $state['phase'] = 'done';
            }
        }
    }
    unset($report);
    return $state;
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
