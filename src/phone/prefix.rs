//! From the digits to the national significant number: the country code (+84,
//! 0084, a bare 84) and the trunk prefix 0 come off exactly as libphonenumber
//! takes them off when it parses for region VN.

use super::error::{PhoneError, Prefix};
use super::plan;

/// Vietnam's country calling code.
const VIETNAM: u16 = 84;

/// The national significant number inside `digits` (values 0–9); `plus` tells
/// whether they followed a plus sign. Errors for foreign and unknown country codes.
pub(super) fn national_number(digits: &[u8], plus: bool) -> Result<&[u8], PhoneError> {
    let number = if plus {
        if digits.len() <= 2 {
            return Err(short_international(digits));
        }
        if let [0, ..] = digits {
            // "+0…": libphonenumber retries without the plus, which only helps
            // when an international prefix follows ("+0084…").
            match after_idd(digits) {
                Some(rest) => country(rest)?,
                None => return Err(unknown_code(digits)),
            }
        } else {
            country(digits)?
        }
    } else if let Some(rest) = after_idd(digits) {
        country(rest)?
    } else if let [8, 4, rest @ ..] = digits {
        // A bare 84: the country code if the digits only make sense without it,
        // or if they are too long with it.
        let rest = strip_trunk(rest);
        if (!plan::general_allows(digits) && plan::general_allows(rest))
            || digits.len() > plan::MAX_LEN
        {
            rest
        } else {
            digits
        }
    } else {
        digits
    };
    // The trunk prefix goes unless fewer digits than any number has would remain.
    Ok(match number {
        [0, rest @ ..] if rest.len() >= plan::MIN_LEN => rest,
        _ => number,
    })
}

/// What follows Vietnam's international prefix 00, unless a 0 follows it
/// (libphonenumber's rule: "000…" is not international).
#[inline(always)]
fn after_idd(digits: &[u8]) -> Option<&[u8]> {
    match digits {
        [0, 0, 0, ..] => None,
        [0, 0, rest @ ..] => Some(rest),
        _ => None,
    }
}

/// After a plus sign or 00: the national number if the country code is 84.
/// Inlined at each of its three calls (+84, 00 84, +00 84), which the processor
/// then predicts apart: 1–2 % of the corpus' parse time.
#[inline(always)]
fn country(digits: &[u8]) -> Result<&[u8], PhoneError> {
    if digits.len() <= 2 {
        return Err(short_international(digits));
    }
    // Country codes are prefix-free: the first of 1, 2 or 3 digits that is one wins.
    let (code, rest) = match digits {
        [0, ..] => return Err(unknown_code(digits)),
        [a, rest @ ..] if plan::is_country_code(u16::from(*a)) => (u16::from(*a), rest),
        [a, b, rest @ ..] if plan::is_country_code(u16::from(*a) * 10 + u16::from(*b)) => {
            (u16::from(*a) * 10 + u16::from(*b), rest)
        }
        [a, b, c, rest @ ..] if plan::is_country_code(value(&[*a, *b, *c])) => {
            (value(&[*a, *b, *c]), rest)
        }
        _ => return Err(unknown_code(digits)),
    };
    if code == VIETNAM {
        Ok(rest)
    } else {
        Err(PhoneError::ForeignCountryCode { code })
    }
}

fn strip_trunk(digits: &[u8]) -> &[u8] {
    match digits {
        [0, rest @ ..] => rest,
        _ => digits,
    }
}

/// At most two digits after `+` or 00.
fn short_international(digits: &[u8]) -> PhoneError {
    let code = value(digits);
    if [8u8, 4].starts_with(digits) {
        PhoneError::TooShort {
            digits: 0,
            expected: plan::TYPICAL_LEN,
        }
    } else if !matches!(digits, [0, ..]) && plan::is_country_code(code) {
        PhoneError::ForeignCountryCode { code }
    } else {
        unknown_code(digits)
    }
}

fn unknown_code(digits: &[u8]) -> PhoneError {
    PhoneError::UnknownCountryCode {
        code: Prefix::from_digits(digits.get(..3).unwrap_or(digits)),
    }
}

fn value(digits: &[u8]) -> u16 {
    let mut value = 0;
    for &d in digits.get(..3).unwrap_or(digits) {
        value = value * 10 + u16::from(d);
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nsn(digits: &str, plus: bool) -> Result<String, PhoneError> {
        let d: Vec<u8> = digits.bytes().map(|b| b - b'0').collect();
        national_number(&d, plus).map(|n| n.iter().map(|&d| char::from(b'0' + d)).collect())
    }

    #[test]
    fn country_code_and_trunk() {
        assert_eq!(nsn("0902666984", false).as_deref(), Ok("902666984"));
        assert_eq!(nsn("84902666984", true).as_deref(), Ok("902666984"));
        assert_eq!(nsn("840902666984", true).as_deref(), Ok("902666984"));
        assert_eq!(nsn("0084902666984", false).as_deref(), Ok("902666984"));
        assert_eq!(nsn("0084902666984", true).as_deref(), Ok("902666984"));
        assert_eq!(nsn("84902666984", false).as_deref(), Ok("902666984"));
        // 84 is a mobile block too: 0849 026 669 keeps its 84.
        assert_eq!(nsn("849026669", false).as_deref(), Ok("849026669"));
        // Too few digits would remain: the trunk 0 stays (and makes it invalid).
        assert_eq!(nsn("0902", false).as_deref(), Ok("0902"));
    }

    #[test]
    fn foreign_and_unknown_codes() {
        assert_eq!(
            nsn("16502530000", true),
            Err(PhoneError::ForeignCountryCode { code: 1 })
        );
        assert_eq!(
            nsn("00902666984", false),
            Err(PhoneError::ForeignCountryCode { code: 90 })
        );
        assert_eq!(
            nsn("0902666984", true),
            Err(PhoneError::UnknownCountryCode {
                code: Prefix::new([0, 9, 0])
            })
        );
        assert_eq!(
            nsn("999123456", true),
            Err(PhoneError::UnknownCountryCode {
                code: Prefix::new([9, 9, 9])
            })
        );
        assert_eq!(
            nsn("84", true),
            Err(PhoneError::TooShort {
                digits: 0,
                expected: 9
            })
        );
    }
}
