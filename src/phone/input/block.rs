//! EXPERIMENT (twelfth round, docs/phone.md; reverted in the next commit: slower
//! than the loops it was meant to replace).
//!
//! ASCII inputs of 8 to 16 bytes, read with SSE2 (x86-64 servers).
//!
//! Every byte is classified at once into bit masks (digit, separator, plus,
//! non-ASCII); the label, the plus signs and the end of the number are found from
//! the masks by counting zeros, and the digits are gathered by a loop of fixed
//! length. So no branch depends on the kind of a character or on where the number
//! starts or ends, which is where [`read`](super::read)'s loops lose their time on
//! a mix of inputs (the processor guesses each loop's exit wrong). What this does
//! not cover (a non-ASCII character before the end of the number, `;` in the
//! label, fewer than 8 or more than 16 bytes) is left to those loops.

use safe_arch::{
    bitandnot_m128i, bitor_m128i, cmp_eq_mask_i8_m128i, m128i, min_u8_m128i, move_mask_i8_m128i,
    set_splat_i8_m128i, sub_i8_m128i,
};

use super::{trailing, Digits, PhoneError, CAPACITY, KEPT};

/// The longest input read here, in bytes.
const BLOCK: usize = 16;

/// Bit `i` set for each byte `i` of a class.
#[derive(Clone, Copy)]
struct Masks {
    digit: u32,
    separator: u32,
    plus: u32,
    /// Bytes of non-ASCII characters.
    high: u32,
    semicolon: u32,
}

/// The classes of 16 bytes, as the low 16 bits of each mask.
#[inline(always)]
fn classify(bytes: m128i) -> Masks {
    let splat = |byte: u8| set_splat_i8_m128i(byte as i8);
    let equal = |byte: u8| cmp_eq_mask_i8_m128i(bytes, splat(byte));
    // `first <= byte < first + count`, as an unsigned comparison.
    let range = |first: u8, count: u8| {
        let offset = sub_i8_m128i(bytes, splat(first));
        cmp_eq_mask_i8_m128i(min_u8_m128i(offset, splat(count - 1)), offset)
    };
    let mask = |lanes: m128i| move_mask_i8_m128i(lanes) as u32 & 0xFFFF;
    let plus = equal(b'+');
    // libphonenumber's ASCII punctuation less `x` and `~`, plus `*` (the
    // table in `super::BYTE_CLASS`): `(`–`/` but `+` and `,`, space, brackets.
    let punctuation = bitandnot_m128i(bitor_m128i(plus, equal(b',')), range(b'(', 8));
    let separator = bitor_m128i(
        bitor_m128i(punctuation, equal(b' ')),
        bitor_m128i(equal(b'['), equal(b']')),
    );
    Masks {
        digit: mask(range(b'0', 10)),
        separator: mask(separator),
        plus: mask(plus),
        high: mask(bytes),
        semicolon: mask(equal(b';')),
    }
}

/// Reads `input` as [`super::read`] does, if it is short and its number ASCII;
/// `None` (and `digits` untouched) otherwise.
#[inline(always)]
pub(super) fn read(input: &str, digits: &mut Digits) -> Option<Result<(), PhoneError>> {
    let bytes = input.as_bytes();
    let len = bytes.len();
    if !(8..=BLOCK).contains(&len) {
        return None;
    }
    // The input in two words, zeros past its end: each word loaded whole, the
    // second from the input's last eight bytes, shifted into place.
    let word = |k: usize| {
        let from = (8 * k).min(len - 8);
        let loaded = bytes
            .get(from..)
            .and_then(<[u8]>::first_chunk::<8>)
            .map_or(0, |w| u64::from_le_bytes(*w));
        loaded.checked_shr(8 * (8 * k - from) as u32).unwrap_or(0)
    };
    let words = [word(0), word(1)];
    let low = classify(m128i::from([words[0], words[1]]));
    // `black_box`: without it LLVM folds the scalar tests below back into the
    // vectors, as vectors of 16 bits, which SSE2 lacks: it spread each bit to
    // a byte through the stack, 16 times per mask (about 2 ms per 100,000).
    let join = |part: fn(&Masks) -> u32| std::hint::black_box(u64::from(part(&low)));
    // (Past the end, zeros: in no class.)
    let digit = join(|m| m.digit);
    let separator = join(|m| m.separator);
    let plus = join(|m| m.plus);
    let non_ascii = join(|m| m.high);
    let semicolon = join(|m| m.semicolon);
    // The label: everything before the first digit, plus or non-ASCII byte.
    let first = digit | plus | non_ascii;
    if first == 0 {
        // Only a label: no digits (`;` may begin a phone-context).
        return (semicolon == 0).then_some(Ok(()));
    }
    let start = first.trailing_zeros();
    // A non-ASCII character in the label or at its end (a full-width digit or
    // plus, another script's digit, a Vietnamese label) or a `;` in the label.
    if (non_ascii | semicolon) & ((2u64 << start) - 1) != 0 {
        return None;
    }
    // After the plus signs, if any: the number, up to the first byte that is
    // neither a digit nor a separator, or the end (a sentinel bit at `len`).
    let number = !plus & !((1u64 << start) - 1);
    let after_plus = number.trailing_zeros();
    // (The end is such a byte: a zero, or bit 16.)
    let stop = !(digit | separator);
    let end = (stop & !((1u64 << after_plus) - 1)).trailing_zeros();
    if non_ascii & 1u64 << end != 0 {
        // A non-ASCII character may continue the number.
        return None;
    }
    let kept = digit & ((1u64 << end) - 1);
    let total = kept.count_ones() as usize;
    if total > KEPT {
        return None;
    }
    // Each byte is stored in the slot of the next digit (the digit overwrites
    // it): the slots come from running counts, eight bytes to a multiplication,
    // so no store waits on the one before.
    const ONES: u64 = 0x0101_0101_0101_0101;
    let mut before = 0;
    for (k, word) in words.into_iter().enumerate() {
        let bits = (kept >> (8 * k)) & 0xFF;
        // Bit `j` of `bits` as byte `j`, 0 or 1.
        let flags = (((bits * ONES) & 0x8040_2010_0804_0201) + 0x7F7F_7F7F_7F7F_7F7F) >> 7 & ONES;
        let slots = flags.wrapping_mul(ONES) - flags + before * ONES;
        before += bits.count_ones() as u64;
        for (slot, byte) in slots.to_le_bytes().into_iter().zip(word.to_le_bytes()) {
            if let Some(digit) = digits.buf.get_mut(usize::from(slot) % CAPACITY) {
                *digit = byte.wrapping_sub(b'0');
            }
        }
    }
    digits.total = total;
    digits.plus = plus & 1u64 << start != 0;
    Some(if (end as usize) < len {
        trailing(input, end as usize)
    } else {
        Ok(())
    })
}
