//! What the browser keeps, written by the code itself: an outbox entry of each kind
//! (waiting, held, a withdrawal), a report of another tab (`{"left": …}`), an attempt
//! heard from another tab (old and new text, split by a 0xFF byte), the first
//! version's array, and a draft. These are the fuzz targets' seeds (`fuzz/seeds/outbox`,
//! `fuzz/seeds/draft`, replayed by scripts/test): this test fails when the committed
//! seeds are no longer what the code writes, and `WRITE_SEEDS=1 cargo test
//! --no-default-features --test storage_seeds` writes them anew. Each also reads back
//! as written.

use std::path::Path;

use consent_form::draft;
use consent_form::fields::{FieldName, FieldValues, FormKind};
use consent_form::json::{ToJson, Writer};
use consent_form::outbox::{self, Entry, Outcome, OutgoingWithdrawal, Report};
use consent_form::problem::Problem;
use consent_form::receipt::{Receipt, ReceiptLine};

fn entry() -> Entry {
    let mut fields = FieldValues::new();
    fields.insert(FieldName::Name, "Ngô Bảo Châu".into());
    fields.insert(FieldName::Phone, "0912 345 678".into());
    fields.insert(FieldName::Industry, "Bán lẻ".into());
    fields.insert(FieldName::CallbackDate, "2026-11-26".into());
    fields.insert(FieldName::CallbackWindow, "09:00-11:00".into());
    Entry {
        origin: "a1b2c3d4e5f60718|/lien-he#form:callback".into(),
        form: FormKind::Callback,
        endpoint: "https://example.vn/api/leads".into(),
        key_url: Some("/api/keys".into()),
        secret: None,
        receipt: Receipt {
            id: "msg_0123456789abcdef0123456789abcdef".into(),
            submitted_at: "2026-11-25T16:59:54.123+07:00".into(),
            form: FormKind::Callback,
            controller: "Công ty \"Ví Dụ\"".into(),
            policy_url: "/chinh-sach".into(),
            policy_version: Some("2026-01".into()),
            lines: vec![
                ReceiptLine {
                    purpose: "consultation".into(),
                    sentence: "Tôi đồng ý được gọi lại.".into(),
                    granted: true,
                },
                ReceiptLine {
                    purpose: "marketing".into(),
                    sentence: "Tôi đồng ý nhận tin khuyến mãi.".into(),
                    granted: false,
                },
            ],
            body: format!(
                r#"{{"id":"msg_0123456789abcdef0123456789abcdef","fields":{}}}"#,
                fields.to_json()
            ),
        },
        timeout_ms: 10_000,
        created_ms: 1_795_575_594_123.0,
        attempts: 2,
        next_ms: 1_795_575_600_456.0,
        lease_ms: 0.0,
        network_failure: true,
        last_error: Some(Problem::Network("Failed to fetch".into()).describe()),
        last_problem: Some(Problem::Network("Failed to fetch".into())),
        withdrawal: None,
        remember: true,
        held_ms: 0.0,
    }
}

fn held() -> Entry {
    let problem = Problem::Status {
        status: 422,
        retry_after: None,
        detail: Some("field `age` is unknown".into()),
    };
    Entry {
        attempts: 1,
        network_failure: false,
        last_error: Some(problem.describe()),
        last_problem: Some(problem),
        held_ms: 1_795_575_700_000.0,
        ..entry()
    }
}

fn withdrawal() -> Entry {
    let mut e = entry();
    e.endpoint = "/api/withdrawals".into();
    e.receipt.lines.retain(|l| l.granted);
    e.receipt.body.clear();
    e.remember = false;
    e.attempts = 0;
    e.last_error = None;
    e.last_problem = None;
    e.network_failure = false;
    e.withdrawal = Some(OutgoingWithdrawal {
        id: "msg_fedcba9876543210fedcba9876543210".into(),
        purpose: "consultation".into(),
        withdrawn_at: "2026-11-25T17:02:10.500+07:00".into(),
        body: r#"{"id":"msg_fedcba9876543210fedcba9876543210","withdraws":"msg_0123456789abcdef0123456789abcdef","purpose":"consultation"}"#.into(),
    });
    e
}

/// The seeds, by file name.
fn seeds() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let left = {
        let report = Report {
            entry: entry(),
            outcome: Outcome::Sent(201),
        };
        let mut w = Writer::new();
        w.begin_object();
        w.key("left");
        report.write_json(&mut w);
        w.end_object();
        w.finish()
    };
    let heard = {
        let before = Entry {
            attempts: 1,
            lease_ms: 1_795_575_620_000.0,
            ..entry()
        };
        let mut bytes = before.to_json().into_bytes();
        bytes.push(0xff);
        bytes.extend(entry().to_json().into_bytes());
        bytes
    };
    let legacy = {
        let mut w = Writer::new();
        w.begin_array();
        for e in [held(), entry(), withdrawal()] {
            e.write_json(&mut w);
        }
        w.end_array();
        w.finish()
    };
    let refused = Report {
        entry: held(),
        outcome: Outcome::Refused {
            problem: held().last_problem.unwrap(),
        },
    };
    let mut values = FieldValues::new();
    values.insert(FieldName::Name, "Trần Thị B".into());
    values.insert(FieldName::Email, "b@vi-du.vn".into());
    values.insert(FieldName::Industry, "Retail".into());
    values.insert(FieldName::Need, "Báo giá\n\"gấp\"".into());
    vec![
        ("outbox", "waiting.json", entry().to_json().into_bytes()),
        ("outbox", "held.json", held().to_json().into_bytes()),
        (
            "outbox",
            "withdrawal.json",
            withdrawal().to_json().into_bytes(),
        ),
        ("outbox", "left.json", left.into_bytes()),
        (
            "outbox",
            "refused-report.json",
            refused.to_json().into_bytes(),
        ),
        ("outbox", "heard", heard),
        ("outbox", "legacy.json", legacy.into_bytes()),
        ("draft", "draft.json", values.to_json().into_bytes()),
        ("draft", "body.json", entry().receipt.body.into_bytes()),
    ]
}

#[test]
fn seeds_read_back_as_written() {
    for e in [entry(), held(), withdrawal()] {
        assert_eq!(Entry::parse(&e.to_json()), Some(e));
    }
    let heard = seeds().into_iter().find(|s| s.1 == "heard").unwrap().2;
    let at = heard.iter().position(|&b| b == 0xff).unwrap();
    let old = String::from_utf8(heard[..at].to_vec()).unwrap();
    let new = String::from_utf8(heard[at + 1..].to_vec()).unwrap();
    let report = outbox::heard(Some(old), Some(new)).unwrap();
    assert_eq!(
        report.outcome,
        Outcome::Waiting {
            problem: Problem::Network("Failed to fetch".into())
        }
    );
    let draft = seeds().into_iter().find(|s| s.1 == "draft.json").unwrap().2;
    let values = draft::parse(std::str::from_utf8(&draft).unwrap()).unwrap();
    assert_eq!(values.len(), 4);
}

#[test]
fn committed_seeds_are_what_the_code_writes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    let write = std::env::var_os("WRITE_SEEDS").is_some_and(|v| v == "1");
    for (target, name, bytes) in seeds() {
        let path = dir.join(target).join(name);
        if write {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &bytes).unwrap();
        } else {
            let committed = std::fs::read(&path).unwrap_or_default();
            assert!(
                committed == bytes,
                "{} differs from what the code writes: WRITE_SEEDS=1 cargo test --no-default-features --test storage_seeds",
                path.display()
            );
        }
    }
}
