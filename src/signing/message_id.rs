//! The message id: `webhook-id` header, payload `id`, idempotency key.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A message id, `msg_` followed by 16 to 64 characters from `A–Z a–z 0–9 _ -`.
///
/// It stays the same across retries of one submission, so the receiver can use it
/// to store each submission once.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MessageId(String);

/// Why a string is not a [`MessageId`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageIdError {
    /// It does not start with `msg_`.
    MissingPrefix,
    /// The part after `msg_` is shorter than 16 or longer than 64 characters.
    BadLength,
    /// The part after `msg_` has a character outside `A–Z a–z 0–9 _ -`.
    BadCharacter,
}

impl fmt::Display for MessageIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MessageIdError::MissingPrefix => "the message id must start with \"msg_\"",
            MessageIdError::BadLength => {
                "the message id must have 16 to 64 characters after \"msg_\""
            }
            MessageIdError::BadCharacter => {
                "the message id may only contain A-Z, a-z, 0-9, '_' and '-' after \"msg_\""
            }
        })
    }
}

impl std::error::Error for MessageIdError {}

impl MessageId {
    /// The prefix of every message id.
    pub const PREFIX: &'static str = "msg_";

    /// A new id from 16 random bytes the caller supplies (in the browser,
    /// `crypto.getRandomValues`): `msg_` and 32 lowercase hex digits.
    pub fn from_random(bytes: [u8; 16]) -> MessageId {
        let mut id = String::with_capacity(Self::PREFIX.len() + 32);
        id.push_str(Self::PREFIX);
        super::push_hex(&mut id, &bytes);
        MessageId(id)
    }

    /// Checks and wraps an id received from elsewhere.
    pub fn parse(text: &str) -> Result<MessageId, MessageIdError> {
        let rest = text
            .strip_prefix(Self::PREFIX)
            .ok_or(MessageIdError::MissingPrefix)?;
        if !rest
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
        {
            return Err(MessageIdError::BadCharacter);
        }
        if !(16..=64).contains(&rest.len()) {
            return Err(MessageIdError::BadLength);
        }
        Ok(MessageId(text.to_owned()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MessageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for MessageId {
    type Error = MessageIdError;

    fn try_from(text: String) -> Result<MessageId, MessageIdError> {
        MessageId::parse(&text)
    }
}

impl From<MessageId> for String {
    fn from(id: MessageId) -> String {
        id.0
    }
}

impl std::str::FromStr for MessageId {
    type Err = MessageIdError;

    fn from_str(text: &str) -> Result<MessageId, MessageIdError> {
        MessageId::parse(text)
    }
}
