//! The visitor's receipt: what they agreed to and refused, when, under which id.

use serde::{Deserialize, Serialize};

use crate::fields::FormKind;

/// One purpose on the receipt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptLine {
    /// The purpose id.
    pub purpose: String,
    /// The sentence the visitor saw next to the checkbox.
    pub sentence: String,
    /// Whether they ticked it.
    pub granted: bool,
}

/// What the visitor keeps after a successful submission.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// The submission id (the `webhook-id`).
    pub id: String,
    /// When it was submitted, RFC 3339.
    pub submitted_at: String,
    /// Which form.
    pub form: FormKind,
    /// Who controls the data.
    pub controller: String,
    /// The policy in force.
    pub policy_url: String,
    /// Its version, if given.
    pub policy_version: Option<String>,
    /// Each purpose shown, agreed or refused.
    pub lines: Vec<ReceiptLine>,
    /// The exact JSON that was sent: the downloadable copy.
    pub body: String,
}

impl Receipt {
    /// The file name for the downloaded copy: `consent-<id>.json`.
    pub fn file_name(&self) -> String {
        let safe: String = self.id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect();
        format!("consent-{safe}.json")
    }
}
