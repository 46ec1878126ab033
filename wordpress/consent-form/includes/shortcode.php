<?php
// [consent_form kind="contact"]: the <consent-form> element, its module and its
// attributes from the shortcode's, the plugin's settings and WordPress's own (privacy
// policy page, site name, language). Every attribute is escaped.

defined('ABSPATH') || exit;

add_shortcode('consent_form', 'consent_form_shortcode');
add_action('wp_enqueue_scripts', 'consent_form_register_script');
add_filter('script_loader_tag', 'consent_form_module_tag', 10, 3);
add_action('wp_head', 'consent_form_preload', 2);

/** The URL of a file the plugin ships in pkg/. */
function consent_form_pkg_url(string $file): string
{
    return plugins_url("pkg/$file", CONSENT_FORM_FILE);
}

function consent_form_register_script(): void
{
    // Versioned by the wasm's time, so that browsers fetch a new build; in the footer,
    // as the shortcode enqueues it while the page is being rendered.
    $wasm = plugin_dir_path(CONSENT_FORM_FILE) . 'pkg/consent_form_bg.wasm';
    wp_register_script('consent-form', consent_form_pkg_url('consent-form.js'), [], (string) (@filemtime($wasm) ?: CONSENT_FORM_VERSION), true);
}

/**
 * The entry is an ES module (wp_enqueue_script_module came only with WordPress 6.5): its
 * tag made again by wp_get_script_tag, so that it has the attributes the filter
 * wp_script_attributes gives (a Content-Security-Policy plugin's nonce), which
 * WordPress before 6.3 does not apply to enqueued scripts.
 */
function consent_form_module_tag(string $tag, string $handle, string $src = ''): string
{
    if ($handle !== 'consent-form') {
        return $tag;
    }
    $module = wp_get_script_tag(['type' => 'module', 'src' => html_entity_decode($src), 'id' => 'consent-form-js']);
    return (string) preg_replace_callback('/<script\b[^>]*\ssrc=[^>]*><\/script>\n?/', fn () => $module, $tag, 1);
}

/**
 * The nonce a Content-Security-Policy plugin gives the plugin's module through the filter
 * wp_script_attributes, as ` nonce="…"` for the links that preload it ('' for none).
 */
function consent_form_script_nonce(): string
{
    $attributes = apply_filters('wp_script_attributes', ['type' => 'module', 'src' => consent_form_pkg_url('consent-form.js')]);
    return is_string($attributes['nonce'] ?? null) ? ' nonce="' . esc_attr($attributes['nonce']) . '"' : '';
}

/**
 * On a page whose content has the shortcode, lets the browser fetch both modules and
 * the wasm at once from the <head> (docs/embedding.md, "Files").
 */
function consent_form_preload(): void
{
    $post = get_post();
    if (!is_singular() || !$post || !has_shortcode($post->post_content, 'consent_form')) {
        return;
    }
    // A modulepreload is governed by script-src: under a policy of nonces ('strict-dynamic')
    // it needs the module's nonce.
    $nonce = consent_form_script_nonce();
    foreach (['consent-form.js', 'consent_form.js'] as $module) {
        printf("<link rel=\"modulepreload\" href=\"%s\"%s>\n", esc_url(consent_form_pkg_url($module)), $nonce);
    }
    printf("<link rel=\"preload\" href=\"%s\" as=\"fetch\" type=\"application/wasm\" crossorigin>\n", esc_url(consent_form_pkg_url('consent_form_bg.wasm')));
}

/** A REST route of the plugin, as a path from the site's root (the form's origin is the page's). */
function consent_form_route(string $route): string
{
    return wp_make_link_relative(rest_url(CONSENT_FORM_REST . "/$route"));
}

/** The form's locale: the setting, else `en` on an English site, else `vi`. */
function consent_form_locale(string $setting): string
{
    if ($setting !== '') {
        return $setting;
    }
    return str_starts_with(get_locale(), 'en') ? 'en' : 'vi';
}

/** The <consent-form> element for the shortcode's attributes. */
function consent_form_shortcode($atts): string
{
    $settings = consent_form_settings();
    $atts = shortcode_atts([
        'kind' => 'contact',
        'locale' => '',
        'controller' => '',
        'controller_contact' => '',
        'policy_url' => '',
        'policy_version' => '',
        'minors' => '',
    ], $atts, 'consent_form');
    $pick = fn (string $name) => trim((string) $atts[$name]) !== '' ? trim((string) $atts[$name]) : trim((string) ($settings[$name] ?? ''));
    $attributes = [
        'kind' => $atts['kind'],
        'endpoint' => consent_form_route('submissions'),
        'key-url' => consent_form_route('keys'),
        'withdraw-endpoint' => consent_form_route('withdrawals'),
        'locale' => consent_form_locale($pick('locale')),
        'policy-url' => $pick('policy_url') ?: get_privacy_policy_url(),
        'policy-version' => $pick('policy_version'),
        'controller' => $pick('controller') ?: wp_specialchars_decode(get_bloginfo('name'), ENT_QUOTES),
        'controller-contact' => $pick('controller_contact'),
        'minors' => $atts['minors'],
    ];
    wp_enqueue_script('consent-form');
    $html = '<consent-form';
    foreach ($attributes as $name => $value) {
        // An empty policy-url or controller is left out: the element then tells the
        // site's owner what is missing instead of showing a half-working form.
        if ((string) $value !== '') {
            $escaped = in_array($name, ['endpoint', 'key-url', 'withdraw-endpoint', 'policy-url'], true) ? esc_url((string) $value) : esc_attr((string) $value);
            $html .= ' ' . $name . '="' . $escaped . '"';
        }
    }
    $html .= '>';
    $retention = trim((string) $settings['retention']);
    if ($retention !== '') {
        // JSON in a script element: <, >, & escaped so that no text can close it.
        $html .= '<script type="application/json">'
            . wp_json_encode(['retention' => $retention], JSON_HEX_TAG | JSON_HEX_AMP | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES)
            . '</script>';
    }
    return $html . '</consent-form>';
}
