//! Mounting the component on a host element: configuration from attributes, a child
//! JSON script or a JS object; an open shadow root with adopted styles; the JS handle.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{CssStyleSheet, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

use crate::captcha::CaptchaHook;
use crate::components::{App, AppProps};
use crate::config::{Config, ConfigError, KeySource, RawConfig};
use crate::locale::Locale;

/// The stylesheet as written, with comments and indentation.
const STYLE_SOURCE: &str = include_str!("components/style.css");
const STYLE_LEN: usize = minify_css::<0>(STYLE_SOURCE.as_bytes()).1;
const STYLE_BYTES: [u8; STYLE_LEN] = minify_css::<STYLE_LEN>(STYLE_SOURCE.as_bytes()).0;
/// The stylesheet that ships: [`minify_css`] of the source, made at compile time.
const STYLE: &str = match std::str::from_utf8(&STYLE_BYTES) {
    Ok(style) => style,
    Err(_) => STYLE_SOURCE,
};

/// CSS without comments, and with white space only where it separates two tokens:
/// none next to `{ } ; >` or a comma outside parentheses, none after a colon (a
/// selector never has one there; a value's leading space means nothing), one space
/// elsewhere (so `var(--x, #fff)` stays as written: custom properties keep their
/// value's spaces); no `;` before a `}`; quoted strings stay as written. Returns the
/// first `N` bytes of the result and its whole length.
const fn minify_css<const N: usize>(css: &[u8]) -> ([u8; N], usize) {
    const fn tight(b: u8, depth: usize) -> bool {
        matches!(b, b'{' | b'}' | b';' | b'>') || (b == b',' && depth == 0)
    }
    let mut out = [0u8; N];
    let mut len = 0;
    let mut i = 0;
    let (mut quote, mut space, mut last, mut depth) = (0u8, false, 0u8, 0usize);
    while i < css.len() {
        let b = css[i];
        i += 1;
        if quote == 0 && b == b'/' && i < css.len() && css[i] == b'*' {
            i += 1;
            while i + 1 < css.len() && !(css[i] == b'*' && css[i + 1] == b'/') {
                i += 1;
            }
            i += 2;
            space = true;
            continue;
        }
        if quote == 0 && b.is_ascii_whitespace() {
            space = true;
            continue;
        }
        if quote == 0 && b == b')' {
            depth = depth.saturating_sub(1);
        }
        if quote == 0 && space && len > 0 && !tight(last, depth) && !tight(b, depth) && last != b':'
        {
            if len < N {
                out[len] = b' ';
            }
            len += 1;
        }
        space = false;
        if quote == 0 && b == b'}' && last == b';' {
            len -= 1;
        }
        if len < N {
            out[len] = b;
        }
        len += 1;
        last = b;
        if quote == 0 && b == b'(' {
            depth += 1;
        } else if quote == 0 && (b == b'"' || b == b'\'') {
            quote = b;
        } else if b == quote {
            quote = 0;
        }
    }
    (out, len)
}

/// The attributes a host may set, in the order of the settings they set
/// (`RawConfig::strings_mut`; `configuration` relies on it).
pub const ATTRIBUTES: &[&str] = &[
    "kind",
    "endpoint",
    "locale",
    "policy-url",
    "policy-version",
    "controller",
    "key-url",
    "secret",
    "controller-contact",
    "withdraw-endpoint",
    "minors",
];

/// A live mount: its element, its number, its app, and what ends an input method's
/// composition in it ([`crate::dom::input_when_composed`]).
type Live = (
    HtmlElement,
    u32,
    yew::AppHandle<App>,
    gloo::events::EventListener,
);

thread_local! {
    /// The live mounts, one per element: mounting there again replaces it.
    static MOUNTS: RefCell<Vec<Live>> = const { RefCell::new(Vec::new()) };
    /// How many mounts this page has made: the next mount's number.
    static MADE: Cell<u32> = const { Cell::new(0) };
    static SHEET: Option<CssStyleSheet> = {
        let sheet = CssStyleSheet::new().ok();
        sheet.filter(|s| s.replace_sync(STYLE).is_ok())
    };
}

