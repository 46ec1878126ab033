//! Mounting the component on a host element: configuration from attributes, a child
//! JSON script or a JS object; an open shadow root with adopted styles; the JS handle.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{CssStyleSheet, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

use crate::components::{App, AppProps};
use crate::config::{
    Config, ConfigError, CustomPurpose, FieldSettings, MarketingSettings, RawConfig,
};
use crate::schedule::BusinessHours;

const STYLE: &str = include_str!("components/style.css");

/// The attributes a host may set, and the configuration key each sets.
pub const ATTRIBUTES: &[&str] = &[
    "kind",
    "endpoint",
    "locale",
    "policy-url",
    "policy-version",
    "controller",
    "key-url",
    "secret",
];

thread_local! {
    static SHEET: Option<CssStyleSheet> = {
        let sheet = CssStyleSheet::new().ok();
        sheet.filter(|s| s.replace_sync(STYLE).is_ok())
    };
}

/// What `mount()` returns to JavaScript: a handle to the rendered form.
#[wasm_bindgen]
pub struct FormHandle {
    element: HtmlElement,
    object: Option<RawConfig>,
    object_error: Option<String>,
    app: Option<yew::AppHandle<App>>,
}

#[wasm_bindgen]
impl FormHandle {
    /// Removes the form and frees its resources. Calling it twice is harmless.
    pub fn destroy(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
        if let Some(shadow) = self.element.shadow_root() {
            shadow.set_text_content(None);
        }
    }

    /// Reads the attributes and the child JSON again and updates the form.
    pub fn refresh(&mut self) {
        let props = props(
            &self.element,
            self.object.clone(),
            self.object_error.clone(),
        );
        if let Some(app) = self.app.as_mut() {
            app.update(props);
        }
    }
}

/// The configuration of `element`: the child JSON or the JS object, then attributes.
fn configuration(
    element: &HtmlElement,
    object: Option<RawConfig>,
    object_error: Option<String>,
) -> Result<Config, Vec<ConfigError>> {
    let mut errors = Vec::new();
    if let Some(why) = object_error {
        errors.push(ConfigError::Unreadable(why));
    }
    let mut raw = object.unwrap_or_default();
    if let Ok(Some(script)) = element.query_selector(":scope > script[type='application/json']") {
        let text = script.text_content().unwrap_or_default();
        let source = "the JSON in <script type=\"application/json\">";
        let read = js_sys::JSON::parse(&text)
            .map_err(|e| {
                let why = e
                    .dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
                    .unwrap_or_default();
                format!("{source} is not valid JSON: {why}")
            })
            .and_then(|value| read_object(value, source));
        match read {
            Ok(json) => raw = raw.overlay(json),
            Err(why) => errors.push(ConfigError::Unreadable(why)),
        }
    }
    let attr = |name: &str| element.get_attribute(name);
    raw = raw.overlay(RawConfig {
        kind: attr("kind"),
        endpoint: attr("endpoint"),
        locale: attr("locale"),
        policy_url: attr("policy-url"),
        policy_version: attr("policy-version"),
        controller: attr("controller"),
        key_url: attr("key-url"),
        secret: attr("secret"),
        ..RawConfig::default()
    });
    let result = raw.validate();
    match (result, errors.is_empty()) {
        (Ok(config), true) => Ok(config),
        (Ok(_), false) => Err(errors),
        (Err(more), _) => {
            errors.extend(more);
            Err(errors)
        }
    }
}

