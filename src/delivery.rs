//! Sending a signed submission to the host's endpoint: one attempt, with a timeout,
//! classified as sent, worth retrying, or refused for good.
//!
//! What the backend answers is trusted as little as possible: only the status and
//! `Retry-After` of the endpoint's answer are read (its body is dropped unread, however
//! large), a redirect is not followed (the signed data goes only where the host said),
//! and the key URL's answer is read only up to [`MAX_KEY_ANSWER_BYTES`].

use std::cell::RefCell;

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Request, RequestInit, Response};

use crate::config::KeySource;
pub use crate::problem::Problem;
use crate::search::contains;
use crate::signing::{self, MessageId, Secret};

/// The most bytes read from the key URL's answer (a key is about 100).
pub const MAX_KEY_ANSWER_BYTES: usize = 16 * 1024;

/// Where and how to send.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// The endpoint URL (absolute or relative to the page).
    pub endpoint: String,
    /// Where the signing key comes from.
    pub key: KeySource,
    /// How long one request may take, in milliseconds.
    pub timeout_ms: u32,
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
    /// How far the backend's clock is ahead of this device's, in milliseconds, as
    /// learnt from the key URL's `now`.
    static SKEW_MS: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
}

/// The time by the backend's clock (Unix ms): this device's clock corrected by what
/// the key URL said the time was. A visitor whose phone clock is wrong still signs
/// with a timestamp the backend accepts (Standard Webhooks allows 5 minutes).
pub fn backend_now_ms() -> f64 {
    js_sys::Date::now() + SKEW_MS.with(|s| s.get())
}

/// Forgets the cached key (after a 401: the backend no longer knows it).
pub fn forget_key() {
    KEY.with(|k| k.borrow_mut().take());
}

/// An abort signal that fires after a timeout; dropping it clears the timer.
struct Deadline {
    controller: AbortController,
    _timer: gloo::timers::callback::Timeout,
}

impl Deadline {
    fn start(timeout_ms: u32) -> Result<Deadline, Problem> {
        let controller = AbortController::new().map_err(|e| Problem::Browser(js_error(e)))?;
        let timer = {
            let controller = controller.clone();
            gloo::timers::callback::Timeout::new(timeout_ms, move || controller.abort())
        };
        Ok(Deadline {
            controller,
            _timer: timer,
        })
    }

    fn passed(&self) -> bool {
        self.controller.signal().aborted()
    }

    /// Stops the request, and the download of its body.
    fn abort(&self) {
        self.controller.abort();
    }
}

/// Fetches `url` with `init` (to which the deadline's signal is added). Failures are
/// network errors, or a timeout once the deadline has passed.
async fn fetch(
    url: &str,
    init: &RequestInit,
    deadline: &Deadline,
    timeout_ms: u32,
) -> Result<Response, Problem> {
    let window = web_sys::window().ok_or_else(|| Problem::Browser("no window".into()))?;
    init.set_signal(Some(&deadline.controller.signal()));
    let request =
        Request::new_with_str_and_init(url, init).map_err(|e| Problem::Browser(js_error(e)))?;
    match JsFuture::from(window.fetch_with_request(&request)).await {
        Ok(response) => response
            .dyn_into::<Response>()
            .map_err(|_| Problem::Browser("fetch gave no Response".into())),
        Err(_) if deadline.passed() => Err(Problem::Timeout(timeout_ms)),
        Err(e) => Err(Problem::Network(js_error(e))),
    }
}

/// The key URL's answer as text, read only if it is small, within the deadline.
async fn small_text(
    response: &Response,
    deadline: &Deadline,
    url: &str,
) -> Result<String, Problem> {
    let too_large = || {
        Problem::Key(format!(
            "{url} answered more than {MAX_KEY_ANSWER_BYTES} bytes"
        ))
    };
    let declared = response.headers().get("content-length").ok().flatten();
    if declared
        .and_then(|v| v.trim().parse::<u64>().ok())
        .is_some_and(|n| n > MAX_KEY_ANSWER_BYTES as u64)
    {
        deadline.abort();
        return Err(too_large());
    }
    let late = || Problem::Key(format!("{url} did not answer in time"));
    // As a Blob, the answer stays out of the wasm and JS heaps until its size is known.
    let promise = response.blob().map_err(|e| Problem::Key(js_error(e)))?;
    let blob = match JsFuture::from(promise).await {
        Ok(blob) => blob
            .dyn_into::<web_sys::Blob>()
            .map_err(|_| Problem::Browser("no Blob".into()))?,
        Err(_) if deadline.passed() => return Err(late()),
        Err(e) => return Err(Problem::Key(js_error(e))),
    };
    if blob.size() > MAX_KEY_ANSWER_BYTES as f64 {
        return Err(too_large());
    }
    match JsFuture::from(blob.text()).await {
        Ok(text) => Ok(text.as_string().unwrap_or_default()),
        Err(_) if deadline.passed() => Err(late()),
        Err(e) => Err(Problem::Key(js_error(e))),
    }
}

