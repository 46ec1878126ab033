//! `POST /owner/records/{id}/erase`: erases a person's data on request (Decree
//! 13/2023 Art. 16, the 2025 Personal Data Protection Law), keeping what proves what
//! happened without identifying anyone.
//!
//! Gone: the signed body (names, phone, e-mail, free text, a guardian's name and
//! phone, the captcha token), the values of corrections and the owner's notes on the
//! submission's events. Kept: the id, `body_sha256`, form, times, the verified
//! timestamp, the captcha outcome, each consent as sent (purpose, given or refused,
//! its text's SHA-256, record id, policy), the guardian's text hash, the names of the
//! fields sent, every event's kind, purpose, times and author, a visitor's withdrawal
//! as they confirmed it, and a new `erased` event (when, by whom, why). Erasing again
//! answers as the first time. A record on hold ([`crate::hold`]) is not erased: 409
//! `held`, naming the hold.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use serde::{Deserialize, Serialize};

use crate::app::Shared;
use crate::clock;
use crate::error::{json_response, log_ref, ApiError, LogNote};
use crate::owner::{authorize, json_body, storage, unprocessable};
use crate::records::{self, Proof, ERASED};
use crate::store::{
    AppendError, Erasure, ErasurePlan, ErasurePlanner, EventRow, NewEvent, Store, SubmissionRow,
};

/// The longest reason, in characters.
pub(crate) const MAX_REASON_CHARS: usize = 2000;

/// An erasure, as the owner posts it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EraseRequest {
    /// `principal` (the person asked) or `controller` (on its own decision, e.g. the
    /// retention period ended).
    by: String,
    /// Why: how the request came, a ticket number — not the person's data.
    reason: String,
}

/// The answer, the same to every repeat.
#[derive(Debug, Serialize)]
struct Erased<'a> {
    ok: bool,
    id: &'a str,
    erased_at: &'a str,
    by: &'a str,
    reason: &'a str,
}

fn answer(row: &EventRow) -> Response {
    let reason = records::reason_of(&row.event.detail);
    let body = serde_json::to_string(&Erased {
        ok: true,
        id: &row.event.submission_id,
        erased_at: &row.event.at,
        by: &row.event.actor,
        reason: &reason,
    })
    .unwrap_or_default();
    json_response(StatusCode::OK, body)
}

/// An event's detail without the personal data it holds (the owner's note, a
/// correction's values — the corrected fields' names stay), marked `redacted`; `None`
/// when it holds none (a visitor's withdrawal: ids, hashes, the question they
/// confirmed) or was redacted already.
pub fn redacted(detail: &str) -> Option<String> {
    let mut detail: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(detail).ok()?;
    let done = detail.get("redacted") == Some(&serde_json::Value::Bool(true));
    if done || (!detail.contains_key("note") && !detail.contains_key("fields")) {
        return None;
    }
    detail.remove("note");
    if let Some(fields) = detail.remove("fields") {
        let names: Vec<String> = fields
            .as_object()
            .map(|f| f.keys().cloned().collect())
            .unwrap_or_default();
        detail.insert("fields".into(), names.into());
    }
    detail.insert("redacted".into(), true.into());
    Some(serde_json::Value::Object(detail).to_string())
}

/// What erasing `row` keeps and which of its `events` lose their personal data.
pub fn plan(row: &SubmissionRow, events: &[EventRow]) -> Result<ErasurePlan, String> {
    let payload = records::payload_of(row).ok_or("the stored record cannot be read")?;
    let proof = serde_json::to_string(&Proof::of(&payload)).map_err(|e| e.to_string())?;
    let redactions = events
        .iter()
        .filter_map(|e| redacted(&e.event.detail).map(|d| (e.seq, d)))
        .collect();
    Ok(ErasurePlan { proof, redactions })
}

/// Erases the personal data of submission `id` at `now_ms`, at the request of `by`
/// (`principal` or `controller`) for `reason`; a submission erased already
/// ([`Erasure::Before`]) or on hold ([`Erasure::Held`]) is left as it is.
pub async fn erase_now(
    store: &Store,
    id: &str,
    by: &str,
    reason: &str,
    now_ms: i64,
) -> Result<Erasure, AppendError> {
    let now = clock::rfc3339(now_ms);
    let event = NewEvent {
        submission_id: id.to_owned(),
        kind: ERASED.to_owned(),
        purpose: None,
        at: now.clone(),
        recorded_at: now,
        actor: by.to_owned(),
        detail: serde_json::json!({ "reason": reason }).to_string(),
    };
    let planner: ErasurePlanner = Box::new(plan);
    store.erase(event, planner).await
}

/// `POST /owner/records/{id}/erase`.
pub async fn erase(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    request: Result<Json<EraseRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    authorize(&state, &headers)?;
    let request = json_body(request, "the erasure")?;
    if !matches!(request.by.as_str(), "principal" | "controller") {
        return Err(unprocessable(
            "bad_erasure",
            "`by` must be \"principal\" or \"controller\"",
        ));
    }
    let reason = request.reason.trim();
    if reason.is_empty() {
        return Err(unprocessable(
            "bad_erasure",
            "give a `reason`: how the request came, a ticket number",
        ));
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(unprocessable(
            "bad_erasure",
            format!("`reason` is longer than {MAX_REASON_CHARS} characters"),
        ));
    }
    match erase_now(&state.store, &id, &request.by, reason, clock::now_millis()).await {
        Ok(Erasure::Now(row)) => {
            let mut response = answer(&row);
            response
                .extensions_mut()
                .insert(LogNote(format!("erased {}", log_ref(&id))));
            Ok(response)
        }
        Ok(Erasure::Before(row)) => {
            let mut response = answer(&row);
            response.extensions_mut().insert(LogNote(format!(
                "{} erased already, answered as before",
                log_ref(&id)
            )));
            Ok(response)
        }
        Ok(Erasure::Held(held)) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "held",
            format!(
                "this record is on hold since {} ({}): it is not erased while held; \
                 release the hold first (POST /owner/records/{{id}}/release) if the \
                 erasure may go ahead",
                held.event.at,
                records::reason_of(&held.event.detail)
            ),
        )),
        Err(AppendError::NotFound) => Err(ApiError::not_found(format!(
            "no record {}",
            id.escape_debug()
        ))),
        Err(AppendError::Refused(why)) => Err(ApiError::unavailable(why)),
        Err(AppendError::Store(e)) => Err(storage(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_keeps_names_and_drops_values_and_notes() {
        let d = redacted(
            r#"{"note":"Zalo của An","fields":{"email":"a@b.vn","phone":"+84902666984"}}"#,
        )
        .unwrap();
        let v: serde_json::Value = serde_json::from_str(&d).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"redacted": true, "fields": ["email", "phone"]})
        );
        assert_eq!(
            redacted(r#"{"note":"x","message_id":"msg_1"}"#).as_deref(),
            Some(r#"{"message_id":"msg_1","redacted":true}"#)
        );
        assert_eq!(redacted(r#"{"message_id":"msg_1","text":"Rút?"}"#), None);
        assert_eq!(redacted("not json"), None);
    }
}
