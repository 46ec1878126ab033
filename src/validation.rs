//! What the visitor typed, checked field by field: the message to show, the one-click
//! fix to offer, and the clean value that goes into the payload.

use crate::config::Config;
use crate::email;
use crate::fields::{Control, FieldName, FieldValues};
use crate::messages::{Key, Texts};
use crate::phone::{self, PhoneError};
use crate::schedule::Day;

/// The verdict on one field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldCheck {
    /// What is wrong, in the visitor's language; `None` when the value is acceptable.
    pub error: Option<String>,
    /// A corrected value the visitor can take in one click (obsolete number, e-mail typo).
    pub fix: Option<String>,
    /// A line that confirms or questions the value ("Did you mean …?").
    pub note: Option<String>,
    /// The value as it goes into the payload (phone in E.164), when acceptable.
    pub clean: Option<String>,
}

/// The label of a field in the visitor's language.
pub fn label(field: FieldName, texts: &Texts) -> &str {
    texts.get(match field {
        FieldName::Company => Key::LabelCompany,
        FieldName::Name => Key::LabelName,
        FieldName::Industry => Key::LabelIndustry,
        FieldName::Need => Key::LabelNeed,
        FieldName::Phone => Key::LabelPhone,
        FieldName::Email => Key::LabelEmail,
        FieldName::CallbackDate => Key::LabelCallbackDate,
        FieldName::CallbackWindow => Key::LabelCallbackWindow,
        FieldName::Topic => Key::LabelTopic,
        FieldName::GuardianName => Key::LabelGuardianName,
        FieldName::GuardianPhone => Key::LabelGuardianPhone,
    })
}

/// The label with its first letter in lower case, for use inside a sentence. Without
/// Unicode's case tables (they and the letter table `phone::error` also avoids were
/// 9.8 KB gzip of wasm): the letters of Vietnamese, Latin, Greek and Cyrillic are
/// lowered, others kept as written.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => std::iter::once(crate::email::idn::lower(first))
            .chain(chars)
            .collect(),
        None => String::new(),
    }
}

/// Checks one field's raw value on its own (the callback window against the chosen day
/// is checked by [`check_all`]).
pub fn check_field(
    field: FieldName,
    raw: &str,
    required: bool,
    config: &Config,
    texts: &Texts,
) -> FieldCheck {
    // Spaces and the invisible characters copy and paste brings along (zero-width
    // spaces and joiners, bidi marks, word joiner, BOM, soft hyphen) do not fill a
    // field; nor do characters that show as nothing, used for a "blank" name where
    // spaces are refused (the Hangul fillers, the Braille blank, the Mongolian vowel
    // separator).
    let value = raw.trim_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '\u{200B}'
                    ..='\u{200F}'
                        | '\u{202A}'..='\u{202E}'
                        | '\u{2066}'..='\u{2069}'
                        | '\u{2060}'
                        | '\u{FEFF}'
                        | '\u{AD}'
                        | '\u{115F}'
                        | '\u{1160}'
                        | '\u{180E}'
                        | '\u{2800}'
                        | '\u{3164}'
                        | '\u{FFA0}'
            )
    });
    let name = lower_first(label(field, texts));
    if value.is_empty() {
        let error = required.then(|| match field.control() {
            Control::Select => texts.fill(Key::ErrChoose, &[("label", &name)]),
            _ => texts.fill(Key::ErrRequired, &[("label", &name)]),
        });
        return FieldCheck {
            error,
            clean: (!required).then(String::new),
            ..FieldCheck::default()
        };
    }
    let len = value.chars().count();
    let phone = matches!(field, FieldName::Phone | FieldName::GuardianPhone);
    if len > field.max_chars() {
        // A number with a long note after it is offered like one with a short note.
        let offered = phone
            .then(|| phone::parse(value).err())
            .flatten()
            .and_then(|err| number_offered(value, &err, texts));
        if let Some(check) = offered {
            return check;
        }
        let (n, len) = (field.max_chars().to_string(), len.to_string());
        return FieldCheck {
            error: Some(texts.fill(Key::ErrTooLong, &[("n", &n), ("len", &len)])),
            ..FieldCheck::default()
        };
    }
    match field {
        _ if phone => check_phone(value, texts),
        FieldName::Email => check_email(value, texts),
        FieldName::Industry if !config.industries.iter().any(|i| i == value) => FieldCheck {
            error: Some(texts.fill(Key::ErrChoose, &[("label", &name)])),
            ..FieldCheck::default()
        },
        FieldName::CallbackDate if Day::parse(value).is_none() => FieldCheck {
            error: Some(texts.fill(Key::ErrChoose, &[("label", &name)])),
            ..FieldCheck::default()
        },
        _ => FieldCheck::accepted(value.to_owned()),
    }
}

