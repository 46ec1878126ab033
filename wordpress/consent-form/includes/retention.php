<?php
// The retention period (Consent forms → Settings; off by default): each submission is
// erased, with consent_form_erase() as the controller, once it was received longer
// ago than the period. A daily WP-Cron event does it (scheduled on activation and when
// the settings are saved, removed on deactivation), oldest first, in batches; a run
// that has more to do than fits in CONSENT_FORM_RETENTION_SECONDS schedules the rest a
// minute later.
//
// The rule, in UTC (received_at is UTC): a submission received at r is due at
// consent_form_retention_due(r): r plus the days, or r plus the calendar months on the
// same day and time — or, when that month has no such day (received 31 March, 1 month:
// no 31 April), at 00:00 on the 1st of the month after (1 May). A run at `now` erases
// exactly those whose due time is not after `now` (received_at <= the cutoff).

defined('ABSPATH') || exit;

const CONSENT_FORM_RETENTION_HOOK = 'consent_form_retention';
/** Submissions read and erased at a time. */
const CONSENT_FORM_RETENTION_BATCH = 100;
/** A run stops starting new batches after this long, and leaves the rest to the next. */
const CONSENT_FORM_RETENTION_SECONDS = 20;
/** The longest periods accepted: 100 years. */
const CONSENT_FORM_RETENTION_MAX = ['days' => 36525, 'months' => 1200];

add_action(CONSENT_FORM_RETENTION_HOOK, 'consent_form_retention_run');
register_activation_hook(CONSENT_FORM_FILE, 'consent_form_retention_schedule');
register_deactivation_hook(CONSENT_FORM_FILE, function () {
    wp_clear_scheduled_hook(CONSENT_FORM_RETENTION_HOOK);
    wp_clear_scheduled_hook(CONSENT_FORM_RETENTION_HOOK, ['continued']);
});
add_action('add_option_consent_form_settings', 'consent_form_retention_schedule');
add_action('update_option_consent_form_settings', 'consent_form_retention_schedule');
// A site that updated the plugin (no activation then) gets the event at the owner's next visit.
add_action('admin_init', 'consent_form_retention_schedule');

/** The period set: ['count' => n, 'unit' => 'days'|'months'], or null when off. */
function consent_form_retention_period(): ?array
{
    $settings = consent_form_settings();
    $count = (int) $settings['retention_count'];
    $unit = (string) $settings['retention_unit'];
    if ($count < 1 || !isset(CONSENT_FORM_RETENTION_MAX[$unit]) || $count > CONSENT_FORM_RETENTION_MAX[$unit]) {
        return null;
    }
    return ['count' => $count, 'unit' => $unit];
}

/** The period in words, in English as the erasure's reason has it: "24 months", "1 day". */
function consent_form_retention_words(array $period): string
{
    $unit = $period['count'] === 1 ? rtrim($period['unit'], 's') : $period['unit'];
    return $period['count'] . ' ' . $unit;
}

/** The reason the erasure gives (kept with the proof). */
function consent_form_retention_reason(array $period): string
{
    return 'retention period: ' . consent_form_retention_words($period) . ' after receipt';
}

function consent_form_days_in_month(int $year, int $month): int
{
    return (int) gmdate('t', gmmktime(0, 0, 0, $month, 1, $year));
}

/** When a submission received at $received (Unix time) is due for erasure. */
function consent_form_retention_due(int $received, array $period): int
{
    if ($period['unit'] === 'days') {
        return $received + $period['count'] * DAY_IN_SECONDS;
    }
    [$y, $m, $d, $h, $i, $s] = array_map('intval', explode(' ', gmdate('Y n j G i s', $received)));
    $months = $y * 12 + ($m - 1) + $period['count'];
    [$y, $m] = [intdiv($months, 12), $months % 12 + 1];
    if ($d > consent_form_days_in_month($y, $m)) {
        return gmmktime(0, 0, 0, $m + 1, 1, $y); // no such day: the 1st of the month after
    }
    return gmmktime($h, $i, $s, $m, $d, $y);
}

/**
 * The latest receipt time (Unix time) that is due at $now: a submission received at or
 * before it is due (consent_form_retention_due(r) <= $now exactly when r <= this).
 */
