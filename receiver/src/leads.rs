//! `POST /api/leads`: receives a signed submission.
//!
//! In order: the body's size and type; the Standard Webhooks signature, checked with
//! the official `standardwebhooks` crate against the keys of the caller's session
//! (timestamps more than 5 minutes off are refused); then the crate's shared
//! [`consent_form::payload::receive`] with the matching key — which checks the
//! signature again with the component's own code, reads the JSON, checks that its
//! `id` is the `webhook-id` and validates it with the same rules as the browser.
//! Then, if the receiver verifies captchas (`CAPTCHA_SECRET`), the payload's `captcha`
//! token is checked with the provider's `siteverify` (see [`crate::captcha`]) — except
//! for a repeat of an id already stored: a token can be redeemed once. Only then is it
//! stored. A repeated id is answered exactly as the first time.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::{header, Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use consent_form::payload::{self, PayloadError, ReceiveError, MAX_BODY_BYTES};
use consent_form::signing::{
    sha256_hex, Secret, WebhookHeaders, DEFAULT_TOLERANCE_SECS, HEADER_ID, HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
};
use serde::Serialize;
use standardwebhooks::{Webhook, WebhookError};

use crate::app::{client_ip, Shared};
use crate::captcha::{self, Decision};
use crate::clock;
use crate::error::{json_response, log_ref, redact_ids, ApiError, LogNote};
use crate::issue::session_of;
use crate::keys::Candidate;
use crate::lookup;
use crate::store::{Inserted, NewSubmission};

#[derive(Serialize)]
struct Accepted<'a> {
    ok: bool,
    id: &'a str,
    received_at: &'a str,
}

/// Receives one submission.
pub async fn receive(
    State(state): State<Shared>,
    extensions: Extensions,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let peer = extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    match handle(&state, &headers, peer, body).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &'static str) -> Result<&'a str, ApiError> {
    match headers.get(name) {
        None => Err(ApiError::unauthorized(
            "missing_signature",
            format!("the {name} header is missing"),
        )),
        Some(v) => v.to_str().map_err(|_| {
            ApiError::unauthorized("bad_signature", format!("the {name} header is not ASCII"))
        }),
    }
}

/// The signature headers, checked for shape before any key is tried.
fn signature_headers(headers: &HeaderMap, now: u64) -> Result<WebhookHeaders<'_>, ApiError> {
    let id = header(headers, HEADER_ID)?;
    let timestamp = header(headers, HEADER_TIMESTAMP)?;
    let signature = header(headers, HEADER_SIGNATURE)?;
    // Whole seconds, 1 to 12 digits: nothing an i64 subtraction can overflow on.
    let ts = timestamp.trim();
    let seconds = (!ts.is_empty() && ts.len() <= 12 && ts.bytes().all(|c| c.is_ascii_digit()))
        .then(|| ts.parse::<u64>().ok())
        .flatten()
        .ok_or_else(|| {
            ApiError::unauthorized(
                "bad_timestamp",
                format!("the {HEADER_TIMESTAMP} header is not a Unix time in seconds"),
            )
        })?;
    if now.abs_diff(seconds) > DEFAULT_TOLERANCE_SECS {
        return Err(ApiError::unauthorized(
            "stale_timestamp",
            format!(
                "the {HEADER_TIMESTAMP} {seconds} is more than {DEFAULT_TOLERANCE_SECS} s from \
                 the receiver's clock ({now}); sign again when sending"
            ),
        ));
    }
    Ok(WebhookHeaders {
        id,
        timestamp,
        signature,
    })
}

/// The keys the request may be signed with: the session's, if it carries a session
/// cookie, and the inline secret, if one is configured — either will do. A page that
/// signs with its inline `secret` is sent the session cookie too when its visitor got
/// one from a `key-url` page of the same site; refusing its signature then would lose
/// the submission, and accepting it grants nothing: the inline secret is in the page,
/// anyone may sign with it without a cookie.
fn candidates(state: &Shared, headers: &HeaderMap, now: u64) -> Result<Vec<Candidate>, ApiError> {
    let mut keys = match session_of(headers) {
        Some(session) => state.keys.candidates(&session, now),
        None => Vec::new(),
    };
    if let Some(secret) = &state.inline_secret {
        keys.push(Candidate {
            secret: secret.clone(),
            expires_at: u64::MAX,
            too_old: false,
        });
    }
    if keys.is_empty() {
        return Err(ApiError::unauthorized(
            "no_session",
            "no session cookie: fetch a key from the key URL (POST, same origin, with \
             credentials) and sign with it",
        ));
    }
    Ok(keys)
}

