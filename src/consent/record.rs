//! The consent record, shaped after ISO/IEC TS 27560:2023, that a controller keeps and
//! can hand to an auditor: who consented (or refused), when, to exactly what text.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Controller, MarketingTerms, Notice, Policy, Purpose, SensitiveCategory};
use crate::locale::Locale;
use crate::payload::Rfc3339;
use crate::signing::{sha256_hex, MessageId};

/// The `schema_version` of records this crate writes.
pub const RECORD_SCHEMA_VERSION: &str = "consent-form/1 (ISO/IEC TS 27560:2023)";

/// The jurisdiction of every record: Viet Nam (Decree 13/2023/ND-CP, Law 91/2025/QH15).
pub const JURISDICTION: &str = "VN";

/// The `collection_method` of records made by the form.
pub const COLLECTION_METHOD: &str = "web_form";

/// A consent record for one purpose (ISO/IEC TS 27560: header, processing, events).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentRecord {
    /// Which record format this is: [`RECORD_SCHEMA_VERSION`].
    pub schema_version: String,
    /// Unique id of this record: `<submission id>:<purpose>`.
    pub record_id: String,
    /// Who the record is about: the submission id, whose fields identify the person;
    /// absent when the record is kept apart from them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal_id: Option<String>,
    /// How consent was collected: [`COLLECTION_METHOD`].
    pub collection_method: String,
    /// What was consented to.
    pub processing: Processing,
    /// What happened, oldest first: given or refused, later perhaps withdrawn.
    pub events: Vec<ConsentEvent>,
}

/// The processing the consent is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Processing {
    /// The notice shown.
    pub notice: RecordedNotice,
    /// The purposes (one per record here).
    pub purposes: Vec<PurposeInfo>,
    /// The kinds of personal data processed.
    pub data_types: Vec<String>,
    /// Whether sensitive personal data is processed.
    pub sensitive: bool,
    /// Which kinds of sensitive data, when known.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sensitive_categories: Vec<SensitiveCategory>,
    /// Who controls the data.
    pub controllers: Vec<Controller>,
    /// Other organisations that receive the data.
    pub recipients: Vec<String>,
    /// When processing starts and ends; how long data is kept.
    pub retention: String,
    /// Possible harm or unwanted consequences.
    pub consequences: String,
    /// How to withdraw consent.
    pub withdrawal_method: String,
    /// Marketing channels and frequency, for the marketing purpose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marketing: Option<MarketingTerms>,
    /// The law that applies: [`JURISDICTION`].
    pub jurisdiction: String,
    /// The legal basis: always `"consent"`.
    pub legal_basis: String,
}

/// The notice as recorded: the exact text shown, its hash, its language and policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedNotice {
    /// The exact text shown.
    pub text: String,
    /// SHA-256 of the UTF-8 text, 64 lowercase hex digits.
    pub text_sha256: String,
    /// Its language.
    pub language: Locale,
    /// The full privacy policy.
    pub policy_url: String,
    /// The policy's version, if the host gave one.
    pub policy_version: Option<String>,
}

/// A purpose as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurposeInfo {
    /// The purpose id.
    pub id: Purpose,
    /// The purpose in plain words.
    pub description: String,
    /// Whether the form could not be sent without it.
    pub required: bool,
}

/// Something that happened to a consent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentEvent {
    /// When.
    pub time: Rfc3339,
    /// What happened.
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// The consent's state afterwards.
    pub state: ConsentState,
    /// Who did it.
    pub by: Actor,
    /// How long the consent lasts, for a given consent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validity: Option<Validity>,
}

/// What happened to a consent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    /// The person ticked the box and sent the form.
    Given,
    /// The person sent the form without ticking the box.
    Refused,
    /// The person took the consent back. Earlier lawful processing stays lawful.
    Withdrawn,
}

/// The state of a consent after an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentState {
    /// Given and not withdrawn: processing for the purpose may go ahead.
    Active,
    /// Refused: no processing for the purpose.
    Refused,
    /// Withdrawn: processing for the purpose must stop.
    Withdrawn,
}

impl EventType {
    /// The state an event of this type leads to.
    pub fn resulting_state(self) -> ConsentState {
        match self {
            EventType::Given => ConsentState::Active,
            EventType::Refused => ConsentState::Refused,
            EventType::Withdrawn => ConsentState::Withdrawn,
        }
    }
}