impl FieldCheck {
    fn accepted(clean: String) -> FieldCheck {
        FieldCheck {
            clean: Some(clean),
            ..FieldCheck::default()
        }
    }
}

fn check_phone(value: &str, texts: &Texts) -> FieldCheck {
    match phone::parse(value) {
        Ok(number) => {
            let national = number.national();
            let (note, fix) = match old_saigon_landline(value) {
                Some(landline) => {
                    let landline = landline.national();
                    let values = [("value", national.as_str()), ("landline", &landline)];
                    (texts.fill(Key::PhoneOldLandline, &values), Some(landline))
                }
                None => (texts.fill(Key::PhoneOk, &[("value", &national)]), None),
            };
            FieldCheck {
                note: Some(note),
                fix,
                clean: Some(number.e164()),
                error: None,
            }
        }
        Err(err) => {
            if let Some(check) = number_offered(value, &err, texts) {
                return check;
            }
            let err = match err {
                PhoneError::UnknownPrefix { .. } => renumbered_in_progress(value).unwrap_or(err),
                err => err,
            };
            let fix = match &err {
                PhoneError::Obsolete { corrected, .. } => Some(corrected.national()),
                _ => None,
            };
            FieldCheck {
                error: Some(crate::wording::phone_error(&err, texts)),
                fix,
                ..FieldCheck::default()
            }
        }
    }
}

/// The landline a valid number typed as Hồ Chí Minh City's were before 2017 would be
/// today: area code 08 apart, then 8 digits ("08 3822 1234", "(08) 3822 1234",
/// "+84 8 3822 1234"), which now reads as a mobile (0838 221 234), as it must (SPEC: a
/// valid number is that number). The landline, 028 and the same 8 digits, is offered
/// beside it, never instead. Typed otherwise (0838 221 234), nothing is offered.
fn old_saigon_landline(value: &str) -> Option<phone::PhoneNumber> {
    let groups: Vec<&str> = value
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let subscriber = match groups.as_slice() {
        ["08", rest @ ..] | ["84" | "0084", "8" | "08", rest @ ..] => rest,
        ["84" | "0084", "0", "8", rest @ ..] => rest,
        _ => return None,
    }
    .concat();
    if subscriber.len() != 8 {
        return None;
    }
    phone::parse(&["028", &subscriber].concat())
        .ok()
        .filter(|n| n.kind() == phone::PhoneKind::FixedLine)
}

/// Two numbers in the field, or a number with a note after it (`value`, which reads as
/// no number for `err`): refused as typed, with the (first) number offered in one click.
fn number_offered(value: &str, err: &PhoneError, texts: &Texts) -> Option<FieldCheck> {
    if !matches!(
        err,
        PhoneError::TooLong { .. } | PhoneError::InvalidChar { .. }
    ) {
        return None;
    }
    let (key, number) = match two_numbers(value) {
        Some(first) => (Key::PhoneTwoNumbers, first),
        None => (Key::PhoneNote, number_before_note(value, err)?),
    };
    Some(FieldCheck {
        error: Some(texts.get(key).to_owned()),
        fix: Some(number.national()),
        ..FieldCheck::default()
    })
}

/// A number with a note after it ("0912 345 678 (Zalo)", "… - anh Nam"): the number,
/// when the text before the note's first letter (`err`) is one. Not when the note has
/// a digit: an extension or a second number would be dropped.
fn number_before_note(value: &str, err: &PhoneError) -> Option<phone::PhoneNumber> {
    let PhoneError::InvalidChar { position, .. } = *err else {
        return None;
    };
    let digit = |c: char| c.is_ascii_digit() || ('\u{FF10}'..='\u{FF19}').contains(&c);
    let (number, note) = value.split_at(value.char_indices().nth(position)?.0);
    if note.chars().any(digit) {
        return None;
    }
    phone::parse(number.trim_end_matches(|c: char| !digit(c))).ok()
}

