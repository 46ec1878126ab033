//! Why data is processed: one consent per purpose.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A purpose the visitor is asked to consent to. Its id is the checkbox's
/// `consent-<id>` and the `purpose` in the payload.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Purpose {
    /// `consultation`: being contacted about the request. Required: it is why the data
    /// is collected.
    Consultation,
    /// `marketing`: news and offers through the stated channels and frequency. Optional.
    Marketing,
    /// `call_recording`: recording the call back. Optional.
    CallRecording,
    /// A host-defined purpose, such as sharing with a named partner. Optional.
    Custom(CustomPurposeId),
}

/// The id of a host-defined purpose: 1–64 characters from `a–z 0–9 _`, starting with a
/// letter, and not the id of a built-in purpose.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CustomPurposeId(String);

/// Why a string is not a purpose id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PurposeError {
    /// Empty or longer than 64 characters.
    BadLength,
    /// Not a lower-case letter first, or a character outside `a–z 0–9 _`.
    BadCharacter,
    /// A custom purpose may not take a built-in purpose's id.
    Reserved,
}

impl fmt::Display for PurposeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PurposeError::BadLength => "a purpose id has 1 to 64 characters",
            PurposeError::BadCharacter => {
                "a purpose id starts with a-z and contains only a-z, 0-9 and '_'"
            }
            PurposeError::Reserved => "a custom purpose cannot use a built-in purpose's id",
        })
    }
}

impl std::error::Error for PurposeError {}

const BUILT_IN: [(&str, Purpose); 3] = [
    ("consultation", Purpose::Consultation),
    ("marketing", Purpose::Marketing),
    ("call_recording", Purpose::CallRecording),
];

fn check_id(id: &str) -> Result<(), PurposeError> {
    if id.is_empty() || id.len() > 64 {
        return Err(PurposeError::BadLength);
    }
    let mut bytes = id.bytes();
    let first_ok = bytes.next().is_some_and(|c| c.is_ascii_lowercase());
    if !first_ok || !bytes.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_') {
        return Err(PurposeError::BadCharacter);
    }
    Ok(())
}

impl CustomPurposeId {
    /// Checks a host-defined purpose id.
    pub fn parse(id: &str) -> Result<CustomPurposeId, PurposeError> {
        check_id(id)?;
        if BUILT_IN.iter().any(|(name, _)| *name == id) {
            return Err(PurposeError::Reserved);
        }
        Ok(CustomPurposeId(id.to_owned()))
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Purpose {
    /// Reads a purpose id: a built-in name, else a custom id.
    pub fn parse(id: &str) -> Result<Purpose, PurposeError> {
        if let Some((_, p)) = BUILT_IN.iter().find(|(name, _)| *name == id) {
            return Ok(p.clone());
        }
        CustomPurposeId::parse(id).map(Purpose::Custom)
    }

    /// The id: `consultation`, `marketing`, `call_recording` or the host's.
    pub fn id(&self) -> &str {
        match self {
            Purpose::Consultation => "consultation",
            Purpose::Marketing => "marketing",
            Purpose::CallRecording => "call_recording",
            Purpose::Custom(id) => id.as_str(),
        }
    }

    /// Whether the form cannot be sent without this consent (only consultation).
    pub fn is_required(&self) -> bool {
        *self == Purpose::Consultation
    }
}

impl fmt::Display for Purpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl TryFrom<String> for Purpose {
    type Error = PurposeError;

    fn try_from(id: String) -> Result<Purpose, PurposeError> {
        Purpose::parse(&id)
    }
}

impl From<Purpose> for String {
    fn from(purpose: Purpose) -> String {
        purpose.id().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        for (name, p) in BUILT_IN {
            assert_eq!(Purpose::parse(name), Ok(p.clone()));
            assert_eq!(p.id(), name);
            assert_eq!(serde_json::to_string(&p).unwrap(), format!("\"{name}\""));
        }
        let partner = Purpose::parse("share_with_partner_2").unwrap();
        assert_eq!(partner.id(), "share_with_partner_2");
        assert!(!partner.is_required());
        assert!(Purpose::Consultation.is_required());
        assert!(!Purpose::Marketing.is_required());
        let back: Purpose = serde_json::from_str("\"share_with_partner_2\"").unwrap();
        assert_eq!(back, partner);
        let builtin: Purpose = serde_json::from_str("\"call_recording\"").unwrap();
        assert_eq!(builtin, Purpose::CallRecording);
    }

    #[test]
    fn bad_ids() {
        assert_eq!(Purpose::parse(""), Err(PurposeError::BadLength));
        assert_eq!(
            Purpose::parse(&"a".repeat(65)),
            Err(PurposeError::BadLength)
        );
        assert!(Purpose::parse(&"a".repeat(64)).is_ok());
        for bad in ["Marketing", "1st", "_x", "a-b", "a b", "đồng_ý"] {
            assert_eq!(
                Purpose::parse(bad),
                Err(PurposeError::BadCharacter),
                "{bad}"
            );
        }
        assert_eq!(
            CustomPurposeId::parse("marketing"),
            Err(PurposeError::Reserved)
        );
        assert!(serde_json::from_str::<Purpose>("\"Bad Id\"").is_err());
    }
}