/// Finds the key that signed the request, with the official library.
fn verify(candidates: &[Candidate], headers: &HeaderMap, body: &[u8]) -> Result<Secret, ApiError> {
    let mut expired_match = false;
    for candidate in candidates {
        let webhook = Webhook::new(&candidate.secret.expose_whsec())
            .map_err(|_| ApiError::unavailable("cannot load a key"))?;
        match webhook.verify(body, headers) {
            Ok(()) if candidate.too_old => expired_match = true,
            Ok(()) => return Ok(candidate.secret.clone()),
            Err(WebhookError::InvalidSignature) => {}
            Err(WebhookError::InvalidPayload) => {
                return Err(ApiError::bad_request("bad_body", "the body is not UTF-8"))
            }
            Err(WebhookError::TimestampTooOldError | WebhookError::FutureTimestampError) => {
                return Err(ApiError::unauthorized(
                    "stale_timestamp",
                    "the webhook-timestamp is more than 5 minutes from the receiver's clock",
                ))
            }
            Err(other) => return Err(ApiError::unauthorized("bad_signature", other.to_string())),
        }
    }
    if expired_match {
        return Err(ApiError::unauthorized(
            "key_expired",
            "the key this was signed with has expired; fetch a new key and sign again",
        ));
    }
    Err(ApiError::unauthorized(
        "bad_signature",
        "no signature matches: a key this session was not given, or the id, timestamp or \
         body changed after signing",
    ))
}

fn refusal(e: ReceiveError) -> ApiError {
    match e {
        ReceiveError::Signature(why) => ApiError::unauthorized("bad_signature", why.to_string()),
        ReceiveError::Payload(PayloadError::TooLarge { len }) => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("the body has {len} bytes, more than {MAX_BODY_BYTES}"),
        ),
        ReceiveError::Payload(PayloadError::Json(why)) => ApiError::bad_request(
            "bad_json",
            format!("the body is not a payload of the right shape: {why}"),
        ),
        ReceiveError::Payload(PayloadError::Invalid(errors)) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_payload",
            format!("the payload is invalid: {errors}"),
        )
        .with_details(errors.errors().iter().map(|e| e.to_string()).collect()),
        ReceiveError::IdMismatch { header, payload } => ApiError::bad_request(
            "id_mismatch",
            format!(
                "the payload id {payload} differs from the webhook-id header {}",
                header.escape_debug()
            ),
        ),
    }
}

/// What every signed request has been through before its body is read: the body's
/// size and type, the signature headers' shape and timestamp, and the session key that
/// signed it (found with the official library). Shared with `POST /api/withdrawals`.
pub(crate) fn authenticate<'h>(
    state: &Shared,
    headers: &'h HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(Bytes, WebhookHeaders<'h>, Secret, u64), ApiError> {
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!("the body is larger than {MAX_BODY_BYTES} bytes"),
            )
        } else {
            ApiError::bad_request("bad_body", rejection.body_text())
        }
    })?;
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"));
    if !json {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "not_json",
            "send the payload as Content-Type: application/json",
        ));
    }

    let now = clock::now_unix();
    let webhook_headers = signature_headers(headers, now)?;
    let candidates = candidates(state, headers, now)?;
    let secret = verify(&candidates, headers, &body)?;
    Ok((body, webhook_headers, secret, now))
}

/// Whether `id` is stored already; a database failure is a 503.
async fn stored(state: &Shared, id: &str) -> Result<bool, ApiError> {
    match state.store.get(id).await {
        Ok(found) => Ok(found.is_some()),
        Err(e) => {
            eprintln!(
                "{} storage error: {}",
                clock::now_rfc3339(),
                redact_ids(&e.to_string())
            );
            Err(ApiError::unavailable(
                "the submission could not be checked; try again",
            ))
        }
    }
}

