//! The JSON the form posts to the host's backend, and how the backend reads it.
//!
//! ```json
//! {
//!   "id": "msg_…",                      // equals the webhook-id header
//!   "form": "contact",                  // or "callback"
//!   "submitted_at": "2026-11-23T16:07:05.123+07:00",
//!   "locale": "vi",
//!   "fields": { "name": "…", "phone": "+84902666984", … },
//!   "consents": [ { "purpose": "consultation", "granted": true, "text": "…",
//!                   "text_sha256": "…", "policy_url": "…", "policy_version": "…",
//!                   "record": { …ISO/IEC TS 27560-shaped record… } }, … ],
//!   "guardian": { "text": "…", "text_sha256": "…" },  // only for a visitor under 16
//!   "captcha": "…"                      // only with a host's captcha hook
//! }
//! ```
//!
//! The sender builds a [`Payload`], serializes it once with [`Payload::to_body`] and
//! signs and sends those exact bytes. The receiver calls [`receive`] (signature,
//! parsing, id check, [`Payload::validate`]) or the steps one by one.
//! `schema/payload.schema.json` describes the same JSON; `docs/payload.md` explains it.

mod body;
mod time;
mod validate;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::consent::{ConsentRecord, Notice, Policy, Purpose};
use crate::email::Email;
use crate::fields::{FieldName, FieldValues, FormKind};
use crate::json::ToJson;
use crate::locale::Locale;
use crate::phone::PhoneNumber;
use crate::signing::{self, sha256_hex, MessageId, Secret, VerifyError, WebhookHeaders};

pub use time::{Rfc3339, TimeError};
pub use validate::{
    is_captcha_token, ValidationError, ValidationErrors, MAX_CAPTCHA_TOKEN_BYTES, MAX_CONSENTS,
    MAX_CONSENT_TEXT_CHARS,
};

/// The largest body a receiver reads, in bytes: the cap browsers put on `keepalive`
/// requests (64 KiB).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// One submission of the form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payload {
    /// The submission id; the same as the `webhook-id` header and on every retry.
    pub id: MessageId,
    /// Which form was sent.
    pub form: FormKind,
    /// When the visitor sent it, with the offset of the clock used.
    pub submitted_at: Rfc3339,
    /// The language the form was shown in.
    pub locale: Locale,
    /// The values of the fields shown and filled in, keyed by field name. Fields that
    /// were hidden or left empty are absent. `phone` is E.164 (`+84902666984`).
    pub fields: FieldValues,
    /// One entry per purpose shown, granted or not.
    pub consents: Vec<ConsentEntry>,
    /// For a visitor who said they are under 16 (where the host asks for it): their
    /// parent's or guardian's agreement to the consents granted, whose name and phone
    /// are in `fields` (`guardian_name`, `guardian_phone`). Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guardian: Option<GuardianConsent>,
    /// The token the host's captcha hook gave at the press, for the backend to verify
    /// with its captcha provider; absent when the host has no hook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captcha: Option<String>,
}

/// A parent's or guardian's agreement, with the exact text they ticked (Decree 13/2023,
/// Art. 20: under 16, a parent or guardian consents too).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuardianConsent {
    /// The exact text shown beside the guardian's box.
    pub text: String,
    /// SHA-256 of `text` (UTF-8), 64 lowercase hex digits.
    pub text_sha256: String,
}

impl GuardianConsent {
    /// The agreement to `text`, with its hash.
    pub fn new(text: String) -> GuardianConsent {
        GuardianConsent {
            text_sha256: sha256_hex(&text),
            text,
        }
    }
}

/// The visitor's decision on one purpose, with the exact text they saw.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentEntry {
    /// The purpose.
    pub purpose: Purpose,
    /// Whether the box was ticked. Refusals are recorded too.
    pub granted: bool,
    /// The exact text shown for the purpose.
    pub text: String,
    /// SHA-256 of `text` (UTF-8), 64 lowercase hex digits.
    pub text_sha256: String,
    /// The full privacy policy.
    pub policy_url: String,
    /// The policy's version, `null` if the host gave none.
    pub policy_version: Option<String>,
    /// The same decision as an ISO/IEC TS 27560-shaped consent record, complete in
    /// itself.
    pub record: ConsentRecord,
}

impl ConsentEntry {
    /// The entry for the visitor's decision on `notice` in submission `id` sent at `at`.
    pub fn new(
        notice: &Notice,
        policy: &Policy,
        granted: bool,
        id: &MessageId,
        at: &Rfc3339,
    ) -> ConsentEntry {
        ConsentEntry {
            purpose: notice.purpose.clone(),
            granted,
            text: notice.text.clone(),
            text_sha256: sha256_hex(&notice.text),
            policy_url: policy.url.clone(),
            policy_version: policy.version.clone(),
            record: ConsentRecord::new(notice, policy, granted, id, at),
        }
    }
}

impl Payload {
    /// A payload with no fields and no consents yet.
    pub fn new(id: MessageId, form: FormKind, submitted_at: Rfc3339, locale: Locale) -> Payload {
        Payload {
            id,
            form,
            submitted_at,
            locale,
            fields: FieldValues::new(),
            consents: Vec::new(),
            guardian: None,
            captcha: None,
        }
    }

