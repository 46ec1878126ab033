<?php
// [consent_form kind="contact"]: the <consent-form> element, its module and its
// attributes from the shortcode's, the plugin's settings and WordPress's own (privacy
// policy page, site name, language). Every attribute is escaped.

defined('ABSPATH') || exit;

add_shortcode('consent_form', 'consent_form_shortcode');
add_action('wp_enqueue_scripts', 'consent_form_register_script');
add_filter('script_loader_tag', 'consent_form_module_tag', 10, 3);
add_action('wp_head', 'consent_form_preload', 2);
add_action('wp', 'consent_form_hook_module_preload');

/** The URL of a file the plugin ships in pkg/. */
function consent_form_pkg_url(string $file): string
{
    return plugins_url("pkg/$file", CONSENT_FORM_FILE);
}

/**
 * The entry module's version: the wasm's time, so that browsers fetch a new build. The
 * other two files are found from the entry's URL, without it.
 */
function consent_form_module_version(): string
{
    $wasm = plugin_dir_path(CONSENT_FORM_FILE) . 'pkg/consent_form_bg.wasm';
    return (string) (@filemtime($wasm) ?: CONSENT_FORM_VERSION);
}

/**
 * WordPress 6.5 and later print ES modules themselves (the Script Modules API): after
 * the import map of WordPress's own modules, which a browser that takes a single import
 * map (Firefox ESR) ignores once any module has been loaded before it; with the
 * attributes of the filter wp_script_attributes (a Content-Security-Policy plugin's
 * nonce); and outside the queue of wp_scripts(), which some optimisation plugins combine
 * into classic scripts (where an import is a syntax error).
 */
function consent_form_uses_script_modules(): bool
{
    return function_exists('wp_register_script_module');
}

function consent_form_register_script(): void
{
    if (consent_form_uses_script_modules()) {
        wp_register_script_module('consent-form', consent_form_pkg_url('consent-form.js'), [], consent_form_module_version());
        return;
    }
    // In the footer, as the shortcode enqueues it while the page is being rendered.
    wp_register_script('consent-form', consent_form_pkg_url('consent-form.js'), [], consent_form_module_version(), true);
}

/**
 * Before WordPress 6.5, the entry is a script made a module: its tag made again by
 * wp_get_script_tag, so that it has the attributes the filter wp_script_attributes gives
 * (a Content-Security-Policy plugin's nonce), which WordPress before 6.3 does not apply
 * to enqueued scripts.
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
 * `<link rel="modulepreload">` for the plugin's modules (the entry by the URL it is loaded
 * from, version included, lest it be fetched twice). A modulepreload is governed by
 * script-src: under a policy of nonces ('strict-dynamic') it needs the module's nonce.
 */
function consent_form_print_module_preloads(array $urls): void
{
    $nonce = consent_form_script_nonce();
    foreach ($urls as $url) {
        printf("<link rel=\"modulepreload\" href=\"%s\"%s>\n", esc_url($url), $nonce);
    }
}

/**
 * On a page whose content has the shortcode, lets the browser fetch the wasm (and, before
 * WordPress 6.5, both modules) at once from the <head> (docs/embedding.md, "Files").
 */
function consent_form_preload(): void
{
    $post = get_post();
    if (!is_singular() || !$post || !has_shortcode($post->post_content, 'consent_form')) {
        return;
    }
    if (!consent_form_uses_script_modules()) {
        consent_form_print_module_preloads([
            add_query_arg('ver', consent_form_module_version(), consent_form_pkg_url('consent-form.js')),
            consent_form_pkg_url('consent_form.js'),
        ]);
    }
    printf("<link rel=\"preload\" href=\"%s\" as=\"fetch\" type=\"application/wasm\" crossorigin>\n", esc_url(consent_form_pkg_url('consent_form_bg.wasm')));
}

/**
 * With the Script Modules API, the module the entry imports is preloaded just after
 * WordPress prints its modules (in the <head> of a block theme, in the footer of a
 * classic one), where the import map is already there: before it, a modulepreload would
 * make Firefox ignore the import map.
 */
function consent_form_hook_module_preload(): void
{
    if (!consent_form_uses_script_modules()) {
        return;
    }
    foreach (['wp_head', 'wp_footer'] as $hook) {
        $priority = has_action($hook, [wp_script_modules(), 'print_enqueued_script_modules']);
        if ($priority !== false) {
            add_action($hook, 'consent_form_module_preload', $priority + 1);
        }
    }
}

/** The entry's import, preloaded where the shortcode has enqueued the entry. */
function consent_form_module_preload(): void
{
    if (!empty($GLOBALS['consent_form_enqueued'])) {
        consent_form_print_module_preloads([consent_form_pkg_url('consent_form.js')]);
    }
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
    if (consent_form_uses_script_modules()) {
        wp_enqueue_script_module('consent-form');
        $GLOBALS['consent_form_enqueued'] = true;
    } else {
        wp_enqueue_script('consent-form');
    }
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
