//! Refusals, as JSON a developer can read:
//! `{"error": "<code>", "message": "<what is wrong>", "details": ["…"]}`.

use std::fmt::Write as _;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use consent_form::signing::MessageId;
use serde::Serialize;
use sha2::Digest as _;

/// A refused request.
#[derive(Debug)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// A stable, machine-readable code, e.g. `bad_signature`.
    pub code: &'static str,
    /// What is wrong, in English.
    pub message: String,
    /// Each problem, when there are several.
    pub details: Vec<String>,
    /// Seconds to wait before trying again (429, 503).
    pub retry_after: Option<u64>,
    /// Send `WWW-Authenticate` challenges (owner endpoints).
    pub challenge: bool,
}

#[derive(Serialize)]
struct Body<'a> {
    error: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    details: &'a [String],
}

impl ApiError {
    /// A refusal with `status`, `code` and `message`.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            details: Vec::new(),
            retry_after: None,
            challenge: false,
        }
    }

    /// 400 Bad Request.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 401 Unauthorized.
    pub fn unauthorized(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, code, message)
    }

    /// 404 Not Found.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// 503: storage failed; the client should retry.
    pub fn unavailable(message: impl Into<String>) -> ApiError {
        let mut e = ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message);
        e.retry_after = Some(5);
        e
    }

    /// With a list of problems.
    pub fn with_details(mut self, details: Vec<String>) -> ApiError {
        self.details = details;
        self
    }
}

/// A JSON body with `Cache-Control: no-store`.
pub fn json_response(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_string(&Body {
            error: self.code,
            message: &self.message,
            details: &self.details,
        })
        .unwrap_or_else(|_| format!("{{\"error\":\"{}\"}}", self.code));
        let mut response = json_response(self.status, body);
        let headers = response.headers_mut();
        if let Some(secs) = self.retry_after {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                headers.insert(header::RETRY_AFTER, v);
            }
        }
        if self.challenge {
            headers.append(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"consent-form owner\""),
            );
            headers.append(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"consent-form owner\", charset=\"UTF-8\""),
            );
        }
        // The logger adds the code to the request's log line.
        response
            .extensions_mut()
            .insert(LogNote(self.code.to_owned()));
        response
    }
}

/// A short note the request logger appends to the line: an outcome code, or what was
/// done to which submission. Never a secret: a message id in it is logged as its
/// [`log_ref`] (the logger passes the line through [`redact_ids`]).
#[derive(Clone, Debug)]
pub struct LogNote(pub String);

/// How the log names a message id: `msg#` and the first 12 hex digits of the id's
/// SHA-256. A submission id is what authorises withdrawing its consents, so it never
/// appears in the log; an operator who has the id computes its reference
/// (`printf %s msg_… | sha256sum | cut -c1-12`) and finds its lines, while a reader of
/// the log cannot get back to the id (128 random bits).
pub fn log_ref(id: &str) -> String {
    let digest = sha2::Sha256::digest(id.as_bytes());
    let mut out = String::from("msg#");
    for byte in digest.iter().take(6) {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

/// `text` with every message id in it (`msg_` and the characters an id may have after
/// it) replaced by its [`log_ref`].
pub fn redact_ids(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(MessageId::PREFIX) {
        out.push_str(&rest[..at]);
        let tail = &rest[at + MessageId::PREFIX.len()..];
        let len = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(tail.len());
        let end = at + MessageId::PREFIX.len() + len;
        out.push_str(&log_ref(&rest[at..end]));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// An error and its causes, one after the other: `error sending request …: connection
/// refused`.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_logged_as_references() {
        let id = "msg_5a17c30944ee812d906b3fa25811d70c";
        // printf %s msg_5a17c30944ee812d906b3fa25811d70c | sha256sum | cut -c1-12
        let reference = log_ref(id);
        assert_eq!(reference, "msg#0d20fe489f09");
        assert_ne!(log_ref("msg_5a17c30944ee812d906b3fa25811d70d"), reference);
        assert_eq!(
            redact_ids(&format!("GET /owner/records/{id}/receipt")),
            format!("GET /owner/records/{reference}/receipt")
        );
        assert_eq!(
            redact_ids(&format!("withdrawn marketing of {id}")),
            format!("withdrawn marketing of {reference}")
        );
        let twice = redact_ids(&format!("{id},{id}"));
        assert_eq!(twice, format!("{reference},{reference}"));
        assert_eq!(redact_ids(&twice), twice, "a reference is left as it is");
        assert_eq!(redact_ids("key issued, expires 5"), "key issued, expires 5");
        assert_eq!(
            redact_ids("Nguyễn msg_"),
            format!("Nguyễn {}", log_ref("msg_"))
        );
    }
}
