//! Configuring the form in a real browser: from attributes, from a child JSON script,
//! from the object given to `mount()`; and what a developer sees when it is wrong.
#![cfg(all(target_arch = "wasm32", feature = "ui"))]

mod web_support;

use std::cell::RefCell;
use std::rc::Rc;

use consent_form::config::ConfigError;
use consent_form::locale::Locale;
use consent_form::messages::{Key, Texts};
use consent_form::signing::SecretError;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_support::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

fn text(locale: Locale, key: Key) -> String {
    Texts::new(locale, Default::default()).get(key).to_owned()
}

fn set_attributes(host: &HtmlElement, attributes: &[(&str, &str)]) {
    for (name, value) in attributes {
        host.set_attribute(name, value).unwrap();
    }
}

const ATTRIBUTES: &[(&str, &str)] = &[
    ("kind", "callback"),
    ("endpoint", "/cf-test-sink"),
    ("locale", "en"),
    ("policy-url", "/privacy.html"),
    ("policy-version", "2026-01"),
    ("controller", "Attribute Co."),
    ("secret", SECRET),
    ("controller-contact", "dpo@attribute.example"),
];

/// Appends `<script type="application/json">json</script>` to `host`.
fn json_child(host: &HtmlElement, json: &str) {
    let script = document().create_element("script").unwrap();
    script.set_attribute("type", "application/json").unwrap();
    script.set_text_content(Some(json));
    host.append_child(&script).unwrap();
}

#[wasm_bindgen_test]
async fn configured_by_attributes() {
    let host = fresh_host();
    set_attributes(&host, ATTRIBUTES);
    let form = mount_on(host, "").await;
    assert_eq!(
        form.get("form").get_attribute("data-kind").as_deref(),
        Some("callback")
    );
    assert_eq!(form.text("h2"), text(Locale::En, Key::TitleCallback));
    assert_eq!(form.get(".cf").get_attribute("lang").as_deref(), Some("en"));
    assert!(form
        .text("[data-purpose=consultation] label")
        .contains("Attribute Co."));
    // The path is named by its absolute URL on this page's site.
    assert_eq!(
        form.get(".cf-policy").get_attribute("href"),
        Some(format!("{}/privacy.html", page_origin()))
    );
    // The controller's contact, where the visitor reads how to withdraw.
    form.click("[data-purpose=consultation] summary").await;
    let details = form.text("[data-purpose=consultation] details");
    assert!(
        details.contains("by contacting Attribute Co. (dpo@attribute.example)"),
        "{details}"
    );
}

/// This page's origin, e.g. `http://127.0.0.1:8000`.
fn page_origin() -> String {
    web_sys::window().unwrap().location().origin().unwrap()
}

#[wasm_bindgen_test]
async fn a_policy_path_is_resolved_against_the_pages_base_url_and_an_absolute_url_kept() {
    // From the child JSON, against the page's own URL.
    let host = fresh_host();
    json_child(&host, &format!("{{ {} }}", base_json("contact", "en")));
    let form = mount_on(host, "").await;
    assert_eq!(
        form.get(".cf-policy").get_attribute("href"),
        Some(format!("{}/privacy.html", page_origin()))
    );
    drop(form);
    // From the object given to mount() and from an attribute, against a <base href>:
    // document.baseURI, as the browser resolves links.
    let base = document().create_element("base").unwrap();
    base.set_attribute("href", "https://vidu.vn/vi/lien-he/")
        .unwrap();
    document().head().unwrap().append_child(&base).unwrap();
    let object = mount_json(&format!("{{ {} }}", base_json("contact", "en"))).await;
    let host = fresh_host();
    host.set_attribute("policy-url", "../chinh-sach.html")
        .unwrap();
    let attribute = mount_on(host, &format!("{{ {} }}", base_json("contact", "en"))).await;
    base.remove();
    assert_eq!(
        object.get(".cf-policy").get_attribute("href").as_deref(),
        Some("https://vidu.vn/privacy.html")
    );
    assert_eq!(
        attribute.get(".cf-policy").get_attribute("href").as_deref(),
        Some("https://vidu.vn/vi/chinh-sach.html")
    );
    drop((object, attribute));
    // An absolute URL stays exactly as given.
    let host = fresh_host();
    host.set_attribute("policy-url", "HTTPS://Vidu.vn/Chinh-Sach")
        .unwrap();
    let form = mount_on(host, &format!("{{ {} }}", base_json("contact", "en"))).await;
    assert_eq!(
        form.get(".cf-policy").get_attribute("href").as_deref(),
        Some("HTTPS://Vidu.vn/Chinh-Sach")
    );
}

