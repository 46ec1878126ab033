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
    global $wpdb;
    ['submissions' => $table] = consent_form_tables();
    $page = max(1, (int) ($_GET['paged'] ?? 1)); // phpcs:ignore WordPress.Security.NonceVerification
    $total = (int) $wpdb->get_var("SELECT COUNT(*) FROM $table"); // phpcs:ignore WordPress.DB.PreparedSQL
    $rows = $wpdb->get_results($wpdb->prepare("SELECT * FROM $table ORDER BY received_at DESC, id DESC LIMIT %d OFFSET %d", CONSENT_FORM_LIST_SIZE, ($page - 1) * CONSENT_FORM_LIST_SIZE), ARRAY_A) ?: []; // phpcs:ignore WordPress.DB.PreparedSQL
    $csv = wp_nonce_url(admin_url('admin-post.php?action=consent_form_csv'), 'consent_form_csv');
    echo '<div class="wrap"><h1 class="wp-heading-inline">' . esc_html__('Consent form submissions', 'consent-form') . '</h1> ';
    echo '<a class="page-title-action" id="consent-form-csv" href="' . esc_url($csv) . '">' . esc_html__('Download CSV', 'consent-form') . '</a>';
    echo '<p>' . esc_html(sprintf(_n('%d submission.', '%d submissions.', $total, 'consent-form'), $total)) . '</p>';
    echo '<table class="widefat striped" id="consent-form-submissions"><thead><tr>';
    foreach ([__('Received', 'consent-form'), __('Form', 'consent-form'), __('Name', 'consent-form'), __('Phone', 'consent-form'), __('E-mail', 'consent-form'), __('Consents', 'consent-form'), ''] as $heading) {
        echo '<th scope="col">' . esc_html($heading) . '</th>';
    }
    echo '</tr></thead><tbody>';
    if (!$rows) {
        echo '<tr><td colspan="7">' . esc_html__('No submissions yet.', 'consent-form') . '</td></tr>';
    }
    foreach ($rows as $row) {
        $fields = consent_form_fields($row);
        $states = consent_form_states($row, consent_form_events($row['id']));
        echo '<tr data-id="' . esc_attr($row['id']) . '">';
        echo '<td>' . esc_html(consent_form_local_time($row['received_at'])) . '</td>';
        echo '<td>' . esc_html($row['form']) . '</td>';
        if ($row['erased_at'] !== null) {
            echo '<td colspan="3"><em>' . esc_html__('Erased on request', 'consent-form') . '</em></td>';
        } else {
            foreach (['name', 'phone', 'email'] as $name) {
                echo '<td>' . esc_html((string) ($fields[$name] ?? '')) . '</td>';
            }
        }
        echo '<td>';
        foreach ($states as $purpose => $state) {
            echo '<span class="consent-form-state" data-purpose="' . esc_attr($purpose) . '" data-state="' . esc_attr($state) . '">' . esc_html("$purpose: $state") . '</span><br>';
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
    // Printing leaves WordPress's menus out.
    echo '<style>@media print{#adminmenumain,#wpadminbar,#wpfooter,.consent-form-noprint,.notice{display:none!important}#wpcontent{margin:0!important}}.consent-form-text{white-space:pre-wrap}</style>';
    echo '<p class="consent-form-noprint"><a href="' . esc_url(admin_url('admin.php?page=consent-form')) . '">' . esc_html__('← All submissions', 'consent-form') . '</a> · ' . esc_html__('Print this page with your browser (Ctrl+P) to keep a paper copy.', 'consent-form') . '</p>';
    if ($row === null) {
        echo '<h1>' . esc_html__('No submission has this id.', 'consent-form') . '</h1></div>';
        return;
    }
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
        echo '<tr><th scope="row">' . esc_html($name) . '</th><td>' . esc_html($value) . '</td></tr>';
    }
    echo '</tbody></table>';
    if ($row['erased_at'] !== null) {
        echo '<h2>' . esc_html__('Erased on request', 'consent-form') . '</h2><p>' . esc_html(sprintf(__('The personal data was erased at %s; the proof below is kept.', 'consent-form'), consent_form_time($row['erased_at']))) . '</p>';
    } else {
        echo '<h2>' . esc_html__('Fields', 'consent-form') . '</h2><table class="widefat striped"><tbody>';
        foreach (consent_form_fields($row) as $name => $value) {
            echo '<tr><th scope="row">' . esc_html((string) $name) . '</th><td>' . esc_html((string) $value) . '</td></tr>';
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
        echo '<tr data-purpose="' . esc_attr($consent['purpose']) . '"><td>' . esc_html($consent['purpose']) . '</td><td>' . esc_html($consent['granted'] ? __('given', 'consent-form') : __('refused', 'consent-form')) . '</td><td>' . esc_html($states[$consent['purpose']] ?? '') . '</td>';
        echo '<td class="consent-form-text">' . ($text === null ? '<em>' . esc_html__('erased', 'consent-form') . '</em>' : esc_html($text)) . '</td><td><code>' . esc_html($consent['text_sha256']) . '</code></td></tr>';
    }
    echo '</tbody></table>';
    if (isset($payload['guardian']['text'])) {
        echo '<h2>' . esc_html__('Parent or guardian', 'consent-form') . '</h2><p>' . esc_html($payload['guardian']['text']) . '</p><p><code>' . esc_html((string) ($payload['guardian']['text_sha256'] ?? '')) . '</code></p>';
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
            $line = sprintf(__('%1$s: personal data erased (by %2$s: %3$s)', 'consent-form'), consent_form_time($event['received_at']), $detail['by'] ?? '', $detail['reason'] ?? '');
        }
        echo '<li data-kind="' . esc_attr($event['kind']) . '">' . esc_html($line) . '</li>';
    }
    echo '</ul></div>';
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
    $header = array_merge(['id', 'received_at', 'form', 'submitted_at', 'locale'], CONSENT_FORM_FIELDS, ['consents', 'withdrawals', 'body_sha256', 'erased_at']);
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
    return $clean;
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
        'retention' => [__('Retention', 'consent-form'), __('How long the data is kept, shown in the notices, e.g. “24 tháng kể từ khi bạn gửi yêu cầu”. Empty: the form’s own wording.', 'consent-form')],
    ];
    echo '<div class="wrap"><h1>' . esc_html__('Consent form settings', 'consent-form') . '</h1>';
    settings_errors('consent_form_settings');
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
    echo '<tr><th scope="row"><label for="consent-form-locale">' . esc_html__('Language', 'consent-form') . '</label></th><td><select id="consent-form-locale" name="consent_form_settings[locale]">';
    foreach (['' => __('The site’s: English if it is in English, else Vietnamese', 'consent-form'), 'vi' => 'Tiếng Việt', 'en' => 'English'] as $value => $label) {
        echo '<option value="' . esc_attr($value) . '"' . selected($settings['locale'], $value, false) . '>' . esc_html($label) . '</option>';
    }
    echo '</select></td></tr></tbody></table>';
    submit_button();
    echo '</form></div>';
}
