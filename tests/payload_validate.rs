//! Payloads built with the types: their JSON, and what `validate`, `from_body` and
//! `receive` say about good and broken ones.
#![cfg(not(target_arch = "wasm32"))]

#[path = "payload_fixtures.rs"]
mod fixtures;

use consent_form::consent::Purpose;
use consent_form::fields::{FieldName, FormKind};
use consent_form::locale::Locale;
use consent_form::payload::{
    receive, Payload, PayloadError, ReceiveError, Rfc3339, ValidationError, MAX_BODY_BYTES,
};
use consent_form::signing::{self, sha256_hex, Secret, VerifyError, WebhookHeaders};
use serde_json::{json, Value};

type JsonEdit = Box<dyn Fn(&mut Value)>;
type PayloadEdit = Box<dyn Fn(&mut Payload)>;

fn errors_of(p: &Payload) -> Vec<ValidationError> {
    match p.validate() {
        Ok(()) => vec![],
        Err(e) => e.errors().to_vec(),
    }
}

fn assert_only(p: &Payload, expected: &[ValidationError]) {
    assert_eq!(errors_of(p), expected);
}

#[test]
fn built_payloads_are_valid() {
    assert_only(&fixtures::contact(), &[]);
    assert_only(&fixtures::callback(), &[]);
}

#[test]
fn the_json_has_the_documented_shape() {
    let p = fixtures::contact();
    let v: Value = serde_json::from_slice(&p.to_body()).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["consents", "fields", "form", "id", "locale", "submitted_at"],
        "(serde_json sorts keys in a Value)"
    );
    assert_eq!(v["id"], p.id.as_str());
    assert_eq!(v["form"], "contact");
    assert_eq!(v["submitted_at"], "2026-11-23T16:07:05.123+07:00");
    assert_eq!(v["locale"], "vi");
    assert_eq!(v["fields"]["phone"], "+84902666984");
    assert_eq!(
        v["fields"]["company"],
        "Công ty Cổ phần Thương mại Hòa Bình"
    );
    let consents = v["consents"].as_array().unwrap();
    assert_eq!(consents.len(), 3);
    let marketing = &consents[1];
    assert_eq!(marketing["purpose"], "marketing");
    assert_eq!(marketing["granted"], false, "refusals are recorded");
    let text = marketing["text"].as_str().unwrap();
    assert_eq!(marketing["text_sha256"], sha256_hex(text));
    assert_eq!(
        marketing["policy_url"],
        "https://vidu.vn/chinh-sach-bao-mat"
    );
    assert_eq!(marketing["policy_version"], "2026-01-01");
    let record = &marketing["record"];
    assert_eq!(record["record_id"], format!("{}:marketing", p.id));
    assert_eq!(record["processing"]["notice"]["text"], text);
    assert_eq!(record["processing"]["jurisdiction"], "VN");
    assert_eq!(record["events"][0]["type"], "refused");
    assert_eq!(record["events"][0]["time"], v["submitted_at"]);

    // Field order in the body follows the form.
    let body = String::from_utf8(p.to_body()).unwrap();
    let pos = |k: &str| body.find(&format!("\"{k}\":")).unwrap();
    assert!(pos("id") < pos("form") && pos("form") < pos("submitted_at"));
    assert!(pos("company") < pos("name") && pos("phone") < pos("email"));
}

#[test]
fn the_body_is_serialized_once_and_reads_back_equal() {
    let p = fixtures::contact();
    let body = p.to_body();
    assert_eq!(body, p.to_body(), "serialization is deterministic");
    let back = Payload::from_body(&body).unwrap();
    assert_eq!(back, p);
    assert_eq!(back.to_body(), body);
    assert!(back.granted(&Purpose::Consultation));
    assert!(!back.granted(&Purpose::Marketing));
    assert!(back.granted(&Purpose::CallRecording));
    assert_eq!(back.phone().unwrap().e164(), "+84902666984");
    assert_eq!(back.email().unwrap().as_str(), "minh.khai@hoabinh.vn");
}

fn with_json(p: &Payload, edit: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut v: Value = serde_json::from_slice(&p.to_body()).unwrap();
    edit(&mut v);
    serde_json::to_vec(&v).unwrap()
}

