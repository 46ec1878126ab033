//! E-mail addresses as visitors type them: checked by the HTML standard's rule,
//! with internationalized domains, and with a "did you mean …?" for provider typos.
//!
//! [`parse`] accepts what the HTML standard calls a [valid e-mail address] — a local
//! part of letters, digits, `.` and ``!#$%&'*+/=?^_`{|}~-``, an `@`, and a domain of
//! dot-separated labels of letters, digits and hyphens, 1–63 characters, not starting or
//! ending with a hyphen — with these differences, each for a reason given in
//! `docs/email.md`:
//!
//! - domains may be internationalized (`ban@ví-dụ.vn`); a label's length is measured on
//!   its ASCII (`xn--…`) form, see [`Email::ascii_domain`];
//! - the domain needs a dot (`ban@localhost` is refused, [`EmailError::SingleLabel`])
//!   and must not end in digits only ([`EmailError::NumericTld`]);
//! - what mail servers refuse is refused: more than 64 octets before the `@`, more than
//!   254 in all;
//! - surrounding white space (NBSP and ideographic space included), invisible
//!   characters, line breaks and a `mailto:` prefix are removed, full-width characters
//!   are read as ASCII, and the domain is lower-cased.
//!
//! The local part keeps its case, and dots in it are accepted anywhere, as the HTML
//! rule accepts them.
//!
//! [valid e-mail address]: https://html.spec.whatwg.org/multipage/input.html#valid-e-mail-address

mod clean;
mod error;
pub(crate) mod idn;
mod punycode;
mod suggest;

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use error::EmailError;
pub(crate) use suggest::distance;
pub use suggest::suggest;

/// Longest address, in octets, counting its domain in ASCII form (RFC 5321: a path is
/// at most 256 octets, angle brackets included).
pub const MAX_LEN: usize = 254;

/// Longest local part (before the `@`), in octets (RFC 5321 §4.5.3.1.1).
pub const MAX_LOCAL_LEN: usize = 64;

/// Longest domain label, in octets of its ASCII form (RFC 1035).
pub const MAX_LABEL_LEN: usize = 63;

/// Inputs longer than this, in bytes, are refused before they are read: the longest
/// address (254 characters of up to 4 bytes) with room for white space around it.
const MAX_INPUT: usize = 2048;

/// A valid e-mail address, normalized: trimmed, domain lower-cased (and Vietnamese
/// letters typed with combining marks composed). Serialized as its string;
/// deserializing checks it with [`parse`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email {
    address: String,
}

/// Checks an address as typed or pasted by a visitor, and normalizes it.
///
/// ```
/// use consent_form::email::{parse, EmailError};
///
/// assert_eq!(parse(" Ban.An@Gmail.COM ").unwrap().as_str(), "Ban.An@gmail.com");
/// assert_eq!(parse("ban@ví-dụ.vn").unwrap().ascii_domain(), "xn--v-d-rma6749a.vn");
/// assert_eq!(parse("ban@localhost"), Err(EmailError::SingleLabel));
/// ```
pub fn parse(input: &str) -> Result<Email, EmailError> {
    if input.len() > MAX_INPUT {
        return Err(EmailError::TooLong);
    }
    let text = clean::clean(input);
    if text.is_empty() {
        return Err(EmailError::Empty);
    }
    // Every character costs at least one octet of the ASCII form.
    if text.chars().count() > MAX_LEN {
        return Err(EmailError::TooLong);
    }
    let (local, domain) = text.split_once('@').ok_or(EmailError::MissingAt)?;
    if domain.contains('@') {
        return Err(EmailError::MultipleAt);
    }
    check_local(local)?;
    let domain = fold_domain(domain, local.len() + 1)?;
    let domain_octets = check_labels(&domain)?;
    if local.len() + 1 + domain_octets > MAX_LEN {
        return Err(EmailError::TooLong);
    }
    let mut address = String::with_capacity(local.len() + 1 + domain.len());
    address.push_str(local);
    address.push('@');
    address.push_str(&domain);
    Ok(Email { address })
}

/// Whether `c` may appear in a local part: the HTML rule's `atext` characters and `.`.
fn is_local_char(c: char) -> bool {
    // ".!#$%&'*+/=?^_`{|}~-" as ranges: a test checks they are the same.
    c.is_ascii_alphanumeric()
        || matches!(c, '!' | '#'..='\'' | '*' | '+' | '-'..='/' | '=' | '?' | '^'..='`' | '{'..='~')
}

fn check_local(local: &str) -> Result<(), EmailError> {
    if local.is_empty() {
        return Err(EmailError::EmptyLocal);
    }
    if let Some((position, ch)) = local.chars().enumerate().find(|&(_, c)| !is_local_char(c)) {
        return Err(EmailError::InvalidLocalChar { ch, position });
    }
    if local.len() > MAX_LOCAL_LEN {
        return Err(EmailError::LocalTooLong);
    }
    Ok(())
}