#[wasm_bindgen_test]
async fn configured_by_a_child_json_script() {
    let host = fresh_host();
    json_child(
        &host,
        &format!(
            r#"{{ {},
            "texts": {{"submit": "Gọi cho tôi"}},
            "fields": {{"topic": {{"hidden": true}}, "name": {{"required": false}}}},
            "purposes": ["marketing", {{"id": "share_partner", "text": "Chia sẻ với đối tác ABC", "recipients": ["ABC"]}}],
            "marketing": {{"channels": ["zalo"], "frequency": "mỗi tuần một lần"}} }}"#,
            base_json("callback", "vi")
        ),
    );
    let form = mount_on(host, "").await;
    assert_eq!(
        form.get("form").get_attribute("data-kind").as_deref(),
        Some("callback")
    );
    assert_eq!(form.text("button[type=submit]"), "Gọi cho tôi");
    assert!(form.find("[name=topic]").is_none(), "topic is hidden");
    assert!(
        !form.control("name").has_attribute("aria-required"),
        "name was made optional"
    );
    let boxes = form.attributes("input[type=checkbox]", "name");
    assert_eq!(
        boxes,
        [
            "consent-consultation",
            "consent-marketing",
            "consent-share_partner"
        ]
    );
    assert!(form
        .text("[data-purpose=share_partner] label")
        .contains("Chia sẻ với đối tác ABC"));
    let marketing = form.text("[data-purpose=marketing] label");
    assert!(
        marketing.contains("Zalo") && marketing.contains("mỗi tuần một lần"),
        "{marketing}"
    );
}

#[wasm_bindgen_test]
async fn configured_by_the_js_object() {
    let form = mount_json(&format!(
        r#"{{ {}, "industries": ["Logistics", "Retail"], "fields": {{"company": {{"hidden": true}}}} }}"#,
        base_json("contact", "en")
    ))
    .await;
    assert_eq!(form.text("h2"), text(Locale::En, Key::TitleContact));
    assert!(form.find("[name=company]").is_none());
    let options: Vec<String> = form
        .all("select[name=industry] option")
        .iter()
        .filter_map(|o| o.text_content())
        .collect();
    assert_eq!(
        options,
        [
            text(Locale::En, Key::Choose),
            "Logistics".into(),
            "Retail".into()
        ]
    );
}

#[wasm_bindgen_test]
async fn attributes_win_and_a_change_is_picked_up_by_refresh() {
    let host = fresh_host();
    json_child(&host, &format!("{{ {} }}", base_json("contact", "vi")));
    host.set_attribute("kind", "callback").unwrap();
    let mut form = mount_on(host, "").await;
    assert_eq!(
        form.get("form").get_attribute("data-kind").as_deref(),
        Some("callback"),
        "attribute over JSON"
    );
    assert_eq!(form.text("h2"), text(Locale::Vi, Key::TitleCallback));

    form.host.set_attribute("locale", "en").unwrap();
    form.handle.refresh();
    settle().await;
    assert_eq!(form.text("h2"), text(Locale::En, Key::TitleCallback));
    form.host.set_attribute("kind", "contact").unwrap();
    form.handle.refresh();
    settle().await;
    assert_eq!(form.text("h2"), text(Locale::En, Key::TitleContact));
}

#[wasm_bindgen_test]
async fn destroy_removes_the_form() {
    let mut form = form("contact", "vi", "").await;
    assert!(form.find("form").is_some());
    form.handle.destroy();
    settle().await;
    assert_eq!(form.shadow().child_nodes().length(), 0);
    form.handle.destroy(); // twice is harmless
}

