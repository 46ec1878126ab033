//! `phone::parse` on the ways people type numbers, every departure from
//! libphonenumber (docs/phone.md) on its own, the typed errors and their messages,
//! serde, and hostile input. libphonenumber's own verdict for each departure input
//! is quoted from the Python `phonenumbers` package (also recorded in the corpus).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashSet;
use std::time::{Duration, Instant};

use consent_form::locale::Locale;
use consent_form::phone::{self, Carrier, ObsoleteKind, PhoneError, PhoneKind, PhoneNumber};

fn e164(input: &str) -> Result<String, PhoneError> {
    phone::parse(input).map(|n| n.e164())
}

fn obsolete(input: &str) -> Option<(String, ObsoleteKind)> {
    match phone::parse(input) {
        Err(PhoneError::Obsolete { corrected, kind }) => Some((corrected.national(), kind)),
        _ => None,
    }
}

#[test]
fn every_way_of_typing_a_number() {
    let forms = [
        "0902666984",
        "0902 666 984",
        "0902.666.984",
        "0902-666-984",
        "0902/666/984",
        "(0902) 666 984",
        "+84902666984",
        "+84 902 666 984",
        "+84-90-266-6984",
        "(+84) 902 666 984",
        "0084 902 666 984",
        "84 902 666 984",
        "84902666984",
        "+84 (0) 902 666 984",
        "+84(0)902666984",
        "0902\u{a0}666\u{a0}984",          // no-break spaces
        "0902\u{200b}666\u{200b}984",      // zero-width spaces
        "\u{200e}0902 666 984\u{200f}",    // bidi marks around
        "0902\u{200e}666\u{200e}984",      // … and inside
        "\u{2066}+84 902 666 984\u{2069}", // isolates
        "\u{feff}0902666984",              // byte order mark
        "０９０２　６６６　９８４",        // full-width digits and space
        "＋８４ ９０２ ６６６ ９８４",
        "tel:+84902666984",
        "tel:0902666984",
        "SĐT: 0902 666 984",
        "ĐT:0902.666.984",
        "Điện thoại: +84 902 666 984",
        "0902 666 984.",
        "  0902 666 984  ",
        "\u{0660}\u{0669}\u{0660}\u{0662}\u{0666}\u{0666}\u{0666}\u{0669}\u{0668}\u{0664}", // Arabic-Indic
    ];
    for form in forms {
        assert_eq!(e164(form).as_deref(), Ok("+84902666984"), "{form:?}");
    }
}

#[test]
fn classification_and_formats() {
    let cases = [
        (
            "0902666984",
            PhoneKind::Mobile,
            "0902 666 984",
            Some(Carrier::MobiFone),
        ),
        (
            "0321234567",
            PhoneKind::Mobile,
            "0321 234 567",
            Some(Carrier::Viettel),
        ),
        (
            "0838221234",
            PhoneKind::Mobile,
            "0838 221 234",
            Some(Carrier::VinaPhone),
        ),
        (
            "0921234567",
            PhoneKind::Mobile,
            "0921 234 567",
            Some(Carrier::Vietnamobile),
        ),
        (
            "0591234567",
            PhoneKind::Mobile,
            "0591 234 567",
            Some(Carrier::Gmobile),
        ),
        (
            "0559123456",
            PhoneKind::Mobile,
            "0559 123 456",
            Some(Carrier::Wintel),
        ),
        (
            "0998123456",
            PhoneKind::Mobile,
            "0998 123 456",
            Some(Carrier::Itelecom),
        ),
        ("024 3825 1234", PhoneKind::FixedLine, "024 3825 1234", None),
        ("0236 382 1234", PhoneKind::FixedLine, "0236 3821 234", None),
        ("1800 1234", PhoneKind::TollFree, "1800 1234", None),
        ("1800 123456", PhoneKind::TollFree, "1800 123456", None),
        ("1900 123456", PhoneKind::PremiumRate, "1900 123456", None),
        ("0672 123 456", PhoneKind::Voip, "067 212 34 56", None),
        ("1992000", PhoneKind::Uan, "0199 2000", None),
        ("069 123456", PhoneKind::Uan, "0691 23456", None),
    ];
    for (input, kind, national, carrier) in cases {
        let n = phone::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(
            (n.kind(), n.national().as_str(), n.carrier()),
            (kind, national, carrier),
            "{input}"
        );
    }
}

