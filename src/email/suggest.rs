//! "Did you mean …?": corrections for mistyped domains of the mail providers
//! Vietnamese visitors use.

use super::{clean::clean, idn, parse, MAX_INPUT};

/// The providers' domains that typos are corrected to, most used first (the first one
/// wins a tie): the international providers Vietnamese visitors use, Yahoo's and
/// Outlook's Vietnamese domains, and the Vietnamese providers' own (FPT, VNPT and its
/// VNN regional domains, Viettel, MobiFone).
const TARGETS: &[&str] = &[
    "gmail.com",
    "yahoo.com",
    "yahoo.com.vn",
    "outlook.com",
    "hotmail.com",
    "icloud.com",
    "fpt.vn",
    "fpt.com.vn",
    "fpt.edu.vn",
    "hcm.fpt.vn",
    "vnn.vn",
    "hcm.vnn.vn",
    "hn.vnn.vn",
    "dng.vnn.vn",
    "vnpt.vn",
    "viettel.com.vn",
    "mobifone.vn",
    "ymail.com",
    "outlook.com.vn",
    "live.com",
    "msn.com",
    "googlemail.com",
];

/// Other real mail domains close to a target: never corrected, never suggested.
const OTHERS: &[&str] = &[
    "fpt.com",
    "me.com",
    "mac.com",
    "rocketmail.com",
    "yahoo.ca",
    "yahoo.cn",
    "mail.com",
    "email.com",
    "aol.com",
    "gmx.com",
    "proton.me",
    "protonmail.com",
    "zoho.com",
    "yandex.com",
    "naver.com",
    "qq.com",
    "163.com",
    "126.com",
];

/// Last labels that are no top-level domain, and the one that was meant.
const TLD_TYPOS: &[(&str, &str)] = &[
    ("con", "com"),
    ("cmo", "com"),
    ("ocm", "com"),
    ("cpm", "com"),
    ("xom", "com"),
    ("vom", "com"),
    ("cim", "com"),
    ("clm", "com"),
    ("cmm", "com"),
    ("comm", "com"),
    ("coom", "com"),
    ("c0m", "com"),
    ("vm", "vn"),
    ("vb", "vn"),
    ("nv", "vn"),
    ("nte", "net"),
    ("ner", "net"),
    ("nett", "net"),
    ("ogr", "org"),
    ("orgg", "org"),
];

/// Real top-level domains that, after a provider's name, are a slip for `com`
/// (`gmail.co`, `hotmail.cm`). Used only when that gives a known domain.
const COM_SLIPS: &[&str] = &["co", "cm", "om", "cn"];

/// Domains longer than this (in characters) are not compared.
const MAX_COMPARED: usize = 40;

/// A corrected address when `input` looks like a typo of a common provider's address
/// (`ban@gmial.com` → `ban@gmail.com`, `ban@yahoo.con` → `ban@yahoo.com`,
/// `ban@gmail.com.vn` → `ban@gmail.com`, `ban @ gmail,com` → `ban@gmail.com`), else
/// `None`. Never suggests anything for an address at a known domain, and what it
/// returns always passes [`parse`].
pub fn suggest(input: &str) -> Option<String> {
    if input.len() > MAX_INPUT {
        return None;
    }
    let text = clean(input);
    let (local, rest) = pasted(&text).split_once('@')?;
    let typed = rest.trim_start_matches('@');
    if typed.contains('@') {
        return None;
    }
    let repaired = repair(typed);
    let domain = correct(&repaired).unwrap_or(repaired);
    let fixed = parse(&format!("{}@{domain}", local.trim())).ok()?;
    match parse(input) {
        Ok(same) if same == fixed => None,
        _ => Some(fixed.into()),
    }
}

/// The address in what was copied with it: `Name <address>` from a mail program's
/// header, `Email: address` from a contact card; else `text` itself.
fn pasted(text: &str) -> &str {
    let inner = text
        .rsplit_once('<')
        .and_then(|(_, rest)| rest.split_once('>'))
        .map(|(inner, _)| inner);
    match inner {
        Some(inner) if inner.contains('@') => inner,
        // After the last colon before the `@`.
        _ => match text
            .split_once('@')
            .and_then(|(before, _)| before.rfind(':'))
        {
            Some(colon) => text.get(colon + 1..).unwrap_or(text).trim(),
            None => text,
        },
    }
}

/// The typed domain lower-cased, without spaces, commas and semicolons read as dots,
/// and no stray dots.
fn repair(typed: &str) -> String {
    let mut out = String::with_capacity(typed.len());
    for c in typed.chars() {
        let c = match c {
            ',' | ';' => '.',
            c if c.is_whitespace() => continue,
            c => idn::lower(c),
        };
        if c == '.' && (out.is_empty() || out.ends_with('.')) {
            continue;
        }
        out.push(c);
    }
    while out.ends_with('.') {
        out.pop();
    }
    out
}

