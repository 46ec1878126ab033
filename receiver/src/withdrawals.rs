//! `POST /api/withdrawals`: a visitor withdraws one consent from their receipt.
//!
//! Checked like `POST /api/leads` (body size and type, the Standard Webhooks signature
//! with the session's keys, timestamps more than 5 minutes off refused), then read and
//! validated with the crate's [`consent_form::withdrawal::receive`]. The submission it
//! names must be stored (else 404, final) and its consent for the purpose active (else
//! 409 `not_active`). Then a `withdrawn` event by the `principal` is appended to the
//! same append-only events table the owner API writes, with the message id and the
//! confirmed text's hash in its detail. A repeated message id is answered exactly as
//! the first time and stored once.
//!
//! What authorises it is the submission id (128 random bits that only the visitor and
//! the controller know): the session key only proves which page signed it.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use consent_form::payload::MAX_BODY_BYTES;
use consent_form::signing::sha256_hex;
use consent_form::withdrawal::{self, ReceiveError};
use serde::Serialize;

use crate::app::Shared;
use crate::clock;
use crate::error::{json_response, log_ref, redact_ids, ApiError, LogNote};
use crate::leads::authenticate;
use crate::records::{self, State as ConsentState, WITHDRAWN};
use crate::store::{AppendError, EventCheck, EventRow, NewEvent};

/// The answer, built from the stored event alone: a repeat gets the same bytes.
#[derive(Serialize)]
struct Accepted<'a> {
    ok: bool,
    id: &'a str,
    withdraws: &'a str,
    purpose: &'a str,
    recorded_at: &'a str,
}

/// Receives one withdrawal.
pub async fn receive(
    State(state): State<Shared>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    match handle(&state, &headers, body).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    }
}

fn refusal(e: ReceiveError) -> ApiError {
    match e {
        ReceiveError::Signature(why) => ApiError::unauthorized("bad_signature", why.to_string()),
        ReceiveError::TooLarge { len } => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("the body has {len} bytes, more than {MAX_BODY_BYTES}"),
        ),
        ReceiveError::Json(why) => ApiError::bad_request(
            "bad_json",
            format!("the body is not a withdrawal of the right shape: {why}"),
        ),
        e @ ReceiveError::IdMismatch { .. } => ApiError::bad_request("id_mismatch", e.to_string()),
        ReceiveError::Invalid(errors) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_withdrawal",
            ReceiveError::Invalid(errors.clone()).to_string(),
        )
        .with_details(errors.iter().map(|e| e.to_string()).collect()),
    }
}

/// The message id an event was appended for, if a visitor's withdrawal appended it.
fn message_id(row: &EventRow) -> Option<String> {
    let detail: serde_json::Value = serde_json::from_str(&row.event.detail).ok()?;
    Some(detail.get("message_id")?.as_str()?.to_owned())
}

fn answer(row: &EventRow, message_id: &str) -> Response {
    let body = serde_json::to_string(&Accepted {
        ok: true,
        id: message_id,
        withdraws: &row.event.submission_id,
        purpose: row.event.purpose.as_deref().unwrap_or_default(),
        recorded_at: &row.event.recorded_at,
    })
    .unwrap_or_default();
    json_response(StatusCode::OK, body)
}

