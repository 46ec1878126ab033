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

use serde::Serialize;

use crate::config::DEFAULT_TIMEOUT_MS;
use crate::fields::FormKind;
use crate::json::{Json, ToJson, Writer};
use crate::problem::Problem;
use crate::receipt::Receipt;

#[cfg(feature = "ui")]
mod browser;
#[cfg(feature = "ui")]
pub mod locks;
#[cfg(feature = "ui")]
pub use browser::{
    delete, drop_held, entries, flush, holds, install, kept_by_this_page_only, put, read, send_now,
    subscribe, take, StoreError, Subscription,
};

/// Every entry is stored under this prefix followed by its id.
pub const KEY_PREFIX: &str = "consent-form:outbox:v2:";
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
    /// A submission to keep in the device's [`history`](crate::history) once delivered
    /// (the form takes withdrawals); absent when false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub remember: bool,
    /// Held since this time (Unix ms), never sent as it is: refused for good, or put back
    /// into a form by the visitor (`take`, in the browser). 0 (absent) while it is to be sent.
    #[serde(skip_serializing_if = "is_zero")]
    pub held_ms: f64,
}

/// A time as [`ToJson`] writes it: whole milliseconds, within ±2^53 (JavaScript's safe
/// integers; a `Date` is within ±8.64e15). The code only ever stores such times; one
/// changed by hand is read so, that it writes back as it was read (a held entry stays
/// held, and expires when it did).
#[inline(never)] // four callers: one copy is smaller in the wasm
fn whole_ms(ms: f64) -> f64 {
    const MAX: f64 = 9_007_199_254_740_992.0;
    ms.round_ties_even().clamp(-MAX, MAX)
}

fn is_zero(ms: &f64) -> bool {
    *ms == 0.0
}

impl Entry {
    /// Reads an entry back from the JSON [`ToJson`] (or its `Serialize`) wrote; `None` if it is
    /// damaged (keys added later have defaults, so older entries still read). Times are
    /// read as whole milliseconds within ±2^53, as they are written.
    pub fn from_json(value: &Json) -> Option<Entry> {
        let e = value.object("").ok()?;
        // What allocates nothing is read first: a refusal then has less to drop.
        let form = FormKind::parse(e.get("form")?.as_str()?)?;
        let timeout_ms = e
            .whole("timeout_ms", u32::MAX)
            .ok()?
            .unwrap_or(DEFAULT_TIMEOUT_MS);
        let created_ms = whole_ms(e.number("created_ms").ok()?.unwrap_or(0.0));
        let attempts = e.whole("attempts", u32::MAX).ok()??;
        let next_ms = whole_ms(e.number("next_ms").ok()??);
        let lease_ms = whole_ms(e.number("lease_ms").ok()?.unwrap_or(0.0));
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
            held_ms: whole_ms(e.number("held_ms").ok()?.unwrap_or(0.0)),
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
    pub fn body(&self) -> &str {
        match &self.withdrawal {
            Some(w) => &w.body,
            None => &self.receipt.body,
        }
    }

    /// When it may be tried next (Unix ms).
    pub fn due_ms(&self) -> f64 {
        self.next_ms.max(self.lease_ms)
    }

    /// Whether it is held and has been for longer than [`KEEP_MS`] at `now_ms`: such an
    /// entry leaves the outbox when it is next read.
    pub fn expired(&self, now_ms: f64) -> bool {
        self.held_ms != 0.0 && now_ms - self.held_ms > KEEP_MS
    }

    /// Reads an entry back from its stored text; `None` if that is not JSON or not an
    /// entry ([`Entry::from_json`]).
    pub fn parse(text: &str) -> Option<Entry> {
        Entry::from_json(&crate::json::parse(text).ok()?)
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

/// `list` by `created_ms`, equal times in the order given. An insertion sort: the
/// outbox holds a few entries, and the standard library's sort is kilobytes of wasm.
#[inline] // one caller in the browser: inlined there, as when it was private
pub fn oldest_first(list: Vec<Entry>) -> Vec<Entry> {
    let mut sorted: Vec<Entry> = Vec::with_capacity(list.len());
    for entry in list {
        let at = sorted.partition_point(|e| e.created_ms.total_cmp(&entry.created_ms).is_le());
        sorted.insert(at, entry);
    }
    sorted
}

/// What another tab's change to an entry means for this tab's forms: the entry left
/// (its outcome); the visitor put it back into a form there (`take`), so it leaves the
/// lists here as if removed; or an attempt at it failed and it waits (so the form that
/// made it stops saying "sending" even when it was another tab that tried).
#[inline] // one caller in the browser: inlined there, as when it was private
pub fn heard(old: Option<String>, new: Option<String>) -> Option<Report> {
    let new = crate::json::parse(&new?).ok()?;
    if let Some(left) = new.object("").ok().and_then(|n| n.get("left")) {
        return Report::from_json(left);
    }
    let entry = Entry::from_json(&new)?;
    let old = old.as_deref().and_then(Entry::parse);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// An entry as the code writes it, with `times` in place of its own.
    fn stored(created: &str, next: &str, lease: &str, held: &str) -> String {
        format!(
            r#"{{"origin":"t|/#:contact","form":"contact","endpoint":"/api","key_url":"/k","secret":null,
               "receipt":{{"id":"msg_0123456789abcdef0123456789abcdef","submitted_at":"","form":"contact",
               "controller":"C","policy_url":"/p","policy_version":null,"lines":[],"body":"{{}}"}},
               "timeout_ms":10000,"created_ms":{created},"attempts":1,"next_ms":{next},"lease_ms":{lease},
               "network_failure":false,"last_error":null,"last_problem":null,"held_ms":{held}}}"#
        )
    }

    #[test]
    fn times_that_are_not_whole_milliseconds_read_as_the_entry_writes_them_back() {
        // Written by the code, every time is whole (`Date.now()`); changed by hand, or by
        // another program, a time may be anything JSON has: it is read as the whole
        // milliseconds `ToJson` writes, so that a held entry stays held (a held_ms of 0.4
        // written back as 0.0 would make it sendable) and expires when it did.
        let text = stored("1.5", "-2.5e300", "0.1", "0.4");
        let entry = Entry::parse(&text).unwrap();
        assert_eq!(entry.created_ms, 2.0);
        assert_eq!(entry.next_ms, -9_007_199_254_740_992.0);
        assert_eq!(entry.lease_ms, 0.0);
        assert_eq!(entry.held_ms, 0.0);
        assert_eq!(Entry::parse(&entry.to_json()), Some(entry));

        let entry = Entry::parse(&stored("1e300", "7", "0", "1795575700000.7")).unwrap();
        assert_eq!(entry.created_ms, 9_007_199_254_740_992.0);
        assert_eq!(entry.held_ms, 1_795_575_700_001.0);
        let again = Entry::parse(&entry.to_json()).unwrap();
        assert_eq!(again, entry);
        let kept_until = entry.held_ms + KEEP_MS;
        assert!(!again.expired(kept_until) && again.expired(kept_until + 1.0));
    }
}
