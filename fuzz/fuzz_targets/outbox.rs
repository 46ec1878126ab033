//! The outbox as the browser keeps it in `localStorage`, where anyone (an extension,
//! a script on the page, a full disk, an older version) may have changed it: an
//! entry's text (`Entry::parse`), a report (`Report::from_json`), the first version's
//! array of entries (read as `migrate_legacy` reads it, then `oldest_first`), and
//! another tab's change to an entry (`heard`, old and new text split at the first
//! 0xFF byte, which UTF-8 never has). Never a panic, and:
//!
//! - an entry or report that reads writes back (`ToJson`, byte for byte what
//!   serde_json writes) to text that reads as the same entry: held stays held, since
//!   the same time, and an entry expires (`Entry::expired`) at the same moments;
//! - what the tab is told of another tab's change agrees with the entry it read;
//! - entries come oldest first, equal times in the order given, none lost;
//! - everything the form shows of an entry can be shown (its problem, its receipt,
//!   what it carries put back into a form: `draft::values_of`).
#![no_main]

mod common;

use consent_form::json::{self, Json, ToJson};
use consent_form::outbox::{self, Entry, Outcome, Report, KEEP_MS};
use consent_form::receipt::Receipt;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (first, second) = match data.iter().position(|&b| b == 0xff) {
        Some(at) => (&data[..at], Some(&data[at + 1..])),
        None => (data, None),
    };
    let Ok(text) = std::str::from_utf8(first) else {
        return;
    };
    let value = json::parse(text).ok();
    let entry = Entry::parse(text);
    assert_eq!(entry, value.as_ref().and_then(Entry::from_json));
    if let Some(entry) = &entry {
        check_entry(entry);
    }
    if let Some(value) = &value {
        if let Some(report) = Report::from_json(value) {
            check_report(&report);
        }
        if let Json::Array(items) = value {
            check_legacy(items);
        }
    }
    if let Some(Ok(new)) = second.map(std::str::from_utf8) {
        check_heard(Some(text), new);
        check_heard(None, new);
    }
});

/// Written back, it reads the same; its times behave the same.
fn check_entry(entry: &Entry) {
    let text = entry.to_json();
    assert_eq!(
        text,
        serde_json::to_string(entry).unwrap(),
        "written as serde_json writes"
    );
    let again = Entry::parse(&text);
    assert_eq!(again.as_ref(), Some(entry), "{text}");
    let again = again.unwrap();
    assert_eq!(
        again.held_ms != 0.0,
        entry.held_ms != 0.0,
        "held stays held"
    );
    for now in [
        0.0,
        entry.created_ms,
        entry.held_ms,
        entry.held_ms + KEEP_MS,
        entry.held_ms + KEEP_MS + 1.0,
        1_795_575_600_000.0,
    ] {
        let expired = entry.expired(now);
        assert_eq!(
            expired,
            entry.held_ms != 0.0 && now - entry.held_ms > KEEP_MS
        );
        assert_eq!(again.expired(now), expired);
    }
    // Never expired while it is to be sent.
    if entry.held_ms == 0.0 {
        assert!(!entry.expired(f64::MAX));
    }
    assert_eq!(entry.due_ms(), entry.next_ms.max(entry.lease_ms));
    match &entry.withdrawal {
        Some(w) => {
            assert_eq!(entry.id(), w.id);
            assert_eq!(entry.body(), w.body);
        }
        None => {
            assert_eq!(entry.id(), entry.receipt.id);
            assert_eq!(entry.body(), entry.receipt.body);
        }
    }
    if let Some(problem) = &entry.last_problem {
        assert!(!problem.describe().is_empty());
        let _ = (
            problem.retryable(),
            problem.is_network(),
            problem.retry_after(),
        );
    }
    show(&entry.receipt);
}

/// What the form shows of a receipt, and what it puts back into a form.
fn show(receipt: &Receipt) {
    let _ = receipt.callback();
    let _ = receipt.guardian();
    assert_eq!(receipt.notice_rows().len(), receipt.lines.len());
    assert!(!receipt.time_for_people().is_empty() || receipt.submitted_at.is_empty());
    assert!(receipt.file_name().ends_with(".json"));
    for config in common::configs() {
        let values = consent_form::draft::values_of(config, receipt);
        if let Some(industry) = values.get(&consent_form::fields::FieldName::Industry) {
            assert!(
                industry.is_empty() || config.industries.iter().any(|i| i == industry),
                "{industry:?} is not an option of {:?}",
                config.industries
            );
        }
    }
}

fn check_report(report: &Report) {
    let text = report.to_json();
    assert_eq!(text, serde_json::to_string(report).unwrap());
    assert_eq!(
        Report::from_json(&json::parse(&text).unwrap()).as_ref(),
        Some(report),
        "{text}"
    );
    check_entry(&report.entry);
}

/// The first version's outbox, one array: every entry that reads, oldest first.
fn check_legacy(items: &[Json]) {
    let read: Vec<Entry> = items.iter().filter_map(Entry::from_json).collect();
    let sorted = outbox::oldest_first(read.clone());
    assert_eq!(sorted.len(), read.len());
    for pair in sorted.windows(2) {
        assert!(pair[0].created_ms.total_cmp(&pair[1].created_ms).is_le());
    }
    // Stable, and none lost: each entry is where the ones before it with the same
    // time put it.
    let mut placed = vec![false; read.len()];
    for entry in &sorted {
        let at = (0..read.len())
            .find(|&i| !placed[i] && read[i] == *entry)
            .expect("an entry that was not read");
        assert!(
            (0..at).all(|i| placed[i] || read[i].created_ms.total_cmp(&entry.created_ms).is_gt()),
            "equal times out of order"
        );
        placed[at] = true;
    }
}

/// Another tab changed an entry from `old` to `new`.
fn check_heard(old: Option<&str>, new: &str) {
    let report = outbox::heard(old.map(str::to_owned), Some(new.to_owned()));
    let Some(report) = report else { return };
    check_report(&report);
    let left = json::parse(new)
        .ok()
        .and_then(|v| v.object("").ok().and_then(|o| o.get("left").cloned()));
    if let Some(left) = left {
        assert_eq!(Report::from_json(&left), Some(report));
        return;
    }
    let entry = Entry::parse(new).expect("a report from an entry that does not read");
    assert_eq!(report.entry, entry);
    let old = old.and_then(Entry::parse);
    // A held entry taken into another form (its origin changed): it left the lists.
    if entry.held_ms != 0.0
        && !entry.origin.is_empty()
        && old.as_ref().is_some_and(|o| o.origin != entry.origin)
    {
        assert_eq!(report.outcome, Outcome::Removed {});
        return;
    }
    // An attempt, made by the other tab, failed: the entry as it now is.
    let before = old.map_or(0, |e| e.attempts);
    assert!(entry.attempts > before);
    assert_eq!(entry.lease_ms, 0.0);
    let problem = entry
        .last_problem
        .clone()
        .expect("a failure without a problem");
    let outcome = if entry.held_ms == 0.0 {
        Outcome::Waiting { problem }
    } else {
        Outcome::Refused { problem }
    };
    assert_eq!(report.outcome, outcome);
}
