<?php
/**
 * Plugin Name:       Consent Form
 * Description:       A contact and callback form with a separate consent per purpose, each submission signed and stored once as proof (Decree 13/2023/ND-CP, the 2025 Personal Data Protection Law). Shortcode: [consent_form kind="contact"].
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      8.2
 * License:           MIT
 * Text Domain:       consent-form
 * Domain Path:       /languages
 */

defined('ABSPATH') || exit;

const CONSENT_FORM_VERSION = '0.1.0';
const CONSENT_FORM_FILE = __FILE__;

// The checks and the answers are the project's www/php/lib (one copy for both PHP hosts):
// scripts/wordpress-plugin copies them into lib/ for the zip; in a checkout, they are
// read where they are.
require_once is_file(__DIR__ . '/lib/receive.php') ? __DIR__ . '/lib/receive.php' : __DIR__ . '/../../www/php/lib/receive.php';
require_once __DIR__ . '/includes/store.php';
require_once __DIR__ . '/includes/chain.php';
require_once __DIR__ . '/includes/rest.php';
require_once __DIR__ . '/includes/captcha.php';
require_once __DIR__ . '/includes/shortcode.php';
require_once __DIR__ . '/includes/privacy.php';
require_once __DIR__ . '/includes/retention.php';
if (is_admin()) {
    require_once __DIR__ . '/includes/admin.php';
}

register_activation_hook(__FILE__, 'consent_form_install');
add_action('plugins_loaded', 'consent_form_maybe_upgrade');
// The admin pages' and notices' words: languages/consent-form-vi.mo (built from the .po
// by scripts/wordpress-plugin), for a site or a user whose language is Vietnamese (vi).
add_action('init', fn () => load_plugin_textdomain('consent-form', false, dirname(plugin_basename(__FILE__)) . '/languages'));

/** The plugin's settings, with their defaults filled in. */
function consent_form_settings(): array
{
    $saved = get_option('consent_form_settings', []);
    return wp_parse_args(is_array($saved) ? $saved : [], [
        'controller' => '',         // default: the site's name
        'controller_contact' => '', // an address or page to reach the controller about one's data
        'policy_url' => '',         // default: WordPress's privacy policy page
        'policy_version' => '',
        'retention' => '',          // how long data is kept, shown in the notices; default: the form's
        'retention_count' => 0,     // the retention period the plugin enforces (includes/retention.php); 0: off
        'retention_unit' => 'months', // months or days
        'locale' => '',             // vi or en; default: en on an English site, else vi
        'captcha_secret' => '',     // the captcha provider's secret key (CONSENT_FORM_CAPTCHA_SECRET wins); empty: not verified
        'captcha_verify_url' => '', // its siteverify (CONSENT_FORM_CAPTCHA_VERIFY_URL wins); default: Turnstile's
    ]);
}
