//! Numbers Vietnam renumbered: 11-digit mobiles (2018) and landline area codes
//! (2017). libphonenumber only says such a number is invalid; we give the number
//! it became, so the form can offer it in one click. A correction is offered only
//! for a number that is invalid as it stands and whose new form is valid: many old
//! landline codes are mobile blocks today (08 3822 1234 is the mobile 0838 221 234).

use super::kind::PhoneKind;
use super::number::PhoneNumber;
use super::plan;

/// Which renumbering made a number obsolete.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ObsoleteKind {
    /// An 11-digit mobile number (01xx …), moved to 10 digits from 15 September 2018.
    Mobile2018,
    /// An old landline area code, replaced by a 02xx code in 2017 (11 February –
    /// 17 June, in three phases).
    Landline2017,
}

/// 2018: old mobile network code (3 digits after the trunk 0) → new one (2 digits).
/// Decision 798/QĐ-BTTTT; the last 7 digits stay.
#[rustfmt::skip]
const MOBILE_2018: [(u16, u8); 21] = [
    (120, 70), (121, 79), (122, 77), (126, 76), (128, 78), // MobiFone
    (123, 83), (124, 84), (125, 85), (127, 81), (129, 82), // VinaPhone
    (162, 32), (163, 33), (164, 34), (165, 35), (166, 36), (167, 37), (168, 38), (169, 39), // Viettel
    (186, 56), (188, 58), // Vietnamobile
    (199, 59), // Gmobile
];

/// 2017: old area code → new one (trunk 0 omitted), per Circular 22/2014/TT-BTTTT;
/// sorted by old code, with each province and the day of 2017 its code changed.
/// Subscriber numbers stay: 8 digits after the one-digit codes of Hà Nội and
/// TP. Hồ Chí Minh, 7 after the others. Phú Thọ (210), Vĩnh Phúc (211), Hòa Bình
/// (218) and Hà Giang (219) kept their codes.
const LANDLINE_2017: [(u16, u16); 59] = [
    (4, 24),    // Hà Nội (17 Jun)
    (8, 28),    // TP. Hồ Chí Minh (17 Jun)
    (20, 214),  // Lào Cai (11 Feb)
    (22, 212),  // Sơn La (11 Feb)
    (25, 205),  // Lạng Sơn (15 Apr)
    (26, 206),  // Cao Bằng (15 Apr)
    (27, 207),  // Tuyên Quang (15 Apr)
    (29, 216),  // Yên Bái (11 Feb)
    (30, 229),  // Ninh Bình (15 Apr)
    (31, 225),  // Hải Phòng (15 Apr)
    (33, 203),  // Quảng Ninh (15 Apr)
    (36, 227),  // Thái Bình (15 Apr)
    (37, 237),  // Thanh Hóa (11 Feb)
    (38, 238),  // Nghệ An (11 Feb)
    (39, 239),  // Hà Tĩnh (11 Feb)
    (52, 232),  // Quảng Bình (11 Feb)
    (53, 233),  // Quảng Trị (11 Feb)
    (54, 234),  // Thừa Thiên Huế (11 Feb)
    (55, 255),  // Quảng Ngãi (17 Jun)
    (56, 256),  // Bình Định (17 Jun)
    (57, 257),  // Phú Yên (17 Jun)
    (58, 258),  // Khánh Hòa (17 Jun)
    (59, 269),  // Gia Lai (17 Jun)
    (60, 260),  // Kon Tum (17 Jun)
    (61, 251),  // Đồng Nai (17 Jun)
    (62, 252),  // Bình Thuận (17 Jun)
    (63, 263),  // Lâm Đồng (17 Jun)
    (64, 254),  // Bà Rịa – Vũng Tàu (17 Jun)
    (66, 276),  // Tây Ninh (17 Jun)
    (67, 277),  // Đồng Tháp (17 Jun)
    (68, 259),  // Ninh Thuận (17 Jun)
    (70, 270),  // Vĩnh Long (17 Jun)
    (72, 272),  // Long An (17 Jun)
    (73, 273),  // Tiền Giang (17 Jun)
    (74, 294),  // Trà Vinh (15 Apr)
    (75, 275),  // Bến Tre (17 Jun)
    (76, 296),  // An Giang (15 Apr)
    (77, 297),  // Kiên Giang (15 Apr)
    (79, 299),  // Sóc Trăng (15 Apr)
    (230, 215), // Điện Biên (11 Feb)
    (231, 213), // Lai Châu (11 Feb)
    (240, 204), // Bắc Giang (15 Apr)
    (241, 222), // Bắc Ninh (15 Apr)
    (280, 208), // Thái Nguyên (15 Apr)
    (281, 209), // Bắc Kạn (15 Apr)
    (320, 220), // Hải Dương (15 Apr)
    (321, 221), // Hưng Yên (15 Apr)
    (350, 228), // Nam Định (15 Apr)
    (351, 226), // Hà Nam (15 Apr)
    (500, 262), // Đắk Lắk (17 Jun)
    (501, 261), // Đắk Nông (17 Jun)
    (510, 235), // Quảng Nam (11 Feb)
    (511, 236), // Đà Nẵng (11 Feb)
    (650, 274), // Bình Dương (17 Jun)
    (651, 271), // Bình Phước (17 Jun)
    (710, 292), // Cần Thơ (15 Apr)
    (711, 293), // Hậu Giang (15 Apr)
    (780, 290), // Cà Mau (15 Apr)
    (781, 291), // Bạc Liêu (15 Apr)
];

