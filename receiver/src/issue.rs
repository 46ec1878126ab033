//! `POST /api/keys`: the component's `key-url`. Answers
//! `{"secret": "whsec_…", "expires_at": <Unix seconds>, "now": <Unix seconds>}` for the
//! caller's session, starting a session (an `HttpOnly` cookie) if it has none and
//! renewing the cookie's lifetime if it has one. `now`
//! lets a visitor whose device clock is wrong sign with timestamps this server accepts.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::app::Shared;
use crate::clock;
use crate::error::{json_response, ApiError, LogNote};
use crate::keys::SessionId;

/// How long the session cookie lives, in seconds.
const SESSION_MAX_AGE: u64 = 24 * 60 * 60;

#[derive(Serialize)]
struct KeyAnswer {
    secret: String,
    expires_at: u64,
    now: u64,
}

/// The caller's session from its cookie, if any.
pub fn session_of(headers: &HeaderMap) -> Option<SessionId> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(SessionId::from_cookie_header)
}

/// Issues the session's current key.
pub async fn keys(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let session = match session_of(&headers) {
        Some(s) => s,
        None => match SessionId::random() {
            Ok(s) => s,
            Err(why) => return ApiError::unavailable(why).into_response(),
        },
    };
    let now = clock::now_unix();
    let Some(key) = state.keys.issue(&session, now) else {
        return ApiError::unavailable("cannot derive a key").into_response();
    };
    let body = serde_json::to_string(&KeyAnswer {
        secret: key.secret.expose_whsec(),
        expires_at: key.expires_at,
        now,
    })
    .unwrap_or_default();
    let mut response = json_response(StatusCode::OK, body);
    let cookie = format!(
        "{}={}; Path=/; Max-Age={SESSION_MAX_AGE}; HttpOnly; SameSite=Strict{}",
        SessionId::COOKIE,
        session.as_str(),
        if state.secure_cookie { "; Secure" } else { "" }
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
        .extensions_mut()
        .insert(LogNote(format!("key issued, expires {}", key.expires_at)));
    response
}
