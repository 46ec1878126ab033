//! The message a visitor sends to withdraw one consent, from the receipt, as easily as
//! they gave it (Decree 13/2023, Art. 12): a dated event of its own, which does not
//! undo what was done before it.
//!
//! ```json
//! {
//!   "id": "msg_…",                          // this message; equals its webhook-id
//!   "withdraws": "msg_…",                   // the submission's id
//!   "purpose": "marketing",
//!   "withdrawn_at": "2026-11-23T16:09:41.250+07:00",
//!   "locale": "vi",
//!   "text": "…",                            // the exact question the visitor confirmed
//!   "text_sha256": "…"
//! }
//! ```
//!
//! Built, serialized once with [`Withdrawal::to_body`] and signed exactly like a
//! submission (Standard Webhooks, the same key); a receiver calls [`receive`].
//! `schema/withdrawal.schema.json` describes the same JSON; docs/payload.md explains it.
//!
//! What authorises a withdrawal is the submission id it names (128 random bits, known
//! only to the visitor and the controller): the signing key of a page is not secret.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::consent::Purpose;
use crate::json::{ToJson, Writer};
use crate::locale::Locale;
use crate::payload::{Rfc3339, MAX_BODY_BYTES, MAX_CONSENT_TEXT_CHARS};
use crate::signing::{self, sha256_hex, MessageId, Secret, VerifyError, WebhookHeaders};

/// One withdrawal of one consent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Withdrawal {
    /// This message's id; the same as its `webhook-id` header and on every retry.
    pub id: MessageId,
    /// The id of the submission whose consent is withdrawn.
    pub withdraws: MessageId,
    /// The purpose withdrawn.
    pub purpose: Purpose,
    /// When the visitor confirmed, with the offset of the clock used.
    pub withdrawn_at: Rfc3339,
    /// The language the question was shown in.
    pub locale: Locale,
    /// The exact question the visitor confirmed.
    pub text: String,
    /// SHA-256 of `text` (UTF-8), 64 lowercase hex digits.
    pub text_sha256: String,
}

impl Withdrawal {
    /// The withdrawal of `purpose` in submission `withdraws`, confirmed at `at` after
    /// reading `text`.
    pub fn new(
        id: MessageId,
        withdraws: MessageId,
        purpose: Purpose,
        at: Rfc3339,
        locale: Locale,
        text: String,
    ) -> Withdrawal {
        Withdrawal {
            id,
            withdraws,
            purpose,
            withdrawn_at: at,
            locale,
            text_sha256: sha256_hex(&text),
            text,
        }
    }

    /// The JSON body, serialized once: sign and send exactly these bytes (the same as
    /// `serde_json::to_vec` of it).
    pub fn to_body(&self) -> Vec<u8> {
        self.to_json().into_bytes()
    }

    /// Reads a received body: at most [`MAX_BODY_BYTES`], JSON of the right shape.
    /// Call [`Withdrawal::validate`] next (or use [`receive`]).
    pub fn from_body(body: &[u8]) -> Result<Withdrawal, ReceiveError> {
        if body.len() > MAX_BODY_BYTES {
            return Err(ReceiveError::TooLarge { len: body.len() });
        }
        serde_json::from_slice(body).map_err(|e| ReceiveError::Json(e.to_string()))
    }

    /// Everything wrong with its content, in the order found.
    pub fn validate(&self) -> Result<(), Vec<WithdrawalError>> {
        let mut errors = Vec::new();
        if self.id == self.withdraws {
            errors.push(WithdrawalError::SameId);
        }
        let chars = self.text.chars().count();
        if self.text.trim().is_empty() {
            errors.push(WithdrawalError::EmptyText);
        } else if chars > MAX_CONSENT_TEXT_CHARS {
            errors.push(WithdrawalError::TextTooLong(chars));
        }
        if sha256_hex(&self.text) != self.text_sha256 {
            errors.push(WithdrawalError::TextHashMismatch);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

impl ToJson for Withdrawal {
    /// What its `Serialize` writes, byte for byte.
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("id").string(self.id.as_str());
        w.key("withdraws").string(self.withdraws.as_str());
        w.key("purpose").string(self.purpose.id());
        w.key("withdrawn_at").string(self.withdrawn_at.as_str());
        w.key("locale").string(self.locale.tag());
        w.key("text").string(&self.text);
        w.key("text_sha256").string(&self.text_sha256);
        w.end_object();
    }
}

/// One thing wrong with a withdrawal's content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WithdrawalError {
    /// `withdraws` is the message's own `id`.
    SameId,
    /// `text` is blank.
    EmptyText,
    /// `text` has this many characters, more than [`MAX_CONSENT_TEXT_CHARS`].
    TextTooLong(usize),
    /// `text_sha256` is not the SHA-256 of `text`.
    TextHashMismatch,
}

impl fmt::Display for WithdrawalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WithdrawalError::SameId => {
                f.write_str("`withdraws` is the message's own id; name the submission's id")
            }
            WithdrawalError::EmptyText => f.write_str("`text` is blank"),
            WithdrawalError::TextTooLong(n) => write!(
                f,
                "`text` has {n} characters, more than {MAX_CONSENT_TEXT_CHARS}"
            ),
            WithdrawalError::TextHashMismatch => {
                f.write_str("`text_sha256` is not the SHA-256 of `text`")
            }
        }
    }
}

