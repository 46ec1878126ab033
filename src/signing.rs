//! Standard Webhooks v1 signatures: the sender signs, the receiver verifies.
//!
//! A request carries three headers — `webhook-id` (a [`MessageId`]),
//! `webhook-timestamp` (Unix seconds) and `webhook-signature`
//! (`v1,<base64 HMAC-SHA256>`) — computed over `{id}.{timestamp}.{body}` with the
//! exact body bytes that are sent. Any official `standardwebhooks` library (npm,
//! PyPI, crates.io) verifies what [`sign`] produces, and [`verify`] accepts what they
//! produce.
//!
//! The module is pure: no clock and no randomness of its own. The caller passes the
//! current time and, for new ids, random bytes.
//!
//! ```
//! use consent_form::signing::{sign, verify, MessageId, Secret, WebhookHeaders};
//!
//! let secret = Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
//! let id = MessageId::from_random([7; 16]);
//! let body = br#"{"form":"contact"}"#;
//! let signature = sign(&secret, &id, 1_700_000_000, body);
//!
//! let timestamp = "1700000000";
//! let headers = WebhookHeaders {
//!     id: id.as_str(),
//!     timestamp,
//!     signature: signature.as_str(),
//! };
//! assert!(verify(&secret, &headers, body, 1_700_000_060).is_ok());
//! assert!(verify(&secret, &headers, b"{}", 1_700_000_060).is_err());
//! ```

mod base64;
mod message_id;
mod secret;

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

pub use message_id::{MessageId, MessageIdError};
pub use secret::{Secret, SecretError};

/// Name of the header carrying the message id.
pub const HEADER_ID: &str = "webhook-id";
/// Name of the header carrying the Unix timestamp (seconds) of signing.
pub const HEADER_TIMESTAMP: &str = "webhook-timestamp";
/// Name of the header carrying the signature(s).
pub const HEADER_SIGNATURE: &str = "webhook-signature";
/// How far a timestamp may be from the receiver's clock, either way: 5 minutes.
pub const DEFAULT_TOLERANCE_SECS: u64 = 5 * 60;

type HmacSha256 = Hmac<Sha256>;

/// One `webhook-signature` value: `v1,` and the base64 HMAC-SHA256.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature(String);

impl Signature {
    /// The header value, e.g. `v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Signature> for String {
    fn from(signature: Signature) -> String {
        signature.0
    }
}

fn mac(secret: &Secret, id: &str, timestamp: u64, body: &[u8]) -> HmacSha256 {
    let mut mac = match HmacSha256::new_from_slice(secret.key()) {
        Ok(mac) => mac,
        // Unreachable: HMAC takes keys of any length. A zero key keeps this total
        // without a panic; its signatures would simply not verify.
        Err(_) => HmacSha256::new(&Default::default()),
    };
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

fn signature_for(secret: &Secret, id: &str, timestamp: u64, body: &[u8]) -> String {
    let tag = mac(secret, id, timestamp, body).finalize().into_bytes();
    let mut out = String::from("v1,");
    base64::encode_into(&tag, &mut out);
    out
}

/// Signs `body` for message `id` at `timestamp` (Unix seconds).
///
/// Sign at send time, once per attempt: a retry keeps the id and gets a fresh
/// timestamp and signature. `body` must be the exact bytes that are sent.
pub fn sign(secret: &Secret, id: &MessageId, timestamp: u64, body: &[u8]) -> Signature {
    Signature(signature_for(secret, id.as_str(), timestamp, body))
}

/// The three headers to send with `body`, as `(name, value)` pairs.
pub fn webhook_headers(
    secret: &Secret,
    id: &MessageId,
    timestamp: u64,
    body: &[u8],
) -> [(&'static str, String); 3] {
    [
        (HEADER_ID, id.as_str().to_owned()),
        (HEADER_TIMESTAMP, timestamp.to_string()),
        (HEADER_SIGNATURE, sign(secret, id, timestamp, body).into()),
    ]
}

/// The three header values a receiver got, as text.
///
/// A missing header is passed as `""`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WebhookHeaders<'a> {
    /// `webhook-id`.
    pub id: &'a str,
    /// `webhook-timestamp`, Unix seconds.
    pub timestamp: &'a str,
    /// `webhook-signature`: one or more space-separated `<version>,<base64>`.
    pub signature: &'a str,
}

/// Why a request failed verification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VerifyError {
    /// A header is missing or blank; holds its name.
    MissingHeader(&'static str),
    /// `webhook-timestamp` is not a whole number of seconds.
    InvalidTimestamp,
    /// The timestamp is older than the tolerance allows (a replay, or a very late retry
    /// that should have been re-signed).
    TimestampTooOld {
        /// The request's timestamp.
        timestamp: u64,
        /// The receiver's clock.
        now: u64,
    },
    /// The timestamp is further in the future than the tolerance allows.
    TimestampInFuture {
        /// The request's timestamp.
        timestamp: u64,
        /// The receiver's clock.
        now: u64,
    },
    /// `webhook-signature` has no entry of the form `<version>,<signature>`.
    MalformedSignatureHeader,
    /// No `v1` signature matches the body (wrong key, or a modified id, timestamp or
    /// body).
    NoMatchingSignature,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::MissingHeader(name) => write!(f, "the {name} header is missing"),
            VerifyError::InvalidTimestamp => {
                write!(
                    f,
                    "the {HEADER_TIMESTAMP} header is not a Unix time in seconds"
                )
            }
            VerifyError::TimestampTooOld { timestamp, now } => write!(
                f,
                "the message timestamp {timestamp} is too old (now {now})"
            ),
            VerifyError::TimestampInFuture { timestamp, now } => write!(
                f,
                "the message timestamp {timestamp} is in the future (now {now})"
            ),
            VerifyError::MalformedSignatureHeader => write!(
                f,
                "the {HEADER_SIGNATURE} header has no \"<version>,<signature>\" entry"
            ),
            VerifyError::NoMatchingSignature => write!(f, "no signature matches the message"),
        }
    }
}

