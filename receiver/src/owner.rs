//! The site owner's endpoints, behind the configured token (`Authorization: Bearer
//! <token>`, or HTTP Basic with the token as password so a browser can open a
//! receipt):
//!
//! - `GET /owner/records?limit=50&before=<seq>` — newest first, as JSON; with
//!   `&phone=…` and/or `&email=…`, only a person's records ([`crate::lookup`]);
//! - `GET /owner/records/{id}` — one record;
//! - `GET /owner/records/{id}/receipt` — one record as a printable HTML page;
//! - `POST /owner/records/{id}/events` — record a withdrawal or a correction (a new
//!   event; the submission itself never changes);
//! - `POST /owner/records/{id}/erase` — erase the person's data on request, keeping
//!   the proof ([`crate::erasure`]);
//! - `POST /owner/records/{id}/hold`, `…/release` — keep a record from erasure while
//!   a legal claim needs it, and lift that ([`crate::hold`]);
//! - `GET /owner/export?format=jsonl|csv` — everything, streamed;
//! - `GET /owner/chain` — the head of the hash chain over every record
//!   ([`crate::chain`]), after linking what is not linked yet.

use std::collections::BTreeMap;

use axum::body::{Body, Bytes};
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use consent_form::fields::FieldName;
use consent_form::payload::{Rfc3339, MAX_BODY_BYTES};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::app::Shared;
use crate::clock;
use crate::error::{json_response, log_ref, redact_ids, ApiError, LogNote};
use crate::export::{self, Format};
use crate::lookup::{self, Search};
use crate::receipt;
use crate::records::{self, RecordView, State as ConsentState, CORRECTED, WITHDRAWN};
use crate::store::{AppendError, EventCheck, EventRow, NewEvent, Store, StoreError, SubmissionRow};

/// Records per page of the list and of the export's reads.
const PAGE: u32 = 500;
/// The longest note on an event, in characters.
const MAX_NOTE_CHARS: usize = 2000;
/// Why a note is refused on an erased record.
const NOTE_ON_ERASED: &str = "this record's personal data was erased on request: a `note` \
     is free text that may name the person, so none is kept on it; send the event \
     without `note` (write how the request came in your ticket system)";

fn unauthorized() -> ApiError {
    let mut e = ApiError::unauthorized(
        "unauthorized",
        "give the owner token: Authorization: Bearer <token>",
    );
    e.challenge = true;
    e
}

/// Checks the owner token (in constant time); Basic credentials only on a browser's own
/// navigation to a document.
pub(crate) fn authorize(state: &Shared, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = &state.owner_token else {
        return Err(ApiError::not_found(
            "the owner endpoints are off: start the receiver with RECEIVER_OWNER_TOKEN",
        ));
    };
    let mut basic = false;
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, rest) = v.trim().split_once(' ')?;
            if scheme.eq_ignore_ascii_case("bearer") {
                Some(rest.trim().to_owned())
            } else if scheme.eq_ignore_ascii_case("basic") {
                basic = true;
                let decoded = STANDARD.decode(rest.trim()).ok()?;
                let text = String::from_utf8(decoded).ok()?;
                text.split_once(':')
                    .map(|(_, password)| password.to_owned())
            } else {
                None
            }
        })
        .ok_or_else(unauthorized)?;
    let a = Sha256::digest(given.as_bytes());
    let b = Sha256::digest(token.expose().as_bytes());
    let diff = a
        .iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y));
    if std::hint::black_box(diff) != 0 {
        return Err(unauthorized());
    }
    // A browser sends Basic credentials it has with every request to this origin, a
    // page's script's too: taken only for a page it opens itself (`Sec-Fetch-*` says so;
    // curl sends none). The answers are sandboxed (`app::sandboxed`) against a script
    // that opens one in a window.
    let fetched = |name: &str, wanted: &str| {
        headers
            .get(name)
            .is_some_and(|v| !v.as_bytes().eq_ignore_ascii_case(wanted.as_bytes()))
    };
    if basic && (fetched("sec-fetch-mode", "navigate") || fetched("sec-fetch-dest", "document")) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "basic_not_navigation",
            "the owner token as a Basic password is taken only when the browser opens the \
             page itself, not from a page's script or frame: send Authorization: Bearer <token>",
        ));
    }
    Ok(())
}