/// Two numbers typed in one field ("0902 666 984 / 0913 123 456", "… hoặc …"): the
/// first, when both are numbers. Offered in one click; the visitor may type the other
/// in the message field.
fn two_numbers(value: &str) -> Option<phone::PhoneNumber> {
    const BETWEEN: [&str; 9] = ["/", ",", ";", "|", " - ", " hoặc ", " or ", " và ", " and "];
    BETWEEN.iter().find_map(|between| {
        let (first, second) = crate::search::split_once(value, between)?;
        let first = phone::parse(first).ok()?;
        phone::parse(second).ok()?;
        Some(first)
    })
}

/// The beginning of a number renumbered in 2017 or 2018, still being typed ("0168 123"):
/// no number starts so today, but up to four more digits make an old number the form
/// corrects in one click. Said as the digits still missing, not as a beginning no number
/// has. (`digits` is only there for the count: the message says what is missing.)
fn renumbered_in_progress(value: &str) -> Option<PhoneError> {
    let mut longer = value.to_owned();
    for missing in 1..=4u8 {
        longer.push('0');
        if matches!(phone::parse(&longer), Err(PhoneError::Obsolete { .. })) {
            return Some(PhoneError::TooShort {
                digits: 1,
                expected: 1 + missing,
            });
        }
    }
    None
}

fn check_email(value: &str, texts: &Texts) -> FieldCheck {
    let suggestion = email::suggest(value);
    let note = suggestion
        .as_deref()
        .map(|s| texts.fill(Key::EmailSuggestion, &[("value", s)]));
    match email::parse(value) {
        Ok(address) => FieldCheck {
            note,
            fix: suggestion,
            // The domain in ASCII form: browsers differ (Chromium turns `ví-dụ.vn` in
            // an e-mail input into `xn--v-d-rma6749a.vn`, others may keep it), the
            // payload must not.
            clean: Some(address.to_ascii().into_owned()),
            error: None,
        },
        Err(err) => {
            let mut error = crate::wording::email_error(&err, texts);
            if let Some(note) = &note {
                error.push(' ');
                error.push_str(note);
            }
            FieldCheck {
                error: Some(error),
                fix: suggestion,
                note: None,
                clean: None,
            }
        }
    }
}

/// Checks the whole form: each shown field's verdict, in form order; then, for a
/// visitor who said they are under 16 (`minor`, where the host asks for a guardian),
/// their parent's or guardian's name and phone, both required.
pub fn check_all(
    config: &Config,
    texts: &Texts,
    values: &FieldValues,
    minor: bool,
    now_ms: i64,
) -> Vec<(FieldName, FieldCheck)> {
    let guardian = FieldName::GUARDIAN.map(|field| (field, true));
    let asked = match config.guardian && minor {
        true => &guardian[..],
        false => &[],
    };
    let mut checks: Vec<(FieldName, FieldCheck)> = config
        .fields
        .iter()
        .chain(asked)
        .map(|&(field, required)| {
            let raw = values.get(&field).map(String::as_str).unwrap_or("");
            (field, check_field(field, raw, required, config, texts))
        })
        .collect();
    // No day at all to offer now (business hours that allow one at other times): the
    // form says so in place of the day and time (text `no_days`), and cannot be sent.
    if no_day_to_offer(config, now_ms) {
        for (field, check) in checks.iter_mut() {
            *check = match field {
                FieldName::CallbackDate => FieldCheck {
                    error: Some(no_days(config, texts)),
                    ..FieldCheck::default()
                },
                FieldName::CallbackWindow => FieldCheck::default(),
                _ => continue,
            };
        }
        return checks;
    }
    // The slot may have passed while the visitor waited. If the whole day has, the day
    // select no longer offers it (and shows none): the day is asked for again, by name.
    // Otherwise the window must be one still offered on that day.
    let date = values
        .get(&FieldName::CallbackDate)
        .map(String::as_str)
        .unwrap_or("");
    if let Some(day) = Day::parse(date) {
        let hours = &config.business_hours;
        let day_gone = !hours.days_from(now_ms).contains(&day);
        for (field, check) in checks.iter_mut() {
            let error = match field {
                FieldName::CallbackDate if day_gone => {
                    texts.fill(Key::ErrDay, &[("value", &crate::wording::day(day, texts))])
                }
                FieldName::CallbackWindow
                    if !day_gone
                        && check
                            .clean
                            .as_ref()
                            .is_some_and(|w| !w.is_empty() && !hours.offers(date, w, now_ms)) =>
                {
                    texts.get(Key::ErrSlot).to_owned()
                }
                _ => continue,
            };
            *check = FieldCheck {
                error: Some(error),
                ..FieldCheck::default()
            };
        }
    }
    checks
}

