//! `email::suggest`: corrections for mistyped provider domains, and silence otherwise.
#![cfg(not(target_arch = "wasm32"))]

use consent_form::email::{parse, suggest};

#[test]
fn corrects_typos_of_providers() {
    let cases = [
        // Letters swapped, missing, doubled, mistyped.
        ("ban@gmial.com", "ban@gmail.com"),
        ("ban@gamil.com", "ban@gmail.com"),
        ("ban@gmai.com", "ban@gmail.com"),
        ("ban@gmal.com", "ban@gmail.com"),
        ("ban@gmaill.com", "ban@gmail.com"),
        ("ban@gnail.com", "ban@gmail.com"),
        ("ban@gmailcom", "ban@gmail.com"),
        ("ban@yahooo.com", "ban@yahoo.com"),
        ("ban@yaho.com.vn", "ban@yahoo.com.vn"),
        ("ban@hotmial.com", "ban@hotmail.com"),
        ("ban@hotmal.com", "ban@hotmail.com"),
        ("ban@homail.com", "ban@hotmail.com"),
        ("ban@outlok.com", "ban@outlook.com"),
        ("ban@outloook.com", "ban@outlook.com"),
        ("ban@iclod.com", "ban@icloud.com"),
        ("ban@icoud.com", "ban@icloud.com"),
        ("ban@ymial.com", "ban@ymail.com"),
        ("ban@vietel.com.vn", "ban@viettel.com.vn"),
        ("ban@viettel.con.vn", "ban@viettel.com.vn"),
        ("ban@mobiphone.vn", "ban@mobifone.vn"),
        ("ban@fpt.con.vn", "ban@fpt.com.vn"),
        // Endings that are no top-level domain.
        ("ban@gmail.con", "ban@gmail.com"),
        ("ban@gmail.cmo", "ban@gmail.com"),
        ("ban@gmail.ocm", "ban@gmail.com"),
        ("ban@gmail.comm", "ban@gmail.com"),
        ("ban@gmial.con", "ban@gmail.com"),
        ("ban@yahoo.com.vm", "ban@yahoo.com.vn"),
        ("ban@fpt.vm", "ban@fpt.vn"),
        ("ban@vnn.vm", "ban@vnn.vn"),
        ("ban@hcm.vnn.vb", "ban@hcm.vnn.vn"),
        ("ban@vnpt.nv", "ban@vnpt.vn"),
        ("ban@congty.con", "ban@congty.com"),
        ("ban@congty.com.vm", "ban@congty.com.vn"),
        ("ban@congty.con.vn", "ban@congty.com.vn"),
        ("ban@congty.cmo.vm", "ban@congty.com.vn"),
        ("ban@hoi.ogr", "ban@hoi.org"),
        // A real ending slipped in for .com after a provider's name.
        ("ban@gmail.co", "ban@gmail.com"),
        ("ban@gmail.cm", "ban@gmail.com"),
        ("ban@hotmail.co", "ban@hotmail.com"),
        ("ban@yahoo.om", "ban@yahoo.com"),
        ("ban@gamil.co", "ban@gmail.com"),
        // A Vietnamese ending on an international provider, or none at all.
        ("ban@gmail.com.vn", "ban@gmail.com"),
        ("ban@hotmail.com.vn", "ban@hotmail.com"),
        ("ban@gmail.vn", "ban@gmail.com"),
        ("ban@yahoo.vn", "ban@yahoo.com.vn"),
        ("ban@gmail", "ban@gmail.com"),
        ("ban@yahoo", "ban@yahoo.com"),
        ("ban@fpt", "ban@fpt.vn"),
        // Stray dots, commas, spaces, a doubled @.
        ("ban@gmail.com.", "ban@gmail.com"),
        ("ban@gmail..com", "ban@gmail.com"),
        ("ban@.gmail.com", "ban@gmail.com"),
        ("ban@gmail,com", "ban@gmail.com"),
        ("ban@gmail;com", "ban@gmail.com"),
        ("ban @ gmail.com", "ban@gmail.com"),
        ("ban@gmail. com", "ban@gmail.com"),
        ("ban@@gmail.com", "ban@gmail.com"),
        ("ban@congty.vn.", "ban@congty.vn"),
        // Case and surroundings as parse normalizes them; the local part keeps its case.
        ("  Ban.An@GMIAL.COM\u{a0}", "Ban.An@gmail.com"),
        ("mailto:ban@gmial.com", "ban@gmail.com"),
    ];
    for (typed, meant) in cases {
        assert_eq!(suggest(typed).as_deref(), Some(meant), "{typed:?}");
    }
}

