<?php
// The owner's pages (capability manage_options): the submissions, newest first; a
// printable receipt of each; the CSV; the settings. Every value printed is escaped.

defined('ABSPATH') || exit;

const CONSENT_FORM_LIST_SIZE = 50;
const CONSENT_FORM_FIELDS = ['name', 'phone', 'email', 'company', 'industry', 'need', 'callback_date', 'callback_window', 'topic', 'guardian_name', 'guardian_phone'];

add_action('admin_menu', function () {
    add_menu_page(__('Consent forms', 'consent-form'), __('Consent forms', 'consent-form'), 'manage_options', 'consent-form', 'consent_form_page', 'dashicons-yes-alt', 80);
    add_submenu_page('consent-form', __('Submissions', 'consent-form'), __('Submissions', 'consent-form'), 'manage_options', 'consent-form', 'consent_form_page');
    add_submenu_page('consent-form', __('Consent form settings', 'consent-form'), __('Settings', 'consent-form'), 'manage_options', 'consent-form-settings', 'consent_form_settings_page');
});
add_action('admin_init', 'consent_form_register_settings');
add_action('admin_post_consent_form_csv', 'consent_form_csv');
add_action('admin_post_consent_form_erase', 'consent_form_erase_request');
add_action('wp_ajax_consent_form_verify', 'consent_form_verify_ajax');
// The receipt's styles (printing leaves WordPress's menus out) as a file, not a <style>
// element: a Content-Security-Policy without 'unsafe-inline' in style-src allows it.
add_action('admin_enqueue_scripts', function (string $hook) {
    if ($hook === 'toplevel_page_consent-form' && isset($_GET['receipt'])) { // phpcs:ignore WordPress.Security.NonceVerification -- which page, reading only
        wp_enqueue_style('consent-form-receipt', plugins_url('receipt.css', CONSENT_FORM_FILE), [], CONSENT_FORM_VERSION);
    }
});

const CONSENT_FORM_REASON_CHARS = 2000;

/**
 * $text escaped for HTML, with Unicode's bidirectional controls (embeddings, overrides,
 * isolates, marks) written as \u{…}: a right-to-left override a visitor typed would
 * otherwise show the owner other text than was sent, and reorder what follows it on
 * the line. The stored bytes are unchanged.
 */
function consent_form_shown(string $text): string
{
    static $visible = null;
    if ($visible === null) {
        $visible = [];
        foreach ([0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069] as $code) {
            $visible[html_entity_decode("&#$code;", ENT_QUOTES, 'UTF-8')] = sprintf('\u{%04x}', $code);
        }
    }
    return esc_html(strtr($text, $visible));
}

/** A submission's fields as sent (none once erased). */
function consent_form_fields(array $row): array
{
    $payload = $row['body'] === null ? null : json_decode($row['body'], true);
    return is_array($payload['fields'] ?? null) ? $payload['fields'] : [];
}

/** A UTC MySQL time in the site's time zone, for people. */
function consent_form_local_time(?string $utc): string
{
    return $utc ? wp_date('Y-m-d H:i:s T', (int) strtotime($utc . ' UTC')) : '';
}

/** A consent's state (granted, refused, withdrawn), in words. */
function consent_form_state_label(string $state): string
{
    return match ($state) {
        'granted' => __('granted', 'consent-form'),
        'refused' => __('refused', 'consent-form'),
        'withdrawn' => __('withdrawn', 'consent-form'),
        default => $state,
    };
}

/** A retention period in the owner's language: "24 months", "30 days". */
function consent_form_retention_label(array $period): string
{
    return $period['unit'] === 'days'
        ? sprintf(_n('%d day', '%d days', $period['count'], 'consent-form'), $period['count'])
        : sprintf(_n('%d month', '%d months', $period['count'], 'consent-form'), $period['count']);
}

/** Whether a submission's erasure event is the retention period's (by the controller, its reason). */
function consent_form_erased_by_retention(array $events): bool
{
    foreach ($events as $event) {
        if ($event['kind'] === 'erased') {
            $detail = json_decode((string) $event['body'], true) ?: [];
            return ($detail['by'] ?? '') === 'controller' && str_starts_with((string) ($detail['reason'] ?? ''), 'retention period: ');
        }
    }
    return false;
}

/**
 * Above the list: the retention period, and how many submissions its next run will
 * erase (counted, nothing erased), or that none is set; when it last ran.
 */
function consent_form_retention_summary(): void
{
    $period = consent_form_retention_period();
    $settings = esc_url(admin_url('admin.php?page=consent-form-settings'));
    echo '<div class="notice notice-info inline" id="consent-form-retention"';
    if ($period === null) {
        echo ' data-due="off"><p>' . esc_html__('No retention period is set: nothing is erased by itself.', 'consent-form') . ' <a href="' . $settings . '">' . esc_html__('Settings', 'consent-form') . '</a></p></div>';
        return;
    }
    $next = wp_next_scheduled(CONSENT_FORM_RETENTION_HOOK);
    // A run that is late (WP-Cron runs on page visits) runs at the next visit: now.
    $at = $next === false ? time() : max(time(), $next);
    $due = consent_form_retention_count($at, $period);
    echo ' data-due="' . esc_attr((string) $due) . '"><p>';
    echo esc_html(sprintf(__('Retention period: %s after receipt.', 'consent-form'), consent_form_retention_label($period))) . ' ';
    echo esc_html(sprintf(
        _n('The next run (%2$s) will erase %1$d submission, received on or before %3$s.', 'The next run (%2$s) will erase %1$d submissions, received on or before %3$s.', $due, 'consent-form'),
        $due,
        $next === false ? __('not scheduled: save the settings to schedule it', 'consent-form') : wp_date('Y-m-d H:i T', $at),
        wp_date('Y-m-d H:i:s T', consent_form_retention_cutoff($at, $period))
    ));
    $last = get_option('consent_form_retention_last');
    if (is_array($last) && isset($last['at'], $last['erased'])) {
        echo ' ' . esc_html(sprintf(__('Last run: %1$s, %2$d erased.', 'consent-form'), wp_date('Y-m-d H:i T', (int) $last['at']), (int) $last['erased']));
    }
    echo '</p></div>';
}

/**
 * Above the list: the hash chain's head, when it was last e-mailed, and Verify records
 * (with a nonce: it reads every record), with a head kept elsewhere if one is pasted.
 * Verifying goes in steps of a few seconds (consent_form_chain_step_limits), so that it
 * ends on a site of any size: with JavaScript the page asks for each step (admin-ajax)
 * and says how far it is in a live region; without, each step is a page with a button to
 * go on. Where a verification is between its steps is kept for its user (a transient
 * named by a random run id), not in the page: the report cannot be made up in the browser.
 */
