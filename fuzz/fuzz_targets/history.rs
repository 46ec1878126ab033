//! The consents kept on this device, read back from `localStorage` text that anyone
//! may have changed: `History::parse` never panics, what it reads writes back (its
//! `ToJson`) to text that reads the same, and every receipt in it can be shown.
#![no_main]

use consent_form::history::History;
use consent_form::json::ToJson;
use consent_form::locale::Locale;
use consent_form::messages::Texts;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let history = History::parse(text);
    let again = history.to_json();
    assert_eq!(History::parse(&again), history, "{again}");
    let texts = Texts::new(Locale::Vi, Default::default());
    for given in &history.given {
        let r = &given.receipt;
        let _ = r.callback();
        let _ = r.guardian();
        assert_eq!(r.notice_rows().len(), r.lines.len());
        assert!(!r.time_for_people().is_empty() || r.submitted_at.is_empty());
        assert!(r.file_name().ends_with(".json"));
        let _ = consent_form::wording::receipt_time(r, &texts);
        let _ = given.withdrawn_at("marketing");
    }
});
