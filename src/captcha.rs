//! The host's captcha hook: a function the form calls when the visitor presses send,
//! whose token goes into the signed payload (`captcha`) for the backend to verify with
//! its captcha provider (Turnstile, hCaptcha, reCAPTCHA …).
//!
//! The host gives it as `captcha` in the object passed to `mount()`, or sets it as the
//! `captcha` property of the element (any time before the press); the one given to
//! `mount()` wins. It is called with `{ id, form }` and returns the token, or a promise
//! of it. No hook, no token: the payload has no `captcha` key.

use std::fmt;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlElement;

use crate::payload::{is_captcha_token, MAX_CAPTCHA_TOKEN_BYTES};

/// How long the hook may take, a challenge the visitor solves included: 2 minutes.
pub const TIMEOUT_MS: i32 = 120_000;

/// The property (of the element and of `mount()`'s object) that holds the hook.
const PROPERTY: &str = "captcha";

/// A host's captcha hook.
#[derive(Clone, Debug, PartialEq)]
pub struct CaptchaHook(Function);

/// Why the hook gave no token. Its `Display` is for the developer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaptchaError {
    /// `captcha` is set to something other than a function; says what.
    NotAFunction(String),
    /// The hook threw, or its promise was rejected; the error's message.
    Failed(String),
    /// The hook gave something other than a token; says what.
    NotAToken(String),
    /// The hook gave nothing within [`TIMEOUT_MS`].
    TimedOut,
}

impl fmt::Display for CaptchaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CaptchaError::NotAFunction(what) => write!(
                f,
                "`captcha` must be a function that returns the token or a promise of it, not {what}"
            ),
            CaptchaError::Failed(why) => write!(f, "the captcha hook failed: {why}"),
            CaptchaError::NotAToken(what) => write!(
                f,
                "the captcha hook gave {what}, not a token (1 to {MAX_CAPTCHA_TOKEN_BYTES} printable ASCII characters)"
            ),
            CaptchaError::TimedOut => write!(
                f,
                "the captcha hook gave no token within {} s",
                TIMEOUT_MS / 1000
            ),
        }
    }
}

impl std::error::Error for CaptchaError {}

impl CaptchaHook {
    /// `value` as a hook; `None` for `undefined` and `null`.
    pub fn from_value(value: JsValue) -> Result<Option<CaptchaHook>, CaptchaError> {
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        match value.dyn_into::<Function>() {
            Ok(function) => Ok(Some(CaptchaHook(function))),
            Err(other) => Err(CaptchaError::NotAFunction(describe(&other))),
        }
    }

    /// The hook in `object`'s `captcha` property, if any.
    pub fn of(object: &JsValue) -> Result<Option<CaptchaHook>, CaptchaError> {
        CaptchaHook::from_value(Reflect::get(object, &PROPERTY.into()).unwrap_or_default())
    }

    /// The hook to call at a press: `configured` (from `mount()`), else the element's.
    pub fn for_press(
        configured: Option<&CaptchaHook>,
        host: Option<&HtmlElement>,
    ) -> Result<Option<CaptchaHook>, CaptchaError> {
        match (configured, host) {
            (Some(hook), _) => Ok(Some(hook.clone())),
            (None, Some(host)) => CaptchaHook::of(host),
            (None, None) => Ok(None),
        }
    }

    /// Calls the hook with `{ id, form }` and waits, at most [`TIMEOUT_MS`], for its
    /// token.
    pub async fn token(&self, id: &str, form: &str) -> Result<String, CaptchaError> {
        let detail = Object::new();
        let _ = Reflect::set(&detail, &"id".into(), &id.into());
        let _ = Reflect::set(&detail, &"form".into(), &form.into());
        let given = self
            .0
            .call1(&JsValue::UNDEFINED, &detail)
            .map_err(|e| CaptchaError::Failed(message(&e)))?;
        // The token, or a marker that the time ran out, whichever comes first.
        let late = Object::new();
        let mut timer = None;
        let timeout = Promise::new(&mut |resolve, _| {
            timer = web_sys::window().and_then(|w| {
                w.set_timeout_with_callback_and_timeout_and_arguments_1(&resolve, TIMEOUT_MS, &late)
                    .ok()
            });
        });
        let race = Promise::race(&js_sys::Array::of2(&Promise::resolve(&given), &timeout));
        let outcome = JsFuture::from(race).await;
        if let (Some(window), Some(timer)) = (web_sys::window(), timer) {
            window.clear_timeout_with_handle(timer);
        }
        let value = outcome.map_err(|e| CaptchaError::Failed(message(&e)))?;
        if value == JsValue::from(late) {
            return Err(CaptchaError::TimedOut);
        }
        match value.as_string() {
            Some(token) if is_captcha_token(&token) => Ok(token),
            Some(token) if token.is_empty() => {
                Err(CaptchaError::NotAToken("an empty string".to_owned()))
            }
            Some(token) if token.len() > MAX_CAPTCHA_TOKEN_BYTES => Err(CaptchaError::NotAToken(
                format!("a string of {} bytes", token.len()),
            )),
            Some(_) => Err(CaptchaError::NotAToken(
                "a string with characters other than printable ASCII".to_owned(),
            )),
            None => Err(CaptchaError::NotAToken(describe(&value))),
        }
    }
}

/// "a number", "null", "an object" … for messages.
fn describe(value: &JsValue) -> String {
    if value.is_null() {
        return "null".to_owned();
    }
    let kind = value.js_typeof().as_string().unwrap_or_default();
    let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {kind}")
}

/// What a thrown value or rejection says: an `Error`'s message, else the value as text.
fn message(error: &JsValue) -> String {
    match error.dyn_ref::<js_sys::Error>() {
        Some(e) => String::from(e.message()),
        None => error
            .as_string()
            .unwrap_or_else(|| format!("it threw {}", describe(error))),
    }
}
