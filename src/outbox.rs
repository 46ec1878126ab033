//! The outbox: every submission is written to `localStorage` before its first attempt
//! and leaves only when the backend answers 2xx. Refused for good, it is kept, held
//! (never sent as it is), so that what the visitor typed is not lost: until the form
//! that shows it sends anew, the visitor deletes it, or [`KEEP_MS`] pass. Retries use
//! backoff with full jitter and honour `Retry-After`; the outbox is flushed on page
//! load, when the browser comes back `online` (then every entry that failed for want of
//! a network is tried at once) and when the page becomes visible.
//!
//! Each entry has its own storage key, so tabs writing at once never overwrite each
//! other's entries. A tab that tries an entry first marks it as in flight (a lease
//! for one timeout), so other tabs leave it alone meanwhile. Two tabs may still send the
//! same entry at the same moment; the id is the idempotency key, so the backend stores
//! it once (the reference receiver does). When an entry leaves the outbox, its outcome
//! is written under its key for an instant, so the tab whose form sent it hears of it
//! (a `storage` event) even when another tab delivered it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use serde::Serialize;

use crate::json::{Json, ToJson, Writer};
use wasm_bindgen::JsCast;

use crate::config::{KeySource, DEFAULT_TIMEOUT_MS};
use crate::delivery::{self, Problem, Target};
use crate::fields::FormKind;
use crate::history;
use crate::receipt::Receipt;
use crate::signing::MessageId;

/// Every entry is stored under this prefix followed by its id.
pub const KEY_PREFIX: &str = "consent-form:outbox:v2:";
/// Where the first version kept the whole outbox as one array (read once, then moved).
const LEGACY_KEY: &str = "consent-form:outbox:v1";
/// A timer never fires sooner than this after a flush, so entries leased by another
/// tab cannot make this one spin.
const MIN_WAIT_MS: f64 = 100.0;
/// Timers and `online` flushes are spread over this many milliseconds, so that tabs
/// waking for the same entry seldom try it at the same moment.
const JITTER_MS: f64 = 300.0;
/// How long a held entry is kept: 30 days.
pub const KEEP_MS: f64 = 30.0 * 24.0 * 3_600_000.0;

/// A withdrawal made on a receipt, waiting to be delivered.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OutgoingWithdrawal {
    /// Its message id.
    pub id: String,
    /// The purpose withdrawn.
    pub purpose: String,
    /// When the visitor confirmed, RFC 3339.
    pub withdrawn_at: String,
    /// The exact body to sign and send.
    pub body: String,
}

impl OutgoingWithdrawal {
    fn from_json(value: &Json) -> Option<OutgoingWithdrawal> {
        let w = value.object("").ok()?;
        Some(OutgoingWithdrawal {
            id: w.text("id")?,
            purpose: w.text("purpose")?,
            withdrawn_at: w.text("withdrawn_at")?,
            body: w.text("body")?,
        })
    }
}

/// A submission, or a withdrawal, waiting to be delivered.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Entry {
    /// Which form on which page in which tab sent it: its reports go back to that
    /// form, even after a reload.
    pub origin: String,
    /// Which form sent it.
    pub form: FormKind,
    /// Where it goes.
    pub endpoint: String,
    /// Where its key comes from: `key-url`…
    pub key_url: Option<String>,
    /// …or the inline secret.
    pub secret: Option<String>,
    /// What the visitor agreed to, and the exact body. For a withdrawal: the receipt of
    /// the submission it withdraws from, without its lines and body.
    pub receipt: Receipt,
    /// How long one attempt may take, in milliseconds.
    pub timeout_ms: u32,
    /// When it was put in the outbox (Unix ms).
    pub created_ms: f64,
    /// Attempts made so far.
    pub attempts: u32,
    /// Not before this time (Unix ms).
    pub next_ms: f64,
    /// A tab is trying it until this time (Unix ms); others leave it alone till then.
    pub lease_ms: f64,
    /// Whether the last attempt failed for want of a connection.
    pub network_failure: bool,
    /// The last problem, in English.
    pub last_error: Option<String>,
    /// The last problem, typed: a tab that did not make the attempt reports it to the
    /// form that made the submission.
    pub last_problem: Option<Problem>,
    /// A withdrawal, sent in place of the receipt's body to `endpoint` (the
    /// `withdraw-endpoint`); absent in a submission's entry (and in earlier versions').
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdrawal: Option<OutgoingWithdrawal>,
    /// A submission to keep in the device's [`history`] once delivered
    /// (the form takes withdrawals); absent when false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub remember: bool,
    /// Held since this time (Unix ms), never sent as it is: refused for good, or put back
    /// into a form by the visitor ([`take`]). 0 (absent) while it is to be sent.
    #[serde(skip_serializing_if = "is_zero")]
    pub held_ms: f64,
}