function consent_form_retention_cutoff(int $now, array $period): int
{
    if ($period['unit'] === 'days') {
        return $now - $period['count'] * DAY_IN_SECONDS;
    }
    [$y, $m, $d, $h, $i, $s] = array_map('intval', explode(' ', gmdate('Y n j G i s', $now)));
    $months = $y * 12 + ($m - 1) - $period['count'];
    [$y, $m] = [intdiv($months, 12), $months % 12 + 1];
    $last = consent_form_days_in_month($y, $m);
    if ($d > $last) {
        // Everything received in that shorter month was due by the end of its day $last + 1.
        return gmmktime(23, 59, 59, $m, $last, $y);
    }
    return gmmktime($h, $i, $s, $m, $d, $y);
}

/** A page of the submissions due at $now, not erased, oldest first: [{id, received_at}]. */
function consent_form_retention_due_rows(int $now, array $period, int $limit): array
{
    global $wpdb;
    ['submissions' => $table] = consent_form_tables();
    return $wpdb->get_results($wpdb->prepare(
        "SELECT id, received_at FROM $table WHERE erased_at IS NULL AND received_at <= %s ORDER BY received_at, id LIMIT %d", // phpcs:ignore WordPress.DB.PreparedSQL
        gmdate('Y-m-d H:i:s', consent_form_retention_cutoff($now, $period)),
        $limit
    ), ARRAY_A) ?: [];
}

/** How many submissions not erased are due at $now (the dry run: nothing is erased). */
function consent_form_retention_count(int $now, array $period): int
{
    global $wpdb;
    ['submissions' => $table] = consent_form_tables();
    return (int) $wpdb->get_var($wpdb->prepare(
        "SELECT COUNT(*) FROM $table WHERE erased_at IS NULL AND received_at <= %s", // phpcs:ignore WordPress.DB.PreparedSQL
        gmdate('Y-m-d H:i:s', consent_form_retention_cutoff($now, $period))
    ));
}

/** Schedules the daily run if it is not (it does nothing while the period is off). */
function consent_form_retention_schedule(): void
{
    if (!wp_next_scheduled(CONSENT_FORM_RETENTION_HOOK)) {
        wp_schedule_event(time(), 'daily', CONSENT_FORM_RETENTION_HOOK);
    }
}

/**
 * The cron event's callback: erases, oldest first, every submission due now, by the
 * controller, with the reason naming the rule. Stops starting batches after
 * CONSENT_FORM_RETENTION_SECONDS and schedules the rest a minute later. Records what it
 * did in the option consent_form_retention_last ({at, erased, left}); returns it.
 */
function consent_form_retention_run(): array
{
    $period = consent_form_retention_period();
    $now = time();
    $done = ['at' => $now, 'erased' => 0, 'left' => 0, 'period' => $period];
    if ($period === null) {
        update_option('consent_form_retention_last', $done, false);
        return $done;
    }
    $reason = consent_form_retention_reason($period);
    $start = microtime(true);
    // Filterable for a host whose requests may last less (or more) than that.
    $seconds = (float) apply_filters('consent_form_retention_seconds', CONSENT_FORM_RETENTION_SECONDS);
    do {
        $rows = consent_form_retention_due_rows($now, $period, CONSENT_FORM_RETENTION_BATCH);
        $erased = 0;
        foreach ($rows as $row) {
            // False: erased meanwhile (by the owner, or another run), or the database
            // failed: nothing to do now.
            if (consent_form_erase($row['id'], 'controller', $reason)) {
                $erased++;
            }
        }
        $done['erased'] += $erased;
        // A batch of which nothing could be erased would come back the same: stop.
    } while (count($rows) === CONSENT_FORM_RETENTION_BATCH && $erased > 0 && microtime(true) - $start < $seconds);
    if (count($rows) === CONSENT_FORM_RETENTION_BATCH) {
        $done['left'] = consent_form_retention_count($now, $period);
        if ($done['left'] > 0) {
            // With an argument: WP-Cron refuses a second event of the same hook and
            // arguments within 10 minutes of another (the daily one, when it is late).
            wp_schedule_single_event(time() + MINUTE_IN_SECONDS, CONSENT_FORM_RETENTION_HOOK, ['continued']);
        }
    }
    update_option('consent_form_retention_last', $done, false);
    return $done;
}