impl std::error::Error for VerifyError {}

/// Verifies a received request with the default tolerance of 5 minutes.
///
/// `now` is the receiver's clock in Unix seconds. Returns the verified timestamp.
pub fn verify(
    secret: &Secret,
    headers: &WebhookHeaders<'_>,
    body: &[u8],
    now: u64,
) -> Result<u64, VerifyError> {
    verify_with_tolerance(secret, headers, body, now, DEFAULT_TOLERANCE_SECS)
}

/// Verifies a received request, accepting timestamps within `tolerance_secs` of
/// `now` either way. Returns the verified timestamp.
///
/// Signatures of other schemes (e.g. `v1a`) in the header are ignored; the request
/// passes if any `v1` signature matches. The comparison takes the same time
/// wherever the first differing byte is.
pub fn verify_with_tolerance(
    secret: &Secret,
    headers: &WebhookHeaders<'_>,
    body: &[u8],
    now: u64,
    tolerance_secs: u64,
) -> Result<u64, VerifyError> {
    let id = headers.id.trim();
    let timestamp_text = headers.timestamp.trim();
    let signatures = headers.signature.trim();
    if id.is_empty() {
        return Err(VerifyError::MissingHeader(HEADER_ID));
    }
    if timestamp_text.is_empty() {
        return Err(VerifyError::MissingHeader(HEADER_TIMESTAMP));
    }
    if signatures.is_empty() {
        return Err(VerifyError::MissingHeader(HEADER_SIGNATURE));
    }

    let timestamp = parse_timestamp(timestamp_text).ok_or(VerifyError::InvalidTimestamp)?;
    if now.saturating_sub(timestamp) > tolerance_secs {
        return Err(VerifyError::TimestampTooOld { timestamp, now });
    }
    if timestamp.saturating_sub(now) > tolerance_secs {
        return Err(VerifyError::TimestampInFuture { timestamp, now });
    }

    let expected = signature_for(secret, id, timestamp, body);
    let mut well_formed = false;
    let mut matched = false;
    for entry in signatures.split_ascii_whitespace() {
        let Some((version, _)) = entry.split_once(',') else {
            continue;
        };
        well_formed = true;
        // `expected` is "v1,<base64>"; comparing whole entries also checks the version.
        if version == "v1" && constant_time_eq(entry.as_bytes(), expected.as_bytes()) {
            matched = true;
        }
    }
    if !well_formed {
        return Err(VerifyError::MalformedSignatureHeader);
    }
    if !matched {
        return Err(VerifyError::NoMatchingSignature);
    }
    Ok(timestamp)
}

