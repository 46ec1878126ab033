//! `phone::parse` on arbitrary input: never panics, and what it returns is
//! consistent — a number reads back from both its printed forms, an error points
//! at a real character, an obsolete number's correction is itself valid.
#![no_main]

use consent_form::locale::Locale;
use consent_form::phone::{self, PhoneError};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    match phone::parse(input) {
        Ok(number) => {
            let e164 = number.e164();
            assert!(e164.starts_with("+84") && e164.len() <= 13, "{e164}");
            assert_eq!(phone::parse(&e164), Ok(number.clone()));
            assert_eq!(phone::parse(&number.national()), Ok(number.clone()));
        }
        Err(error) => {
            match &error {
                PhoneError::InvalidChar { ch, position } => {
                    assert_eq!(input.chars().nth(*position), Some(*ch));
                }
                PhoneError::Obsolete { corrected, .. } => {
                    assert_eq!(phone::parse(&corrected.e164()), Ok(corrected.clone()));
                }
                PhoneError::InputTooLong => assert!(input.chars().count() > 250),
                _ => {}
            }
            assert!(!error.message(Locale::Vi).is_empty());
            assert!(!error.to_string().is_empty());
        }
    }
});
