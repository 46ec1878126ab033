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

/// 2017: old area code → new one (trunk 0 omitted), per Circular 22/2014/TT-BTTTT.
/// Subscriber numbers stay: 8 digits after the one-digit codes of Hà Nội and
/// TP. Hồ Chí Minh, 7 after the others. Phú Thọ (210), Vĩnh Phúc (211), Hòa Bình
/// (218) and Hà Giang (219) kept their codes.
const LANDLINE_2017: [(u16, u16); 59] = [
    // phase 1, 11 February 2017
    (22, 212),  // Sơn La
    (231, 213), // Lai Châu
    (20, 214),  // Lào Cai
    (230, 215), // Điện Biên
    (29, 216),  // Yên Bái
    (52, 232),  // Quảng Bình
    (53, 233),  // Quảng Trị
    (54, 234),  // Thừa Thiên Huế
    (510, 235), // Quảng Nam
    (511, 236), // Đà Nẵng
    (37, 237),  // Thanh Hóa
    (38, 238),  // Nghệ An
    (39, 239),  // Hà Tĩnh
    // phase 2, 15 April 2017
    (33, 203),  // Quảng Ninh
    (240, 204), // Bắc Giang
    (25, 205),  // Lạng Sơn
    (26, 206),  // Cao Bằng
    (27, 207),  // Tuyên Quang
    (280, 208), // Thái Nguyên
    (281, 209), // Bắc Kạn
    (320, 220), // Hải Dương
    (321, 221), // Hưng Yên
    (241, 222), // Bắc Ninh
    (31, 225),  // Hải Phòng
    (351, 226), // Hà Nam
    (36, 227),  // Thái Bình
    (350, 228), // Nam Định
    (30, 229),  // Ninh Bình
    (780, 290), // Cà Mau
    (781, 291), // Bạc Liêu
    (710, 292), // Cần Thơ
    (711, 293), // Hậu Giang
    (74, 294),  // Trà Vinh
    (76, 296),  // An Giang
    (77, 297),  // Kiên Giang
    (79, 299),  // Sóc Trăng
    // phase 3, 17 June 2017
    (4, 24),    // Hà Nội
    (8, 28),    // TP. Hồ Chí Minh
    (61, 251),  // Đồng Nai
    (62, 252),  // Bình Thuận
    (64, 254),  // Bà Rịa – Vũng Tàu
    (55, 255),  // Quảng Ngãi
    (56, 256),  // Bình Định
    (57, 257),  // Phú Yên
    (58, 258),  // Khánh Hòa
    (68, 259),  // Ninh Thuận
    (60, 260),  // Kon Tum
    (501, 261), // Đắk Nông
    (500, 262), // Đắk Lắk
    (63, 263),  // Lâm Đồng
    (59, 269),  // Gia Lai
    (70, 270),  // Vĩnh Long
    (651, 271), // Bình Phước
    (72, 272),  // Long An
    (73, 273),  // Tiền Giang
    (650, 274), // Bình Dương
    (75, 275),  // Bến Tre
    (66, 276),  // Tây Ninh
    (67, 277),  // Đồng Tháp
];

/// The current number an invalid national significant number was renumbered to.
pub(super) fn correct(nsn: &[u8]) -> Option<(PhoneNumber, ObsoleteKind)> {
    if nsn.len() == 10 {
        let old = value(nsn.get(..3)?);
        if let Some(&(_, new)) = MOBILE_2018.iter().find(|&&(from, _)| from == old) {
            let fixed = renumber(&[new / 10, new % 10], nsn.get(3..)?)?;
            return check(&fixed, PhoneKind::Mobile, ObsoleteKind::Mobile2018);
        }
    }
    for &(old, new) in &LANDLINE_2017 {
        let old_digits = digits_of(old);
        let subscriber = if old_digits.len() == 1 { 8 } else { 7 };
        if nsn.len() == old_digits.len() + subscriber && nsn.starts_with(&old_digits) {
            let fixed = renumber(&digits_of(new), nsn.get(old_digits.len()..)?)?;
            return check(&fixed, PhoneKind::FixedLine, ObsoleteKind::Landline2017);
        }
    }
    None
}

fn check(nsn: &[u8], kind: PhoneKind, why: ObsoleteKind) -> Option<(PhoneNumber, ObsoleteKind)> {
    plan::block(nsn)?;
    let number = PhoneNumber::from_national(nsn)?;
    (number.kind() == kind).then_some((number, why))
}

fn renumber(head: &[u8], tail: &[u8]) -> Option<Vec<u8>> {
    let fixed: Vec<u8> = head.iter().chain(tail).copied().collect();
    (fixed.len() <= plan::MAX_LEN).then_some(fixed)
}

fn value(digits: &[u8]) -> u16 {
    digits.iter().fold(0, |acc, &d| acc * 10 + u16::from(d))
}

/// The decimal digits of a code (no leading zeros: codes start with 1–9).
fn digits_of(code: u16) -> Vec<u8> {
    let mut out = Vec::with_capacity(3);
    let mut rest = code;
    while rest > 0 {
        out.push((rest % 10) as u8);
        rest /= 10;
    }
    out.reverse();
    out
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
        for (i, (old, new)) in LANDLINE_2017.iter().enumerate() {
            assert!((200..300).contains(new) || [24, 28].contains(new), "{new}");
            for (other, _) in LANDLINE_2017.iter().skip(i + 1) {
                assert_ne!(old, other);
            }
        }
    }
}