/// What `mount()` returns to JavaScript: a handle to the rendered form.
#[wasm_bindgen]
pub struct FormHandle {
    element: HtmlElement,
    /// The object given to `mount()`, as JSON text (read again at each refresh), or
    /// why it could not be made JSON.
    object: Result<Option<String>, String>,
    /// What is wrong with the object's captcha hook, said in full.
    captcha_problem: Option<String>,
    captcha: Option<CaptchaHook>,
    /// This mount's number in [`MOUNTS`].
    number: u32,
    /// What the last reading of the configuration said on the console: a refresh that
    /// finds the same problems does not say them again.
    said: String,
}

#[wasm_bindgen]
impl FormHandle {
    /// Removes this handle's form and frees its resources. Calling it twice is harmless;
    /// once another `mount()` on the element has replaced the form, it does nothing.
    pub fn destroy(&mut self) {
        let Some(app) = take(&self.element, Some(self.number)) else {
            return;
        };
        app.destroy();
        if let Some(shadow) = self.element.shadow_root() {
            shadow.set_text_content(None);
        }
    }

    /// Reads the attributes and the child JSON again and updates the form (not once
    /// the form is destroyed or replaced).
    pub fn refresh(&mut self) {
        MOUNTS.with(|m| {
            let mut mounts = m.borrow_mut();
            let live = mounts.iter_mut().find(|(_, n, ..)| *n == self.number);
            if let Some((_, _, app, _)) = live {
                let props = props(
                    &self.element,
                    &self.object,
                    &self.captcha_problem,
                    self.captcha.clone(),
                    &mut self.said,
                );
                app.update(props);
            }
        });
    }
}

/// Takes the live mount on `element` out of [`MOUNTS`]: only if its number is `number`,
/// when given.
fn take(element: &HtmlElement, number: Option<u32>) -> Option<yew::AppHandle<App>> {
    MOUNTS.with(|m| {
        let mut mounts = m.borrow_mut();
        let i = mounts
            .iter()
            .position(|(e, n, ..)| e == element && number.is_none_or(|k| k == *n))?;
        Some(mounts.swap_remove(i).2)
    })
}

/// The configuration of `element`: the JS object given to `mount()` (as JSON text, or
/// why it could not be made JSON; and what is wrong with its captcha hook), the child
/// JSON over it, then attributes. Every problem is listed, each once: a value that
/// could not be read is not also called missing. With the problems, the language asked
/// for (Vietnamese where none could be read), for the visitor's sentence.
fn configuration(
    element: &HtmlElement,
    object: &Result<Option<String>, String>,
    captcha_problem: &Option<String>,
) -> Result<Config, (Locale, Vec<ConfigError>)> {
    let mut errors: Vec<ConfigError> = captcha_problem
        .iter()
        .map(|why| ConfigError::Invalid(why.clone()))
        .collect();
    let mut raw = RawConfig::default();
    match object {
        Ok(None) => {}
        Ok(Some(text)) => {
            let (read, problems) = read_json(text, OBJECT);
            raw = read;
            errors.extend(problems);
        }
        Err(why) => {
            errors.push(ConfigError::Unreadable(why.clone()));
            raw = RawConfig::unreadable();
        }
    }
    let second = ":scope > script[type='application/json'] ~ script[type='application/json']";
    if let Ok(Some(_)) = element.query_selector(second) {
        // Only the first is read: a second one's settings would silently not apply
        // (nor are they called missing: they may be there).
        errors.push(ConfigError::Unreadable(
            "the element has more than one <script type=\"application/json\"> child; put the whole configuration in one".to_owned(),
        ));
        raw.unreadable.push(crate::config::EVERY_KEY);
    }
    // JSON under another type (`text/json`, `application/json; charset=utf-8`, a stray
    // space) is never read: said, as its settings would silently not apply.
    let other =
        ":scope > script[type*='json' i]:not([type='application/json']):not([type*='ld+json' i])";
    if let Ok(Some(script)) = element.query_selector(other) {
        let given = script.get_attribute("type").unwrap_or_default();
        errors.push(ConfigError::Unreadable(format!(
            "the element's child <script type=\"{given}\"> is not read: give the configuration's script type=\"application/json\", exactly"
        )));
        raw.unreadable.push(crate::config::EVERY_KEY);
    }
    if let Ok(Some(script)) = element.query_selector(":scope > script[type='application/json']") {
        let text = script.text_content().unwrap_or_default();
        let source = "the JSON in <script type=\"application/json\">";
        let (json, problems) = read_json(&text, source);
        raw = raw.overlay(json);
        errors.extend(problems);
    }
    // Attributes last: each one present wins (one loop over ATTRIBUTES, in the
    // order of the settings they set, rather than code per attribute).
    let settings = raw.strings_mut();
    for (name, setting) in ATTRIBUTES.iter().zip(settings) {
        if let Some(value) = element.get_attribute(name) {
            *setting = Some(value);
        }
    }
    // A misspelt attribute (`endpont`, or a JSON key's `policy_url`) is said as such,
    // not left for its setting to be called missing or silently not set.
    for name in element
        .get_attribute_names()
        .iter()
        .filter_map(|n| n.as_string())
    {
        if let Some(key) = crate::config::misspelt_attribute(&name) {
            errors.push(ConfigError::Invalid(format!(
                "the element's attribute `{name}` is not one consent-form reads: did you mean `{}`?",
                key.replace('_', "-")
            )));
            raw.unreadable.push(key);
        } else if let Some(key) = crate::config::json_only_attribute(&name) {
            errors.push(ConfigError::Invalid(format!(
                "the element's attribute `{name}` is not one consent-form reads: give `{key}` in its child <script type=\"application/json\"> (or in the object passed to mount())"
            )));
        }
    }
    let locale = raw.locale.as_deref().and_then(Locale::from_tag);
    let locale = locale.unwrap_or_default();
    let result = raw.validate().map(|mut config| {
        config.policy_url = absolute(element, config.policy_url);
        config
    });
    match (result, errors.is_empty()) {
        (Ok(config), true) => Ok(config),
        (Ok(_), false) => Err((locale, errors)),
        (Err(more), _) => {
            errors.extend(more);
            Err((locale, errors))
        }
    }
}