function consent_form_chain_summary(): void
{
    $head = consent_form_chain_head();
    echo '<div class="notice notice-info inline" id="consent-form-chain" data-links="' . esc_attr((string) $head['links']) . '"><p>';
    echo esc_html(sprintf(_n('Records: the hash chain has %d link.', 'Records: the hash chain has %d links.', $head['links'], 'consent-form'), $head['links']));
    if ($head['hash'] !== null) {
        echo ' ' . esc_html__('Head:', 'consent-form') . ' <code id="consent-form-chain-head">' . esc_html($head['hash']) . '</code>';
    }
    $mailed = get_option('consent_form_chain_mailed');
    if (is_array($mailed) && isset($mailed['at'], $mailed['links'])) {
        echo ' ' . esc_html(sprintf(__('Last e-mailed: %1$s, %2$d links.', 'consent-form'), wp_date('Y-m-d H:i T', (int) $mailed['at']), (int) $mailed['links']));
    }
    if (consent_form_chain_backlog() !== null) {
        echo '</p><p id="consent-form-chain-backlog">' . esc_html__('The records stored before the hash chain are still being linked, a few seconds at a time in the background; Verify records finishes it first.', 'consent-form');
    }
    $kept = consent_form_kept_input($_GET['kept'] ?? ''); // phpcs:ignore WordPress.Security.NonceVerification -- checked below before use
    echo '</p><form method="get" action="' . esc_url(admin_url('admin.php')) . '" id="consent-form-verify" data-ajax="' . esc_url(admin_url('admin-ajax.php')) . '" data-failed="' . esc_attr__('Verifying stopped:', 'consent-form') . '" data-starting="' . esc_attr__('Verifying…', 'consent-form') . '"><p>';
    echo '<input type="hidden" name="page" value="consent-form">';
    wp_nonce_field('consent_form_verify', '_wpnonce', false);
    echo '<label for="consent-form-kept">' . esc_html__('A head you kept (optional)', 'consent-form') . '</label> ';
    echo '<input type="text" id="consent-form-kept" name="kept" size="66" maxlength="64" pattern="[0-9a-fA-F]{64}" value="' . esc_attr($kept) . '"> ';
    echo '<input type="submit" id="consent-form-verify-submit" class="button" name="verify" value="' . esc_attr__('Verify records', 'consent-form') . '"></p></form>';
    $state = null;
    $run = '';
    if (isset($_GET['verify']) && wp_verify_nonce(sanitize_text_field(wp_unslash($_GET['_wpnonce'] ?? '')), 'consent_form_verify')) {
        [$run, $state, $failed] = consent_form_verify_advance(sanitize_key(wp_unslash($_GET['run'] ?? '')), $kept);
    }
    $progress = $state === null ? ['text' => '', 'value' => 0, 'max' => 0] : consent_form_verify_progress($state);
    if (($failed ?? '') !== '') {
        /* translators: %s: the database's error */
        $progress['text'] = sprintf(__('Verifying stopped: the database answered “%s”. Continue verifying tries again.', 'consent-form'), $failed);
    }
    $going = $state !== null && $state['phase'] !== 'done';
    echo '<p><progress id="consent-form-verify-progress" max="' . esc_attr((string) max(1, $progress['max'])) . '"' . ($progress['max'] > 0 ? ' value="' . esc_attr((string) $progress['value']) . '"' : '') . ($going ? '' : ' hidden') . '></progress> ';
    echo '<span id="consent-form-verify-status" role="status">' . esc_html($progress['text']) . '</span></p>';
    if ($going) {
        // Without JavaScript: the next step when the owner asks for it (no page that
        // reloads by itself: each step is a few seconds, a site of a million records
        // needs about twenty).
        echo '<form method="get" action="' . esc_url(admin_url('admin.php')) . '" id="consent-form-verify-step"><p>';
        foreach (['page' => 'consent-form', '_wpnonce' => wp_create_nonce('consent_form_verify'), 'verify' => '1', 'run' => $run, 'kept' => $kept] as $name => $value) {
            echo '<input type="hidden" name="' . esc_attr($name) . '" value="' . esc_attr($value) . '">';
        }
        echo '<input type="submit" id="consent-form-verify-continue" class="button button-primary" value="' . esc_attr__('Continue verifying', 'consent-form') . '"></p></form>';
    }
    echo '</div>';
    if ($state !== null && !$going) {
        echo consent_form_chain_report_html($state['report']); // phpcs:ignore WordPress.Security.EscapeOutput -- escaped where it is made
    }
    // With JavaScript: every step asked for by the page, its progress said as it goes.
    // Printed through WordPress, so that a plugin setting a Content-Security-Policy can
    // give it its nonce (the filter wp_inline_script_attributes).
    wp_print_inline_script_tag(<<<'JS'
(() => {
  const form = document.getElementById('consent-form-verify');
  const button = document.getElementById('consent-form-verify-submit');
  const status = document.getElementById('consent-form-verify-status');
  const bar = document.getElementById('consent-form-verify-progress');
  if (!form || !window.fetch) return;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    button.disabled = true;
    form.setAttribute('aria-busy', 'true');
    document.getElementById('consent-form-verified')?.remove();
    document.getElementById('consent-form-verify-step')?.remove();
    const body = new FormData();
    body.set('action', 'consent_form_verify');
    body.set('_wpnonce', form.elements._wpnonce.value);
    body.set('kept', form.elements.kept.value);
    status.textContent = form.dataset.starting;
    bar.removeAttribute('value');
    bar.hidden = false;
    try {
      for (;;) {
        const response = await fetch(form.dataset.ajax, { method: 'POST', body, credentials: 'same-origin' });
        const step = await response.json().catch(() => ({ data: { message: `HTTP ${response.status}` } }));
        if (!response.ok || !step.success) throw new Error(step.data?.message ?? `HTTP ${response.status}`);
        body.set('run', step.data.run);
        if (step.data.max > 0) {
          bar.max = step.data.max;
          bar.value = step.data.value;
        } else {
          bar.removeAttribute('value');
        }
        status.textContent = step.data.progress;
        if (step.data.done) {
          bar.hidden = true;
          document.getElementById('consent-form-chain').insertAdjacentHTML('afterend', step.data.html);
          break;
        }
      }
    } catch (error) {
      bar.hidden = true;
      status.textContent = `${form.dataset.failed} ${error.message}`;
    } finally {
      button.disabled = false;
      form.removeAttribute('aria-busy');
    }
  });
})();
JS
    );
}

/** A pasted head: lowercase hex, or '' when it is not one. */
function consent_form_kept_input($typed): string
{
    $kept = is_string($typed) ? strtolower(trim(sanitize_text_field(wp_unslash($typed)))) : '';
    return preg_match('/^[0-9a-f]{64}$/', $kept) ? $kept : '';
}

/** The key of the current user's verification $run (16 hex digits; else null). */
function consent_form_verify_key(string $run): ?string
{
    return preg_match('/^[0-9a-f]{16}$/', $run) ? 'consent_form_verify_' . get_current_user_id() . '_' . $run : null;
}

/**
 * Takes the current user's verification $run one step on (a new one, of the head $kept,
 * when there is no such run) and keeps where it is for a day: [the run, its state, ''],
 * or with the database's error in place of '' when it failed a read (the run is where
 * it was: asked again, the step is tried again). A run that is done stays as it is:
 * asked again, it gives the same report.
 */