async fn key_from(url: &str, timeout_ms: u32) -> Result<Secret, Problem> {
    let now = backend_now_ms();
    if let Some(cached) = KEY.with(|k| k.borrow().clone()) {
        if cached.url == url && cached.expires_ms > now + 5_000.0 {
            return Ok(cached.secret);
        }
    }
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    init.set_redirect(web_sys::RequestRedirect::Manual);
    let deadline = Deadline::start(timeout_ms)?;
    let asked_ms = js_sys::Date::now();
    // No connection is a network problem (retried as soon as the browser is online again).
    let response = fetch(url, &init, &deadline, timeout_ms)
        .await
        .map_err(|p| match p {
            Problem::Network(why) => Problem::Network(format!("{url}: {why}")),
            other => other,
        })?;
    if response.type_() == web_sys::ResponseType::Opaqueredirect {
        return Err(Problem::Key(format!("{url} answered with a redirect")));
    }
    if !response.ok() {
        deadline.abort();
        return Err(Problem::Key(format!(
            "{url} answered HTTP {}",
            response.status()
        )));
    }
    let text = small_text(&response, &deadline, url).await?;
    let json = js_sys::JSON::parse(&text)
        .map_err(|_| Problem::Key(format!("{url} did not answer JSON")))?;
    if !json.is_object() {
        return Err(Problem::Key(format!("{url} did not answer a JSON object")));
    }
    let get = |name: &str| js_sys::Reflect::get(&json, &JsValue::from_str(name)).ok();
    let secret = get("secret")
        .and_then(|v| v.as_string())
        .ok_or_else(|| Problem::Key(format!("{url} answered without a \"secret\"")))?;
    let secret = Secret::parse(&secret)
        .map_err(|e| Problem::Key(format!("{url} gave a bad secret: {e}")))?;
    // now: the backend's clock, Unix seconds. Compared with this device's clock half-way
    // through the request, it corrects the timestamps this page signs with.
    let answered_ms = js_sys::Date::now();
    let now = match get("now")
        .and_then(|v| v.as_f64())
        .filter(|n| n.is_finite() && *n > 0.0)
    {
        Some(backend_s) => {
            let skew = backend_s * 1000.0 - (asked_ms + answered_ms) / 2.0;
            SKEW_MS.with(|s| s.set(skew));
            answered_ms + skew
        }
        None => now,
    };
    // expires_at: Unix seconds (number) or an RFC 3339 string; without it, 5 minutes.
    let expires_ms = match get("expires_at") {
        Some(v) if v.as_f64().is_some() => v.as_f64().unwrap_or(0.0) * 1000.0,
        Some(v) if v.is_string() => js_sys::Date::parse(&v.as_string().unwrap_or_default()),
        _ => now + 300_000.0,
    };
    let expires_ms = if expires_ms.is_finite() {
        expires_ms
    } else {
        now + 300_000.0
    };
    KEY.with(|k| {
        *k.borrow_mut() = Some(CachedKey {
            url: url.to_owned(),
            secret: secret.clone(),
            expires_ms,
        });
    });
    Ok(secret)
}

