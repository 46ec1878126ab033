//! A stored submission as the owner sees it: the payload as received, the events
//! since, and what they add up to — each consent's current state and the fields as
//! corrected. Once erased on request, what was kept instead of the payload: each
//! consent as sent, the hashes, the names of the fields. While on hold, the hold.

use std::collections::BTreeMap;

use consent_form::fields::{FieldName, FieldValues};
use consent_form::payload::Payload;
use serde::{Deserialize, Serialize};

use crate::store::{EventRow, SubmissionRow};

/// Event kind: a consent was withdrawn.
pub const WITHDRAWN: &str = "withdrawn";
/// Event kind: fields were corrected.
pub const CORRECTED: &str = "corrected";
/// Event kind: the person's data was erased on request.
pub const ERASED: &str = "erased";
/// Event kind: the owner put the record on hold (no erasure until released).
pub const HELD: &str = "held";
/// Event kind: the owner lifted the hold.
pub const RELEASED: &str = "released";

/// The `held` event of a record on hold, among its `events` (oldest first): the last
/// `held` or `released` event, if it is `held`.
pub fn current_hold(events: &[EventRow]) -> Option<&EventRow> {
    events
        .iter()
        .rev()
        .find(|e| e.event.kind == HELD || e.event.kind == RELEASED)
        .filter(|e| e.event.kind == HELD)
}

/// The `reason` in an event's detail (an erasure's, a hold's, a release's).
pub fn reason_of(detail: &str) -> String {
    serde_json::from_str::<serde_json::Value>(detail)
        .ok()
        .and_then(|d| d.get("reason")?.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// A record's hold, as shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HoldView {
    /// When it was put on hold.
    pub since: String,
    /// Why, as the owner wrote it.
    pub reason: String,
    /// The `held` event's `seq`.
    pub seq: i64,
}

impl HoldView {
    /// The hold of a record with `events` (oldest first), if it is on hold.
    pub fn of(events: &[EventRow]) -> Option<HoldView> {
        current_hold(events).map(|e| HoldView {
            since: e.event.at.clone(),
            reason: reason_of(&e.event.detail),
            seq: e.seq,
        })
    }
}

/// A consent's state now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Given and not withdrawn.
    Active,
    /// Refused when the form was sent.
    Refused,
    /// Given, then withdrawn.
    Withdrawn,
}

impl State {
    /// `active`, `refused` or `withdrawn`.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Active => "active",
            State::Refused => "refused",
            State::Withdrawn => "withdrawn",
        }
    }
}

/// An event as shown.
#[derive(Clone, Debug, Serialize)]
pub struct EventView {
    /// Storage order.
    pub seq: i64,
    /// `withdrawn` or `corrected`.
    pub kind: String,
    /// The purpose withdrawn.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// When it happened.
    pub at: String,
    /// When it was recorded.
    pub recorded_at: String,
    /// `principal` or `controller`.
    pub by: String,
    /// Details (note, corrected fields).
    pub detail: serde_json::Value,
}

/// One consent as it was sent, kept when the data is erased: no personal data, the
/// proof of what the person was asked and answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptConsent {
    /// The purpose, as in `consents[].purpose`.
    pub purpose: String,
    /// Whether it was given when the form was sent.
    pub granted: bool,
    /// SHA-256 of the exact text shown.
    pub text_sha256: String,
    /// The consent record's id.
    pub record_id: String,
    /// The policy linked.
    pub policy_url: String,
    /// Its version, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_version: Option<String>,
}

/// What an erasure keeps of a submission (its `proof` column): nothing that identifies
/// the person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proof {
    /// Each consent as sent, in payload order.
    pub consents: Vec<KeptConsent>,
    /// SHA-256 of the text a parent or guardian agreed to, if one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guardian_text_sha256: Option<String>,
    /// The names of the fields sent (not their values), sorted.
    pub fields: Vec<String>,
}

