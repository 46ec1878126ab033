//! The payload's JSON body, written by hand: the bytes that are signed and sent.
//!
//! Byte for byte what serde_json writes from the `Serialize` derives on the same types
//! (members in declaration order, `null` for an absent `Option` unless the derive
//! skips it), so a receiver that re-serializes with serde reads the same shape. The
//! tests below compare the two on many payloads.

use super::{ConsentEntry, Payload};
use crate::consent::{
    Actor, ConsentEvent, ConsentRecord, ConsentState, Controller, EventType, MarketingTerms,
    Processing, PurposeInfo, RecordedNotice, SensitiveCategory, Validity,
};
use crate::json::{ToJson, Writer};

impl ToJson for Payload {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("id").string(self.id.as_str());
        w.key("form").string(self.form.as_str());
        w.key("submitted_at").string(self.submitted_at.as_str());
        w.key("locale").string(self.locale.tag());
        w.key("fields");
        self.fields.write_json(w);
        w.key("consents").array(&self.consents);
        if let Some(g) = &self.guardian {
            w.key("guardian").begin_object();
            w.key("text").string(&g.text);
            w.key("text_sha256").string(&g.text_sha256);
            w.end_object();
        }
        if let Some(token) = &self.captcha {
            w.key("captcha").string(token);
        }
        w.end_object();
    }
}

impl ToJson for ConsentEntry {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("purpose").string(self.purpose.id());
        w.key("granted").bool(self.granted);
        w.key("text").string(&self.text);
        w.key("text_sha256").string(&self.text_sha256);
        w.key("policy_url").string(&self.policy_url);
        w.key("policy_version")
            .optional(self.policy_version.as_deref());
        w.key("record");
        self.record.write_json(w);
        w.end_object();
    }
}

impl ToJson for ConsentRecord {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("schema_version").string(&self.schema_version);
        w.key("record_id").string(&self.record_id);
        if let Some(principal) = &self.principal_id {
            w.key("principal_id").string(principal);
        }
        w.key("collection_method").string(&self.collection_method);
        w.key("processing");
        self.processing.write_json(w);
        w.key("events").array(&self.events);
        w.end_object();
    }
}

impl ToJson for Processing {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("notice");
        self.notice.write_json(w);
        w.key("purposes").array(&self.purposes);
        w.key("data_types").array(&self.data_types);
        w.key("sensitive").bool(self.sensitive);
        if !self.sensitive_categories.is_empty() {
            w.key("sensitive_categories").begin_array();
            for category in &self.sensitive_categories {
                w.string(SensitiveCategory::id(*category));
            }
            w.end_array();
        }
        w.key("controllers").array(&self.controllers);
        w.key("recipients").array(&self.recipients);
        w.key("retention").string(&self.retention);
        w.key("consequences").string(&self.consequences);
        w.key("withdrawal_method").string(&self.withdrawal_method);
        if let Some(marketing) = &self.marketing {
            w.key("marketing");
            marketing.write_json(w);
        }
        w.key("jurisdiction").string(&self.jurisdiction);
        w.key("legal_basis").string(&self.legal_basis);
        w.end_object();
    }
}

impl ToJson for RecordedNotice {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("text").string(&self.text);
        w.key("text_sha256").string(&self.text_sha256);
        w.key("language").string(self.language.tag());
        w.key("policy_url").string(&self.policy_url);
        w.key("policy_version")
            .optional(self.policy_version.as_deref());
        w.end_object();
    }
}

impl ToJson for PurposeInfo {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("id").string(self.id.id());
        w.key("description").string(&self.description);
        w.key("required").bool(self.required);
        w.end_object();
    }
}

impl ToJson for Controller {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("name").string(&self.name);
        if let Some(contact) = &self.contact {
            w.key("contact").string(contact);
        }
        w.end_object();
    }
}

impl ToJson for MarketingTerms {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("channels").begin_array();
        for channel in &self.channels {
            w.string(channel.id());
        }
        w.end_array();
        w.key("frequency").string(&self.frequency);
        w.end_object();
    }
}

impl ToJson for ConsentEvent {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("time").string(self.time.as_str());
        w.key("type").string(match self.event_type {
            EventType::Given => "given",
            EventType::Refused => "refused",
            EventType::Withdrawn => "withdrawn",
        });
        w.key("state").string(match self.state {
            ConsentState::Active => "active",
            ConsentState::Refused => "refused",
            ConsentState::Withdrawn => "withdrawn",
        });
        w.key("by").string(match self.by {
            Actor::Principal => "principal",
            Actor::Controller => "controller",
        });
        if let Some(Validity::UntilWithdrawn) = self.validity {
            w.key("validity").string("until_withdrawn");
        }
        w.end_object();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consent::{Channel, Notice, Policy, Purpose};
    use crate::fields::{FieldName, FormKind};
    use crate::locale::Locale;
    use crate::payload::Rfc3339;
    use crate::signing::MessageId;

