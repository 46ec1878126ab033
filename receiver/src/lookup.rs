//! Finding a person's records by phone number or e-mail address (access, correction
//! and erasure requests).
//!
//! Each submission not erased has rows in the `lookup` table (migration 4): a key for
//! every phone number (`phone`, `guardian_phone`) and e-mail address it was sent with
//! and every one a correction gave it, so a record corrected away from a number is
//! still found by it. An erasure deletes its rows. A key is what [`Key`] says: a phone
//! as E.164, an address as [`email_key`] folds it.

use std::collections::BTreeSet;
use std::fmt;

use consent_form::email::{self, EmailError};
use consent_form::fields::FieldName;
use consent_form::payload::Payload;
use consent_form::phone::{self, PhoneError};
use serde::Serialize;

use crate::records::{corrected_fields, CORRECTED};
use crate::store::{EventRow, NewEvent};

/// The kind of a phone number's key.
pub const PHONE: &str = "phone";
/// The kind of an e-mail address's key.
pub const EMAIL: &str = "email";

/// What a submission is found by: a phone number in E.164 (`+84902666984`, the
/// visitor's or their guardian's) or an e-mail address folded by [`email_key`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    /// [`PHONE`] or [`EMAIL`].
    pub kind: &'static str,
    /// The folded value.
    pub value: String,
}

/// An address as it is searched: [`email::parse`]'s normalisation (trimmed, `mailto:`
/// and invisible characters gone, full-width read as ASCII), the domain in its ASCII
/// (`xn--`) form, and all of it lower-cased — the local part too: `An.Nguyen@Vidu.vn`
/// and `an.nguyen@vidu.vn` are one key.
pub fn email_key(text: &str) -> Result<String, EmailError> {
    email::parse(text).map(|e| e.to_ascii().to_lowercase())
}

/// The key of a stored `value` of `field`, if the field is a phone or an e-mail.
/// Stored values were validated: a phone is E.164 already, an address parses.
pub fn key_of(field: FieldName, value: &str) -> Option<Key> {
    match field {
        FieldName::Phone | FieldName::GuardianPhone => Some(Key {
            kind: PHONE,
            value: phone::parse(value)
                .map(|n| n.e164())
                .unwrap_or_else(|_| value.trim().to_owned()),
        }),
        FieldName::Email => Some(Key {
            kind: EMAIL,
            value: email_key(value).unwrap_or_else(|_| value.trim().to_lowercase()),
        }),
        _ => None,
    }
}

/// The keys of `fields` (name, value), sorted, each once.
fn keys<'a>(fields: impl Iterator<Item = (FieldName, &'a str)>) -> Vec<Key> {
    let set: BTreeSet<Key> = fields.filter_map(|(f, v)| key_of(f, v)).collect();
    set.into_iter().collect()
}

/// The keys of a submission as sent.
pub fn keys_of_payload(payload: &Payload) -> Vec<Key> {
    keys(payload.fields.iter().map(|(f, v)| (f, v.as_str())))
}

/// The keys of a stored body (none if it is not a payload: erased, or unreadable).
pub fn keys_of_body(body: &str) -> Vec<Key> {
    Payload::from_body(body.as_bytes())
        .map(|p| keys_of_payload(&p))
        .unwrap_or_default()
}

/// The keys a correction's detail gives.
pub fn keys_of_correction(detail: &str) -> Vec<Key> {
    let fields = corrected_fields(detail);
    keys(
        fields
            .iter()
            .filter_map(|(name, v)| Some((FieldName::parse(name)?, v.as_str()))),
    )
}

/// The keys `event` adds: a correction's values; nothing for any other event.
pub fn keys_of_event(event: &NewEvent) -> Vec<Key> {
    if event.kind == CORRECTED {
        keys_of_correction(&event.detail)
    } else {
        Vec::new()
    }
}

/// A search, as the owner asks it: a phone number, an e-mail address, or both (a
/// record matches if it holds either).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Search {
    /// The phone number searched, E.164.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// The address searched, folded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// What the query's phone number became, when it was an obsolete one (the 2017
    /// area codes, the 2018 11-digit mobiles): its current number is searched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Why a search query is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SearchError {
    /// `phone` is not a Vietnamese phone number.
    Phone(PhoneError),
    /// `email` is not an e-mail address.
    Email(EmailError),
}

impl fmt::Display for SearchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SearchError::Phone(e) => write!(f, "`phone` is not a Vietnamese phone number: {e}"),
            SearchError::Email(e) => write!(f, "`email` is not an e-mail address: {e}"),
        }
    }
}

impl std::error::Error for SearchError {}

