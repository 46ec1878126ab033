//! Property tests for `phone::parse`: printed forms parse back to the same number,
//! and no input panics.
#![cfg(not(target_arch = "wasm32"))]

use consent_form::phone::{self, PhoneError};
use proptest::prelude::*;

/// National significant numbers that look like Vietnamese ones: a plausible start,
/// then random digits, 6 to 11 in all (valid or not).
fn nsn() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![
            "3", "5", "7", "8", "9", "2", "24", "28", "236", "1800", "1900", "12", "1", "69",
            "672", "199", "799", "16", "4", "6",
        ]),
        "[0-9]{4,10}",
    )
        .prop_map(|(start, rest)| format!("{start}{rest}"))
}

/// Text shaped like a typed number, with the characters visitors use.
fn typed() -> impl Strategy<Value = String> {
    "[ SĐT:tel+＋(0)84０-９0-9 .\\-/\u{a0}\u{200b}\u{200e}\u{2066}\u{feff}a-zđ~#,;*]{0,40}"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn e164_and_national_round_trip(nsn in nsn()) {
        if let Ok(n) = phone::parse(&format!("0{nsn}")) {
            prop_assert_eq!(phone::parse(&n.e164()), Ok(n.clone()));
            prop_assert_eq!(phone::parse(&n.national()), Ok(n.clone()));
            prop_assert_eq!(n.e164(), format!("+84{nsn}"));
        }
    }

    #[test]
    fn obsolete_corrections_are_valid_numbers(nsn in nsn()) {
        if let Err(PhoneError::Obsolete { corrected, .. }) = phone::parse(&nsn) {
            prop_assert_eq!(phone::parse(&corrected.e164()), Ok(corrected.clone()));
            prop_assert_eq!(phone::parse(&corrected.national()), Ok(corrected));
        }
    }

    #[test]
    fn typed_forms_never_panic_and_valid_ones_round_trip(input in typed()) {
        if let Ok(n) = phone::parse(&input) {
            prop_assert_eq!(phone::parse(&n.e164()), Ok(n.clone()));
            prop_assert_eq!(phone::parse(&n.national()), Ok(n));
        }
    }

    #[test]
    fn any_string_never_panics(input in any::<String>()) {
        let result = phone::parse(&input);
        if let Err(e) = result {
            prop_assert!(!e.message(consent_form::locale::Locale::Vi).is_empty());
            prop_assert!(!e.to_string().is_empty());
        }
    }
}
