//! The notice of each purpose the form shows, written out from the host's configuration
//! and the texts: the sentence next to the checkbox and its details, exactly as shown.

use std::borrow::Cow;

use crate::config::{Config, CustomPurpose};
use crate::consent::{Controller, MarketingTerms, Notice, Purpose, SensitiveCategory};
use crate::fields::FieldName;
use crate::messages::{join_list, Key, Texts};
use crate::validation::label;

/// A purpose's notice as the visitor sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShownNotice {
    /// The record's notice; its `text` is the sentence and the details, line by line.
    pub notice: Notice,
    /// The sentence next to the checkbox.
    pub sentence: String,
    /// The details one click away, as (heading, text) rows.
    pub details: Vec<(String, String)>,
}

impl ShownNotice {
    /// The checkbox's `name`: `consent-<purpose>`.
    pub fn input_name(&self) -> String {
        format!("consent-{}", self.notice.purpose.id())
    }
}

/// The notices of every purpose `config` asks about, in order. `kept`: whether this
/// browser keeps the list of consents given on this device
/// (`history::storage::kept`), which the rights then name.
pub fn notices(config: &Config, texts: &Texts, kept: bool) -> Vec<ShownNotice> {
    config
        .purposes
        .iter()
        .map(|p| notice(config, texts, p, kept))
        .collect()
}