    /// Texts that an escaper can get wrong.
    const AWKWARD: [&str; 12] = [
        "",
        "Nguyễn Văn Ánh — Công ty TNHH Ví Dụ, Đà Nẵng",
        "Ngu\u{0302}\u{0303}n (decomposed)",
        "\"quoted\", back\\slash, /slash/",
        "controls \0\u{1}\u{8}\u{b}\u{c}\u{1f}\u{7f}\r\n\t end",
        "line\u{2028}sep\u{2029}para",
        "emoji 😀👨‍👩‍👧‍👦 🇻🇳",
        "<img src=x onerror=alert(1)></script><!--",
        "\u{feff}BOM \u{fffd} \u{10ffff}",
        "trailing backslash \\",
        "\\u0000 looks escaped",
        "+84902666984",
    ];

    fn notice(purpose: Purpose, text: &str, i: usize) -> Notice {
        let pick = |n: usize| AWKWARD[(i + n) % AWKWARD.len()].to_owned();
        Notice {
            purpose,
            text: text.to_owned(),
            language: if i.is_multiple_of(2) {
                Locale::Vi
            } else {
                Locale::En
            },
            description: pick(1),
            data_types: (0..i % 3).map(pick).collect(),
            sensitive: i % 4 == 1,
            sensitive_categories: SensitiveCategory::ALL
                .into_iter()
                .skip(i % 5)
                .take(i % 3)
                .collect(),
            controller: Controller {
                name: pick(2),
                contact: (i % 2 == 1).then(|| pick(3)),
            },
            recipients: (0..i % 4).map(|n| pick(n + 4)).collect(),
            consequences: pick(5),
            retention: pick(6),
            withdrawal: pick(7),
            marketing: (!i.is_multiple_of(3)).then(|| MarketingTerms {
                channels: [Channel::Email, Channel::Sms, Channel::Phone, Channel::Zalo]
                    .into_iter()
                    .take(i % 5)
                    .collect(),
                frequency: pick(8),
            }),
        }
    }

    /// A payload with `texts` in every text the visitor or host can set.
    fn payload(texts: &[String], seed: usize) -> Payload {
        let text = |n: usize| {
            texts
                .get(n % texts.len().max(1))
                .cloned()
                .unwrap_or_default()
        };
        let id = MessageId::from_random([seed as u8; 16]);
        let at = Rfc3339::from_unix_millis(
            1_795_424_825_123 + seed as i64 * 997,
            -420 + 60 * (seed as i32 % 15),
        )
        .unwrap();
        let form = if seed.is_multiple_of(2) {
            FormKind::Contact
        } else {
            FormKind::Callback
        };
        let mut p = Payload::new(id, form, at, Locale::Vi);
        for (n, &field) in FieldName::ALL.iter().enumerate() {
            if !(seed + n).is_multiple_of(3) {
                p.fields.insert(field, text(n));
            }
        }
        let policy = Policy {
            url: text(20),
            version: (seed.is_multiple_of(2)).then(|| text(21)),
        };
        let purposes = [
            Purpose::Consultation,
            Purpose::Marketing,
            Purpose::CallRecording,
            Purpose::parse("share_with_partner_2").unwrap(),
        ];
        for (n, purpose) in purposes.into_iter().take(seed % 5).enumerate() {
            let notice = notice(purpose, &text(30 + n), seed + n);
            p.push_consent(&notice, &policy, (seed + n).is_multiple_of(2));
        }
        if seed.is_multiple_of(2) {
            p.captcha = Some(text(40));
        }
        if seed % 3 == 1 {
            p.guardian = Some(super::super::GuardianConsent::new(text(41)));
        }
        if let Some(entry) = p.consents.first_mut() {
            if seed.is_multiple_of(3) {
                entry.record.principal_id = None;
            }
            if seed.is_multiple_of(4) {
                let later = Rfc3339::parse("2027-01-02T03:04:05Z").unwrap();
                let _ = entry.record.withdraw(later, Actor::Controller);
            }
        }
        p
    }

    fn assert_same(p: &Payload) {
        let ours = p.to_body();
        let theirs = serde_json::to_vec(p).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&theirs)
        );
        assert_eq!(p.to_json().into_bytes(), theirs);
    }

    #[test]
    fn the_body_is_what_serde_json_writes() {
        let texts: Vec<String> = AWKWARD.iter().map(|t| (*t).to_owned()).collect();
        for seed in 0..60 {
            assert_same(&payload(&texts, seed));
        }
    }

    #[test]
    fn an_empty_payload_is_what_serde_json_writes() {
        let p = payload(&[], 3);
        assert_same(&Payload::new(
            p.id.clone(),
            p.form,
            p.submitted_at.clone(),
            Locale::En,
        ));
    }

    /// proptest is a native dev-dependency only.
    #[cfg(not(target_arch = "wasm32"))]
    mod any_text {
        use proptest::prelude::*;

        use super::payload;

        proptest! {
            #[test]
            fn any_text_is_written_as_serde_json_writes_it(
                texts in proptest::collection::vec(any::<String>(), 1..8),
                seed in 0usize..60,
            ) {
                let p = payload(&texts, seed);
                prop_assert_eq!(p.to_body(), serde_json::to_vec(&p).unwrap());
            }
        }
    }
}
