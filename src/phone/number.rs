//! A valid Vietnamese phone number and its printed forms.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::{Serialize, Serializer};

use super::carrier::Carrier;
use super::error::PhoneError;
use super::kind::PhoneKind;
use super::plan::{self, Block, MAX_LEN};
use super::tables::FORMATS;

/// A valid Vietnamese phone number (country code +84).
///
/// Only [`parse`](super::parse) makes one, so it always holds a number
/// libphonenumber considers valid. It serializes as its E.164 string
/// (`"+84902666984"`); deserializing accepts exactly that form and validates it.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber {
    /// The national significant number, ASCII digits (no trunk 0, no +84).
    digits: [u8; MAX_LEN],
    len: u8,
    kind: PhoneKind,
    format: u8,
    carrier: Option<Carrier>,
}

impl PhoneNumber {
    /// The number for a national significant number (digit values), if valid.
    pub(super) fn from_national(nsn: &[u8]) -> Option<PhoneNumber> {
        let block = plan::block(nsn)?;
        Some(PhoneNumber::from_block(nsn, block))
    }

    /// The number `nsn` (digit values, 7–10 of them) of `block`.
    #[inline(always)]
    pub(super) fn from_block(nsn: &[u8], block: &Block) -> PhoneNumber {
        // The slots past the number stay `0`.
        let mut digits = [b'0'; MAX_LEN];
        let mut i = 0;
        while let (Some(slot), Some(&d)) = (digits.get_mut(i), nsn.get(i)) {
            *slot = b'0' + d;
            i += 1;
        }
        PhoneNumber {
            digits,
            len: nsn.len() as u8,
            kind: block.kind,
            format: block.format,
            carrier: block.carrier,
        }
    }

    /// The national significant number: the digits after +84.
    fn nsn(&self) -> &str {
        self.digits
            .get(..usize::from(self.len))
            .and_then(|d| std::str::from_utf8(d).ok())
            .unwrap_or("")
    }

    /// The E.164 form: `"+84902666984"`.
    pub fn e164(&self) -> String {
        let mut out = String::with_capacity(3 + usize::from(self.len));
        out.push_str("+84");
        out.push_str(self.nsn());
        out
    }

    /// libphonenumber's NATIONAL format: `"0902 666 984"`, `"024 3825 1234"`,
    /// `"1800 1234"` (service numbers are written without the trunk 0).
    pub fn national(&self) -> String {
        let mut rest = self.nsn();
        let mut out = String::with_capacity(16);
        let Some(format) = FORMATS.get(usize::from(self.format)) else {
            out.push_str(rest);
            return out;
        };
        if format.trunk {
            out.push('0');
        }
        for &size in format.groups.iter().filter(|&&size| size > 0) {
            let (group, tail) = rest
                .split_at_checked(usize::from(size))
                .unwrap_or((rest, ""));
            if out.len() > usize::from(format.trunk) {
                out.push(' ');
            }
            out.push_str(group);
            rest = tail;
        }
        out.push_str(rest);
        out
    }

    /// Landline, mobile, toll-free…, as libphonenumber classifies the number.
    pub fn kind(&self) -> PhoneKind {
        self.kind
    }

    /// The network a mobile number block was allocated to; `None` for other kinds
    /// and for the 095 block, which no network serves since S-Fone closed.
    pub fn carrier(&self) -> Option<Carrier> {
        self.carrier
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PhoneNumber(+84{})", self.nsn())
    }
}

impl FromStr for PhoneNumber {
    type Err = PhoneError;

    /// Same as [`parse`](super::parse).
    fn from_str(input: &str) -> Result<PhoneNumber, PhoneError> {
        super::parse(input)
    }
}

impl Serialize for PhoneNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.e164())
    }
}

impl<'de> Deserialize<'de> for PhoneNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<PhoneNumber, D::Error> {
        deserializer.deserialize_str(E164Visitor)
    }
}

struct E164Visitor;

impl Visitor<'_> for E164Visitor {
    type Value = PhoneNumber;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a valid Vietnamese phone number in E.164 form (+84…)")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<PhoneNumber, E> {
        let canonical = value
            .strip_prefix("+84")
            .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()));
        match super::parse(value) {
            Ok(number) if canonical && number.e164() == value => Ok(number),
            _ => Err(E::invalid_value(de::Unexpected::Str(value), &self)),
        }
    }
}