function consent_form_verify_advance(string $run, string $kept): array
{
    $key = consent_form_verify_key($run);
    $state = $key === null ? false : get_transient($key);
    if (!is_array($state)) {
        $run = bin2hex(random_bytes(8));
        $key = consent_form_verify_key($run);
        $state = consent_form_chain_verify_begin($kept);
    }
    if ($state['phase'] !== 'done') {
        try {
            $state = consent_form_chain_verify_step($state, consent_form_chain_step_limits());
        } catch (RuntimeException $failed) {
            set_transient($key, $state, DAY_IN_SECONDS);
            return [$run, $state, $failed->getMessage()];
        }
        set_transient($key, $state, DAY_IN_SECONDS);
    }
    return [$run, $state, ''];
}

/** How far a verification is: ['text' => in words, 'value' => done, 'max' => of (0: unknown)]. */
function consent_form_verify_progress(array $state): array
{
    $report = $state['report'];
    switch ($state['phase']) {
        case 'backlog':
            return ['text' => __('Linking the records stored before the hash chain first…', 'consent-form'), 'value' => 0, 'max' => 0];
        case 'links':
            $total = (int) ($state['total'] ?? 0);
            /* translators: 1: links checked so far, 2: all links */
            return ['text' => sprintf(__('Verifying: %1$d of %2$d links checked…', 'consent-form'), $report['links'], $total), 'value' => $report['links'], 'max' => $total];
        case 'unlinked':
            /* translators: 1: all links, 2: records looked at so far, 3: all records */
            return ['text' => sprintf(__('Verifying: all %1$d links checked; looking for records without a link: %2$d of %3$d…', 'consent-form'), $report['links'], $state['rows'], $state['rows_total']), 'value' => $state['rows'], 'max' => (int) $state['rows_total']];
        default:
            return ['text' => consent_form_chain_verdict($report), 'value' => 1, 'max' => 1];
    }
}

/** A report's verdict in one sentence. */
function consent_form_chain_verdict(array $report): string
{
    return consent_form_chain_whole($report)
        ? sprintf(_n('Verified: %d link; no record was changed, removed or inserted past the plugin.', 'Verified: %d links; no record was changed, removed or inserted past the plugin.', $report['links'], 'consent-form'), $report['links'])
        : sprintf(_n('Not whole: %d link checked.', 'Not whole: %d links checked.', $report['links'], 'consent-form'), $report['links']);
}

/** A verification's report, for the owner's page (HTML, escaped). */
function consent_form_chain_report_html(array $report): string
{
    $whole = consent_form_chain_whole($report);
    $html = '<div class="notice ' . ($whole ? 'notice-success' : 'notice-error') . ' inline" id="consent-form-verified" data-whole="' . ($whole ? 'yes' : 'no') . '">';
    if ($whole) {
        $html .= '<p>' . esc_html(consent_form_chain_verdict($report)) . '</p>';
    } else {
        $html .= '<p><strong>' . esc_html(consent_form_chain_verdict($report)) . '</strong></p><ul>';
        foreach ([
            'changed' => __('Changed (the record or the chain was altered after it was stored): %d', 'consent-form'),
            'missing' => __('Removed (linked, no longer in the table): %d', 'consent-form'),
            'unlinked' => __('Not linked (inserted past the plugin): %d', 'consent-form'),
        ] as $problem => $label) {
            if ($report['counts'][$problem] > 0) {
                $html .= '<li data-problem="' . esc_attr($problem) . '">' . esc_html(sprintf($label, $report['counts'][$problem])) . ': <code>' . esc_html(implode(', ', $report[$problem])) . '</code></li>';
            }
        }
        $html .= '</ul>';
    }
    if ($report['kept'] === 0) {
        $html .= '<p data-kept="0">' . esc_html__('No link has the head you kept: the chain was rewritten after it, or the head is from another site.', 'consent-form') . '</p>';
    } elseif ($report['kept'] !== null) {
        $sound = $report['first_problem'] === null || $report['first_problem'] > $report['kept'];
        $html .= '<p data-kept="' . esc_attr((string) $report['kept']) . '">' . esc_html(sprintf(
            $sound ? __('The head you kept is link %d: nothing linked up to it was changed or removed since.', 'consent-form')
                : __('The head you kept is link %d, but links up to it do not verify.', 'consent-form'),
            $report['kept']
        )) . '</p>';
    }
    return $html . '</div>';
}

/** admin-ajax `consent_form_verify`: one step of a verification, as JSON (the page's script). */
function consent_form_verify_ajax(): void
{
    if (!current_user_can('manage_options')) {
        wp_send_json_error(['message' => __('Sorry, you are not allowed to see consent records.', 'consent-form')], 403);
    }
    if (!check_ajax_referer('consent_form_verify', '_wpnonce', false)) {
        wp_send_json_error(['message' => __('This page has expired: reload it and verify again.', 'consent-form')], 403);
    }
    [$run, $state, $failed] = consent_form_verify_advance(sanitize_key(wp_unslash($_POST['run'] ?? '')), consent_form_kept_input($_POST['kept'] ?? ''));
    if ($failed !== '') {
        /* translators: %s: the database's error */
        wp_send_json_error(['message' => sprintf(__('the database answered “%s”. Verify records starts again.', 'consent-form'), $failed)], 500);
    }
    $progress = consent_form_verify_progress($state);
    $done = $state['phase'] === 'done';
    wp_send_json_success(['run' => $run, 'done' => $done, 'progress' => $progress['text'], 'value' => $progress['value'], 'max' => $progress['max'], 'html' => $done ? consent_form_chain_report_html($state['report']) : '']);
}