#[test]
fn unknown_form_is_named() {
    for form in [json!("newsletter"), json!("Contact")] {
        let body = with_json(&fixtures::contact(), |v| v["form"] = form.clone());
        match Payload::from_body(&body) {
            Err(PayloadError::Invalid(e)) => assert_eq!(
                e.errors(),
                [ValidationError::UnknownForm(form.as_str().unwrap().into())]
            ),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn shape_errors_say_where() {
    let cases: Vec<(JsonEdit, &str)> = vec![
        (Box::new(|v| v["tracking_id"] = json!("x")), "tracking_id"),
        (Box::new(|v| v["fields"]["age"] = json!("30")), "age"),
        (Box::new(|v| v["id"] = json!("12345")), "msg_"),
        (
            Box::new(|v| v["submitted_at"] = json!("2026-11-23 16:07")),
            "RFC 3339",
        ),
        (Box::new(|v| v["locale"] = json!("fr")), "fr"),
        (
            Box::new(|v| {
                v.as_object_mut()
                    .unwrap()
                    .remove("consents")
                    .map(|_| ())
                    .unwrap()
            }),
            "consents",
        ),
        (
            Box::new(|v| v["consents"][0]["purpose"] = json!("Bad Id")),
            "purpose id",
        ),
        (
            Box::new(|v| v["consents"][0]["record"]["extra"] = json!(1)),
            "extra",
        ),
    ];
    for (edit, needle) in cases {
        let body = with_json(&fixtures::contact(), edit);
        match Payload::from_body(&body) {
            Err(PayloadError::Json(message)) => {
                assert!(
                    message.contains(needle),
                    "{message:?} should mention {needle:?}"
                )
            }
            other => panic!("expected a JSON error mentioning {needle}, got {other:?}"),
        }
    }
    assert!(matches!(
        Payload::from_body(b"not json"),
        Err(PayloadError::Json(_))
    ));
    let huge = vec![b' '; MAX_BODY_BYTES + 1];
    assert_eq!(
        Payload::from_body(&huge),
        Err(PayloadError::TooLarge {
            len: MAX_BODY_BYTES + 1
        })
    );
}

#[test]
fn missing_required_field() {
    let mut p = fixtures::contact();
    p.fields.remove(&FieldName::Name);
    assert_only(&p, &[ValidationError::MissingField(FieldName::Name)]);

    let mut p = fixtures::callback();
    p.fields.remove(&FieldName::CallbackWindow);
    assert_only(
        &p,
        &[ValidationError::MissingField(FieldName::CallbackWindow)],
    );

    // A host that requires the e-mail says so.
    let mut p = fixtures::contact();
    p.fields.remove(&FieldName::Email);
    assert!(p.validate().is_ok(), "e-mail is optional by default");
    let err = p
        .validate_requiring(&[FieldName::Email, FieldName::Topic])
        .unwrap_err();
    assert_eq!(
        err.errors(),
        [ValidationError::MissingField(FieldName::Email)]
    );
}

#[test]
fn only_the_forms_fields_are_collected() {
    let mut p = fixtures::contact();
    p.fields.insert(FieldName::Topic, "x".into());
    let errs = errors_of(&p);
    assert!(errs.contains(&ValidationError::FieldNotInForm {
        field: FieldName::Topic,
        form: FormKind::Contact
    }));
}

#[test]
fn a_guardians_agreement_comes_with_their_name_and_phone_and_only_with_them() {
    let p = fixtures::contact_with_guardian();
    assert_only(&p, &[]);
    let v: Value = serde_json::from_slice(&p.to_body()).unwrap();
    assert_eq!(v["fields"]["guardian_name"], "Trần Thị Lan");
    assert_eq!(v["fields"]["guardian_phone"], "+84912345678");
    let g = p.guardian.as_ref().unwrap();
    assert_eq!(v["guardian"]["text"], g.text.as_str());
    assert_eq!(v["guardian"]["text_sha256"], sha256_hex(&g.text));
    assert_eq!(Payload::from_body(&p.to_body()).unwrap(), p);

    // The name and phone without the agreement: not collectable.
    let mut q = p.clone();
    q.guardian = None;
    assert_only(
        &q,
        &[
            ValidationError::GuardianFieldWithoutAgreement(FieldName::GuardianName),
            ValidationError::GuardianFieldWithoutAgreement(FieldName::GuardianPhone),
        ],
    );
    // The agreement without the name or phone.
    let mut q = p.clone();
    q.fields.remove(&FieldName::GuardianPhone);
    assert_only(
        &q,
        &[ValidationError::MissingField(FieldName::GuardianPhone)],
    );
    // A phone that is not E.164, a text that is not what was hashed, an empty text.
    let mut q = p.clone();
    q.fields
        .insert(FieldName::GuardianPhone, "0912 345 678".into());
    assert_only(&q, &[ValidationError::InvalidGuardianPhone]);
    let mut q = p.clone();
    if let Some(g) = q.guardian.as_mut() {
        g.text.push('!');
    }
    assert_only(&q, &[ValidationError::BadGuardianConsent]);
    let mut q = p.clone();
    q.guardian = Some(consent_form::payload::GuardianConsent::new(" ".into()));
    assert_only(&q, &[ValidationError::BadGuardianConsent]);
    // The consultation notice must list the guardian's data like any other.
    let mut q = p.clone();
    fixtures::consultation_listing(&mut q, FormKind::Contact.fields());
    assert_only(
        &q,
        &[
            ValidationError::FieldNotInNotice(FieldName::GuardianName),
            ValidationError::FieldNotInNotice(FieldName::GuardianPhone),
        ],
    );
}

#[test]
fn fields_must_be_in_the_consultation_notice() {
    let mut p = fixtures::contact();
    fixtures::consultation_listing(
        &mut p,
        &[FieldName::Company, FieldName::Name, FieldName::Phone],
    );
    assert_only(
        &p,
        &[
            ValidationError::FieldNotInNotice(FieldName::Industry),
            ValidationError::FieldNotInNotice(FieldName::Need),
            ValidationError::FieldNotInNotice(FieldName::Email),
        ],
    );
}

#[test]
fn blank_long_and_malformed_fields() {
    let mut p = fixtures::contact();
    p.fields.insert(FieldName::Company, "   ".into());
    p.fields.insert(FieldName::Need, "ạ".repeat(2001));
    p.fields.insert(FieldName::Phone, "0902666984".into());
    p.fields
        .insert(FieldName::Email, "minh.khai@hoabinh".into());
    assert_only(
        &p,
        &[
            ValidationError::EmptyField(FieldName::Company),
            ValidationError::TooLong {
                field: FieldName::Need,
                max: 2000,
                len: 2001,
            },
            ValidationError::InvalidPhone,
            ValidationError::InvalidEmail,
        ],
    );
    // 2000 two-byte characters are fine: the limit counts characters.
    let mut p = fixtures::contact();
    p.fields.insert(FieldName::Need, "ạ".repeat(2000));
    assert_only(&p, &[]);
}

#[test]
fn callback_date_and_window() {
    let mut p = fixtures::callback();
    p.fields
        .insert(FieldName::CallbackDate, "2026-02-30".into());
    p.fields
        .insert(FieldName::CallbackWindow, "10:30-09:00".into());
    assert_only(
        &p,
        &[
            ValidationError::InvalidCallbackDate,
            ValidationError::InvalidCallbackWindow,
        ],
    );

    let mut p = fixtures::callback();
    p.fields
        .insert(FieldName::CallbackDate, "2026-11-22".into());
    assert_only(&p, &[ValidationError::CallbackDateInPast]);
    p.fields
        .insert(FieldName::CallbackDate, "2026-11-23".into());
    assert_only(&p, &[]);
}

#[test]
fn consultation_must_be_granted_and_shown() {
    let mut p = fixtures::contact();
    let notice = fixtures::consultation(FormKind::Contact, FormKind::Contact.fields());
    p.consents.retain(|c| c.purpose != Purpose::Consultation);
    assert_only(
        &p,
        &[ValidationError::MissingConsent(Purpose::Consultation)],
    );

    p.push_consent(&notice, &fixtures::policy(), false);
    assert_only(&p, &[ValidationError::ConsultationNotGranted]);

    // Refusing the optional ones never blocks.
    let mut p = fixtures::contact();
    for c in &mut p.consents {
        if c.purpose != Purpose::Consultation {
            assert!(!c.purpose.is_required());
        }
    }
    p.consents.truncate(1);
    assert_only(&p, &[]);
}

#[test]
fn duplicate_and_unstated_marketing() {
    let mut p = fixtures::contact();
    p.push_consent(&fixtures::marketing(), &fixtures::policy(), true);
    assert_only(&p, &[ValidationError::DuplicateConsent(Purpose::Marketing)]);

    let mut p = fixtures::contact();
    let mut notice = fixtures::marketing();
    notice.marketing.as_mut().unwrap().channels.clear();
    p.consents.retain(|c| c.purpose != Purpose::Marketing);
    p.push_consent(&notice, &fixtures::policy(), true);
    assert_only(&p, &[ValidationError::MarketingTermsMissing]);
}

#[test]
fn text_hash_mismatch() {
    let mut p = fixtures::contact();
    p.consents[1].text_sha256 = sha256_hex("something else");
    assert_only(
        &p,
        &[
            ValidationError::TextHashMismatch(Purpose::Marketing),
            ValidationError::RecordMismatch {
                purpose: Purpose::Marketing,
                part: "notice text",
            },
        ],
    );
    // Text changed after hashing (e.g. re-worded by a proxy).
    let mut p = fixtures::contact();
    p.consents[0].text.push('!');
    let errs = errors_of(&p);
    assert!(errs.contains(&ValidationError::TextHashMismatch(Purpose::Consultation)));
    // Upper-case hex is not the canonical form.
    let mut p = fixtures::contact();
    let upper = p.consents[2].text_sha256.to_uppercase();
    p.consents[2].text_sha256 = upper.clone();
    p.consents[2].record.processing.notice.text_sha256 = upper;
    assert_only(
        &p,
        &[ValidationError::TextHashMismatch(Purpose::CallRecording)],
    );
}

#[test]
fn records_must_match_their_entry() {
    let cases: Vec<(&str, PayloadEdit)> = vec![
        (
            "record_id",
            Box::new(|p| p.consents[0].record.record_id.push('x')),
        ),
        (
            "principal_id",
            Box::new(|p| p.consents[0].record.principal_id = Some("msg_other".into())),
        ),
        (
            "schema_version",
            Box::new(|p| p.consents[0].record.schema_version = "2".into()),
        ),
        (
            "notice policy",
            Box::new(|p| p.consents[0].policy_version = Some("2027".into())),
        ),
        ("notice language", Box::new(|p| p.locale = Locale::En)),
        (
            "jurisdiction",
            Box::new(|p| p.consents[0].record.processing.jurisdiction = "EU".into()),
        ),
        (
            "events",
            Box::new(|p| {
                p.consents[0].record.events[0].time =
                    Rfc3339::from_unix_millis(fixtures::SUBMITTED_MS - 1, 420).unwrap()
            }),
        ),
        ("events", Box::new(|p| p.consents[1].granted = true)),
        (
            "purposes",
            Box::new(|p| p.consents[0].record.processing.purposes[0].required = false),
        ),
        (
            "controllers",
            Box::new(|p| p.consents[0].record.processing.controllers.clear()),
        ),
    ];
    for (part, edit) in cases {
        let mut p = fixtures::contact();
        edit(&mut p);
        let errs = errors_of(&p);
        assert!(
            errs.iter().any(
                |e| matches!(e, ValidationError::RecordMismatch { part: got, .. } if *got == part)
            ),
            "{part}: {errs:?}"
        );
    }
    // A principal id may be left out.
    let mut p = fixtures::contact();
    p.consents[0].record.principal_id = None;
    assert_only(&p, &[]);
}

#[test]
fn every_problem_is_listed_with_a_message() {
    let mut p = fixtures::contact();
    p.fields.remove(&FieldName::Phone);
    p.fields.insert(FieldName::Email, "x".into());
    p.consents[0].granted = false;
    let err = p.validate().unwrap_err();
    assert!(err.errors().len() >= 3, "{err:?}");
    let text = err.to_string();
    assert!(text.contains("`phone` is missing"), "{text}");
    assert!(text.contains("`email`"), "{text}");
    assert!(
        text.contains("`consultation` consent is not granted"),
        "{text}"
    );
}

fn signed(p: &Payload, secret: &Secret, ts: u64) -> (Vec<u8>, String, String) {
    let body = p.to_body();
    let sig = signing::sign(secret, &p.id, ts, &body);
    (body, ts.to_string(), sig.into())
}

#[test]
fn receive_checks_everything() {
    let secret = Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    let now = 1_795_424_830;
    let p = fixtures::contact();
    let (body, ts, sig) = signed(&p, &secret, now - 5);
    let headers = WebhookHeaders {
        id: p.id.as_str(),
        timestamp: &ts,
        signature: &sig,
    };
    assert_eq!(receive(&secret, &headers, &body, now), Ok(p.clone()));

    // Tampered body.
    let mut tampered = body.clone();
    let i = tampered.windows(4).position(|w| w == b"true").unwrap();
    tampered[i..i + 4].copy_from_slice(b"1234");
    assert_eq!(
        receive(&secret, &headers, &tampered, now),
        Err(ReceiveError::Signature(VerifyError::NoMatchingSignature))
    );
    // Stale.
    assert!(matches!(
        receive(&secret, &headers, &body, now + 400),
        Err(ReceiveError::Signature(VerifyError::TimestampTooOld { .. }))
    ));

    // Correctly signed under another id header.
    let other = consent_form::signing::MessageId::from_random([1; 16]);
    let sig2: String = signing::sign(&secret, &other, now, &body).into();
    let ts2 = now.to_string();
    let h2 = WebhookHeaders {
        id: other.as_str(),
        timestamp: &ts2,
        signature: &sig2,
    };
    assert!(matches!(
        receive(&secret, &h2, &body, now),
        Err(ReceiveError::IdMismatch { .. })
    ));

    // Correctly signed but invalid content.
    let mut bad = fixtures::contact();
    bad.consents[0].granted = false;
    let (body3, ts3, sig3) = signed(&bad, &secret, now);
    let h3 = WebhookHeaders {
        id: bad.id.as_str(),
        timestamp: &ts3,
        signature: &sig3,
    };
    match receive(&secret, &h3, &body3, now) {
        Err(ReceiveError::Payload(PayloadError::Invalid(e))) => {
            assert!(e.contains(&ValidationError::ConsultationNotGranted))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_signature_shown_in_docs_payload_md_is_real() {
    // docs/payload.md shows this request; the signature was computed with the Python
    // standardwebhooks library over the same body.
    let secret = Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    let p = fixtures::contact();
    assert_eq!(p.id.as_str(), "msg_5a17c30944ee812d906b3fa25811d70c");
    let sig = signing::sign(&secret, &p.id, 1_795_424_826, &p.to_body());
    assert_eq!(
        sig.as_str(),
        "v1,78UqbePJA1Rz9K/wIPKcGO0a11Afeu+5jPX295nAQSk="
    );
    let docs =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/payload.md")).unwrap();
    assert!(docs.contains(&format!("webhook-signature: {sig}")));
    assert!(docs.contains("webhook-timestamp: 1795424826"));
}

#[test]
fn a_captcha_token_is_carried_and_checked() {
    // Absent without a hook: no key at all, so receivers that predate it read it.
    let mut p = fixtures::contact();
    let v: Value = serde_json::from_slice(&p.to_body()).unwrap();
    assert!(v.get("captcha").is_none());

    p.captcha = Some("0.xT-9_aB.cd".to_owned());
    assert_only(&p, &[]);
    let body = p.to_body();
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["captcha"], "0.xT-9_aB.cd");
    assert_eq!(Payload::from_body(&body).unwrap(), p);

    let longest = "t".repeat(consent_form::payload::MAX_CAPTCHA_TOKEN_BYTES);
    for bad in ["", "tok en", "tök", "tok\n", &format!("{longest}t")] {
        p.captcha = Some(bad.to_owned());
        assert_only(&p, &[ValidationError::BadCaptchaToken]);
    }
    p.captcha = Some(longest);
    assert_only(&p, &[]);
}
