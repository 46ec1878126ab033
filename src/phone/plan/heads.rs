//! The shortcut by the first four digits of a national significant number: most
//! invalid numbers are settled by one byte of [`HEADS`], without a look at the
//! blocks, the renumberings or the diagnosis (a test checks it says what they say).

use super::super::error::{PhoneError, Prefix};
use super::super::kind::PhoneKind;
use super::super::obsolete::{LANDLINE_BY_OLD, MOBILE_BY_OLD};
use super::super::tables::{BLOCKS, BLOCKS_BY_FIRST_DIGIT, LENGTHS_BY_TWO_DIGITS};
use super::{short_or_long, Block, MAX_LEN, MIN_LEN};

/// [`HEADS`]: a number of nine digits starting so may have been renumbered in 2017.
const RENUMBERED_9: u8 = 1 << 4;
/// [`HEADS`]: a number of ten digits starting so may have been renumbered (2017, 2018).
const RENUMBERED_10: u8 = 1 << 5;

/// By the first four digits of a national significant number (0–9999): bits 0–3
/// the lengths of the numbers that start with them (bit n: 7 + n digits); when
/// there are none, bits 6–7 say how many of the four digits make the shortest
/// beginning no number has (1–4, stored less one); [`RENUMBERED_9`] and
/// [`RENUMBERED_10`]. Computed at compile time from `BLOCKS` and the
/// renumberings, so [`settled`] answers most invalid numbers from one byte.
#[allow(clippy::indexing_slicing)] // evaluated at compile time
static HEADS: [u8; 10_000] = {
    let mut heads = [0u8; 10_000];
    let mut head = 0;
    while head < 10_000 {
        let (a, b, c, d) = (head / 1000, head / 100 % 10, head / 10 % 10, head % 10);
        let start = BLOCKS_BY_FIRST_DIGIT[a] as usize;
        let end = BLOCKS_BY_FIRST_DIGIT[a + 1] as usize;
        // The lengths of the blocks meeting abc0–abc9, and of those holding abcd.
        let lo = (head - d) as u16;
        let (mut three, mut four) = (0u8, 0u8);
        let mut i = start;
        while i < end {
            let block = &BLOCKS[i];
            let bit = 1 << (block.len - MIN_LEN as u8);
            if block.lo <= lo + 9 && lo <= block.hi {
                three |= bit;
            }
            if block.lo <= head as u16 && head as u16 <= block.hi {
                four |= bit;
            }
            i += 1;
        }
        let mut value = if four != 0 {
            four
        } else if start == end {
            0 << 6
        } else if LENGTHS_BY_TWO_DIGITS[a * 10 + b] == 0 {
            1 << 6
        } else if three == 0 {
            2 << 6
        } else {
            3 << 6
        };
        // As `obsolete::correct` reads them, when the new number may exist: ten
        // digits 1bc… (a mobile) or abc… (an area code and seven digits), nine
        // digits 4… or 8… (eight after), or ab… (seven after).
        let ten = if a == 1 {
            let new = MOBILE_BY_OLD[b * 10 + c] as u16;
            new != 0 && mobile_may_hold(new * 100 + d as u16 * 10)
        } else {
            a != 0 && new_landline_may_hold(LANDLINE_BY_OLD[a * 100 + b * 10 + c], d, 10)
        };
        let nine = if a == 4 || a == 8 {
            new_landline_may_hold(LANDLINE_BY_OLD[a], b, c)
        } else {
            a != 0 && new_landline_may_hold(LANDLINE_BY_OLD[a * 10 + b], c, d)
        };
        if ten {
            value |= RENUMBERED_10;
        }
        if nine {
            value |= RENUMBERED_9;
        }
        heads[head] = value;
        head += 1;
    }
    heads
};

/// By the first four digits of a national significant number (0–9999): the index
/// in `BLOCKS` of the one block holding numbers that start so, or `u8::MAX` when
/// none or several (of different lengths) do. Computed at compile time.
#[allow(clippy::indexing_slicing)] // evaluated at compile time
static BLOCK_AT: [u8; 10_000] = {
    let mut table = [u8::MAX; 10_000];
    let mut i = 0;
    while i < BLOCKS.len() {
        let block = &BLOCKS[i];
        let mut head = block.lo as usize;
        while head <= block.hi as usize {
            table[head] = if table[head] == u8::MAX {
                i as u8
            } else {
                u8::MAX - 1
            };
            head += 1;
        }
        i += 1;
    }
    let mut head = 0;
    while head < 10_000 {
        if table[head] == u8::MAX - 1 {
            table[head] = u8::MAX;
        }
        head += 1;
    }
    table
};

/// Whether a mobile block of nine digits holds a number starting with the
/// four digits `lo`…`lo + 9` (a new mobile code, the old number's fourth digit, any).
#[allow(clippy::indexing_slicing)] // evaluated at compile time
const fn mobile_may_hold(lo: u16) -> bool {
    let mut i = 0;
    while i < BLOCKS.len() {
        let block = &BLOCKS[i];
        if block.len == 9
            && matches!(block.kind, PhoneKind::Mobile)
            && block.lo <= lo + 9
            && lo <= block.hi
        {
            return true;
        }
        i += 1;
    }
    false
}