#[test]
fn every_current_mobile_prefix_has_a_network_but_095() {
    // Mobile blocks are 9 national digits; try every 3-digit start.
    for start in 100..1000 {
        let Ok(n) = phone::parse(&format!("0{start}123456")) else {
            continue;
        };
        if n.kind() != PhoneKind::Mobile {
            continue;
        }
        if (950..960).contains(&start) {
            assert_eq!(
                n.carrier(),
                None,
                "095 has had no network since S-Fone closed"
            );
        } else {
            assert!(n.carrier().is_some(), "0{start} has no carrier");
        }
    }
}

// ---- departures (docs/phone.md), one test each

#[test]
fn departure_letters_are_an_error() {
    // libphonenumber drops one or two stray letters ("0902a666984" is valid there)
    // and maps three or more to keypad digits; we point at the letter.
    assert_eq!(
        phone::parse("0902a666984"),
        Err(PhoneError::InvalidChar {
            ch: 'a',
            position: 4
        })
    );
    assert_eq!(
        phone::parse("0902 666 984 ext 12"),
        Err(PhoneError::InvalidChar {
            ch: 'e',
            position: 13
        })
    );
    assert_eq!(
        phone::parse("0902 666 984 x12"),
        Err(PhoneError::InvalidChar {
            ch: 'x',
            position: 13
        })
    );
    assert!(matches!(
        phone::parse("1800 MICROSOFT"),
        Err(PhoneError::InvalidChar { ch: 'M', .. })
    ));
    // A label before the number is fine, as in libphonenumber.
    assert!(phone::parse("SĐT 0902666984").is_ok());
}

#[test]
fn departure_extensions_are_an_error() {
    // libphonenumber: valid, with extension "12".
    for (input, ch) in [
        ("0902666984,,12", ','),
        ("0902-666-984;12", ';'),
        ("0902666984 #12", '#'),
    ] {
        assert!(
            matches!(phone::parse(input), Err(PhoneError::InvalidChar { ch: c, .. }) if c == ch),
            "{input}"
        );
    }
}

#[test]
fn departure_tildes_are_an_error() {
    // libphonenumber reads "~12" at the end as an extension and "~" elsewhere as a
    // separator: "+84~902666984" is valid there, "0902~666~984" is not.
    assert_eq!(
        phone::parse("+84~902666984"),
        Err(PhoneError::InvalidChar {
            ch: '~',
            position: 3
        })
    );
    assert!(phone::parse("0902~666~984").is_err());
    assert!(phone::parse("0902\u{ff5e}666984").is_err());
}

#[test]
fn departure_rfc3966_parameters_are_an_error() {
    // libphonenumber: valid (+84902666984) through the RFC 3966 phone-context.
    assert_eq!(
        phone::parse("tel:0902666984;phone-context=+84"),
        Err(PhoneError::InvalidChar {
            ch: ';',
            position: 14
        })
    );
}

#[test]
fn departure_rare_trailing_symbols_are_an_error() {
    // libphonenumber drops any trailing character that is not a letter or digit
    // (valid there: +84902666984); we know the common symbol blocks only.
    assert_eq!(
        phone::parse("0902666984\u{301}"),
        Err(PhoneError::InvalidChar {
            ch: '\u{301}',
            position: 10
        })
    );
    assert!(phone::parse("0902 666 984 \u{f04}").is_err());
    // The usual ones are dropped, as libphonenumber does.
    for tail in [".", " )", "!", "…", " 🙂", "。", "，", "”", " ✔", " ©"] {
        assert_eq!(
            e164(&format!("0902 666 984{tail}")).as_deref(),
            Ok("+84902666984"),
            "{tail}"
        );
    }
    // Letters and digits of any script stay errors, as in libphonenumber.
    assert!(phone::parse("0902 666 984 đ").is_err());
    assert!(phone::parse("0902 666 984 ²").is_err());
}

#[test]
fn departure_invisible_marks_are_ignored() {
    // libphonenumber: "not a number" when a bidi mark or joiner sits between digits.
    for mark in [
        '\u{200c}', '\u{200d}', '\u{200e}', '\u{200f}', '\u{202a}', '\u{202e}', '\u{2066}',
        '\u{2069}', '\u{feff}', '\u{061c}',
    ] {
        assert_eq!(
            e164(&format!("0902{mark}666984")).as_deref(),
            Ok("+84902666984"),
            "U+{:04X}",
            mark as u32
        );
    }
}

