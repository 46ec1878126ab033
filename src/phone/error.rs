//! What can be wrong with a typed phone number, said precisely in Vietnamese or
//! English.

use std::fmt::{self, Write};

use super::number::PhoneNumber;
use super::obsolete::ObsoleteKind;
use crate::locale::Locale;

/// Why a string is not a valid Vietnamese phone number.
///
/// Digit counts (`digits`, `expected`) are of the national significant number:
/// without +84 and without the trunk 0, as in libphonenumber.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PhoneError {
    /// Nothing was typed (or only a label such as "SĐT:").
    Empty,
    /// More than 250 characters: not a phone number, and not worth reading.
    InputTooLong,
    /// A character that has no place in a phone number (a letter, `#`, `,`, …).
    InvalidChar {
        /// The character.
        ch: char,
        /// Its position in the input, counted in characters from 0.
        position: usize,
    },
    /// Too few digits for a number that starts this way.
    TooShort {
        /// Digits typed (national significant number).
        digits: u8,
        /// The fewest digits a number starting this way has.
        expected: u8,
    },
    /// Too many digits for a number that starts this way.
    TooLong {
        /// Digits typed (national significant number).
        digits: u8,
        /// The most digits a number starting this way has.
        expected: u8,
    },
    /// A valid country code other than Vietnam's +84.
    ForeignCountryCode {
        /// The country calling code, e.g. 1 or 44.
        code: u16,
    },
    /// `+` or `00` followed by digits that are no country code (such as `+0902…`).
    UnknownCountryCode {
        /// The (up to three) digits that followed.
        code: Prefix,
    },
    /// No Vietnamese number starts with these digits.
    UnknownPrefix {
        /// The shortest beginning that no number has, with the trunk 0: "04", "0200".
        prefix: Prefix,
    },
    /// A number from before a renumbering; `corrected` is what it is today.
    Obsolete {
        /// The current number.
        corrected: PhoneNumber,
        /// Which renumbering.
        kind: ObsoleteKind,
    },
}

