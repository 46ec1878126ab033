//! Vietnamese phone numbers: read them however visitors type them, classify them
//! exactly as Google's libphonenumber does for Vietnam (+84), and say precisely
//! what is wrong when they are not numbers — with the corrected number for those
//! renumbered in 2017 (landline area codes) and 2018 (11-digit mobiles).
//!
//! ```
//! use consent_form::phone::{self, Carrier, PhoneError, PhoneKind};
//!
//! let n = phone::parse("SĐT: +84 (0) 902.666.984").unwrap();
//! assert_eq!(n.e164(), "+84902666984");
//! assert_eq!(n.national(), "0902 666 984");
//! assert_eq!(n.kind(), PhoneKind::Mobile);
//! assert_eq!(n.carrier(), Some(Carrier::MobiFone));
//!
//! match phone::parse("0162 123 4567") {
//!     Err(PhoneError::Obsolete { corrected, .. }) => assert_eq!(corrected.national(), "0321 234 567"),
//!     other => panic!("{other:?}"),
//! }
//! ```
//!
//! The files, in the order a number goes through them: `input.rs` reads the
//! digits out of the text, `prefix.rs` takes off +84/0084/84 and the trunk 0,
//! `plan.rs` looks the national number up in the numbering plan (`tables.rs`,
//! generated from libphonenumber by `scripts/phone_corpus.py`; on servers
//! `plan/heads.rs` first settles most invalid numbers by their first four
//! digits), `obsolete.rs` knows
//! the renumberings, `error.rs` says what is wrong in Vietnamese or English.
//! Where and why this departs from libphonenumber: docs/phone.md.
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)]

mod carrier;
mod error;
mod input;
mod kind;
mod number;
mod obsolete;
mod plan;
mod prefix;
#[rustfmt::skip]
mod tables;

pub use carrier::Carrier;
pub use error::{PhoneError, Prefix};
pub use kind::PhoneKind;
pub use number::PhoneNumber;
pub use obsolete::ObsoleteKind;

/// Reads a Vietnamese phone number typed in any of the usual ways: `0902 666 984`,
/// `+84 902 666 984`, `0084…`, `84…`, `+84 (0) …`, with dots, dashes, slashes,
/// parentheses, no-break and zero-width spaces, bidi marks, full-width digits, a
/// `tel:` prefix or a label such as `SĐT:`.
///
/// `Ok` exactly when libphonenumber (`parse(input, "VN")` + `is_valid_number`)
/// finds a valid Vietnamese number, except for the departures listed in
/// docs/phone.md. Never panics; rejects anything over 250 characters at once.
pub fn parse(input: &str) -> Result<PhoneNumber, PhoneError> {
    let mut digits = input::Digits::new();
    input::read(input, &mut digits)?;
    if digits.is_empty() {
        return Err(if digits.plus() {
            PhoneError::TooShort {
                digits: 0,
                expected: plan::TYPICAL_LEN,
            }
        } else {
            PhoneError::Empty
        });
    }
    let nsn = prefix::national_number(digits.as_slice(), digits.plus())?;
    // Most invalid numbers, and most valid ones, are settled by their first four
    // digits (on servers); a renumbered one needs no look at the blocks.
    #[cfg(not(target_arch = "wasm32"))]
    let look = match plan::settled(nsn, digits.overflow()) {
        plan::Head::Error(error) => return Err(error),
        plan::Head::Number(block) => return Ok(PhoneNumber::from_block(nsn, block)),
        plan::Head::Renumbered => false,
        plan::Head::Look => true,
    };
    #[cfg(target_arch = "wasm32")]
    let look = true;
    if digits.overflow() == 0 {
        if let Some(number) = look.then(|| PhoneNumber::from_national(nsn)).flatten() {
            return Ok(number);
        }
        if let Some((corrected, kind)) = obsolete::correct(nsn) {
            return Err(PhoneError::Obsolete { corrected, kind });
        }
    }
    Err(plan::diagnose(nsn, digits.overflow()))
}

/// The release of Python's `phonenumbers` (libphonenumber's metadata) the
/// numbering plan was derived from.
pub const LIBPHONENUMBER_VERSION: &str = tables::SOURCE_VERSION;