/// Whether the 2017 code `stored` (as `LANDLINE_BY_OLD` stores it; 0: none)
/// followed by the old number's subscriber digits, of which the first two are `x`
/// and `y` (10: not known), may be a fixed line of `MAX_LEN` digits.
#[allow(clippy::indexing_slicing)] // evaluated at compile time
const fn new_landline_may_hold(stored: u8, x: usize, y: usize) -> bool {
    if stored == 0 {
        return false;
    }
    // 24 and 28 (stored as 124, 128) have two digits, the others three.
    let (lo, hi) = if stored >= 100 {
        let two = (stored as u16 - 100) * 100 + x as u16 * 10;
        if y < 10 {
            (two + y as u16, two + y as u16)
        } else {
            (two, two + 9)
        }
    } else {
        let four = (stored as u16 + 200) * 10 + x as u16;
        (four, four)
    };
    let mut i = 0;
    while i < BLOCKS.len() {
        let block = &BLOCKS[i];
        if block.len as usize == MAX_LEN
            && matches!(block.kind, PhoneKind::FixedLine)
            && block.lo <= hi
            && lo <= block.hi
        {
            return true;
        }
        i += 1;
    }
    false
}

/// What the first four digits of a national significant number say.
pub(in super::super) enum Head {
    /// Not a number, and not a renumbered one: what [`diagnose`](super::diagnose) says.
    Error(PhoneError),
    /// A number of this block (what `plan::block` finds).
    Number(&'static Block),
    /// Not a number as it stands, but perhaps a renumbered one.
    Renumbered,
    /// The full look: fewer than four digits, or several blocks hold them.
    Look,
}

/// What `nsn` is, when its first four digits settle it without a look at the
/// blocks: most invalid numbers (no number starts so, or every number that starts
/// so has other lengths) and most valid ones.
#[inline(always)]
pub(in super::super) fn settled(nsn: &[u8], overflow: usize) -> Head {
    // A trunk 0 kept (too few digits to lose it): neither a number nor a
    // renumbered one, and `diagnose` reads past it.
    let (core, whole) = match nsn {
        [0, rest @ ..] => (rest, false),
        _ => (nsn, true),
    };
    let &[a, b, c, d, ..] = core else {
        return Head::Look;
    };
    let index = usize::from(a) * 1000 + usize::from(b) * 100 + usize::from(c) * 10 + usize::from(d);
    let head = HEADS.get(index).copied().unwrap_or(0);
    let len = core.len();
    let lengths = head & 0x0F;
    if whole && overflow == 0 {
        if (MIN_LEN..=MAX_LEN).contains(&len) && lengths >> (len - MIN_LEN) & 1 == 1 {
            return match BLOCK_AT
                .get(index)
                .and_then(|&i| BLOCKS.get(usize::from(i)))
            {
                Some(block) => Head::Number(block),
                None => Head::Look,
            };
        }
        if (len == 9 && head & RENUMBERED_9 != 0) || (len == 10 && head & RENUMBERED_10 != 0) {
            return Head::Renumbered;
        }
    }
    if lengths == 0 {
        // The trunk 0 and the four digits as text, from one word (digit values
        // 0–9 become ASCII digits by setting 0x30).
        let word = u64::from(u32::from_le_bytes([a, b, c, d])) << 8 | 0x3030_3030_3030;
        let [z, a, b, c, d, e, ..] = word.to_le_bytes();
        return Head::Error(PhoneError::UnknownPrefix {
            prefix: Prefix::ascii([z, a, b, c, d, e], (head >> 6) + 2),
        });
    }
    let digits = u8::try_from(len.saturating_add(overflow)).unwrap_or(u8::MAX);
    Head::Error(short_or_long(lengths, digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_four_digits_settle_is_what_the_whole_look_says() {
        // Every beginning of four digits, at every length, with four different
        // fillings, with and without digits beyond the buffer: `settled`, where it
        // answers, says what the valid / renumbered / diagnose path says.
        let mut answered = 0;
        let (mut numbers, mut renumbered) = (0, 0);
        for four in 0..10_000u16 {
            for len in 3..=12usize {
                for fill in [0u8, 4, 7, 9] {
                    for overflow in [0, 2] {
                        let mut nsn: Vec<u8> =
                            [four / 1000, four / 100 % 10, four / 10 % 10, four % 10]
                                .iter()
                                .map(|&d| d as u8)
                                .collect();
                        nsn.resize(len.max(4), fill);
                        nsn.truncate(len);
                        let early = match settled(&nsn, overflow) {
                            Head::Look => continue,
                            Head::Number(block) => {
                                assert_eq!(overflow, 0);
                                let number = crate::phone::number::PhoneNumber::from_national(&nsn);
                                assert_eq!(
                                    number,
                                    Some(crate::phone::number::PhoneNumber::from_block(
                                        &nsn, block
                                    )),
                                    "{nsn:?}"
                                );
                                numbers += 1;
                                continue;
                            }
                            Head::Renumbered => {
                                assert_eq!(overflow, 0);
                                assert!(
                                    crate::phone::number::PhoneNumber::from_national(&nsn)
                                        .is_none(),
                                    "{nsn:?}"
                                );
                                renumbered += 1;
                                continue;
                            }
                            Head::Error(early) => early,
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
        assert!(
            numbers > 1_000 && renumbered > 1_000,
            "{numbers} {renumbered}"
        );
    }
}
