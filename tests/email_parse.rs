//! `email::parse`: what is accepted, what is refused with which error, what is said.
#![cfg(not(target_arch = "wasm32"))]

use consent_form::email::{self, Email, EmailError};
use consent_form::locale::Locale;

fn ok(input: &str) -> Email {
    match email::parse(input) {
        Ok(e) => e,
        Err(err) => panic!("{input:?} refused: {err}"),
    }
}

fn err(input: &str) -> EmailError {
    match email::parse(input) {
        Ok(e) => panic!("{input:?} accepted as {e}"),
        Err(err) => err,
    }
}

#[test]
fn accepts_the_html_rule() {
    for address in [
        "ban@gmail.com",
        "a@b.vn",
        "nguyen.van.an+tin@cong-ty.com.vn",
        "a!#$%&'*+/=?^_`{|}~-.b@x.vn",
        "123@456.vn",
        "ban@xn--v-d-rma6749a.vn",
        "ban@ab--cd.vn",
        // The HTML rule puts no condition on dots in the local part.
        ".ban@gmail.com",
        "ban.@gmail.com",
        "b..an@gmail.com",
    ] {
        assert_eq!(ok(address).as_str(), address);
    }
}

#[test]
fn normalizes() {
    assert_eq!(ok(" Ban.An@Gmail.COM ").as_str(), "Ban.An@gmail.com");
    assert_eq!(
        ok("\u{a0}\u{200b}ban@gmail.com\u{feff}\t\n").as_str(),
        "ban@gmail.com"
    );
    assert_eq!(
        ok("\u{3000}ban@gmail.com\u{202c}").as_str(),
        "ban@gmail.com"
    );
    assert_eq!(ok("mailto:ban@gmail.com").as_str(), "ban@gmail.com");
    assert_eq!(ok("MAILTO: ban@gmail.com").as_str(), "ban@gmail.com");
    assert_eq!(ok("ｂａｎ＠ｇｍａｉｌ．ｃｏｍ").as_str(), "ban@gmail.com");
    assert_eq!(ok("ban@gmail。com").as_str(), "ban@gmail.com");
    assert_eq!(ok("ban@gm\r\nail.com").as_str(), "ban@gmail.com");
    assert_eq!(ok("ban@gmail.com"), ok(" ban@GMAIL.com\u{200e}"));
}

#[test]
fn internationalized_domains() {
    let e = ok("ban@ví-dụ.vn");
    assert_eq!(e.as_str(), "ban@ví-dụ.vn");
    assert_eq!(e.local_part(), "ban");
    assert_eq!(e.domain(), "ví-dụ.vn");
    assert_eq!(e.ascii_domain(), "xn--v-d-rma6749a.vn");
    assert_eq!(e.to_ascii(), "ban@xn--v-d-rma6749a.vn");
    // Capitals, and the same letters typed as base + combining marks (NFD, or the
    // Windows-1258 way: precomposed vowel + tone mark).
    assert_eq!(ok("ban@VÍ-DỤ.VN"), e);
    assert_eq!(ok("ban@vi\u{301}-du\u{323}.vn"), e);
    assert_eq!(ok("ban@VI\u{301}-DU\u{323}.vn"), e);
    let e = ok("lien.he@trường-đại-học.edu.vn");
    assert_eq!(
        e,
        ok("lien.he@tru\u{31b}o\u{31b}\u{300}ng-đa\u{323}i-ho\u{323}c.edu.vn")
    );
    assert_eq!(e, ok("lien.he@TRƯỜNG-ĐẠI-HỌC.EDU.VN"));
    assert_eq!(ok("ban@ậ.vn"), ok("ban@a\u{323}\u{302}.vn"));
    assert_eq!(ok("ban@ậ.vn"), ok("ban@a\u{302}\u{323}.vn"));
    assert_eq!(ok("ban@ậ.vn"), ok("ban@â\u{323}.vn"));
    assert_eq!(ok("a@中文.com").ascii_domain(), "xn--fiq228c.com");
    assert_eq!(ok("a@пример.рф").ascii_domain(), "xn--e1afmkfd.xn--p1ai");
    // An `xn--` label is ASCII to the HTML rule: taken as typed (lower-cased), not
    // decoded, whether or not it is valid Punycode (`xn--aa` is not; idna refuses it).
    assert_eq!(ok("a@xN--aa.vn").as_str(), "a@xn--aa.vn");
    assert_eq!(ok("a@xn--v-d-rma6749a.vn").domain(), "xn--v-d-rma6749a.vn");
    // An ASCII domain is borrowed.
    assert!(matches!(
        ok("a@b.vn").ascii_domain(),
        std::borrow::Cow::Borrowed("b.vn")
    ));
}

