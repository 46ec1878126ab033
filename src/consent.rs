//! Consents: one per purpose, each with its notice, recorded whether given or refused.
//!
//! - [`Purpose`]: consultation (required), marketing, call recording, or host-defined.
//! - [`Notice`]: what the visitor is told about a purpose before deciding — the exact
//!   text, the data used, the controller, recipients, consequences, retention, how to
//!   withdraw, and for marketing the channels and frequency.
//! - [`ConsentRecord`]: the decision as a record shaped after ISO/IEC TS 27560:2023
//!   (header, processing, events) that a site owner can give an auditor as it is.
//!   Refusals are recorded too; a later withdrawal is a dated event
//!   ([`ConsentRecord::withdraw`]).

mod notice;
mod purpose;
mod record;

pub use notice::{Channel, Controller, MarketingTerms, Notice, Policy, SensitiveCategory};
pub use purpose::{CustomPurposeId, Purpose, PurposeError};
pub use record::{
    record_id, Actor, ConsentEvent, ConsentRecord, ConsentState, EventType, Processing,
    PurposeInfo, RecordedNotice, Validity, WithdrawError, COLLECTION_METHOD, JURISDICTION,
    RECORD_SCHEMA_VERSION,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::Locale;
    use crate::payload::Rfc3339;
    use crate::signing::{sha256_hex, MessageId};

    fn marketing_notice() -> Notice {
        Notice {
            purpose: Purpose::Marketing,
            text: "Tôi đồng ý nhận tin khuyến mãi qua email, Zalo, tối đa 2 lần mỗi tháng.".into(),
            language: Locale::Vi,
            description: "Gửi thông tin sản phẩm và ưu đãi".into(),
            data_types: vec!["name".into(), "email".into(), "phone".into()],
            sensitive: false,
            sensitive_categories: vec![],
            controller: Controller {
                name: "Công ty TNHH Ví Dụ".into(),
                contact: None,
            },
            recipients: vec![],
            consequences: "Bạn có thể nhận email không mong muốn; từ chối không ảnh hưởng.".into(),
            retention: "Đến khi bạn rút lại sự đồng ý.".into(),
            withdrawal: "Bấm \"hủy đăng ký\" trong email hoặc gửi email tới privacy@vidu.vn."
                .into(),
            marketing: Some(MarketingTerms {
                channels: vec![Channel::Email, Channel::Zalo],
                frequency: "tối đa 2 lần mỗi tháng".into(),
            }),
        }
    }

    fn policy() -> Policy {
        Policy {
            url: "https://vidu.vn/chinh-sach".into(),
            version: Some("2026-01".into()),
        }
    }

    fn at(ms: i64) -> Rfc3339 {
        Rfc3339::from_unix_millis(ms, 420).unwrap()
    }

    #[test]
    fn a_given_consent_is_recorded_with_its_exact_text() {
        let id = MessageId::from_random([3; 16]);
        let notice = marketing_notice();
        let r = ConsentRecord::new(&notice, &policy(), true, &id, &at(1_700_000_000_000));
        assert_eq!(r.schema_version, RECORD_SCHEMA_VERSION);
        assert_eq!(r.record_id, format!("{}:marketing", id.as_str()));
        assert_eq!(r.principal_id.as_deref(), Some(id.as_str()));
        assert_eq!(r.processing.notice.text, notice.text);
        assert_eq!(r.processing.notice.text_sha256, sha256_hex(&notice.text));
        assert_eq!(r.processing.jurisdiction, "VN");
        assert_eq!(r.purpose(), Some(&Purpose::Marketing));
        assert!(!r.processing.purposes[0].required);
        assert_eq!(r.current_state(), Some(ConsentState::Active));
        assert_eq!(r.events[0].event_type, EventType::Given);
        assert_eq!(r.events[0].validity, Some(Validity::UntilWithdrawn));
        assert_eq!(
            r.processing.marketing.as_ref().unwrap().channels,
            [Channel::Email, Channel::Zalo]
        );

        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["events"][0]["type"], "given");
        assert_eq!(json["events"][0]["state"], "active");
        assert_eq!(json["processing"]["notice"]["language"], "vi");
        assert_eq!(json["processing"]["marketing"]["channels"][1], "zalo");
        let back: ConsentRecord = serde_json::from_value(json).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn a_refusal_is_recorded_too() {
        let id = MessageId::from_random([4; 16]);
        let r = ConsentRecord::new(&marketing_notice(), &policy(), false, &id, &at(0));
        assert_eq!(r.current_state(), Some(ConsentState::Refused));
        assert_eq!(r.events[0].event_type, EventType::Refused);
        assert_eq!(r.events[0].validity, None);
    }

    #[test]
    fn withdrawal_is_a_dated_event() {
        let id = MessageId::from_random([5; 16]);
        let mut r = ConsentRecord::new(&marketing_notice(), &policy(), true, &id, &at(1_000_000));
        assert_eq!(
            r.withdraw(at(999_999), Actor::Principal),
            Err(WithdrawError::BeforeLastEvent)
        );
        r.withdraw(at(2_000_000), Actor::Controller).unwrap();
        assert_eq!(r.events.len(), 2);
        assert_eq!(
            r.events[0].event_type,
            EventType::Given,
            "the given event stays"
        );
        assert_eq!(r.events[1].event_type, EventType::Withdrawn);
        assert_eq!(r.events[1].by, Actor::Controller);
        assert_eq!(r.current_state(), Some(ConsentState::Withdrawn));
        assert_eq!(
            r.withdraw(at(3_000_000), Actor::Principal),
            Err(WithdrawError::NotActive(Some(ConsentState::Withdrawn)))
        );
        let mut refused = ConsentRecord::new(&marketing_notice(), &policy(), false, &id, &at(0));
        assert!(refused.withdraw(at(1), Actor::Principal).is_err());
    }

    #[test]
    fn sensitive_data_is_flagged() {
        let id = MessageId::from_random([6; 16]);
        let mut n = marketing_notice();
        n.purpose = Purpose::parse("share_with_clinic").unwrap();
        n.marketing = None;
        n.sensitive_categories = vec![SensitiveCategory::Health];
        let r = ConsentRecord::new(&n, &policy(), true, &id, &at(0));
        assert!(r.processing.sensitive, "a listed category implies the flag");
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["processing"]["sensitive_categories"][0], "health");

        n.sensitive_categories.clear();
        let plain = ConsentRecord::new(&n, &policy(), true, &id, &at(0));
        assert!(!plain.processing.sensitive);
    }
}