impl Proof {
    /// What is kept of `payload`.
    pub fn of(payload: &Payload) -> Proof {
        Proof {
            consents: payload
                .consents
                .iter()
                .map(|c| KeptConsent {
                    purpose: c.purpose.id().to_owned(),
                    granted: c.granted,
                    text_sha256: c.text_sha256.clone(),
                    record_id: c.record.record_id.clone(),
                    policy_url: c.policy_url.clone(),
                    policy_version: c.policy_version.clone(),
                })
                .collect(),
            guardian_text_sha256: payload.guardian.as_ref().map(|g| g.text_sha256.clone()),
            fields: {
                let mut names: Vec<String> = payload
                    .fields
                    .iter()
                    .map(|(f, _)| f.as_str().to_owned())
                    .collect();
                names.sort();
                names
            },
        }
    }
}

/// The erasure of a record, as shown: when, by whom, why, and what was kept.
#[derive(Clone, Debug, Serialize)]
pub struct ErasedView {
    /// When it was erased (the `erased` event's `at`).
    pub at: String,
    /// `principal` (the person asked) or `controller`.
    pub by: String,
    /// Why, as the owner wrote it.
    pub reason: String,
    /// What was kept.
    #[serde(flatten)]
    pub proof: Proof,
}

/// A record as shown to the owner.
#[derive(Clone, Debug, Serialize)]
pub struct RecordView {
    /// Storage order.
    pub seq: i64,
    /// The submission id.
    pub id: String,
    /// When it was received.
    pub received_at: String,
    /// `contact` or `callback`.
    pub form: String,
    /// When the visitor sent it.
    pub submitted_at: String,
    /// The form's language.
    pub locale: String,
    /// SHA-256 of the stored body.
    pub body_sha256: String,
    /// The verified `webhook-timestamp`.
    pub signature_timestamp: i64,
    /// The captcha check, when the receiver verified one: `outcome` (`passed` or
    /// `expired`), the provider's `error-codes` and `hostname`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captcha: Option<serde_json::Value>,
    /// Each purpose shown and its state now.
    pub consent_state: BTreeMap<String, State>,
    /// The fields as sent, with later corrections applied.
    pub fields: BTreeMap<String, String>,
    /// The payload exactly as received: the stored body embedded as it is (its keys in
    /// the order they came); `null` once erased.
    pub payload: Box<serde_json::value::RawValue>,
    /// The same body as a JSON string: the exact bytes received, whose SHA-256 is
    /// `body_sha256` (a JSON parser gives them back as they were); `null` once erased.
    pub body: Option<String>,
    /// What happened since, oldest first.
    pub events: Vec<EventView>,
    /// The erasure, when the person's data was erased on request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub erased: Option<ErasedView>,
    /// The hold, while the record is on hold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hold: Option<HoldView>,
}

/// The stored body as a [`Payload`] (readable unless erased: only valid ones are
/// stored).
pub fn payload_of(row: &SubmissionRow) -> Option<Payload> {
    if row.erased_at.is_some() {
        return None;
    }
    Payload::from_body(row.body.as_bytes()).ok()
}

/// What an erasure kept of `row`, if it was erased.
pub fn proof_of(row: &SubmissionRow) -> Option<Proof> {
    serde_json::from_str(row.proof.as_deref()?).ok()
}

/// Each purpose asked and whether it was given, in payload order: from the payload, or
/// from what was kept if it was erased.
pub fn asked(row: &SubmissionRow) -> Option<Vec<(String, bool)>> {
    match proof_of(row) {
        Some(proof) => Some(
            proof
                .consents
                .into_iter()
                .map(|c| (c.purpose, c.granted))
                .collect(),
        ),
        None => payload_of(row).map(|p| {
            p.consents
                .iter()
                .map(|c| (c.purpose.id().to_owned(), c.granted))
                .collect()
        }),
    }
}

/// Each purpose of `asked`, in order, with its state after `events`.
pub fn states(asked: &[(String, bool)], events: &[EventRow]) -> Vec<(String, State)> {
    asked
        .iter()
        .map(|(purpose, granted)| {
            let withdrawn = events.iter().any(|e| {
                e.event.kind == WITHDRAWN && e.event.purpose.as_deref() == Some(purpose.as_str())
            });
            let state = match (granted, withdrawn) {
                (false, _) => State::Refused,
                (true, false) => State::Active,
                (true, true) => State::Withdrawn,
            };
            (purpose.clone(), state)
        })
        .collect()
}