fn is_zero(ms: &f64) -> bool {
    *ms == 0.0
}

impl Entry {
    /// A new entry, due now.
    pub fn new(origin: String, form: FormKind, target: &Target, receipt: Receipt) -> Entry {
        let (key_url, secret) = match &target.key {
            KeySource::Url(u) => (Some(u.clone()), None),
            KeySource::Inline(s) => (None, Some(s.clone())),
        };
        Entry {
            origin,
            form,
            endpoint: target.endpoint.clone(),
            key_url,
            secret,
            receipt,
            timeout_ms: target.timeout_ms,
            created_ms: js_sys::Date::now(),
            attempts: 0,
            next_ms: 0.0,
            lease_ms: 0.0,
            network_failure: false,
            last_error: None,
            last_problem: None,
            withdrawal: None,
            remember: false,
            held_ms: 0.0,
        }
    }

    /// Reads an entry back from the JSON [`ToJson`] (or its `Serialize`) wrote; `None` if it is
    /// damaged (keys added later have defaults, so older entries still read).
    pub fn from_json(value: &Json) -> Option<Entry> {
        let e = value.object("").ok()?;
        // What allocates nothing is read first: a refusal then has less to drop.
        let form = FormKind::parse(e.get("form")?.as_str()?)?;
        let timeout_ms = e
            .whole("timeout_ms", u32::MAX)
            .ok()?
            .unwrap_or(DEFAULT_TIMEOUT_MS);
        let created_ms = e.number("created_ms").ok()?.unwrap_or(0.0);
        let attempts = e.whole("attempts", u32::MAX).ok()??;
        let next_ms = e.number("next_ms").ok()??;
        let lease_ms = e.number("lease_ms").ok()?.unwrap_or(0.0);
        let network_failure = e.bool("network_failure").ok()?.unwrap_or(false);
        let last_problem = match e.get("last_problem") {
            None => None,
            Some(problem) => Some(Problem::from_json(problem)?),
        };
        let withdrawal = match e.get("withdrawal") {
            None => None,
            Some(w) => Some(OutgoingWithdrawal::from_json(w)?),
        };
        Some(Entry {
            origin: e.text("origin")?,
            form,
            endpoint: e.text("endpoint")?,
            key_url: e.string("key_url").ok()?,
            secret: e.string("secret").ok()?,
            receipt: Receipt::from_json(&e.object("receipt").ok()??)?,
            timeout_ms,
            created_ms,
            attempts,
            next_ms,
            lease_ms,
            network_failure,
            last_error: e.string("last_error").ok()?,
            last_problem,
            withdrawal,
            remember: e.bool("remember").ok()?.unwrap_or(false),
            held_ms: e.number("held_ms").ok()?.unwrap_or(0.0),
        })
    }

    /// The id of what it sends: the submission's, or the withdrawal's.
    pub fn id(&self) -> &str {
        match &self.withdrawal {
            Some(w) => &w.id,
            None => &self.receipt.id,
        }
    }

    /// The exact body it sends.
    fn body(&self) -> &str {
        match &self.withdrawal {
            Some(w) => &w.body,
            None => &self.receipt.body,
        }
    }

    /// When it may be tried next (Unix ms).
    pub fn due_ms(&self) -> f64 {
        self.next_ms.max(self.lease_ms)
    }

