//! What the receiver's examples share: a typical contact submission, built as the form
//! builds it, to copy under new ids.

use consent_form::config::RawConfig;
use consent_form::consent::record_id;
use consent_form::fields::FieldName;
use consent_form::messages::Texts;
use consent_form::notices::notices;
use consent_form::payload::{Payload, Rfc3339};
use consent_form::signing::MessageId;

/// 16 random bytes, for a message id.
pub fn random16() -> [u8; 16] {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).expect("randomness");
    b
}

/// One submission as the contact form builds it, sent now: consultation given,
/// marketing refused.
pub fn template() -> Payload {
    let raw = RawConfig::from_json_text(
        &serde_json::json!({
            "kind": "contact", "endpoint": "/api/leads", "locale": "vi",
            "policy_url": "https://vidu.vn/chinh-sach", "policy_version": "2026-01",
            "controller": "Công ty TNHH Ví Dụ", "key_url": "/api/keys",
            "purposes": ["consultation", "marketing"],
            "marketing": { "channels": ["email", "zalo"], "frequency": "tối đa 2 lần mỗi tháng" }
        })
        .to_string(),
    )
    .expect("config");
    let config = raw.validate().expect("valid config");
    let texts = Texts::new(config.locale, config.texts.clone());
    let id = MessageId::from_random(random16());
    let at = Rfc3339::from_unix_millis(receiver::clock::now_millis(), 420).expect("time");
    let mut p = Payload::new(id, config.kind, at, config.locale);
    p.fields.insert(FieldName::Name, "Nguyễn Văn An".into());
    p.fields.insert(FieldName::Phone, "+84902666984".into());
    p.fields
        .insert(FieldName::Email, "an.nguyen@vidu.vn".into());
    p.fields
        .insert(FieldName::Need, "Tư vấn gói website cho cửa hàng".into());
    let policy = config.policy();
    for shown in notices(&config, &texts, true) {
        let granted = shown.notice.purpose.id() == "consultation";
        p.push_consent(&shown.notice, &policy, granted);
    }
    p
}

/// A copy of `template` under `id`, its consent records re-keyed.
pub fn with_id(template: &Payload, id: &MessageId) -> Payload {
    let mut p = template.clone();
    p.id = id.clone();
    for c in &mut p.consents {
        c.record.record_id = record_id(id, &c.purpose);
        c.record.principal_id = Some(id.as_str().to_owned());
    }
    p
}
