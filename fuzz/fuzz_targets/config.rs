//! The host's configuration from arbitrary text: a `Config` or a list of clear
//! messages, never a panic; a configuration that checks out gives its notices and
//! business hours without panicking either.
#![no_main]

use consent_form::config::RawConfig;
use consent_form::messages::Texts;
use consent_form::notices::notices;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let raw = match RawConfig::from_json_text(text) {
        Ok(raw) => raw,
        Err(errors) => {
            assert!(!errors.is_empty());
            assert!(errors.iter().all(|e| !e.trim().is_empty()), "{errors:?}");
            // What can be read is still read, with the same messages.
            if let Ok(value) = consent_form::json::parse(text) {
                let (raw, again) = RawConfig::read_json(&value);
                assert_eq!(again, errors);
                check(raw);
            }
            return;
        }
    };
    check(raw);
});

fn check(raw: RawConfig) {
    // Values that could not be read were named by `read_json`; `validate` then refuses
    // without naming them again.
    let unreadable = !raw.unreadable.is_empty();
    match raw.validate() {
        Ok(config) => {
            let texts = Texts::new(config.locale, config.texts.clone());
            for shown in notices(&config, &texts, true) {
                assert!(!shown.sentence.trim().is_empty() || shown.notice.text.is_empty());
            }
            let _ = config.policy();
            // 2026-11-25 10:00 and 2028-02-28 23:59 in Vietnam.
            let hours = &config.business_hours;
            for now in [1_795_575_600_000, 1_835_456_340_000] {
                let _ = hours.no_day_left(now);
                for day in hours.days_from(now).into_iter().take(3) {
                    for window in hours.windows_on(day, now) {
                        assert!(hours.offers(&day.to_string(), &window.to_string(), now));
                    }
                }
            }
        }
        Err(errors) => {
            assert!(unreadable || !errors.is_empty());
            for e in errors {
                assert!(!e.to_string().trim().is_empty(), "{e:?}");
            }
        }
    }
}
