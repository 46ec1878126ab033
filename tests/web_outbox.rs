//! The outbox's stored form: what is written to localStorage reads back the same, for
//! every kind of problem and outcome (read by hand with `consent_form::json`, written
//! by hand with `ToJson`), and is byte for byte what serde_json writes (so entries
//! stored by earlier versions read too). The DOM events' details likewise.

#![cfg(all(target_arch = "wasm32", feature = "ui"))]

use consent_form::delivery::Problem;
use consent_form::events::{Failure, Success, Withdrawn};
use consent_form::fields::FormKind;
use consent_form::json::{self, ToJson};
use consent_form::outbox::{Entry, Outcome, OutgoingWithdrawal, Report};
use consent_form::receipt::{Receipt, ReceiptLine};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn entry(problem: Option<Problem>) -> Entry {
    Entry {
        origin: "a1b2|/lien-he#form:contact".into(),
        form: FormKind::Callback,
        endpoint: "https://example.vn/api/leads".into(),
        key_url: Some("/api/keys".into()),
        secret: None,
        receipt: Receipt {
            id: "msg_0123456789abcdef0123456789abcdef".into(),
            submitted_at: "2026-11-23T16:59:54.123+07:00".into(),
            form: FormKind::Callback,
            controller: "Công ty \"Ví Dụ\"".into(),
            policy_url: "/privacy".into(),
            policy_version: Some("2025-07".into()),
            lines: vec![ReceiptLine {
                purpose: "consultation".into(),
                sentence: "Tôi đồng ý\n\t\u{1}\u{2028}😀\\".into(),
                granted: true,
            }],
            body: r#"{"id":"msg_0123","fields":{"name":"Ngô Bảo Châu"}}"#.into(),
        },
        timeout_ms: 1_500,
        created_ms: 1_795_431_594_123.0,
        attempts: 3,
        next_ms: 1_795_431_600_456.0,
        lease_ms: 0.0,
        network_failure: problem.as_ref().is_some_and(Problem::is_network),
        last_error: problem.as_ref().map(Problem::describe),
        last_problem: problem,
        withdrawal: None,
        remember: true,
    }
}

/// A withdrawal's entry, as the receipt makes it.
fn withdrawal_entry(problem: Option<Problem>) -> Entry {
    let mut e = entry(problem);
    e.endpoint = "/api/withdrawals".into();
    e.receipt.lines.clear();
    e.receipt.body.clear();
    e.remember = false;
    e.withdrawal = Some(OutgoingWithdrawal {
        id: "msg_fedcba9876543210fedcba9876543210".into(),
        purpose: "marketing".into(),
        withdrawn_at: "2026-11-23T17:02:10.500+07:00".into(),
        body: r#"{"id":"msg_fedc","withdraws":"msg_0123","text":"Rút lại \"x\"?"}"#.into(),
    });
    e
}

fn problems() -> Vec<Problem> {
    vec![
        Problem::Network("Failed to fetch".into()),
        Problem::Cors("https://example.vn/api/leads".into()),
        Problem::Timeout(1_500),
        Problem::Status {
            status: 503,
            retry_after: Some(2),
            detail: None,
        },
        Problem::Status {
            status: 422,
            retry_after: None,
            detail: Some("the payload is invalid: field `age` is unknown".into()),
        },
        Problem::Redirect,
        Problem::Key("HTTP 500".into()),
        Problem::Browser("no crypto.subtle".into()),
    ]
}

#[wasm_bindgen_test]
fn entries_read_back_as_written_with_every_problem() {
    let mut cases: Vec<Option<Problem>> = problems().into_iter().map(Some).collect();
    cases.push(None);
    for problem in cases {
        for written in [entry(problem.clone()), withdrawal_entry(problem)] {
            let text = written.to_json();
            assert_eq!(text, serde_json::to_string(&written).unwrap());
            let read = Entry::from_json(&json::parse(&text).unwrap());
            assert_eq!(read.as_ref(), Some(&written), "{text}");
        }
    }
    // A withdrawal's entry is known by the withdrawal's id, a submission's by its own.
    assert_eq!(
        withdrawal_entry(None).id(),
        "msg_fedcba9876543210fedcba9876543210"
    );
    assert_eq!(entry(None).id(), "msg_0123456789abcdef0123456789abcdef");
    // A damaged withdrawal is not read as a submission.
    let damaged = withdrawal_entry(None)
        .to_json()
        .replace("\"purpose\":\"marketing\"", "\"purpose\":7");
    assert_eq!(Entry::from_json(&json::parse(&damaged).unwrap()), None);
}

