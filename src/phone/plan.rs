//! Vietnam's numbering plan: which national significant numbers exist, their
//! kind, network and printed form, and what is wrong with one that does not
//! exist. The data lives in `tables.rs`, generated from libphonenumber.

use super::carrier::Carrier;
use super::error::{PhoneError, Prefix};
use super::kind::PhoneKind;
use super::tables::{
    BLOCKS, BLOCKS_BY_FIRST_DIGIT, COUNTRY_CODES, GENERAL_LENGTHS, LENGTHS_BY_TWO_DIGITS,
};

// Servers parse in bulk; a browser parses one number per keystroke and downloads
// every byte: the shortcut by the first four digits (a 10,000-byte table)
// is built for servers only. It says what `diagnose` says.
#[cfg(not(target_arch = "wasm32"))]
mod heads;
#[cfg(not(target_arch = "wasm32"))]
pub(super) use heads::{settled, Head};

/// The fewest digits a national significant number has.
pub(super) const MIN_LEN: usize = 7;
/// The most digits a national significant number has.
pub(super) const MAX_LEN: usize = 10;
/// The length of a mobile number, the usual expectation when nothing says otherwise.
pub(super) const TYPICAL_LEN: u8 = 9;

/// Every number of `len` digits whose first four digits lie in `lo..=hi`.
pub(super) struct Block {
    pub(super) len: u8,
    pub(super) lo: u16,
    pub(super) hi: u16,
    pub(super) kind: PhoneKind,
    /// Index into `FORMATS`.
    pub(super) format: u8,
    pub(super) carrier: Option<Carrier>,
}

/// A national format: the trunk 0 or not, then digit groups (0 ends the list).
pub(super) struct Format {
    pub(super) trunk: bool,
    pub(super) groups: [u8; 4],
}

/// The block a national significant number (digit values) belongs to.
pub(super) fn block(nsn: &[u8]) -> Option<&'static Block> {
    // Every number has at least four digits: the lengths checked, the first
    // four are there.
    let (&[first, b, c, d, ..], true) = (nsn, (MIN_LEN..=MAX_LEN).contains(&nsn.len())) else {
        return None;
    };
    let prefix = prefix4(first, b, c, d);
    let len = nsn.len() as u8;
    let blocks = blocks_from(first);
    // Only the blocks with numbers starting with the first two digits: one or
    // two, where the first digit alone leaves up to thirteen.
    let mut mask = blocks_by_two_digits(u16::from(first) * 10 + u16::from(b));
    while mask != 0 {
        let i = mask.trailing_zeros() as usize;
        mask &= mask - 1;
        if let Some(b) = blocks.get(i) {
            if b.len == len && b.lo <= prefix && prefix <= b.hi {
                return Some(b);
            }
        }
    }
    None
}

/// For each two-digit beginning, which of the blocks of its first digit have
/// numbers starting with it (bit i: the i-th block of [`blocks_from`]).
/// Computed at compile time from `BLOCKS`.
#[allow(clippy::indexing_slicing)] // evaluated at compile time
static BLOCKS_BY_TWO_DIGITS: [u16; 100] = {
    let mut masks = [0u16; 100];
    let mut two = 0;
    while two < 100 {
        let start = BLOCKS_BY_FIRST_DIGIT[two / 10] as usize;
        let end = BLOCKS_BY_FIRST_DIGIT[two / 10 + 1] as usize;
        assert!(
            end - start <= 16,
            "more blocks for one digit than bits in a mask"
        );
        let (lo, hi) = (two as u16 * 100, two as u16 * 100 + 99);
        let mut i = start;
        while i < end {
            if BLOCKS[i].lo <= hi && lo <= BLOCKS[i].hi {
                masks[two] |= 1 << (i - start);
            }
            i += 1;
        }
        two += 1;
    }
    masks
};

/// The blocks with numbers starting with the two digits `prefix` (0–99), as a
/// mask over [`blocks_from`] of its first digit.
#[inline(always)]
fn blocks_by_two_digits(prefix: u16) -> u16 {
    BLOCKS_BY_TWO_DIGITS
        .get(usize::from(prefix))
        .copied()
        .unwrap_or(0)
}

/// The blocks of numbers whose first digit is `first`.
#[inline(always)]
fn blocks_from(first: u8) -> &'static [Block] {
    let first = usize::from(first);
    match (
        BLOCKS_BY_FIRST_DIGIT.get(first),
        BLOCKS_BY_FIRST_DIGIT.get(first + 1),
    ) {
        (Some(&start), Some(&end)) => BLOCKS
            .get(usize::from(start)..usize::from(end))
            .unwrap_or(&[]),
        _ => &[],
    }
}