/// The current number an invalid national significant number was renumbered to.
pub(super) fn correct(nsn: &[u8]) -> Option<(PhoneNumber, ObsoleteKind)> {
    // The new number, built in place: code digits, then the subscriber number.
    let mut fixed = [0; plan::MAX_LEN];
    let (subscriber, new, why) = match (nsn.len(), nsn) {
        // 1xx + 7 digits: an 11-digit mobile (with its trunk 0)…
        (10, &[1, b, c, ref subscriber @ ..]) => {
            let new = MOBILE_BY_OLD
                .get(usize::from(b) * 10 + usize::from(c))
                .copied()
                .unwrap_or(0);
            (
                subscriber,
                nonzero(u16::from(new))?,
                ObsoleteKind::Mobile2018,
            )
        }
        // …or a 3-digit area code + 7 digits,
        (10, &[a @ 1..=9, b, c, ref subscriber @ ..]) => (
            subscriber,
            landline(value3(a, b, c))?,
            ObsoleteKind::Landline2017,
        ),
        // Hà Nội's 4 / TP. Hồ Chí Minh's 8 + 8 digits, or a 2-digit code + 7 digits.
        (9, &[a @ (4 | 8), ref subscriber @ ..]) => (
            subscriber,
            landline(u16::from(a))?,
            ObsoleteKind::Landline2017,
        ),
        (9, &[a @ 1..=9, b, ref subscriber @ ..]) => (
            subscriber,
            landline(value3(0, a, b))?,
            ObsoleteKind::Landline2017,
        ),
        _ => return None,
    };
    // New codes have two digits (mobiles, 24 and 28) or three (other landlines).
    let code_len = if new < 100 { 2 } else { 3 };
    let mut rest = new;
    for i in (0..code_len).rev() {
        if let Some(slot) = fixed.get_mut(i) {
            *slot = (rest % 10) as u8;
        }
        rest /= 10;
    }
    let len = code_len + subscriber.len();
    for (i, &d) in subscriber.iter().enumerate() {
        if let Some(slot) = fixed.get_mut(code_len + i) {
            *slot = d;
        }
    }
    let number = PhoneNumber::from_national(fixed.get(..len)?)?;
    let kind = match why {
        ObsoleteKind::Mobile2018 => PhoneKind::Mobile,
        ObsoleteKind::Landline2017 => PhoneKind::FixedLine,
    };
    (number.kind() == kind).then_some((number, why))
}

/// The 2018 mobile code that replaced 1xx, by xx (0 for none), computed at
/// compile time from [`MOBILE_2018`].
#[allow(clippy::indexing_slicing)] // evaluated at compile time
pub(super) static MOBILE_BY_OLD: [u8; 100] = {
    let mut table = [0; 100];
    let mut i = 0;
    while i < MOBILE_2018.len() {
        let (from, to) = MOBILE_2018[i];
        table[from as usize - 100] = to;
        i += 1;
    }
    table
};