/// The captcha check of a new submission: its outcome to store (JSON), or `None` when
/// the receiver does not verify captchas or the id turned out to be stored already
/// (then the insert below answers it as the first time).
async fn check_captcha(
    state: &Shared,
    payload: &payload::Payload,
    remote_ip: Option<std::net::IpAddr>,
) -> Result<Option<String>, ApiError> {
    let Some(verifier) = &state.captcha else {
        return Ok(None);
    };
    let id = payload.id.as_str();
    // A retry of a stored submission: its token was redeemed by the first attempt.
    if stored(state, id).await? {
        return Ok(None);
    }
    let Some(token) = payload.captcha.as_deref() else {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "captcha_missing",
            "this receiver verifies captchas and the payload has no `captcha` token: give \
             the form a captcha hook",
        ));
    };
    let answer = verifier.verify(token, remote_ip).await.map_err(|e| {
        eprintln!("{} captcha: {}: {e}", clock::now_rfc3339(), log_ref(id));
        ApiError::unavailable("the captcha could not be verified now; try again")
    })?;
    match captcha::decide(
        &answer,
        payload.submitted_at.unix_millis(),
        clock::now_millis(),
        verifier.token_lifetime_secs(),
    ) {
        Decision::Store(outcome) => Ok(Some(serde_json::to_string(&outcome).unwrap_or_default())),
        // A retry that arrived while the first attempt was being stored redeemed the
        // same token: answer it as the first.
        Decision::Refuse(_) if stored(state, id).await? => Ok(None),
        Decision::Refuse(codes) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "captcha_failed",
            "the captcha provider did not accept the token",
        )
        .with_details(codes)),
    }
}

async fn handle(
    state: &Shared,
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let (body, webhook_headers, secret, now) = authenticate(state, headers, body)?;
    let payload = payload::receive(&secret, &webhook_headers, &body, now).map_err(refusal)?;
    let captcha = check_captcha(state, &payload, client_ip(state, headers, peer)).await?;

    // Verified and valid: store it once.
    let received_ms = clock::now_millis();
    let received_at = clock::rfc3339(received_ms);
    let id = payload.id.as_str().to_owned();
    let answer = serde_json::to_string(&Accepted {
        ok: true,
        id: &id,
        received_at: &received_at,
    })
    .unwrap_or_default();
    // Verified above: the body is UTF-8.
    let text = String::from_utf8_lossy(&body).into_owned();
    let body_sha256 = sha256_hex(&text);
    let signature_timestamp = webhook_headers.timestamp.trim().parse::<i64>().unwrap_or(0);
    let submission = NewSubmission {
        id: id.clone(),
        received_at,
        form: payload.form.as_str().to_owned(),
        submitted_at: payload.submitted_at.as_str().to_owned(),
        locale: payload.locale.tag().to_owned(),
        body: text,
        body_sha256: body_sha256.clone(),
        signature_timestamp,
        captcha,
        response_status: 200,
        response_body: answer.clone(),
        lookup: lookup::keys_of_payload(&payload),
    };
    match state.store.insert(submission).await {
        Ok(Inserted::New) => {
            let mut response = json_response(StatusCode::OK, answer);
            response
                .extensions_mut()
                .insert(LogNote(format!("stored {}", log_ref(&id))));
            Ok(response)
        }
        Ok(Inserted::Existing(first)) if first.body_sha256 == body_sha256 => {
            let status = StatusCode::from_u16(first.status).unwrap_or(StatusCode::OK);
            let mut response = json_response(status, first.body);
            response.extensions_mut().insert(LogNote(format!(
                "repeat of {}, answered as before",
                log_ref(&id)
            )));
            Ok(response)
        }
        Ok(Inserted::Existing(_)) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "id_reused",
            format!(
                "{id} was already received with a different body; a retry sends the same \
                 bytes, a new submission needs a new id"
            ),
        )),
        Err(e) => {
            eprintln!(
                "{} storage error: {}",
                clock::now_rfc3339(),
                redact_ids(&e.to_string())
            );
            Err(ApiError::unavailable(
                "the submission could not be stored; try again",
            ))
        }
    }
}