/// libphonenumber's general description: could these digits be a number at all.
pub(super) fn general_allows(digits: &[u8]) -> bool {
    let (Some(&first), true) = (
        digits.first(),
        MIN_LEN <= digits.len() && digits.len() <= MAX_LEN,
    ) else {
        return false;
    };
    let lengths = GENERAL_LENGTHS
        .get(usize::from(first))
        .copied()
        .unwrap_or(0);
    lengths >> (digits.len() - MIN_LEN) & 1 == 1
}

/// Whether `code` is a country calling code libphonenumber knows.
#[inline(always)]
pub(super) fn is_country_code(code: u16) -> bool {
    let bits = COUNTRY_CODES
        .get(usize::from(code >> 3))
        .copied()
        .unwrap_or(0);
    bits >> (code & 7) & 1 == 1
}

/// Why `nsn` (no trunk 0 unless it had too few digits to lose it) is not a
/// number; `overflow` counts digits beyond those in `nsn`.
pub(super) fn diagnose(nsn: &[u8], overflow: usize) -> PhoneError {
    let nsn = match nsn {
        [0, rest @ ..] => rest,
        _ => nsn,
    };
    let digits = u8::try_from(nsn.len().saturating_add(overflow)).unwrap_or(u8::MAX);
    let Some(&first) = nsn.first() else {
        return PhoneError::TooShort {
            digits,
            expected: TYPICAL_LEN,
        };
    };
    // The lengths (bit n: 7 + n digits) of the numbers that start with the
    // first one, two, three, four digits, narrowed one digit at a time: when
    // none is left, those digits are the shortest beginning no number has.
    let head = [
        first,
        nsn.get(1).copied().unwrap_or(0),
        nsn.get(2).copied().unwrap_or(0),
        nsn.get(3).copied().unwrap_or(0),
    ];
    let blocks = blocks_from(first);
    let mut seen = 1;
    let mut lengths = 0;
    if !blocks.is_empty() {
        let first10 = u16::from(first) * 10;
        if nsn.len() == 1 {
            for second in 0..10 {
                lengths |= by_two_digits(first10 + second);
            }
        } else {
            seen = 2;
            lengths = by_two_digits(first10 + u16::from(head[1]));
            if lengths != 0 && nsn.len() >= 3 {
                // Numbers in a block whose range meets the first three digits,
                // and those in a block holding the first four.
                let exact = prefix4(first, head[1], head[2], head[3]);
                let lo = exact - u16::from(head[3]);
                let hi = lo + 9;
                let (mut three, mut four) = (0, 0);
                let mut mask = blocks_by_two_digits(first10 + u16::from(head[1]));
                while mask != 0 {
                    let i = mask.trailing_zeros() as usize;
                    mask &= mask - 1;
                    let Some(b) = blocks.get(i) else { break };
                    let bit = 1 << b.len.wrapping_sub(MIN_LEN as u8);
                    three |= if b.lo <= hi && lo <= b.hi { bit } else { 0 };
                    four |= if b.lo <= exact && exact <= b.hi {
                        bit
                    } else {
                        0
                    };
                }
                seen = 3;
                lengths = three;
                if three != 0 && nsn.len() >= 4 {
                    seen = 4;
                    lengths = four;
                }
            }
        }
    }
    if lengths == 0 {
        // The trunk 0, then the dead beginning.
        let [a, b, c, d] = head;
        return PhoneError::UnknownPrefix {
            prefix: Prefix::ascii(
                [b'0', b'0' + a, b'0' + b, b'0' + c, b'0' + d, b'0'],
                seen + 1,
            ),
        };
    }
    short_or_long(lengths, digits)
}

/// Too short or too long, for `digits` digits where numbers have `lengths` (bits
/// 0–3 for 7–10 digits, at least one): the next longer one, else the longest.
/// Picked without a branch per length (the lengths differ from one number to
/// the next, so each such branch is a guess).
fn short_or_long(lengths: u8, digits: u8) -> PhoneError {
    // Bit n is a length 7 + n > digits when n >= digits - 6.
    let shift = u32::from(digits.saturating_sub(MIN_LEN as u8 - 1).min(4));
    let longer = u32::from(lengths) >> shift << shift;
    let short = longer != 0;
    let bit = if short {
        longer.trailing_zeros()
    } else {
        // (None at all cannot happen; it would read as "too long for 10".)
        u32::BITS - 1 - (u32::from(lengths) | u32::from(lengths == 0) << 3).leading_zeros()
    };
    let expected = MIN_LEN as u8 + bit as u8;
    if short {
        PhoneError::TooShort { digits, expected }
    } else {
        PhoneError::TooLong { digits, expected }
    }
}

