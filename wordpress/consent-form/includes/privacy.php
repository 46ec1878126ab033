<?php
// WordPress's privacy tools (Tools → Export Personal Data, Erase Personal Data), keyed
// by e-mail address: the submissions whose `email` field is that address. A callback
// form has no e-mail field: those are found in the plugin's list by name or phone.

defined('ABSPATH') || exit;

const CONSENT_FORM_PAGE_SIZE = 50;

add_filter('wp_privacy_personal_data_exporters', function (array $exporters) {
    $exporters['consent-form'] = ['exporter_friendly_name' => __('Consent Form submissions', 'consent-form'), 'callback' => 'consent_form_export'];
    return $exporters;
});
add_filter('wp_privacy_personal_data_erasers', function (array $erasers) {
    $erasers['consent-form'] = ['eraser_friendly_name' => __('Consent Form submissions', 'consent-form'), 'callback' => 'consent_form_erase_by_email'];
    return $erasers;
});
add_action('admin_init', 'consent_form_privacy_policy_text');

/** The submissions sent with $email (any case), not erased, newest first: a page of them. */
function consent_form_by_email(string $email, int $page): array
{
    global $wpdb;
    ['submissions' => $table] = consent_form_tables();
    return $wpdb->get_results($wpdb->prepare(
        "SELECT * FROM $table WHERE email = %s AND erased_at IS NULL ORDER BY received_at DESC, id LIMIT %d OFFSET %d", // phpcs:ignore WordPress.DB.PreparedSQL
        $email,
        CONSENT_FORM_PAGE_SIZE,
        max(0, $page - 1) * CONSENT_FORM_PAGE_SIZE
    ), ARRAY_A) ?: [];
}

/** The exporter: each submission's fields, consents (with their exact texts) and withdrawals. */
function consent_form_export(string $email, int $page = 1): array
{
    $items = [];
    $rows = consent_form_by_email($email, $page);
    foreach ($rows as $row) {
        $payload = json_decode((string) $row['body'], true) ?: [];
        $data = [
            ['name' => __('Submission id', 'consent-form'), 'value' => $row['id']],
            ['name' => __('Received', 'consent-form'), 'value' => consent_form_time($row['received_at'])],
            ['name' => __('Form', 'consent-form'), 'value' => $row['form']],
        ];
        foreach ($payload['fields'] ?? [] as $name => $value) {
            $data[] = ['name' => (string) $name, 'value' => esc_html((string) $value)];
        }
        $states = consent_form_states($row, consent_form_events($row['id']));
        foreach ($payload['consents'] ?? [] as $consent) {
            $data[] = ['name' => sprintf(__('Consent: %s', 'consent-form'), $consent['purpose']), 'value' => esc_html(($states[$consent['purpose']] ?? '') . ' — ' . $consent['text'])];
        }
        $captcha = consent_form_captcha_words($row['captcha'] ?? null, isset($payload['captcha']));
        if ($captcha !== '') {
            $data[] = ['name' => __('Captcha', 'consent-form'), 'value' => esc_html($captcha)];
        }
        // Values are HTML: WordPress's export passes them through wp_kses, which keeps links.
        $items[] = ['group_id' => 'consent-form', 'group_label' => __('Consent Form submissions', 'consent-form'), 'item_id' => 'consent-form-' . $row['id'], 'data' => $data];
    }
    return ['data' => $items, 'done' => count($rows) < CONSENT_FORM_PAGE_SIZE];
}

/**
 * The eraser: erases each submission sent with $email (consent_form_erase), keeping
 * the proof; WordPress calls it again while `done` is false. Erased rows no longer
 * match, so every call reads the first page.
 */
function consent_form_erase_by_email(string $email, int $page = 1): array
{
    $rows = consent_form_by_email($email, 1);
    $removed = false;
    foreach ($rows as $row) {
        $removed = consent_form_erase($row['id'], 'principal', 'WordPress: Erase Personal Data') || $removed;
    }
    return [
        'items_removed' => $removed,
        'items_retained' => $removed,
        'messages' => $removed ? [__('Consent Form: the proof of consent is kept (submission id, SHA-256 of what was signed, times, each consent as given or refused with its text’s SHA-256, withdrawals).', 'consent-form')] : [],
        'done' => count($rows) < CONSENT_FORM_PAGE_SIZE,
    ];
}

/** The plugin's suggested text for the site's privacy policy (Settings → Privacy). */
function consent_form_privacy_policy_text(): void
{
    if (!function_exists('wp_add_privacy_policy_content')) {
        return;
    }
    $text = '<p class="privacy-policy-tutorial">' . esc_html__('Suggested text for the contact and callback forms of the Consent Form plugin. Say how long you keep requests, and who else receives them.', 'consent-form') . '</p>'
        . '<p><strong class="privacy-policy-tutorial">' . esc_html__('Suggested text:', 'consent-form') . ' </strong>'
        . esc_html__('When you send us a contact or callback request, we store what you typed in the form (your name, phone number, and, if you give them, your e-mail address, company, line of business and request), the consents you gave or refused with the exact wording you were shown, and when you sent it. We use it only for the purposes you agreed to. You can withdraw a consent at any time from the receipt the form shows you, or by contacting us; a withdrawal is recorded with its date. You may ask us for a copy of your data or to erase it; after erasure we keep only a proof that does not identify you: the request\'s id, a fingerprint (SHA-256) of what was sent, the times, and which consents were given or refused.', 'consent-form')
        . '</p>';
    wp_add_privacy_policy_content(__('Consent Form', 'consent-form'), wp_kses_post($text));
}
