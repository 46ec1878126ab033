//! The outbox in the browser: its entries in `localStorage` (one key each), the
//! timers and events that flush it, the attempts, and the reports to this tab's forms.
//! What an entry is, and how it is written and read back, is the pure part in
//! `outbox.rs`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsCast;

use super::{heard, oldest_first, Entry, Outcome, Report, KEY_PREFIX};
use crate::config::KeySource;
use crate::delivery::{self, Problem, Target};
use crate::fields::FormKind;
use crate::history;
use crate::json::{ToJson, Writer};
use crate::receipt::Receipt;
use crate::signing::MessageId;

/// Where the first version kept the whole outbox as one array (read once, then moved).
const LEGACY_KEY: &str = "consent-form:outbox:v1";
/// A timer never fires sooner than this after a flush, so entries leased by another
/// tab cannot make this one spin.
const MIN_WAIT_MS: f64 = 100.0;
/// Timers and `online` flushes are spread over this many milliseconds, so that tabs
/// waking for the same entry seldom try it at the same moment.
const JITTER_MS: f64 = 300.0;

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
    /// When this page last heard `online` (`Date.now()`), 0 if never.
    static ONLINE_AT: Cell<f64> = const { Cell::new(0.0) };
    /// The lease this page wrote on the entry it is trying, 0 if none.
    static TRYING: Cell<f64> = const { Cell::new(0.0) };
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn storage_key(id: &str) -> String {
    format!("{KEY_PREFIX}{id}")
}

/// Every entry, held ones too, oldest first. A damaged entry is skipped (and left
/// alone); a held one older than [`KEEP_MS`](super::KEEP_MS) is removed.
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
                .and_then(|t| Entry::parse(&t))
            else {
                continue;
            };
            if entry.expired(now) {
                let _ = storage.remove_item(key);
            } else if !list.iter().any(|e| e.id() == entry.id()) {
                list.push(entry);
            }
        }
    }
    oldest_first(list)
}

/// The entry `id`, read afresh (another tab may have changed it).
pub fn read(id: &str) -> Option<Entry> {
    if let Some(entry) = MEMORY.with(|m| m.borrow().iter().find(|e| e.id() == id).cloned()) {
        return Some(entry);
    }
    let text = storage()?.get_item(&storage_key(id)).ok()??;
    Entry::parse(&text)
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
                .filter_map(|text| Entry::parse(&text))
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
            ONLINE_AT.with(|o| o.set(js_sys::Date::now()));
            wake_network_failures();
            // Every tab hears `online` at once: a random pause makes it likely that one
            // of them leases an entry before the others look at it.
            let pause = (js_sys::Math::random() * JITTER_MS) as u32;
            gloo::timers::callback::Timeout::new(pause, flush).forget();
        })
        .forget();
        gloo::events::EventListener::new(&window, "pagehide", |_| let_go_of_try()).forget();
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

/// The page is left (closed, reloaded, or kept in the back/forward cache) while it tries
/// an entry: its lease goes, so that the next page (the reload) need not wait it out
/// (2 × `timeout_ms` + 1 s). Were that try delivered all the same, the backend stores
/// its `webhook-id` once.
fn let_go_of_try() {
    let lease = TRYING.with(|t| t.replace(0.0));
    if lease == 0.0 {
        return; // nothing under way: the outbox is not read at every page leave
    }
    for mut entry in entries().into_iter().filter(|e| e.lease_ms == lease) {
        entry.lease_ms = 0.0;
        let _ = write(&entry);
    }
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
        TRYING.with(|t| t.set(entry.lease_ms));
        let outcome =
            match delivery::attempt(&entry.target(), &message_id, entry.body().as_bytes()).await {
                Ok(status) => Outcome::Sent(status),
                Err(problem) if problem.retryable() => Outcome::Waiting { problem },
                Err(problem) => Outcome::Refused { problem },
            };
        TRYING.with(|t| t.set(0.0));
        entry.attempts = entry.attempts.saturating_add(1); // a stored u32::MAX stays, never wraps to 0
        entry.lease_ms = 0.0;
        // A submission refused for good is held: kept, never sent as it is.
        let held = matches!(outcome, Outcome::Refused { .. }) && entry.withdrawal.is_none();
        if let Outcome::Waiting { problem } | Outcome::Refused { problem } = &outcome {
            // The network came back while this try was under way: it failed for want of
            // the network it started without (at `now`), so the next try goes now.
            let back_online = problem.is_network() && ONLINE_AT.with(Cell::get) >= now;
            let wait = if back_online {
                0
            } else {
                crate::retry::delay_ms(
                    entry.attempts,
                    js_sys::Math::random(),
                    problem.retry_after(),
                )
            };
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