impl PhoneError {
    /// The name of every text [`PhoneError::text_name`] gives, one per distinct message.
    pub const TEXT_NAMES: &'static [&'static str] = &[
        "phone_empty",
        "phone_too_long_input",
        "phone_plus_first",
        "phone_letter_o",
        "phone_letter",
        "phone_bad_char",
        "phone_incomplete",
        "phone_too_short",
        "phone_too_long",
        "phone_foreign",
        "phone_plus_zero",
        "phone_unknown_country",
        "phone_unknown_prefix",
        "phone_obsolete_mobile",
        "phone_obsolete_landline",
    ];

    /// The name of this error's message among the form's texts (`phone_too_short` …),
    /// by which a host overrides it: one name per distinct message.
    pub fn text_name(&self) -> &'static str {
        let i = match self {
            PhoneError::Empty => 0,
            PhoneError::InputTooLong => 1,
            PhoneError::InvalidChar {
                ch: '+' | '\u{FF0B}',
                ..
            } => 2,
            PhoneError::InvalidChar { ch: 'O' | 'o', .. } => 3,
            PhoneError::InvalidChar { ch, .. } if is_letter(*ch) => 4,
            PhoneError::InvalidChar { .. } => 5,
            PhoneError::TooShort { digits: 0, .. } => 6,
            PhoneError::TooShort { .. } => 7,
            PhoneError::TooLong { .. } => 8,
            PhoneError::ForeignCountryCode { .. } => 9,
            PhoneError::UnknownCountryCode { code } if code.as_str().starts_with('0') => 10,
            PhoneError::UnknownCountryCode { .. } => 11,
            PhoneError::UnknownPrefix { .. } => 12,
            PhoneError::Obsolete {
                kind: ObsoleteKind::Mobile2018,
                ..
            } => 13,
            PhoneError::Obsolete {
                kind: ObsoleteKind::Landline2017,
                ..
            } => 14,
        };
        Self::TEXT_NAMES.get(i).copied().unwrap_or_default()
    }

    /// The values a host's text for this error may hold in braces: `{ch}` the
    /// character (`U+0009` when it would not show) and `{n}` its position from 1,
    /// `{count}` the digits missing or too many, `{code}` the country code (without
    /// `+`), `{prefix}` the beginning no number has, `{value}` the current number.
    pub fn placeholders(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let (name, number) = match self {
            PhoneError::Empty | PhoneError::InputTooLong => return out,
            PhoneError::InvalidChar { ch, position } => {
                let shown = if ch.is_whitespace() || ch.is_control() {
                    format!("U+{:04X}", u32::from(*ch))
                } else {
                    ch.to_string()
                };
                out.push(("ch", shown));
                ("n", position.saturating_add(1))
            }
            PhoneError::TooShort { digits, expected } => {
                ("count", usize::from(expected.saturating_sub(*digits)))
            }
            PhoneError::TooLong { digits, expected } => {
                ("count", usize::from(digits.saturating_sub(*expected)))
            }
            PhoneError::ForeignCountryCode { code } => ("code", usize::from(*code)),
            PhoneError::UnknownCountryCode { code } => {
                out.push(("code", code.as_str().to_owned()));
                return out;
            }
            PhoneError::UnknownPrefix { prefix } => {
                out.push(("prefix", prefix.as_str().to_owned()));
                return out;
            }
            PhoneError::Obsolete { corrected, .. } => {
                out.push(("value", corrected.national()));
                return out;
            }
        };
        out.push((name, number.to_string()));
        out
    }

    /// A message for the visitor, in Vietnamese or English.
    pub fn message(&self, locale: Locale) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = self.write_message(locale, &mut out);
        out
    }

    fn write_message(&self, locale: Locale, out: &mut impl Write) -> fmt::Result {
        let vi = locale == Locale::Vi;
        match self {
            // Said of "" and of a label alone, and in the form of text without a digit
            // ("abc"; an empty field has its own message there).
            PhoneError::Empty => out.write_str(locale.pick(
                "Chưa có chữ số nào. Vui lòng nhập số điện thoại.",
                "There is no digit in it. Please enter a phone number.",
            )),
            PhoneError::InputTooLong => out.write_str(locale.pick(
                "Nội dung quá dài, không phải một số điện thoại.",
                "This is far too long to be a phone number.",
            )),
            PhoneError::InvalidChar { ch, position } => {
                let n = position.saturating_add(1);
                match ch {
                    '+' | '\u{FF0B}' => out.write_str(locale.pick(
                        "Dấu “+” chỉ được đặt ở đầu số.",
                        "A “+” can only come first.",
                    )),
                    'O' | 'o' if vi => write!(
                        out,
                        "“{ch}” ở vị trí thứ {n} là chữ cái, không phải chữ số. Có phải bạn định gõ số 0?"
                    ),
                    'O' | 'o' => write!(
                        out,
                        "“{ch}” at position {n} is a letter, not a digit. Did you mean 0?"
                    ),
                    c if is_letter(*c) && vi => write!(
                        out,
                        "Số điện thoại không được có chữ cái (“{c}” ở vị trí thứ {n})."
                    ),
                    c if is_letter(*c) => write!(
                        out,
                        "A phone number can't contain letters (“{c}” at position {n})."
                    ),
                    c => {
                        let shown = Shown(*c);
                        if vi {
                            write!(
                                out,
                                "Ký tự {shown} ở vị trí thứ {n} không dùng được trong số điện thoại. \
                                 Chỉ nhập chữ số, có thể kèm dấu cách, dấu chấm hoặc gạch ngang."
                            )
                        } else {
                            write!(
                                out,
                                "The character {shown} at position {n} can't be used in a phone number. \
                                 Use digits, with spaces, dots or dashes if you like."
                            )
                        }
                    }
                }
            }
            PhoneError::TooShort { digits: 0, .. } => out.write_str(locale.pick(
                "Vui lòng nhập đầy đủ số điện thoại.",
                "Please enter the whole phone number.",
            )),
            PhoneError::TooShort { digits, expected } => {
                let missing = expected.saturating_sub(*digits);
                if vi {
                    write!(out, "Số điện thoại còn thiếu {missing} chữ số.")
                } else {
                    write!(out, "This phone number is missing {}.", Digits(missing))
                }
            }
            PhoneError::TooLong { digits, expected } => {
                let extra = digits.saturating_sub(*expected);
                if vi {
                    write!(out, "Số điện thoại thừa {extra} chữ số.")
                } else {
                    write!(out, "This phone number has {} too many.", Digits(extra))
                }
            }
            PhoneError::ForeignCountryCode { code } => {
                if vi {
                    write!(
                        out,
                        "Đây là số nước ngoài (mã quốc gia +{code}). Vui lòng nhập số điện thoại Việt Nam."
                    )
                } else {
                    write!(
                        out,
                        "This is a foreign number (country code +{code}). Please enter a Vietnamese phone number."
                    )
                }
            }
            PhoneError::UnknownCountryCode { code } if code.as_str().starts_with('0') => out
                .write_str(locale.pick(
                    "Sau dấu “+” phải là mã quốc gia, không phải số 0. Hãy bỏ dấu “+” \
                     (0902 666 984) hoặc viết +84 rồi bỏ số 0 ở đầu (+84 902 666 984).",
                    "A “+” must be followed by a country code, not by 0. Drop the “+” \
                     (0902 666 984) or write +84 without the leading 0 (+84 902 666 984).",
                )),
            PhoneError::UnknownCountryCode { code } => {
                if vi {
                    write!(
                        out,
                        "Không có mã quốc gia nào bắt đầu bằng +{code}. Số Việt Nam bắt đầu bằng +84 hoặc 0."
                    )
                } else {
                    write!(
                        out,
                        "No country code starts with +{code}. Vietnamese numbers start with +84 or 0."
                    )
                }
            }
            PhoneError::UnknownPrefix { prefix } => {
                if vi {
                    write!(
                        out,
                        "Không có số điện thoại Việt Nam nào bắt đầu bằng {prefix}."
                    )
                } else {
                    write!(out, "No Vietnamese phone number starts with {prefix}.")
                }
            }
            PhoneError::Obsolete { corrected, kind } => {
                let now = corrected.national();
                match (kind, vi) {
                    (ObsoleteKind::Mobile2018, true) => write!(
                        out,
                        "Số này đã đổi thành {now} từ năm 2018, khi thuê bao di động 11 số chuyển sang 10 số."
                    ),
                    (ObsoleteKind::Mobile2018, false) => write!(
                        out,
                        "This number changed to {now} in 2018, when 11-digit mobile numbers moved to 10 digits."
                    ),
                    (ObsoleteKind::Landline2017, true) => write!(
                        out,
                        "Số này đã đổi thành {now} từ năm 2017, khi mã vùng điện thoại cố định thay đổi."
                    ),
                    (ObsoleteKind::Landline2017, false) => write!(
                        out,
                        "This number changed to {now} in 2017, when landline area codes changed."
                    ),
                }
            }
        }
    }
}