fn parse_timestamp(text: &str) -> Option<u64> {
    if text.is_empty() || text.len() > 20 || !text.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Equal slices, compared without an early exit (lengths are not secret).
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

/// The SHA-256 of the UTF-8 bytes of `text`, as 64 lowercase hex digits.
///
/// Used for `text_sha256` of consent texts.
pub fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut out = String::with_capacity(64);
    push_hex(&mut out, &digest);
    out
}

/// Appends `bytes` to `out` as lowercase hex digits, two per byte.
pub fn push_hex(out: &mut String, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for &b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
}

/// Whether `text` looks like the output of [`sha256_hex`]: 64 lowercase hex digits.
pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> Secret {
        Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap()
    }

    const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";

    fn id() -> MessageId {
        MessageId::parse(ID).unwrap()
    }

    fn headers<'a>(id: &'a str, ts: &'a str, sig: &'a str) -> WebhookHeaders<'a> {
        WebhookHeaders {
            id,
            timestamp: ts,
            signature: sig,
        }
    }

    #[test]
    fn secret_errors() {
        assert_eq!(
            Secret::parse("MfKQ9r8G").unwrap_err(),
            SecretError::MissingPrefix
        );
        assert_eq!(
            Secret::parse("whsk_MfKQ9r8G").unwrap_err(),
            SecretError::MissingPrefix
        );
        assert_eq!(Secret::parse("whsec_").unwrap_err(), SecretError::Empty);
        assert_eq!(
            Secret::parse("whsec_==").unwrap_err(),
            SecretError::InvalidBase64
        );
        assert_eq!(
            Secret::parse("whsec_abc!").unwrap_err(),
            SecretError::InvalidBase64
        );
        assert_eq!(Secret::from_bytes(&[]).unwrap_err(), SecretError::Empty);
        assert!(" whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n"
            .parse::<Secret>()
            .is_ok());
    }

    #[test]
    fn secret_debug_hides_the_key() {
        let text = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let shown = format!(
            "{:?} {:#?}",
            Secret::parse(text).unwrap(),
            Secret::parse(text).unwrap()
        );
        assert!(!shown.contains("MfKQ"), "{shown}");
        assert!(!shown.contains(&format!(
            "{:?}",
            base64::decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap()
        )));
        assert_eq!(Secret::parse(text).unwrap().expose_whsec(), text);
    }

    #[test]
    fn message_ids() {
        let id = MessageId::from_random([0xab; 16]);
        assert_eq!(id.as_str(), "msg_abababababababababababababababab");
        assert_eq!(MessageId::parse(id.as_str()), Ok(id));
        assert_ne!(
            MessageId::from_random([1; 16]),
            MessageId::from_random([2; 16])
        );
        assert_eq!(
            MessageId::parse("msg_27UH4WbU6Z5A5EzD8u03UvzRbpk")
                .unwrap()
                .as_str(),
            "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk"
        );
        assert_eq!(
            MessageId::parse("evt_27UH4WbU6Z5A5EzD8u03UvzRbpk"),
            Err(MessageIdError::MissingPrefix)
        );
        assert_eq!(
            MessageId::parse("msg_short"),
            Err(MessageIdError::BadLength)
        );
        assert_eq!(
            MessageId::parse(&format!("msg_{}", "a".repeat(65))),
            Err(MessageIdError::BadLength)
        );
        assert_eq!(
            MessageId::parse("msg_27UH4WbU6Z5A5EzD.8u03UvzR"),
            Err(MessageIdError::BadCharacter)
        );
        assert_eq!(
            MessageId::parse("msg_ééééééééééééééééé"),
            Err(MessageIdError::BadCharacter)
        );
    }

    #[test]
    fn signs_and_verifies() {
        let body = br#"{"a":1}"#;
        let sig = sign(&secret(), &id(), 1_700_000_000, body);
        assert!(sig.as_str().starts_with("v1,"));
        assert_eq!(sig.as_str().len(), 3 + 44);
        let h = headers(ID, "1700000000", sig.as_str());
        assert_eq!(
            verify(&secret(), &h, body, 1_700_000_000),
            Ok(1_700_000_000)
        );
        // Edges of the tolerance window.
        assert!(verify(&secret(), &h, body, 1_700_000_300).is_ok());
        assert!(verify(&secret(), &h, body, 1_699_999_700).is_ok());
        assert_eq!(
            verify(&secret(), &h, body, 1_700_000_301),
            Err(VerifyError::TimestampTooOld {
                timestamp: 1_700_000_000,
                now: 1_700_000_301
            })
        );
        assert_eq!(
            verify(&secret(), &h, body, 1_699_999_699),
            Err(VerifyError::TimestampInFuture {
                timestamp: 1_700_000_000,
                now: 1_699_999_699
            })
        );
        assert!(verify_with_tolerance(&secret(), &h, body, 1_700_000_900, 900).is_ok());
    }

    #[test]
    fn rejects_tampering() {
        let body = br#"{"a":1}"#;
        let sig = sign(&secret(), &id(), 1_700_000_000, body);
        let now = 1_700_000_010;
        let h = headers(ID, "1700000000", sig.as_str());
        assert_eq!(
            verify(&secret(), &h, br#"{"a":2}"#, now),
            Err(VerifyError::NoMatchingSignature)
        );
        let other = Secret::from_bytes(b"another key").unwrap();
        assert_eq!(
            verify(&other, &h, body, now),
            Err(VerifyError::NoMatchingSignature)
        );
        let h2 = headers("msg_p5jXN8AQM9LWM0D4loKWxJeX", "1700000000", sig.as_str());
        assert_eq!(
            verify(&secret(), &h2, body, now),
            Err(VerifyError::NoMatchingSignature)
        );
        let h3 = headers(ID, "1700000001", sig.as_str());
        assert_eq!(
            verify(&secret(), &h3, body, now),
            Err(VerifyError::NoMatchingSignature)
        );
        // Same signature under another scheme name does not count.
        let v2 = sig.as_str().replacen("v1,", "v2,", 1);
        let h4 = headers(ID, "1700000000", &v2);
        assert_eq!(
            verify(&secret(), &h4, body, now),
            Err(VerifyError::NoMatchingSignature)
        );
    }

    #[test]
    fn several_signatures_in_one_header() {
        let body = b"hello";
        let sig = sign(&secret(), &id(), 1_700_000_000, body);
        let list = format!("v1a,AAAA v1,bm9wZQ== {}  v1,Zm9v", sig);
        let h = headers(ID, "1700000000", &list);
        assert!(verify(&secret(), &h, body, 1_700_000_000).is_ok());
    }

    #[test]
    fn malformed_headers() {
        let body = b"x";
        let now = 1_700_000_000;
        let idt = id();
        let i = idt.as_str();
        assert_eq!(
            verify(&secret(), &headers("", "1", "v1,x"), body, now),
            Err(VerifyError::MissingHeader(HEADER_ID))
        );
        assert_eq!(
            verify(&secret(), &headers(i, " ", "v1,x"), body, now),
            Err(VerifyError::MissingHeader(HEADER_TIMESTAMP))
        );
        assert_eq!(
            verify(&secret(), &headers(i, "1700000000", ""), body, now),
            Err(VerifyError::MissingHeader(HEADER_SIGNATURE))
        );
        for ts in ["-1", "1.5", "1e9", "abc", "99999999999999999999999"] {
            assert_eq!(
                verify(&secret(), &headers(i, ts, "v1,x"), body, now),
                Err(VerifyError::InvalidTimestamp),
                "{ts}"
            );
        }
        assert_eq!(
            verify(
                &secret(),
                &headers(i, "1700000000", "nocomma another"),
                body,
                now
            ),
            Err(VerifyError::MalformedSignatureHeader)
        );
    }

    #[test]
    fn header_pairs() {
        let body = b"{}";
        let [(n1, v1), (n2, v2), (n3, v3)] = webhook_headers(&secret(), &id(), 42, body);
        assert_eq!(
            (n1, n2, n3),
            (HEADER_ID, HEADER_TIMESTAMP, HEADER_SIGNATURE)
        );
        assert_eq!(v1, id().as_str());
        assert_eq!(v2, "42");
        assert_eq!(v3, sign(&secret(), &id(), 42, body).as_str());
    }

    #[test]
    fn sha256_of_text() {
        // FIPS 180-2 examples.
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            sha256_hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert!(is_sha256_hex(&sha256_hex("Tôi đồng ý")));
        assert!(!is_sha256_hex(&sha256_hex("x").to_uppercase()));
        assert!(!is_sha256_hex("abc"));
    }
}