#[test]
fn departure_obsolete_mobile_numbers_carry_the_new_number() {
    // libphonenumber: invalid.
    assert_eq!(
        obsolete("0162 123 4567"),
        Some(("0321 234 567".into(), ObsoleteKind::Mobile2018))
    );
    assert_eq!(
        obsolete("+84 120 123 4567"),
        Some(("0701 234 567".into(), ObsoleteKind::Mobile2018))
    );
    assert_eq!(
        obsolete("01881234567"),
        Some(("0581 234 567".into(), ObsoleteKind::Mobile2018))
    );
    assert_eq!(
        obsolete("0199 123 4567"),
        Some(("0591 234 567".into(), ObsoleteKind::Mobile2018))
    );
    // All 21 codes of the 2018 table.
    let table = [
        (120, 70),
        (121, 79),
        (122, 77),
        (126, 76),
        (128, 78),
        (123, 83),
        (124, 84),
        (125, 85),
        (127, 81),
        (129, 82),
        (162, 32),
        (163, 33),
        (164, 34),
        (165, 35),
        (166, 36),
        (167, 37),
        (168, 38),
        (169, 39),
        (186, 56),
        (188, 58),
        (199, 59),
    ];
    for (old, new) in table {
        let fixed = obsolete(&format!("0{old}7654321")).map(|(n, _)| n.replace(' ', ""));
        assert_eq!(fixed, Some(format!("0{new}7654321")), "0{old}");
    }
}

#[test]
fn departure_obsolete_landlines_carry_the_new_number() {
    // libphonenumber: invalid.
    assert_eq!(
        obsolete("04 3825 1234"),
        Some(("024 3825 1234".into(), ObsoleteKind::Landline2017))
    );
    assert_eq!(
        obsolete("0511 382 1234"),
        Some(("0236 3821 234".into(), ObsoleteKind::Landline2017))
    );
    assert_eq!(
        obsolete("(0650) 382 1234"),
        Some(("0274 3821 234".into(), ObsoleteKind::Landline2017))
    );
    assert_eq!(
        obsolete("+84 4 3825 1234"),
        Some(("024 3825 1234".into(), ObsoleteKind::Landline2017))
    );
    // A valid current number is never rejected: 08 3822 1234 was a Hồ Chí Minh City
    // landline; today it is the VinaPhone mobile 0838 221 234 (libphonenumber agrees).
    let n = phone::parse("08 3822 1234").unwrap();
    assert_eq!(
        (n.kind(), n.national().as_str()),
        (PhoneKind::Mobile, "0838 221 234")
    );
    // 037 (Thanh Hóa) is a Viettel block now.
    assert_eq!(
        phone::parse("037 382 1234").map(|n| n.kind()),
        Ok(PhoneKind::Mobile)
    );
    // No correction when the new number would not exist either.
    assert!(obsolete("04 9825 1234").is_none());
}

#[test]
fn departure_carriers_where_libphonenumber_is_out_of_date() {
    // libphonenumber: Vinaphone (087 went to Itelecom in 2020); no carrier for 0990/0991.
    assert_eq!(
        phone::parse("0877123456").unwrap().carrier(),
        Some(Carrier::Itelecom)
    );
    assert_eq!(
        phone::parse("0990123456").unwrap().carrier(),
        Some(Carrier::Gmobile)
    );
    assert_eq!(
        phone::parse("0991123456").unwrap().carrier(),
        Some(Carrier::Gmobile)
    );
}

// ---- errors

#[test]
fn typed_errors() {
    use PhoneError::*;
    assert_eq!(phone::parse(""), Err(Empty));
    assert_eq!(phone::parse("   "), Err(Empty));
    assert_eq!(phone::parse("SĐT:"), Err(Empty));
    assert_eq!(
        phone::parse("+84"),
        Err(TooShort {
            digits: 0,
            expected: 9
        })
    );
    assert_eq!(
        phone::parse("0902 666 98"),
        Err(TooShort {
            digits: 8,
            expected: 9
        })
    );
    assert_eq!(
        phone::parse("0902 666 9845"),
        Err(TooLong {
            digits: 10,
            expected: 9
        })
    );
    assert_eq!(
        phone::parse("024 3825 12"),
        Err(TooShort {
            digits: 8,
            expected: 10
        })
    );
    assert_eq!(
        phone::parse("+1 650 253 0000"),
        Err(ForeignCountryCode { code: 1 })
    );
    assert_eq!(
        phone::parse("0044 20 7031 3000"),
        Err(ForeignCountryCode { code: 44 })
    );
    assert!(
        matches!(phone::parse("+0902666984"), Err(UnknownCountryCode { code }) if code == "090")
    );
    assert!(
        matches!(phone::parse("0200 123 4567"), Err(UnknownPrefix { prefix }) if prefix == "0200")
    );
    assert!(matches!(phone::parse("0412 3456"), Err(UnknownPrefix { prefix }) if prefix == "04"));
    assert_eq!(
        phone::parse("0902 666 984 +"),
        Ok(phone::parse("0902666984").unwrap())
    );
    assert_eq!(
        phone::parse("0902+666984"),
        Err(InvalidChar {
            ch: '+',
            position: 4
        })
    );
    assert_eq!(phone::parse(&"9".repeat(251)), Err(InputTooLong));
    assert!(matches!(
        phone::parse(&"9".repeat(40)),
        Err(TooLong { digits: 40, .. })
    ));
}

