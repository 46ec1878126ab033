//! The shortcut by the first three digits of a national significant number: most
//! invalid numbers are settled by one byte of [`HEADS`], without a look at the
//! blocks, the renumberings or the diagnosis (a test checks it says what they say).

use super::super::error::{PhoneError, Prefix};
use super::super::obsolete::{LANDLINE_BY_OLD, MOBILE_BY_OLD};
use super::super::tables::{BLOCKS, BLOCKS_BY_FIRST_DIGIT, LENGTHS_BY_TWO_DIGITS};
use super::{short_or_long, MAX_LEN, MIN_LEN};

/// [`HEADS`]: the lengths are the same whatever the fourth digit.
const SAME_AT_FOUR: u8 = 1 << 4;
/// [`HEADS`]: a number renumbered in 2017 or 2018 may start with these digits.
const RENUMBERED: u8 = 1 << 5;

/// By the first three digits of a national significant number (0–999): bits 0–3
/// the lengths of the numbers that start with them (bit n: 7 + n digits);
/// [`SAME_AT_FOUR`] when every fourth digit leaves those same lengths;
/// [`RENUMBERED`]; bits 6–7 how many of the three digits make a beginning no
/// number has (1–3), 0 when some number has all three. Computed at compile time
/// from `BLOCKS` and the renumberings, so [`settled`] answers most invalid numbers
/// from one byte.
#[allow(clippy::indexing_slicing)] // evaluated at compile time
static HEADS: [u8; 1000] = {
    let mut heads = [0u8; 1000];
    let mut head = 0;
    while head < 1000 {
        let (a, b, c) = (head / 100, head / 10 % 10, head % 10);
        let start = BLOCKS_BY_FIRST_DIGIT[a] as usize;
        let end = BLOCKS_BY_FIRST_DIGIT[a + 1] as usize;
        // The lengths of the blocks meeting abc0–abc9, and of those holding each abcd.
        let (lo, hi) = (head as u16 * 10, head as u16 * 10 + 9);
        let mut three = 0u8;
        let mut four = [0u8; 10];
        let mut i = start;
        while i < end {
            let block = &BLOCKS[i];
            let bit = 1 << (block.len - MIN_LEN as u8);
            if block.lo <= hi && lo <= block.hi {
                three |= bit;
            }
            let mut d = 0;
            while d < 10 {
                if block.lo <= lo + d && lo + d <= block.hi {
                    four[d as usize] |= bit;
                }
                d += 1;
            }
            i += 1;
        }
        let dead: u8 = if start == end {
            1
        } else if LENGTHS_BY_TWO_DIGITS[a * 10 + b] == 0 {
            2
        } else if three == 0 {
            3
        } else {
            0
        };
        let mut value = three | dead << 6;
        let mut same = true;
        let mut d = 0;
        while d < 10 {
            same = same && four[d] == three;
            d += 1;
        }
        if same {
            value |= SAME_AT_FOUR;
        }
        // As `obsolete::correct` reads them: 1bc (mobiles, ten digits), abc and ab
        // (area codes with seven digits after them), 4 and 8 (eight after).
        let renumbered = if a == 1 {
            MOBILE_BY_OLD[b * 10 + c] != 0
        } else {
            LANDLINE_BY_OLD[head] != 0
        } || a == 4
            || a == 8
            || LANDLINE_BY_OLD[a * 10 + b] != 0;
        if renumbered {
            value |= RENUMBERED;
        }
        heads[head] = value;
        head += 1;
    }
    heads
};

/// What is wrong with `nsn` (as [`diagnose`](super::diagnose) says it), when its
/// first three digits settle it without a look at the blocks: no number starts so,
/// or every number that starts so has other lengths. `None` when it may be valid or renumbered, or
/// the fourth digit matters: the caller looks further.
#[inline(always)]
pub(in super::super) fn settled(nsn: &[u8], overflow: usize) -> Option<PhoneError> {
    let &[a @ 1..=9, b, c, ..] = nsn else {
        return None;
    };
    let head = HEADS
        .get(usize::from(a) * 100 + usize::from(b) * 10 + usize::from(c))
        .copied()
        .unwrap_or(0);
    let len = nsn.len();
    if head & RENUMBERED != 0 && overflow == 0 && (len == 9 || len == 10) {
        return None;
    }
    let dead = head >> 6;
    if dead != 0 {
        return Some(PhoneError::UnknownPrefix {
            prefix: Prefix::ascii([b'0', b'0' + a, b'0' + b, b'0' + c, b'0', b'0'], dead + 1),
        });
    }
    if head & SAME_AT_FOUR == 0 {
        return None;
    }
    let lengths = head & 0x0F;
    if overflow == 0 && (MIN_LEN..=MAX_LEN).contains(&len) && lengths >> (len - MIN_LEN) & 1 == 1 {
        return None;
    }
    let digits = u8::try_from(len.saturating_add(overflow)).unwrap_or(u8::MAX);
    Some(short_or_long(lengths, digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_three_digits_settle_is_what_the_whole_look_says() {
        // Every beginning of four digits, at every length, with two different
        // fillings, with and without digits beyond the buffer: `settled`, where it
        // answers, says what the valid / renumbered / diagnose path says.
        let mut answered = 0;
        for four in 1000..10_000u16 {
            for len in 3..=12usize {
                for fill in [0u8, 7] {
                    for overflow in [0, 2] {
                        let mut nsn: Vec<u8> =
                            [four / 1000, four / 100 % 10, four / 10 % 10, four % 10]
                                .iter()
                                .map(|&d| d as u8)
                                .collect();
                        nsn.resize(len.max(4), fill);
                        nsn.truncate(len);
                        let Some(early) = settled(&nsn, overflow) else {
                            continue;
                        };
                        answered += 1;
                        if overflow == 0 {
                            assert!(
                                crate::phone::number::PhoneNumber::from_national(&nsn).is_none(),
                                "{nsn:?}"
                            );
                            assert!(crate::phone::obsolete::correct(&nsn).is_none(), "{nsn:?}");
                        }
                        assert_eq!(
                            early,
                            crate::phone::plan::diagnose(&nsn, overflow),
                            "{nsn:?} +{overflow}"
                        );
                    }
                }
            }
        }
        // Most of them: the shortcut is worth having.
        assert!(answered > 300_000, "{answered}");
    }
}