async fn handle(
    state: &Shared,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let (body, webhook_headers, secret, now) = authenticate(state, headers, body)?;
    let w = withdrawal::receive(&secret, &webhook_headers, &body, now).map_err(refusal)?;

    let id = w.id.as_str().to_owned();
    let purpose = w.purpose.id().to_owned();
    // Verified above: the body is UTF-8.
    let body_sha256 = sha256_hex(&String::from_utf8_lossy(&body));
    let now_ms = clock::now_millis();
    let recorded_at = clock::rfc3339(now_ms);
    let detail = serde_json::json!({
        "message_id": id,
        "withdrawn_at": w.withdrawn_at.as_str(),
        "locale": w.locale.tag(),
        "text": w.text,
        "text_sha256": w.text_sha256,
        "body_sha256": body_sha256,
        "signature_timestamp": webhook_headers.timestamp.trim().parse::<i64>().unwrap_or(0),
    });
    let event = NewEvent {
        submission_id: w.withdraws.as_str().to_owned(),
        kind: WITHDRAWN.to_owned(),
        purpose: Some(purpose.clone()),
        // On the receiver's clock (the visitor's, which may be off, is in the detail).
        at: recorded_at.clone(),
        recorded_at,
        actor: "principal".to_owned(),
        detail: detail.to_string(),
    };

    // The same message id recorded for another submission: not a retry (a retry names
    // the same submission, and is found below under the store's lock).
    let elsewhere = state.store.events_of_message(&id).await.map_err(|e| {
        eprintln!(
            "{} storage error: {}",
            clock::now_rfc3339(),
            redact_ids(&e.to_string())
        );
        ApiError::unavailable("the withdrawal could not be checked; try again")
    })?;
    if elsewhere.iter().any(|e| {
        e.event.submission_id != w.withdraws.as_str() && message_id(e).as_deref() == Some(&id)
    }) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "id_reused",
            format!(
                "{id} was already received for another submission; a retry sends the same \
                 bytes, a new withdrawal needs a new id"
            ),
        ));
    }

    // An event already appended for this message id, found under the store's lock.
    let repeat: Arc<Mutex<Option<EventRow>>> = Arc::default();
    let check: EventCheck = {
        let (repeat, id, purpose) = (Arc::clone(&repeat), id.clone(), purpose.clone());
        Box::new(move |row, events| {
            if let Some(first) = events
                .iter()
                .find(|e| message_id(e).as_deref() == Some(&id))
            {
                if let Ok(mut slot) = repeat.lock() {
                    *slot = Some(first.clone());
                }
                return Err("a repeat".into());
            }
            // Erased, the consents as sent were kept: a withdrawal is still recorded.
            let state = records::row_consent_states(row, events)
                .ok_or("the stored record cannot be read")?
                .into_iter()
                .find(|(p, _)| *p == purpose)
                .map(|(_, s)| s)
                .ok_or_else(|| {
                    format!("the `{purpose}` consent was not asked in this submission")
                })?;
            if state != ConsentState::Active {
                return Err(format!(
                    "the `{purpose}` consent is {}; only an active consent can be withdrawn",
                    state.as_str()
                ));
            }
            Ok(())
        })
    };
    let taken =
        |repeat: &Arc<Mutex<Option<EventRow>>>| repeat.lock().ok().and_then(|mut s| s.take());
    match state.store.append(event, check).await {
        Ok(row) => {
            let mut response = answer(&row, &id);
            response.extensions_mut().insert(LogNote(format!(
                "withdrawn {purpose} of {}",
                log_ref(&row.event.submission_id)
            )));
            Ok(response)
        }
        Err(AppendError::NotFound) => Err(ApiError::not_found(format!(
            "no submission {}: nothing to withdraw from",
            w.withdraws
        ))),
        Err(AppendError::Refused(why)) => match taken(&repeat) {
            Some(first) => {
                let first_sha = serde_json::from_str::<serde_json::Value>(&first.event.detail)
                    .ok()
                    .and_then(|d| d.get("body_sha256")?.as_str().map(str::to_owned));
                if first_sha.as_deref() != Some(body_sha256.as_str()) {
                    return Err(ApiError::new(
                        StatusCode::CONFLICT,
                        "id_reused",
                        format!(
                            "{id} was already received with a different body; a retry sends \
                             the same bytes, a new withdrawal needs a new id"
                        ),
                    ));
                }
                let mut response = answer(&first, &id);
                response.extensions_mut().insert(LogNote(format!(
                    "repeat of {}, answered as before",
                    log_ref(&id)
                )));
                Ok(response)
            }
            None => Err(ApiError::new(StatusCode::CONFLICT, "not_active", why)),
        },
        Err(AppendError::Store(e)) => {
            eprintln!(
                "{} storage error: {}",
                clock::now_rfc3339(),
                redact_ids(&e.to_string())
            );
            Err(ApiError::unavailable(
                "the withdrawal could not be stored; try again",
            ))
        }
    }
}