/// Who caused an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// The person the data is about.
    Principal,
    /// The controller, acting on the person's request (e.g. a withdrawal by e-mail).
    Controller,
}

/// How long a consent lasts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    /// Until the person withdraws it (Decree 13/2023 Art. 12).
    UntilWithdrawn,
}

/// Why a withdrawal cannot be recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WithdrawError {
    /// Only an active (given) consent can be withdrawn; holds the current state.
    NotActive(Option<ConsentState>),
    /// The withdrawal would be dated before the record's last event.
    BeforeLastEvent,
}

impl fmt::Display for WithdrawError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WithdrawError::NotActive(Some(state)) => {
                write!(
                    f,
                    "only an active consent can be withdrawn; this one is {state:?}"
                )
            }
            WithdrawError::NotActive(None) => write!(f, "the record has no events"),
            WithdrawError::BeforeLastEvent => {
                write!(
                    f,
                    "a withdrawal cannot be dated before the record's last event"
                )
            }
        }
    }
}

impl std::error::Error for WithdrawError {}

impl ConsentRecord {
    /// The record of the person's decision on `notice`, made when they sent submission
    /// `submission` at `at`.
    pub fn new(
        notice: &Notice,
        policy: &Policy,
        granted: bool,
        submission: &MessageId,
        at: &Rfc3339,
    ) -> ConsentRecord {
        let event_type = if granted {
            EventType::Given
        } else {
            EventType::Refused
        };
        ConsentRecord {
            schema_version: RECORD_SCHEMA_VERSION.to_owned(),
            record_id: record_id(submission, &notice.purpose),
            principal_id: Some(submission.as_str().to_owned()),
            collection_method: COLLECTION_METHOD.to_owned(),
            processing: Processing {
                notice: RecordedNotice {
                    text: notice.text.clone(),
                    text_sha256: sha256_hex(&notice.text),
                    language: notice.language,
                    policy_url: policy.url.clone(),
                    policy_version: policy.version.clone(),
                },
                purposes: vec![PurposeInfo {
                    id: notice.purpose.clone(),
                    description: notice.description.clone(),
                    required: notice.purpose.is_required(),
                }],
                data_types: notice.data_types.clone(),
                sensitive: notice.sensitive || !notice.sensitive_categories.is_empty(),
                sensitive_categories: notice.sensitive_categories.clone(),
                controllers: vec![notice.controller.clone()],
                recipients: notice.recipients.clone(),
                retention: notice.retention.clone(),
                consequences: notice.consequences.clone(),
                withdrawal_method: notice.withdrawal.clone(),
                marketing: notice.marketing.clone(),
                jurisdiction: JURISDICTION.to_owned(),
                legal_basis: "consent".to_owned(),
            },
            events: vec![ConsentEvent {
                time: at.clone(),
                event_type,
                state: event_type.resulting_state(),
                by: Actor::Principal,
                validity: granted.then_some(Validity::UntilWithdrawn),
            }],
        }
    }

    /// The state after the last event; `None` if there are no events.
    pub fn current_state(&self) -> Option<ConsentState> {
        self.events.last().map(|e| e.state)
    }

    /// The purpose of the record (the first listed).
    pub fn purpose(&self) -> Option<&Purpose> {
        self.processing.purposes.first().map(|p| &p.id)
    }

    /// Records a withdrawal at `at` by `by`. Earlier events stay: processing done
    /// while the consent was active stays lawful.
    pub fn withdraw(&mut self, at: Rfc3339, by: Actor) -> Result<(), WithdrawError> {
        let last = self.events.last().ok_or(WithdrawError::NotActive(None))?;
        if last.state != ConsentState::Active {
            return Err(WithdrawError::NotActive(Some(last.state)));
        }
        if at.unix_millis() < last.time.unix_millis() {
            return Err(WithdrawError::BeforeLastEvent);
        }
        self.events.push(ConsentEvent {
            time: at,
            event_type: EventType::Withdrawn,
            state: ConsentState::Withdrawn,
            by,
            validity: None,
        });
        Ok(())
    }
}

/// The record id for `purpose` in submission `submission`.
pub fn record_id(submission: &MessageId, purpose: &Purpose) -> String {
    format!("{}:{}", submission.as_str(), purpose.id())
}