    fn target(&self) -> Target {
        let key = match (&self.key_url, &self.secret) {
            (Some(url), _) => KeySource::Url(url.clone()),
            (None, Some(secret)) => KeySource::Inline(secret.clone()),
            (None, None) => KeySource::Url(String::new()),
        };
        Target {
            endpoint: self.endpoint.clone(),
            key,
            timeout_ms: self.timeout_ms,
        }
    }
}

impl ToJson for Entry {
    /// What its `Serialize` writes, byte for byte (the times are whole milliseconds,
    /// as `Date.now()` gives them): [`Entry::from_json`] reads both.
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("origin").string(&self.origin);
        w.key("form").string(self.form.as_str());
        w.key("endpoint").string(&self.endpoint);
        w.key("key_url").optional(self.key_url.as_deref());
        w.key("secret").optional(self.secret.as_deref());
        w.key("receipt");
        self.receipt.write_json(w);
        w.key("timeout_ms").number(u64::from(self.timeout_ms));
        w.key("created_ms").whole_float(self.created_ms);
        w.key("attempts").number(u64::from(self.attempts));
        w.key("next_ms").whole_float(self.next_ms);
        w.key("lease_ms").whole_float(self.lease_ms);
        w.key("network_failure").bool(self.network_failure);
        w.key("last_error").optional(self.last_error.as_deref());
        w.key("last_problem");
        match &self.last_problem {
            Some(problem) => problem.write_json(w),
            None => w.null(),
        }
        if let Some(withdrawal) = &self.withdrawal {
            w.key("withdrawal").begin_object();
            w.key("id").string(&withdrawal.id);
            w.key("purpose").string(&withdrawal.purpose);
            w.key("withdrawn_at").string(&withdrawal.withdrawn_at);
            w.key("body").string(&withdrawal.body);
            w.end_object();
        }
        if self.remember {
            w.key("remember").bool(true);
        }
        if self.held_ms != 0.0 {
            w.key("held_ms").whole_float(self.held_ms);
        }
        w.end_object();
    }
}

/// What happened to an entry.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Outcome {
    /// Accepted with this 2xx status: the entry left the outbox.
    Sent(u16),
    /// Not yet: it stays and is tried again at `next_ms`.
    Waiting {
        /// What went wrong this time.
        problem: Problem,
    },
    /// Refused for good (a 4xx other than 408/429, a redirect): a submission is held, a
    /// withdrawal leaves the outbox.
    Refused {
        /// Why.
        problem: Problem,
    },
    /// The visitor deleted it, or a new submission from the form holding it replaced it:
    /// it left the outbox, unsent.
    Removed {},
}

/// An outcome for one entry, sent to subscribers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// The entry as it was when tried.
    pub entry: Entry,
    /// What happened.
    pub outcome: Outcome,
}

impl Report {
    /// Reads a report back from the JSON [`ToJson`] (or its `Serialize`) wrote.
    pub fn from_json(value: &Json) -> Option<Report> {
        let report = value.object("").ok()?;
        let outcome = report.object("outcome").ok()??;
        let [(tag, inner)] = outcome.members() else {
            return None;
        };
        let problem = || Problem::from_json(inner.object("").ok()?.get("problem")?);
        let outcome = match tag.as_str() {
            "Sent" => Outcome::Sent(
                u16::try_from(outcome.whole("Sent", u32::from(u16::MAX)).ok()??).ok()?,
            ),
            "Waiting" => Outcome::Waiting {
                problem: problem()?,
            },
            "Refused" => Outcome::Refused {
                problem: problem()?,
            },
            "Removed" => Outcome::Removed {},
            _ => return None,
        };
        Some(Report {
            entry: Entry::from_json(report.get("entry")?)?,
            outcome,
        })
    }
}

impl ToJson for Report {
    /// What its `Serialize` writes, byte for byte: [`Report::from_json`] reads it.
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("entry");
        self.entry.write_json(w);
        w.key("outcome").begin_object();
        match &self.outcome {
            Outcome::Sent(status) => w.key("Sent").number(u64::from(*status)),
            Outcome::Waiting { problem } => with_problem(w, "Waiting", problem),
            Outcome::Refused { problem } => with_problem(w, "Refused", problem),
            Outcome::Removed {} => {
                w.key("Removed").begin_object();
                w.end_object();
            }
        }
        w.end_object();
        w.end_object();
    }
}