/// The domain meant by `domain`, when it is not `domain` itself.
fn correct(domain: &str) -> Option<String> {
    if is_known(domain) {
        return None;
    }
    let mut domain = fix_ending(domain);
    if let Some(name) = domain.strip_suffix(".vn") {
        // The second level of a Vietnamese domain: `congty.con.vn`.
        if name.contains('.') {
            domain = format!("{}.vn", fix_ending(name));
        }
    }
    if is_known(&domain) {
        return Some(domain);
    }
    if let Some(name) = domain.strip_suffix(".vn") {
        // `gmail.com.vn`, `yahoo.vn`, `gmail.vn`: a provider with a Vietnamese ending.
        if is_target(name) && !name.ends_with(".vn") {
            return Some(name.to_owned());
        }
        for ending in [".com.vn", ".com"] {
            let whole = format!("{name}{ending}");
            if is_target(&whole) {
                return Some(whole);
            }
        }
    }
    if !domain.contains('.') && domain.len() >= 3 {
        // `gmail`, `fpt`: the ending is missing.
        let completed = TARGETS.iter().find(|t| {
            t.strip_prefix(domain.as_str())
                .is_some_and(|rest| rest.starts_with('.'))
        });
        if let Some(target) = completed {
            return Some((*target).to_owned());
        }
    }
    let slipped = match domain.rsplit_once('.') {
        Some((name, tld)) if COM_SLIPS.contains(&tld) => format!("{name}.com"),
        _ => domain.clone(),
    };
    if is_target(&slipped) {
        return Some(slipped);
    }
    nearest(&slipped).map(str::to_owned).or(Some(domain))
}

/// `domain` with its last label corrected when it is in [`TLD_TYPOS`].
fn fix_ending(domain: &str) -> String {
    match domain.rsplit_once('.') {
        Some((name, tld)) => match TLD_TYPOS.iter().find(|(typo, _)| *typo == tld) {
            Some((_, meant)) => format!("{name}.{meant}"),
            None => domain.to_owned(),
        },
        None => domain.to_owned(),
    }
}

/// Whether `domain` is a real provider's domain (a target or one of the others).
fn is_known(domain: &str) -> bool {
    TARGETS.contains(&domain) || OTHERS.contains(&domain)
}

fn is_target(domain: &str) -> bool {
    TARGETS.contains(&domain)
}

/// The target closest to `domain` by optimal-string-alignment distance (one edit is a
/// letter added, removed or changed, or two neighbours swapped), within a limit set by
/// the length of the target's first label: no edit for four letters or fewer (`fpt`,
/// `vnpt`: too many real domains are that close), one for five (`gmail`, `yahoo`), two
/// beyond (`hotmail`, `viettel`). A domain with a two-letter (country) ending is
/// compared only with targets of the same ending, so `yahoo.ca` stays.
fn nearest(domain: &str) -> Option<&'static str> {
    let mut typed = ['\0'; MAX_COMPARED];
    let mut len = 0;
    for c in domain.chars() {
        *typed.get_mut(len)? = c;
        len += 1;
    }
    let typed = typed.get(..len)?;
    let tld = domain.rsplit('.').next().unwrap_or("");
    let mut best: Option<(usize, &'static str)> = None;
    for &target in TARGETS {
        let max = match target.split('.').next().map_or(0, str::len) {
            0..=4 => continue,
            5 => 1,
            _ => 2,
        };
        if len.abs_diff(target.len()) > max {
            continue;
        }
        if tld.chars().count() == 2 && target.rsplit('.').next() != Some(tld) {
            continue;
        }
        let Some(d) = distance(typed, target.as_bytes()) else {
            continue;
        };
        if d <= max && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, target));
        }
    }
    best.map(|(_, target)| target)
}

/// Width of the distance table: one more than the longest string compared.
const W: usize = MAX_COMPARED + 1;

/// The optimal string alignment distance between `a` and the ASCII `b`; `None` when
/// either is longer than [`MAX_COMPARED`].
pub(crate) fn distance(a: &[char], b: &[u8]) -> Option<usize> {
    let mut before = [0usize; W];
    let mut prev = [0usize; W];
    let mut cur = [0usize; W];
    for (j, cell) in prev.iter_mut().enumerate() {
        *cell = j;
    }
    let same = |x: Option<&char>, y: Option<&u8>| match (x, y) {
        (Some(&x), Some(&y)) => x as u32 == u32::from(y),
        _ => false,
    };
    for (i, &ca) in a.iter().enumerate() {
        *cur.get_mut(0)? = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca as u32 != u32::from(cb));
            let mut d = (prev.get(j + 1)? + 1)
                .min(cur.get(j)? + 1)
                .min(prev.get(j)? + cost);
            if i > 0 && j > 0 && same(a.get(i - 1), Some(&cb)) && same(Some(&ca), b.get(j - 1)) {
                d = d.min(before.get(j - 1)? + 1);
            }
            *cur.get_mut(j + 1)? = d;
        }
        before = prev;
        prev = cur;
    }
    prev.get(b.len()).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dist(a: &str, b: &str) -> Option<usize> {
        let a: Vec<char> = a.chars().collect();
        distance(&a, b.as_bytes())
    }

    #[test]
    fn distances() {
        assert_eq!(dist("gmail.com", "gmail.com"), Some(0));
        assert_eq!(dist("gmial.com", "gmail.com"), Some(1));
        assert_eq!(dist("gmai.com", "gmail.com"), Some(1));
        assert_eq!(dist("gmaill.com", "gmail.com"), Some(1));
        assert_eq!(dist("gnail.con", "gmail.com"), Some(2));
        assert_eq!(dist("", "abc"), Some(3));
        assert_eq!(dist("abc", ""), Some(3));
        assert_eq!(dist("ca", "abc"), Some(3));
        assert_eq!(dist("ví", "vi"), Some(1));
        assert_eq!(dist("a", &"a".repeat(41)), None);
        assert_eq!(dist("ab", "ba"), Some(1));
    }

    #[test]
    fn known_domains_are_distinct_and_lower_case() {
        let known: Vec<&str> = TARGETS.iter().chain(OTHERS).copied().collect();
        for (i, k) in known.iter().enumerate() {
            assert!(!known[..i].contains(k), "{k} twice");
            assert_eq!(k.to_ascii_lowercase(), *k);
            assert!(parse(&format!("a@{k}")).is_ok(), "{k}");
        }
    }
}