#[test]
fn refuses_with_the_right_error() {
    use EmailError::*;
    let cases: &[(&str, EmailError)] = &[
        ("", Empty),
        (" \u{a0}\u{200b} ", Empty),
        ("mailto:", Empty),
        ("bangmail.com", MissingAt),
        ("ban@an@gmail.com", MultipleAt),
        ("ban@@gmail.com", MultipleAt),
        ("@gmail.com", EmptyLocal),
        (
            "ban an@gmail.com",
            InvalidLocalChar {
                ch: ' ',
                position: 3,
            },
        ),
        (
            "nguyễn@gmail.com",
            InvalidLocalChar {
                ch: 'ễ',
                position: 4,
            },
        ),
        (
            "ban,an@gmail.com",
            InvalidLocalChar {
                ch: ',',
                position: 3,
            },
        ),
        (
            "\"ban\"@gmail.com",
            InvalidLocalChar {
                ch: '"',
                position: 0,
            },
        ),
        (
            "ban\u{7}@gmail.com",
            InvalidLocalChar {
                ch: '\u{7}',
                position: 3,
            },
        ),
        ("ban@", EmptyDomain),
        (
            "ban@gmail,com",
            InvalidDomainChar {
                ch: ',',
                position: 9,
            },
        ),
        (
            "ban@gmail .com",
            InvalidDomainChar {
                ch: ' ',
                position: 9,
            },
        ),
        (
            "ban@My_Site.vn",
            InvalidDomainChar {
                ch: '_',
                position: 6,
            },
        ),
        (
            "ban@[1.2.3.4]",
            InvalidDomainChar {
                ch: '[',
                position: 4,
            },
        ),
        (
            "ban@ví😀.vn",
            InvalidDomainChar {
                ch: '😀',
                position: 6,
            },
        ),
        (
            "ban@a–b.vn",
            InvalidDomainChar {
                ch: '–',
                position: 5,
            },
        ),
        (
            "ban@a\u{a0}b.vn",
            InvalidDomainChar {
                ch: '\u{a0}',
                position: 5,
            },
        ),
        (
            "ban@n\u{303}.vn",
            InvalidDomainChar {
                ch: '\u{303}',
                position: 5,
            },
        ),
        (
            "ban@\u{301}a.vn",
            InvalidDomainChar {
                ch: '\u{301}',
                position: 4,
            },
        ),
        (
            "ban@a.\u{301}vn",
            InvalidDomainChar {
                ch: '\u{301}',
                position: 6,
            },
        ),
        (
            "ban@a\u{301}\u{302}.vn",
            InvalidDomainChar {
                ch: '\u{302}',
                position: 6,
            },
        ),
        ("ban@gmail..com", EmptyLabel),
        ("ban@.gmail.com", EmptyLabel),
        ("ban@gmail.com.", EmptyLabel),
        (
            "ban@-abc.vn",
            LabelHyphen {
                label: "-abc".into(),
            },
        ),
        (
            "ban@ABC-.vn",
            LabelHyphen {
                label: "abc-".into(),
            },
        ),
        ("ban@abc.-", LabelHyphen { label: "-".into() }),
        ("ban@localhost", SingleLabel),
        ("ban@gmail", SingleLabel),
        ("ban@1.2.3.4", NumericTld),
        ("ban@cong-ty.123", NumericTld),
    ];
    for (input, expected) in cases {
        assert_eq!(&err(input), expected, "{input:?}");
    }
}

