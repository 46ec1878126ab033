//! The outbox: every submission is written to `localStorage` before its first attempt
//! and leaves only when the backend answers 2xx (or refuses it for good). Retries use
//! backoff with full jitter and honour `Retry-After`; the outbox is flushed on page
//! load, when the browser comes back `online` and when the page becomes visible.
//!
//! Several tabs may flush the same entry at once; the id is the idempotency key, so
//! the backend stores it once (the reference receiver does).

use std::cell::{Cell, RefCell};

use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;

use crate::config::KeySource;
use crate::delivery::{self, Problem, Target};
use crate::fields::FormKind;
use crate::receipt::Receipt;
use crate::signing::MessageId;

const STORAGE_KEY: &str = "consent-form:outbox:v1";

/// A submission waiting to be delivered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Which form on which page sent it (page path, host id, kind): its reports go
    /// back to that form, even after a reload.
    pub origin: String,
    /// Which form sent it.
    pub form: FormKind,
    /// Where it goes.
    pub endpoint: String,
    /// Where its key comes from: `key-url`…
    pub key_url: Option<String>,
    /// …or the inline secret.
    pub secret: Option<String>,
    /// What the visitor agreed to, and the exact body.
    pub receipt: Receipt,
    /// Attempts made so far.
    pub attempts: u32,
    /// Not before this time (Unix ms).
    pub next_ms: f64,
    /// The last problem, in English.
    pub last_error: Option<String>,
}

impl Entry {
    /// A new entry, due now.
    pub fn new(origin: String, form: FormKind, endpoint: String, key: &KeySource, receipt: Receipt) -> Entry {
        let (key_url, secret) = match key {
            KeySource::Url(u) => (Some(u.clone()), None),
            KeySource::Inline(s) => (None, Some(s.clone())),
        };
        Entry { origin, form, endpoint, key_url, secret, receipt, attempts: 0, next_ms: 0.0, last_error: None }
    }

    /// The submission id.
    pub fn id(&self) -> &str {
        &self.receipt.id
    }

    fn target(&self) -> Target {
        let key = match (&self.key_url, &self.secret) {
            (Some(url), _) => KeySource::Url(url.clone()),
            (None, Some(secret)) => KeySource::Inline(secret.clone()),
            (None, None) => KeySource::Url(String::new()),
        };
        Target { endpoint: self.endpoint.clone(), key }
    }
}

/// What happened to an entry.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Accepted with this 2xx status: the entry left the outbox.
    Sent(u16),
    /// Not yet: it stays and is tried again at `next_ms`.
    Waiting {
        /// What went wrong this time.
        problem: Problem,
    },
    /// Refused for good (a 4xx other than 408/429): the entry left the outbox.
    Refused {
        /// Why.
        problem: Problem,
    },
}

/// An outcome for one entry, sent to subscribers.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// The entry as it was when tried.
    pub entry: Entry,
    /// What happened.
    pub outcome: Outcome,
}

/// Why an entry could not be kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// No `localStorage` (disabled, or a private mode): kept in memory for this page only.
    Unavailable,
    /// The storage is full.
    Full,
}

type Listener = Box<dyn Fn(&Report)>;

thread_local! {
    static MEMORY: RefCell<Option<Vec<Entry>>> = const { RefCell::new(None) };
    static LISTENERS: RefCell<Vec<(u32, std::rc::Rc<Listener>)>> = const { RefCell::new(Vec::new()) };
    static NEXT_TOKEN: Cell<u32> = const { Cell::new(0) };
    static FLUSHING: Cell<bool> = const { Cell::new(false) };
    static AGAIN: Cell<bool> = const { Cell::new(false) };
    static TIMER: RefCell<Option<gloo::timers::callback::Timeout>> = const { RefCell::new(None) };
    static INSTALLED: Cell<bool> = const { Cell::new(false) };
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Every waiting entry, oldest first.
pub fn entries() -> Vec<Entry> {
    if let Some(memory) = MEMORY.with(|m| m.borrow().clone()) {
        return memory;
    }
    let Some(text) = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()) else {
        return Vec::new();
    };
    let Ok(value) = js_sys::JSON::parse(&text) else { return Vec::new() };
    // Entries are read one by one: a damaged one is dropped, not the whole outbox.
    let Ok(array) = value.dyn_into::<js_sys::Array>() else { return Vec::new() };
    array.iter().filter_map(|v| serde_wasm_bindgen::from_value(v).ok()).collect()
}

fn store(list: &[Entry]) -> Result<(), StoreError> {
    let in_memory = MEMORY.with(|m| m.borrow().is_some());
    let result = match storage() {
        Some(storage) if !in_memory => {
            let text = serde_wasm_bindgen::to_value(list)
                .ok()
                .and_then(|v| js_sys::JSON::stringify(&v).ok())
                .and_then(|s| s.as_string())
                .unwrap_or_else(|| "[]".to_owned());
            storage.set_item(STORAGE_KEY, &text).map_err(|_| StoreError::Full)
        }
        _ => Err(StoreError::Unavailable),
    };
    if result.is_err() {
        MEMORY.with(|m| *m.borrow_mut() = Some(list.to_vec()));
    }
    result
}