/** The submissions page, or one submission's receipt. */
function consent_form_page(): void
{
    if (!current_user_can('manage_options')) {
        wp_die(esc_html__('Sorry, you are not allowed to see consent records.', 'consent-form'), 403);
    }
    $id = isset($_GET['receipt']) ? sanitize_text_field(wp_unslash($_GET['receipt'])) : ''; // phpcs:ignore WordPress.Security.NonceVerification -- reading only
    if ($id !== '') {
        consent_form_receipt($id);
        return;
    }
    $page = max(1, (int) ($_GET['paged'] ?? 1)); // phpcs:ignore WordPress.Security.NonceVerification
    $typed = isset($_GET['s']) && is_string($_GET['s']) ? trim(sanitize_text_field(wp_unslash($_GET['s']))) : ''; // phpcs:ignore WordPress.Security.NonceVerification -- a search, reading only
    $terms = $typed === '' ? null : consent_form_search_terms($typed);
    ['rows' => $rows, 'total' => $total] = $typed !== '' && $terms === null
        ? ['rows' => [], 'total' => 0]
        : consent_form_list($terms, CONSENT_FORM_LIST_SIZE, ($page - 1) * CONSENT_FORM_LIST_SIZE);
    $csv = wp_nonce_url(admin_url('admin-post.php?action=consent_form_csv'), 'consent_form_csv');
    echo '<div class="wrap"><h1 class="wp-heading-inline">' . esc_html__('Consent form submissions', 'consent-form') . '</h1> ';
    echo '<a class="page-title-action" id="consent-form-csv" href="' . esc_url($csv) . '">' . esc_html__('Download CSV', 'consent-form') . '</a>';
    echo '<hr class="wp-header-end">';
    consent_form_retention_summary();
    consent_form_chain_summary();
    // Until the phone columns of an update from version 1 are filled, a search by phone
    // cannot find the submissions not filled yet: said above the search, and with its result.
    $unfilled = consent_form_phones_left();
    if ($unfilled > 0) {
        echo '<div class="notice notice-warning inline" id="consent-form-phones" data-left="' . esc_attr((string) $unfilled) . '"><p>' . esc_html(sprintf(
            /* translators: %d: how many submissions */
            _n('%d older submission is still being prepared for the search by phone, a few seconds at a time in the background: until then, a search by phone may miss it (a search by e-mail does not).', '%d older submissions are still being prepared for the search by phone, a few seconds at a time in the background: until then, a search by phone may miss them (a search by e-mail does not).', $unfilled, 'consent-form'),
            $unfilled
        )) . '</p></div>';
    }
    $incomplete = $unfilled > 0 && isset($terms['phones']);
    // The search: GET, as WordPress's own lists; by phone (typed any usual way) or e-mail.
    echo '<form method="get" action="' . esc_url(admin_url('admin.php')) . '" id="consent-form-search"><input type="hidden" name="page" value="consent-form"><p class="search-box">';
    echo '<label for="consent-form-search-input">' . esc_html__('Phone or e-mail', 'consent-form') . '</label> ';
    echo '<input type="search" id="consent-form-search-input" name="s" maxlength="254" value="' . esc_attr($typed) . '" placeholder="' . esc_attr__('0902 666 984 or name@example.vn', 'consent-form') . '"> ';
    echo '<input type="submit" id="consent-form-search-submit" class="button" value="' . esc_attr__('Search submissions', 'consent-form') . '"></p></form>';
    if ($typed !== '') {
        if ($terms === null) {
            echo '<div class="notice notice-warning inline" id="consent-form-search-notice"><p>' . esc_html(sprintf(__('“%s” is neither a Vietnamese phone number nor an e-mail address: type a phone number (e.g. 0902 666 984 or +84 902 666 984) or a whole e-mail address.', 'consent-form'), $typed)) . '</p></div>';
        } else {
            $looked = $terms['email'] ?? implode(' ', $terms['phones']);
            echo '<p id="consent-form-search-result">' . esc_html(sprintf(_n('%1$d submission with %2$s.', '%1$d submissions with %2$s.', $total, 'consent-form'), $total, $looked));
            if ($incomplete) {
                /* translators: %d: how many submissions */
                echo ' <strong>' . esc_html(sprintf(_n('Not searched yet: %d older submission (still being prepared for the search by phone).', 'Not searched yet: %d older submissions (still being prepared for the search by phone).', $unfilled, 'consent-form'), $unfilled)) . '</strong>';
            }
            echo ' <a href="' . esc_url(admin_url('admin.php?page=consent-form')) . '">' . esc_html__('All submissions', 'consent-form') . '</a></p>';
        }
    }
    if ($typed === '') {
        echo '<p>' . esc_html(sprintf(_n('%d submission.', '%d submissions.', $total, 'consent-form'), $total)) . '</p>';
    }
    echo '<table class="widefat striped" id="consent-form-submissions"><thead><tr>';
    foreach ([__('Received', 'consent-form'), __('Form', 'consent-form'), __('Name', 'consent-form'), __('Phone', 'consent-form'), __('E-mail', 'consent-form'), __('Consents', 'consent-form'), ''] as $heading) {
        echo '<th scope="col">' . esc_html($heading) . '</th>';
    }
    echo '</tr></thead><tbody>';
    if (!$rows) {
        $none = match (true) {
            $typed === '' => __('No submissions yet.', 'consent-form'),
            $incomplete => __('None found so far: the older submissions still being prepared for the search by phone were not searched. Search again later.', 'consent-form'),
            default => __('No submission found.', 'consent-form'),
        };
        echo '<tr><td colspan="7">' . esc_html($none) . '</td></tr>';
    }
    foreach ($rows as $row) {
        $fields = consent_form_fields($row);
        $events = consent_form_events($row['id']);
        $states = consent_form_states($row, $events);
        echo '<tr data-id="' . esc_attr($row['id']) . '">';
        echo '<td>' . esc_html(consent_form_local_time($row['received_at'])) . '</td>';
        echo '<td>' . esc_html($row['form']) . '</td>';
        if ($row['erased_at'] !== null) {
            echo '<td colspan="3"><em>' . esc_html(consent_form_erased_by_retention($events) ? __('Erased: retention period over', 'consent-form') : __('Erased on request', 'consent-form')) . '</em></td>';
        } else {
            foreach (['name', 'phone', 'email'] as $name) {
                echo '<td>' . consent_form_shown((string) ($fields[$name] ?? '')) . '</td>';
            }
        }
        echo '<td>';
        foreach ($states as $purpose => $state) {
            echo '<span class="consent-form-state" data-purpose="' . esc_attr($purpose) . '" data-state="' . esc_attr($state) . '">' . esc_html($purpose . ': ' . consent_form_state_label($state)) . '</span><br>';
        }
        echo '</td><td><a href="' . esc_url(add_query_arg(['page' => 'consent-form', 'receipt' => $row['id']], admin_url('admin.php'))) . '">' . esc_html__('Receipt', 'consent-form') . '</a></td></tr>';
    }
    echo '</tbody></table>';
    $pages = (int) ceil($total / CONSENT_FORM_LIST_SIZE);
    if ($pages > 1) {
        echo '<p>' . wp_kses_post(paginate_links(['base' => add_query_arg('paged', '%#%'), 'format' => '', 'current' => $page, 'total' => $pages])) . '</p>';
    }
    echo '</div>';
}