    /// Adds the entry for the visitor's decision on `notice`.
    pub fn push_consent(&mut self, notice: &Notice, policy: &Policy, granted: bool) {
        let entry = ConsentEntry::new(notice, policy, granted, &self.id, &self.submitted_at);
        self.consents.push(entry);
    }

    /// The JSON body, serialized once: sign and send exactly these bytes. The same
    /// bytes as `serde_json::to_vec` of the payload, written without serde (see
    /// [`ToJson`]: `to_json` gives them as text).
    pub fn to_body(&self) -> Vec<u8> {
        self.to_json().into_bytes()
    }

    /// Reads a received body: at most [`MAX_BODY_BYTES`], JSON of the right shape.
    ///
    /// This does not check the content; call [`Payload::validate`] next (or use
    /// [`receive`], which does both and checks the signature).
    pub fn from_body(body: &[u8]) -> Result<Payload, PayloadError> {
        if body.len() > MAX_BODY_BYTES {
            return Err(PayloadError::TooLarge { len: body.len() });
        }
        serde_json::from_slice(body).map_err(|error| {
            // Say "unknown form" plainly rather than serde's "unknown variant".
            #[derive(Deserialize)]
            struct FormOnly {
                form: Option<serde_json::Value>,
            }
            if let Ok(FormOnly {
                form: Some(serde_json::Value::String(form)),
            }) = serde_json::from_slice::<FormOnly>(body)
            {
                if FormKind::parse(&form).map(FormKind::as_str) != Some(form.as_str()) {
                    return PayloadError::Invalid(ValidationErrors::one(
                        ValidationError::UnknownForm(form),
                    ));
                }
            }
            PayloadError::Json(error.to_string())
        })
    }

    /// The phone number, if given and valid.
    pub fn phone(&self) -> Option<PhoneNumber> {
        self.fields
            .get(&FieldName::Phone)
            .and_then(|p| crate::phone::parse(p).ok())
    }

    /// The e-mail address, if given and valid.
    pub fn email(&self) -> Option<Email> {
        self.fields
            .get(&FieldName::Email)
            .and_then(|e| crate::email::parse(e).ok())
    }

    /// The entry for `purpose`, if it was shown.
    pub fn consent(&self, purpose: &Purpose) -> Option<&ConsentEntry> {
        self.consents.iter().find(|c| &c.purpose == purpose)
    }

    /// Whether the visitor granted `purpose` (false if it was not shown).
    pub fn granted(&self, purpose: &Purpose) -> bool {
        self.consent(purpose).is_some_and(|c| c.granted)
    }
}

/// Why a received body cannot be read as a [`Payload`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PayloadError {
    /// The body is larger than [`MAX_BODY_BYTES`].
    TooLarge {
        /// Its length in bytes.
        len: usize,
    },
    /// The body is not JSON of the payload's shape; serde's message says where.
    Json(String),
    /// The body has the right shape but wrong content.
    Invalid(ValidationErrors),
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PayloadError::TooLarge { len } => {
                write!(f, "the body has {len} bytes, more than {MAX_BODY_BYTES}")
            }
            PayloadError::Json(message) => write!(f, "the body is not a valid payload: {message}"),
            PayloadError::Invalid(errors) => write!(f, "the payload is invalid: {errors}"),
        }
    }
}

impl std::error::Error for PayloadError {}

impl From<ValidationErrors> for PayloadError {
    fn from(errors: ValidationErrors) -> PayloadError {
        PayloadError::Invalid(errors)
    }
}

/// Why a received request is refused by [`receive`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReceiveError {
    /// The signature or timestamp does not verify: answer 401.
    Signature(VerifyError),
    /// The body is not a valid payload: answer 400 (413 for
    /// [`PayloadError::TooLarge`], 422 for [`PayloadError::Invalid`]).
    Payload(PayloadError),
    /// The payload's `id` differs from the `webhook-id` header: answer 400.
    IdMismatch {
        /// The header's value.
        header: String,
        /// The payload's id.
        payload: MessageId,
    },
}

impl fmt::Display for ReceiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReceiveError::Signature(e) => write!(f, "signature check failed: {e}"),
            ReceiveError::Payload(e) => e.fmt(f),
            ReceiveError::IdMismatch { header, payload } => write!(
                f,
                "the payload id {payload} differs from the webhook-id header {header}"
            ),
        }
    }
}

impl std::error::Error for ReceiveError {}

/// Everything a receiver checks, in order: the signature and timestamp (with the
/// default 5-minute tolerance), the body, that its `id` is the `webhook-id`, and
/// [`Payload::validate`]. `now` is the receiver's clock in Unix seconds.
///
/// Store the result keyed by its `id`: a retry of a stored id is answered 2xx and
/// not stored again.
pub fn receive(
    secret: &Secret,
    headers: &WebhookHeaders<'_>,
    body: &[u8],
    now: u64,
) -> Result<Payload, ReceiveError> {
    signing::verify(secret, headers, body, now).map_err(ReceiveError::Signature)?;
    let payload = Payload::from_body(body).map_err(ReceiveError::Payload)?;
    if payload.id.as_str() != headers.id.trim() {
        return Err(ReceiveError::IdMismatch {
            header: headers.id.to_owned(),
            payload: payload.id,
        });
    }
    payload
        .validate()
        .map_err(|e| ReceiveError::Payload(PayloadError::Invalid(e)))?;
    Ok(payload)
}