/// A database failure, logged (without ids) and answered 503.
pub(crate) fn storage(e: StoreError) -> ApiError {
    eprintln!(
        "{} storage error: {}",
        clock::now_rfc3339(),
        redact_ids(&e.to_string())
    );
    ApiError::unavailable("the records could not be read; try again")
}

async fn views(store: &Store, rows: &[SubmissionRow]) -> Result<Vec<RecordView>, ApiError> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let events = store.events(&ids).await.map_err(storage)?;
    Ok(rows.iter().map(|r| RecordView::build(r, &events)).collect())
}

async fn one_view(state: &Shared, id: &str) -> Result<(RecordView, SubmissionRow), ApiError> {
    let row = state
        .store
        .get(id)
        .await
        .map_err(storage)?
        .ok_or_else(|| ApiError::not_found(format!("no record {}", id.escape_debug())))?;
    let view = views(&state.store, std::slice::from_ref(&row))
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found("no record"))?;
    Ok((view, row))
}

fn json<T: serde::Serialize>(status: StatusCode, value: &T) -> Response {
    json_response(status, serde_json::to_string(value).unwrap_or_default())
}

/// The list's query.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    limit: Option<u32>,
    before: Option<i64>,
    /// Only the records sent or corrected with this phone number (typed any way).
    phone: Option<String>,
    /// Only the records sent or corrected with this e-mail address (any case).
    email: Option<String>,
}

/// `GET /owner/records`, and with `phone` and/or `email` the records of a person
/// ([`crate::lookup`]): each with `matched`, where it holds what was searched.
pub async fn list(
    State(state): State<Shared>,
    headers: HeaderMap,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    authorize(&state, &headers)?;
    let Query(query) = query.map_err(|e| ApiError::bad_request("bad_query", e.body_text()))?;
    let limit = query.limit.unwrap_or(50).clamp(1, PAGE);
    let search = Search::parse(query.phone.as_deref(), query.email.as_deref())
        .map_err(|e| unprocessable("bad_search", e.to_string()))?;
    let rows = match &search {
        None => state.store.list(query.before, limit).await,
        Some(s) => state.store.search(&s.keys(), query.before, limit).await,
    }
    .map_err(storage)?;
    let next = (rows.len() == limit as usize)
        .then(|| rows.last().map(|r| r.seq))
        .flatten();
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let events = state.store.events(&ids).await.map_err(storage)?;
    let Some(search) = search else {
        let records: Vec<RecordView> = rows.iter().map(|r| RecordView::build(r, &events)).collect();
        return Ok(json(
            StatusCode::OK,
            &serde_json::json!({ "records": records, "next_before": next }),
        ));
    };
    let keys = search.keys();
    let mut records = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut record = serde_json::to_value(RecordView::build(row, &events))
            .map_err(|_| ApiError::unavailable("the record cannot be shown"))?;
        let mine: Vec<EventRow> = events
            .iter()
            .filter(|e| e.event.submission_id == row.id)
            .cloned()
            .collect();
        let matched = records::payload_of(row)
            .map(|p| lookup::matched(&p, &mine, &keys))
            .unwrap_or_default();
        if let Some(object) = record.as_object_mut() {
            object.insert(
                "matched".into(),
                serde_json::to_value(matched).unwrap_or_default(),
            );
        }
        records.push(record);
    }
    let mut response = json(
        StatusCode::OK,
        &serde_json::json!({ "records": records, "next_before": next, "search": search }),
    );
    response.extensions_mut().insert(LogNote(format!(
        "search: {} record{}",
        records.len(),
        if records.len() == 1 { "" } else { "s" }
    )));
    Ok(response)
}

/// `GET /owner/records/{id}`.
pub async fn one(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    authorize(&state, &headers)?;
    let (view, _) = one_view(&state, &id).await?;
    Ok(json(StatusCode::OK, &view))
}

