//! `POST /owner/records/{id}/hold` and `…/release`: the owner keeps a record from
//! erasure while it may be needed for a legal claim (a dispute, a complaint to the
//! authority, a court's request), and lifts the hold when it is not.
//!
//! Both are dated, append-only events by the controller (`held`, `released`) with the
//! owner's `reason` — how the matter came, a case number; not the person's data, since
//! it is kept. While held, a record is not erased: an erasure on request is refused
//! (409 `held`, [`crate::erasure`]) and the retention period passes it by
//! ([`crate::retention`]); corrections and withdrawals are recorded as usual.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use serde::Deserialize;

use crate::app::Shared;
use crate::clock;
use crate::erasure::MAX_REASON_CHARS;
use crate::error::{json_response, log_ref, ApiError, LogNote};
use crate::owner::{authorize, json_body, storage, unprocessable};
use crate::records::{self, EventView, HELD, RELEASED};
use crate::store::{AppendError, EventCheck, NewEvent};

/// Why a hold on an erased record is refused.
const HOLD_ON_ERASED: &str = "this record's personal data was erased already: what is \
     kept of it (the proof) is never erased, so it needs no hold";

/// A hold or a release, as the owner posts it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoldRequest {
    /// Why: the dispute, the authority's or the court's reference — not the person's data.
    reason: String,
}

/// The reason of `request`, trimmed, or why it is refused.
fn reason(request: &HoldRequest) -> Result<String, ApiError> {
    let reason = request.reason.trim();
    if reason.is_empty() {
        return Err(unprocessable(
            "bad_hold",
            "give a `reason`: the dispute, the complaint or the court's request, a case number",
        ));
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(unprocessable(
            "bad_hold",
            format!("`reason` is longer than {MAX_REASON_CHARS} characters"),
        ));
    }
    Ok(reason.to_owned())
}

/// Appends a `kind` event (`held` or `released`) with `reason` to record `id` if
/// `check` agrees; 201 with the event, or the refusal `refused` makes of the check's.
async fn append(
    state: &Shared,
    id: &str,
    kind: &'static str,
    reason: String,
    check: EventCheck,
    refused: fn(String) -> ApiError,
) -> Result<Response, ApiError> {
    let now = clock::rfc3339(clock::now_millis());
    let event = NewEvent {
        submission_id: id.to_owned(),
        kind: kind.to_owned(),
        purpose: None,
        at: now.clone(),
        recorded_at: now,
        actor: "controller".to_owned(),
        detail: serde_json::json!({ "reason": reason }).to_string(),
    };
    match state.store.append(event, check).await {
        Ok(row) => {
            let view = EventView {
                seq: row.seq,
                kind: row.event.kind,
                purpose: None,
                at: row.event.at,
                recorded_at: row.event.recorded_at,
                by: row.event.actor,
                detail: serde_json::from_str(&row.event.detail).unwrap_or_default(),
            };
            let mut response = json_response(
                StatusCode::CREATED,
                serde_json::to_string(&view).unwrap_or_default(),
            );
            response
                .extensions_mut()
                .insert(LogNote(format!("{kind} {}", log_ref(id))));
            Ok(response)
        }
        Err(AppendError::NotFound) => Err(ApiError::not_found(format!(
            "no record {}",
            id.escape_debug()
        ))),
        Err(AppendError::Refused(why)) => Err(refused(why)),
        Err(AppendError::Store(e)) => Err(storage(e)),
    }
}

fn conflict(code: &'static str, message: String) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, code, message)
}

/// `POST /owner/records/{id}/hold`.
pub async fn hold(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    request: Result<Json<HoldRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    authorize(&state, &headers)?;
    let reason = reason(&json_body(request, "the hold")?)?;
    let check: EventCheck = Box::new(|row, events| {
        if row.erased_at.is_some() {
            return Err(HOLD_ON_ERASED.into());
        }
        match records::current_hold(events) {
            Some(held) => Err(format!(
                "this record is on hold already, since {} ({})",
                held.event.at,
                records::reason_of(&held.event.detail)
            )),
            None => Ok(()),
        }
    });
    append(&state, &id, HELD, reason, check, |why| {
        if why == HOLD_ON_ERASED {
            conflict("erased", why)
        } else {
            conflict("held", why)
        }
    })
    .await
}

/// `POST /owner/records/{id}/release`.
pub async fn release(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    request: Result<Json<HoldRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    authorize(&state, &headers)?;
    let reason = reason(&json_body(request, "the release")?)?;
    let check: EventCheck = Box::new(|_, events| match records::current_hold(events) {
        Some(_) => Ok(()),
        None => Err("this record is not on hold: there is no hold to release".into()),
    });
    append(&state, &id, RELEASED, reason, check, |why| {
        conflict("not_held", why)
    })
    .await
}
