//! The characters of an internationalized domain, without Unicode tables.
//!
//! A domain such as `ví-dụ.vn` is folded the way IDNA would before encoding it:
//! capitals are lower-cased (ASCII, Latin — all of Vietnamese —, Greek and Cyrillic) and
//! Vietnamese letters typed as a base letter plus combining marks (as some keyboards and
//! old Windows-1258 text produce) are composed into one character, so that `ví-dụ`
//! typed either way is the same domain. Characters that are certainly not letters
//! (controls, punctuation, symbols, emoji, private use) are refused. The check is light:
//! a few exotic characters that IDNA 2008 forbids may pass, and in other scripts
//! capitals and compatibility forms (`ﬁ`, `ſ`) are kept as typed, where IDNA would map
//! them. For Vietnamese, ASCII, Latin-1 and basic Greek and Cyrillic letters,
//! [`super::Email::ascii_domain`] equals IDNA's (UTS #46) ASCII form; the tests check it.

/// The Vietnamese vowels, each followed by its five toned forms in the order
/// grave, acute, tilde, hook above, dot below.
const VOWELS: [char; 72] = [
    'a', 'à', 'á', 'ã', 'ả', 'ạ', //
    'ă', 'ằ', 'ắ', 'ẵ', 'ẳ', 'ặ', //
    'â', 'ầ', 'ấ', 'ẫ', 'ẩ', 'ậ', //
    'e', 'è', 'é', 'ẽ', 'ẻ', 'ẹ', //
    'ê', 'ề', 'ế', 'ễ', 'ể', 'ệ', //
    'i', 'ì', 'í', 'ĩ', 'ỉ', 'ị', //
    'o', 'ò', 'ó', 'õ', 'ỏ', 'ọ', //
    'ô', 'ồ', 'ố', 'ỗ', 'ổ', 'ộ', //
    'ơ', 'ờ', 'ớ', 'ỡ', 'ở', 'ợ', //
    'u', 'ù', 'ú', 'ũ', 'ủ', 'ụ', //
    'ư', 'ừ', 'ứ', 'ữ', 'ử', 'ự', //
    'y', 'ỳ', 'ý', 'ỹ', 'ỷ', 'ỵ', //
];

/// Row numbers in [`VOWELS`].
const A: usize = 0;
const A_BREVE: usize = 1;
const A_CIRCUMFLEX: usize = 2;
const E: usize = 3;
const E_CIRCUMFLEX: usize = 4;
const O: usize = 6;
const O_CIRCUMFLEX: usize = 7;
const O_HORN: usize = 8;
const U: usize = 9;
const U_HORN: usize = 10;

/// Whether `c` is a combining diacritical mark (U+0300–U+036F).
pub(crate) fn is_combining(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36F}')
}

/// Adds the combining mark `mark` to the Vietnamese letter `base` as Unicode NFC would
/// (`ạ` + circumflex and `â` + dot below both give `ậ`, `ó` + horn gives `ớ`). `None`
/// when the pair is not a Vietnamese letter, or when NFC would leave it uncomposed
/// (`á` + circumflex), so that the ASCII form always equals IDNA's.
pub(crate) fn compose(base: char, mark: char) -> Option<char> {
    let at = VOWELS.iter().position(|&v| v == base)?;
    let (mut row, mut tone) = (at / 6, at % 6);
    let new_tone = match mark {
        '\u{300}' => 1,
        '\u{301}' => 2,
        '\u{303}' => 3,
        '\u{309}' => 4,
        '\u{323}' => 5,
        _ => 0,
    };
    if new_tone != 0 {
        if tone != 0 {
            return None;
        }
        tone = new_tone;
    } else {
        // NFC composes breve and circumflex (class 230) before a tone of the same class
        // only when they come first; refuse the other order rather than guess.
        if matches!(mark, '\u{302}' | '\u{306}') && matches!(tone, 1..=4) {
            return None;
        }
        row = match (row, mark) {
            (A, '\u{306}') => A_BREVE,
            (A, '\u{302}') => A_CIRCUMFLEX,
            (E, '\u{302}') => E_CIRCUMFLEX,
            (O, '\u{302}') => O_CIRCUMFLEX,
            (O, '\u{31B}') => O_HORN,
            (U, '\u{31B}') => U_HORN,
            _ => return None,
        };
    }
    VOWELS.get(row * 6 + tone).copied()
}

