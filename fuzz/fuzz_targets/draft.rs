//! The draft as the browser keeps it in `sessionStorage` (what the visitor typed, read
//! back after a reload), from text anyone may have changed: `draft::parse` never
//! panics; what it reads writes back (`ToJson`) to text that reads the same and holds
//! only values the text had; fitted to a form (`draft::fit`) a chosen industry is an
//! option of that form or nothing, and fitting again changes nothing. The same text
//! as an outbox entry's body: `draft::values_of` reads its `fields` the same way.
#![no_main]

mod common;

use consent_form::config::Config;
use consent_form::draft;
use consent_form::fields::{FieldName, FieldValues, FormKind};
use consent_form::json::{self, ToJson};
use consent_form::receipt::Receipt;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let value = json::parse(text).ok();
    let read = draft::parse(text);
    assert_eq!(read, value.as_ref().and_then(draft::values_in));
    if let Some(values) = &read {
        let written = values.to_json();
        assert_eq!(draft::parse(&written).as_ref(), Some(values), "{written}");
        // Only what the text had: each value is the text's last one for its field.
        let members = value.as_ref().unwrap().object("").unwrap().members();
        for (field, v) in values.iter() {
            let last = members
                .iter()
                .rev()
                .find(|(name, value)| {
                    FieldName::parse(name) == Some(field) && value.as_str().is_some()
                })
                .and_then(|(_, value)| value.as_str());
            assert_eq!(last, Some(v.as_str()));
        }
        for config in common::configs() {
            check_fit(config, values);
        }
    }

    // The same text as the body of a submission in the outbox.
    let receipt = Receipt {
        id: "msg_0123456789abcdef0123456789abcdef".into(),
        submitted_at: "2026-11-25T10:00:00.000+07:00".into(),
        form: FormKind::Contact,
        controller: "Công ty".into(),
        policy_url: "/p".into(),
        policy_version: None,
        lines: Vec::new(),
        body: text.to_owned(),
    };
    let fields = value
        .as_ref()
        .and_then(|v| v.object("").ok()?.get("fields").and_then(draft::values_in));
    for config in common::configs() {
        let put_back = draft::values_of(config, &receipt);
        assert_eq!(
            put_back,
            draft::fit(config, fields.clone().unwrap_or_default())
        );
        check_fit(config, &put_back);
    }
});

/// Fitted to `config`: the industry is an option or nothing, the rest unchanged, and
/// fitting again changes nothing.
fn check_fit(config: &Config, values: &FieldValues) {
    let fitted = draft::fit(config, values.clone());
    for field in FieldName::ALL {
        if field == FieldName::Industry {
            let Some(industry) = fitted.get(&field) else {
                assert!(!values.contains_key(&field));
                continue;
            };
            assert!(
                industry.is_empty() || config.industries.iter().any(|i| i == industry),
                "{industry:?} is not an option of {:?}",
                config.industries
            );
        } else {
            assert_eq!(fitted.get(&field), values.get(&field));
        }
    }
    assert_eq!(draft::fit(config, fitted.clone()), fitted);
}
