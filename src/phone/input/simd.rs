//! The vector reader (x86_64 only, SSE2): inputs of 8–32 bytes are classified 32
//! bytes at a time, with no branch on the kind of each character — the branches
//! the processor guesses wrong are most of what the scalar reader costs
//! (docs/phone.md, eleventh and twelfth rounds).
//!
//! Each class of byte becomes a bit mask (bit i for byte i); the label, the plus
//! signs and the number are found by bit arithmetic on the masks, and the digits
//! are copied one set bit at a time. The reader takes ASCII
//! digits and separators, full-width digits and separators (`EF BC xx`) and, in
//! the label, characters of scripts without digits (Latin, Vietnamese, general
//! punctuation, CJK). It declines everything else (then [`super::read`] runs the
//! scalar reader): other non-ASCII characters, a `;` (`;phone-context=`),
//! inputs shorter than 8 or longer than 32 bytes. Whatever it takes, its result
//! is the scalar reader's: a test compares the two on the whole corpus and on
//! generated inputs, and so does the `phone` fuzz target.
//!
//! The only `unsafe` is the call of [`scan`], which needs SSE2; every load is of
//! 8 bytes inside the input, through safe slice methods. Measured slower than the
//! scalar reader (docs/phone.md, twelfth round): kept on its branch only.
#![allow(unsafe_code)]

use core::arch::x86_64::{
    __m128i, _mm_cmpeq_epi8, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    _mm_set_epi64x, _mm_sub_epi8,
};

use std::hint::select_unpredictable;

use super::{trailing, Digits, PhoneError, CAPACITY};

/// The longest input taken, in bytes: two 16-byte vectors.
const WINDOW: usize = 32;
/// The shortest: the input is loaded as 8-byte words.
const WORD: usize = 8;

// All the digits of a window fit in the digit buffer.
const _: () = assert!(CAPACITY == WINDOW);

/// Reads `input` like [`super::read_scalar`], or returns `None` (leaving `digits`
/// untouched) when it is not an input this reader takes.
#[inline(always)]
pub(super) fn read(input: &str, digits: &mut Digits) -> Option<Result<(), PhoneError>> {
    let bytes = input.as_bytes();
    let words = window(bytes)?;
    // SAFETY: `scan` is `unsafe` to call only because it enables SSE2, and this
    // module is compiled only when the target has SSE2 (`target_feature =
    // "sse2"`, part of the x86_64 baseline), so the processor running it has it.
    // `scan` itself contains no unsafe code.
    let stop = unsafe { scan(bytes, words, digits) }?;
    Some(if stop < bytes.len() {
        trailing(input, stop)
    } else {
        Ok(())
    })
}

/// The input's first 32 bytes as four little-endian words, zero past its end, or
/// `None` for fewer than 8 or more than 32 bytes. Each word is loaded as the 8
/// bytes at `8k`, or when the input ends before `8k + 8`, as its last 8 bytes
/// shifted down: no byte outside the input is read, and no branch depends on
/// the length beyond the range test.
#[inline(always)]
fn window(bytes: &[u8]) -> Option<[u64; 4]> {
    let len = bytes.len();
    if !(WORD..=WINDOW).contains(&len) {
        return None;
    }
    let mut words = [0; 4];
    for (k, word) in words.iter_mut().enumerate() {
        let from = (WORD * k).min(len - WORD);
        let chunk: [u8; WORD] = bytes.get(from..from + WORD)?.try_into().ok()?;
        // Bytes before 8k belong to the words before (all 8 when the input ends
        // before 8k), picked without a branch.
        let behind = (WORD * k - from) as u32;
        *word = select_unpredictable(
            behind < WORD as u32,
            u64::from_le_bytes(chunk) >> ((8 * behind) & 63),
            0,
        );
    }
    Some(words)
}

/// One mask per class of byte; bit i stands for byte i of the window.
#[derive(Clone, Copy)]
struct Classes {
    /// `0`–`9`.
    digit: u64,
    /// Digits and the ASCII separators (space and `-./()[]*`).
    number: u64,
    /// `+`.
    plus: u64,
    /// `;`.
    semicolon: u64,
    /// Bytes of non-ASCII characters.
    non_ascii: u64,
}