/// Whether the form asks for a callback day and has none to offer at `now_ms`: every
/// day within `days_ahead` is closed, a holiday or past its last window (what the
/// configuration alone decides is refused before: [`crate::schedule::BusinessHours::problems`]).
pub fn no_day_to_offer(config: &Config, now_ms: i64) -> bool {
    config
        .fields
        .iter()
        .any(|(field, _)| *field == FieldName::CallbackDate)
        && config.business_hours.days_from(now_ms).is_empty()
}

/// What the visitor reads when no callback day can be chosen now (text `no_days`).
fn no_days(config: &Config, texts: &Texts) -> String {
    texts.fill(Key::NoDays, &[("controller", &config.controller)])
}

/// The clean values of a fully valid form, keyed by field; `None` if any field fails.
/// Optional fields left empty have an empty value.
pub fn clean_values(checks: &[(FieldName, FieldCheck)]) -> Option<FieldValues> {
    checks
        .iter()
        .map(|(field, check)| match (&check.error, &check.clean) {
            (None, Some(clean)) => Some((*field, clean.clone())),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::Locale;

    #[test]
    fn a_label_inside_a_sentence_starts_in_lower_case() {
        assert_eq!(lower_first("Điện thoại"), "điện thoại");
        assert_eq!(lower_first("Ảnh"), "ảnh");
        assert_eq!(lower_first("E-mail"), "e-mail");
        assert_eq!(lower_first("Имя"), "имя");
        assert_eq!(lower_first("名前"), "名前");
        assert_eq!(lower_first(""), "");
    }

    #[test]
    fn two_numbers_in_the_field_are_said_to_be_two_and_the_first_is_offered() {
        let texts = Texts::new(Locale::Vi, Default::default());
        let two = texts.get(Key::PhoneTwoNumbers);
        for value in [
            "0902 666 984 / 0913 123 456",
            "0902666984, 0913123456",
            "0902.666.984 - 0913.123.456",
            "0902 666 984 hoặc 024 3825 1234",
        ] {
            let check = check_phone(value, &texts);
            assert_eq!(check.error.as_deref(), Some(two), "{value}");
            assert_eq!(check.fix.as_deref(), Some("0902 666 984"), "{value}");
            assert_eq!(check.clean, None);
        }
        // One number too long, or a number and something else, are what they are.
        assert_ne!(
            check_phone("0902 666 984 0913", &texts).error.as_deref(),
            Some(two)
        );
        assert_ne!(
            check_phone("0902 666 984 / 12", &texts).error.as_deref(),
            Some(two)
        );
    }

    #[test]
    fn a_number_with_a_note_after_it_is_offered_without_the_note() {
        let texts = Texts::new(Locale::Vi, Default::default());
        let note = texts.get(Key::PhoneNote);
        for (value, number) in [
            ("0912 345 678 (Zalo)", "0912 345 678"),
            ("SĐT: 0912 345 678 - anh Nam", "0912 345 678"),
            ("0902666984 zalo", "0902 666 984"),
            ("+84 902 666 984, Zalo", "0902 666 984"),
            ("024 3825 1234 (giờ hành chính)", "024 3825 1234"),
        ] {
            let check = check_phone(value, &texts);
            assert_eq!(check.error.as_deref(), Some(note), "{value}");
            assert_eq!(check.fix.as_deref(), Some(number), "{value}");
            assert_eq!(check.clean, None, "{value}: refused as typed");
        }
        // Digits in the note may belong to the number (an extension, a second
        // number): nothing is offered that would drop them; nor for letters among the
        // digits, or a number that is not one without its note.
        for value in [
            "0912 345 678 máy lẻ 12",
            "0912 345 678 ext 3",
            "0912 345 678, gọi sau 17h",
            "0912 34a 678",
            "0912 345 67 (Zalo)",
            "Zalo 0912 345 678",
        ] {
            let check = check_phone(value, &texts);
            assert_ne!(check.error.as_deref(), Some(note), "{value}");
            assert_eq!(check.fix, None, "{value}");
        }
    }

    #[test]
    fn a_number_with_a_long_note_after_it_is_offered_like_one_with_a_short_note() {
        // Over the field's 40 characters, the note included: the number is still
        // offered in one click, not "too long".
        let config = config("contact");
        let texts = Texts::new(Locale::Vi, Default::default());
        let note = texts.get(Key::PhoneNote);
        for field in [FieldName::Phone, FieldName::GuardianPhone] {
            for (value, number) in [
                (
                    "0912 345 678 - anh Nam gọi sau giờ hành chính nhé",
                    "0912 345 678",
                ),
                (
                    "024 3825 1234 (chị Hoa, phòng kế toán, gọi giờ hành chính)",
                    "024 3825 1234",
                ),
            ] {
                assert!(value.chars().count() > field.max_chars());
                let check = check_field(field, value, true, &config, &texts);
                assert_eq!(check.error.as_deref(), Some(note), "{value}");
                assert_eq!(check.fix.as_deref(), Some(number), "{value}");
                assert_eq!(check.clean, None, "{value}: refused as typed");
            }
            // A digit in the note, a number that is none, or only text: too long.
            for value in [
                "0912 345 678 - anh Nam, máy lẻ 12, gọi sau giờ hành chính",
                "0912 345 67 - anh Nam gọi sau giờ hành chính nhé",
                "anh Nam gọi sau giờ hành chính nhé, số 0912 345 678",
            ] {
                let check = check_field(field, value, true, &config, &texts);
                let error = check.error.unwrap_or_default();
                assert!(error.contains("40"), "{value}: {error}");
                assert_eq!(check.fix, None, "{value}");
            }
        }
    }

    #[test]
    fn an_old_saigon_landline_that_is_a_mobile_today_is_taken_with_the_landline_offered() {
        // 08 was Hồ Chí Minh City's area code until 2017 (now 028); 083x … 089x are
        // mobile blocks today. Typed with 08 apart, as its landlines were, the number
        // is the valid mobile it is (SPEC), with the landline it may have meant offered
        // beside it.
        let texts = Texts::new(Locale::En, Default::default());
        let hint = texts.fill(
            Key::PhoneOldLandline,
            &[("value", "0838 221 234"), ("landline", "028 3822 1234")],
        );
        for value in [
            "08 3822 1234",
            "(08) 3822 1234",
            "08.3822.1234",
            "08-38221234",
            "08 38 22 12 34",
            "+84 8 3822 1234",
            "+84 (0)8 3822 1234",
            "ĐT: (08) 3822 1234",
        ] {
            let check = check_phone(value, &texts);
            assert_eq!(check.error, None, "{value}");
            assert_eq!(check.clean.as_deref(), Some("+84838221234"), "{value}");
            assert_eq!(check.note.as_deref(), Some(hint.as_str()), "{value}");
            assert_eq!(check.fix.as_deref(), Some("028 3822 1234"), "{value}");
        }
        // Typed as a mobile is typed: a mobile, nothing else offered.
        for value in [
            "0838 221 234",
            "083 822 1234",
            "0838221234",
            "+84 838 221 234",
            "0838 22 12 34",
        ] {
            let check = check_phone(value, &texts);
            assert_eq!(check.clean.as_deref(), Some("+84838221234"), "{value}");
            assert_eq!(check.fix, None, "{value}");
            let ok = texts.fill(Key::PhoneOk, &[("value", "0838 221 234")]);
            assert_eq!(check.note, Some(ok), "{value}");
        }
        // The landline typed as it is today, and an 08 number that is no landline
        // (028 1… is none): nothing offered.
        assert_eq!(check_phone("028 3822 1234", &texts).fix, None);
        let check = check_phone("08 1234 5678", &texts);
        assert!(check.fix.is_none() && check.error.is_none(), "{check:?}");
    }

    #[test]
    fn an_old_number_being_typed_is_short_of_digits_not_of_a_beginning() {
        let texts = Texts::new(Locale::En, Default::default());
        let error = |value: &str| check_phone(value, &texts).error.unwrap_or_default();
        // On its way to 0168 123 4567 (2018) and 04 3825 1234 (2017).
        assert_eq!(error("0168 123"), "This phone number is missing 4 digits.");
        assert_eq!(
            error("0168 123 456"),
            "This phone number is missing 1 digit."
        );
        assert_eq!(
            error("04 3825 12"),
            "This phone number is missing 2 digits."
        );
        assert!(error("0168 123 4567").contains("0381 234 567"));
        // 020 was Lào Cai's code until 2017 (now 0214): on its way to an old number too.
        assert_eq!(
            error("0200 123 45"),
            "This phone number is missing 1 digit."
        );
        // A beginning no number has, old or new, stays so.
        let none = error("0100 123");
        assert!(none.contains("010") && !none.contains("missing"), "{none}");
    }

    #[test]
    fn an_international_domain_is_sent_in_one_form_whatever_the_browser_gives() {
        let texts = Texts::new(Locale::Vi, Default::default());
        for typed in [
            "ban@ví-dụ.vn",
            "ban@xn--v-d-rma6749a.vn",
            "ban@VÍ-DỤ.VN",
            "ban@vi\u{301}-du\u{323}.vn",
        ] {
            let check = check_email(typed, &texts);
            assert_eq!(check.error, None, "{typed}");
            assert_eq!(
                check.clean.as_deref(),
                Some("ban@xn--v-d-rma6749a.vn"),
                "{typed}"
            );
        }
        let check = check_email("Ban.An@Gmail.com", &texts);
        assert_eq!(check.clean.as_deref(), Some("Ban.An@gmail.com"));
    }

    /// A valid configuration of a form of `kind`.
    fn config(kind: &str) -> Config {
        crate::config::RawConfig {
            kind: Some(kind.into()),
            endpoint: Some("/api/leads".into()),
            policy_url: Some("/privacy".into()),
            controller: Some("Ví Dụ".into()),
            key_url: Some("/api/keys".into()),
            ..Default::default()
        }
        .validate()
        .unwrap()
    }

    #[test]
    fn invisible_characters_alone_do_not_fill_a_required_field() {
        let config = config("contact");
        let texts = Texts::new(Locale::Vi, Default::default());
        for raw in ["\u{200B}", " \u{FEFF}\u{200D} ", "\u{AD}\u{2060}"] {
            let check = check_field(FieldName::Name, raw, true, &config, &texts);
            assert_eq!(
                check.error.as_deref(),
                Some("Vui lòng nhập họ và tên."),
                "{raw:?}"
            );
        }
        let check = check_field(FieldName::Name, "\u{200B}An\u{200B}", true, &config, &texts);
        assert_eq!(check.clean.as_deref(), Some("An"));
        // Bidi marks, which a name copied from a phone's contacts or a chat app brings
        // along (iOS wraps it in U+202A … U+202C): nothing alone, and not sent.
        for raw in ["\u{200E}", "\u{202A}\u{202C}", "\u{200F} \u{2066}\u{2069}"] {
            let check = check_field(FieldName::Name, raw, true, &config, &texts);
            assert_eq!(
                check.error.as_deref(),
                Some("Vui lòng nhập họ và tên."),
                "{raw:?}"
            );
        }
        let check = check_field(
            FieldName::Name,
            "\u{202A}Trần Thị B\u{202C}",
            true,
            &config,
            &texts,
        );
        assert_eq!(check.clean.as_deref(), Some("Trần Thị B"));
    }

    #[test]
    fn blank_looking_characters_alone_do_not_fill_a_required_field() {
        // Characters that show as nothing, which a name "made of spaces" is typed with
        // where spaces are refused (the Hangul fillers, the Braille blank), and the
        // Mongolian vowel separator (no longer a space since Unicode 6.3).
        let config = config("contact");
        let texts = Texts::new(Locale::Vi, Default::default());
        for raw in [
            "\u{3164}",
            "\u{2800}\u{2800}",
            " \u{115F}\u{1160} ",
            "\u{FFA0}",
            "\u{180E}",
        ] {
            let check = check_field(FieldName::Name, raw, true, &config, &texts);
            assert_eq!(
                check.error.as_deref(),
                Some("Vui lòng nhập họ và tên."),
                "{raw:?}"
            );
        }
        let check = check_field(FieldName::Name, "\u{3164}Hà\u{2800}", true, &config, &texts);
        assert_eq!(check.clean.as_deref(), Some("Hà"));
    }

    #[test]
    fn with_no_day_to_offer_the_day_says_so_and_the_time_is_not_asked() {
        // Mondays only, today only; Tuesday 2026-11-24 10:00 in Vietnam.
        let config = Config {
            business_hours: crate::schedule::BusinessHours {
                days: vec![1],
                days_ahead: 1,
                ..Default::default()
            },
            ..config("callback")
        };
        let tuesday = 1_795_478_400_000 + 3 * 60 * 60_000;
        let monday = tuesday - 24 * 60 * 60_000;
        assert!(no_day_to_offer(&config, tuesday));
        assert!(!no_day_to_offer(&config, monday));
        assert!(!no_day_to_offer(&self::config("contact"), tuesday));
        let texts = Texts::new(Locale::En, Default::default());
        let values: FieldValues = [(FieldName::Name, "An"), (FieldName::Phone, "0902666984")]
            .into_iter()
            .map(|(f, v)| (f, v.to_owned()))
            .collect();
        let errors: Vec<(FieldName, String)> = check_all(&config, &texts, &values, false, tuesday)
            .into_iter()
            .filter_map(|(f, c)| Some((f, c.error?)))
            .collect();
        assert_eq!(
            errors,
            [(
                FieldName::CallbackDate,
                "No callback can be booked right now: no time is free. Please come back later or contact Ví Dụ directly.".to_owned()
            )]
        );
        // On Monday, the day and time are asked for as usual.
        let errors = check_all(&config, &texts, &values, false, monday);
        assert_eq!(errors.iter().filter(|(_, c)| c.error.is_some()).count(), 2);
    }

    #[test]
    fn a_passed_slot_is_asked_for_again_on_the_field_that_can_change_it() {
        let config = config("callback");
        let texts = Texts::new(Locale::Vi, Default::default());
        // Tuesday 2026-11-24 in Vietnam, at 16:50, 17:50 and 09:45 (UTC+7).
        let at = |h: i64, m: i64| 1_795_478_400_000 + ((h - 7) * 60 + m) * 60_000;
        let values = |date: &str, window: &str| -> FieldValues {
            [
                (FieldName::Name, "An"),
                (FieldName::Phone, "0902666984"),
                (FieldName::CallbackDate, date),
                (FieldName::CallbackWindow, window),
            ]
            .into_iter()
            .map(|(f, v)| (f, v.to_owned()))
            .collect()
        };
        let errors = |values: &FieldValues, now: i64| -> Vec<(FieldName, String)> {
            check_all(&config, &texts, values, false, now)
                .into_iter()
                .filter_map(|(f, c)| Some((f, c.error?)))
                .collect()
        };
        let booked = values("2026-11-24", "15:30-17:30");
        assert_eq!(errors(&booked, at(16, 50)), []);
        // At 17:50 the day has nothing left: the day is to change, and the error says which.
        let gone = errors(&booked, at(17, 50));
        assert_eq!(gone.len(), 1, "{gone:?}");
        assert_eq!(gone[0].0, FieldName::CallbackDate);
        assert_eq!(
            gone[0].1,
            "Ngày Thứ Ba, 24/11 không còn khung giờ trống. Vui lòng chọn ngày khác."
        );
        // At 09:45 08:00-10:00 has passed but the day offers later windows: the window is
        // to change.
        let early = values("2026-11-24", "08:00-10:00");
        assert_eq!(
            errors(&early, at(9, 45)),
            [(
                FieldName::CallbackWindow,
                texts.get(Key::ErrSlot).to_owned()
            )]
        );
    }
}