/// `GET /owner/records/{id}/receipt`.
pub async fn receipt(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    authorize(&state, &headers)?;
    let (view, row) = one_view(&state, &id).await?;
    // Erased, the page shows what was kept instead of the payload.
    let payload = records::payload_of(&row);
    if payload.is_none() && view.erased.is_none() {
        return Err(ApiError::unavailable("the stored record cannot be read"));
    }
    let mut response = (StatusCode::OK, receipt::html(&view, payload.as_ref())).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    // ASCII: always a header value; without it, no page.
    let csp = HeaderValue::from_str(&receipt::csp())
        .map_err(|_| ApiError::unavailable("the receipt's policy cannot be sent"))?;
    h.insert(header::CONTENT_SECURITY_POLICY, csp);
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// The export's query.
#[derive(Debug, Deserialize)]
pub struct ExportQuery {
    format: Option<String>,
}

/// `GET /owner/export`: every record, oldest first, streamed page by page.
pub async fn export(
    State(state): State<Shared>,
    headers: HeaderMap,
    query: Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    authorize(&state, &headers)?;
    let Query(query) = query.map_err(|e| ApiError::bad_request("bad_query", e.body_text()))?;
    let format = match query.format.as_deref() {
        None => Format::JsonLines,
        Some(f) => Format::parse(f)
            .ok_or_else(|| ApiError::bad_request("bad_query", "format must be jsonl or csv"))?,
    };
    let store = state.store.clone();
    let header_row = (format == Format::Csv).then(export::csv_header);
    // State: (next seq to read after, header still to send, done).
    let stream = futures_util::stream::unfold(
        (0i64, header_row, false),
        move |(after, header_row, done)| {
            let store = store.clone();
            async move {
                if done {
                    return None;
                }
                let rows = match store.page(after, PAGE).await {
                    Ok(rows) => rows,
                    Err(e) => {
                        eprintln!(
                            "{} export stopped: {}",
                            clock::now_rfc3339(),
                            redact_ids(&e.to_string())
                        );
                        return Some((
                            Err(std::io::Error::other("storage error")),
                            (after, None, true),
                        ));
                    }
                };
                let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
                let events = match store.events(&ids).await {
                    Ok(events) => events,
                    Err(e) => {
                        eprintln!(
                            "{} export stopped: {}",
                            clock::now_rfc3339(),
                            redact_ids(&e.to_string())
                        );
                        return Some((
                            Err(std::io::Error::other("storage error")),
                            (after, None, true),
                        ));
                    }
                };
                let mut chunk = header_row.unwrap_or_default();
                for row in &rows {
                    let view = RecordView::build(row, &events);
                    chunk.push_str(&match format {
                        Format::JsonLines => export::json_line(&view),
                        Format::Csv => export::csv_row(&view),
                    });
                }
                let last = rows.last().map_or(after, |r| r.seq);
                let finished = rows.len() < PAGE as usize;
                Some((Ok(Bytes::from(chunk)), (last, None, finished)))
            }
        },
    );
    let mut response = Body::from_stream(stream).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    if let Ok(v) =
        HeaderValue::from_str(&format!("attachment; filename=\"{}\"", format.file_name()))
    {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// A new event, as the owner posts it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventRequest {
    /// `withdrawn` or `corrected`.
    #[serde(rename = "type")]
    kind: String,
    /// For a withdrawal: the purpose.
    purpose: Option<String>,
    /// For a correction: the new values, by field name.
    fields: Option<BTreeMap<String, String>>,
    /// `principal` (the person asked) or `controller` (on their behalf).
    by: String,
    /// When it happened (RFC 3339); default now.
    at: Option<String>,
    /// Free text: how the request came in, a ticket number…
    note: Option<String>,
}

/// The JSON body of an owner's request (`what`, for the message), or why it is refused.
pub(crate) fn json_body<T>(
    request: Result<Json<T>, JsonRejection>,
    what: &str,
) -> Result<T, ApiError> {
    let Json(request) = request.map_err(|e| match e.status() {
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "not_json",
            format!("send {what} as Content-Type: application/json"),
        ),
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("the body is larger than {MAX_BODY_BYTES} bytes"),
        ),
        status => ApiError::new(status, "bad_json", e.body_text()),
    })?;
    Ok(request)
}