/** One submission's printable receipt: what was agreed to, word for word, and what happened since. */
function consent_form_receipt(string $id): void
{
    $row = consent_form_submission($id);
    echo '<div class="wrap consent-form-receipt">';
    echo '<p class="consent-form-noprint"><a href="' . esc_url(admin_url('admin.php?page=consent-form')) . '">' . esc_html__('← All submissions', 'consent-form') . '</a> · ' . esc_html__('Print this page with your browser (Ctrl+P) to keep a paper copy.', 'consent-form') . '</p>';
    if ($row === null) {
        echo '<h1>' . esc_html__('No submission has this id.', 'consent-form') . '</h1></div>';
        return;
    }
    consent_form_erase_notice($row);
    $payload = $row['body'] === null ? [] : (json_decode($row['body'], true) ?: []);
    $events = consent_form_events($id);
    $states = consent_form_states($row, $events);
    $kept = json_decode($row['consents'], true) ?: [];
    echo '<h1>' . esc_html__('Consent receipt', 'consent-form') . '</h1><table class="widefat striped"><tbody>';
    $facts = [
        __('Submission id', 'consent-form') => $row['id'],
        __('Form', 'consent-form') => $row['form'],
        __('Sent (visitor’s clock)', 'consent-form') => $row['submitted_at'],
        __('Received', 'consent-form') => consent_form_time($row['received_at']),
        __('Signature time', 'consent-form') => $row['webhook_timestamp'] === '' ? '' : gmdate('c', (int) $row['webhook_timestamp']),
        __('Language', 'consent-form') => $row['locale'],
        __('SHA-256 of the signed body', 'consent-form') => $row['body_sha256'],
        __('Controller', 'consent-form') => (string) ($payload['consents'][0]['record']['processing']['controllers'][0]['name'] ?? ''),
        __('Privacy policy', 'consent-form') => trim(($kept[0]['policy_url'] ?? '') . ' ' . ($kept[0]['policy_version'] ?? '')),
    ];
    foreach ($facts as $name => $value) {
        echo '<tr><th scope="row">' . esc_html($name) . '</th><td>' . consent_form_shown($value) . '</td></tr>';
    }
    // The captcha check's outcome, if one was made (or a token was sent unchecked).
    $captcha = consent_form_captcha_words($row['captcha'] ?? null, isset($payload['captcha']));
    if ($captcha !== '') {
        $outcome = json_decode((string) ($row['captcha'] ?? ''), true);
        echo '<tr id="consent-form-captcha" data-outcome="' . esc_attr((string) ($outcome['outcome'] ?? '')) . '"><th scope="row">' . esc_html__('Captcha', 'consent-form') . '</th><td>' . consent_form_shown($captcha) . '</td></tr>';
    }
    if ($row['erased_at'] === null) {
        $period = consent_form_retention_period();
        $due = $period === null ? null : consent_form_retention_due((int) strtotime($row['received_at'] . ' UTC'), $period);
        echo '<tr id="consent-form-due" data-due="' . esc_attr($due === null ? '' : gmdate('c', $due)) . '"><th scope="row">' . esc_html__('Due for erasure', 'consent-form') . '</th><td>';
        echo esc_html($due === null
            ? __('never by itself: no retention period is set', 'consent-form')
            : sprintf(__('%1$s (%2$s after receipt; the first daily run from then erases it)', 'consent-form'), gmdate('c', $due), consent_form_retention_label($period)));
        echo '</td></tr>';
    }
    echo '</tbody></table>';
    if ($row['erased_at'] !== null) {
        $erasure = [];
        foreach ($events as $event) {
            if ($event['kind'] === 'erased') {
                $erasure = json_decode((string) $event['body'], true) ?: [];
            }
        }
        echo '<h2>' . esc_html(consent_form_erased_by_retention($events) ? __('Erased: retention period over', 'consent-form') : __('Erased on request', 'consent-form')) . '</h2><p>' . esc_html(sprintf(__('The personal data was erased at %s; the proof below is kept.', 'consent-form'), consent_form_time($row['erased_at']))) . '</p>';
        echo '<table class="widefat striped" id="consent-form-erasure" data-by="' . esc_attr((string) ($erasure['by'] ?? '')) . '"><tbody>';
        echo '<tr><th scope="row">' . esc_html__('Erased at', 'consent-form') . '</th><td>' . esc_html(consent_form_time($row['erased_at'])) . '</td></tr>';
        echo '<tr><th scope="row">' . esc_html__('Why', 'consent-form') . '</th><td>' . esc_html(consent_form_erased_by((string) ($erasure['by'] ?? ''))) . '</td></tr>';
        echo '<tr><th scope="row">' . esc_html__('Reason given', 'consent-form') . '</th><td class="consent-form-text">' . esc_html((string) ($erasure['reason'] ?? '')) . '</td></tr>';
        echo '</tbody></table>';
    } else {
        echo '<h2>' . esc_html__('Fields', 'consent-form') . '</h2><table class="widefat striped"><tbody>';
        foreach (consent_form_fields($row) as $name => $value) {
            echo '<tr><th scope="row">' . esc_html((string) $name) . '</th><td>' . consent_form_shown((string) $value) . '</td></tr>';
        }
        echo '</tbody></table>';
    }
    echo '<h2>' . esc_html__('Consents', 'consent-form') . '</h2><table class="widefat striped"><thead><tr><th>' . esc_html__('Purpose', 'consent-form') . '</th><th>' . esc_html__('As sent', 'consent-form') . '</th><th>' . esc_html__('Now', 'consent-form') . '</th><th>' . esc_html__('Exact text shown', 'consent-form') . '</th><th>SHA-256</th></tr></thead><tbody>';
    $texts = [];
    foreach ($payload['consents'] ?? [] as $consent) {
        $texts[$consent['purpose']] = $consent['text'];
    }
    foreach ($kept as $consent) {
        $text = $texts[$consent['purpose']] ?? null;
        echo '<tr data-purpose="' . esc_attr($consent['purpose']) . '"><td>' . esc_html($consent['purpose']) . '</td><td>' . esc_html($consent['granted'] ? __('given', 'consent-form') : __('refused', 'consent-form')) . '</td><td>' . esc_html(consent_form_state_label($states[$consent['purpose']] ?? '')) . '</td>';
        echo '<td class="consent-form-text">' . ($text === null ? '<em>' . esc_html__('erased', 'consent-form') . '</em>' : consent_form_shown($text)) . '</td><td><code>' . esc_html($consent['text_sha256']) . '</code></td></tr>';
    }
    echo '</tbody></table>';
    if (isset($payload['guardian']['text'])) {
        echo '<h2>' . esc_html__('Parent or guardian', 'consent-form') . '</h2><p>' . consent_form_shown((string) $payload['guardian']['text']) . '</p><p><code>' . esc_html((string) ($payload['guardian']['text_sha256'] ?? '')) . '</code></p>';
    }
    echo '<h2>' . esc_html__('Since', 'consent-form') . '</h2>';
    if (!$events) {
        echo '<p>' . esc_html__('Nothing: no consent withdrawn.', 'consent-form') . '</p>';
    }
    echo '<ul>';
    foreach ($events as $event) {
        $detail = json_decode((string) $event['body'], true) ?: [];
        if ($event['kind'] === 'withdrawn') {
            $line = sprintf(__('%1$s: the visitor withdrew “%2$s” (confirmed at %3$s on their clock; message %4$s). Question confirmed: %5$s (SHA-256 %6$s)', 'consent-form'),
                consent_form_time($event['received_at']), $event['purpose'], $detail['withdrawn_at'] ?? '', $event['webhook_id'], $detail['text'] ?? '', $detail['text_sha256'] ?? '');
        } else {
            $line = sprintf(__('%1$s: personal data erased, %2$s. Reason: %3$s', 'consent-form'), consent_form_time($event['received_at']), consent_form_erased_by((string) ($detail['by'] ?? '')), $detail['reason'] ?? '');
        }
        echo '<li data-kind="' . esc_attr($event['kind']) . '">' . consent_form_shown($line) . '</li>';
    }
    echo '</ul>';
    if ($row['erased_at'] === null) {
        consent_form_erase_form($row['id']);
    }
    echo '</div>';
}

