//! The texts the logic modules word themselves — phone and e-mail errors, days, the
//! receipt's time — with the host's overrides.
//!
//! Their built-in wording stays in [`crate::phone`], [`crate::email`],
//! [`crate::schedule`] and [`crate::receipt`] (so it is not in the wasm twice, and
//! those modules need no [`Texts`]); each has a name a host can give a text for, like
//! any in [`crate::messages`], with placeholders in braces.

use crate::email::EmailError;
use crate::messages::{fill, Texts};
use crate::phone::PhoneError;
use crate::receipt::Receipt;
use crate::schedule::Day;

/// The names of these texts, by the module that words them; last, the singular forms a
/// host may give for the errors that count digits (their built-in wording needs none).
pub const TEXT_NAMES: &[&[&str]] = &[
    PhoneError::TEXT_NAMES,
    EmailError::TEXT_NAMES,
    Day::TEXT_NAMES,
    &[Receipt::TIME_FORMAT_TEXT],
    &["phone_too_short_one", "phone_too_long_one"],
];

/// `template` filled with `values`: an error's [`PhoneError::placeholders`] or
/// [`EmailError::placeholders`], at most [`MAX_PLACEHOLDERS`] of them (borrowed in
/// place, not collected again).
fn fill_with(name: &str, template: &str, values: &[(&'static str, String)]) -> String {
    crate::messages::debug_assert_fills(name, values.iter().map(|(k, _)| *k));
    let mut pairs = [("", ""); MAX_PLACEHOLDERS];
    for (pair, (k, v)) in pairs.iter_mut().zip(values) {
        *pair = (k, v);
    }
    fill(template, &pairs[..values.len().min(MAX_PLACEHOLDERS)])
}

/// The most placeholders an error fills (`{ch}` and `{n}`).
pub const MAX_PLACEHOLDERS: usize = 2;

/// What is wrong with a phone number, as the host words it or built in. For a
/// `{count}` of 1, the host's singular form (`phone_too_short_one`) if they gave one.
pub fn phone_error(err: &PhoneError, texts: &Texts) -> String {
    let values = err.placeholders();
    let one = values
        .iter()
        .any(|(name, value)| *name == "count" && value == "1");
    let name = err.text_name();
    let singular = one.then(|| texts.named(&[name, "_one"].concat())).flatten();
    match singular.or_else(|| texts.named(name)) {
        Some(text) => fill_with(name, text, &values),
        None => err.message(texts.locale()),
    }
}

/// What is wrong with an e-mail address, as the host words it or built in.
pub fn email_error(err: &EmailError, texts: &Texts) -> String {
    match texts.named(err.text_name()) {
        Some(text) => fill_with(err.text_name(), text, &err.placeholders()),
        None => err.message(texts.locale()),
    }
}

/// The names of `day`'s weekday and month, the host's or built in.
fn names(day: Day, texts: &Texts) -> (&str, String) {
    let locale = texts.locale();
    let weekday = texts
        .named(day.weekday_text())
        .unwrap_or_else(|| day.weekday_name(locale));
    let month = match texts.named(day.month_text()) {
        Some(month) => month.to_owned(),
        None => day.month_name(locale),
    };
    (weekday, month)
}

/// `format` filled with `day`'s values and `more`: `{weekday}` and `{month}` (the
/// host's or built in), `{d}` and `{dd}` the day of the month (`5`, `05`), `{m}` and
/// `{mm}` the month's number, `{yyyy}` the year.
fn fill_day(name: &str, format: &str, day: Day, texts: &Texts, more: &[(&str, &str)]) -> String {
    let (weekday, month) = names(day, texts);
    let (y, m, d) = day.ymd();
    let (dd, mm, yyyy) = (format!("{d:02}"), format!("{m:02}"), format!("{y:04}"));
    let mut values = vec![
        ("weekday", weekday),
        ("month", &month),
        ("d", dd.trim_start_matches('0')),
        ("m", mm.trim_start_matches('0')),
        ("dd", &dd),
        ("mm", &mm),
        ("yyyy", &yyyy),
    ];
    values.extend_from_slice(more);
    crate::messages::debug_assert_fills(name, values.iter().map(|(k, _)| *k));
    fill(format, &values)
}

/// A day as the day select, its errors and the receipt show it: "Thứ Hai, 24/11",
/// "Mon 24 Nov", or as the host words it (`day_format`, `weekday_N`, `month_N`).
pub fn day(day: Day, texts: &Texts) -> String {
    match texts.named(Day::FORMAT_TEXT) {
        Some(format) => fill_day(Day::FORMAT_TEXT, format, day, texts, &[]),
        None => {
            let (weekday, month) = names(day, texts);
            day.label_with(texts.locale(), weekday, &month)
        }
    }
}

/// When a receipt's submission was made: `16:59:54 23/11/2026 (GMT+07:00)`, or as the
/// host words it (`receipt_time_format`: `{time}` `16:59:54`, `{offset}` `+07:00`, and
/// the day's values as in `day_format`).
pub fn receipt_time(receipt: &Receipt, texts: &Texts) -> String {
    let parts = receipt.time_parts();
    match (texts.named(Receipt::TIME_FORMAT_TEXT), parts) {
        (Some(format), Some((date, clock, offset))) => match Day::parse(date) {
            Some(day) => fill_day(
                Receipt::TIME_FORMAT_TEXT,
                format,
                day,
                texts,
                &[("time", clock), ("offset", offset)],
            ),
            None => receipt.time_for_people(),
        },
        _ => receipt.time_for_people(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ByName;
    use crate::locale::Locale;

    fn texts(locale: Locale, overrides: &[(&str, &str)]) -> Texts {
        let overrides: ByName<String> = overrides
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Texts::new(locale, overrides)
    }

    #[test]
    fn the_host_words_a_phone_error_and_the_others_stay_built_in() {
        let short = crate::phone::parse("0902 666 98").unwrap_err();
        let plain = texts(Locale::En, &[]);
        assert_eq!(phone_error(&short, &plain), short.message(Locale::En));
        let host = texts(
            Locale::En,
            &[("phone_too_short", "{count} more digit(s), please.")],
        );
        assert_eq!(phone_error(&short, &host), "1 more digit(s), please.");
        // With a singular form, a count of 1 takes it; other counts the usual one.
        let host = texts(
            Locale::En,
            &[
                ("phone_too_short", "{count} more digits, please."),
                ("phone_too_short_one", "One more digit, please."),
            ],
        );
        assert_eq!(phone_error(&short, &host), "One more digit, please.");
        let shorter = crate::phone::parse("0902 666 9").unwrap_err();
        assert_eq!(phone_error(&shorter, &host), "2 more digits, please.");
        let foreign = crate::phone::parse("+1 650 253 0000").unwrap_err();
        assert_eq!(phone_error(&foreign, &host), foreign.message(Locale::En));
    }

    #[test]
    fn the_host_words_an_email_error() {
        let err = crate::email::parse("ban@gmail,com").unwrap_err();
        let host = texts(
            Locale::Vi,
            &[("email_domain_comma", "Dấu phẩy ở ký tự {n}: dùng dấu chấm.")],
        );
        assert_eq!(
            email_error(&err, &host),
            "Dấu phẩy ở ký tự 10: dùng dấu chấm."
        );
        let plain = texts(Locale::Vi, &[]);
        assert_eq!(email_error(&err, &plain), err.message(Locale::Vi));
    }

    #[test]
    fn days_with_the_hosts_names_and_format() {
        // A Monday in November.
        let monday = Day::parse("2026-11-23").unwrap();
        for locale in [Locale::Vi, Locale::En] {
            assert_eq!(day(monday, &texts(locale, &[])), monday.label(locale));
        }
        let en = texts(
            Locale::En,
            &[("weekday_1", "Monday"), ("month_11", "November")],
        );
        assert_eq!(day(monday, &en), "Monday 23 November");
        // Another day keeps its built-in name.
        let tuesday = monday.next();
        assert_eq!(day(tuesday, &en), "Tue 24 November");
        let vi = texts(
            Locale::Vi,
            &[
                ("weekday_1", "T2"),
                ("day_format", "{weekday} {d}.{m}.{yyyy} ({month})"),
            ],
        );
        assert_eq!(day(monday, &vi), "T2 23.11.2026 (tháng 11)");
        assert_eq!(day(tuesday, &vi), "Thứ Ba 24.11.2026 (tháng 11)");
    }

    #[test]
    fn the_receipt_time_as_the_host_words_it() {
        let receipt = Receipt {
            id: "msg_1".into(),
            submitted_at: "2026-11-23T16:59:54.589+07:00".into(),
            form: crate::fields::FormKind::Contact,
            controller: "ACME".into(),
            policy_url: "/p".into(),
            policy_version: None,
            lines: vec![],
            body: "{}".into(),
        };
        let plain = texts(Locale::Vi, &[]);
        assert_eq!(
            receipt_time(&receipt, &plain),
            "16:59:54 23/11/2026 (GMT+07:00)"
        );
        let host = texts(
            Locale::Vi,
            &[
                (
                    "receipt_time_format",
                    "{time}, {weekday} {dd}/{mm}/{yyyy} (UTC{offset})",
                ),
                ("weekday_1", "thứ hai"),
            ],
        );
        assert_eq!(
            receipt_time(&receipt, &host),
            "16:59:54, thứ hai 23/11/2026 (UTC+07:00)"
        );
        // A time that cannot be read is shown as written, override or not.
        let odd = Receipt {
            submitted_at: "nonsense".into(),
            ..receipt
        };
        assert_eq!(receipt_time(&odd, &host), "nonsense");
    }

    #[test]
    fn every_name_is_unique_and_every_placeholder_known() {
        let names: Vec<&str> = TEXT_NAMES.iter().copied().flatten().copied().collect();
        for (i, name) in names.iter().enumerate() {
            assert!(!names[..i].contains(name), "{name} twice");
            assert!(
                crate::messages::Key::from_name(name).is_none(),
                "{name} is a Key too"
            );
            assert!(crate::messages::is_text_name(name));
        }
        assert!(!crate::messages::is_text_name("phone_to_short"));
        for name in Day::TEXT_NAMES.iter().filter(|n| **n != Day::FORMAT_TEXT) {
            assert!(crate::messages::placeholders(name).is_empty(), "{name}");
        }
    }

    #[test]
    fn every_name_is_documented() {
        let docs = include_str!("../docs/embedding.md");
        let section = docs
            .split_once("### Texts of the checks and dates")
            .expect("docs/embedding.md has the section")
            .1;
        for name in TEXT_NAMES.iter().copied().flatten() {
            // weekday_N and month_N are listed as ranges.
            let listed = match name.rsplit_once('_') {
                Some((stem @ ("weekday" | "month"), _)) => format!("`{stem}_1` …"),
                _ => format!("`{name}`"),
            };
            assert!(section.contains(&listed), "{name} in docs/embedding.md");
        }
    }
}
