//! Sending a signed submission to the host's endpoint: one attempt, with a timeout,
//! classified as sent, worth retrying, or refused for good.

use std::cell::RefCell;

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Request, RequestInit, Response};

use crate::config::KeySource;
use crate::signing::{self, MessageId, Secret};

/// How long one request may take before it is abandoned and retried.
pub const REQUEST_TIMEOUT_MS: i32 = 15_000;

/// Where and how to send.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// The endpoint URL (absolute or relative to the page).
    pub endpoint: String,
    /// Where the signing key comes from.
    pub key: KeySource,
}

/// Why an attempt did not succeed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// No network, connection refused, DNS, CORS: the request never got an answer.
    Network(String),
    /// No answer within [`REQUEST_TIMEOUT_MS`].
    Timeout,
    /// The backend answered with a non-2xx status.
    Status {
        /// The HTTP status.
        status: u16,
        /// Seconds from `Retry-After`, if it said.
        retry_after: Option<u32>,
    },
    /// The signing key could not be had.
    Key(String),
    /// The browser lacks what is needed (fetch, Web Crypto).
    Browser(String),
}

impl Problem {
    /// Whether trying again later may work: network errors, timeouts, 408, 429, 5xx,
    /// and a key endpoint that did not answer.
    pub fn retryable(&self) -> bool {
        match self {
            Problem::Network(_) | Problem::Timeout | Problem::Key(_) => true,
            Problem::Status { status, .. } => matches!(status, 408 | 429 | 500..=599),
            Problem::Browser(_) => false,
        }
    }

    /// In English, for the developer.
    pub fn describe(&self) -> String {
        match self {
            Problem::Network(why) => format!("network error: {why}"),
            Problem::Timeout => format!("no answer within {} s", REQUEST_TIMEOUT_MS / 1000),
            Problem::Status { status, .. } => format!("the endpoint answered HTTP {status}"),
            Problem::Key(why) => format!("signing key unavailable: {why}"),
            Problem::Browser(why) => format!("browser: {why}"),
        }
    }
}

fn js_error(value: JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}

/// A key fetched from `key-url`, kept until it expires.
#[derive(Clone)]
struct CachedKey {
    url: String,
    secret: Secret,
    expires_ms: f64,
}

thread_local! {
    static KEY: RefCell<Option<CachedKey>> = const { RefCell::new(None) };
}

/// Forgets the cached key (after a 401: the backend no longer knows it).
pub fn forget_key() {
    KEY.with(|k| k.borrow_mut().take());
}

async fn fetch_with_timeout(request: &Request, controller: &AbortController) -> Result<Response, Problem> {
    let window = web_sys::window().ok_or_else(|| Problem::Browser("no window".into()))?;
    let abort = {
        let controller = controller.clone();
        wasm_bindgen::closure::Closure::once_into_js(move || controller.abort())
    };
    let timer = window
        .set_timeout_with_callback_and_timeout_and_arguments_0(abort.unchecked_ref(), REQUEST_TIMEOUT_MS)
        .map_err(|e| Problem::Browser(js_error(e)))?;
    let result = JsFuture::from(window.fetch_with_request(request)).await;
    window.clear_timeout_with_handle(timer);
    match result {
        Ok(response) => response.dyn_into::<Response>().map_err(|_| Problem::Browser("fetch gave no Response".into())),
        Err(_) if controller.signal().aborted() => Err(Problem::Timeout),
        Err(e) => Err(Problem::Network(js_error(e))),
    }
}

async fn key_from(url: &str) -> Result<Secret, Problem> {
    let now = js_sys::Date::now();
    if let Some(cached) = KEY.with(|k| k.borrow().clone()) {
        if cached.url == url && cached.expires_ms > now + 5_000.0 {
            return Ok(cached.secret);
        }
    }
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let request = Request::new_with_str_and_init(url, &init).map_err(|e| Problem::Key(js_error(e)))?;
    let controller = AbortController::new().map_err(|e| Problem::Browser(js_error(e)))?;
    init.set_signal(Some(&controller.signal()));
    let response = fetch_with_timeout(&request, &controller).await.map_err(|p| Problem::Key(p.describe()))?;
    if !response.ok() {
        return Err(Problem::Key(format!("{url} answered HTTP {}", response.status())));
    }
    let text = JsFuture::from(response.text().map_err(|e| Problem::Key(js_error(e)))?)
        .await
        .map_err(|e| Problem::Key(js_error(e)))?
        .as_string()
        .unwrap_or_default();
    let json = js_sys::JSON::parse(&text).map_err(|_| Problem::Key(format!("{url} did not answer JSON")))?;
    let get = |name: &str| js_sys::Reflect::get(&json, &JsValue::from_str(name)).ok();
    let secret = get("secret")
        .and_then(|v| v.as_string())
        .ok_or_else(|| Problem::Key(format!("{url} answered without a \"secret\"")))?;
    let secret = Secret::parse(&secret).map_err(|e| Problem::Key(format!("{url} gave a bad secret: {e}")))?;
    // expires_at: Unix seconds (number) or an RFC 3339 string; without it, 5 minutes.
    let expires_ms = match get("expires_at") {
        Some(v) if v.as_f64().is_some() => v.as_f64().unwrap_or(0.0) * 1000.0,
        Some(v) if v.is_string() => js_sys::Date::parse(&v.as_string().unwrap_or_default()),
        _ => now + 300_000.0,
    };
    let expires_ms = if expires_ms.is_nan() { now + 300_000.0 } else { expires_ms };
    KEY.with(|k| {
        *k.borrow_mut() = Some(CachedKey { url: url.to_owned(), secret: secret.clone(), expires_ms });
    });
    Ok(secret)
}

async fn secret(key: &KeySource) -> Result<Secret, Problem> {
    match key {
        KeySource::Inline(whsec) => Secret::parse(whsec).map_err(|e| Problem::Key(e.to_string())),
        KeySource::Url(url) => key_from(url).await,
    }
}

/// One attempt: sign `body` now (fresh timestamp) and post it. `Ok` carries the 2xx
/// status. A 401 with a fetched key means the backend forgot it: the key is fetched
/// again and the request repeated once.
pub async fn attempt(target: &Target, id: &MessageId, body: &[u8]) -> Result<u16, Problem> {
    match post(target, id, body).await {
        Err(Problem::Status { status: 401, .. }) if matches!(target.key, KeySource::Url(_)) => {
            forget_key();
            post(target, id, body).await
        }
        other => other,
    }
}

async fn post(target: &Target, id: &MessageId, body: &[u8]) -> Result<u16, Problem> {
    let secret = secret(&target.key).await?;
    let timestamp = (js_sys::Date::now() / 1000.0) as u64;
    let headers = web_sys::Headers::new().map_err(|e| Problem::Browser(js_error(e)))?;
    let _ = headers.set("content-type", "application/json");
    for (name, value) in signing::webhook_headers(&secret, id, timestamp, body) {
        let _ = headers.set(name, &value);
    }
    let controller = AbortController::new().map_err(|e| Problem::Browser(js_error(e)))?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&js_sys::Uint8Array::from(body));
    init.set_signal(Some(&controller.signal()));
    init.set_redirect(web_sys::RequestRedirect::Error);
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let request = Request::new_with_str_and_init(&target.endpoint, &init).map_err(|e| Problem::Browser(js_error(e)))?;
    let response = fetch_with_timeout(&request, &controller).await?;
    let status = response.status();
    if (200..300).contains(&status) {
        return Ok(status);
    }
    let retry_after = response
        .headers()
        .get("retry-after")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse::<u32>().ok());
    Err(Problem::Status { status, retry_after })
}
