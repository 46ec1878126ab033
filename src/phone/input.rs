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

#[cfg(not(target_arch = "wasm32"))]
use std::hint::select_unpredictable;

use super::error::PhoneError;
use super::tables::{DIGIT_ZEROS, TRAILING_JUNK};

/// libphonenumber refuses strings longer than this many characters.
pub(super) const MAX_INPUT_CHARS: usize = 250;

/// Digit slots: one more than the digits kept, as scratch for the branch-free
/// append; any number with more digits is too long whatever its form.
const CAPACITY: usize = 32;
const KEPT: usize = CAPACITY - 1;

/// The digits of the number, and whether it started with a plus sign.
pub(super) struct Digits {
    buf: [u8; CAPACITY],
    total: usize,
    plus: bool,
}

impl Digits {
    /// No digits yet.
    pub(super) fn new() -> Digits {
        Digits {
            buf: [0; CAPACITY],
            total: 0,
            plus: false,
        }
    }

    /// The digits (values 0–9), at most [`KEPT`] of them.
    pub(super) fn as_slice(&self) -> &[u8] {
        self.buf.get(..self.total.min(KEPT)).unwrap_or(&[])
    }

    /// How many digits did not fit in the buffer.
    pub(super) fn overflow(&self) -> usize {
        self.total.saturating_sub(KEPT)
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

/// Byte classes: digit values 0–9, then these. The classes that stop the number
/// loops are 16 or more, so one test of two classes `|`-ed together says whether
/// either stops it.
const SEPARATOR: u8 = 10;
const PLUS: u8 = 16;
/// Anything else: letters, other punctuation and every byte of a non-ASCII
/// character.
const OTHER: u8 = 17;

#[allow(clippy::indexing_slicing)] // evaluated at compile time
static BYTE_CLASS: [u8; 256] = {
    let mut table = [OTHER; 256];
    let mut digit = 0;
    while digit < 10 {
        table[b'0' as usize + digit] = digit as u8;
        digit += 1;
    }
    // libphonenumber's ASCII punctuation, less `x` and `~`, plus `*`.
    let separators = b" -./()[]*";
    let mut i = 0;
    while i < separators.len() {
        table[separators[i] as usize] = SEPARATOR;
        i += 1;
    }
    table[b'+' as usize] = PLUS;
    table
};

/// The class of a byte: a digit's value, [`SEPARATOR`], [`PLUS`] or [`OTHER`].
#[inline(always)]
fn byte_class(byte: u8) -> u8 {
    BYTE_CLASS.get(usize::from(byte)).copied().unwrap_or(OTHER)
}

/// Reads the digits out of `input` into `digits` (fresh from [`Digits::new`]), or
/// says which character is in the way. (Filling the caller's buffer rather than
/// returning one saves a copy that costs more than reading a short number.)
///
/// Three loops, one per part of the text: the label, the plus signs, the number.
/// ASCII bytes are classified by a table; other characters are decoded where
/// they occur. Inlined into [`parse`](super::parse), its one caller: without the
/// call and its result in memory the corpus parses about 3 % faster.
#[inline(always)]
pub(super) fn read(input: &str, digits: &mut Digits) -> Result<(), PhoneError> {
    let bytes = input.as_bytes();
    // Bail out on size before looking at a single character: a character is at
    // most four bytes, so more bytes than this is more characters than allowed.
    if bytes.len() > MAX_INPUT_CHARS * 4
        || (bytes.len() > MAX_INPUT_CHARS && input.chars().count() > MAX_INPUT_CHARS)
    {
        return Err(PhoneError::InputTooLong);
    }
    let mut at = 0;
    // The label: everything before the first digit or plus sign.
    loop {
        let Some(&byte) = bytes.get(at) else {
            return Ok(());
        };
        let class = byte_class(byte);
        if class < SEPARATOR {
            break;
        }
        if class == PLUS {
            digits.plus = true;
            at += 1;
            break;
        }
        if byte < 0x80 {
            if byte == b';' {
                phone_context(input, at)?;
            }
            at += 1;
            continue;
        }
        let (code, width) = decode(bytes, at);
        match classify(code) {
            Class::Digit(_) => break,
            Class::Plus => {
                digits.plus = true;
                at += width;
                break;
            }
            _ => at += width,
        }
    }
    // More plus signs, until a digit or a separator.
    if digits.plus {
        loop {
            let Some(&byte) = bytes.get(at) else {
                return Ok(());
            };
            let class = byte_class(byte);
            if class <= SEPARATOR {
                break;
            }
            if class == PLUS {
                at += 1;
                continue;
            }
            if byte >= 0x80 {
                let (code, width) = decode(bytes, at);
                match classify(code) {
                    Class::Digit(_) | Class::Separator => break,
                    Class::Plus | Class::Invisible => {
                        at += width;
                        continue;
                    }
                    Class::Other => {}
                }
            }
            return trailing(input, at);
        }
    }
    // The number: digits, separators and invisible marks.
    let buf = &mut digits.buf;
    let mut total = 0;
    // Two bytes at a time while both are ASCII digits or separators (a byte past
    // the end reads as a space, picked without a branch): half the loop's
    // branches, and one exit test for both classes. The loop below takes
    // over at the first other character, and at the 30th digit: until then both
    // slots are free, so they are indexed without clamping. (On servers only,
    // like `plan::settled`: about 1 % faster, 110 bytes of wasm; the unclamped
    // slots about 2.5 % more.)
    #[cfg(not(target_arch = "wasm32"))]
    while let Some(&first) = bytes.get(at) {
        let last = bytes.len() - 1;
        let second = bytes.get((at + 1).min(last)).copied().unwrap_or(b' ');
        let a = byte_class(first);
        let b = select_unpredictable(at < last, byte_class(second), SEPARATOR);
        if (a | b) >= PLUS || total >= KEPT - 1 {
            break;
        }
        if let Some(slot) = buf.get_mut(total % CAPACITY) {
            *slot = a;
        }
        total += usize::from(a < SEPARATOR);
        if let Some(slot) = buf.get_mut(total % CAPACITY) {
            *slot = b;
        }
        total += usize::from(b < SEPARATOR);
        at += 2;
    }
    // The zero of the script of the last non-ASCII digit (none yet: no
    // non-ASCII character is less than 10 from 0).
    #[cfg(not(target_arch = "wasm32"))]
    let mut zero = 0u32;
    while let Some(&byte) = bytes.get(at) {
        let class = byte_class(byte);
        if class <= SEPARATOR {
            // The common path, without branches: store whatever came (a
            // separator's class lands in the next free slot, to be overwritten)
            // and count digits.
            if let Some(slot) = buf.get_mut(total.min(KEPT)) {
                *slot = class;
            }
            total += usize::from(class < SEPARATOR);
            at += 1;
            continue;
        }
        if byte >= 0x80 {
            // Full-width digits (EF BC 90–99), read from their bytes.
            if let Some(&[0xEF, 0xBC, third]) = bytes.get(at..at + 3) {
                let value = third.wrapping_sub(0x90);
                if value < 10 {
                    if let Some(slot) = buf.get_mut(total.min(KEPT)) {
                        *slot = value;
                    }
                    total += 1;
                    at += 3;
                    // Full-width and ASCII digits and separators, mixed.
                    #[cfg(not(target_arch = "wasm32"))]
                    {
                        (at, total) = mixed(bytes, at, buf, total);
                    }
                    continue;
                }
            }
            let (code, width) = decode(bytes, at);
            // A digit of the script of the last one is known without `classify`
            // (on servers: inputs in other scripts' digits about twice as fast).
            #[cfg(not(target_arch = "wasm32"))]
            let class = match code.wrapping_sub(zero) {
                value @ 0..=9 => Class::Digit(value as u8),
                _ => classify(code),
            };
            #[cfg(target_arch = "wasm32")]
            let class = classify(code);
            match class {
                Class::Digit(value) => {
                    #[cfg(not(target_arch = "wasm32"))]
                    {
                        zero = code - u32::from(value);
                    }
                    if let Some(slot) = buf.get_mut(total.min(KEPT)) {
                        *slot = value;
                    }
                    total += 1;
                    at += width;
                    continue;
                }
                Class::Separator | Class::Invisible => {
                    at += width;
                    continue;
                }
                Class::Plus | Class::Other => {}
            }
        }
        digits.total = total;
        return trailing(input, at);
    }
    digits.total = total;
    Ok(())
}

/// The classes of the full-width forms U+FF00–FF3F (`EF BC 80`–`BF`), by their
/// last byte's low six bits, as [`classify`] gives them: digits, separators,
/// [`OTHER`] for the rest (the full-width plus included: after the first digit
/// it is in the way).
#[cfg(not(target_arch = "wasm32"))]
#[allow(clippy::indexing_slicing)] // evaluated at compile time
static FULL_WIDTH_CLASS: [u8; 64] = {
    let mut table = [OTHER; 64];
    let mut digit = 0;
    while digit < 10 {
        table[0x10 + digit] = digit as u8;
        digit += 1;
    }
    // Parentheses, hyphen, full stop, solidus, brackets (a test checks these
    // against `classify`).
    let separators = [0x08, 0x09, 0x0D, 0x0E, 0x0F, 0x3B, 0x3D];
    let mut i = 0;
    while i < separators.len() {
        table[separators[i]] = SEPARATOR;
        i += 1;
    }
    table
};

/// Reads full-width digits mixed with ASCII ones (and both kinds of separator)
/// from `at` on, without a branch on which kind each character is (a guess the
/// processor gets wrong at every change of kind); returns where it stopped (at
/// any other character, within the last two bytes or at the 31st digit, for
/// [`read`]'s loop to take over) and the new count of digits. (On servers: the
/// inputs with full-width digits about 3 % faster.)
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
fn mixed(
    bytes: &[u8],
    mut at: usize,
    buf: &mut [u8; CAPACITY],
    mut total: usize,
) -> (usize, usize) {
    // Three bytes at a time: the last one or two characters, if ASCII, are
    // left to the caller's loop. Until the 31st digit, so no slot is clamped.
    while let (Some(&[first, second, third]), true) = (bytes.get(at..at + 3), total < KEPT) {
        let wide = (first == 0xEF) & (second == 0xBC);
        let class = select_unpredictable(
            wide,
            FULL_WIDTH_CLASS
                .get(usize::from(third & 0x3F))
                .copied()
                .unwrap_or(OTHER),
            byte_class(first),
        );
        if class > SEPARATOR {
            break;
        }
        if let Some(slot) = buf.get_mut(total % CAPACITY) {
            *slot = class;
        }
        total += usize::from(class < SEPARATOR);
        // From the first byte alone (any other non-ASCII byte stopped above):
        // the next position waits on one load, not on the test of two bytes.
        at += 1 + 2 * usize::from(first >> 7);
    }
    (at, total)
}

/// An RFC 3966 phone-context makes libphonenumber read the whole string
/// differently; we take no RFC 3966 parameters at all. `at` is a `;`.
fn phone_context(input: &str, at: usize) -> Result<(), PhoneError> {
    if input
        .get(at..)
        .is_some_and(|rest| rest.starts_with(";phone-context="))
    {
        return Err(invalid(input, at));
    }
    Ok(())
}

/// After the number, at the character starting at `at`: only characters that
/// are neither letters, digits nor `#` may follow (libphonenumber drops them).
#[inline(never)]
fn trailing(input: &str, at: usize) -> Result<(), PhoneError> {
    let bytes = input.as_bytes();
    if bytes.get(at) == Some(&b';') {
        phone_context(input, at)?;
    }
    let mut next = at;
    while next < bytes.len() {
        let (code, width) = decode(bytes, next);
        if !(is_invisible(code) || is_trailing_junk(code)) {
            return Err(invalid(input, at));
        }
        next += width;
    }
    Ok(())
}

/// The character at byte `at` is in the way.
#[cold]
fn invalid(input: &str, at: usize) -> PhoneError {
    PhoneError::InvalidChar {
        ch: input
            .get(at..)
            .and_then(|rest| rest.chars().next())
            .unwrap_or(' '),
        position: input.get(..at).map_or(0, |s| s.chars().count()),
    }
}

/// The code point of the character starting at `at` and its length in bytes
/// (`bytes` is valid UTF-8, `at` a character boundary).
#[inline(always)]
fn decode(bytes: &[u8], at: usize) -> (u32, usize) {
    let byte = |i: usize| u32::from(bytes.get(at + i).copied().unwrap_or(0) & 0x3F);
    let lead = u32::from(bytes.get(at).copied().unwrap_or(0));
    if lead < 0x80 {
        (lead, 1)
    } else if lead < 0xE0 {
        ((lead & 0x1F) << 6 | byte(1), 2)
    } else if lead < 0xF0 {
        ((lead & 0x0F) << 12 | byte(1) << 6 | byte(2), 3)
    } else {
        (
            (lead & 0x07) << 18 | byte(1) << 12 | byte(2) << 6 | byte(3),
            4,
        )
    }
}

/// What a non-ASCII character is to the reader.
#[derive(Clone, Copy)]
enum Class {
    Digit(u8),
    Separator,
    Plus,
    Invisible,
    Other,
}

/// The class of the non-ASCII character `code`: one `match`, which the compiler
/// turns into a search over the ranges rather than a test of each in turn.
#[inline(always)]
fn classify(code: u32) -> Class {
    match code {
        // Full-width digits, the usual ones beyond ASCII.
        0xFF10..=0xFF19 => Class::Digit((code - 0xFF10) as u8),
        0xFF0B => Class::Plus, // full-width plus
        // libphonenumber's punctuation beyond ASCII (its ASCII ones are in
        // `BYTE_CLASS`), less the full-width tilde `～` (it also reads `~` and
        // `～` as extension marks).
        0xA0 // no-break space
        | 0xAD // soft hyphen
        | 0x200B // zero-width space
        | 0x2010..=0x2015 // hyphens and dashes
        | 0x2053 // swung dash
        | 0x2060 // word joiner
        | 0x2212 // minus sign
        | 0x223C // tilde operator
        | 0x3000 // ideographic space
        | 0x30FC // katakana prolonged sound mark
        | 0xFF08 | 0xFF09 // full-width parentheses
        | 0xFF0D..=0xFF0F // full-width hyphen, full stop, solidus
        | 0xFF3B | 0xFF3D // full-width brackets
        => Class::Separator,
        // Invisible marks that copy and paste brings along (libphonenumber
        // rejects them between digits; we ignore them).
        0x061C // Arabic letter mark
        | 0x200C..=0x200F // zero-width non-joiner, joiner, LRM, RLM
        | 0x202A..=0x202E // bidi embeddings and overrides
        | 0x2066..=0x2069 // bidi isolates
        | 0xFEFF // byte order mark / zero-width no-break space
        => Class::Invisible,
        _ => digit_value(code).map_or(Class::Other, Class::Digit),
    }
}

/// What libphonenumber drops from the end: anything but letters, digits and `#`
/// (and the underscore, which it drops although it is a word character). Beyond
/// ASCII we know only the symbols of the blocks in `TRAILING_JUNK` (punctuation,
/// CJK and full-width punctuation, arrows, emoji…): other characters count as
/// letters, so at worst a rare symbol is refused where libphonenumber drops it —
/// far cheaper than Unicode's letter tables in the wasm.
fn is_trailing_junk(code: u32) -> bool {
    if code < 0x80 {
        let c = code as u8;
        return c == b'_' || !(c.is_ascii_alphanumeric() || c == b'#');
    }
    let after = TRAILING_JUNK.partition_point(|&(lo, _)| lo <= code);
    after
        .checked_sub(1)
        .and_then(|i| TRAILING_JUNK.get(i))
        .is_some_and(|&(_, hi)| code <= hi)
}

/// Whether `code` is an invisible formatting mark (see [`classify`]).
fn is_invisible(code: u32) -> bool {
    code >= 0x80 && matches!(classify(code), Class::Invisible)
}

/// A range of code points without decimal digits.
const NO_DIGITS_FROM: u32 = 0x1C5A;
const NO_DIGITS_UNTIL: u32 = 0xA620;

/// The value of a decimal digit of any script (Unicode category Nd).
fn digit_value(code: u32) -> Option<u8> {
    if code < 0x660 {
        let value = code.wrapping_sub(u32::from(b'0'));
        return (value < 10).then_some(value as u8);
    }
    // No digits between these (a test checks the table): Vietnamese letters,
    // punctuation, symbols and CJK are answered without a search.
    if (NO_DIGITS_FROM..NO_DIGITS_UNTIL).contains(&code) {
        return None;
    }
    let after = DIGIT_ZEROS.partition_point(|&zero| zero <= code);
    let zero = *DIGIT_ZEROS.get(after.checked_sub(1)?)?;
    let value = code - zero;
    (value < 10).then_some(value as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &str) -> Result<Digits, PhoneError> {
        let mut digits = Digits::new();
        super::read(input, &mut digits).map(|()| digits)
    }

    fn digits(input: &str) -> Vec<u8> {
        read(input)
            .map(|d| d.as_slice().to_vec())
            .unwrap_or_default()
    }

    #[test]
    fn digit_scripts() {
        assert_eq!(digit_value('7'.into()), Some(7));
        assert_eq!(digit_value('７'.into()), Some(7)); // full-width
        assert_eq!(digit_value(0x0667), Some(7)); // Arabic-Indic
        assert_eq!(digit_value(0x096D), Some(7)); // Devanagari
        assert_eq!(digit_value('²'.into()), None); // superscript: a digit, but not a decimal one
        assert_eq!(digit_value('a'.into()), None);
        assert_eq!(digit_value(0x1FBF9), Some(9)); // last run of the table
    }

    #[test]
    fn digits_of_several_scripts_in_one_number() {
        // Arabic-Indic, then Devanagari, ASCII, full-width, Arabic-Indic again.
        assert_eq!(
            digits("\u{660}\u{669} \u{966}\u{968}-6\u{FF16}\u{666}"),
            [0, 9, 0, 2, 6, 6, 6]
        );
        // Beside a remembered zero, the next script's characters are no digits.
        assert_eq!(
            read("\u{660}\u{66A}").err(),
            Some(PhoneError::InvalidChar {
                ch: '\u{66A}',
                position: 1
            })
        );
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn full_width_classes_are_classify_s() {
        for (low, &class) in FULL_WIDTH_CLASS.iter().enumerate() {
            let expected = match classify(0xFF00 + low as u32) {
                Class::Digit(value) => value,
                Class::Separator => SEPARATOR,
                _ => OTHER,
            };
            assert_eq!(class, expected, "U+FF{low:02X}");
        }
    }

    #[test]
    fn mixed_full_width_and_ascii() {
        assert_eq!(
            digits("０９0２-６６６ ９８4"),
            [0, 9, 0, 2, 6, 6, 6, 9, 8, 4]
        );
        assert_eq!(
            digits("０９0２（６６）６\u{A0}９８4"),
            [0, 9, 0, 2, 6, 6, 6, 9, 8, 4]
        );
        assert_eq!(digits("０9\u{FEFF}０"), [0, 9, 0]);
        assert_eq!(digits("０9\u{FF5E}"), [0, 9]);
        assert_eq!(
            read("０9＋0").err(),
            Some(PhoneError::InvalidChar {
                ch: '＋',
                position: 2
            })
        );
        let d = read(&"０1".repeat(20));
        assert!(d.is_ok_and(|d| d.as_slice().len() == KEPT && d.overflow() == 40 - KEPT));
    }

    #[test]
    fn the_range_without_digits_has_none() {
        for zero in DIGIT_ZEROS {
            assert!(
                zero + 9 < NO_DIGITS_FROM || zero >= NO_DIGITS_UNTIL,
                "{zero:x}"
            );
        }
        assert_eq!(digit_value(0x1C59), Some(9));
        assert_eq!(digit_value(0xA629), Some(9));
        assert_eq!(digit_value(0x1EC7), None); // ệ
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
        let d = read(&"1".repeat(40));
        assert!(d.is_ok_and(|d| d.as_slice().len() == KEPT && d.overflow() == 40 - KEPT));
        let d = read("1234 5678 9");
        assert!(d.is_ok_and(|d| d.as_slice() == [1, 2, 3, 4, 5, 6, 7, 8, 9]));
    }
}
