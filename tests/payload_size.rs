//! The size of a contact submission, against the 64 KiB that browsers allow a
//! `keepalive` request: the short fixture of tests/payload_fixtures.rs, and one built as
//! the demo's form builds it (www/index.html: the component's own Vietnamese notices,
//! its default purposes). docs/payload.md and docs/delivery.md quote these figures;
//! the test checks that they still do. Run with `--nocapture` to see them.
#![cfg(not(target_arch = "wasm32"))]

#[path = "payload_fixtures.rs"]
mod fixtures;

use std::path::PathBuf;

use consent_form::config::RawConfig;
use consent_form::consent::Purpose;
use consent_form::fields::FieldName;
use consent_form::messages::Texts;
use consent_form::notices::notices;
use consent_form::payload::{Payload, Rfc3339, MAX_BODY_BYTES};

/// A contact submission as the demo's form sends it: its attributes (the policy's path
/// as the browser resolves it under `npm start`), every field filled in, the
/// consultation consent given and the others refused.
fn demo_contact() -> Payload {
    let raw = RawConfig::from_json_text(
        r#"{"kind": "contact", "endpoint": "/api/leads", "locale": "vi",
            "policy_url": "http://127.0.0.1:8080/privacy.html", "policy_version": "2026-01",
            "controller": "Công ty TNHH Ví Dụ", "key_url": "/api/keys",
            "controller_contact": "dpo@vidu.vn, 028 3822 1234",
            "withdraw_endpoint": "/api/withdrawals"}"#,
    )
    .unwrap();
    let config = raw.validate().unwrap();
    let texts = Texts::new(config.locale, config.texts.clone());
    let at = Rfc3339::from_unix_millis(fixtures::SUBMITTED_MS, 420).unwrap();
    let mut p = Payload::new(fixtures::id(), config.kind, at, config.locale);
    for (f, v) in [
        (FieldName::Company, "Công ty TNHH Ánh Dương"),
        (FieldName::Name, "Nguyễn Thị Minh Khai"),
        (FieldName::Industry, "Bán lẻ"),
        (FieldName::Need, "Tư vấn thiết kế website bán hàng"),
        (FieldName::Phone, "+84902666984"),
        (FieldName::Email, "minh.khai@example.vn"),
    ] {
        p.fields.insert(f, v.to_owned());
    }
    let policy = config.policy();
    for shown in notices(&config, &texts, true) {
        let granted = shown.notice.purpose == Purpose::Consultation;
        p.push_consent(&shown.notice, &policy, granted);
    }
    p.validate().unwrap();
    p
}

/// `n` as the docs write it: thousands apart with a space (`13 456`).
fn spaced(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

fn doc(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("docs")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn a_contact_submission_is_well_under_the_keepalive_limit() {
    let fixture = fixtures::contact();
    let demo = demo_contact();
    for (name, p) in [("fixture", &fixture), ("demo", &demo)] {
        let body = p.to_body();
        let texts: usize = p.consents.iter().map(|c| c.text.len()).sum();
        println!(
            "{name} contact payload: {} bytes ({} consents; their texts {} bytes, each also in its record)",
            body.len(),
            p.consents.len(),
            texts
        );
        assert!(body.len() < 24 * 1024, "{name}: {} bytes", body.len());
        assert!(body.len() < MAX_BODY_BYTES);
    }
    assert_eq!(demo.consents.len(), 3, "the default purposes");

    // The docs quote the demo's figure, and payload.md the fixture's too.
    let demo_bytes = format!("{} bytes", spaced(demo.to_body().len()));
    let fixture_bytes = format!("{} bytes", spaced(fixture.to_body().len()));
    let payload_md = doc("payload.md");
    assert!(
        payload_md.contains(&demo_bytes) && payload_md.contains(&fixture_bytes),
        "docs/payload.md must say {demo_bytes} (the demo's contact form) and {fixture_bytes} (the fixture)"
    );
    assert!(
        doc("delivery.md").contains(&demo_bytes),
        "docs/delivery.md must say {demo_bytes}"
    );
}

#[test]
fn numbers_are_spaced_as_the_docs_write_them() {
    assert_eq!(spaced(7), "7");
    assert_eq!(spaced(754), "754");
    assert_eq!(spaced(7754), "7 754");
    assert_eq!(spaced(13530), "13 530");
    assert_eq!(spaced(1_234_567), "1 234 567");
}