/// The domain lower-cased, with Vietnamese combining marks composed; refuses a
/// character no label may hold. `offset` is the domain's position in the address, in
/// characters (the local part is ASCII by now).
fn fold_domain(domain: &str, offset: usize) -> Result<String, EmailError> {
    if domain.is_empty() {
        return Err(EmailError::EmptyDomain);
    }
    let mut out = String::with_capacity(domain.len());
    let mut chars = domain.chars().enumerate().peekable();
    while let Some((i, typed)) = chars.next() {
        let mut c = idn::lower(typed);
        if c != '.' && !idn::is_label_char(c) {
            return Err(EmailError::InvalidDomainChar {
                ch: c,
                position: offset + i,
            });
        }
        while let Some(&(j, mark)) = chars.peek() {
            if !idn::is_combining(mark) {
                break;
            }
            c = idn::compose(c, mark).ok_or(EmailError::InvalidDomainChar {
                ch: mark,
                position: offset + j,
            })?;
            chars.next();
        }
        out.push(c);
    }
    Ok(out)
}

/// Checks each label of the folded domain; returns the domain's length in octets of
/// its ASCII form.
fn check_labels(domain: &str) -> Result<usize, EmailError> {
    let mut octets = 0;
    let mut labels = 0;
    let mut last = "";
    for label in domain.split('.') {
        if label.is_empty() {
            return Err(EmailError::EmptyLabel);
        }
        octets += ascii_len(label).ok_or(EmailError::LabelTooLong)? + 1;
        if label.starts_with('-') || label.ends_with('-') {
            return Err(EmailError::LabelHyphen {
                label: label.to_owned(),
            });
        }
        labels += 1;
        last = label;
    }
    if labels < 2 {
        return Err(EmailError::SingleLabel);
    }
    if last.bytes().all(|b| b.is_ascii_digit()) {
        return Err(EmailError::NumericTld);
    }
    Ok(octets - 1)
}

/// The length of `label` in octets of its ASCII form; `None` over 63.
fn ascii_len(label: &str) -> Option<usize> {
    if label.is_ascii() {
        return (label.len() <= MAX_LABEL_LEN).then_some(label.len());
    }
    let mut buf = [0u8; MAX_LABEL_LEN - punycode::PREFIX.len()];
    punycode::encode(label, &mut buf).map(|n| n + punycode::PREFIX.len())
}

impl Email {
    /// The normalized address: `Ban.An@gmail.com`, `ban@ví-dụ.vn`.
    pub fn as_str(&self) -> &str {
        &self.address
    }

    /// The part before the `@`, as typed (case kept).
    pub fn local_part(&self) -> &str {
        self.address.split_once('@').map_or("", |(local, _)| local)
    }

    /// The domain, lower-cased, as the visitor reads it (`ví-dụ.vn`).
    pub fn domain(&self) -> &str {
        self.address
            .split_once('@')
            .map_or("", |(_, domain)| domain)
    }

    /// The domain in the ASCII form that DNS and mail servers without SMTPUTF8 use:
    /// each non-ASCII label in Punycode with the `xn--` prefix (`ví-dụ.vn` →
    /// `xn--v-d-rma6749a.vn`). Borrowed when the domain is ASCII already.
    pub fn ascii_domain(&self) -> Cow<'_, str> {
        let domain = self.domain();
        if domain.is_ascii() {
            return Cow::Borrowed(domain);
        }
        let mut out = String::with_capacity(MAX_LEN);
        for (i, label) in domain.split('.').enumerate() {
            if i > 0 {
                out.push('.');
            }
            let mut buf = [0u8; MAX_LABEL_LEN - punycode::PREFIX.len()];
            match punycode::encode(label, &mut buf) {
                Some(n) if !label.is_ascii() => {
                    out.push_str(punycode::PREFIX);
                    out.extend(buf.iter().take(n).map(|&b| char::from(b)));
                }
                // ASCII labels as they are (`parse` guarantees the others encode).
                _ => out.push_str(label),
            }
        }
        Cow::Owned(out)
    }

    /// The whole address with its domain in ASCII form (see [`Email::ascii_domain`]).
    pub fn to_ascii(&self) -> Cow<'_, str> {
        match self.ascii_domain() {
            Cow::Borrowed(_) => Cow::Borrowed(&self.address),
            Cow::Owned(domain) => Cow::Owned(format!("{}@{domain}", self.local_part())),
        }
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.address)
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.address
    }
}

impl From<Email> for String {
    fn from(email: Email) -> String {
        email.address
    }
}

impl FromStr for Email {
    type Err = EmailError;

    fn from_str(s: &str) -> Result<Email, EmailError> {
        parse(s)
    }
}

impl Serialize for Email {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.address)
    }
}

impl<'de> Deserialize<'de> for Email {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Email, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_chars_are_the_html_rules() {
        // The HTML standard's atext characters beyond letters and digits, and `.`.
        let punctuation = ".!#$%&'*+/=?^_`{|}~-";
        for code in 0..0x3100 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let expected = c.is_ascii_alphanumeric() || punctuation.contains(c);
            assert_eq!(is_local_char(c), expected, "{c:?}");
        }
    }
}
