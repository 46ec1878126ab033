//! The withdrawal message: its exact bytes, what `validate` and `receive` refuse, and
//! schema/withdrawal.schema.json against it (the `jsonschema` crate, draft 2020-12).
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use consent_form::consent::Purpose;
use consent_form::locale::Locale;
use consent_form::payload::Rfc3339;
use consent_form::signing::{sign, MessageId, Secret, VerifyError, WebhookHeaders};
use consent_form::withdrawal::{receive, ReceiveError, Withdrawal, WithdrawalError};
use serde_json::{json, Value};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const TEXT: &str = "Rút lại đồng ý: “Tôi đồng ý nhận tin \"ưu đãi\"”?";

fn sample() -> Withdrawal {
    Withdrawal::new(
        MessageId::from_random([0xab; 16]),
        MessageId::from_random([0x01; 16]),
        Purpose::Marketing,
        Rfc3339::from_unix_millis(1_795_424_981_250, 420).unwrap(),
        Locale::Vi,
        TEXT.to_owned(),
    )
}

#[test]
fn the_body_is_these_bytes() {
    let body = String::from_utf8(sample().to_body()).unwrap();
    assert_eq!(
        body,
        concat!(
            r#"{"id":"msg_abababababababababababababababab","#,
            r#""withdraws":"msg_01010101010101010101010101010101","#,
            r#""purpose":"marketing","withdrawn_at":"2026-11-23T16:09:41.250+07:00","#,
            r#""locale":"vi","text":"Rút lại đồng ý: “Tôi đồng ý nhận tin \"ưu đãi\"”?","#,
            r#""text_sha256":"#,
        )
        .to_owned()
            + &format!("\"{}\"}}", consent_form::signing::sha256_hex(TEXT))
    );
    assert_eq!(sample().validate(), Ok(()));
}

#[test]
fn validate_lists_what_is_wrong() {
    let mut w = sample();
    w.withdraws = w.id.clone();
    w.text = "  ".into();
    assert_eq!(
        w.validate(),
        Err(vec![
            WithdrawalError::SameId,
            WithdrawalError::EmptyText,
            WithdrawalError::TextHashMismatch
        ])
    );
    let mut w = sample();
    w.text = "a".repeat(8001);
    w.text_sha256 = consent_form::signing::sha256_hex(&w.text);
    assert_eq!(w.validate(), Err(vec![WithdrawalError::TextTooLong(8001)]));
    let mut w = sample();
    w.text_sha256 = "0".repeat(64);
    let errors = w.validate().unwrap_err();
    assert_eq!(errors, [WithdrawalError::TextHashMismatch]);
    assert_eq!(
        errors[0].to_string(),
        "`text_sha256` is not the SHA-256 of `text`"
    );
}

fn headers<'a>(id: &'a str, ts: &'a str, sig: &'a str) -> WebhookHeaders<'a> {
    WebhookHeaders {
        id,
        timestamp: ts,
        signature: sig,
    }
}