#[test]
fn lengths() {
    let label63 = "a".repeat(63);
    ok(&format!("ban@{label63}.vn"));
    assert_eq!(err(&format!("ban@a{label63}.vn")), EmailError::LabelTooLong);

    let local64 = "l".repeat(64);
    ok(&format!("{local64}@gmail.com"));
    assert_eq!(
        err(&format!("l{local64}@gmail.com")),
        EmailError::LocalTooLong
    );

    // 64 + 1 + 63 + 1 + 63 + 1 + 61 = 254 octets.
    let domain =
        |last: usize| format!("{}.{}.{}", "a".repeat(63), "b".repeat(63), "c".repeat(last));
    let longest = format!("{local64}@{}", domain(61));
    assert_eq!(longest.len(), 254);
    ok(&longest);
    assert_eq!(
        err(&format!("{local64}@{}", domain(62))),
        EmailError::TooLong
    );
    assert_eq!(err(&"a".repeat(300)), EmailError::TooLong);

    // Unicode labels are measured in octets of their ASCII form: 20 'ạ' give
    // "xn--" + 22 octets, 60 do not fit in 63.
    let e = ok(&format!("a@{}.vn", "ạ".repeat(20)));
    let ascii = e.ascii_domain();
    let first = ascii.split('.').next().unwrap_or_default();
    assert!(first.starts_with("xn--") && first.len() <= 63, "{first}");
    assert_eq!(
        err(&format!("a@{}.vn", "ạ".repeat(60))),
        EmailError::LabelTooLong
    );

    // Fewer than 254 characters, more than 254 octets in ASCII form.
    let labels = ["ví-dụ-một-tên-miền-khá-dài"; 5].join(".");
    let input = format!("{local64}@{labels}.vn");
    assert!(input.chars().count() <= 254);
    assert_eq!(err(&input), EmailError::TooLong);
}

fn all_errors() -> Vec<EmailError> {
    use EmailError::*;
    vec![
        Empty,
        TooLong,
        MissingAt,
        MultipleAt,
        EmptyLocal,
        LocalTooLong,
        InvalidLocalChar {
            ch: ' ',
            position: 3,
        },
        InvalidLocalChar {
            ch: 'ễ',
            position: 4,
        },
        InvalidLocalChar {
            ch: ',',
            position: 3,
        },
        EmptyDomain,
        InvalidDomainChar {
            ch: ' ',
            position: 9,
        },
        InvalidDomainChar {
            ch: ',',
            position: 9,
        },
        InvalidDomainChar {
            ch: '_',
            position: 6,
        },
        EmptyLabel,
        LabelTooLong,
        LabelHyphen {
            label: "-abc".into(),
        },
        SingleLabel,
        NumericTld,
    ]
}

#[test]
fn messages_in_both_languages() {
    let errors = all_errors();
    let vi: Vec<String> = errors.iter().map(|e| e.message(Locale::Vi)).collect();
    let en: Vec<String> = errors.iter().map(|e| e.message(Locale::En)).collect();
    for (i, e) in errors.iter().enumerate() {
        assert_eq!(e.to_string(), en[i], "Display is the English message");
        assert_ne!(vi[i], en[i]);
        // Vietnamese with its diacritics, English without.
        assert!(
            vi[i].chars().any(|c| {
                "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùý".contains(c)
            }),
            "{}",
            vi[i]
        );
        assert!(
            en[i].chars().all(|c| c.is_ascii() || "“”ễ".contains(c)),
            "{}",
            en[i]
        );
        assert!(vi[i].ends_with('.') && en[i].ends_with('.'));
        for (j, other) in errors.iter().enumerate().skip(i + 1) {
            assert!(
                vi[i] != vi[j] || e == other,
                "same message for {e:?} and {other:?}"
            );
            assert!(en[i] != en[j], "same message for {e:?} and {other:?}");
        }
    }
}