impl Search {
    /// Reads the query's `phone` and `email`; `None` when neither is given.
    pub fn parse(phone: Option<&str>, email: Option<&str>) -> Result<Option<Search>, SearchError> {
        if phone.is_none() && email.is_none() {
            return Ok(None);
        }
        let mut note = None;
        let phone = match phone {
            None => None,
            Some(text) => match phone::parse(text) {
                Ok(n) => Some(n.e164()),
                Err(e) => {
                    let PhoneError::Obsolete { corrected, .. } = &e else {
                        return Err(SearchError::Phone(e));
                    };
                    let now = corrected.e164();
                    note = Some(format!("{e} Searched for {now}."));
                    Some(now)
                }
            },
        };
        let email = email
            .map(email_key)
            .transpose()
            .map_err(SearchError::Email)?;
        Ok(Some(Search { phone, email, note }))
    }

    /// The keys searched.
    pub fn keys(&self) -> Vec<Key> {
        let phone = self.phone.iter().map(|v| Key {
            kind: PHONE,
            value: v.clone(),
        });
        let email = self.email.iter().map(|v| Key {
            kind: EMAIL,
            value: v.clone(),
        });
        phone.chain(email).collect()
    }
}

/// A correction that gave the searched value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CorrectionMatch {
    /// The correction event's `seq`.
    pub seq: i64,
    /// The fields it set to the searched value.
    pub fields: Vec<String>,
}

/// Where a found record holds the searched value.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Matched {
    /// The fields sent with it.
    pub sent: Vec<String>,
    /// The corrections that gave it.
    pub corrected: Vec<CorrectionMatch>,
    /// The fields that hold it now (corrections applied); empty when it was corrected
    /// away.
    pub current: Vec<String>,
}

/// Where `payload`, with its `events`, holds one of `keys`.
pub fn matched(payload: &Payload, events: &[EventRow], keys: &[Key]) -> Matched {
    let hit =
        |field: FieldName, value: &str| key_of(field, value).is_some_and(|k| keys.contains(&k));
    let sent = payload
        .fields
        .iter()
        .filter(|(f, v)| hit(*f, v))
        .map(|(f, _)| f.as_str().to_owned())
        .collect();
    let corrected = events
        .iter()
        .filter(|e| e.event.kind == CORRECTED)
        .filter_map(|e| {
            let fields: Vec<String> = corrected_fields(&e.event.detail)
                .into_iter()
                .filter(|(name, v)| FieldName::parse(name).is_some_and(|f| hit(f, v)))
                .map(|(name, _)| name)
                .collect();
            (!fields.is_empty()).then_some(CorrectionMatch { seq: e.seq, fields })
        })
        .collect();
    let current = crate::records::current_fields(payload, events)
        .iter()
        .filter(|(f, v)| hit(*f, v))
        .map(|(f, _)| f.as_str().to_owned())
        .collect();
    Matched {
        sent,
        corrected,
        current,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_searched_as_e164_whatever_the_typing() {
        for typed in [
            "0902 666 984",
            "+84 902-666-984",
            "0084902666984",
            "(+84) 902.666.984",
            // `+84…` in a URL query not encoded: the `+` arrives as a space.
            " 84902666984",
        ] {
            let s = Search::parse(Some(typed), None).unwrap().unwrap();
            assert_eq!(s.phone.as_deref(), Some("+84902666984"), "{typed}");
            assert_eq!(s.note, None);
        }
        // An 11-digit mobile of before 2018: what it became, said.
        let s = Search::parse(Some("0162 123 4567"), None).unwrap().unwrap();
        assert_eq!(s.phone.as_deref(), Some("+84321234567"));
        assert!(s.note.unwrap().contains("+84321234567"));
        for bad in ["", "abc", "0902 666", "+1 202 555 0100", &"9".repeat(300)] {
            let e = Search::parse(Some(bad), None).unwrap_err();
            assert!(matches!(e, SearchError::Phone(_)), "{bad}: {e:?}");
            assert!(e.to_string().starts_with("`phone`"), "{e}");
        }
        assert_eq!(Search::parse(None, None), Ok(None));
    }

    #[test]
    fn addresses_fold_case_and_domain_form() {
        let key = |t: &str| email_key(t).unwrap();
        assert_eq!(key(" An.Nguyen@VIDU.vn "), "an.nguyen@vidu.vn");
        assert_eq!(key("mailto:an.nguyen@vidu.vn"), "an.nguyen@vidu.vn");
        assert_eq!(key("ban@ví-dụ.vn"), key("BAN@xn--v-d-rma6749a.vn"));
        assert!(matches!(
            Search::parse(None, Some("not an address")),
            Err(SearchError::Email(_))
        ));
        assert!(Search::parse(None, Some("")).is_err());
    }

    #[test]
    fn keys_of_fields_and_corrections() {
        let k = keys_of_correction(
            r#"{"fields":{"email":"Moi@Vidu.vn","phone":"+84902666984","name":"An"},"note":"x"}"#,
        );
        assert_eq!(
            k,
            [
                Key {
                    kind: EMAIL,
                    value: "moi@vidu.vn".into()
                },
                Key {
                    kind: PHONE,
                    value: "+84902666984".into()
                }
            ]
        );
        assert!(keys_of_correction(r#"{"redacted":true,"fields":["email"]}"#).is_empty());
        assert!(keys_of_body("").is_empty());
    }
}