impl std::error::Error for WithdrawalError {}

/// Why a received withdrawal is refused by [`receive`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReceiveError {
    /// The signature or timestamp does not verify: answer 401.
    Signature(VerifyError),
    /// The body is larger than [`MAX_BODY_BYTES`]: answer 413.
    TooLarge {
        /// Its length in bytes.
        len: usize,
    },
    /// The body is not JSON of a withdrawal's shape; serde's message says where: 400.
    Json(String),
    /// Its `id` differs from the `webhook-id` header: 400.
    IdMismatch {
        /// The header's value.
        header: String,
        /// The body's id.
        body: MessageId,
    },
    /// The right shape, wrong content: 422.
    Invalid(Vec<WithdrawalError>),
}

impl fmt::Display for ReceiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReceiveError::Signature(e) => write!(f, "signature check failed: {e}"),
            ReceiveError::TooLarge { len } => {
                write!(f, "the body has {len} bytes, more than {MAX_BODY_BYTES}")
            }
            ReceiveError::Json(why) => write!(f, "the body is not a valid withdrawal: {why}"),
            ReceiveError::IdMismatch { header, body } => write!(
                f,
                "the withdrawal id {body} differs from the webhook-id header {header}"
            ),
            ReceiveError::Invalid(errors) => {
                f.write_str("the withdrawal is invalid: ")?;
                for (i, e) in errors.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    e.fmt(f)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ReceiveError {}

/// Everything a receiver checks, in order: the signature and timestamp (5 minutes'
/// tolerance), the body, that its `id` is the `webhook-id`, and
/// [`Withdrawal::validate`]. `now` is the receiver's clock in Unix seconds.
///
/// Then, on its own records: that the submission `withdraws` names exists and that its
/// `purpose` consent is active; store it keyed by `id` (a retry gets the first answer).
pub fn receive(
    secret: &Secret,
    headers: &WebhookHeaders<'_>,
    body: &[u8],
    now: u64,
) -> Result<Withdrawal, ReceiveError> {
    signing::verify(secret, headers, body, now).map_err(ReceiveError::Signature)?;
    let withdrawal = Withdrawal::from_body(body)?;
    if withdrawal.id.as_str() != headers.id.trim() {
        return Err(ReceiveError::IdMismatch {
            header: headers.id.to_owned(),
            body: withdrawal.id,
        });
    }
    withdrawal.validate().map_err(ReceiveError::Invalid)?;
    Ok(withdrawal)
}

/// Which withdrawal a page tracks: the consent to `purpose` in submission `submission`
/// (`"msg_…/marketing"`).
pub fn key(submission: &str, purpose: &str) -> String {
    [submission, "/", purpose].concat()
}

/// Whether the withdrawal `key` (made by [`key`]) is one of `submission`'s.
pub fn is_of(key: &str, submission: &str) -> bool {
    key.strip_prefix(submission)
        .is_some_and(|purpose| purpose.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_withdrawal_key_names_its_submission_exactly() {
        let k = key("msg_1", "marketing");
        assert!(is_of(&k, "msg_1"));
        assert!(!is_of(&k, "msg_"));
        assert!(!is_of(&key("msg_10", "marketing"), "msg_1"));
    }

    fn sample(text: &str) -> Withdrawal {
        Withdrawal::new(
            MessageId::from_random([2; 16]),
            MessageId::from_random([1; 16]),
            Purpose::Marketing,
            Rfc3339::from_unix_millis(1_795_424_981_250, 420).unwrap(),
            Locale::Vi,
            text.to_owned(),
        )
    }

    #[test]
    fn the_body_is_what_serde_json_writes() {
        for text in [
            "Rút lại đồng ý: “Tôi đồng ý nhận tin”?",
            "\"q\" \\ \u{1}\u{2028} 😀 </script>",
            "",
        ] {
            let w = sample(text);
            assert_eq!(w.to_body(), serde_json::to_vec(&w).unwrap());
            let back = Withdrawal::from_body(&w.to_body()).unwrap();
            assert_eq!(back, w);
        }
    }
}