/// `"<tag>":{"problem":…}`.
fn with_problem(w: &mut Writer, tag: &str, problem: &Problem) {
    w.key(tag).begin_object();
    w.key("problem");
    problem.write_json(w);
    w.end_object();
}

/// Why an entry could not be kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// No `localStorage` (disabled, or a private mode): kept in memory for this page only.
    Unavailable,
    /// The storage is full: kept in memory for this page only.
    Full,
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            StoreError::Unavailable => "no localStorage: the submission is kept by this page only",
            StoreError::Full => "localStorage is full: the submission is kept by this page only",
        })
    }
}

impl std::error::Error for StoreError {}

type Listener = Box<dyn Fn(&Report)>;

thread_local! {
    /// Entries that could not be stored: this page keeps them until they leave.
    static MEMORY: RefCell<Vec<Entry>> = const { RefCell::new(Vec::new()) };
    static LISTENERS: RefCell<Vec<(u32, Rc<Listener>)>> = const { RefCell::new(Vec::new()) };
    static NEXT_TOKEN: Cell<u32> = const { Cell::new(0) };
    static FLUSHING: Cell<bool> = const { Cell::new(false) };
    static AGAIN: Cell<bool> = const { Cell::new(false) };
    static TIMER: RefCell<Option<gloo::timers::callback::Timeout>> = const { RefCell::new(None) };
    static INSTALLED: Cell<bool> = const { Cell::new(false) };
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn storage_key(id: &str) -> String {
    format!("{KEY_PREFIX}{id}")
}

fn parse_entry(text: &str) -> Option<Entry> {
    Entry::from_json(&crate::json::parse(text).ok()?)
}

/// Every entry, held ones too, oldest first. A damaged entry is skipped (and left
/// alone); a held one older than [`KEEP_MS`] is removed.
pub fn entries() -> Vec<Entry> {
    let mut list = MEMORY.with(|m| m.borrow().clone());
    if let Some(storage) = storage() {
        migrate_legacy(&storage);
        let count = storage.length().unwrap_or(0);
        let keys: Vec<String> = (0..count)
            .filter_map(|i| storage.key(i).ok().flatten())
            .collect();
        let now = js_sys::Date::now();
        for key in keys.iter().filter(|k| k.starts_with(KEY_PREFIX)) {
            let Some(entry) = storage
                .get_item(key)
                .ok()
                .flatten()
                .and_then(|t| parse_entry(&t))
            else {
                continue;
            };
            if entry.held_ms != 0.0 && now - entry.held_ms > KEEP_MS {
                let _ = storage.remove_item(key);
            } else if !list.iter().any(|e| e.id() == entry.id()) {
                list.push(entry);
            }
        }
    }
    oldest_first(list)
}

/// `list` by `created_ms`, equal times in the order given. An insertion sort: the
/// outbox holds a few entries, and the standard library's sort is kilobytes of wasm.
fn oldest_first(list: Vec<Entry>) -> Vec<Entry> {
    let mut sorted: Vec<Entry> = Vec::with_capacity(list.len());
    for entry in list {
        let at = sorted.partition_point(|e| e.created_ms.total_cmp(&entry.created_ms).is_le());
        sorted.insert(at, entry);
    }
    sorted
}

/// The entry `id`, read afresh (another tab may have changed it).
fn read(id: &str) -> Option<Entry> {
    if let Some(entry) = MEMORY.with(|m| m.borrow().iter().find(|e| e.id() == id).cloned()) {
        return Some(entry);
    }
    let text = storage()?.get_item(&storage_key(id)).ok()??;
    parse_entry(&text)
}

/// Writes `entry` (new, or changed while it is still there).
fn write(entry: &Entry) -> Result<(), StoreError> {
    let in_memory = MEMORY.with(|m| {
        let mut memory = m.borrow_mut();
        match memory.iter_mut().find(|e| e.id() == entry.id()) {
            Some(slot) => {
                *slot = entry.clone();
                true
            }
            None => false,
        }
    });
    if in_memory {
        return Ok(());
    }
    let result = match storage() {
        Some(storage) => storage
            .set_item(&storage_key(entry.id()), &entry.to_json())
            .map_err(|_| StoreError::Full),
        None => Err(StoreError::Unavailable),
    };
    if result.is_err() {
        MEMORY.with(|m| m.borrow_mut().push(entry.clone()));
    }
    result
}

/// Removes entry `id`, leaving its outcome under its key for an instant so that the
/// other tabs hear of it.
fn remove(id: &str, report: &Report) {
    MEMORY.with(|m| m.borrow_mut().retain(|e| e.id() != id));
    let Some(storage) = storage() else { return };
    let key = storage_key(id);
    // What is written under the key as it leaves: `{"left": report}`.
    if storage.get_item(&key).ok().flatten().is_some() {
        let mut w = Writer::new();
        w.begin_object();
        w.key("left");
        report.write_json(&mut w);
        w.end_object();
        let _ = storage.set_item(&key, &w.finish());
    }
    let _ = storage.remove_item(&key);
}

/// Moves the outbox of the first version (one array under one key) to entry keys.
fn migrate_legacy(storage: &web_sys::Storage) {
    let Some(text) = storage.get_item(LEGACY_KEY).ok().flatten() else {
        return;
    };
    let moved = js_sys::JSON::parse(&text)
        .ok()
        .and_then(|v| v.dyn_into::<js_sys::Array>().ok())
        .map(|array| {
            array
                .iter()
                .filter_map(|v| js_sys::JSON::stringify(&v).ok()?.as_string())
                .filter_map(|text| parse_entry(&text))
                .all(|entry| write(&entry).is_ok())
        })
        .unwrap_or(true);
    if moved {
        let _ = storage.remove_item(LEGACY_KEY);
    }
}

/// Whether entry `id` is kept by this page only (the browser would not store it).
pub fn kept_by_this_page_only(id: &str) -> bool {
    MEMORY.with(|m| m.borrow().iter().any(|e| e.id() == id))
}

/// Writes `entry` to the outbox. An error means it is kept in this page's memory only.
pub fn put(entry: Entry) -> Result<(), StoreError> {
    write(&entry)
}

/// Listens to every report until the returned guard is dropped.
pub fn subscribe(listener: impl Fn(&Report) + 'static) -> Subscription {
    let token = NEXT_TOKEN.with(|t| {
        let token = t.get().wrapping_add(1);
        t.set(token);
        token
    });
    LISTENERS.with(|l| l.borrow_mut().push((token, Rc::new(Box::new(listener)))));
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

/// Starts flushing the outbox on `online`, when the page becomes visible and on the
/// timers, listens for entries other tabs deliver, and flushes now. Calling it again
/// does nothing more.
pub fn install() {
    if INSTALLED.with(|i| i.replace(true)) {
        return;
    }
    if let Some(window) = web_sys::window() {
        gloo::events::EventListener::new(&window, "online", |_| {
            wake_network_failures();
            // Every tab hears `online` at once: a random pause makes it likely that one
            // of them leases an entry before the others look at it.
            let pause = (js_sys::Math::random() * JITTER_MS) as u32;
            gloo::timers::callback::Timeout::new(pause, flush).forget();
        })
        .forget();
        gloo::events::EventListener::new(&window, "storage", |event| {
            let Some(event) = event.dyn_ref::<web_sys::StorageEvent>() else {
                return;
            };
            if !event.key().is_some_and(|k| k.starts_with(KEY_PREFIX)) {
                return;
            }
            if let Some(report) = heard(event.old_value(), event.new_value()) {
                notify(&report);
            }
        })
        .forget();
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

/// What another tab's change to an entry means for this tab's forms: the entry left
/// (its outcome); the visitor put it back into a form there ([`take`]), so it leaves
/// the lists here as if removed; or an attempt at it failed and it waits (so the form
/// that made it stops saying "sending" even when it was another tab that tried).
fn heard(old: Option<String>, new: Option<String>) -> Option<Report> {
    let new = crate::json::parse(&new?).ok()?;
    if let Some(left) = new.object("").ok().and_then(|n| n.get("left")) {
        return Report::from_json(left);
    }
    let entry = Entry::from_json(&new)?;
    let old = old.as_deref().and_then(parse_entry);
    if entry.held_ms != 0.0
        && !entry.origin.is_empty()
        && old.as_ref().is_some_and(|o| o.origin != entry.origin)
    {
        return Some(Report {
            entry,
            outcome: Outcome::Removed {},
        });
    }
    let before = old.map_or(0, |e| e.attempts);
    if entry.lease_ms != 0.0 || entry.attempts <= before {
        return None;
    }
    let problem = entry.last_problem.clone()?;
    let outcome = match entry.held_ms {
        0.0 => Outcome::Waiting { problem },
        _ => Outcome::Refused { problem },
    };
    Some(Report { entry, outcome })
}

/// The browser is back online: what failed for want of a network is due now.
fn wake_network_failures() {
    wake(None);
}

/// Makes due now the entries for `endpoint`, or without one those that failed for want
/// of a network.
fn wake(endpoint: Option<&str>) {
    let now = js_sys::Date::now();
    let picked = |e: &Entry| {
        e.held_ms == 0.0
            && match endpoint {
                Some(endpoint) => e.endpoint == endpoint,
                None => e.network_failure,
            }
    };
    for mut entry in entries()
        .into_iter()
        .filter(|e| picked(e) && e.next_ms > now)
    {
        entry.next_ms = now;
        let _ = write(&entry);
    }
}

/// The visitor asked: every submission waiting for `endpoint` is tried now (one that
/// another tab is trying is left to it).
pub fn send_now(endpoint: &str) {
    wake(Some(endpoint));
    flush();
}

/// The visitor put entry `id` back into the form of `origin`, to send it anew: it is
/// held (never sent as it is) under that origin, so that it is not lost if the page
/// closes first, until that form sends ([`drop_held`]). What that form held before goes
/// back to the list under the forms (its origin cleared), and is returned with it.
/// `None` if it has left the outbox meanwhile.
pub fn take(id: &str, origin: &str) -> Option<(Entry, Vec<Entry>)> {
    let mut entry = read(id)?;
    let mut released = Vec::new();
    for mut held in held_by(origin) {
        held.origin.clear();
        let _ = write(&held);
        released.push(held);
    }
    // Other forms on this page that list it let it go.
    notify(&Report {
        entry: entry.clone(),
        outcome: Outcome::Removed {},
    });
    if entry.held_ms == 0.0 {
        // Taken back while it waited: no refusal to speak of.
        entry.held_ms = js_sys::Date::now();
        entry.last_problem = None;
    }
    entry.origin = origin.to_owned();
    let _ = write(&entry);
    Some((entry, released))
}

/// The visitor deleted entry `id`: it leaves the outbox, unsent.
pub fn delete(id: &str) {
    if let Some(entry) = read(id) {
        discard(entry);
    }
}

/// A new submission from the form of `origin` replaces what it held: the entries held
/// under that origin leave the outbox.
pub fn drop_held(origin: &str) {
    held_by(origin).for_each(discard);
}

/// The entries held under `origin` (by the form it names).
fn held_by(origin: &str) -> impl Iterator<Item = Entry> + '_ {
    entries()
        .into_iter()
        .filter(move |e| e.held_ms != 0.0 && e.origin == origin)
}

/// Removes `entry` unsent, and says so to this tab and the others.
fn discard(entry: Entry) {
    let report = Report {
        entry,
        outcome: Outcome::Removed {},
    };
    remove(report.entry.id(), &report);
    notify(&report);
}

/// Whether entry `id` is still in the outbox.
pub fn holds(id: &str) -> bool {
    read(id).is_some()
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
        .filter(|e| e.held_ms == 0.0 && e.due_ms() <= now)
        .map(|e| e.id().to_owned())
        .collect();
    for id in due {
        // Read again: another tab may have delivered it, or be trying it, meanwhile.
        let Some(mut entry) = read(&id) else { continue };
        let now = js_sys::Date::now();
        if entry.held_ms != 0.0 || entry.due_ms() > now {
            continue;
        }
        let Ok(message_id) = MessageId::parse(&id) else {
            // Quoted and escaped as JSON (not `{:?}`, whose escaping brings Unicode tables).
            let problem =
                Problem::Browser(format!("the outbox held an unusable id {}", id.to_json()));
            let report = Report {
                entry,
                outcome: Outcome::Refused { problem },
            };
            remove(&id, &report);
            notify(&report);
            continue;
        };
        entry.lease_ms = now + f64::from(entry.timeout_ms) * 2.0 + 1_000.0;
        let _ = write(&entry);
        let outcome =
            match delivery::attempt(&entry.target(), &message_id, entry.body().as_bytes()).await {
                Ok(status) => Outcome::Sent(status),
                Err(problem) if problem.retryable() => Outcome::Waiting { problem },
                Err(problem) => Outcome::Refused { problem },
            };
        entry.attempts += 1;
        entry.lease_ms = 0.0;
        // A submission refused for good is held: kept, never sent as it is.
        let held = matches!(outcome, Outcome::Refused { .. }) && entry.withdrawal.is_none();
        if let Outcome::Waiting { problem } | Outcome::Refused { problem } = &outcome {
            let wait = crate::retry::delay_ms(
                entry.attempts,
                js_sys::Math::random(),
                problem.retry_after(),
            );
            let now = js_sys::Date::now();
            entry.next_ms = now + wait as f64;
            entry.network_failure = problem.is_network();
            entry.last_error = Some(problem.describe());
            entry.last_problem = Some(problem.clone());
            if held {
                entry.held_ms = now;
            }
        }
        let mut report = Report { entry, outcome };
        if held || matches!(report.outcome, Outcome::Waiting { .. }) {
            match read(&id) {
                // Put back into a form while it was tried: it stays as the form holds it.
                Some(stored) if stored.held_ms != 0.0 && !held => continue,
                // Still there: kept, updated (a refused one now held, under the origin of
                // the form that holds it if it was put back meanwhile).
                Some(stored) => {
                    report.entry.origin = stored.origin;
                    let _ = write(&report.entry);
                }
                // Gone meanwhile (delivered by another tab, deleted): nothing to keep.
                None => {}
            }
        } else {
            note_in_history(&report.entry, &report.outcome);
            remove(&id, &report);
        }
        notify(&report);
    }
}

/// What an answer to an entry changes in the consents given on this device: a
/// delivered submission to remember is kept; a delivered withdrawal is noted against its
/// submission, and so is one answered 409 (the consent was no longer active: withdrawn
/// elsewhere), without a time, so that the list stops offering it.
fn note_in_history(entry: &Entry, outcome: &Outcome) {
    match (&entry.withdrawal, outcome) {
        (Some(w), Outcome::Sent(_)) => history::storage::update(|h| {
            h.withdrawn(&entry.receipt.id, &w.purpose, &w.withdrawn_at)
        }),
        (
            Some(w),
            Outcome::Refused {
                problem: Problem::Status { status: 409, .. },
            },
        ) => history::storage::update(|h| h.withdrawn(&entry.receipt.id, &w.purpose, "")),
        (None, Outcome::Sent(_)) if entry.remember => {
            history::storage::update(|h| h.remember(&entry.endpoint, &entry.receipt))
        }
        _ => {}
    }
}

fn schedule() {
    let sendable = entries().into_iter().filter(|e| e.held_ms == 0.0);
    let Some(next) = sendable.map(|e| e.due_ms()).reduce(f64::min) else {
        TIMER.with(|t| t.borrow_mut().take());
        return;
    };
    let wait = (next - js_sys::Date::now() + js_sys::Math::random() * JITTER_MS)
        .clamp(MIN_WAIT_MS, f64::from(i32::MAX));
    let wait = wait as u32;
    let timer = gloo::timers::callback::Timeout::new(wait, flush);
    TIMER.with(|t| *t.borrow_mut() = Some(timer));
}