/// Replaces `console.error` (or another method of `console`) while alive, keeping what
/// is logged.
struct ConsoleErrors {
    method: &'static str,
    original: JsValue,
    logged: Rc<RefCell<Vec<String>>>,
    _hook: Closure<dyn Fn(JsValue)>,
}

impl ConsoleErrors {
    fn capture() -> ConsoleErrors {
        ConsoleErrors::capture_method("error")
    }

    fn capture_method(method: &'static str) -> ConsoleErrors {
        let console = js_sys::Reflect::get(&js_sys::global(), &"console".into()).unwrap();
        let original = js_sys::Reflect::get(&console, &method.into()).unwrap();
        let logged = Rc::new(RefCell::new(Vec::new()));
        let sink = logged.clone();
        let hook = Closure::<dyn Fn(JsValue)>::new(move |v: JsValue| {
            sink.borrow_mut().push(v.as_string().unwrap_or_default())
        });
        js_sys::Reflect::set(&console, &method.into(), hook.as_ref().unchecked_ref()).unwrap();
        ConsoleErrors {
            method,
            original,
            logged,
            _hook: hook,
        }
    }
}

impl Drop for ConsoleErrors {
    fn drop(&mut self) {
        let console = js_sys::Reflect::get(&js_sys::global(), &"console".into()).unwrap();
        js_sys::Reflect::set(&console, &self.method.into(), &self.original).unwrap();
    }
}

/// Mounts as `setup` prepares the host and checks that the developer's message shows
/// `expected`, that it is logged, and that no form is shown.
async fn shows_misconfiguration(setup: impl FnOnce(&HtmlElement), object: &str, expected: &str) {
    let console = ConsoleErrors::capture();
    let host = fresh_host();
    setup(&host);
    let form = mount_on(host, object).await;
    let message = form.find(".cf-config-error");
    let controls = form.all("form, input, select, textarea, button").len();
    let logged = console.logged.borrow().join("\n");
    drop(console); // before any assertion, so that a failure shows on the console

    let message = message.expect("the developer's message shows");
    let shown = message.text_content().unwrap();
    assert!(
        shown.contains(expected),
        "{shown:?} should say {expected:?}"
    );
    assert_eq!(message.get_attribute("role").as_deref(), Some("alert"));
    // Written in English on a page in any language (the demo's is Vietnamese): a screen
    // reader reads it with an English voice only if it says so.
    let developer = message.query_selector(":scope > [lang=en]").unwrap();
    let developer = developer.expect("the developer's part, marked English");
    assert!(developer.text_content().unwrap().contains(expected));
    assert_eq!(controls, 0, "no half-working form");
    assert!(logged.contains(expected), "console.error got {logged:?}");
}

/// The visitor's sentence in place of a misconfigured form, in each language.
const UNUSABLE_VI: &str =
    "Biểu mẫu này tạm thời chưa dùng được. Vui lòng liên hệ với chúng tôi bằng cách khác.";
const UNUSABLE_EN: &str = "This form cannot be used right now. Please contact us another way.";

#[wasm_bindgen_test]
async fn a_misconfigured_form_tells_the_visitor_in_the_forms_language_then_the_developer_in_english(
) {
    // No endpoint; `locale` given in English, in Vietnamese, not at all, unreadable.
    for (locale, lang, sentence) in [
        (Some("en"), "en", UNUSABLE_EN),
        (Some("vi-VN"), "vi", UNUSABLE_VI),
        (None, "vi", UNUSABLE_VI),
        (Some("fr"), "vi", UNUSABLE_VI),
    ] {
        let host = fresh_host();
        for (name, value) in ATTRIBUTES {
            match *name {
                "endpoint" => {}
                "locale" => {
                    if let Some(locale) = locale {
                        host.set_attribute("locale", locale).unwrap();
                    }
                }
                _ => host.set_attribute(name, value).unwrap(),
            }
        }
        let form = mount_on(host, "").await;
        let message = form.get(".cf-config-error");
        // One alert (read once, whole: the visitor's sentence, then the developer's
        // part), in the form's language; the developer's part marked English.
        assert_eq!(form.all("[role=alert]").len(), 1, "{locale:?}");
        assert_eq!(message.get_attribute("role").as_deref(), Some("alert"));
        assert_eq!(
            message.get_attribute("lang").as_deref(),
            Some(lang),
            "{locale:?}"
        );
        let first = message.first_element_child().unwrap();
        assert_eq!(first.text_content().unwrap(), sentence, "{locale:?}");
        assert_eq!(
            first
                .closest("[lang]")
                .unwrap()
                .unwrap()
                .get_attribute("lang")
                .as_deref(),
            Some(lang)
        );
        let developer = form.get(".cf-config-error > [lang=en]");
        let said = developer.text_content().unwrap();
        assert!(
            said.contains(&ConfigError::Missing("endpoint").to_string()),
            "{said}"
        );
        assert!(
            !said.contains(sentence),
            "the visitor's sentence is not in the developer's part"
        );
        if locale == Some("fr") {
            assert!(
                said.contains(&ConfigError::UnknownLocale("fr".into()).to_string()),
                "{said}"
            );
        }
        // Every word inside a `lang`: none left to the page's language.
        assert_eq!(message.text_content().unwrap(), [sentence, &said].concat());
    }
}

