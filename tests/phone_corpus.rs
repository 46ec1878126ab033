//! Parity with libphonenumber on the committed corpus (tests/data/phone/), made by
//! scripts/phone_corpus.py from the Python `phonenumbers` package: for every input,
//! our verdict must be libphonenumber's — validity, kind, E.164, national format
//! (and carrier, spelt as the networks spell themselves) — except on the lines the
//! generator tags as a deliberate departure, where it must be the departure's.
#![cfg(not(target_arch = "wasm32"))]
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::Path;

use consent_form::phone::{self, ObsoleteKind, PhoneError, PhoneKind, PhoneNumber};

/// The departures docs/phone.md lists; a tag outside this list fails the test.
const DEPARTURES: [&str; 8] = [
    "letters",
    "extension",
    "tilde",
    "rfc3966",
    "invisible",
    "trailing",
    "obsolete",
    "carrier",
];

struct Line {
    input: String,
    reference: String,
    ours: String,
    tag: String,
}

fn corpus() -> Vec<Line> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/phone");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .expect("tests/data/phone")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.to_string_lossy().ends_with(".tsv.gz"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 2,
        "corpus files missing in {}",
        dir.display()
    );
    let mut lines = Vec::new();
    for file in files {
        assert!(
            fs::metadata(&file).unwrap().len() < 1_000_000,
            "{} is over 1 MB",
            file.display()
        );
        let mut text = String::new();
        flate2::read::GzDecoder::new(fs::File::open(&file).unwrap())
            .read_to_string(&mut text)
            .unwrap();
        for row in text.lines().filter(|l| !l.starts_with('#')) {
            let cols: Vec<&str> = row.split('\t').collect();
            assert_eq!(cols.len(), 4, "bad row in {}: {row:?}", file.display());
            lines.push(Line {
                input: unescape(cols[0]),
                reference: cols[1].to_string(),
                ours: if cols[2] == "=" { cols[1] } else { cols[2] }.to_string(),
                tag: cols[3].to_string(),
            });
        }
    }
    lines
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

fn kind_name(kind: PhoneKind) -> &'static str {
    match kind {
        PhoneKind::FixedLine => "fixed_line",
        PhoneKind::Mobile => "mobile",
        PhoneKind::TollFree => "toll_free",
        PhoneKind::PremiumRate => "premium_rate",
        PhoneKind::Voip => "voip",
        PhoneKind::Uan => "uan",
    }
}

fn render(result: &Result<PhoneNumber, PhoneError>) -> String {
    match result {
        Ok(n) => format!(
            "{}|{}|{}|{}",
            kind_name(n.kind()),
            n.e164(),
            n.national(),
            n.carrier().map_or("", |c| c.name())
        ),
        Err(PhoneError::Obsolete { corrected, kind }) => {
            let kind = match kind {
                ObsoleteKind::Mobile2018 => "m2018",
                ObsoleteKind::Landline2017 => "l2017",
            };
            format!("obsolete|{kind}|{}", corrected.e164())
        }
        Err(_) => "-".to_string(),
    }
}

#[test]
fn parity_with_libphonenumber() {
    let lines = corpus();
    let mut failures = Vec::new();
    let mut tags: BTreeMap<&str, usize> = BTreeMap::new();
    let mut valid = 0;
    for line in &lines {
        let got = render(&phone::parse(&line.input));
        if got.contains('|') && !got.starts_with("obsolete") {
            valid += 1;
        }
        if got != line.ours {
            failures.push(format!(
                "{:?}: got {got}, want {} ({})",
                line.input, line.ours, line.tag
            ));
        }
        // Untagged lines are libphonenumber's verdict, untouched.
        if line.tag.is_empty() {
            assert_eq!(
                line.ours, line.reference,
                "corpus inconsistent at {:?}",
                line.input
            );
        }
        for tag in line.tag.split('+').filter(|t| !t.is_empty()) {
            assert!(DEPARTURES.contains(&tag), "undocumented departure {tag:?}");
            *tags.entry(tag).or_default() += 1;
        }
    }
    println!(
        "{} inputs, {valid} valid; departures: {tags:?}",
        lines.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} inputs differ:\n{}",
        failures.len(),
        lines.len(),
        failures
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        lines.len() >= 50_000,
        "corpus has only {} inputs",
        lines.len()
    );
    for tag in DEPARTURES {
        assert!(
            tags.contains_key(tag),
            "no corpus line exercises the {tag} departure"
        );
    }
}

#[test]
fn corpus_covers_every_prefix_and_length() {
    // Every 4-digit prefix at every length 7–11, typed with its digits in order:
    // the generator's base strings, recovered from the national-form lines.
    let mut seen = vec![[false; 5]; 10_000];
    for line in corpus() {
        let digits: String = line.input.chars().filter(char::is_ascii_digit).collect();
        if digits.len() == line.input.chars().filter(|c| c.is_numeric()).count()
            && (7..=11).contains(&digits.len())
        {
            let prefix: usize = digits[..4].parse().unwrap();
            seen[prefix][digits.len() - 7] = true;
        }
    }
    let missing: Vec<String> = seen
        .iter()
        .enumerate()
        .flat_map(|(p, lens)| {
            lens.iter()
                .enumerate()
                .filter(|(_, s)| !**s)
                .map(move |(l, _)| format!("{p:04}/{}", l + 7))
        })
        .collect();
    assert!(missing.is_empty(), "prefix/length not covered: {missing:?}");
}