/// A 422 with `code`.
pub(crate) fn unprocessable(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
}

/// `POST /owner/records/{id}/events`.
pub async fn add_event(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    request: Result<Json<EventRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    authorize(&state, &headers)?;
    let request = json_body(request, "the event")?;
    if !matches!(request.by.as_str(), "principal" | "controller") {
        return Err(unprocessable(
            "bad_event",
            "`by` must be \"principal\" or \"controller\"",
        ));
    }
    if request
        .note
        .as_ref()
        .is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS)
    {
        return Err(unprocessable(
            "bad_event",
            format!("`note` is longer than {MAX_NOTE_CHARS} characters"),
        ));
    }
    let now_ms = clock::now_millis();
    let at = match &request.at {
        Some(text) => Rfc3339::parse(text)
            .map_err(|e| unprocessable("bad_event", format!("`at` is not RFC 3339: {e}")))?,
        None => Rfc3339::from_unix_millis(now_ms, 0)
            .map_err(|_| ApiError::unavailable("the clock is out of range"))?,
    };
    if at.unix_millis() > now_ms + 5 * 60 * 1000 {
        return Err(unprocessable("bad_event", "`at` is in the future"));
    }
    // Nothing can happen to a submission before it arrived (on the receiver's clock:
    // the visitor's may be off). `received_at` never changes, so this needs no lock.
    let row = state
        .store
        .get(&id)
        .await
        .map_err(storage)?
        .ok_or_else(|| ApiError::not_found(format!("no record {}", id.escape_debug())))?;
    let received_ms = Rfc3339::parse(&row.received_at)
        .map(|t| t.unix_millis())
        .unwrap_or(i64::MIN);
    if row.erased_at.is_some() && request.kind == CORRECTED {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "erased",
            "this record's personal data was erased on request: there is nothing to correct",
        ));
    }
    let with_note = request.note.is_some();
    if row.erased_at.is_some() && with_note {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "erased",
            NOTE_ON_ERASED,
        ));
    }
    if at.unix_millis() < received_ms {
        return Err(unprocessable(
            "at_before_received",
            format!(
                "`at` ({}) is before the submission was received ({})",
                at.as_str(),
                row.received_at
            ),
        ));
    }
    let mut detail = serde_json::Map::new();
    if let Some(note) = &request.note {
        detail.insert("note".into(), note.clone().into());
    }
    let (kind, purpose, check): (&str, Option<String>, EventCheck) = match request.kind.as_str() {
        WITHDRAWN => {
            let purpose = request
                .purpose
                .clone()
                .ok_or_else(|| unprocessable("bad_event", "a withdrawal names its `purpose`"))?;
            if request.fields.is_some() {
                return Err(unprocessable("bad_event", "a withdrawal has no `fields`"));
            }
            let wanted = purpose.clone();
            let check: EventCheck = Box::new(move |row, events| {
                // Erased meanwhile: no free text on it.
                if with_note && row.erased_at.is_some() {
                    return Err(NOTE_ON_ERASED.into());
                }
                // Erased, the consents as sent were kept: a withdrawal is still recorded.
                let state = records::row_consent_states(row, events)
                    .ok_or("the stored record cannot be read")?
                    .into_iter()
                    .find(|(p, _)| *p == wanted)
                    .map(|(_, s)| s)
                    .ok_or_else(|| {
                        format!("the `{wanted}` consent was not asked in this submission")
                    })?;
                if state != ConsentState::Active {
                    return Err(format!(
                        "the `{wanted}` consent is {}; only an active consent can be withdrawn",
                        state.as_str()
                    ));
                }
                Ok(())
            });
            (WITHDRAWN, Some(purpose), check)
        }
        CORRECTED => {
            let fields = request
                .fields
                .clone()
                .filter(|f| !f.is_empty())
                .ok_or_else(|| unprocessable("bad_event", "a correction gives new `fields`"))?;
            if request.purpose.is_some() {
                return Err(unprocessable("bad_event", "a correction has no `purpose`"));
            }
            let mut normalized = BTreeMap::new();
            for (name, value) in fields {
                let field = FieldName::parse(&name).ok_or_else(|| {
                    unprocessable(
                        "bad_event",
                        format!("unknown field `{}`", name.escape_debug()),
                    )
                })?;
                let value = value.trim().to_owned();
                // A phone number as typed becomes E.164, as the form does (the
                // visitor's and their parent's or guardian's).
                let value = match field {
                    FieldName::Phone | FieldName::GuardianPhone => {
                        consent_form::phone::parse(&value)
                            .map(|n| n.e164())
                            .unwrap_or(value)
                    }
                    _ => value,
                };
                normalized.insert(field, value);
            }
            detail.insert(
                "fields".into(),
                serde_json::to_value(
                    normalized
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .collect::<BTreeMap<_, _>>(),
                )
                .unwrap_or_default(),
            );
            let check: EventCheck = Box::new(move |row, events| {
                if row.erased_at.is_some() {
                    return Err("this record's personal data was erased on request: there \
                                is nothing to correct"
                        .into());
                }
                let mut payload =
                    records::payload_of(row).ok_or("the stored record cannot be read")?;
                let mut fields = records::current_fields(&payload, events);
                fields.extend(normalized);
                payload.fields = fields;
                // The corrected submission must be as valid as a new one would be.
                payload.validate().map_err(|e| e.to_string())
            });
            (CORRECTED, None, check)
        }
        other => {
            return Err(unprocessable(
                "bad_event",
                format!(
                    "`type` must be \"withdrawn\" or \"corrected\", not \"{}\"",
                    other.escape_debug()
                ),
            ))
        }
    };
    let event = NewEvent {
        submission_id: id.clone(),
        kind: kind.to_owned(),
        purpose,
        at: at.as_str().to_owned(),
        recorded_at: clock::rfc3339(now_ms),
        actor: request.by.clone(),
        detail: serde_json::Value::Object(detail).to_string(),
    };
    match state.store.append(event, check).await {
        Ok(row) => {
            let view = records::EventView {
                seq: row.seq,
                kind: row.event.kind,
                purpose: row.event.purpose,
                at: row.event.at,
                recorded_at: row.event.recorded_at,
                by: row.event.actor,
                detail: serde_json::from_str(&row.event.detail).unwrap_or_default(),
            };
            let mut response = json(StatusCode::CREATED, &view);
            response
                .extensions_mut()
                .insert(LogNote(format!("{kind} event on {}", log_ref(&id))));
            Ok(response)
        }
        Err(AppendError::NotFound) => Err(ApiError::not_found(format!(
            "no record {}",
            id.escape_debug()
        ))),
        Err(AppendError::Refused(why)) if why == NOTE_ON_ERASED => {
            Err(ApiError::new(StatusCode::CONFLICT, "erased", why))
        }
        Err(AppendError::Refused(why)) if kind == WITHDRAWN => {
            Err(ApiError::new(StatusCode::CONFLICT, "not_active", why))
        }
        Err(AppendError::Refused(why)) => Err(unprocessable("invalid_correction", why)),
        Err(AppendError::Store(e)) => Err(storage(e)),
    }
}

/// `GET /owner/chain`: the chain's head (`count`, `hash`, `last`) and when it was read
/// (`at`) — to copy somewhere the owner cannot change. Every row is linked as it is
/// stored, so the head covers all of them.
pub async fn chain(State(state): State<Shared>, headers: HeaderMap) -> Result<Response, ApiError> {
    authorize(&state, &headers)?;
    let head = state.store.head().await.map_err(storage)?;
    let mut body = serde_json::to_value(&head)
        .map_err(|_| ApiError::unavailable("the chain's head cannot be shown"))?;
    if let Some(object) = body.as_object_mut() {
        object.insert("at".into(), clock::now_rfc3339().into());
    }
    let mut response = json(StatusCode::OK, &body);
    response
        .extensions_mut()
        .insert(LogNote(format!("chain: {} links", head.count)));
    Ok(response)
}