#[test]
fn receive_checks_signature_shape_id_and_content() {
    let secret = Secret::parse(SECRET).unwrap();
    let now = 1_795_424_990;
    let w = sample();
    let body = w.to_body();
    let sig = sign(&secret, &w.id, now, &body);
    let ts = now.to_string();
    assert_eq!(
        receive(
            &secret,
            &headers(w.id.as_str(), &ts, sig.as_str()),
            &body,
            now
        ),
        Ok(w.clone())
    );
    // Another key, a changed body, a stale timestamp.
    let other = Secret::parse("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").unwrap();
    assert!(matches!(
        receive(
            &other,
            &headers(w.id.as_str(), &ts, sig.as_str()),
            &body,
            now
        ),
        Err(ReceiveError::Signature(VerifyError::NoMatchingSignature))
    ));
    let mut changed = body.clone();
    changed[10] ^= 1;
    assert!(matches!(
        receive(
            &secret,
            &headers(w.id.as_str(), &ts, sig.as_str()),
            &changed,
            now
        ),
        Err(ReceiveError::Signature(_))
    ));
    assert!(matches!(
        receive(
            &secret,
            &headers(w.id.as_str(), &ts, sig.as_str()),
            &body,
            now + 3600
        ),
        Err(ReceiveError::Signature(_))
    ));
    // Signed under another id than the body's.
    let other_id = MessageId::from_random([9; 16]);
    let sig2 = sign(&secret, &other_id, now, &body);
    assert!(matches!(
        receive(
            &secret,
            &headers(other_id.as_str(), &ts, sig2.as_str()),
            &body,
            now
        ),
        Err(ReceiveError::IdMismatch { .. })
    ));
    // Unknown keys, a bad purpose, no offset: the shape.
    for bad in [
        json!({"extra": 1}),
        json!({"purpose": "Marketing"}),
        json!({"withdrawn_at": "2026-11-23T16:09:41"}),
        json!({"withdraws": "123"}),
    ] {
        let mut j: Value = serde_json::from_slice(&body).unwrap();
        for (k, v) in bad.as_object().unwrap() {
            j[k] = v.clone();
        }
        let bytes = serde_json::to_vec(&j).unwrap();
        let sig = sign(&secret, &w.id, now, &bytes);
        let got = receive(
            &secret,
            &headers(w.id.as_str(), &ts, sig.as_str()),
            &bytes,
            now,
        );
        assert!(matches!(got, Err(ReceiveError::Json(_))), "{bad}: {got:?}");
    }
    // The right shape, a wrong hash.
    let mut bad = w.clone();
    bad.text_sha256 = "0".repeat(64);
    let bytes = bad.to_body();
    let sig = sign(&secret, &w.id, now, &bytes);
    assert_eq!(
        receive(
            &secret,
            &headers(w.id.as_str(), &ts, sig.as_str()),
            &bytes,
            now
        ),
        Err(ReceiveError::Invalid(vec![
            WithdrawalError::TextHashMismatch
        ]))
    );
    let huge = vec![b' '; 64 * 1024 + 1];
    assert!(matches!(
        Withdrawal::from_body(&huge),
        Err(ReceiveError::TooLarge { .. })
    ));
}

fn validator() -> jsonschema::Validator {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schema/withdrawal.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    jsonschema::draft202012::meta::validate(&schema).expect("valid against the meta-schema");
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles")
}

#[test]
fn the_schema_takes_real_withdrawals_and_refuses_broken_ones() {
    let v = validator();
    let mut en = sample();
    en.locale = Locale::En;
    en.purpose = Purpose::parse("share_with_clinic").unwrap();
    en.withdrawn_at = Rfc3339::parse("2026-11-23T09:09:41Z").unwrap();
    for w in [sample(), en] {
        let instance: Value = serde_json::from_slice(&w.to_body()).unwrap();
        let errors: Vec<String> = v.iter_errors(&instance).map(|e| e.to_string()).collect();
        assert_eq!(errors, Vec::<String>::new(), "{instance:#}");
    }
    type Edit = fn(&mut Value);
    let cases: &[(&str, Edit)] = &[
        ("extra key", |j| j["ip"] = json!("203.0.113.9")),
        ("no withdraws", |j| {
            j.as_object_mut().unwrap().remove("withdraws");
        }),
        ("id without prefix", |j| {
            j["id"] = json!("abababababababababab")
        }),
        ("purpose id", |j| j["purpose"] = json!("Marketing")),
        ("time without offset", |j| {
            j["withdrawn_at"] = json!("2026-11-23T16:09:41")
        }),
        ("impossible date", |j| {
            j["withdrawn_at"] = json!("2026-02-30T16:09:41+07:00")
        }),
        ("locale", |j| j["locale"] = json!("fr")),
        ("blank text", |j| j["text"] = json!("  ")),
        ("hash not hex", |j| j["text_sha256"] = json!("not a hash")),
    ];
    for (name, edit) in cases {
        let mut instance: Value = serde_json::from_slice(&sample().to_body()).unwrap();
        assert!(v.is_valid(&instance));
        edit(&mut instance);
        assert!(!v.is_valid(&instance), "schema accepted: {name}");
        // What the schema refuses, the library refuses too.
        let bytes = serde_json::to_vec(&instance).unwrap();
        let refused = match Withdrawal::from_body(&bytes) {
            Err(_) => true,
            Ok(w) => w.validate().is_err(),
        };
        assert!(refused, "the library accepted: {name}");
    }
}