#[test]
fn messages_in_vietnamese_and_english() {
    let msg = |input: &str, locale| phone::parse(input).unwrap_err().message(locale);
    assert_eq!(
        msg("0162 123 4567", Locale::Vi),
        "Số này đã đổi thành 0321 234 567 từ năm 2018, khi thuê bao di động 11 số chuyển sang 10 số."
    );
    assert_eq!(
        msg("0162 123 4567", Locale::En),
        "This number changed to 0321 234 567 in 2018, when 11-digit mobile numbers moved to 10 digits."
    );
    assert_eq!(
        msg("04 3825 1234", Locale::Vi),
        "Số này đã đổi thành 024 3825 1234 từ năm 2017, khi mã vùng điện thoại cố định thay đổi."
    );
    assert_eq!(
        msg("0902 666 98", Locale::Vi),
        "Số điện thoại còn thiếu 1 chữ số."
    );
    assert_eq!(
        msg("0902 666 98", Locale::En),
        "This phone number is missing 1 digit."
    );
    assert_eq!(
        msg("0902 666 98456", Locale::En),
        "This phone number has 2 digits too many."
    );
    assert_eq!(
        msg("0902 666 98a", Locale::Vi),
        "Số điện thoại không được có chữ cái (“a” ở vị trí thứ 12)."
    );
    assert_eq!(
        msg("09O2 666 984", Locale::Vi),
        "“O” ở vị trí thứ 3 là chữ cái, không phải chữ số. Có phải bạn định gõ số 0?"
    );
    assert_eq!(
        msg("0902\t666 984", Locale::En),
        "The character U+0009 at position 5 can't be used in a phone number. Use digits, with spaces, dots or dashes if you like."
    );
    assert_eq!(
        msg("+1 650 253 0000", Locale::Vi),
        "Đây là số nước ngoài (mã quốc gia +1). Vui lòng nhập số điện thoại Việt Nam."
    );
    assert!(msg("+0902666984", Locale::Vi)
        .starts_with("Sau dấu “+” phải là mã quốc gia, không phải số 0."));
    assert_eq!(
        msg("0200 123 4567", Locale::Vi),
        "Không có số điện thoại Việt Nam nào bắt đầu bằng 0200."
    );
    assert_eq!(
        msg("", Locale::Vi),
        "Chưa có chữ số nào. Vui lòng nhập số điện thoại."
    );
    assert_eq!(
        msg("abc", Locale::En),
        "There is no digit in it. Please enter a phone number."
    );
    // Display is the English message.
    let err = phone::parse("0162 123 4567").unwrap_err();
    assert_eq!(err.to_string(), err.message(Locale::En));
    let _: &dyn std::error::Error = &err;
}

#[test]
fn a_letter_o_in_front_is_a_label_like_in_libphonenumber() {
    // Text before the first digit is skipped, as libphonenumber does: "O902666984"
    // reads as 902 666 984, which is the mobile 0902 666 984.
    assert_eq!(e164("O902666984").as_deref(), Ok("+84902666984"));
}

// ---- the number type

#[test]
fn serde_uses_e164_and_validates() {
    let n = phone::parse("0902 666 984").unwrap();
    assert_eq!(serde_json::to_string(&n).unwrap(), "\"+84902666984\"");
    let back: PhoneNumber = serde_json::from_str("\"+84902666984\"").unwrap();
    assert_eq!(back, n);
    for bad in [
        "\"0902666984\"",
        "\"+84 902 666 984\"",
        "\"+84\"",
        "\"+841621234567\"",
        "\"+8490266698\"",
        "\"+1650253000\"",
        "84902666984",
    ] {
        assert!(serde_json::from_str::<PhoneNumber>(bad).is_err(), "{bad}");
    }
}

#[test]
fn equality_hash_debug_fromstr() {
    let a = phone::parse("+84 902 666 984").unwrap();
    let b: PhoneNumber = "0902.666.984".parse().unwrap();
    assert_eq!(a, b);
    assert_ne!(a, phone::parse("0902666985").unwrap());
    let set: HashSet<PhoneNumber> = [a.clone(), b, a.clone()].into_iter().collect();
    assert_eq!(set.len(), 1);
    assert_eq!(format!("{a:?}"), "PhoneNumber(+84902666984)");
}

