//! The DOM events a host listens to. Each bubbles and is composed, so it crosses the
//! shadow root and reaches `document` listeners:
//!
//! - `consent-form:submit` — `{ id, form }` just before the first attempt;
//! - `consent-form:success` — `{ id, status }` when the backend accepted it;
//! - `consent-form:error` — `{ id, reason, will_retry }` when it did not (yet);
//! - `consent-form:withdraw` — `{ id, submission_id, purpose }` when the
//!   `withdraw-endpoint` accepted a withdrawal made on the receipt.
//!
//! What the outbox reports is dispatched by one subscriber for the whole page
//! ([`made_here`], [`claim`]), not by the form: a form destroyed, or whose element the
//! page removed, right after `consent-form:submit` still has its events. They come from
//! its host element while that is on the page, else from `document`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use serde::Serialize;

use crate::delivery::Problem;
use crate::json::{ToJson, Writer};
use crate::outbox::{self, Entry, Outcome, Report, Subscription};
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
/// `document`, where such a page listens. Without a host, nothing is dispatched.
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

/// Whether an entry's origin is a form's own (see [`claim`]).
type Ours = Rc<dyn Fn(&str) -> bool>;

thread_local! {
    /// The entries whose events this page dispatches, by id, with the host of the form
    /// that made them; each stays until it leaves the outbox.
    static HOSTS: RefCell<Vec<(String, HtmlElement)>> = const { RefCell::new(Vec::new()) };
    /// The forms on this page that take the events of their entries made before a
    /// reload: a number, whether an origin is theirs, their host.
    static CLAIMS: RefCell<Vec<(u32, Ours, HtmlElement)>> = const { RefCell::new(Vec::new()) };
    static NEXT_CLAIM: Cell<u32> = const { Cell::new(0) };
    /// The page's one subscription to the outbox, made once and kept.
    static LISTENING: RefCell<Option<Subscription>> = const { RefCell::new(None) };
}

/// Subscribes [`reported`] to the outbox, once for the page.
fn listen() {
    LISTENING.with(|l| {
        let mut listening = l.borrow_mut();
        if listening.is_none() {
            *listening = Some(outbox::subscribe(reported));
        }
    });
}

/// Dispatches the events of entry `id` (a submission, or a withdrawal) from `host`
/// until it leaves the outbox, whatever becomes of the form that made it. Call it
/// before the entry is put in the outbox. Without a host, nothing is dispatched.
pub fn made_here(id: &str, host: Option<&HtmlElement>) {
    let Some(host) = host else { return };
    listen();
    HOSTS.with(|h| h.borrow_mut().push((id.to_owned(), host.clone())));
}

/// Claims for `host` the events of the entries `ours` says are its form's (by their
/// `origin`), made before a reload; until the returned guard is dropped. An entry
/// claimed once keeps its host, like one [`made_here`].
pub fn claim(host: Option<HtmlElement>, ours: impl Fn(&str) -> bool + 'static) -> Claim {
    let number = NEXT_CLAIM.with(|n| {
        let number = n.get().wrapping_add(1);
        n.set(number);
        number
    });
    if let Some(host) = host {
        listen();
        CLAIMS.with(|c| c.borrow_mut().push((number, Rc::new(ours), host)));
    }
    Claim(number)
}

/// Keeps a [`claim`]; dropping it ends it.
pub struct Claim(u32);

impl Drop for Claim {
    fn drop(&mut self) {
        let number = self.0;
        CLAIMS.with(|c| c.borrow_mut().retain(|(n, ..)| *n != number));
    }
}

/// Whether a form on this page claims the entries made from `origin` (it shows them).
pub fn claimed(origin: &str) -> bool {
    let claims: Vec<Ours> = CLAIMS.with(|c| c.borrow().iter().map(|(_, o, _)| o.clone()).collect());
    claims.iter().any(|ours| ours(origin))
}

/// The host the events of `entry` come from, if this page dispatches them.
fn host_of(entry: &Entry) -> Option<HtmlElement> {
    let id = entry.id();
    let known = HOSTS.with(|h| {
        h.borrow()
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, host)| host.clone())
    });
    if known.is_some() {
        return known;
    }
    // Asked outside the borrow: a claim may compute its form's origin now.
    let claims: Vec<(Ours, HtmlElement)> = CLAIMS.with(|c| {
        c.borrow()
            .iter()
            .map(|(_, ours, host)| (ours.clone(), host.clone()))
            .collect()
    });
    let (_, host) = claims.into_iter().find(|(ours, _)| ours(&entry.origin))?;
    HOSTS.with(|h| h.borrow_mut().push((id.to_owned(), host.clone())));
    Some(host)
}

/// Dispatches the DOM event of an outbox report on an entry this page dispatches for.
fn reported(report: &Report) {
    let entry = &report.entry;
    // Deleted, or replaced by a new submission: nothing for the host to hear.
    if matches!(report.outcome, Outcome::Removed {}) {
        return;
    }
    let Some(host) = host_of(entry) else { return };
    let host = Some(&host);
    let id = entry.id();
    match (&report.outcome, &entry.withdrawal) {
        (Outcome::Sent(_), Some(w)) => dispatch(
            host,
            "consent-form:withdraw",
            &Withdrawn {
                id,
                submission_id: &entry.receipt.id,
                purpose: &w.purpose,
            },
        ),
        (Outcome::Sent(status), None) => dispatch(
            host,
            "consent-form:success",
            &Success {
                id,
                status: *status,
            },
        ),
        (Outcome::Waiting { problem }, _) => failure(host, id, problem, true),
        (Outcome::Refused { problem }, _) => failure(host, id, problem, false),
        (Outcome::Removed {}, _) => {}
    }
    if !matches!(report.outcome, Outcome::Waiting { .. }) {
        HOSTS.with(|h| h.borrow_mut().retain(|(i, _)| i != id));
    }
}

/// Dispatches `consent-form:error` for entry `id`, with the developer's reason.
/// Said on the console too, since a developer trying the form reads the console first
/// (a key-url that answers a login page would otherwise show only the visitor's line):
/// a warning while it is retried, an error when refused or most likely the host's setup.
fn failure(host: Option<&HtmlElement>, id: &str, problem: &Problem, will_retry: bool) {
    let reason = problem.describe();
    let what = if will_retry {
        "not sent yet, kept and retried"
    } else {
        "refused, not retried"
    };
    // An error, not a warning, for what most likely lasts until the host fixes its setup.
    let log: fn(&JsValue) = if will_retry && !problem.is_setup() {
        web_sys::console::warn_1
    } else {
        web_sys::console::error_1
    };
    log(&format!("consent-form: {id} {what}: {reason}").into());
    let detail = Failure {
        id: Some(id),
        reason: &reason,
        will_retry,
    };
    dispatch(host, "consent-form:error", &detail);
}
