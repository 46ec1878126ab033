//! From what the visitor typed to a run of digits.
//!
//! Follows libphonenumber's reading of a string: everything before the first digit
//! or plus sign is a label ("SĐT:", "tel:") and is skipped; trailing characters
//! that are neither letters, digits nor `#` are dropped; in between only digits
//! (of any script, full-width included) and libphonenumber's separators may
//! appear. Departures, all listed in docs/phone.md: letters are an error (never
//! keypad-mapped, never an extension label), so are `~`, `#`, `,` and `;`
//! (libphonenumber reads them as extension marks); invisible formatting marks
//! (bidi marks, zero-width joiners, BOM) are ignored wherever they are.

use super::error::PhoneError;
use super::tables::DIGIT_ZEROS;

/// libphonenumber refuses strings longer than this many characters.
pub(super) const MAX_INPUT_CHARS: usize = 250;

/// Digits kept; any number with more is too long whatever its form.
const CAPACITY: usize = 24;

/// The digits of the number, and whether it started with a plus sign.
pub(super) struct Digits {
    buf: [u8; CAPACITY],
    stored: usize,
    total: usize,
    plus: bool,
}

impl Digits {
    fn push(&mut self, value: u8) {
        if let Some(slot) = self.buf.get_mut(self.stored) {
            *slot = value;
            self.stored += 1;
        }
        self.total = self.total.saturating_add(1);
    }

    /// The digits (values 0–9), at most [`CAPACITY`] of them.
    pub(super) fn as_slice(&self) -> &[u8] {
        self.buf.get(..self.stored).unwrap_or(&[])
    }

    /// How many digits did not fit in the buffer.
    pub(super) fn overflow(&self) -> usize {
        self.total - self.stored
    }

    /// Whether there was no digit at all.
    pub(super) fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// Whether the number began with `+` (or a full-width plus).
    pub(super) fn plus(&self) -> bool {
        self.plus
    }
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    Label,
    Pluses,
    Number,
}

/// Reads the digits out of `input`, or says which character is in the way.
pub(super) fn read(input: &str) -> Result<Digits, PhoneError> {
    // Bail out on size before looking at a single character: a character is at
    // most four bytes, so more bytes than this is more characters than allowed.
    if input.len() > MAX_INPUT_CHARS * 4
        || (input.len() > MAX_INPUT_CHARS && input.chars().count() > MAX_INPUT_CHARS)
    {
        return Err(PhoneError::InputTooLong);
    }
    // An RFC 3966 phone-context makes libphonenumber read the string differently;
    // we take no RFC 3966 parameters at all.
    if let Some(at) = input.find(";phone-context=") {
        return Err(PhoneError::InvalidChar {
            ch: ';',
            position: char_position(input, at),
        });
    }
    let end = input
        .char_indices()
        .rev()
        .find(|&(_, c)| !is_invisible(c) && !is_trailing_junk(c))
        .map_or(0, |(at, c)| at + c.len_utf8());
    let body = input.get(..end).unwrap_or("");

    let mut digits = Digits {
        buf: [0; CAPACITY],
        stored: 0,
        total: 0,
        plus: false,
    };
    let mut state = State::Label;
    for (position, c) in body.chars().enumerate() {
        if is_invisible(c) {
            continue;
        }
        if state == State::Label {
            if is_plus(c) {
                digits.plus = true;
                state = State::Pluses;
            } else if let Some(value) = digit_value(c) {
                digits.push(value);
                state = State::Number;
            }
            continue;
        }
        if state == State::Pluses && is_plus(c) {
            continue;
        }
        state = State::Number;
        if let Some(value) = digit_value(c) {
            digits.push(value);
        } else if !is_separator(c) {
            return Err(PhoneError::InvalidChar { ch: c, position });
        }
    }
    Ok(digits)
}

fn char_position(input: &str, byte: usize) -> usize {
    input.get(..byte).map_or(0, |head| head.chars().count())
}

fn is_plus(c: char) -> bool {
    matches!(c, '+' | '\u{FF0B}')
}