/** After an Erase: what happened, or why nothing did. */
function consent_form_erase_notice(array $row): void
{
    $erased = isset($_GET['erased']) && is_string($_GET['erased']) ? $_GET['erased'] : ''; // phpcs:ignore WordPress.Security.NonceVerification -- a message, reading only
    $error = isset($_GET['erase_error']) && is_string($_GET['erase_error']) ? $_GET['erase_error'] : ''; // phpcs:ignore WordPress.Security.NonceVerification
    $messages = [
        'now' => ['success', __('The personal data was erased; the proof is kept.', 'consent-form')],
        'before' => ['info', sprintf(__('Nothing changed: this submission’s personal data had already been erased, at %s.', 'consent-form'), consent_form_time($row['erased_at']))],
    ];
    $errors = [
        'by' => __('Nothing erased: say who decided it (the person asked, or the controller).', 'consent-form'),
        'reason' => __('Nothing erased: give the reason.', 'consent-form'),
        'long' => sprintf(__('Nothing erased: the reason may have at most %d characters.', 'consent-form'), CONSENT_FORM_REASON_CHARS),
        'confirm' => __('Nothing erased: tick the box to confirm that it cannot be undone.', 'consent-form'),
    ];
    if (isset($messages[$erased]) && $row['erased_at'] !== null) {
        [$type, $text] = $messages[$erased];
    } elseif (isset($errors[$error])) {
        [$type, $text] = ['error', $errors[$error]];
    } else {
        return;
    }
    echo '<div class="notice notice-' . esc_attr($type) . '" id="consent-form-notice" data-notice="' . esc_attr($erased !== '' ? $erased : $error) . '"><p>' . esc_html($text) . '</p></div>';
}

/** Who decided an erasure, in words ('principal': the person asked; 'controller': the controller decided). */
function consent_form_erased_by(string $by): string
{
    return match ($by) {
        'principal' => __('at the request of the person concerned', 'consent-form'),
        'controller' => __('by decision of the controller', 'consent-form'),
        default => $by,
    };
}

/** The receipt's Erase form: who asked, why, and a confirmation; posted to admin-post.php with a nonce. */
function consent_form_erase_form(string $id): void
{
    echo '<div class="consent-form-noprint" id="consent-form-erase"><h2>' . esc_html__('Erase the personal data', 'consent-form') . '</h2>';
    echo '<div class="notice notice-warning inline"><p>' . esc_html__('Erasing deletes, for good, everything this person typed (name, phone, e-mail, every field) and the exact texts they were shown. It cannot be undone. Kept as proof: the submission id, the SHA-256 of what was signed, the times, each consent as given or refused with its text’s SHA-256, the withdrawals, and this erasure with its reason.', 'consent-form') . '</p></div>';
    echo '<form method="post" action="' . esc_url(admin_url('admin-post.php')) . '">';
    echo '<input type="hidden" name="action" value="consent_form_erase"><input type="hidden" name="id" value="' . esc_attr($id) . '">';
    wp_nonce_field('consent_form_erase_' . $id);
    echo '<fieldset><legend>' . esc_html__('Why erase it', 'consent-form') . '</legend>';
    foreach (['principal' => __('The person asked for it', 'consent-form'), 'controller' => __('We decided it (the controller)', 'consent-form')] as $value => $label) {
        echo '<p><label><input type="radio" name="by" required value="' . esc_attr($value) . '"> ' . esc_html($label) . '</label></p>';
    }
    echo '</fieldset>';
    echo '<p><label for="consent-form-erase-reason">' . esc_html(sprintf(__('Reason (required, up to %d characters; kept with the proof, so do not write personal data in it):', 'consent-form'), CONSENT_FORM_REASON_CHARS)) . '</label><br>';
    echo '<textarea id="consent-form-erase-reason" name="reason" rows="3" cols="60" required maxlength="' . esc_attr((string) CONSENT_FORM_REASON_CHARS) . '"></textarea></p>';
    echo '<p><label><input type="checkbox" name="confirm" value="1" required> ' . esc_html__('I understand that this cannot be undone.', 'consent-form') . '</label></p>';
    submit_button(__('Erase personal data', 'consent-form'), 'delete', 'consent-form-erase-submit', false);
    echo '</form></div>';
}

/** A string sent in the POST body ('' if absent or not a string), unslashed. */
function consent_form_posted(string $name): string
{
    $value = $_POST[$name] ?? ''; // phpcs:ignore WordPress.Security.NonceVerification -- checked by the caller
    return is_string($value) ? wp_unslash($value) : '';
}

/**
 * admin-post.php?action=consent_form_erase (POST, from the receipt): erases one
 * submission's personal data with consent_form_erase, keeping the proof; back to the
 * receipt with what happened. 403 without the capability or the nonce.
 */
function consent_form_erase_request(): void
{
    if (!current_user_can('manage_options')) {
        wp_die(esc_html__('Sorry, you are not allowed to erase consent records.', 'consent-form'), 403);
    }
    $id = consent_form_posted('id');
    check_admin_referer('consent_form_erase_' . $id);
    $row = consent_form_submission($id);
    if ($row === null) {
        wp_die(esc_html__('No submission has this id.', 'consent-form'), 404);
    }
    $back = fn (array $args) => add_query_arg(['page' => 'consent-form', 'receipt' => rawurlencode($id)] + $args, admin_url('admin.php'));
    // The reason as typed, in valid UTF-8, with its line breaks and no other control characters.
    $reason = trim((string) preg_replace('/[\x00-\x09\x0B-\x1F\x7F]/u', '', str_replace("\r\n", "\n", wp_check_invalid_utf8(consent_form_posted('reason')))));
    $by = consent_form_posted('by');
    $problem = match (true) {
        $row['erased_at'] !== null => null,
        !in_array($by, ['principal', 'controller'], true) => 'by',
        $reason === '' => 'reason',
        mb_strlen($reason, 'UTF-8') > CONSENT_FORM_REASON_CHARS => 'long',
        consent_form_posted('confirm') !== '1' => 'confirm',
        default => null,
    };
    if ($problem !== null) {
        wp_safe_redirect($back(['erase_error' => $problem]), 303);
        exit;
    }
    $now = $row['erased_at'] === null && consent_form_erase($id, $by, $reason);
    wp_safe_redirect($back(['erased' => $now ? 'now' : 'before']), 303);
    exit;
}

/**
 * One CSV cell: quoted when needed, and defused when a spreadsheet would read it as a
 * formula (=, @, +, -, tab, CR at the start get a leading '), except a plain signed
 * number such as an E.164 phone — as the reference receiver's CSV.
 */
function consent_form_csv_cell(string $value): string
{
    $plainNumber = preg_match('/^[+-][0-9]+$/', $value) === 1;
    if (!$plainNumber && preg_match('/^[=@+\-\t\r]/', $value)) {
        $value = "'" . $value;
    }
    if (preg_match('/[,"\r\n]|^ | $/', $value)) {
        $value = '"' . str_replace('"', '""', $value) . '"';
    }
    return $value;
}