/// Reads a configuration object (the one given to `mount()`, or the parsed child JSON);
/// `source` says which, in messages. serde_wasm_bindgen skips keys a struct does not
/// have, so misspelt keys are looked for here and refused by name.
fn read_object(value: JsValue, source: &str) -> Result<RawConfig, String> {
    let mut unknown = Vec::new();
    unknown_keys(&value, field_names::<RawConfig>(), "", &mut unknown);
    let get = |key: &str| {
        js_sys::Reflect::get(&value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    };
    let fields = get("fields");
    if is_plain_object(&fields) {
        for name in js_sys::Object::keys(fields.unchecked_ref::<js_sys::Object>()).iter() {
            let settings = js_sys::Reflect::get(&fields, &name).unwrap_or(JsValue::UNDEFINED);
            let path = format!("fields.{}.", name.as_string().unwrap_or_default());
            unknown_keys(
                &settings,
                field_names::<FieldSettings>(),
                &path,
                &mut unknown,
            );
        }
    }
    let purposes = get("purposes");
    if js_sys::Array::is_array(&purposes) {
        for purpose in purposes.unchecked_ref::<js_sys::Array>().iter() {
            unknown_keys(
                &purpose,
                field_names::<CustomPurpose>(),
                "purposes[].",
                &mut unknown,
            );
        }
    }
    unknown_keys(
        &get("business_hours"),
        field_names::<BusinessHours>(),
        "business_hours.",
        &mut unknown,
    );
    unknown_keys(
        &get("marketing"),
        field_names::<MarketingSettings>(),
        "marketing.",
        &mut unknown,
    );
    if !unknown.is_empty() {
        return Err(format!("{source}: {}", unknown.join("; ")));
    }
    serde_wasm_bindgen::from_value::<RawConfig>(value).map_err(|e| format!("{source}: {e}"))
}

fn is_plain_object(value: &JsValue) -> bool {
    value.is_object() && !js_sys::Array::is_array(value)
}

/// Adds a message to `out` for each key of the object `value` that is not in `known`.
fn unknown_keys(value: &JsValue, known: &[&str], path: &str, out: &mut Vec<String>) {
    if !is_plain_object(value) {
        return;
    }
    for key in js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>()).iter() {
        let key = key.as_string().unwrap_or_default();
        if !known.contains(&key.as_str()) {
            out.push(format!(
                "unknown key `{path}{key}`, expected one of {}",
                known.join(", ")
            ));
        }
    }
}

/// The field names `#[derive(Deserialize)]` gives serde for `T`: a deserializer that
/// only listens for them, so the known keys come from the types themselves.
fn field_names<T: serde::de::DeserializeOwned>() -> &'static [&'static str] {
    use serde::de::{Deserializer, Visitor};

    #[derive(Debug)]
    struct Stop;
    impl std::fmt::Display for Stop {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("stop")
        }
    }
    impl std::error::Error for Stop {}
    impl serde::de::Error for Stop {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Stop
        }
    }
    struct Probe<'a>(&'a std::cell::Cell<&'static [&'static str]>);
    impl<'de> Deserializer<'de> for Probe<'_> {
        type Error = Stop;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            self.0.set(fields);
            Err(Stop)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
        }
    }
    let names = std::cell::Cell::new(&[][..]);
    let _ = T::deserialize(Probe(&names));
    names.get()
}

fn props(
    element: &HtmlElement,
    object: Option<RawConfig>,
    object_error: Option<String>,
) -> AppProps {
    let config = configuration(element, object, object_error);
    if let Err(problems) = &config {
        let list: Vec<String> = problems.iter().map(|p| format!("- {p}")).collect();
        web_sys::console::error_1(&JsValue::from_str(&format!(
            "consent-form: not configured correctly, so no form is shown:\n{}",
            list.join("\n")
        )));
    }
    AppProps {
        config: config.map(Rc::new).map_err(Rc::new),
        host: Some(element.clone()),
    }
}

fn shadow_root(element: &HtmlElement) -> Result<ShadowRoot, JsError> {
    let shadow = match element.shadow_root() {
        Some(root) => root,
        None => element
            .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
            .map_err(|_| {
                JsError::new("consent-form: cannot attach a shadow root to this element")
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
/// place of the form (and on the console); it never throws for that.
#[wasm_bindgen]
pub fn mount(element: HtmlElement, config: JsValue) -> Result<FormHandle, JsError> {
    let (object, object_error) = if config.is_null() || config.is_undefined() {
        (None, None)
    } else {
        match read_object(config, "the object passed to mount()") {
            Ok(raw) => (Some(raw), None),
            Err(why) => (None, Some(why)),
        }
    };
    let shadow = shadow_root(&element)?;
    let document = element
        .owner_document()
        .ok_or_else(|| JsError::new("consent-form: element has no document"))?;
    let root = document
        .create_element("div")
        .map_err(|_| JsError::new("consent-form: cannot create the form's root"))?;
    shadow
        .append_child(&root)
        .map_err(|_| JsError::new("consent-form: cannot attach the form's root"))?;
    let props = props(&element, object.clone(), object_error.clone());
    let app = yew::Renderer::<App>::with_root_and_props(root, props).render();
    Ok(FormHandle {
        element,
        object,
        object_error,
        app: Some(app),
    })
}