#[wasm_bindgen_test]
fn reports_read_back_as_written() {
    let mut outcomes = vec![Outcome::Sent(201)];
    for problem in problems() {
        outcomes.push(Outcome::Waiting {
            problem: problem.clone(),
        });
        outcomes.push(Outcome::Refused { problem });
    }
    for outcome in outcomes {
        let written = Report {
            entry: entry(None),
            outcome,
        };
        let text = written.to_json();
        assert_eq!(text, serde_json::to_string(&written).unwrap());
        assert_eq!(
            Report::from_json(&json::parse(&text).unwrap()),
            Some(written),
            "{text}"
        );
    }
}

#[wasm_bindgen_test]
fn event_details_are_what_serde_json_writes() {
    let success = Success {
        id: "msg_0123456789abcdef0123456789abcdef",
        status: 201,
    };
    assert_eq!(success.to_json(), serde_json::to_string(&success).unwrap());
    for id in [Some("msg_0123456789abcdef0123456789abcdef"), None] {
        for will_retry in [true, false] {
            let failure = Failure {
                id,
                reason: "the endpoint answered HTTP 503 (retry after 2 s) \"x\"\n",
                will_retry,
            };
            assert_eq!(failure.to_json(), serde_json::to_string(&failure).unwrap());
        }
    }
    let withdrawn = Withdrawn {
        id: "msg_fedcba9876543210fedcba9876543210",
        submission_id: "msg_0123456789abcdef0123456789abcdef",
        purpose: "marketing",
    };
    assert_eq!(
        withdrawn.to_json(),
        serde_json::to_string(&withdrawn).unwrap()
    );
}

#[wasm_bindgen_test]
fn a_damaged_entry_is_skipped_not_misread() {
    let text = entry(None).to_json();
    for (from, to) in [
        ("\"attempts\":3", "\"attempts\":\"3\""),
        ("\"form\":\"callback\"", "\"form\":\"newsletter\""),
        ("\"last_problem\":null", "\"last_problem\":{\"Teapot\":1}"),
    ] {
        assert!(text.contains(from), "{text}");
        let damaged = text.replace(from, to);
        assert_eq!(
            Entry::from_json(&json::parse(&damaged).unwrap()),
            None,
            "{damaged}"
        );
    }
    // An entry written before `lease_ms`, `network_failure` and `last_problem` existed.
    let old = text
        .replace(",\"lease_ms\":0.0", "")
        .replace(",\"network_failure\":false", "")
        .replace(",\"last_problem\":null", "");
    assert_ne!(old, text);
    assert_eq!(
        Entry::from_json(&json::parse(&old).unwrap()),
        Some(entry(None))
    );
}

#[wasm_bindgen_test]
fn entries_come_oldest_first() {
    let times = [5.0, 1.0, 4.0, 0.0, 3.0, 2.0, 1_795_431_594_123.0, -1.0];
    let ids: Vec<String> = (0..times.len()).map(|i| format!("msg_order{i}")).collect();
    for (id, &created_ms) in ids.iter().zip(&times) {
        let mut written = entry(None);
        written.receipt.id = id.clone();
        written.created_ms = created_ms;
        let _ = consent_form::outbox::put(written);
    }
    let read: Vec<(String, f64)> = consent_form::outbox::entries()
        .into_iter()
        .filter(|e| ids.contains(&e.receipt.id))
        .map(|e| (e.receipt.id.clone(), e.created_ms))
        .collect();
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        for id in &ids {
            let _ = storage.remove_item(&format!("{}{id}", consent_form::outbox::KEY_PREFIX));
        }
    }
    let mut wanted: Vec<(String, f64)> = ids.iter().cloned().zip(times).collect();
    wanted.sort_by(|a, b| a.1.total_cmp(&b.1));
    assert_eq!(read, wanted);
}
