//! Property tests for `email`: no input panics, normalization is stable, suggestions
//! parse, ASCII inputs agree with the HTML standard's own pattern (bar the documented
//! departures), and internationalized domains agree with the `idna` crate.
#![cfg(not(target_arch = "wasm32"))]

use consent_form::email::{parse, suggest, EmailError};
use proptest::prelude::*;
use regex::Regex;
use std::sync::LazyLock;

/// The pattern the HTML standard gives for a valid e-mail address.
const HTML_PATTERN: &str = r"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$";

static HTML: LazyLock<Result<Regex, regex::Error>> = LazyLock::new(|| Regex::new(HTML_PATTERN));

/// Strings shaped like addresses, with the mistakes visitors make.
fn address_like() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ \t\u{a0}\u{200b}]{0,2}(mailto:)?[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~ ,\"ạé-]{0,10}@{0,2}([a-zA-Z0-9_ -]{0,8}[.,;]{0,2}){0,4}[a-zA-Z0-9ạíđ]{0,4}[ \u{a0}]{0,2}",
        "[a-z]{1,8}@[a-z]{1,8}\\.(com|con|cmo|co|vn|vm|com\\.vn)",
        "[a-z]{1,6}@(gmial|gmai|gamil|yaho|yahooo|hotmial|outlok|iclod|vnn|fpt|vnpt|viettel|gmail|yahoo)[.,]{1,2}(com|con|co|vn|vm|com\\.vn|com\\.vm)\\.?",
        any::<String>(),
    ]
}

/// ASCII strings around the HTML rule's boundaries: long parts, hyphens at the edges,
/// stray dots, numeric endings, a forbidden character now and then.
fn ascii_candidate() -> impl Strategy<Value = String> {
    let local = prop_oneof![
        6 => "[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]{1,12}",
        1 => "[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]{0,2}",
        1 => "[a-z.]{60,70}",
        1 => "[a-zA-Z0-9(),:;<>\\[\\]\"\\\\ -]{1,4}",
    ];
    let at = prop_oneof![8 => Just("@"), 1 => Just(""), 1 => Just("@@")];
    let label = prop_oneof![
        8 => "[a-zA-Z0-9]([a-zA-Z0-9-]{0,8}[a-zA-Z0-9])?",
        2 => "[a-zA-Z0-9-]{0,10}",
        1 => "[a-z0-9][a-z0-9-]{58,64}[a-z0-9]",
        1 => "[0-9]{1,3}",
        1 => "[a-zA-Z0-9_ ,-]{1,4}",
    ];
    (local, at, prop::collection::vec(label, 1..6))
        .prop_map(|(l, at, labels)| format!("{l}{at}{}", labels.join(".")))
}

/// Vietnamese letters, composed, in both cases.
const VIETNAMESE: &str = "aàáãảạăằắẵẳặâầấẫẩậeèéẽẻẹêềếễểệiìíĩỉịoòóõỏọôồốỗổộơờớỡởợuùúũủụưừứữửựyỳýỹỷỵđAÀÁÃẢẠĂẰẮẴẲẶÂẦẤẪẨẬEÈÉẼẺẸÊỀẾỄỂỆIÌÍĨỈỊOÒÓÕỎỌÔỒỐỖỔỘƠỜỚỠỞỢUÙÚŨỦỤƯỪỨỮỬỰYỲÝỸỶỴĐ";

/// Other letters whose IDNA mapping is plain lower-casing.
const OTHER_LETTERS: &str = "ßçñøåæþðÇÑØÅÆÞÐāēīōūĀĒĪŌŪłŁżŻšŠžŽőŐαβγδεζηθικλμνξοπρστυφχψωΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩабвгдежзийклмнопрстуфхцчшщъыьэюяёђєАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯЁЂЄ中文日本";

/// A Vietnamese vowel typed as base letter plus combining marks, in canonical (NFD)
/// order, or as a precomposed vowel plus tone mark (the Windows-1258 way).
fn decomposed_vowel() -> impl Strategy<Value = String> {
    let bases: Vec<(char, Vec<Option<char>>)> = vec![
        ('a', vec![None, Some('\u{302}'), Some('\u{306}')]),
        ('A', vec![None, Some('\u{302}'), Some('\u{306}')]),
        ('e', vec![None, Some('\u{302}')]),
        ('i', vec![None]),
        ('o', vec![None, Some('\u{302}'), Some('\u{31b}')]),
        ('O', vec![None, Some('\u{302}'), Some('\u{31b}')]),
        ('u', vec![None, Some('\u{31b}')]),
        ('y', vec![None]),
    ];
    let tones = vec![
        None,
        Some('\u{300}'),
        Some('\u{301}'),
        Some('\u{303}'),
        Some('\u{309}'),
        Some('\u{323}'),
    ];
    (
        prop::sample::select(bases),
        prop::sample::select(tones),
        any::<prop::sample::Index>(),
    )
        .prop_map(|((base, modifiers), tone, pick)| {
            let modifier = *pick.get(&modifiers);
            let class = |m: char| match m {
                '\u{31b}' => 216,
                '\u{323}' => 220,
                _ => 230,
            };
            let mut marks: Vec<char> = modifier.into_iter().chain(tone).collect();
            marks.sort_by_key(|&m| class(m)); // stable: circumflex before acute
            std::iter::once(base).chain(marks).collect()
        })
}