/// The lengths (bit n: 7 + n digits) of the numbers starting with the two
/// digits `prefix` (0–99).
#[inline(always)]
fn by_two_digits(prefix: u16) -> u8 {
    LENGTHS_BY_TWO_DIGITS
        .get(usize::from(prefix))
        .copied()
        .unwrap_or(0)
}

/// Four digits (values 0–9) as a number.
#[inline(always)]
fn prefix4(a: u8, b: u8, c: u8, d: u8) -> u16 {
    ((u16::from(a) * 10 + u16::from(b)) * 10 + u16::from(c)) * 10 + u16::from(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Vec<u8> {
        s.bytes().map(|b| b - b'0').collect()
    }

    #[test]
    fn blocks_are_grouped_sorted_and_disjoint() {
        assert_eq!(
            BLOCKS_BY_FIRST_DIGIT.last().map(|&n| usize::from(n)),
            Some(BLOCKS.len())
        );
        for first in 0..10u8 {
            let blocks = blocks_from(first);
            for b in blocks {
                assert_eq!(b.lo / 1000, u16::from(first));
                assert!(b.lo <= b.hi && (7..=10).contains(&b.len));
            }
            for pair in blocks.windows(2) {
                let [a, b] = pair else { continue };
                assert!(
                    (a.len, a.hi) < (b.len, b.lo),
                    "{}..{} then {}",
                    a.lo,
                    a.hi,
                    b.lo
                );
            }
        }
    }

    #[test]
    fn lengths_by_two_digits_match_the_blocks() {
        // `diagnose` narrows with this table before it looks at the blocks.
        for two in 0..100u16 {
            let (lo, hi) = (two * 100, two * 100 + 99);
            let mut lengths = 0;
            for b in blocks_from((two / 10) as u8) {
                if b.lo <= hi && lo <= b.hi {
                    lengths |= 1 << (b.len - MIN_LEN as u8);
                }
            }
            assert_eq!(by_two_digits(two), lengths, "{two:02}");
        }
    }

    #[test]
    fn lookup() {
        assert_eq!(
            block(&d("902666984")).map(|b| b.kind),
            Some(PhoneKind::Mobile)
        );
        assert_eq!(
            block(&d("2363821234")).map(|b| b.kind),
            Some(PhoneKind::FixedLine)
        );
        assert_eq!(
            block(&d("18001234")).map(|b| b.kind),
            Some(PhoneKind::TollFree)
        );
        assert!(block(&d("1621234567")).is_none());
        assert!(block(&d("90266698")).is_none());
    }

    #[test]
    fn short_or_long_is_the_next_longer_length_else_the_longest() {
        for lengths in 1..16u8 {
            for digits in 0..=40u8 {
                let have: Vec<u8> = (0..4)
                    .filter(|bit| lengths >> bit & 1 == 1)
                    .map(|bit| bit + MIN_LEN as u8)
                    .collect();
                let expected = match have.iter().find(|&&len| len > digits) {
                    Some(&len) => PhoneError::TooShort {
                        digits,
                        expected: len,
                    },
                    None => PhoneError::TooLong {
                        digits,
                        expected: have.last().copied().unwrap_or(0),
                    },
                };
                assert_eq!(
                    short_or_long(lengths, digits),
                    expected,
                    "{lengths:04b} {digits}"
                );
            }
        }
    }

    #[test]
    fn diagnosis() {
        assert_eq!(
            diagnose(&d("90266698"), 0),
            PhoneError::TooShort {
                digits: 8,
                expected: 9
            }
        );
        assert_eq!(
            diagnose(&d("0902"), 0),
            PhoneError::TooShort {
                digits: 3,
                expected: 9
            }
        );
        assert_eq!(
            diagnose(&d("9026669841"), 0),
            PhoneError::TooLong {
                digits: 10,
                expected: 9
            }
        );
        assert_eq!(
            diagnose(&d("412345678"), 0),
            PhoneError::UnknownPrefix {
                prefix: Prefix::new([0, 4])
            }
        );
        assert_eq!(
            diagnose(&d("2001234567"), 0),
            PhoneError::UnknownPrefix {
                prefix: Prefix::new([0, 2, 0, 0])
            }
        );
        assert_eq!(
            diagnose(&d("0"), 0),
            PhoneError::TooShort {
                digits: 0,
                expected: 9
            }
        );
        assert_eq!(
            diagnose(&d("1800123"), 0),
            PhoneError::TooShort {
                digits: 7,
                expected: 8
            }
        );
    }
}