#[test]
fn silent_for_known_and_unrelated_domains() {
    for typed in [
        "ban@gmail.com",
        "Ban@Gmail.COM",
        " ban@gmail.com ",
        "ban@yahoo.com",
        "ban@yahoo.com.vn",
        "ban@outlook.com",
        "ban@outlook.com.vn",
        "ban@hotmail.com",
        "ban@icloud.com",
        "ban@ymail.com",
        "ban@googlemail.com",
        "ban@fpt.vn",
        "ban@fpt.com",
        "ban@fpt.com.vn",
        "ban@fpt.edu.vn",
        "ban@hcm.fpt.vn",
        "ban@vnn.vn",
        "ban@hcm.vnn.vn",
        "ban@hn.vnn.vn",
        "ban@dng.vnn.vn",
        "ban@vnpt.vn",
        "ban@viettel.com.vn",
        "ban@mobifone.vn",
        // Real domains near a provider's.
        "ban@mail.com",
        "ban@email.com",
        "ban@me.com",
        "ban@yahoo.ca",
        "ban@yahoo.co.jp",
        "ban@yahoo.com.au",
        "ban@yahoo.com.tw",
        "ban@hotmail.fr",
        "ban@outlook.de",
        "ban@gmx.de",
        "ban@ftu.edu.vn",
        "ban@vnu.edu.vn",
        "ban@hust.edu.vn",
        "ban@vnp.vn",
        "ban@life.com",
        // Unrelated.
        "ban@congty.vn",
        "ban@congty.com.vn",
        "ban@congty.co",
        "ban@abc.cm",
        "ban@ví-dụ.vn",
        "lien.he@trường-đại-học.edu.vn",
    ] {
        assert_eq!(suggest(typed), None, "{typed:?}");
    }
}

#[test]
fn silent_when_nothing_can_be_fixed() {
    for typed in [
        "",
        "   ",
        "ban",
        "gmail.com",
        "@gmail.com",
        "ban@",
        "ban@a@gmial.com",
        "ban an@gmial.com",
        "nguyễn@gmial.com",
        "ban@localhost",
        "ban@my_site.con",
    ] {
        assert_eq!(suggest(typed), None, "{typed:?}");
    }
    assert_eq!(suggest(&"x".repeat(1 << 20)), None);
    assert_eq!(suggest(&format!("ban@{}", "g".repeat(5000))), None);
}

#[test]
fn suggestions_parse_and_differ() {
    for typed in [
        "ban@gmial.com",
        "ban@gmail.com.",
        "ban @ gmail,com",
        "ban@fpt",
    ] {
        let s = suggest(typed).unwrap_or_default();
        let fixed = parse(&s).unwrap_or_else(|e| panic!("{s:?}: {e}"));
        assert_ne!(parse(typed).ok(), Some(fixed));
        // A suggestion needs no further suggestion.
        assert_eq!(suggest(&s), None, "{s:?}");
    }
}

#[test]
fn offers_the_address_out_of_a_pasted_name_or_label() {
    // Copied from a mail program's header, or a contact card's line: the address in it
    // is offered in one click (the message alone spoke of an accent "before the @").
    for (typed, meant) in [
        ("Nguyễn Văn A <an@vidu.vn>", "an@vidu.vn"),
        ("\"Trần B\" <b.tran@congty.com.vn>", "b.tran@congty.com.vn"),
        ("<an@vidu.vn>", "an@vidu.vn"),
        ("An <an@gmial.com>", "an@gmail.com"),
        ("Email: an@vidu.vn", "an@vidu.vn"),
        ("E-mail:an@vidu.vn", "an@vidu.vn"),
        ("Thư điện tử: an@yahoo.con", "an@yahoo.com"),
    ] {
        assert!(
            parse(typed).is_err(),
            "{typed:?} is not an address as it stands"
        );
        assert_eq!(suggest(typed).as_deref(), Some(meant), "{typed:?}");
    }
}