/// The classes of bytes beyond ASCII, looked at only when there are some.
#[derive(Clone, Copy, Default)]
struct Wide {
    /// UTF-8 continuation bytes (`80`–`BF`).
    continuation: u64,
    /// `EF`, `BC`: the first two bytes of U+FF00–FF3F.
    ef: u64,
    bc: u64,
    /// `90`–`99`: the last byte of a full-width digit (after `EF BC`).
    digit: u64,
    /// The last byte of a full-width separator (after `EF BC`): parentheses,
    /// hyphen-minus, full stop, solidus, brackets.
    separator: u64,
    /// First bytes of characters in U+0080–063F (no digits, no plus sign) and
    /// U+2000–9FFF (punctuation, symbols, CJK: no digits either).
    plain_lead: u64,
    /// `E1`, and `B8`–`BF`: together the start of U+1E00–1FFF (Vietnamese
    /// letters with two marks, Greek extended).
    e1: u64,
    latin_extended: u64,
}

#[target_feature(enable = "sse2")]
#[inline]
fn splat(byte: u8) -> __m128i {
    _mm_set1_epi8(byte as i8)
}

/// Lanes equal to `byte`.
#[target_feature(enable = "sse2")]
#[inline]
fn equal(v: __m128i, byte: u8) -> __m128i {
    _mm_cmpeq_epi8(v, splat(byte))
}

/// Lanes in `from..=to` (unsigned).
#[target_feature(enable = "sse2")]
#[inline]
fn within(v: __m128i, from: u8, to: u8) -> __m128i {
    let offset = _mm_sub_epi8(v, splat(from));
    _mm_cmpeq_epi8(_mm_min_epu8(offset, splat(to - from)), offset)
}

/// The top bit of each lane of `low` (bits 0–15) and of `high` (bits 16–31).
#[target_feature(enable = "sse2")]
#[inline]
fn bits(low: __m128i, high: __m128i) -> u64 {
    let half = |v| u64::from(_mm_movemask_epi8(v) as u16);
    half(low) | half(high) << 16
}

impl Classes {
    /// The classes of the 16 bytes of `v`.
    #[target_feature(enable = "sse2")]
    #[inline]
    fn of(v: __m128i) -> [__m128i; 3] {
        let digit = within(v, b'0', b'9');
        let separator = _mm_or_si128(
            _mm_or_si128(equal(v, b' '), within(v, b'(', b'*')),
            _mm_or_si128(
                within(v, b'-', b'/'),
                _mm_or_si128(equal(v, b'['), equal(v, b']')),
            ),
        );
        [digit, _mm_or_si128(digit, separator), equal(v, b'+')]
    }

    /// The classes of the window `low`, `high`.
    #[target_feature(enable = "sse2")]
    #[inline]
    fn of_window(low: __m128i, high: __m128i) -> Classes {
        let [digit, number, plus] = Classes::of(low);
        let [digit_high, number_high, plus_high] = Classes::of(high);
        Classes {
            digit: bits(digit, digit_high),
            number: bits(number, number_high),
            plus: bits(plus, plus_high),
            semicolon: bits(equal(low, b';'), equal(high, b';')),
            non_ascii: bits(low, high),
        }
    }
}

impl Wide {
    /// The classes of the window `low`, `high`.
    #[target_feature(enable = "sse2")]
    #[inline]
    fn of_window(low: __m128i, high: __m128i) -> Wide {
        let separator = |v| {
            _mm_or_si128(
                _mm_or_si128(within(v, 0x88, 0x89), within(v, 0x8D, 0x8F)),
                _mm_or_si128(equal(v, 0xBB), equal(v, 0xBD)),
            )
        };
        let plain = |v| _mm_or_si128(within(v, 0xC2, 0xD8), within(v, 0xE2, 0xE9));
        Wide {
            continuation: bits(within(low, 0x80, 0xBF), within(high, 0x80, 0xBF)),
            ef: bits(equal(low, 0xEF), equal(high, 0xEF)),
            bc: bits(equal(low, 0xBC), equal(high, 0xBC)),
            digit: bits(within(low, 0x90, 0x99), within(high, 0x90, 0x99)),
            separator: bits(separator(low), separator(high)),
            plain_lead: bits(plain(low), plain(high)),
            e1: bits(equal(low, 0xE1), equal(high, 0xE1)),
            latin_extended: bits(within(low, 0xB8, 0xBF), within(high, 0xB8, 0xBF)),
        }
    }
}

/// The bits below bit `n` (all of them for 64 or more).
fn below(n: u32) -> u64 {
    1u64.checked_shl(n).unwrap_or(0).wrapping_sub(1)
}