fn idn_label() -> impl Strategy<Value = String> {
    let letter = prop_oneof![
        3 => prop::sample::select(VIETNAMESE.chars().collect::<Vec<_>>()).prop_map(String::from),
        2 => decomposed_vowel(),
        2 => "[a-zA-Z0-9]",
        1 => Just("-".to_owned()),
        1 => prop::sample::select(OTHER_LETTERS.chars().collect::<Vec<_>>()).prop_map(String::from),
    ];
    // Not an A-label by chance ("xN--aa"): `xn--` announces Punycode, which idna decodes
    // and refuses if it is not; the HTML rule, which `parse` follows, takes it as ASCII.
    ("[a-z]", prop::collection::vec(letter, 0..40), "[a-z]")
        .prop_map(|(first, middle, last)| format!("{first}{}{last}", middle.concat()))
        .prop_filter("an xn-- label", |label| {
            !label
                .get(..4)
                .is_some_and(|start| start.eq_ignore_ascii_case("xn--"))
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_and_is_stable(input in address_like()) {
        if let Ok(e) = parse(&input) {
            prop_assert_eq!(parse(e.as_str()), Ok(e.clone()));
            prop_assert_eq!(e.as_str().trim(), e.as_str());
            prop_assert_eq!(format!("{}@{}", e.local_part(), e.domain()), e.as_str());
            // The ASCII form is an address too, and its own ASCII form.
            let ascii = parse(&e.to_ascii()).map_err(|err| TestCaseError::fail(format!("{err}")))?;
            prop_assert_eq!(ascii.as_str(), e.to_ascii());
        }
        if let Some(s) = suggest(&input) {
            let fixed = parse(&s).map_err(|err| TestCaseError::fail(format!("{s:?}: {err}")))?;
            prop_assert_eq!(fixed.as_str(), s.as_str());
            prop_assert_ne!(parse(&input).ok(), Some(fixed));
        }
    }

    #[test]
    fn agrees_with_the_html_pattern(typed in ascii_candidate()) {
        // Trimming surrounding white space is a departure too.
        let input = typed.trim();
        let html = HTML.as_ref().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let expected = html.is_match(input) && {
            // The departures: a dot in the domain, no numeric ending, RFC 5321 lengths.
            let (local, domain) = input.split_once('@').unwrap_or_default();
            domain.contains('.')
                && !domain.rsplit('.').next().unwrap_or("").bytes().all(|b| b.is_ascii_digit())
                && local.len() <= 64
                && input.len() <= 254
        };
        let got = parse(&typed);
        prop_assert_eq!(got.is_ok(), expected, "{:?} → {:?}", input, got);
        if let Ok(e) = got {
            let (local, domain) = input.split_once('@').unwrap_or_default();
            prop_assert_eq!(e.as_str(), format!("{local}@{}", domain.to_ascii_lowercase()));
        }
    }

    #[test]
    fn idn_agrees_with_idna(labels in prop::collection::vec(idn_label(), 1..4), tld in "(vn|com|Vn)") {
        let domain = format!("{}.{tld}", labels.join("."));
        let reference = idna::domain_to_ascii(&domain)
            .map_err(|e| TestCaseError::fail(format!("idna refused {domain:?}: {e:?}")))?;
        let fits = reference.split('.').all(|l| l.len() <= 63) && reference.len() + 2 <= 254;
        match parse(&format!("a@{domain}")) {
            Ok(e) => {
                prop_assert!(fits, "{:?} accepted, idna gives {:?}", domain, reference);
                prop_assert_eq!(e.ascii_domain(), reference.as_str());
            }
            Err(err) => {
                prop_assert!(!fits, "{:?} refused ({:?}), idna gives {:?}", domain, err, reference);
                prop_assert!(matches!(err, EmailError::LabelTooLong | EmailError::TooLong), "{:?}", err);
            }
        }
    }
}