/// `url` (a checked `policy-url`) resolved against the page's `document.baseURI`: a
/// path such as `/chinh-sach-bao-mat` becomes `https://vidu.vn/chinh-sach-bao-mat`, so
/// that the signed payload, the receipt and its link name the site whose policy it was.
/// An absolute URL stays as given.
fn absolute(element: &HtmlElement, url: String) -> String {
    let lower = url.get(..8).unwrap_or(&url).to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return url;
    }
    match resolve(element, &url) {
        Some(resolved) => resolved.href(),
        None => url,
    }
}

/// `url` resolved against the `document.baseURI` of `element`'s page.
fn resolve(element: &HtmlElement, url: &str) -> Option<web_sys::Url> {
    let base = element.owner_document()?.base_uri().ok().flatten()?;
    web_sys::Url::new_with_base(url, &base).ok()
}

/// The warning for a `key-url` on another origin than the page, if it is. The form
/// fetches its key with `credentials: "same-origin"`, so no cookie goes there and none
/// is kept from its answer: a key service that ties keys to a session cookie (the
/// reference receiver's, the PHP backend's) issues keys its endpoint then refuses,
/// and every submission fails with HTTP 401. One that ties keys to nothing, and
/// answers with CORS, works: hence a warning, not a configuration error.
fn key_url_elsewhere(element: &HtmlElement, config: &Config) -> Option<String> {
    let KeySource::Url(url) = &config.key else {
        return None;
    };
    // The document's origin (`window.origin`), which a frame's `srcdoc` inherits;
    // `location.origin` would be its URL's.
    let (Some(key), Some(page)) = (resolve(element, url), web_sys::window().map(|w| w.origin()))
    else {
        return None;
    };
    let origin = key.origin();
    if origin == page {
        return None;
    }
    Some(format!(
        "consent-form: key-url {url} is on another origin ({origin}) than this page ({page}). \
         The form fetches its key without cookies there (credentials: \"same-origin\"), so a \
         key service that ties keys to a session cookie — the reference receiver, the PHP \
         backend — gives keys that its endpoint refuses: every submission would fail with \
         HTTP 401. Serve key-url from this page's origin (proxy it), or give `secret` \
         instead; see docs/receiver.md (\"In production\") and docs/embedding.md (key-url)."
    ))
}

/// What a page with an opaque origin cannot do, for the developer (said instead of
/// [`key_url_elsewhere`], which it covers).
const OPAQUE_ORIGIN: &str = "consent-form: this page has an opaque origin (origin \"null\": a sandboxed \
     iframe without allow-same-origin). With no localStorage or sessionStorage, nothing typed is kept \
     across a reload, and a submission not sent at once is kept only while the page stays open. \
     Requests carry Origin: null and no cookies: the endpoint and key-url must answer CORS for null, \
     and key-url cannot rely on a session cookie (or give `secret`). allow-same-origin lifts all this \
     (docs/embedding.md, \"Page builders and tag managers\").";