/// Reads the window `words` of an input of `len` bytes (8–32) into `digits`, as
/// the scalar reader would, and returns where the number stops (`len`, or the
/// byte where the trailing characters start); `None`, with `digits` untouched,
/// when the input holds a character this reader leaves to the scalar one.
#[target_feature(enable = "sse2")]
fn scan(bytes: &[u8], words: [u64; 4], digits: &mut Digits) -> Option<usize> {
    let [w0, w1, w2, w3] = words;
    let low = _mm_set_epi64x(w1 as i64, w0 as i64);
    let high = _mm_set_epi64x(w3 as i64, w2 as i64);
    let c = Classes::of_window(low, high);
    let w = if c.non_ascii != 0 {
        Wide::of_window(low, high)
    } else {
        Wide::default()
    };

    // Full-width digits and separators: EF BC, then their last byte.
    let wide = w.ef & w.bc >> 1;
    let wide_digit = wide << 2 & w.digit;
    let wide_separator = wide << 2 & w.separator;
    let whole = |last: u64| last | last >> 1 | last >> 2;
    // The bytes that hold a digit's value (in their low four bits), and those
    // that may stand in the number.
    let value = c.digit | wide_digit;
    let number = c.number | whole(wide_digit | wide_separator);

    // The label ends at the first digit or plus sign. In it, a non-ASCII
    // character may be a digit of another script or a full-width plus: only
    // those of scripts without either are taken here.
    let first = (c.digit | wide_digit >> 2 | c.plus).trailing_zeros();
    let leads = c.non_ascii & !w.continuation;
    let plain = w.plain_lead | w.e1 & w.latin_extended >> 1 | wide_separator >> 2;
    if (leads & !plain & below(first)) | c.semicolon != 0 {
        return None;
    }
    let plus = c.plus.checked_shr(first).unwrap_or(0) & 1 == 1;
    // Then plus signs, then the number: digits and separators.
    let start = (!c.plus & !below(first)).trailing_zeros();
    let stop = (!number & !below(start))
        .trailing_zeros()
        .min(bytes.len() as u32);
    // A non-ASCII character after the number (another script's digit, a
    // no-break space…) is the scalar reader's to classify.
    if c.non_ascii >> stop & 1 != 0 {
        return None;
    }

    let mut kept = value & below(stop);
    let mut total = 0;
    while kept != 0 {
        let at = kept.trailing_zeros() as usize;
        if let (Some(slot), Some(byte)) = (digits.buf.get_mut(total % CAPACITY), bytes.get(at)) {
            *slot = byte & 0x0F;
        }
        total += 1;
        kept &= kept - 1;
    }
    digits.total = total;
    digits.plus = plus;
    Some(stop as usize)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a missing corpus file fails the test
mod tests {
    use super::super::read_scalar;
    use super::*;

    /// Reads `input` with both readers; when the vector one takes it, asserts
    /// that both give the same result and the same digits. Returns whether the
    /// vector reader took it.
    fn agree(input: &str) -> bool {
        let mut fast = Digits::new();
        let Some(result) = read(input, &mut fast) else {
            return false;
        };
        let mut slow = Digits::new();
        let expected = read_scalar(input, &mut slow);
        assert_eq!(result, expected, "{input:?}");
        if expected.is_ok() {
            assert_eq!(
                (fast.as_slice(), fast.overflow(), fast.plus()),
                (slow.as_slice(), slow.overflow(), slow.plus()),
                "{input:?}"
            );
        }
        true
    }

    /// Characters beyond ASCII that the readers must agree on: full-width digits,
    /// separators, plus and tilde; other separators and invisible marks; label
    /// letters; other scripts' digits; the edges of the ranges the vector reader
    /// takes in labels; a four-byte character.
    const NON_ASCII: &[char] = &[
        '０',
        '５',
        '９',
        '＋',
        '（',
        '）',
        '－',
        '．',
        '／',
        '［',
        '］',
        '～',
        '＊',
        '＃',
        '\u{FF0A}',
        '\u{FF0C}',
        '\u{FF1A}',
        '\u{FF3C}',
        '\u{FF3E}',
        '\u{FF07}',
        '\u{FF40}',
        '\u{A0}',
        '\u{AD}',
        '\u{80}',
        'Đ',
        'đ',
        'ê',
        'ệ',
        'ạ',
        'ố',
        '\u{1E00}',
        '\u{1FFF}',
        '\u{1DFF}',
        '\u{1C50}',
        '\u{1C59}',
        '\u{63F}',
        '\u{660}',
        '\u{669}',
        '\u{6F5}',
        '\u{966}',
        '\u{E50}',
        '\u{61C}',
        '\u{200B}',
        '\u{200E}',
        '\u{2010}',
        '\u{2013}',
        '\u{2060}',
        '\u{2066}',
        '\u{2212}',
        '\u{223C}',
        '\u{3000}',
        '\u{30FC}',
        '\u{9FFF}',
        '\u{A620}',
        '\u{A629}',
        '\u{FEFF}',
        '\u{1F642}',
        '\u{1FBF0}',
        '\u{FFFD}',
    ];

    /// Strings the characters are put into, at every position.
    const BASES: &[&str] = &[
        "0902 666 984",
        "+84 902.666.984 ",
        "tel:0902-666-984",
        "0084 (28) 3822 1234 ext",
        "SĐT: ０９０２ ６６６ ９８４",
        "12345678901234567890123456789012",
        "+ + 84 (0) 28 [3822] 12*34/5",
    ];

    #[test]
    fn agrees_at_every_length_with_every_character_everywhere() {
        let mut taken = 0;
        for base in BASES {
            let chars: Vec<char> = base.chars().chain("0123456789 x".chars()).collect();
            for len in 0..=40 {
                let text: String = chars.iter().cycle().take(len).collect();
                taken += usize::from(agree(&text));
                for at in 0..=text.chars().count() {
                    let split = text.char_indices().nth(at).map_or(text.len(), |(i, _)| i);
                    let (head, tail) = text.split_at(split);
                    // `c` in place of the character at `at`, and before it.
                    let rest: String = tail.chars().skip(1).collect();
                    let mut put = |c: char| {
                        taken += usize::from(agree(&format!("{head}{c}{rest}")));
                        taken += usize::from(agree(&format!("{head}{c}{tail}")));
                    };
                    for byte in 0..0x80u8 {
                        put(char::from(byte));
                    }
                    for &c in NON_ASCII {
                        put(c);
                    }
                }
            }
        }
        assert!(taken > 100_000, "{taken}");
    }

    #[test]
    fn agrees_on_a_number_followed_by_anything() {
        let mut taken = 0;
        for number in [
            "0902666984",
            "+84 902 666 984",
            "０９０２６６６９８４",
            "84",
        ] {
            for tail in [
                "",
                " ",
                ".",
                ")",
                " ;",
                ";phone-context=+84",
                "#1",
                ",1",
                "~",
                "x",
                "a",
            ] {
                for c in (0..0x80u8).map(char::from).chain(NON_ASCII.iter().copied()) {
                    for repeat in 1..=3 {
                        let mut s = String::from(number);
                        s.push_str(tail);
                        for _ in 0..repeat {
                            s.push(c);
                        }
                        taken += usize::from(agree(&s));
                    }
                }
            }
        }
        assert!(taken > 5_000, "{taken}");
    }

    /// Random strings of pieces typed in phone numbers, 8–40 bytes.
    #[test]
    fn agrees_on_random_mixtures() {
        const PIECES: &[&str] = &[
            "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "０", "１", "９", " ", "-", ".", "/",
            "(", ")", "[", "]", "*", "+", "＋", "（", "）", "－", "\u{A0}", "\u{200E}", "Đ", "ệ",
            ":", ";", "#", "a", "x", "T", "\u{660}", "~", "_", ",", "\u{3000}",
        ];
        let mut seed = 0x2545_F491_4F6C_DD1D_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let runs = if cfg!(miri) { 300 } else { 300_000 };
        let mut taken = 0;
        for _ in 0..runs {
            let target = 8 + (next() % 33) as usize;
            let mut s = String::new();
            while s.len() < target {
                let piece = PIECES.get((next() % PIECES.len() as u64) as usize);
                s.push_str(piece.copied().unwrap_or(""));
            }
            taken += usize::from(agree(&s));
        }
        assert!(taken > runs / 5, "{taken}");
    }

    #[test]
    #[cfg_attr(miri, ignore)] // 147,035 inputs: minutes under Miri
    fn agrees_on_the_corpus() {
        use std::io::Read;
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/phone");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().ends_with(".tsv.gz"))
            .collect();
        files.sort();
        let (mut inputs, mut taken) = (0, 0);
        for file in files {
            let mut text = String::new();
            flate2::read::GzDecoder::new(std::fs::File::open(file).unwrap())
                .read_to_string(&mut text)
                .unwrap();
            for line in text.lines().filter(|l| !l.starts_with('#')) {
                let input = line.split('\t').next().unwrap();
                let input = input
                    .replace("\\\\", "\u{0}")
                    .replace("\\t", "\t")
                    .replace("\\n", "\n")
                    .replace("\\r", "\r")
                    .replace('\u{0}', "\\");
                inputs += 1;
                taken += usize::from(agree(&input));
            }
        }
        assert!(inputs > 140_000, "{inputs}");
        // Most of the corpus goes the vector way (ASCII, full-width, labels).
        assert!(taken * 100 > inputs * 70, "{taken} of {inputs}");
    }
}