/** admin-post.php?action=consent_form_csv: every submission, one row each, newest first. */
function consent_form_csv(): void
{
    if (!current_user_can('manage_options')) {
        wp_die(esc_html__('Sorry, you are not allowed to export consent records.', 'consent-form'), 403);
    }
    check_admin_referer('consent_form_csv');
    global $wpdb;
    ['submissions' => $table] = consent_form_tables();
    nocache_headers();
    header('Content-Type: text/csv; charset=utf-8');
    header('Content-Disposition: attachment; filename="consent-form-' . gmdate('Y-m-d') . '.csv"');
    echo "\xEF\xBB\xBF"; // so that spreadsheets read UTF-8 (Vietnamese) as such
    $header = array_merge(['id', 'received_at', 'form', 'submitted_at', 'locale'], CONSENT_FORM_FIELDS, ['consents', 'withdrawals', 'captcha', 'body_sha256', 'erased_at']);
    echo implode(',', $header) . "\r\n";
    for ($offset = 0; ; $offset += 500) {
        $rows = $wpdb->get_results($wpdb->prepare("SELECT * FROM $table ORDER BY received_at DESC, id DESC LIMIT 500 OFFSET %d", $offset), ARRAY_A); // phpcs:ignore WordPress.DB.PreparedSQL
        if (!$rows) {
            break;
        }
        foreach ($rows as $row) {
            $fields = consent_form_fields($row);
            $events = consent_form_events($row['id']);
            $states = consent_form_states($row, $events);
            $withdrawals = [];
            foreach ($events as $event) {
                if ($event['kind'] === 'withdrawn') {
                    $withdrawals[] = $event['purpose'] . '=' . consent_form_time($event['received_at']);
                }
            }
            $cells = [$row['id'], consent_form_time($row['received_at']), $row['form'], $row['submitted_at'], $row['locale']];
            foreach (CONSENT_FORM_FIELDS as $name) {
                $cells[] = (string) ($fields[$name] ?? '');
            }
            $cells[] = implode(';', array_map(fn ($p, $s) => "$p=$s", array_keys($states), $states));
            $cells[] = implode(';', $withdrawals);
            $cells[] = (string) (json_decode((string) ($row['captcha'] ?? ''), true)['outcome'] ?? ''); // passed, expired, or none
            $cells[] = $row['body_sha256'];
            $cells[] = consent_form_time($row['erased_at']);
            echo implode(',', array_map('consent_form_csv_cell', $cells)) . "\r\n";
        }
    }
    exit;
}

function consent_form_register_settings(): void
{
    register_setting('consent_form', 'consent_form_settings', ['type' => 'array', 'sanitize_callback' => 'consent_form_sanitize_settings', 'default' => []]);
}

/** The settings as typed, trimmed; a URL that is not one, or a locale not vi or en, is refused with a message. */
function consent_form_sanitize_settings($input): array
{
    $input = is_array($input) ? $input : [];
    $clean = [];
    foreach (['controller', 'controller_contact', 'policy_version', 'retention'] as $name) {
        $clean[$name] = sanitize_text_field(wp_unslash((string) ($input[$name] ?? '')));
    }
    $url = trim(wp_unslash((string) ($input['policy_url'] ?? '')));
    $clean['policy_url'] = $url === '' ? '' : esc_url_raw($url, ['http', 'https']);
    if ($url !== '' && $clean['policy_url'] === '') {
        add_settings_error('consent_form_settings', 'policy_url', __('The privacy policy URL must start with http:// or https://; it was not saved.', 'consent-form'));
    }
    $locale = (string) ($input['locale'] ?? '');
    $clean['locale'] = in_array($locale, ['vi', 'en'], true) ? $locale : '';
    return $clean + consent_form_sanitize_retention($input) + consent_form_sanitize_captcha($input);
}

/**
 * The captcha settings as typed. The secret is never shown back: an empty field keeps
 * the one saved, "remove" removes it, one that cannot be a secret key is refused with a
 * message (which does not repeat it). The siteverify URL: empty for Turnstile's, else
 * an http(s) URL.
 */
function consent_form_sanitize_captcha(array $input): array
{
    $before = consent_form_settings();
    $typed = is_string($input['captcha_secret'] ?? null) ? trim(wp_unslash($input['captcha_secret'])) : '';
    if (!empty($input['captcha_secret_remove'])) {
        $secret = '';
    } elseif ($typed === '') {
        $secret = (string) $before['captcha_secret'];
    } elseif (ConsentForm\captcha_secret_ok($typed)) {
        $secret = $typed;
    } else {
        add_settings_error('consent_form_settings', 'captcha_secret', esc_html__('The captcha secret key must be 1 to 1024 printable ASCII characters without spaces; it was not saved, the one saved before stays.', 'consent-form'));
        $secret = (string) $before['captcha_secret'];
    }
    $url = is_string($input['captcha_verify_url'] ?? null) ? trim(wp_unslash($input['captcha_verify_url'])) : '';
    if ($url !== '' && !ConsentForm\captcha_verify_url_ok($url)) {
        add_settings_error('consent_form_settings', 'captcha_verify_url', esc_html__('The siteverify URL must start with https:// (or http://); it was not saved.', 'consent-form'));
        $url = (string) $before['captcha_verify_url'];
    }
    return ['captcha_secret' => $secret, 'captcha_verify_url' => $url];
}

/**
 * The retention period as typed: empty or 0 is off; else a whole number of months (1 to
 * 1200) or days (1 to 36525). Anything else is refused with a message and the period
 * saved before is kept.
 */
function consent_form_sanitize_retention(array $input): array
{
    $unit = is_string($input['retention_unit'] ?? null) ? $input['retention_unit'] : 'months';
    $unit = isset(CONSENT_FORM_RETENTION_MAX[$unit]) ? $unit : 'months';
    $typed = is_scalar($input['retention_count'] ?? null) ? trim(wp_unslash((string) $input['retention_count'])) : '';
    if ($typed === '' || $typed === '0') {
        return ['retention_count' => 0, 'retention_unit' => $unit];
    }
    if (preg_match('/^[0-9]{1,6}$/', $typed) === 1 && (int) $typed >= 1 && (int) $typed <= CONSENT_FORM_RETENTION_MAX[$unit]) {
        return ['retention_count' => (int) $typed, 'retention_unit' => $unit];
    }
    // settings_errors() prints the message as HTML: escaped here.
    add_settings_error('consent_form_settings', 'retention_count', esc_html(sprintf(
        __('The retention period must be a whole number of months (1 to %1$d) or days (1 to %2$d), or empty for none; “%3$s” was not saved, the period stays as it was.', 'consent-form'),
        CONSENT_FORM_RETENTION_MAX['months'],
        CONSENT_FORM_RETENTION_MAX['days'],
        wp_check_invalid_utf8(mb_substr($typed, 0, 40, 'UTF-8'))
    )));
    $before = consent_form_settings();
    return ['retention_count' => (int) $before['retention_count'], 'retention_unit' => (string) $before['retention_unit']];
}

/** A warning when the period enforced and the retention text the visitor reads do not go together. */
function consent_form_retention_warning(array $settings): void
{
    $period = consent_form_retention_period();
    $text = trim((string) $settings['retention']);
    if ($period !== null && $text === '') {
        $warning = sprintf(__('A retention period is set (%s after receipt) but the retention text is empty: the notices show the form’s own wording, which names no period. Write the period in the Retention text, e.g. “tối đa 24 tháng kể từ khi nhận, hoặc đến khi bạn yêu cầu xóa”.', 'consent-form'), consent_form_retention_label($period));
    } elseif ($period === null && $text !== '') {
        $warning = __('The notices promise a retention (the Retention text) but no retention period is set: nothing is erased by itself. Set the period the text promises.', 'consent-form');
    } else {
        return;
    }
    echo '<div class="notice notice-warning inline" id="consent-form-retention-warning"><p>' . esc_html($warning) . '</p></div>';
}