// ---- hostile input

#[test]
fn a_megabyte_is_rejected_at_once() {
    let huge = "0".repeat(1 << 20);
    let mut best = Duration::MAX;
    for _ in 0..5 {
        let start = Instant::now();
        assert_eq!(phone::parse(&huge), Err(PhoneError::InputTooLong));
        best = best.min(start.elapsed());
    }
    assert!(best < Duration::from_micros(100), "took {best:?}");
    // Multi-byte characters: 250 of them are fine, 251 are not.
    let vietnamese = "đ".repeat(250);
    assert!(!matches!(
        phone::parse(&vietnamese),
        Err(PhoneError::InputTooLong)
    ));
    assert_eq!(
        phone::parse(&"đ".repeat(251)),
        Err(PhoneError::InputTooLong)
    );
}

#[test]
fn every_message_has_a_text_name_and_its_placeholders() {
    // (input, the text a host overrides its message by, the placeholders it fills)
    type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);
    let cases: &[Case] = &[
        ("", "phone_empty", &[]),
        (&"9".repeat(251), "phone_too_long_input", &[]),
        (
            "0902 666+984",
            "phone_plus_first",
            &[("ch", "+"), ("n", "9")],
        ),
        ("09O2 666 984", "phone_letter_o", &[("ch", "O"), ("n", "3")]),
        ("0902 666 98a", "phone_letter", &[("ch", "a"), ("n", "12")]),
        (
            "0902\t666 984",
            "phone_bad_char",
            &[("ch", "U+0009"), ("n", "5")],
        ),
        (
            "0902 666 98#",
            "phone_bad_char",
            &[("ch", "#"), ("n", "12")],
        ),
        ("+84", "phone_incomplete", &[("count", "9")]),
        ("0902 666 98", "phone_too_short", &[("count", "1")]),
        ("0902 666 98456", "phone_too_long", &[("count", "2")]),
        ("+1 650 253 0000", "phone_foreign", &[("code", "1")]),
        ("+0902666984", "phone_plus_zero", &[("code", "090")]),
        ("+999 123 456", "phone_unknown_country", &[("code", "999")]),
        (
            "0200 123 4567",
            "phone_unknown_prefix",
            &[("prefix", "0200")],
        ),
        (
            "0162 123 4567",
            "phone_obsolete_mobile",
            &[("value", "0321 234 567")],
        ),
        (
            "04 3825 1234",
            "phone_obsolete_landline",
            &[("value", "024 3825 1234")],
        ),
    ];
    let mut named = HashSet::new();
    for (input, name, placeholders) in cases {
        let err = phone::parse(input).unwrap_err();
        assert_eq!(err.text_name(), *name, "{input:?}: {err:?}");
        let expected: Vec<(&str, String)> = placeholders
            .iter()
            .map(|(k, v)| (*k, (*v).to_owned()))
            .collect();
        assert_eq!(err.placeholders(), expected, "{input:?}: {err:?}");
        assert!(placeholders.len() <= consent_form::wording::MAX_PLACEHOLDERS);
        // The placeholders the configuration accepts in a host's text for it.
        let names: Vec<&str> = placeholders.iter().map(|(k, _)| *k).collect();
        assert_eq!(consent_form::messages::placeholders(name), names, "{name}");
        if name.starts_with("phone_too_") {
            let one = format!("{name}_one");
            assert_eq!(consent_form::messages::placeholders(&one), names, "{one}");
        }
        named.insert(*name);
    }
    // Every name is some message's, and every message has one of them.
    let all: HashSet<&str> = PhoneError::TEXT_NAMES.iter().copied().collect();
    assert_eq!(named, all);
    assert_eq!(all.len(), PhoneError::TEXT_NAMES.len());
}

#[test]
fn letters_of_any_script_are_called_letters_and_symbols_are_not() {
    const SYMBOLS: &str = "~;!@#$%^&=_€…“”×÷😀\u{300}";
    // The message names a letter as a letter without Unicode's tables in the wasm.
    for ch in "aZĐđưỰàΩωЖж中한ก".chars() {
        let err = phone::parse(&format!("0902 66{ch} 984")).unwrap_err();
        assert_eq!(err.text_name(), "phone_letter", "{ch:?}: {err:?}");
    }
    for ch in SYMBOLS.chars() {
        let err = phone::parse(&format!("0902 66{ch} 984")).unwrap_err();
        assert_eq!(err.text_name(), "phone_bad_char", "{ch:?}: {err:?}");
    }
}
