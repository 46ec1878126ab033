//! `email::parse` and `email::suggest` on arbitrary input: never panic, and what they
//! return is consistent — a parsed address is normalized (parsing it again gives it
//! back), within the RFC lengths in its ASCII form, and a suggestion is itself a valid
//! address that differs from what was typed.
#![no_main]

use consent_form::email::{self, EmailError};
use consent_form::locale::Locale;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = email::parse(input);
    match &parsed {
        Ok(e) => {
            assert_eq!(email::parse(e.as_str()).as_ref(), Ok(e));
            assert_eq!(e.as_str(), format!("{}@{}", e.local_part(), e.domain()));
            assert!(!e.local_part().is_empty() && e.local_part().len() <= 64);
            let ascii = e.to_ascii();
            assert!(ascii.is_ascii() && ascii.len() <= 254, "{ascii}");
            let domain = e.ascii_domain();
            assert!(domain.contains('.'));
            for label in domain.split('.') {
                assert!(!label.is_empty() && label.len() <= 63, "{domain}");
                assert!(!label.starts_with('-') && !label.ends_with('-'), "{domain}");
            }
            let again = email::parse(&ascii).expect("the ASCII form parses");
            assert_eq!(again.as_str(), ascii);
        }
        Err(error) => {
            match error {
                EmailError::InvalidLocalChar { ch, .. } => {
                    assert!(!ch.is_ascii_alphanumeric() && *ch != '.');
                }
                EmailError::InvalidDomainChar { ch, .. } => {
                    assert!(!ch.is_ascii_lowercase() && !ch.is_ascii_digit() && *ch != '-');
                }
                _ => {}
            }
            assert!(!error.message(Locale::Vi).is_empty());
            assert!(!error.message(Locale::En).is_empty());
        }
    }
    if let Some(s) = email::suggest(input) {
        let fixed = email::parse(&s).expect("a suggestion parses");
        assert_eq!(fixed.as_str(), s);
        assert_ne!(parsed.ok(), Some(fixed));
    }
});