/** The captcha rows of the settings page: the secret never shown, only whether one is set, and where. */
function consent_form_captcha_settings(array $settings): void
{
    $config = consent_form_captcha_config();
    echo '<tr><th scope="row"><label for="consent-form-captcha-secret">' . esc_html__('Captcha secret key', 'consent-form') . '</label></th><td id="consent-form-captcha-state" data-from="' . esc_attr($config['from'] ?? '') . '">';
    if (($config['from'] ?? '') === 'constant') {
        echo '<p>' . esc_html__('Set in wp-config.php (CONSENT_FORM_CAPTCHA_SECRET), which wins over this page.', 'consent-form') . '</p>';
    } else {
        echo '<input class="regular-text" type="password" autocomplete="new-password" id="consent-form-captcha-secret" name="consent_form_settings[captcha_secret]" value=""> ';
        if ($config !== null) {
            echo '<label><input type="checkbox" id="consent-form-captcha-secret-remove" name="consent_form_settings[captcha_secret_remove]" value="1"> ' . esc_html__('Remove the secret (stop verifying)', 'consent-form') . '</label>';
        }
        echo '<p>' . esc_html($config === null ? __('Not set: captcha tokens are not verified.', 'consent-form') : __('Set (not shown). Leave the field empty to keep it.', 'consent-form')) . '</p>';
    }
    if (isset($config['problem'])) {
        echo '<div class="notice notice-error inline"><p>' . esc_html__('The captcha secret key or siteverify URL cannot be used: every submission is answered “try again later” until it is fixed.', 'consent-form') . '</p></div>';
    }
    echo '<p class="description">' . esc_html__('The captcha provider’s secret key (Cloudflare Turnstile, hCaptcha or reCAPTCHA). Set, each new submission’s captcha token (given by the page’s captcha hook) is verified with the provider before it is stored; without a token it is refused. You may instead define CONSENT_FORM_CAPTCHA_SECRET in wp-config.php.', 'consent-form') . '</p></td></tr>';
    $urlConstant = consent_form_captcha_constant('CONSENT_FORM_CAPTCHA_VERIFY_URL');
    echo '<tr><th scope="row"><label for="consent-form-captcha-verify-url">' . esc_html__('Captcha siteverify URL', 'consent-form') . '</label></th><td>';
    echo '<input class="regular-text" type="url" id="consent-form-captcha-verify-url" name="consent_form_settings[captcha_verify_url]" value="' . esc_attr($urlConstant ?? $settings['captcha_verify_url']) . '"' . ($urlConstant !== null ? ' disabled' : '') . '>';
    echo '<p class="description">' . esc_html(sprintf(__('Empty: Cloudflare Turnstile’s (%s). hCaptcha: https://api.hcaptcha.com/siteverify; reCAPTCHA: https://www.google.com/recaptcha/api/siteverify. CONSENT_FORM_CAPTCHA_VERIFY_URL in wp-config.php wins.', 'consent-form'), ConsentForm\TURNSTILE_VERIFY_URL)) . '</p></td></tr>';
}

function consent_form_settings_page(): void
{
    if (!current_user_can('manage_options')) {
        wp_die(esc_html__('Sorry, you are not allowed to change these settings.', 'consent-form'), 403);
    }
    $settings = consent_form_settings();
    $rows = [
        'controller' => [__('Controller', 'consent-form'), sprintf(__('The organisation that controls the data, named in every notice. Empty: the site’s name (%s).', 'consent-form'), wp_specialchars_decode(get_bloginfo('name'), ENT_QUOTES))],
        'controller_contact' => [__('Controller contact', 'consent-form'), __('How to reach you about one’s data: an e-mail address, a phone number or a page.', 'consent-form')],
        'policy_url' => [__('Privacy policy URL', 'consent-form'), sprintf(__('Empty: WordPress’s privacy policy page (%s).', 'consent-form'), get_privacy_policy_url() ?: __('none published yet: publish one under Settings → Privacy', 'consent-form'))],
        'policy_version' => [__('Privacy policy version', 'consent-form'), __('Recorded with each consent, e.g. 2026-01.', 'consent-form')],
        'retention' => [__('Retention text', 'consent-form'), __('How long the data is kept, shown in the notices, e.g. “24 tháng kể từ khi bạn gửi yêu cầu”. Empty: the form’s own wording. The plugin does not read it: set the Retention period below to erase what the text promises.', 'consent-form')],
    ];
    echo '<div class="wrap"><h1>' . esc_html__('Consent form settings', 'consent-form') . '</h1>';
    settings_errors('consent_form_settings');
    consent_form_retention_warning($settings);
    echo '<p>' . esc_html__('Put the form on a page with the shortcode [consent_form kind="contact"] or [consent_form kind="callback"]; its attributes (controller, policy_url, policy_version, locale, minors) override these settings.', 'consent-form') . '</p>';
    echo '<form method="post" action="options.php">';
    settings_fields('consent_form');
    echo '<table class="form-table" role="presentation"><tbody>';
    foreach ($rows as $name => [$label, $help]) {
        $id = 'consent-form-' . str_replace('_', '-', $name);
        echo '<tr><th scope="row"><label for="' . esc_attr($id) . '">' . esc_html($label) . '</label></th><td>';
        echo '<input class="regular-text" type="' . ($name === 'policy_url' ? 'url' : 'text') . '" id="' . esc_attr($id) . '" name="consent_form_settings[' . esc_attr($name) . ']" value="' . esc_attr($settings[$name]) . '">';
        echo '<p class="description">' . esc_html($help) . '</p></td></tr>';
    }
    // The period the plugin enforces: a number and its unit; empty is off.
    echo '<tr><th scope="row"><label for="consent-form-retention-count">' . esc_html__('Retention period', 'consent-form') . '</label></th><td>';
    echo '<input class="small-text" type="text" inputmode="numeric" id="consent-form-retention-count" name="consent_form_settings[retention_count]" value="' . esc_attr($settings['retention_count'] ? (string) $settings['retention_count'] : '') . '"> ';
    echo '<select id="consent-form-retention-unit" name="consent_form_settings[retention_unit]" aria-label="' . esc_attr__('Unit', 'consent-form') . '">';
    foreach (['months' => __('months after receipt', 'consent-form'), 'days' => __('days after receipt', 'consent-form')] as $value => $label) {
        echo '<option value="' . esc_attr($value) . '"' . selected($settings['retention_unit'], $value, false) . '>' . esc_html($label) . '</option>';
    }
    echo '</select><p class="description">' . esc_html__('Each submission is erased (its personal data; the proof is kept) once it was received longer ago than this, by a daily task, as the controller. Months are calendar months: received on 10 March, 24 months → due on 10 March two years later; received on 31 March, 1 month → due on 1 May (April has no 31st). Empty: nothing is erased by itself.', 'consent-form') . '</p></td></tr>';
    echo '<tr><th scope="row"><label for="consent-form-locale">' . esc_html__('Language', 'consent-form') . '</label></th><td><select id="consent-form-locale" name="consent_form_settings[locale]">';
    foreach (['' => __('The site’s: English if it is in English, else Vietnamese', 'consent-form'), 'vi' => 'Tiếng Việt', 'en' => 'English'] as $value => $label) {
        echo '<option value="' . esc_attr($value) . '"' . selected($settings['locale'], $value, false) . '>' . esc_html($label) . '</option>';
    }
    echo '</select></td></tr>';
    consent_form_captcha_settings($settings);
    echo '</tbody></table>';
    submit_button();
    echo '</form></div>';
}
