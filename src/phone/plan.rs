//! Vietnam's numbering plan: which national significant numbers exist, their
//! kind, network and printed form, and what is wrong with one that does not
//! exist. The data lives in `tables.rs`, generated from libphonenumber.

use super::carrier::Carrier;
use super::error::{PhoneError, Prefix};
use super::kind::PhoneKind;
use super::tables::{
    BLOCKS, BLOCKS_BY_FIRST_DIGIT, COUNTRY_CODES, GENERAL_LENGTHS, LENGTHS_BY_TWO_DIGITS,
};

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
    let len = u8::try_from(nsn.len()).ok()?;
    let prefix = prefix_value(nsn, 4);
    blocks_from(*nsn.first()?)
        .iter()
        .find(|b| b.len == len && b.lo <= prefix && prefix <= b.hi)
}

/// The blocks of numbers whose first digit is `first`.
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
    let (Some(&first), true) = (digits.first(), (MIN_LEN..=MAX_LEN).contains(&digits.len())) else {
        return false;
    };
    GENERAL_LENGTHS
        .get(usize::from(first))
        .is_some_and(|lengths| lengths >> (digits.len() - MIN_LEN) & 1 == 1)
}

/// Whether `code` is a country calling code libphonenumber knows.
pub(super) fn is_country_code(code: u16) -> bool {
    COUNTRY_CODES
        .get(usize::from(code / 8))
        .is_some_and(|bits| bits >> (code % 8) & 1 == 1)
}

/// Why `nsn` (no trunk 0 unless it had too few digits to lose it) is not a
/// number; `overflow` counts digits beyond those in `nsn`.
pub(super) fn diagnose(nsn: &[u8], overflow: usize) -> PhoneError {
    let nsn = match nsn.split_first() {
        Some((0, rest)) => rest,
        _ => nsn,
    };
    // The lengths of the numbers that start like this one; when there are none,
    // the shortest beginning that no number has.
    let head = nsn.get(..nsn.len().min(4)).unwrap_or(&[]);
    let lengths = lengths_after(head);
    if lengths == 0 {
        let dead = (1..=head.len())
            .find_map(|len| head.get(..len).filter(|h| lengths_after(h) == 0))
            .unwrap_or(head);
        return PhoneError::UnknownPrefix {
            prefix: Prefix::new(std::iter::once(0).chain(dead.iter().copied())),
        };
    }
    let digits = u8::try_from(nsn.len().saturating_add(overflow)).unwrap_or(u8::MAX);
    if nsn.is_empty() {
        return PhoneError::TooShort {
            digits,
            expected: TYPICAL_LEN,
        };
    }
    // Lengths are bits 0–3 for 7–10 digits.
    let possible = (0..4u8)
        .filter(|bit| lengths >> bit & 1 == 1)
        .map(|bit| bit + MIN_LEN as u8);
    match possible.clone().find(|&len| len > digits) {
        Some(expected) => PhoneError::TooShort { digits, expected },
        None => PhoneError::TooLong {
            digits,
            expected: possible.max().unwrap_or(MAX_LEN as u8),
        },
    }
}

/// The lengths (bit n: 7 + n digits) of the numbers that start with `head`
/// (up to 4 digits; all lengths for none).
fn lengths_after(head: &[u8]) -> u8 {
    let by_two = |prefix: u16| {
        LENGTHS_BY_TWO_DIGITS
            .get(usize::from(prefix))
            .copied()
            .unwrap_or(0)
    };
    match *head {
        [] => 0b1111,
        [first] => (0..10).fold(0, |acc, second| {
            acc | by_two(u16::from(first) * 10 + second)
        }),
        [first, second] => by_two(u16::from(first) * 10 + u16::from(second)),
        [first, ..] => {
            let missing = 4u32.saturating_sub(head.len() as u32);
            let scale = 10u16.pow(missing);
            let lo = prefix_value(head, 4) * scale;
            let hi = lo + (scale - 1);
            blocks_from(first)
                .iter()
                .filter(|b| b.lo <= hi && lo <= b.hi)
                .fold(0, |acc, b| acc | 1 << b.len.saturating_sub(MIN_LEN as u8))
        }
    }
}

/// The first `n` digits as a number.
fn prefix_value(digits: &[u8], n: usize) -> u16 {
    digits
        .iter()
        .take(n)
        .fold(0, |acc, &d| acc * 10 + u16::from(d))
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
