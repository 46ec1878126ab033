//! The shared signing key, `whsec_<base64>`.

use std::fmt;
use std::str::FromStr;

use super::base64;

/// A Standard Webhooks signing key (`whsec_` followed by base64 key bytes).
///
/// Its `Debug` output never shows the key.
#[derive(Clone)]
pub struct Secret {
    key: Vec<u8>,
}

/// Why a string is not a usable [`Secret`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretError {
    /// The string does not start with `whsec_`.
    MissingPrefix,
    /// Nothing follows the prefix, or the key decodes to zero bytes.
    Empty,
    /// What follows the prefix is not standard base64.
    InvalidBase64,
}

impl fmt::Display for SecretError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SecretError::MissingPrefix => "the signing secret must start with \"whsec_\"",
            SecretError::Empty => "the signing secret is empty",
            SecretError::InvalidBase64 => "the signing secret is not valid base64 after \"whsec_\"",
        })
    }
}

impl std::error::Error for SecretError {}

impl Secret {
    /// The prefix of a secret's text form.
    pub const PREFIX: &'static str = "whsec_";

    /// Parses `whsec_<base64>`; surrounding whitespace is ignored.
    pub fn parse(text: &str) -> Result<Secret, SecretError> {
        let encoded = text
            .trim()
            .strip_prefix(Self::PREFIX)
            .ok_or(SecretError::MissingPrefix)?;
        if encoded.is_empty() {
            return Err(SecretError::Empty);
        }
        let key = base64::decode(encoded).ok_or(SecretError::InvalidBase64)?;
        Secret::from_bytes(&key)
    }

    /// A secret made of raw key bytes (for a backend that issues keys).
    pub fn from_bytes(key: &[u8]) -> Result<Secret, SecretError> {
        if key.is_empty() {
            return Err(SecretError::Empty);
        }
        Ok(Secret { key: key.to_vec() })
    }

    /// The text form `whsec_<base64>`, to hand the key to a client. It reveals the key.
    pub fn expose_whsec(&self) -> String {
        let mut out = String::from(Self::PREFIX);
        base64::encode_into(&self.key, &mut out);
        out
    }

    pub(super) fn key(&self) -> &[u8] {
        &self.key
    }
}

impl FromStr for Secret {
    type Err = SecretError;

    fn from_str(text: &str) -> Result<Secret, SecretError> {
        Secret::parse(text)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}