fn update(f: impl FnOnce(&mut Vec<Entry>)) -> Result<(), StoreError> {
    let mut list = entries();
    f(&mut list);
    store(&list)
}

/// Writes `entry` to the outbox. An error means it is kept in this page's memory only.
pub fn put(entry: Entry) -> Result<(), StoreError> {
    update(|list| {
        list.retain(|e| e.id() != entry.id());
        list.push(entry);
    })
}

/// Listens to every report until the returned guard is dropped.
pub fn subscribe(listener: impl Fn(&Report) + 'static) -> Subscription {
    let token = NEXT_TOKEN.with(|t| {
        let token = t.get().wrapping_add(1);
        t.set(token);
        token
    });
    LISTENERS.with(|l| l.borrow_mut().push((token, std::rc::Rc::new(Box::new(listener)))));
    Subscription(token)
}

/// Keeps a listener registered; dropping it unsubscribes.
pub struct Subscription(u32);

impl Drop for Subscription {
    fn drop(&mut self) {
        let token = self.0;
        LISTENERS.with(|l| l.borrow_mut().retain(|(t, _)| *t != token));
    }
}

fn notify(report: &Report) {
    let listeners: Vec<_> = LISTENERS.with(|l| l.borrow().iter().map(|(_, f)| f.clone()).collect());
    for listener in listeners {
        listener(report);
    }
}

/// Starts flushing the outbox on `online` and when the page becomes visible, and
/// flushes it now. Calling it again does nothing more.
pub fn install() {
    if INSTALLED.with(|i| i.replace(true)) {
        return;
    }
    if let Some(window) = web_sys::window() {
        gloo::events::EventListener::new(&window, "online", |_| flush()).forget();
        if let Some(document) = window.document() {
            let doc = document.clone();
            gloo::events::EventListener::new(&document, "visibilitychange", move |_| {
                if doc.visibility_state() == web_sys::VisibilityState::Visible {
                    flush();
                }
            })
            .forget();
        }
    }
    flush();
}

/// Tries every entry that is due; schedules the next try for the rest.
pub fn flush() {
    if FLUSHING.with(|f| f.replace(true)) {
        AGAIN.with(|a| a.set(true));
        return;
    }
    wasm_bindgen_futures::spawn_local(async {
        loop {
            AGAIN.with(|a| a.set(false));
            flush_due().await;
            if !AGAIN.with(|a| a.get()) {
                break;
            }
        }
        FLUSHING.with(|f| f.set(false));
        schedule();
    });
}

async fn flush_due() {
    let now = js_sys::Date::now();
    let due: Vec<String> = entries()
        .iter()
        .filter(|e| e.next_ms <= now)
        .map(|e| e.id().to_owned())
        .collect();
    for id in due {
        // Read again: another tab may have delivered it meanwhile.
        let Some(entry) = entries().into_iter().find(|e| e.id() == id) else { continue };
        let Ok(message_id) = MessageId::parse(&id) else {
            let _ = update(|list| list.retain(|e| e.id() != id));
            continue;
        };
        let outcome = match delivery::attempt(&entry.target(), &message_id, entry.receipt.body.as_bytes()).await {
            Ok(status) => Outcome::Sent(status),
            Err(problem) if problem.retryable() => Outcome::Waiting { problem },
            Err(problem) => Outcome::Refused { problem },
        };
        let _ = match &outcome {
            Outcome::Waiting { problem } => update(|list| {
                if let Some(e) = list.iter_mut().find(|e| e.id() == id) {
                    e.attempts += 1;
                    let retry_after = match problem {
                        Problem::Status { retry_after, .. } => *retry_after,
                        _ => None,
                    };
                    let wait = crate::retry::delay_ms(e.attempts, js_sys::Math::random(), retry_after);
                    e.next_ms = js_sys::Date::now() + wait as f64;
                    e.last_error = Some(problem.describe());
                }
            }),
            _ => update(|list| list.retain(|e| e.id() != id)),
        };
        notify(&Report { entry, outcome });
    }
}

fn schedule() {
    let Some(next) = entries().iter().map(|e| e.next_ms).reduce(f64::min) else {
        TIMER.with(|t| t.borrow_mut().take());
        return;
    };
    let wait = (next - js_sys::Date::now()).clamp(0.0, f64::from(u32::MAX)) as u32;
    let timer = gloo::timers::callback::Timeout::new(wait, flush);
    TIMER.with(|t| *t.borrow_mut() = Some(timer));
}