/// Each purpose shown, in payload order, with its state after `events`.
pub fn consent_states(payload: &Payload, events: &[EventRow]) -> Vec<(String, State)> {
    let asked: Vec<(String, bool)> = payload
        .consents
        .iter()
        .map(|c| (c.purpose.id().to_owned(), c.granted))
        .collect();
    states(&asked, events)
}

/// Each purpose of the submission `row` (erased or not) with its state after `events`.
pub fn row_consent_states(
    row: &SubmissionRow,
    events: &[EventRow],
) -> Option<Vec<(String, State)>> {
    asked(row).map(|a| states(&a, events))
}

/// The corrected fields of a `corrected` event's detail.
pub fn corrected_fields(detail: &str) -> BTreeMap<String, String> {
    serde_json::from_str::<serde_json::Value>(detail)
        .ok()
        .and_then(|v| v.get("fields").cloned())
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default()
}

/// The payload's fields with every correction in `events` applied, in order.
pub fn current_fields(payload: &Payload, events: &[EventRow]) -> FieldValues {
    let mut fields = payload.fields.clone();
    for e in events.iter().filter(|e| e.event.kind == CORRECTED) {
        for (name, value) in corrected_fields(&e.event.detail) {
            if let Some(field) = FieldName::parse(&name) {
                fields.insert(field, value);
            }
        }
    }
    fields
}

/// The stored body as raw JSON, embedded as it is; as a JSON string if it were not
/// JSON (it always is: only valid submissions are stored).
fn raw_payload(body: &str) -> Box<serde_json::value::RawValue> {
    serde_json::value::RawValue::from_string(body.to_owned())
        .or_else(|_| serde_json::value::to_raw_value(body))
        .unwrap_or_default()
}

impl RecordView {
    /// The view of `row`; `events` may hold other submissions' events too.
    pub fn build(row: &SubmissionRow, events: &[EventRow]) -> RecordView {
        let mine: Vec<EventRow> = events
            .iter()
            .filter(|e| e.event.submission_id == row.id)
            .cloned()
            .collect();
        let payload = payload_of(row);
        let consent_state = row_consent_states(row, &mine)
            .map(|s| s.into_iter().collect())
            .unwrap_or_default();
        let erased = row.erased_at.as_ref().map(|at| {
            let event = mine.iter().find(|e| e.event.kind == ERASED);
            let reason = event
                .map(|e| reason_of(&e.event.detail))
                .unwrap_or_default();
            ErasedView {
                at: at.clone(),
                by: event.map(|e| e.event.actor.clone()).unwrap_or_default(),
                reason,
                proof: proof_of(row).unwrap_or(Proof {
                    consents: Vec::new(),
                    guardian_text_sha256: None,
                    fields: Vec::new(),
                }),
            }
        });
        let fields = payload
            .as_ref()
            .map(|p| {
                current_fields(p, &mine)
                    .into_iter()
                    .map(|(k, v)| (k.as_str().to_owned(), v))
                    .collect()
            })
            .unwrap_or_default();
        let hold = HoldView::of(&mine);
        RecordView {
            seq: row.seq,
            id: row.id.clone(),
            received_at: row.received_at.clone(),
            form: row.form.clone(),
            submitted_at: row.submitted_at.clone(),
            locale: row.locale.clone(),
            body_sha256: row.body_sha256.clone(),
            signature_timestamp: row.signature_timestamp,
            captcha: row
                .captcha
                .as_deref()
                .map(|c| serde_json::from_str(c).unwrap_or_else(|_| c.into())),
            consent_state,
            fields,
            payload: if erased.is_some() {
                serde_json::value::to_raw_value(&serde_json::Value::Null).unwrap_or_default()
            } else {
                raw_payload(&row.body)
            },
            body: erased.is_none().then(|| row.body.clone()),
            events: mine
                .into_iter()
                .map(|e| EventView {
                    seq: e.seq,
                    kind: e.event.kind,
                    purpose: e.event.purpose,
                    at: e.event.at,
                    recorded_at: e.event.recorded_at,
                    by: e.event.actor,
                    detail: serde_json::from_str(&e.event.detail)
                        .unwrap_or(serde_json::Value::Null),
                })
                .collect(),
            erased,
            hold,
        }
    }
}