#[test]
fn messages_say_which_character_and_where() {
    let e = err("nguyễn@gmail.com");
    assert_eq!(
        e.message(Locale::Vi),
        "Phần trước ký tự @ phải viết không dấu: không dùng được “ễ” (ký tự thứ 5)."
    );
    assert!(e.message(Locale::En).contains("“ễ” (character 5)"));
    let e = err("ban an@gmail.com");
    assert_eq!(
        e.message(Locale::Vi),
        "Địa chỉ email không được có dấu cách (ký tự thứ 4)."
    );
    let e = err("ban@gmail,com");
    assert_eq!(
        e.message(Locale::Vi),
        "Tên miền dùng dấu chấm, không dùng dấu phẩy (ký tự thứ 10)."
    );
    let e = err("ban@My_Site.vn");
    assert_eq!(
        e.message(Locale::En),
        "The domain can't contain “_” (character 7)."
    );
    // Invisible characters are named by code point.
    let e = err("ban@n\u{303}.vn");
    assert!(
        e.message(Locale::Vi).contains("“U+0303” (ký tự thứ 6)"),
        "{}",
        e.message(Locale::Vi)
    );
    let e = err("ban\u{7}@gmail.com");
    assert!(e.message(Locale::En).contains("U+0007"));
    let e = err("ban@-abc.vn");
    assert!(e.message(Locale::Vi).contains("“-abc”"));
    assert_eq!(
        err("ban@localhost").message(Locale::Vi),
        "Tên miền chưa đầy đủ, còn thiếu phần đuôi như .com hay .vn (ví dụ: gmail.com)."
    );
}

#[test]
fn error_is_a_std_error() {
    fn takes(_: &dyn std::error::Error) {}
    takes(&EmailError::Empty);
}

#[test]
fn serde_as_a_string() {
    let e = ok("Ban@Gmail.com");
    assert_eq!(serde_json::to_string(&e).unwrap(), "\"Ban@gmail.com\"");
    let back: Email = serde_json::from_str("\" Ban@GMAIL.com \"").unwrap();
    assert_eq!(back, e);
    let bad = serde_json::from_str::<Email>("\"ban.gmail.com\"").unwrap_err();
    assert!(bad.to_string().contains("needs an @"), "{bad}");
    assert!(serde_json::from_str::<Email>("42").is_err());
    let idn: Email = serde_json::from_str("\"ban@VI\\u0301-DU\\u0323.vn\"").unwrap();
    assert_eq!(serde_json::to_string(&idn).unwrap(), "\"ban@ví-dụ.vn\"");
}

#[test]
fn from_str_and_conversions() {
    let e: Email = "ban@gmail.com".parse().unwrap();
    assert_eq!(e.to_string(), "ban@gmail.com");
    assert_eq!(AsRef::<str>::as_ref(&e), "ban@gmail.com");
    assert_eq!(String::from(e), "ban@gmail.com");
    assert_eq!("ban".parse::<Email>(), Err(EmailError::MissingAt));
}

#[test]
fn every_message_has_a_text_name_and_its_placeholders() {
    // One error per distinct message, in the order of the names.
    let names: Vec<&str> = all_errors().iter().map(EmailError::text_name).collect();
    assert_eq!(names, EmailError::TEXT_NAMES);
    let placeholders = |input: &str| -> Vec<(&'static str, String)> { err(input).placeholders() };
    let pairs = |list: &[(&'static str, &str)]| -> Vec<(&'static str, String)> {
        list.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
    };
    assert_eq!(
        placeholders("nguyễn@gmail.com"),
        pairs(&[("ch", "ễ"), ("n", "5")])
    );
    assert_eq!(
        placeholders("ban@n\u{303}.vn"),
        pairs(&[("ch", "U+0303"), ("n", "6")])
    );
    assert_eq!(
        placeholders("ban@gmail,com"),
        pairs(&[("ch", ","), ("n", "10")])
    );
    assert_eq!(placeholders("ban@-abc.vn"), pairs(&[("label", "-abc")]));
    assert_eq!(placeholders("ban@gmail"), pairs(&[]));
    for e in all_errors() {
        assert!(e.placeholders().len() <= consent_form::wording::MAX_PLACEHOLDERS);
        // The placeholders the configuration accepts in a host's text for it.
        let names: Vec<&str> = e.placeholders().iter().map(|(k, _)| *k).collect();
        assert_eq!(
            consent_form::messages::placeholders(e.text_name()),
            names,
            "{}",
            e.text_name()
        );
    }
}
