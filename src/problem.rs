//! Why a delivery attempt did not succeed: what the browser's `delivery` reports, the
//! outbox keeps with each entry in `localStorage` (its JSON, read back by
//! [`Problem::from_json`]) and the form tells the visitor.

use serde::Serialize;

use crate::json::{ToJson, Writer};

/// Why an attempt did not succeed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Problem {
    /// No network, connection refused or reset, DNS: the request never got an answer.
    Network(String),
    /// The endpoint is reachable (it answered a plain request) but the signed request
    /// failed: most likely it does not allow this page's origin (CORS).
    Cors(String),
    /// No answer within this many milliseconds.
    Timeout(u32),
    /// The backend answered with a non-2xx status.
    Status {
        /// The HTTP status.
        status: u16,
        /// Seconds from `Retry-After`, if it said.
        retry_after: Option<u32>,
        /// What it said, for the developer: the start of a plain-text answer, or a JSON
        /// answer's `message`, `error` or `detail` (refusals only: never for 408, 429
        /// and 5xx, which are retried).
        detail: Option<String>,
    },
    /// The endpoint answered with a redirect, which is not followed.
    Redirect,
    /// The signing key could not be had.
    Key(String),
    /// The browser lacks what is needed (fetch, Web Crypto), or the endpoint is not a URL.
    Browser(String),
}

impl Problem {
    /// Whether trying again later may work: network errors (CORS included: the host
    /// can fix it, and nothing is lost meanwhile), timeouts, 408, 429, 5xx, and a key
    /// URL that did not give a key.
    pub fn retryable(&self) -> bool {
        match self {
            Problem::Network(_) | Problem::Cors(_) | Problem::Timeout(_) | Problem::Key(_) => true,
            Problem::Status { status, .. } => matches!(status, 408 | 429 | 500..=599),
            Problem::Redirect | Problem::Browser(_) => false,
        }
    }

    /// Whether it failed for want of a connection (worth trying again as soon as the
    /// browser says it is `online`).
    pub fn is_network(&self) -> bool {
        matches!(self, Problem::Network(_) | Problem::Timeout(_))
    }

    /// Whether it most likely lasts until the host fixes its setup: the endpoint refuses
    /// the signed request (CORS), or the key URL gives no key. Retried all the same, so
    /// that the submission goes once it is fixed.
    pub fn is_setup(&self) -> bool {
        matches!(self, Problem::Cors(_) | Problem::Key(_))
    }

    /// Seconds the server asked to wait, if it did.
    pub fn retry_after(&self) -> Option<u32> {
        match self {
            Problem::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Reads a problem back from the JSON [`ToJson`] (or its `Serialize`) wrote
    /// (serde's external tagging: `"Redirect"`, `{"Timeout": 1500}`,
    /// `{"Status": {"status": 503, …}}`).
    pub fn from_json(value: &crate::json::Json) -> Option<Problem> {
        if value.as_str() == Some("Redirect") {
            return Some(Problem::Redirect);
        }
        let tagged = value.object("").ok()?;
        let [(tag, inner)] = tagged.members() else {
            return None;
        };
        let text = || inner.as_str().map(str::to_owned);
        Some(match tag.as_str() {
            "Network" => Problem::Network(text()?),
            "Cors" => Problem::Cors(text()?),
            "Key" => Problem::Key(text()?),
            "Browser" => Problem::Browser(text()?),
            "Timeout" => Problem::Timeout(tagged.whole("Timeout", u32::MAX).ok()??),
            "Status" => {
                let status = inner.object("").ok()?;
                Problem::Status {
                    status: u16::try_from(status.whole("status", u32::from(u16::MAX)).ok()??)
                        .ok()?,
                    retry_after: status.whole("retry_after", u32::MAX).ok()?,
                    // Absent in entries kept by earlier versions.
                    detail: status.string("detail").ok().flatten(),
                }
            }
            _ => return None,
        })
    }

    /// In English, for the developer.
    pub fn describe(&self) -> String {
        match self {
            Problem::Network(why) => format!("network error: {why}"),
            Problem::Cors(url) => format!(
                "{url} is reachable but refused the signed request: most likely CORS — it must answer \
                 the preflight with Access-Control-Allow-Origin for this page and Access-Control-Allow-Headers: \
                 content-type, webhook-id, webhook-timestamp, webhook-signature"
            ),
            Problem::Timeout(ms) => format!("no answer within {ms} ms"),
            Problem::Status { status, retry_after, detail } => {
                let mut text = format!("the endpoint answered HTTP {status}");
                if let Some(s) = retry_after {
                    text.push_str(&format!(" (retry after {s} s)"));
                }
                if let Some(said) = detail {
                    text.push_str(": ");
                    text.push_str(said);
                }
                text
            }
            Problem::Redirect => "the endpoint answered with a redirect, which is not followed: \
                                  set `endpoint` to the URL that accepts the POST"
                .to_owned(),
            Problem::Key(why) => format!("signing key unavailable: {why}"),
            Problem::Browser(why) => format!("browser: {why}"),
        }
    }
}

impl ToJson for Problem {
    /// What its `Serialize` writes (serde's external tagging), byte for byte: the
    /// outbox keeps it so and [`Problem::from_json`] reads it back.
    fn write_json(&self, w: &mut Writer) {
        let (tag, text) = match self {
            Problem::Redirect => return w.string("Redirect"),
            Problem::Network(text) => ("Network", text),
            Problem::Cors(text) => ("Cors", text),
            Problem::Key(text) => ("Key", text),
            Problem::Browser(text) => ("Browser", text),
            Problem::Timeout(ms) => {
                w.begin_object();
                w.key("Timeout").number(u64::from(*ms));
                return w.end_object();
            }
            Problem::Status {
                status,
                retry_after,
                detail,
            } => {
                w.begin_object();
                w.key("Status").begin_object();
                w.key("status").number(u64::from(*status));
                w.key("retry_after");
                match retry_after {
                    Some(seconds) => w.number(u64::from(*seconds)),
                    None => w.null(),
                }
                w.key("detail").optional(detail.as_deref());
                w.end_object();
                return w.end_object();
            }
        };
        w.begin_object();
        w.key(tag).string(text);
        w.end_object();
    }
}