#[wasm_bindgen_test]
async fn a_key_url_on_another_origin_is_warned_about_at_mount() {
    // The form fetches its key without cookies there: a key service that ties keys to
    // a session cookie (the reference receiver's, the PHP backend's) cannot work. One
    // that does not can, so the form is shown, with a loud warning.
    let console = ConsoleErrors::capture_method("warn");
    let elsewhere = mount_json(&format!(
        r#"{{ {}, "key_url": "https://keys.example:8443/api/keys" }}"#,
        base_json("contact", "en").replace(&format!(r#""secret": "{SECRET}","#), "")
    ))
    .await;
    let warned = console.logged.borrow().join("\n");
    console.logged.borrow_mut().clear();
    let here = mount_json(&format!(
        r#"{{ {}, "key_url": "/api/keys" }}"#,
        base_json("contact", "en").replace(&format!(r#""secret": "{SECRET}","#), "")
    ))
    .await;
    let absolute_here = mount_json(&format!(
        r#"{{ {}, "key_url": "{}/api/keys" }}"#,
        base_json("contact", "en").replace(&format!(r#""secret": "{SECRET}","#), ""),
        web_sys::window().unwrap().location().origin().unwrap()
    ))
    .await;
    let quiet = console.logged.borrow().join("\n");
    drop(console);
    assert!(elsewhere.find("form").is_some(), "the form is shown");
    assert!(
        warned.contains("https://keys.example:8443"),
        "names the key URL's origin: {warned:?}"
    );
    assert!(warned.contains("`secret`"), "{warned:?}");
    assert!(warned.contains("docs/receiver.md"), "{warned:?}");
    assert_eq!(
        quiet, "",
        "nothing said for a key-url on this page's origin"
    );
    drop((elsewhere, here, absolute_here));
}

#[wasm_bindgen_test]
async fn no_endpoint_is_a_misconfiguration() {
    let attrs: Vec<_> = ATTRIBUTES
        .iter()
        .filter(|(n, _)| *n != "endpoint")
        .copied()
        .collect();
    shows_misconfiguration(
        |h| set_attributes(h, &attrs),
        "",
        &ConfigError::Missing("endpoint").to_string(),
    )
    .await;
}

#[wasm_bindgen_test]
async fn a_misspelt_attribute_is_named_with_the_one_meant_not_called_missing() {
    // A typo, the JSON key written as an attribute, an optional setting that would
    // otherwise be silently left out of every consent record.
    for (typed, meant) in [
        ("endpont", "endpoint"),
        ("policy_url", "policy-url"),
        ("policyversion", "policy-version"),
        ("controler", "controller"),
    ] {
        let attrs: Vec<_> = ATTRIBUTES
            .iter()
            .map(|&(name, value)| (if name == meant { typed } else { name }, value))
            .collect();
        let (items, logged) = problems_shown(|h| set_attributes(h, &attrs), "").await;
        let expected = format!(
            "the element's attribute `{typed}` is not one consent-form reads: did you mean `{meant}`?"
        );
        assert_eq!(items, std::slice::from_ref(&expected), "{typed}");
        assert!(logged.contains(&expected), "console.error got {logged:?}");
    }
    // The page's own attributes, a framework's and data-… are no concern of the form's.
    let mut attrs = ATTRIBUTES.to_vec();
    attrs.extend([
        ("class", "contact"),
        ("lang", "en"),
        ("title", "Form"),
        ("data-endpoint", "/x"),
        ("aria-label", "Contact"),
        ("data-v-7ba5bd90", ""),
        ("_ngcontent-ng-c1", ""),
    ]);
    let host = fresh_host();
    set_attributes(&host, &attrs);
    let form = mount_on(host, "").await;
    assert!(form.find(".cf-config-error").is_none());
    assert_eq!(form.text("h2"), text(Locale::En, Key::TitleCallback));
}

#[wasm_bindgen_test]
async fn an_attribute_only_the_json_can_give_is_said_not_ignored() {
    // `<consent-form retention="24 tháng">`, or a framework's `:texts="…"` written out
    // as an attribute: never read, it was silently left out of every notice.
    for (typed, key) in [
        ("retention", "retention"),
        ("timeout-ms", "timeout_ms"),
        ("texts", "texts"),
    ] {
        let mut attrs = ATTRIBUTES.to_vec();
        attrs.push((typed, "24"));
        let (items, logged) = problems_shown(|h| set_attributes(h, &attrs), "").await;
        let expected = format!(
            "the element's attribute `{typed}` is not one consent-form reads: give `{key}` in its child <script type=\"application/json\"> (or in the object passed to mount())"
        );
        assert_eq!(items, std::slice::from_ref(&expected), "{typed}");
        assert!(logged.contains(&expected), "console.error got {logged:?}");
    }
}

#[wasm_bindgen_test]
async fn json_under_another_type_is_said_not_ignored() {
    // Its settings were silently not applied: here `endpoint`, not called missing since
    // the script may hold it.
    for given in [
        "text/json",
        "application/json; charset=utf-8",
        "application/json ",
    ] {
        let attrs: Vec<_> = ATTRIBUTES
            .iter()
            .copied()
            .filter(|(n, _)| *n != "endpoint")
            .collect();
        let (items, logged) = problems_shown(
            |h| {
                set_attributes(h, &attrs);
                let script = document().create_element("script").unwrap();
                script.set_attribute("type", given).unwrap();
                script.set_text_content(Some(r#"{"endpoint": "/api/leads"}"#));
                h.append_child(&script).unwrap();
            },
            "",
        )
        .await;
        let expected = format!(
            "the configuration could not be read: the element's child <script type=\"{given}\"> is not read: give the configuration's script type=\"application/json\", exactly"
        );
        assert_eq!(items, std::slice::from_ref(&expected), "{given}");
        assert!(logged.contains(&expected), "console.error got {logged:?}");
    }
}

#[wasm_bindgen_test]
async fn an_unknown_kind_is_a_misconfiguration() {
    let mut attrs = ATTRIBUTES.to_vec();
    attrs[0] = ("kind", "newsletter");
    let expected = ConfigError::UnknownKind("newsletter".into()).to_string();
    shows_misconfiguration(|h| set_attributes(h, &attrs), "", &expected).await;
}

#[wasm_bindgen_test]
async fn a_secret_that_is_not_base64_is_a_misconfiguration() {
    // Not a form whose every submission waits for ever for a key that cannot be decoded.
    let mut attrs = ATTRIBUTES.to_vec();
    attrs[6] = ("secret", "whsec_!!!notbase64");
    let expected = ConfigError::BadSecret(SecretError::InvalidBase64).to_string();
    shows_misconfiguration(|h| set_attributes(h, &attrs), "", &expected).await;
}

#[wasm_bindgen_test]
async fn a_second_json_script_is_a_misconfiguration() {
    shows_misconfiguration(
        |h| {
            set_attributes(h, ATTRIBUTES);
            json_child(h, r#"{"retention": "1 năm"}"#);
            json_child(h, r#"{"purposes": ["marketing"]}"#);
        },
        "",
        "more than one <script type=\"application/json\"> child",
    )
    .await;
}

#[wasm_bindgen_test]
async fn broken_json_is_a_misconfiguration() {
    shows_misconfiguration(
        |h| {
            set_attributes(h, ATTRIBUTES);
            json_child(h, r#"{"purposes": ["marketing",]"#);
        },
        "",
        "is not valid JSON",
    )
    .await;
    // Where, as the developer's editor counts: line and column (in characters, not the
    // bytes of UTF-8, which Vietnamese letters take two or three of).
    shows_misconfiguration(
        |h| {
            set_attributes(h, ATTRIBUTES);
            json_child(
                h,
                "{\n  \"texts\": {\"intro\": \"Chào bạn\"},\n  \"industries\": [\"Bán lẻ\", \"Sản xuất\",]\n}",
            );
        },
        "",
        "is not valid JSON: unexpected character at line 3, column 39",
    )
    .await;
}

#[wasm_bindgen_test]
async fn an_unknown_purpose_is_a_misconfiguration() {
    let expected = ConfigError::UnknownPurpose("profiling".into()).to_string();
    shows_misconfiguration(
        |h| set_attributes(h, ATTRIBUTES),
        r#"{"purposes": ["marketing", "profiling"]}"#,
        &expected,
    )
    .await;
}

#[wasm_bindgen_test]
async fn a_misspelt_key_in_the_js_object_is_a_misconfiguration() {
    shows_misconfiguration(
        |h| set_attributes(h, ATTRIBUTES),
        r#"{"endpiont": "/x"}"#,
        "unknown key `endpiont`",
    )
    .await;
}

#[wasm_bindgen_test]
async fn a_misspelt_key_is_named_with_the_one_meant_not_called_missing() {
    // `keyUrl` in mount()'s object, `key-url` written as the attribute in the JSON: one
    // problem, with the key meant, not also "`key-url (or secret)` is required".
    let attrs: Vec<_> = ATTRIBUTES
        .iter()
        .copied()
        .filter(|(n, _)| *n != "secret")
        .collect();
    for (object, json, typed) in [
        (r#"{"keyUrl": "/api/keys"}"#, None, "keyUrl"),
        ("", Some(r#"{"key-url": "/api/keys"}"#), "key-url"),
    ] {
        let (items, logged) = problems_shown(
            |h| {
                set_attributes(h, &attrs);
                if let Some(json) = json {
                    json_child(h, json);
                }
            },
            object,
        )
        .await;
        assert_eq!(items.len(), 1, "{items:#?}");
        assert!(
            items[0].contains(&format!("unknown key `{typed}`, expected one of kind,")),
            "{items:#?}"
        );
        assert!(
            items[0].ends_with(": did you mean `key_url`?"),
            "{items:#?}"
        );
        assert!(!logged.contains("is required"), "{logged}");
    }
}

#[wasm_bindgen_test]
async fn an_array_passed_to_mount_is_said_to_be_one() {
    // `mount(el, [config])`: said to be an array, not read as an object with an
    // unknown key `0` (nor `[]` as an empty one, missing every required setting).
    shows_misconfiguration(
        |h| set_attributes(h, ATTRIBUTES),
        r#"[{"kind": "callback"}]"#,
        "the configuration could not be read: the object passed to mount(): expected an object, found an array",
    )
    .await;
}

#[wasm_bindgen_test]
async fn a_captcha_hook_that_is_not_a_function_is_a_misconfiguration() {
    shows_misconfiguration(
        |h| set_attributes(h, ATTRIBUTES),
        r#"{"captcha": "6LcXXXX-site-key"}"#,
        "the object passed to mount(): `captcha` must be a function that returns the token or a promise of it, not a string",
    )
    .await;
}

#[wasm_bindgen_test]
async fn misspelt_nested_keys_in_the_json_are_a_misconfiguration() {
    for (json, expected) in [
        (
            r#"{"fields": {"phone": {"requried": true}}}"#,
            "unknown key `fields.phone.requried`",
        ),
        (
            r#"{"business_hours": {"day": [1, 2]}}"#,
            "unknown key `business_hours.day`",
        ),
        (
            r#"{"marketing": {"channels": ["sms"], "frequence": "weekly"}}"#,
            "unknown key `marketing.frequence`",
        ),
        (
            r#"{"purposes": [{"id": "x", "text": "X", "recipient": ["A"]}]}"#,
            "unknown key `purposes[0].recipient`",
        ),
    ] {
        shows_misconfiguration(
            |h| {
                set_attributes(h, ATTRIBUTES);
                json_child(h, json);
            },
            "",
            expected,
        )
        .await;
    }
}

#[wasm_bindgen_test]
async fn config_texts_with_markup_show_as_text_in_the_developer_message_too() {
    let mut attrs = ATTRIBUTES.to_vec();
    attrs[0] = ("kind", HOSTILE);
    shows_misconfiguration(|h| set_attributes(h, &attrs), "", HOSTILE).await;
    let host = fresh_host();
    set_attributes(&host, &attrs);
    let form = mount_on(host, "").await;
    assert!(form.all("img").is_empty());
}

/// Mounts as `setup` prepares the host, with `object` given to `mount()`: the
/// problems the developer's message lists (none shown: empty) and what
/// `console.error` got.
async fn problems_shown(setup: impl FnOnce(&HtmlElement), object: &str) -> (Vec<String>, String) {
    let console = ConsoleErrors::capture();
    let host = fresh_host();
    setup(&host);
    let form = mount_on(host, object).await;
    let items: Vec<String> = form
        .all(".cf-config-error li")
        .iter()
        .filter_map(|li| li.text_content())
        .collect();
    let logged = console.logged.borrow().join("\n");
    (items, logged)
}

/// The report's configuration: a callback form with everything it needs, but for a
/// number where `retention` takes words.
const ONE_MISTAKE: &str = r#"{"kind": "callback", "endpoint": "/api/leads", "key_url": "/api/keys",
    "policy_url": "/p", "controller": "ACME", "retention": 5}"#;

#[wasm_bindgen_test]
async fn one_mistake_is_the_one_problem_shown_never_a_given_key_missing() {
    let object = "the object passed to mount()";
    let script = "the JSON in <script type=\"application/json\">";
    for (in_object, json, expected) in [
        (
            ONE_MISTAKE.to_owned(),
            None,
            format!("{object}: `retention`: expected a string, found a number"),
        ),
        (
            String::new(),
            Some(ONE_MISTAKE.replace(": 5}", ": 24}")),
            format!("{script}: `retention`: expected a string, found a number"),
        ),
        (
            ONE_MISTAKE.replace(r#""retention": 5"#, r#""endpiont": "/x""#),
            None,
            format!("{object}: unknown key `endpiont`, expected one of kind, endpoint, "),
        ),
        (
            String::new(),
            Some(ONE_MISTAKE.replace(
                r#""retention": 5"#,
                r#""fields": {"name": {"requried": false}}"#,
            )),
            format!(
                "{script}: unknown key `fields.name.requried`, expected one of required, hidden"
            ),
        ),
        (
            ONE_MISTAKE
                .replace(r#""endpoint": "/api/leads""#, r#""endpoint": 7"#)
                .replace(r#""retention": 5"#, r#""retention": "2 năm""#),
            None,
            format!("{object}: `endpoint`: expected a string, found a number"),
        ),
    ] {
        let (items, logged) = problems_shown(
            |h| {
                if let Some(json) = &json {
                    json_child(h, json);
                }
            },
            &in_object,
        )
        .await;
        assert_eq!(items.len(), 1, "{items:#?}");
        assert!(items[0].starts_with(&expected), "{items:#?}");
        assert!(logged.contains(&expected), "console.error got {logged:?}");
        assert!(!logged.contains("is required"), "{logged}");
    }
    // What is really missing is said, with the rest, each once.
    let (items, _) = problems_shown(
        |_| {},
        &ONE_MISTAKE.replace(r#""controller": "ACME", "#, ""),
    )
    .await;
    assert_eq!(
        items,
        [
            format!("{object}: `retention`: expected a string, found a number"),
            ConfigError::Missing("controller").to_string(),
        ]
    );
}

#[wasm_bindgen_test]
async fn a_placeholder_or_an_empty_text_is_refused_by_name() {
    let (items, logged) = problems_shown(
        |h| set_attributes(h, ATTRIBUTES),
        r#"{"texts": {"title_callback": "Call me, {controller}", "submit": "", "print": "{reason}",
            "age_statement": "", "status_failed": "{reason}: call {controller}"}}"#,
    )
    .await;
    assert_eq!(
        items,
        [
            "`texts.print` holds {reason}, which this text is not filled with (it takes no placeholders)",
            "`texts.submit` is empty: give the words to show, or leave it out for the built-in text (only age_statement may be empty)",
            "`texts.title_callback` holds {controller}, which this text is not filled with (it takes no placeholders)",
        ]
    );
    assert!(logged.contains("`texts.title_callback` holds {controller}"));
}

#[wasm_bindgen_test]
async fn hours_that_never_leave_a_slot_are_a_misconfiguration() {
    let (items, _) = problems_shown(
        |h| set_attributes(h, ATTRIBUTES),
        r#"{"business_hours": {"days": [1, 2, 3, 4, 5, 6, 7], "windows": ["00:00-00:30"], "days_ahead": 1},
            "marketing": {"channels": []}}"#,
    )
    .await;
    assert_eq!(items.len(), 2, "{items:#?}");
    assert!(
        items[0].starts_with("`marketing.channels` is empty"),
        "{items:#?}"
    );
    assert!(
        items[1].starts_with("`business_hours`: no slot can ever be booked"),
        "{items:#?}"
    );
    let (items, _) = problems_shown(
        |h| set_attributes(h, ATTRIBUTES),
        r#"{"business_hours": {"windows": ["11:00-09:00", "25:00-26:00"]}}"#,
    )
    .await;
    assert_eq!(
        items,
        [
            "`business_hours`: window \"11:00-09:00\" is not \"HH:MM-HH:MM\" with start before end",
            "`business_hours`: window \"25:00-26:00\" is not \"HH:MM-HH:MM\" with start before end",
        ]
    );
}

#[wasm_bindgen_test]
async fn no_day_to_offer_today_is_said_to_the_visitor_and_once_to_the_developer() {
    // Open one day of the week only, three days from today, and today only: usable
    // hours, but none today (whatever day the test runs on).
    let today = consent_form::schedule::Day::at(js_sys::Date::now() as i64).weekday();
    let open = (today + 2) % 7 + 1;
    let console = ConsoleErrors::capture();
    let host = fresh_host();
    set_attributes(&host, ATTRIBUTES);
    let form = mount_on(
        host,
        &format!(r#"{{"business_hours": {{"days": [{open}], "days_ahead": 1}}}}"#),
    )
    .await;
    let said = Texts::new(Locale::En, Default::default())
        .fill(Key::NoDays, &[("controller", "Attribute Co.")]);
    let shown = form
        .find(".cf-no-days")
        .map(|p| p.text_content().unwrap_or_default());
    let selects = form.all("select").len();
    form.fill("name", "Nguyễn Văn An").await;
    form.submit().await;
    let summary = form
        .find(".cf-summary")
        .map(|s| s.text_content().unwrap_or_default());
    form.click(".cf-summary a[href='#cf-callback_date']").await;
    let focused = form.focused().map(|e| e.id());
    let logged = console.logged.borrow().clone();
    drop(console);

    assert_eq!(
        shown.as_deref(),
        Some(said.as_str()),
        "in place of the day and time"
    );
    assert_eq!(selects, 0, "no empty selects");
    assert!(form.find("form").is_some(), "the rest of the form is there");
    let summary = summary.expect("a refused submit lists the problems");
    assert!(summary.contains(&said), "{summary}");
    assert!(
        !summary.contains(&text(Locale::En, Key::LabelCallbackWindow)),
        "the time is not asked for: {summary}"
    );
    assert_eq!(
        focused.as_deref(),
        Some("cf-callback_date"),
        "its link leads to it"
    );
    assert_eq!(logged.len(), 1, "once, after re-renders too: {logged:#?}");
    assert!(
        logged[0].starts_with("consent-form: the callback form has no day to offer now"),
        "{logged:#?}"
    );
    assert!(logged[0].contains("1 not in `days`"), "{logged:#?}");
    assert!(
        logged[0].contains("With days_ahead 8 or more"),
        "{logged:#?}"
    );
}