/// The lower-case form of `c` for ASCII, Latin (Latin-1, Extended-A, the Vietnamese
/// letters of Extended-B and Extended Additional), basic Greek and Cyrillic. Other
/// characters are returned unchanged.
pub(crate) fn lower(c: char) -> char {
    let u = c as u32;
    let l = match u {
        0x41..=0x5A | 0xC0..=0xD6 | 0xD8..=0xDE | 0x391..=0x3A1 | 0x3A3..=0x3AB => u + 0x20,
        0x410..=0x42F => u + 0x20,
        0x400..=0x40F => u + 0x50,
        // Pairs upper (even) / lower (odd); U+0130 (İ) has no one-character lower case.
        0x100..=0x12F | 0x132..=0x137 | 0x14A..=0x177 | 0x1E00..=0x1E95 | 0x1EA0..=0x1EFF
            if u & 1 == 0 =>
        {
            u + 1
        }
        // Pairs upper (odd) / lower (even).
        0x139..=0x148 | 0x179..=0x17E if u & 1 == 1 => u + 1,
        0x178 => 0xFF,
        0x1A0 | 0x1AF => u + 1,
        _ => u,
    };
    char::from_u32(l).unwrap_or(c)
}

/// Whether the non-ASCII character `c` may appear in a domain label: everything but
/// controls, spaces, punctuation, symbols, emoji, private use and non-characters.
pub(crate) fn is_label_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    }
    !matches!(c as u32,
        0x80..=0xBF // C1 controls, NBSP, Latin-1 punctuation and signs
        | 0xD7 | 0xF7 // × ÷
        | 0x2B0..=0x36F // modifier letters, combining marks (composed separately)
        | 0x37E | 0x387 // Greek question mark, ano teleia
        | 0x2000..=0x2BFF // punctuation, symbols, arrows, math, boxes, dingbats
        | 0x2E00..=0x2E7F // supplemental punctuation
        | 0x3000..=0x3004 | 0x3008..=0x3020 | 0x3030 | 0x303D..=0x303F // CJK punctuation
        | 0xD800..=0xF8FF // private use
        | 0xFD3E | 0xFD3F | 0xFDD0..=0xFDEF // ornate parentheses, non-characters
        | 0xFE00..=0xFE6F // variation selectors, vertical and small forms
        | 0xFF00..=0xFF65 // full-width and half-width punctuation
        | 0xFFF0..=0xFFFF // specials
        | 0x1F000..=0x1FBFF // emoji, pictographs, symbols
        | 0xE0000..=0x10FFFF // tags, variation selectors, private use planes
    ) && (c as u32) & 0xFFFE != 0xFFFE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composes_both_orders() {
        assert_eq!(
            compose('a', '\u{302}').and_then(|c| compose(c, '\u{323}')),
            Some('ậ')
        );
        assert_eq!(
            compose('a', '\u{323}').and_then(|c| compose(c, '\u{302}')),
            Some('ậ')
        );
        assert_eq!(compose('ơ', '\u{323}'), Some('ợ'));
        assert_eq!(
            compose('u', '\u{31B}').and_then(|c| compose(c, '\u{300}')),
            Some('ừ')
        );
        assert_eq!(compose('y', '\u{303}'), Some('ỹ'));
        assert_eq!(compose('ó', '\u{31B}'), Some('ớ'));
        assert_eq!(compose('á', '\u{301}'), None);
        assert_eq!(compose('á', '\u{302}'), None);
        assert_eq!(compose('n', '\u{303}'), None);
        assert_eq!(compose('i', '\u{302}'), None);
    }

    #[test]
    fn lower_cases_vietnamese() {
        let upper = "AÀÁÃẢẠĂẰẮẴẲẶÂẦẤẪẨẬĐEÈÉẼẺẸÊỀẾỄỂỆIÌÍĨỈỊOÒÓÕỎỌÔỒỐỖỔỘƠỜỚỠỞỢUÙÚŨỦỤƯỪỨỮỬỰYỲÝỸỶỴ";
        let folded: String = upper.chars().map(lower).collect();
        assert_eq!(folded, upper.to_lowercase());
        assert_eq!(lower('Ж'), 'ж');
        assert_eq!(lower('Ё'), 'ё');
        assert_eq!(lower('Ω'), 'ω');
        assert_eq!(lower('İ'), 'İ');
        assert_eq!(lower('ß'), 'ß');
    }

    #[test]
    fn label_chars() {
        assert!("vídụđ中文ж".chars().all(is_label_char));
        assert!(!"A_. \u{a0}\u{2013}\u{1F600}\u{E000}\u{FFFE}\u{1FFFF}×"
            .chars()
            .any(is_label_char));
    }
}