/// The warning for the developer, if any, about where this form runs: a page with an
/// opaque origin, or a `key-url` on another origin.
fn page_warning(element: &HtmlElement, config: &Config) -> Option<String> {
    if web_sys::window().is_some_and(|w| w.origin() == "null") {
        return Some(OPAQUE_ORIGIN.to_owned());
    }
    key_url_elsewhere(element, config)
}

/// Where the object given to `mount()` is said to be, in messages.
const OBJECT: &str = "the object passed to mount()";

/// Reads a configuration from JSON text; `source` says where it came from, in messages.
/// What cannot be read is left out, with a problem for each thing wrong.
fn read_json(text: &str, source: &str) -> (RawConfig, Vec<ConfigError>) {
    let value = match crate::json::parse(text) {
        Ok(value) => value,
        Err(why) => {
            let why = format!("{source} is not valid JSON: {}", why.in_text(text));
            return (RawConfig::unreadable(), vec![ConfigError::Unreadable(why)]);
        }
    };
    // Not an object: nothing of it could be read.
    let said: fn(String) -> ConfigError = match value {
        crate::json::Json::Object(_) => ConfigError::Invalid,
        _ => ConfigError::Unreadable,
    };
    let (raw, problems) = RawConfig::read_json(&value);
    let problems = problems
        .into_iter()
        .map(|problem| said(format!("{source}: {problem}")));
    (raw, problems.collect())
}

fn props(
    element: &HtmlElement,
    object: &Result<Option<String>, String>,
    captcha_problem: &Option<String>,
    captcha: Option<CaptchaHook>,
    said: &mut String,
) -> AppProps {
    let config = configuration(element, object, captcha_problem);
    // An error when no form can be shown, else perhaps a warning; said once, not again
    // at each refresh (each attribute a framework sets) that finds the same.
    let (message, error) = match &config {
        Err(problems) => {
            let mut message =
                "consent-form: not configured correctly, so no form is shown:".to_owned();
            for problem in problems.1.iter() {
                message.push_str("\n- ");
                message.push_str(&problem.to_string());
            }
            (message, true)
        }
        Ok(config) => (page_warning(element, config).unwrap_or_default(), false),
    };
    if message != *said {
        match (message.is_empty(), error) {
            (true, _) => {}
            (false, true) => web_sys::console::error_1(&JsValue::from_str(&message)),
            (false, false) => web_sys::console::warn_1(&JsValue::from_str(&message)),
        }
        *said = message;
    }
    AppProps {
        config: config.map(Rc::new).map_err(Rc::new),
        host: Some(element.clone()),
        captcha,
    }
}

/// Why `mount()` cannot render into `value`, which is no element: a mistyped id
/// (`null`), a selector given for the element, a wrapper object.
fn not_an_element(value: &JsValue) -> JsError {
    // Not `{s:?}`: Debug of a string brings Unicode's tables into the wasm (3.8 KB).
    let what = match value.as_string() {
        Some(s) => ["\"", &s, "\" (pass document.querySelector(\"", &s, "\"))"].concat(),
        None if value.is_null() => "null (a mistyped id?)".to_owned(),
        None if value.is_undefined() => "undefined".to_owned(),
        // A NodeList, an HTMLCollection, a jQuery object: a list of elements.
        None if js_sys::Reflect::has(value, &"length".into()).unwrap_or(false) => {
            "a list of them (querySelectorAll, jQuery): pass one, such as list[0]".to_owned()
        }
        None => "this value".to_owned(),
    };
    JsError::new(&["consent-form: mount() needs an element, not ", &what].concat())
}

/// The HTML elements the browser lets have a shadow root (custom elements too).
const SHADOW_HOSTS: &[&str] = &[
    "article",
    "aside",
    "blockquote",
    "body",
    "div",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "main",
    "nav",
    "p",
    "section",
    "span",
];

