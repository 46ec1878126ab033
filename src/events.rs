//! The DOM events a host listens to. Each bubbles and is composed, so it crosses the
//! shadow root and reaches `document` listeners:
//!
//! - `consent-form:submit` — `{ id, form }` just before the first attempt;
//! - `consent-form:success` — `{ id, status }` when the backend accepted it;
//! - `consent-form:error` — `{ id, reason, will_retry }` when it did not (yet);
//! - `consent-form:withdraw` — `{ id, submission_id, purpose }` when the
//!   `withdraw-endpoint` accepted a withdrawal made on the receipt.
//!
//! If the page has removed the element by then, they are dispatched on `document`.

use serde::Serialize;

use crate::json::{ToJson, Writer};
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement};

/// Detail of `consent-form:success`.
#[derive(Serialize)]
pub struct Success<'a> {
    /// The submission id.
    pub id: &'a str,
    /// The HTTP status the backend answered with.
    pub status: u16,
}

/// Detail of `consent-form:error`.
#[derive(Serialize)]
pub struct Failure<'a> {
    /// The submission id, if one was made.
    pub id: Option<&'a str>,
    /// What went wrong, in English for the developer.
    pub reason: &'a str,
    /// Whether the submission stays in the outbox and will be retried.
    pub will_retry: bool,
}

/// Detail of `consent-form:withdraw`.
#[derive(Serialize)]
pub struct Withdrawn<'a> {
    /// The withdrawal's own id.
    pub id: &'a str,
    /// The submission whose consent was withdrawn.
    pub submission_id: &'a str,
    /// The purpose withdrawn.
    pub purpose: &'a str,
}

impl ToJson for Withdrawn<'_> {
    /// `{"id":…,"submission_id":…,"purpose":…}`, as its `Serialize` writes it.
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("id").string(self.id);
        w.key("submission_id").string(self.submission_id);
        w.key("purpose").string(self.purpose);
        w.end_object();
    }
}

impl ToJson for Success<'_> {
    /// `{"id":…,"status":…}`, as its `Serialize` writes it.
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("id").string(self.id);
        w.key("status").number(u64::from(self.status));
        w.end_object();
    }
}

impl ToJson for Failure<'_> {
    /// `{"id":…,"reason":…,"will_retry":…}`, as its `Serialize` writes it.
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("id").optional(self.id);
        w.key("reason").string(self.reason);
        w.key("will_retry").bool(self.will_retry);
        w.end_object();
    }
}

/// Dispatches `name` from `host` with `detail`.
pub fn dispatch(host: Option<&HtmlElement>, name: &str, detail: &dyn ToJson) {
    let detail = js_sys::JSON::parse(&crate::json::json_text(detail)).unwrap_or(JsValue::NULL);
    dispatch_value(host, name, &detail);
}

/// Dispatches `name` from `host` with a detail that is already a JS value. A host the
/// page has removed (a single-page app that moved on to its thank-you page while the
/// submission was still on its way) can reach no listener: the event then goes to
/// `document`, where such a page listens.
pub fn dispatch_value(host: Option<&HtmlElement>, name: &str, detail: &JsValue) {
    let Some(host) = host else { return };
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(detail);
    let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) else {
        return;
    };
    if host.is_connected() {
        let _ = host.dispatch_event(&event);
    } else if let Some(document) = host.owner_document() {
        let _ = document.dispatch_event(&event);
    }
}