/// The 2017 area code that replaced each old code (0 for none), computed at
/// compile time from [`LANDLINE_2017`]; stored in a byte: 2xx as xx, 24 and 28
/// as 124 and 128.
#[allow(clippy::indexing_slicing)] // evaluated at compile time
pub(super) static LANDLINE_BY_OLD: [u8; 1000] = {
    let mut table = [0; 1000];
    let mut i = 0;
    while i < LANDLINE_2017.len() {
        let (from, to) = LANDLINE_2017[i];
        table[from as usize] = if to < 100 { to + 100 } else { to - 200 } as u8;
        i += 1;
    }
    table
};

/// The 2017 area code that replaced the old code `old`.
fn landline(old: u16) -> Option<u16> {
    match LANDLINE_BY_OLD.get(usize::from(old)).copied().unwrap_or(0) {
        0 => None,
        stored @ 100.. => Some(u16::from(stored) - 100),
        stored => Some(u16::from(stored) + 200),
    }
}

/// `None` for 0.
#[inline(always)]
fn nonzero(code: u16) -> Option<u16> {
    (code != 0).then_some(code)
}

/// Three digits as a number.
#[inline(always)]
fn value3(a: u8, b: u8, c: u8) -> u16 {
    (u16::from(a) * 10 + u16::from(b)) * 10 + u16::from(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Vec<u8> {
        s.bytes().map(|b| b - b'0').collect()
    }

    fn fix(nsn: &str) -> Option<(String, ObsoleteKind)> {
        correct(&d(nsn)).map(|(n, k)| (n.national(), k))
    }

    #[test]
    fn mobile_2018() {
        assert_eq!(
            fix("1621234567"),
            Some(("0321 234 567".into(), ObsoleteKind::Mobile2018))
        );
        assert_eq!(
            fix("1201234567"),
            Some(("0701 234 567".into(), ObsoleteKind::Mobile2018))
        );
        assert_eq!(
            fix("1991234567"),
            Some(("0591 234 567".into(), ObsoleteKind::Mobile2018))
        );
        assert_eq!(fix("162123456"), None);
    }

    #[test]
    fn landline_2017() {
        assert_eq!(
            fix("438251234"),
            Some(("024 3825 1234".into(), ObsoleteKind::Landline2017))
        );
        assert_eq!(
            fix("838221234"),
            Some(("028 3822 1234".into(), ObsoleteKind::Landline2017))
        );
        assert_eq!(
            fix("5113821234"),
            Some(("0236 3821 234".into(), ObsoleteKind::Landline2017))
        );
        assert_eq!(
            fix("313821234"),
            Some(("0225 3821 234".into(), ObsoleteKind::Landline2017))
        );
        // The new number must exist: Hà Nội subscribers never start with 9.
        assert_eq!(fix("498251234"), None);
    }

    #[test]
    fn tables_are_consistent() {
        for (old, new) in MOBILE_2018 {
            assert!((120..200).contains(&old) && (30..90).contains(&new));
        }
        for (old, new) in LANDLINE_2017 {
            assert!(
                (200..300).contains(&new) || [24, 28].contains(&new),
                "{new}"
            );
            assert!(old > 0 && old < 1000);
        }
        // Sorted without duplicates: one code each.
        assert!(LANDLINE_2017
            .windows(2)
            .all(|w| matches!(w, [a, b] if a.0 < b.0)));
    }

    #[test]
    fn lookup_tables_match_the_lists() {
        for old in 0..1000 {
            let listed = LANDLINE_2017
                .iter()
                .find(|&&(from, _)| from == old)
                .map(|&(_, to)| to);
            assert_eq!(landline(old), listed, "{old}");
        }
        for xx in 0..100u16 {
            let listed = MOBILE_2018
                .iter()
                .find(|&&(from, _)| from == 100 + xx)
                .map_or(0, |&(_, to)| to);
            assert_eq!(
                MOBILE_BY_OLD.get(usize::from(xx)),
                Some(&listed),
                "1{xx:02}"
            );
        }
    }
}