impl fmt::Display for PhoneError {
    /// The English message.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_message(Locale::En, f)
    }
}

impl std::error::Error for PhoneError {}

/// The first few digits of a number (at most six), as an error quotes them.
///
/// Kept inline so that errors cost no allocation.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Prefix {
    digits: [u8; 6],
    len: u8,
}

impl Prefix {
    /// The digits (values 0–9) as text; digits beyond the sixth are left out.
    #[cfg(test)]
    pub(super) fn new(values: impl IntoIterator<Item = u8>) -> Prefix {
        let mut prefix = Prefix {
            digits: [b'0'; 6],
            len: 0,
        };
        for (slot, value) in prefix.digits.iter_mut().zip(values) {
            *slot = b'0' + value.min(9);
            prefix.len += 1;
        }
        prefix
    }

    /// The digits (values 0–9) as text, like [`Prefix::new`] for a slice.
    pub(super) fn from_digits(values: &[u8]) -> Prefix {
        let mut prefix = Prefix {
            digits: [b'0'; 6],
            len: 0,
        };
        for (i, &value) in values.iter().enumerate() {
            if let Some(slot) = prefix.digits.get_mut(i) {
                *slot = b'0' + value.min(9);
                prefix.len += 1;
            }
        }
        prefix
    }

    /// The first `len` of six ASCII digits (those after are not kept).
    #[inline(always)]
    pub(super) fn ascii(digits: [u8; 6], len: u8) -> Prefix {
        // The unused digits are `0`, as everywhere, for the derived equality;
        // masked as one word (byte stores then a word load would stall).
        let [a, b, c, d, e, f] = digits;
        let len = len.min(6);
        let word = u64::from_le_bytes([a, b, c, d, e, f, 0, 0]);
        let keep = (1u64 << (8 * len)) - 1;
        let [a, b, c, d, e, f, ..] = (word & keep | 0x3030_3030_3030 & !keep).to_le_bytes();
        Prefix {
            digits: [a, b, c, d, e, f],
            len,
        }
    }

    /// The digits as a string, e.g. `"0412"`.
    pub fn as_str(&self) -> &str {
        self.digits
            .get(..usize::from(self.len))
            .and_then(|d| std::str::from_utf8(d).ok())
            .unwrap_or("")
    }
}

impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq<str> for Prefix {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Prefix {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Whether an invalid character is a letter, for the message that says so. Without
/// Unicode's letter table (with the case tables, 9.8 KB gzip of wasm): ASCII letters,
/// and the characters a domain name may hold (Latin, Vietnamese, Greek, Cyrillic, CJK
/// and other scripts' letters; not punctuation, symbols, marks or emoji). Digits of any
/// script never get here: the parser reads them as digits.
fn is_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || (!c.is_ascii() && crate::email::idn::is_label_char(c))
}

/// A character quoted, or named by code point when it would not show.
struct Shown(char);

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_whitespace() || self.0.is_control() {
            write!(f, "U+{:04X}", u32::from(self.0))
        } else {
            write!(f, "“{}”", self.0)
        }
    }
}

/// "1 digit", "2 digits".
struct Digits(u8);

impl fmt::Display for Digits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            1 => f.write_str("1 digit"),
            n => write!(f, "{n} digits"),
        }
    }
}
