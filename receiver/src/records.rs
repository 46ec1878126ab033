//! A stored submission as the owner sees it: the payload as received, the events
//! since, and what they add up to — each consent's current state and the fields as
//! corrected.

use std::collections::BTreeMap;

use consent_form::fields::{FieldName, FieldValues};
use consent_form::payload::Payload;
use serde::Serialize;

use crate::store::{EventRow, SubmissionRow};

/// Event kind: a consent was withdrawn.
pub const WITHDRAWN: &str = "withdrawn";
/// Event kind: fields were corrected.
pub const CORRECTED: &str = "corrected";

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
    /// the order they came).
    pub payload: Box<serde_json::value::RawValue>,
    /// The same body as a JSON string: the exact bytes received, whose SHA-256 is
    /// `body_sha256` (a JSON parser gives them back as they were).
    pub body: String,
    /// What happened since, oldest first.
    pub events: Vec<EventView>,
}

/// The stored body as a [`Payload`] (always readable: only valid ones are stored).
pub fn payload_of(row: &SubmissionRow) -> Option<Payload> {
    Payload::from_body(row.body.as_bytes()).ok()
}

/// Each purpose shown, in payload order, with its state after `events`.
pub fn consent_states(payload: &Payload, events: &[EventRow]) -> Vec<(String, State)> {
    payload
        .consents
        .iter()
        .map(|c| {
            let purpose = c.purpose.id().to_owned();
            let withdrawn = events.iter().any(|e| {
                e.event.kind == WITHDRAWN && e.event.purpose.as_deref() == Some(purpose.as_str())
            });
            let state = match (c.granted, withdrawn) {
                (false, _) => State::Refused,
                (true, false) => State::Active,
                (true, true) => State::Withdrawn,
            };
            (purpose, state)
        })
        .collect()
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
        let consent_state = payload
            .as_ref()
            .map(|p| consent_states(p, &mine).into_iter().collect())
            .unwrap_or_default();
        let fields = payload
            .as_ref()
            .map(|p| {
                current_fields(p, &mine)
                    .into_iter()
                    .map(|(k, v)| (k.as_str().to_owned(), v))
                    .collect()
            })
            .unwrap_or_default();
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
            payload: raw_payload(&row.body),
            body: row.body.clone(),
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
        }
    }
}
