//! schema/payload.schema.json against payloads built with the types, and against
//! broken ones, with the `jsonschema` crate (draft 2020-12, formats checked).
#![cfg(not(target_arch = "wasm32"))]

#[path = "payload_fixtures.rs"]
mod fixtures;

use std::path::PathBuf;

use consent_form::consent::{Actor, SensitiveCategory};
use consent_form::payload::{Payload, Rfc3339};
use jsonschema::Validator;
use serde_json::{json, Value};

fn schema() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schema/payload.schema.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn validator() -> Validator {
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema())
        .expect("the schema compiles")
}

fn json_of(p: &Payload) -> Value {
    serde_json::from_slice(&p.to_body()).unwrap()
}

fn errors(v: &Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn the_schema_is_valid_draft_2020_12() {
    let s = schema();
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    jsonschema::draft202012::meta::validate(&s).expect("valid against the meta-schema");
}

#[test]
fn real_payloads_pass() {
    let v = validator();
    for p in [fixtures::contact(), fixtures::callback()] {
        p.validate().unwrap();
        let instance = json_of(&p);
        assert_eq!(errors(&v, &instance), Vec::<String>::new(), "{instance:#}");
    }
}

#[test]
fn optional_parts_pass_too() {
    let v = validator();
    // English, no policy version, no principal id, a sensitive custom purpose, and a
    // record that was later withdrawn.
    let mut p = fixtures::contact();
    p.locale = consent_form::locale::Locale::En;
    let mut policy = fixtures::policy();
    policy.version = None;
    p.consents.clear();
    let mut consultation = fixtures::consultation(
        consent_form::fields::FormKind::Contact,
        consent_form::fields::FormKind::Contact.fields(),
    );
    consultation.language = p.locale;
    p.push_consent(&consultation, &policy, true);
    let mut custom = fixtures::call_recording();
    custom.purpose = consent_form::consent::Purpose::parse("share_with_clinic").unwrap();
    custom.language = p.locale;
    custom.sensitive_categories = vec![SensitiveCategory::Health];
    p.push_consent(&custom, &policy, true);
    p.consents[0].record.principal_id = None;
    p.validate().unwrap();
    let instance = json_of(&p);
    assert_eq!(instance["consents"][0]["policy_version"], Value::Null);
    assert_eq!(errors(&v, &instance), Vec::<String>::new(), "{instance:#}");

    // A captcha token, as a provider gives it (URL-safe base64 with dots and dashes).
    p.captcha = Some("0.Ab-cD_e.fG".repeat(600));
    p.validate().unwrap();
    assert_eq!(errors(&v, &json_of(&p)), Vec::<String>::new());

    // A visitor under 16, with their guardian's name, phone and agreement.
    let guarded = fixtures::contact_with_guardian();
    guarded.validate().unwrap();
    assert_eq!(errors(&v, &json_of(&guarded)), Vec::<String>::new());

    let later = Rfc3339::from_unix_millis(fixtures::SUBMITTED_MS + 86_400_000, 420).unwrap();
    p.consents[1]
        .record
        .withdraw(later, Actor::Principal)
        .unwrap();
    assert_eq!(errors(&v, &json_of(&p)), Vec::<String>::new());
}

#[test]
fn broken_payloads_fail() {
    let v = validator();
    type Edit = fn(&mut Value);
    let cases: &[(&str, Edit)] = &[
        ("no consents", |j| {
            j.as_object_mut().unwrap().remove("consents");
        }),
        ("unknown form", |j| j["form"] = json!("newsletter")),
        ("extra top-level key", |j| j["ip"] = json!("203.0.113.9")),
        ("phone not E.164", |j| {
            j["fields"]["phone"] = json!("0902 666 984")
        }),
        ("field of the other form", |j| {
            j["fields"]["topic"] = json!("x")
        }),
        ("unknown field", |j| j["fields"]["age"] = json!("30")),
        ("blank field", |j| j["fields"]["name"] = json!("  ")),
        ("need too long", |j| {
            j["fields"]["need"] = json!("a".repeat(2001))
        }),
        ("id without prefix", |j| {
            j["id"] = json!("5a17c30944ee812d906b3fa25811d70c")
        }),
        ("time without offset", |j| {
            j["submitted_at"] = json!("2026-11-23T16:07:05")
        }),
        ("impossible date", |j| {
            j["submitted_at"] = json!("2026-02-30T16:07:05+07:00")
        }),
        ("locale", |j| j["locale"] = json!("fr")),
        ("consultation refused", |j| {
            j["consents"][0]["granted"] = json!(false)
        }),
        ("consultation missing", |j| {
            j["consents"].as_array_mut().unwrap().remove(0);
        }),
        ("hash not hex", |j| {
            j["consents"][1]["text_sha256"] = json!("not a hash")
        }),
        ("granted not boolean", |j| {
            j["consents"][1]["granted"] = json!("no")
        }),
        ("purpose id", |j| {
            j["consents"][1]["purpose"] = json!("Marketing")
        }),
        ("marketing without terms", |j| {
            j["consents"][1]["record"]["processing"]
                .as_object_mut()
                .unwrap()
                .remove("marketing");
        }),
        ("unknown channel", |j| {
            j["consents"][1]["record"]["processing"]["marketing"]["channels"] = json!(["fax"])
        }),
        ("jurisdiction", |j| {
            j["consents"][0]["record"]["processing"]["jurisdiction"] = json!("EU")
        }),
        ("event state contradicts type", |j| {
            j["consents"][0]["record"]["events"][0]["state"] = json!("refused")
        }),
        ("no events", |j| {
            j["consents"][0]["record"]["events"] = json!([])
        }),
        ("record extra key", |j| {
            j["consents"][0]["record"]["note"] = json!("x")
        }),
        ("empty captcha token", |j| j["captcha"] = json!("")),
        ("captcha token with a space", |j| {
            j["captcha"] = json!("tok en")
        }),
        ("captcha token too long", |j| {
            j["captcha"] = json!("t".repeat(8193))
        }),
        ("captcha token not a string", |j| j["captcha"] = json!(123)),
        ("a guardian's name without their agreement", |j| {
            j["fields"]["guardian_name"] = json!("Trần Thị Lan")
        }),
        ("a guardian's agreement without their name and phone", |j| {
            j["guardian"] = json!({"text": "Tôi đồng ý.", "text_sha256": "0".repeat(64)})
        }),
        ("sensitive categories without the flag", |j| {
            j["consents"][0]["record"]["processing"]["sensitive_categories"] = json!(["health"])
        }),
    ];
    for (name, edit) in cases {
        let mut instance = json_of(&fixtures::contact());
        assert!(v.is_valid(&instance));
        edit(&mut instance);
        assert!(!v.is_valid(&instance), "schema accepted: {name}");
    }
    // The callback form's own fields.
    let callback_cases: &[(&str, Edit)] = &[
        ("window end before start", |j| {
            j["fields"]["callback_window"] = json!("10:00-9:00")
        }),
        ("window with an en dash", |j| {
            j["fields"]["callback_window"] = json!("09:00–10:00")
        }),
        ("date format", |j| {
            j["fields"]["callback_date"] = json!("24/11/2026")
        }),
        ("impossible date", |j| {
            j["fields"]["callback_date"] = json!("2026-02-30")
        }),
        ("missing window", |j| {
            j["fields"]
                .as_object_mut()
                .unwrap()
                .remove("callback_window");
        }),
        ("contact field on callback", |j| {
            j["fields"]["company"] = json!("x")
        }),
    ];
    for (name, edit) in callback_cases {
        let mut instance = json_of(&fixtures::callback());
        assert!(v.is_valid(&instance));
        edit(&mut instance);
        assert!(!v.is_valid(&instance), "schema accepted: {name}");
    }
}

#[test]
fn what_the_schema_refuses_the_library_refuses() {
    // Every broken instance that still parses must also fail Payload::validate or
    // Payload::from_body — the schema is never stricter on something the library lets
    // through silently.
    let v = validator();
    let edits: &[fn(&mut Value)] = &[
        |j| j["fields"]["phone"] = json!("0902 666 984"),
        |j| j["fields"]["name"] = json!("  "),
        |j| j["consents"][0]["granted"] = json!(false),
        |j| j["consents"][0]["record"]["processing"]["jurisdiction"] = json!("EU"),
        |j| j["consents"][0]["record"]["events"][0]["state"] = json!("refused"),
        |j| j["captcha"] = json!(""),
        |j| j["captcha"] = json!("tok en"),
        |j| j["captcha"] = json!("t".repeat(8193)),
        |j| j["captcha"] = json!("tökén"),
        |j| j["consents"][1]["text_sha256"] = json!("0".repeat(64)),
    ];
    for edit in edits {
        let mut instance = json_of(&fixtures::contact());
        edit(&mut instance);
        let body = serde_json::to_vec(&instance).unwrap();
        let library_refuses = match Payload::from_body(&body) {
            Err(_) => true,
            Ok(p) => p.validate().is_err(),
        };
        assert!(library_refuses, "{instance:#}");
        // (The last case is valid for the schema: only the library can check a hash.)
    }
    let mut hash_only = json_of(&fixtures::contact());
    hash_only["consents"][1]["text_sha256"] = json!("0".repeat(64));
    assert!(v.is_valid(&hash_only), "a schema cannot compute hashes");
}

/// Payloads as the form builds them: the configuration read from JSON, its notices in
/// either language, every purpose answered — for both forms, with a host-defined
/// sensitive purpose, a controller's contact and a captcha token.
#[test]
fn payloads_built_from_configurations_pass() {
    use consent_form::config::RawConfig;
    use consent_form::fields::{FieldName, FormKind};
    use consent_form::locale::Locale;
    use consent_form::messages::Texts;
    use consent_form::notices::notices;
    use consent_form::signing::MessageId;

    let v = validator();
    let mut checked = 0;
    for (kind, form) in [
        ("contact", FormKind::Contact),
        ("callback", FormKind::Callback),
    ] {
        for locale in [Locale::Vi, Locale::En] {
            // In English, a visitor under 16 whose guardian agrees on the form.
            let guardian = locale == Locale::En;
            let minors = if guardian { "guardian" } else { "declare" };
            let json = format!(
                r#"{{"kind": "{kind}", "locale": "{}", "minors": "{minors}", "endpoint": "/api/leads", "key_url": "/api/keys",
                    "policy_url": "https://acme.vn/privacy", "policy_version": "3",
                    "controller": "ACME Việt Nam", "controller_contact": "dpo@acme.vn",
                    "recipients": ["Kế toán ABC"],
                    "purposes": ["marketing", "call_recording",
                        {{"id": "share_clinic", "text": "Chia sẻ với Phòng khám X.", "sensitive": ["health"]}}]}}"#,
                locale.tag()
            );
            let config = RawConfig::from_json_text(&json)
                .unwrap()
                .validate()
                .unwrap();
            let texts = Texts::new(config.locale, config.texts.clone());
            let at = Rfc3339::from_unix_millis(fixtures::SUBMITTED_MS, 420).unwrap();
            let mut p = Payload::new(MessageId::from_random([7; 16]), form, at, config.locale);
            p.fields.insert(FieldName::Name, "Nguyễn Văn A".into());
            p.fields.insert(FieldName::Phone, "+84902666984".into());
            if form == FormKind::Callback {
                p.fields
                    .insert(FieldName::CallbackDate, "2026-11-25".into());
                p.fields
                    .insert(FieldName::CallbackWindow, "08:00-10:00".into());
            }
            let policy = config.policy();
            for (i, shown) in notices(&config, &texts, true).iter().enumerate() {
                p.push_consent(&shown.notice, &policy, i % 2 == 0);
            }
            p.captcha = Some("0.AbC-dEf_gh".into());
            assert_eq!(config.guardian, guardian);
            if guardian {
                p.fields
                    .insert(FieldName::GuardianName, "Trần Thị Lan".into());
                p.fields
                    .insert(FieldName::GuardianPhone, "+84912345678".into());
                p.guardian = Some(consent_form::payload::GuardianConsent::new(texts.fill(
                    consent_form::messages::Key::GuardianText,
                    &[("controller", &config.controller)],
                )));
            }
            p.validate().unwrap();
            let instance = json_of(&p);
            assert_eq!(errors(&v, &instance), Vec::<String>::new(), "{instance:#}");
            assert_eq!(instance["consents"].as_array().unwrap().len(), 4);
            assert_eq!(
                instance["consents"][0]["record"]["processing"]["controllers"][0]["contact"],
                "dpo@acme.vn"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 4);
}