/// libphonenumber's punctuation, less `x` and the tildes `~` `～` (it also reads
/// those as extension marks), plus `*`, which it skips too.
fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '-'
            | '.'
            | '/'
            | '('
            | ')'
            | '['
            | ']'
            | '*'
            | '\u{A0}' // no-break space
            | '\u{AD}' // soft hyphen
            | '\u{200B}' // zero-width space
            | '\u{2010}'..='\u{2015}' // hyphens and dashes
            | '\u{2053}' // swung dash
            | '\u{2060}' // word joiner
            | '\u{2212}' // minus sign
            | '\u{223C}' // tilde operator
            | '\u{3000}' // ideographic space
            | '\u{30FC}' // katakana prolonged sound mark
            | '\u{FF08}' | '\u{FF09}' // full-width parentheses
            | '\u{FF0D}'..='\u{FF0F}' // full-width hyphen, full stop, solidus
            | '\u{FF3B}' | '\u{FF3D}' // full-width brackets
    )
}

/// Invisible marks that copy and paste brings along (libphonenumber rejects them
/// between digits; we ignore them).
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' // Arabic letter mark
            | '\u{200C}'..='\u{200F}' // zero-width non-joiner, joiner, LRM, RLM
            | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
            | '\u{2066}'..='\u{2069}' // bidi isolates
            | '\u{FEFF}' // byte order mark / zero-width no-break space
    )
}

/// What libphonenumber drops from the end: anything but letters, digits and `#`
/// (and the underscore, which it drops although it is a word character).
fn is_trailing_junk(c: char) -> bool {
    c == '_' || !(c.is_alphanumeric() || c == '#')
}

/// The value of a decimal digit of any script (Unicode category Nd).
fn digit_value(c: char) -> Option<u8> {
    if c.is_ascii_digit() {
        return Some(c as u8 - b'0');
    }
    let code = u32::from(c);
    let after = DIGIT_ZEROS.partition_point(|&zero| zero <= code);
    let zero = *DIGIT_ZEROS.get(after.checked_sub(1)?)?;
    let value = code - zero;
    (value < 10).then_some(value as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(input: &str) -> Vec<u8> {
        read(input)
            .map(|d| d.as_slice().to_vec())
            .unwrap_or_default()
    }

    #[test]
    fn digit_scripts() {
        assert_eq!(digit_value('7'), Some(7));
        assert_eq!(digit_value('７'), Some(7)); // full-width
        assert_eq!(digit_value('\u{0667}'), Some(7)); // Arabic-Indic
        assert_eq!(digit_value('\u{096D}'), Some(7)); // Devanagari
        assert_eq!(digit_value('²'), None); // superscript: a digit, but not a decimal one
        assert_eq!(digit_value('a'), None);
        assert_eq!(digit_value('\u{1FBF9}'), Some(9)); // last run of the table
    }

    #[test]
    fn labels_and_trailing_junk_are_skipped() {
        assert_eq!(digits("SĐT: 090-266"), [0, 9, 0, 2, 6, 6]);
        assert_eq!(digits("(0902) 66!"), [0, 9, 0, 2, 6, 6]);
        assert!(read("SĐT:").is_ok_and(|d| d.is_empty()));
    }

    #[test]
    fn letters_and_marks_between_digits_are_errors() {
        assert_eq!(
            read("0902a666").err(),
            Some(PhoneError::InvalidChar {
                ch: 'a',
                position: 4
            })
        );
        assert_eq!(
            read("\u{200E}0902~666").err(),
            Some(PhoneError::InvalidChar {
                ch: '~',
                position: 5
            })
        );
        assert_eq!(
            read("tel:0902;phone-context=+84").err(),
            Some(PhoneError::InvalidChar {
                ch: ';',
                position: 8
            })
        );
    }

    #[test]
    fn pluses_only_lead() {
        assert!(read("++84 90").is_ok_and(|d| d.plus()));
        assert_eq!(
            read("+ +84").err(),
            Some(PhoneError::InvalidChar {
                ch: '+',
                position: 2
            })
        );
    }

    #[test]
    fn overflow_is_counted() {
        let d = read(&"1".repeat(30));
        assert!(d.is_ok_and(|d| d.as_slice().len() == CAPACITY && d.overflow() == 6));
    }
}