/// The open shadow root of `element` (its local name `tag`), emptied, with the form's
/// stylesheet.
fn shadow_root(element: &HtmlElement, tag: &str) -> Result<ShadowRoot, JsError> {
    let shadow = match element.shadow_root() {
        Some(root) => root,
        None => element
            .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
            .map_err(|_| {
                // One the browser lets have a shadow root already has one, closed (made
                // by another script): not to be told to mount into a <div> inside it,
                // which that root would not show.
                let why = if tag.contains('-') || SHADOW_HOSTS.contains(&tag) {
                    ">, which has a closed shadow root of another script's: mount into an element of your own"
                } else {
                    ">, which cannot have a shadow root: mount into a <div> inside it"
                };
                JsError::new(&["consent-form: mount() cannot render into <", tag, why].concat())
            })?,
    };
    // textContent, not innerHTML: fine under a Trusted Types policy too.
    shadow.set_text_content(None);
    SHEET.with(|sheet| match sheet {
        Some(sheet) => shadow.set_adopted_style_sheets(&js_sys::Array::of1(sheet)),
        None => {
            // No constructable stylesheets (old browsers): a <style> element, which a
            // strict Content-Security-Policy may block.
            if let Some(style) = element
                .owner_document()
                .and_then(|d| d.create_element("style").ok())
            {
                style.set_text_content(Some(STYLE));
                let _ = shadow.append_child(&style);
            }
        }
    });
    Ok(shadow)
}

/// Renders the form into `element`'s open shadow root (created if missing).
///
/// `config` is an object with the configuration's snake_case keys, or `null`; the
/// element's child `<script type="application/json">` and its attributes are read
/// too, attributes last. A wrong configuration shows a message for the developer in
/// place of the form (and on the console); it never throws for that. A form mounted on
/// `element` before is destroyed, and its handle does nothing any more.
#[wasm_bindgen]
pub fn mount(element: HtmlElement, config: JsValue) -> Result<FormHandle, JsError> {
    // JavaScript may pass anything: what is no element is said as what it is.
    let tag = js_sys::Reflect::get(&element, &"localName".into())
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| not_an_element(&element))?;
    let (mut object, mut captcha_problem, mut captcha) = (Ok(None), None, None);
    if !config.is_null() && !config.is_undefined() {
        // The hook is a function, which JSON cannot hold: taken out before reading.
        match CaptchaHook::of(&config) {
            Ok(hook) => captcha = hook,
            Err(why) => captcha_problem = Some(format!("{OBJECT}: {why}")),
        }
        // An array is an object to JavaScript, but no configuration: read as it is.
        let rest = match config.dyn_ref::<js_sys::Object>() {
            Some(object) if !js_sys::Array::is_array(&config) => {
                let copy = js_sys::Object::assign(&js_sys::Object::new(), object);
                let _ = js_sys::Reflect::delete_property(&copy, &"captcha".into());
                copy.into()
            }
            _ => config,
        };
        // As JSON, so that it is read exactly as the child JSON is (values JSON cannot
        // hold, such as functions, are left out).
        object = match js_sys::JSON::stringify(&rest) {
            Ok(text) => Ok(Some(text.as_string().unwrap_or_default())),
            Err(e) => {
                let why = e
                    .dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
                    .unwrap_or_default();
                Err(format!("{OBJECT} cannot be read as JSON: {why}"))
            }
        };
    }
    if let Some(app) = take(&element, None) {
        app.destroy();
    }
    let shadow = shadow_root(&element, &tag)?;
    let document = element
        .owner_document()
        .ok_or_else(|| JsError::new("consent-form: element has no document"))?;
    let root = document
        .create_element("div")
        .map_err(|_| JsError::new("consent-form: cannot create the form's root"))?;
    shadow
        .append_child(&root)
        .map_err(|_| JsError::new("consent-form: cannot attach the form's root"))?;
    let mut said = String::new();
    let props = props(
        &element,
        &object,
        &captcha_problem,
        captcha.clone(),
        &mut said,
    );
    let composed = crate::dom::input_when_composed(&root);
    crate::dom::watch_presses();
    if let Ok(config) = &props.config {
        crate::warm::soon(root.clone(), config.clone());
    }
    let app = yew::Renderer::<App>::with_root_and_props(root, props).render();
    let number = MADE.replace(MADE.get() + 1);
    MOUNTS.with(|m| {
        m.borrow_mut()
            .push((element.clone(), number, app, composed))
    });
    Ok(FormHandle {
        element,
        object,
        captcha_problem,
        captcha,
        number,
        said,
    })
}