async fn secret(key: &KeySource, timeout_ms: u32) -> Result<Secret, Problem> {
    match key {
        KeySource::Inline(whsec) => Secret::parse(whsec).map_err(|e| Problem::Key(e.to_string())),
        KeySource::Url(url) => key_from(url, timeout_ms).await,
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
    let secret = secret(&target.key, target.timeout_ms).await?;
    let timestamp = (backend_now_ms() / 1000.0) as u64;
    let headers = web_sys::Headers::new().map_err(|e| Problem::Browser(js_error(e)))?;
    let _ = headers.set("content-type", "application/json");
    for (name, value) in signing::webhook_headers(&secret, id, timestamp, body) {
        let _ = headers.set(name, &value);
    }
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&js_sys::Uint8Array::from(body));
    init.set_redirect(web_sys::RequestRedirect::Manual);
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let deadline = Deadline::start(target.timeout_ms)?;
    let response = match fetch(&target.endpoint, &init, &deadline, target.timeout_ms).await {
        Err(Problem::Network(why)) => {
            return Err(diagnose(&target.endpoint, why, target.timeout_ms).await)
        }
        other => other?,
    };
    let status = response.status();
    if response.type_() == web_sys::ResponseType::Opaqueredirect || (200..300).contains(&status) {
        // Only the status matters: the body is not downloaded.
        deadline.abort();
        return if (200..300).contains(&status) {
            Ok(status)
        } else {
            Err(Problem::Redirect)
        };
    }
    let retry_after = response
        .headers()
        .get("retry-after")
        .ok()
        .flatten()
        .and_then(|v| crate::retry::retry_after_seconds(&v, (backend_now_ms() / 1000.0) as u64));
    let mut problem = Problem::Status {
        status,
        retry_after,
        detail: None,
    };
    // A refusal is final: what the endpoint says about it is worth reading (a little).
    if !problem.retryable() {
        if let Problem::Status { detail, .. } = &mut problem {
            *detail = explanation(&response).await;
        }
    }
    deadline.abort();
    Err(problem)
}

/// The most bytes of a refusal's answer that are read for its explanation.
const MAX_EXPLANATION_BYTES: i32 = 2048;
/// The most characters of it that are kept.
const MAX_EXPLANATION_CHARS: usize = 300;

/// What a refusing endpoint said: a JSON answer's `message`, `error` or `detail` (the
/// first there is; the reference receiver's `message` says what is wrong), or
/// the start of a plain-text one, on one line; `None` for HTML pages and empty or
/// unreadable answers. Reads at most [`MAX_EXPLANATION_BYTES`] of it.
async fn explanation(response: &Response) -> Option<String> {
    let kind = response
        .headers()
        .get("content-type")
        .ok()
        .flatten()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let declared = response.headers().get("content-length").ok().flatten();
    let large = declared.and_then(|n| n.trim().parse::<u64>().ok()) > Some(64 * 1024);
    if contains(&kind, "html") || large {
        return None;
    }
    let blob = JsFuture::from(response.blob().ok()?).await.ok()?;
    let blob: web_sys::Blob = blob.dyn_into().ok()?;
    let start = blob.slice_with_i32_and_i32(0, MAX_EXPLANATION_BYTES).ok()?;
    let text = JsFuture::from(start.text()).await.ok()?.as_string()?;
    let said = if contains(&kind, "json") {
        let json = crate::json::parse(&text).ok()?;
        let answer = json.object("").ok()?;
        ["message", "error", "detail"]
            .iter()
            .find_map(|key| answer.get(key)?.as_str().map(str::to_owned))?
    } else {
        text
    };
    let line: String = said
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(MAX_EXPLANATION_CHARS)
        .collect();
    (!line.is_empty()).then_some(line)
}

/// After a network error on a cross-origin endpoint: if a plain (no-cors) request gets
/// through, the server is up and the signed request was refused by CORS.
async fn diagnose(endpoint: &str, why: String, timeout_ms: u32) -> Problem {
    let network = Problem::Network(why);
    let Some(window) = web_sys::window() else {
        return network;
    };
    let Ok(page) = window.location().href() else {
        return network;
    };
    let Ok(url) = web_sys::Url::new_with_base(endpoint, &page) else {
        return network;
    };
    if window.location().origin().ok().as_deref() == Some(url.origin().as_str()) {
        return network;
    }
    let init = RequestInit::new();
    init.set_method("HEAD");
    init.set_mode(web_sys::RequestMode::NoCors);
    init.set_credentials(web_sys::RequestCredentials::Omit);
    let Ok(deadline) = Deadline::start(timeout_ms.min(5_000)) else {
        return network;
    };
    match fetch(&url.href(), &init, &deadline, timeout_ms).await {
        Ok(_) => {
            deadline.abort();
            Problem::Cors(url.origin())
        }
        Err(_) => network,
    }
}