/// `items` joined by ", ". Through `&str`: `join` on `String`s would bring a second
/// copy of `join` into the wasm (the others join `&str`s). Inlined: measured 0.3 KB
/// gzip smaller than a call.
#[inline(always)]
fn comma_list(items: &[String]) -> String {
    items
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The text that names a sensitive category to the visitor.
fn sensitive_text(category: SensitiveCategory) -> Key {
    match category {
        SensitiveCategory::PoliticalOrReligiousViews => Key::SensitivePoliticalOrReligiousViews,
        SensitiveCategory::Health => Key::SensitiveHealth,
        SensitiveCategory::RacialOrEthnicOrigin => Key::SensitiveRacialOrEthnicOrigin,
        SensitiveCategory::Genetic => Key::SensitiveGenetic,
        SensitiveCategory::Biometric => Key::SensitiveBiometric,
        SensitiveCategory::SexLife => Key::SensitiveSexLife,
        SensitiveCategory::CriminalRecord => Key::SensitiveCriminalRecord,
        SensitiveCategory::BankCustomer => Key::SensitiveBankCustomer,
        SensitiveCategory::Location => Key::SensitiveLocation,
        SensitiveCategory::Other => Key::SensitiveOther,
    }
}

fn notice(config: &Config, texts: &Texts, purpose: &Purpose, kept: bool) -> ShownNotice {
    let controller = config.controller.as_str();
    let custom: Option<&CustomPurpose> =
        config.custom_purposes.iter().find(|c| c.id == purpose.id());
    let shown_fields: Vec<FieldName> = config.fields.iter().map(|(f, _)| *f).collect();
    let field_list = |fields: &[FieldName]| {
        let labels: Vec<Cow<str>> = fields
            .iter()
            .map(|f| Cow::Borrowed(label(*f, texts)))
            .collect();
        join_list(texts, &labels)
    };
    let contact_fields: Vec<FieldName> = shown_fields
        .iter()
        .copied()
        .filter(|f| matches!(f, FieldName::Name | FieldName::Phone | FieldName::Email))
        .collect();

    let frequency = config
        .frequency
        .clone()
        .unwrap_or_else(|| texts.get(Key::DefaultFrequency).to_owned());
    let channel_names: Vec<Cow<str>> = config
        .channels
        .iter()
        .map(|c| {
            Cow::Borrowed(texts.get(match c.id() {
                "email" => Key::ChannelEmail,
                "sms" => Key::ChannelSms,
                "phone" => Key::ChannelPhone,
                _ => Key::ChannelZalo,
            }))
        })
        .collect();
    let channels = join_list(texts, &channel_names);
    let fill = |key: Key| {
        texts.fill(
            key,
            &[
                ("controller", controller),
                ("channels", &channels),
                ("frequency", &frequency),
            ],
        )
    };

    // Where a parent or guardian agrees on the form, their name and phone are data the
    // consultation uses too (when the visitor is under 16).
    let consultation_fields: Vec<FieldName> = match config.guardian {
        true => shown_fields
            .iter()
            .copied()
            .chain(FieldName::GUARDIAN)
            .collect(),
        false => shown_fields.clone(),
    };
    let (sentence, description, data, data_types, method, consequences, recipients) = match purpose
    {
        Purpose::Consultation => (
            consultation_sentence(&fill),
            fill(Key::ConsultationPurpose),
            texts.fill(
                Key::ConsultationData,
                &[("fields", &field_list(&consultation_fields))],
            ),
            consultation_fields
                .iter()
                .map(|f| f.as_str().to_owned())
                .collect(),
            fill(Key::ConsultationMethod),
            fill(Key::ConsultationConsequence),
            config.recipients.clone(),
        ),
        Purpose::Marketing => (
            fill(Key::MarketingText),
            fill(Key::MarketingPurpose),
            texts.fill(
                Key::MarketingData,
                &[("fields", &field_list(&contact_fields))],
            ),
            contact_fields
                .iter()
                .map(|f| f.as_str().to_owned())
                .collect(),
            fill(Key::MarketingMethod),
            fill(Key::MarketingConsequence),
            Vec::new(),
        ),
        Purpose::CallRecording => (
            fill(Key::CallRecordingText),
            fill(Key::CallRecordingPurpose),
            fill(Key::CallRecordingData),
            vec!["call_audio".to_owned(), "phone".to_owned()],
            fill(Key::CallRecordingMethod),
            fill(Key::CallRecordingConsequence),
            Vec::new(),
        ),
        Purpose::Custom(_) => {
            let custom = custom.cloned().unwrap_or(CustomPurpose {
                id: purpose.id().to_owned(),
                text: purpose.id().to_owned(),
                details: None,
                data: None,
                recipients: Vec::new(),
                consequences: None,
                method: None,
                sensitive: Vec::new(),
            });
            (
                custom.text.clone(),
                custom
                    .details
                    .clone()
                    .unwrap_or_else(|| custom.text.clone()),
                custom
                    .data
                    .clone()
                    .unwrap_or_else(|| field_list(&shown_fields) + "."),
                shown_fields.iter().map(|f| f.as_str().to_owned()).collect(),
                custom
                    .method
                    .clone()
                    .unwrap_or_else(|| fill(Key::CustomMethod)),
                custom
                    .consequences
                    .clone()
                    .unwrap_or_else(|| fill(Key::CustomConsequence)),
                custom.recipients.clone(),
            )
        }
    };
    let sensitive_categories: Vec<_> = custom
        .map(|c| {
            c.sensitive
                .iter()
                .filter_map(|s| SensitiveCategory::parse(s))
                .collect()
        })
        .unwrap_or_default();
    let retention = config
        .retention
        .clone()
        .unwrap_or_else(|| texts.get(Key::DefaultRetention).to_owned());
    // How to reach the controller, where the visitor is told how to use their rights.
    let reachable = match &config.controller_contact {
        Some(contact) => format!("{controller} ({contact})"),
        None => controller.to_owned(),
    };
    // How to withdraw, as the form offers it: where the host takes withdrawals, the
    // receipt's button, and the list of consents given on this device where this
    // browser keeps it (not in a sandboxed frame: no `localStorage`). Recorded as shown.
    let rights = match config.withdraw_endpoint {
        Some(_) => texts.fill(
            match kept {
                true => Key::RightsWithButton,
                false => Key::RightsWithButtonReceipt,
            },
            &[
                ("controller", &reachable),
                ("button", texts.get(Key::WithdrawButton)),
            ],
        ),
        None => texts.fill(Key::Rights, &[("controller", &reachable)]),
    };

    let mut details = vec![
        (
            texts.get(Key::NoticePurpose).to_owned(),
            description.clone(),
        ),
        (texts.get(Key::NoticeData).to_owned(), data),
        (texts.get(Key::NoticeMethod).to_owned(), method),
        (texts.get(Key::NoticeController).to_owned(), reachable),
        (
            texts.get(Key::NoticeRecipients).to_owned(),
            if recipients.is_empty() {
                texts.get(Key::NoticeNoRecipients).to_owned()
            } else {
                comma_list(&recipients)
            },
        ),
    ];
    if !consequences.is_empty() {
        details.push((
            texts.get(Key::NoticeConsequences).to_owned(),
            consequences.clone(),
        ));
    }
    details.push((
        texts.get(Key::NoticeRetention).to_owned(),
        retention.clone(),
    ));
    details.push((texts.get(Key::NoticeRights).to_owned(), rights.clone()));
    if !sensitive_categories.is_empty() {
        // In the visitor's words, not the configuration's ids; "; " because the
        // categories' own names hold commas.
        let named: Vec<&str> = sensitive_categories
            .iter()
            .map(|&category| texts.get(sensitive_text(category)))
            .collect();
        details.push((texts.get(Key::Sensitive).to_owned(), named.join("; ")));
    }

    let mut text = sentence.clone();
    for (heading, value) in &details {
        text.push('\n');
        text.push_str(heading);
        text.push_str(": ");
        text.push_str(value);
    }
    let marketing = (*purpose == Purpose::Marketing).then(|| MarketingTerms {
        channels: config.channels.clone(),
        frequency: frequency.clone(),
    });
    ShownNotice {
        notice: Notice {
            purpose: purpose.clone(),
            text,
            language: texts.locale(),
            description,
            data_types,
            sensitive: !sensitive_categories.is_empty(),
            sensitive_categories,
            controller: Controller {
                name: controller.to_owned(),
                contact: config.controller_contact.clone(),
            },
            recipients,
            consequences,
            retention,
            withdrawal: rights,
            marketing,
        },
        sentence,
        details,
    }
}

/// The consultation sentence, followed by the age statement (Decree 13, Art. 20: under
/// 16, a parent or guardian consents too), so the one consent every submission has
/// also records it; a host that checks age elsewhere overrides `age_statement` with "".
fn consultation_sentence(fill: &impl Fn(Key) -> String) -> String {
    let mut sentence = fill(Key::ConsultationText);
    let age = fill(Key::AgeStatement);
    if !age.trim().is_empty() {
        sentence.push(' ');
        sentence.push_str(age.trim());
    }
    sentence
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RawConfig;
    use crate::locale::Locale;

    fn config(json: &str) -> Config {
        let base = RawConfig::from_json_text(
            r#"{"endpoint":"/api","policy_url":"/p","controller":"ACME Việt Nam","key_url":"/k"}"#,
        )
        .unwrap();
        base.overlay(RawConfig::from_json_text(json).unwrap())
            .validate()
            .unwrap()
    }

    #[test]
    fn each_purpose_has_its_own_complete_notice() {
        let config = config(
            r#"{"marketing":{"channels":["email","zalo"],"frequency":"2 lần mỗi tháng"},
                "purposes":["marketing","call_recording",{"id":"share_x","text":"Chia sẻ với X."}]}"#,
        );
        let texts = Texts::new(Locale::Vi, config.texts.clone());
        let shown = notices(&config, &texts, true);
        assert_eq!(shown.len(), 4);
        assert_eq!(shown[0].input_name(), "consent-consultation");
        // What Decree 13 (Art. 11, 13) asks a notice to state, for every purpose, a
        // host-defined one with only an id and a sentence included.
        let rows = [
            Key::NoticePurpose,
            Key::NoticeData,
            Key::NoticeMethod,
            Key::NoticeController,
            Key::NoticeRecipients,
            Key::NoticeConsequences,
            Key::NoticeRetention,
            Key::NoticeRights,
        ];
        for s in &shown {
            assert!(s.notice.text.starts_with(&s.sentence));
            for key in rows {
                let heading = texts.get(key);
                let row = s.details.iter().find(|(h, _)| h == heading);
                assert!(
                    row.is_some_and(|(_, v)| !v.trim().is_empty()),
                    "{}: no {heading}",
                    s.sentence
                );
                assert!(
                    s.notice.text.contains(&format!("\n{heading}: ")),
                    "printed and recorded"
                );
            }
        }
        for s in shown.get(..3).unwrap() {
            assert!(s.sentence.contains("ACME Việt Nam"), "{}", s.sentence);
        }
        let marketing = &shown[1];
        assert!(
            marketing.sentence.contains("email và Zalo"),
            "{}",
            marketing.sentence
        );
        assert!(marketing.sentence.contains("2 lần mỗi tháng"));
        assert_eq!(
            marketing.notice.marketing.as_ref().unwrap().channels.len(),
            2
        );
    }

    #[test]
    fn a_custom_purposes_blank_words_are_its_defaults_and_a_blank_recipient_is_refused() {
        // A template whose variable was empty: a notice row with nothing under it would
        // tell the visitor nothing of what the law asks it to say.
        let config = config(
            r#"{"purposes":[{"id":"share_x","text":"Chia sẻ với X.","details":"","data":" ","method":"","consequences":" "}]}"#,
        );
        let texts = Texts::new(Locale::Vi, config.texts.clone());
        let shown = notices(&config, &texts, true);
        let custom = &shown[1];
        for key in [
            Key::NoticePurpose,
            Key::NoticeData,
            Key::NoticeMethod,
            Key::NoticeConsequences,
        ] {
            let heading = texts.get(key);
            let row = custom.details.iter().find(|(h, _)| h == heading);
            assert!(
                row.is_some_and(|(_, v)| !v.trim().is_empty()),
                "no {heading}: {:?}",
                custom.details
            );
        }
        // "Shared with: " and nothing: a name left out, not "no one" (which would be false).
        for json in [
            r#"{"recipients":["Công ty A", " "]}"#,
            r#"{"purposes":[{"id":"share_x","text":"Chia sẻ với X.","recipients":[""]}]}"#,
            r#"{"industries":["Bán lẻ", ""]}"#,
        ] {
            let errors = RawConfig::from_json_text(json).unwrap_err();
            assert!(
                errors.iter().any(|e| e.contains("none of them empty")),
                "{json}: {errors:?}"
            );
        }
    }

    #[test]
    fn custom_purposes_carry_their_own_text_and_sensitivity() {
        let config = config(
            r#"{"purposes":["consultation",{"id":"share_clinic","text":"Chia sẻ với Phòng khám X","recipients":["Phòng khám X"],"sensitive":["health"]}]}"#,
        );
        let texts = Texts::new(Locale::En, Default::default());
        let shown = notices(&config, &texts, true);
        let custom = &shown[1];
        assert_eq!(custom.sentence, "Chia sẻ với Phòng khám X");
        assert!(custom.notice.sensitive);
        assert_eq!(custom.notice.recipients, ["Phòng khám X"]);
        assert!(custom
            .details
            .iter()
            .any(|(h, _)| h == "Sensitive personal data"));
    }

    #[test]
    fn sensitive_categories_are_named_in_the_visitors_words() {
        let config = config(
            r#"{"purposes":["consultation",{"id":"loan","text":"Chuyển hồ sơ cho Ngân hàng Y","sensitive":["health","bank_customer"]}]}"#,
        );
        for (locale, expected) in [
            (
                Locale::Vi,
                "tình trạng sức khỏe và đời tư ghi trong hồ sơ bệnh án; thông tin khách hàng của tổ chức tín dụng, ngân hàng, trung gian thanh toán",
            ),
            (
                Locale::En,
                "health and medical records; customer data of banks, credit institutions and payment services",
            ),
        ] {
            let texts = Texts::new(locale, Default::default());
            let shown = notices(&config, &texts, true);
            let heading = texts.get(Key::Sensitive);
            let row = shown[1].details.iter().find(|(h, _)| h == heading);
            assert_eq!(row.map(|(_, v)| v.as_str()), Some(expected));
            assert!(shown[1].notice.text.contains(expected), "the recorded text says it too");
        }
    }

    #[test]
    fn texts_can_be_overridden() {
        let config = config(
            r#"{"texts":{"consultation_text":"Liên hệ tôi, {controller}.", "age_statement": "Tôi đủ 16 tuổi."}}"#,
        );
        let texts = Texts::new(Locale::Vi, config.texts.clone());
        assert_eq!(
            notices(&config, &texts, true)[0].sentence,
            "Liên hệ tôi, ACME Việt Nam. Tôi đủ 16 tuổi."
        );
    }

    #[test]
    fn the_data_rows_take_the_hosts_wording_around_the_fields_shown() {
        let data = |json: &str| {
            let config = config(json);
            let texts = Texts::new(Locale::En, config.texts.clone());
            let heading = texts.get(Key::NoticeData).to_owned();
            notices(&config, &texts, true)
                .iter()
                .map(|shown| {
                    let row = shown.details.iter().find(|(h, _)| *h == heading);
                    row.map(|(_, v)| v.clone()).unwrap_or_default()
                })
                .collect::<Vec<_>>()
        };
        let plain = data(r#"{"purposes":["marketing"]}"#);
        assert_eq!(plain[1], "Full name, Phone number and E-mail.");
        let worded = data(
            r#"{"purposes":["marketing"],"texts":{"marketing_data":"Only {fields}, nothing else.",
                "consultation_data":"All of it: {fields}."}}"#,
        );
        assert_eq!(
            worded[1],
            "Only Full name, Phone number and E-mail, nothing else."
        );
        assert!(worded[0].starts_with("All of it: "), "{}", worded[0]);
    }

    #[test]
    fn the_controllers_contact_is_in_the_rights_and_the_record() {
        // How to withdraw must be as plain as how to agree (Decree 13, Art. 12).
        let with = config(r#"{"controller_contact": " dpo@acme.vn "}"#);
        let texts = Texts::new(Locale::En, with.texts.clone());
        for shown in notices(&with, &texts, true) {
            let row = |key: Key| {
                let heading = texts.get(key);
                shown
                    .details
                    .iter()
                    .find(|(h, _)| h == heading)
                    .map(|(_, v)| v.clone())
            };
            assert_eq!(
                row(Key::NoticeController).as_deref(),
                Some("ACME Việt Nam (dpo@acme.vn)")
            );
            assert!(row(Key::NoticeRights)
                .unwrap()
                .contains("by contacting ACME Việt Nam (dpo@acme.vn)"));
            assert_eq!(
                shown.notice.controller.contact.as_deref(),
                Some("dpo@acme.vn")
            );
            assert_eq!(shown.notice.controller.name, "ACME Việt Nam");
        }
        // Without it, the name alone.
        let without = config("{}");
        let shown = notices(&without, &texts, true);
        assert_eq!(shown[0].notice.controller.contact, None);
        assert!(!shown[0].notice.text.contains('('));
    }

    #[test]
    fn the_way_to_withdraw_is_the_one_the_form_offers() {
        // With a withdraw endpoint: the receipt's button and the list of consents given
        // on this device, besides the controller; recorded as the withdrawal method.
        for locale in [Locale::Vi, Locale::En] {
            let with = config(r#"{"withdraw_endpoint": "/api/withdrawals"}"#);
            let texts = Texts::new(locale, with.texts.clone());
            let button = texts.get(Key::WithdrawButton);
            for shown in notices(&with, &texts, true) {
                let method = &shown.notice.withdrawal;
                assert!(method.contains(&format!("“{button}”")), "{method}");
                let (receipt, list) = match locale {
                    Locale::Vi => (
                        "biên nhận",
                        "danh sách các đồng ý bạn đã gửi từ thiết bị này",
                    ),
                    Locale::En => ("receipt", "list of consents you gave from this device"),
                };
                assert!(
                    method.contains(receipt) && method.contains(list),
                    "{method}"
                );
                assert!(method.contains("ACME Việt Nam"), "{method}");
                assert!(
                    shown.notice.text.contains(method.as_str()),
                    "the notice says it"
                );
            }
            // Where this browser keeps no list of consents (a sandboxed frame): the
            // receipt's button and the controller, no list; recorded as shown.
            for shown in notices(&with, &texts, false) {
                let method = &shown.notice.withdrawal;
                assert!(method.contains(&format!("“{button}”")), "{method}");
                let (receipt, list) = match locale {
                    Locale::Vi => ("trong biên nhận, hoặc liên hệ ACME Việt Nam", "thiết bị"),
                    Locale::En => ("on the receipt, or contact ACME Việt Nam", "device"),
                };
                assert!(
                    method.contains(receipt) && !method.contains(list),
                    "{method}"
                );
                assert!(shown.notice.text.contains(method.as_str()), "{method}");
            }
            // Without: contacting the controller, and no button is named.
            let without = config("{}");
            for shown in notices(&without, &texts, true) {
                let method = &shown.notice.withdrawal;
                assert!(!method.contains(button), "{method}");
                assert!(method.contains("ACME Việt Nam"), "{method}");
            }
        }
        // A host that renames the button has the new name in the method.
        let renamed =
            config(r#"{"withdraw_endpoint": "/w", "texts": {"withdraw_button": "Huỷ đồng ý"}}"#);
        let texts = Texts::new(Locale::Vi, renamed.texts.clone());
        assert!(notices(&renamed, &texts, true)[0]
            .notice
            .withdrawal
            .contains("“Huỷ đồng ý”"));
        // Each wording overridable on its own.
        let reworded = config(
            r#"{"withdraw_endpoint": "/w", "texts": {"rights_with_button_receipt": "Bấm “{button}” hoặc gọi {controller}."}}"#,
        );
        let texts = Texts::new(Locale::Vi, reworded.texts.clone());
        assert_eq!(
            notices(&reworded, &texts, false)[0].notice.withdrawal,
            "Bấm “Rút lại đồng ý” hoặc gọi ACME Việt Nam."
        );
        assert!(notices(&reworded, &texts, true)[0]
            .notice
            .withdrawal
            .contains("thiết bị này"));
    }

    #[test]
    fn the_consultation_consent_states_the_age_rule() {
        // Decree 13: under 16, a parent or guardian consents too. The statement is part
        // of the one consent every submission has, so its record proves it.
        for locale in [Locale::Vi, Locale::En] {
            let config = config("{}");
            let texts = Texts::new(locale, config.texts.clone());
            let shown = notices(&config, &texts, true);
            let age = Key::AgeStatement.default_text(locale);
            assert!(age.contains("16"), "{age}");
            assert!(shown[0].sentence.ends_with(age), "{locale:?}");
            assert!(
                shown[0].notice.text.starts_with(&shown[0].sentence),
                "recorded as shown"
            );
            assert!(!shown[1].sentence.contains(age), "only the consultation");
        }
        // A host that checks age elsewhere leaves it out.
        let config = config(r#"{"texts":{"age_statement":""}}"#);
        let texts = Texts::new(Locale::Vi, config.texts.clone());
        assert_eq!(
            notices(&config, &texts, true)[0].sentence,
            Key::ConsultationText
                .default_text(Locale::Vi)
                .replace("{controller}", "ACME Việt Nam")
        );
    }
}
