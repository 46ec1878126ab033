//! The payload's `captcha` token, verified with the provider's `siteverify` (Cloudflare
//! Turnstile by default; hCaptcha and reCAPTCHA speak the same protocol): a POST of the
//! form-encoded `secret`, `response` and optional `remoteip`, answered with JSON
//! `{"success": bool, "error-codes": [...], "hostname": "..."}`.
//!
//! Off unless `CAPTCHA_SECRET` is set. Neither the secret nor the token is ever logged
//! or put in an error.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::error_chain;

/// Cloudflare Turnstile's `siteverify`, the default `CAPTCHA_VERIFY_URL`.
pub const TURNSTILE_VERIFY_URL: &str = "https://challenges.cloudflare.com/turnstile/v0/siteverify";

/// How long a `siteverify` call may take, connection included.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// How long a token lives, in seconds: Turnstile's and hCaptcha's 300 s; reCAPTCHA's
/// 120 s. A submission whose `submitted_at` is more than this before the receiver's
/// clock came late from the visitor's outbox: its token may have expired.
pub const TOKEN_LIFETIME_SECS: i64 = 300;
/// reCAPTCHA's token lifetime.
pub const RECAPTCHA_TOKEN_LIFETIME_SECS: i64 = 120;

/// The token lifetime of the provider behind `verify_url`: reCAPTCHA's (Google's
/// `www.google.com/recaptcha/…` or `www.recaptcha.net/recaptcha/…`) or the others'.
pub fn token_lifetime_secs(verify_url: &reqwest::Url) -> i64 {
    let host = verify_url.host_str().unwrap_or("");
    let google = ["google.com", "recaptcha.net"]
        .iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")));
    if google && verify_url.path().starts_with("/recaptcha/") {
        RECAPTCHA_TOKEN_LIFETIME_SECS
    } else {
        TOKEN_LIFETIME_SECS
    }
}

/// The provider's code for an expired or already redeemed token.
pub const TIMEOUT_OR_DUPLICATE: &str = "timeout-or-duplicate";

/// The provider's secret key. Its `Debug` hides it.
#[derive(Clone)]
pub struct CaptchaSecret(String);

impl CaptchaSecret {
    /// Reads a secret: printable ASCII without spaces, 1 to 1024 characters. The
    /// error never contains it.
    pub fn parse(text: &str) -> Result<CaptchaSecret, String> {
        let text = text.trim();
        if text.is_empty() || text.len() > 1024 {
            return Err("give the provider's secret key (1 to 1024 characters)".into());
        }
        if !text.bytes().all(|c| c.is_ascii_graphic()) {
            return Err("the secret must be printable ASCII without spaces".into());
        }
        Ok(CaptchaSecret(text.to_owned()))
    }
}

impl fmt::Debug for CaptchaSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CaptchaSecret(…)")
    }
}

/// Checks a `siteverify` URL: absolute `https://` (or `http://`, for a local fake).
pub fn check_verify_url(text: &str) -> Result<reqwest::Url, String> {
    crate::outbound::check_url(text)
}

/// What the provider answered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct SiteVerify {
    /// Whether the token is valid.
    pub success: bool,
    /// Why not (or warnings), e.g. `invalid-input-response`, `timeout-or-duplicate`.
    #[serde(default, rename = "error-codes")]
    pub error_codes: Vec<String>,
    /// The site's host name the token was issued on.
    #[serde(default)]
    pub hostname: Option<String>,
}

/// Why the provider gave no usable answer: the submission is to be retried.
#[derive(Debug)]
pub enum VerifyError {
    /// No connection, or no answer within [`TIMEOUT`].
    Unreachable(String),
    /// An HTTP status other than 2xx.
    Status(u16),
    /// A body that is not the expected JSON.
    Unreadable(String),
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::Unreachable(why) => write!(f, "siteverify unreachable: {why}"),
            VerifyError::Status(status) => write!(f, "siteverify answered HTTP {status}"),
            VerifyError::Unreadable(why) => write!(f, "siteverify answer unreadable: {why}"),
        }
    }
}

impl std::error::Error for VerifyError {}

/// The captcha check of a stored submission, shown to the owner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// `passed`, or `expired`: the provider refused the token as expired or redeemed,
    /// and the submission came late from the visitor's outbox.
    pub outcome: String,
    /// The provider's error codes, if any.
    #[serde(default, rename = "error-codes", skip_serializing_if = "Vec::is_empty")]
    pub error_codes: Vec<String>,
    /// The host name the provider named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
}

/// Outcome `passed`.
pub const PASSED: &str = "passed";
/// Outcome `expired`.
pub const EXPIRED: &str = "expired";

/// What to do with a submission given the provider's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Store it with this outcome.
    Store(Outcome),
    /// Refuse it (final): the provider's error codes.
    Refuse(Vec<String>),
}

/// Decides on `answer` for a submission sent (`submitted_at`) at `submitted_ms`, now
/// being `now_ms` (both Unix milliseconds). A token refused only as
/// `timeout-or-duplicate` on a submission more than `lifetime_secs` old (the token's
/// life, [`token_lifetime_secs`]) is stored as `expired`: the visitor's outbox
/// delivered it after the token's life, and nothing the visitor sent is dropped
/// silently.
pub fn decide(answer: &SiteVerify, submitted_ms: i64, now_ms: i64, lifetime_secs: i64) -> Decision {
    let outcome = |outcome: &str| Outcome {
        outcome: outcome.to_owned(),
        error_codes: answer.error_codes.clone(),
        hostname: answer.hostname.clone(),
    };
    if answer.success {
        return Decision::Store(outcome(PASSED));
    }
    let only_expired = !answer.error_codes.is_empty()
        && answer
            .error_codes
            .iter()
            .all(|c| c.as_str() == TIMEOUT_OR_DUPLICATE);
    let late = now_ms.saturating_sub(submitted_ms) > lifetime_secs * 1000;
    if only_expired && late {
        Decision::Store(outcome(EXPIRED))
    } else {
        Decision::Refuse(answer.error_codes.clone())
    }
}

/// Calls the provider's `siteverify`.
#[derive(Clone, Debug)]
pub struct Verifier {
    client: reqwest::Client,
    url: reqwest::Url,
    secret: CaptchaSecret,
    lifetime_secs: i64,
}

impl Verifier {
    /// A verifier for `url` with `secret`, with a [`TIMEOUT`]. TLS is rustls on ring
    /// with the system's CA certificates.
    pub fn new(url: reqwest::Url, secret: CaptchaSecret) -> Result<Verifier, String> {
        let client = crate::outbound::client(TIMEOUT)?;
        Ok(Verifier {
            client,
            lifetime_secs: token_lifetime_secs(&url),
            url,
            secret,
        })
    }

    /// The `siteverify` URL.
    pub fn url(&self) -> &reqwest::Url {
        &self.url
    }

    /// How long the provider's tokens live, in seconds.
    pub fn token_lifetime_secs(&self) -> i64 {
        self.lifetime_secs
    }

    /// Asks the provider about `token`, seen from `remote_ip`.
    pub async fn verify(
        &self,
        token: &str,
        remote_ip: Option<IpAddr>,
    ) -> Result<SiteVerify, VerifyError> {
        let ip = remote_ip.map(|ip| ip.to_string());
        let mut form = vec![("secret", self.secret.0.as_str()), ("response", token)];
        if let Some(ip) = &ip {
            form.push(("remoteip", ip.as_str()));
        }
        // reqwest's errors name the URL, never the body (secret and token).
        let response = self
            .client
            .post(self.url.clone())
            .form(&form)
            .send()
            .await
            .map_err(|e| VerifyError::Unreachable(error_chain(&e)))?;
        let status = response.status();
        if !status.is_success() {
            return Err(VerifyError::Status(status.as_u16()));
        }
        let body = response
            .bytes()
            .await
            .map_err(|e| VerifyError::Unreachable(error_chain(&e)))?;
        serde_json::from_slice::<SiteVerify>(&body)
            .map_err(|e| VerifyError::Unreadable(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(success: bool, codes: &[&str]) -> SiteVerify {
        SiteVerify {
            success,
            error_codes: codes.iter().map(|c| c.to_string()).collect(),
            hostname: Some("vidu.vn".into()),
        }
    }

    #[test]
    fn decisions() {
        let now = 1_800_000_000_000;
        let fresh = now - 10_000;
        let late = now - 301_000;
        match decide(&answer(true, &[]), fresh, now, 300) {
            Decision::Store(o) => {
                assert_eq!(o.outcome, PASSED);
                assert_eq!(o.hostname.as_deref(), Some("vidu.vn"));
            }
            other => panic!("{other:?}"),
        }
        let expired = decide(&answer(false, &[TIMEOUT_OR_DUPLICATE]), late, now, 300);
        assert!(
            matches!(&expired, Decision::Store(o) if o.outcome == EXPIRED
                && o.error_codes == [TIMEOUT_OR_DUPLICATE]),
            "{expired:?}"
        );
        // Exactly 300 s is not late yet.
        assert_eq!(
            decide(
                &answer(false, &[TIMEOUT_OR_DUPLICATE]),
                now - 300_000,
                now,
                300
            ),
            Decision::Refuse(vec![TIMEOUT_OR_DUPLICATE.into()])
        );
        assert_eq!(
            decide(&answer(false, &[TIMEOUT_OR_DUPLICATE]), fresh, now, 300),
            Decision::Refuse(vec![TIMEOUT_OR_DUPLICATE.into()])
        );
        // Another code with it, or none at all: refused even when late.
        for codes in [
            &[TIMEOUT_OR_DUPLICATE, "invalid-input-response"][..],
            &["invalid-input-response"][..],
            &[][..],
        ] {
            assert!(
                matches!(
                    decide(&answer(false, codes), late, now, 300),
                    Decision::Refuse(_)
                ),
                "{codes:?}"
            );
        }
    }

    #[test]
    fn recaptcha_tokens_live_two_minutes() {
        let url = |u: &str| reqwest::Url::parse(u).unwrap();
        for (u, secs) in [
            (TURNSTILE_VERIFY_URL, 300),
            ("https://api.hcaptcha.com/siteverify", 300),
            ("https://www.google.com/recaptcha/api/siteverify", 120),
            ("https://www.recaptcha.net/recaptcha/api/siteverify", 120),
            ("https://notgoogle.com/recaptcha/api/siteverify", 300),
        ] {
            assert_eq!(token_lifetime_secs(&url(u)), secs, "{u}");
        }
        // 150 s after the press: late for reCAPTCHA, not for Turnstile.
        let now = 1_800_000_000_000;
        let expired = answer(false, &[TIMEOUT_OR_DUPLICATE]);
        assert!(matches!(
            decide(&expired, now - 150_000, now, 120),
            Decision::Store(_)
        ));
        assert!(matches!(
            decide(&expired, now - 150_000, now, 300),
            Decision::Refuse(_)
        ));
    }

    #[test]
    fn answers_parse_and_secrets_hide() {
        let a: SiteVerify = serde_json::from_str(
            r#"{"success":false,"error-codes":["invalid-input-response"],"challenge_ts":"x"}"#,
        )
        .unwrap();
        assert_eq!(
            a,
            answer(false, &["invalid-input-response"]).clone_without_host()
        );
        assert!(serde_json::from_str::<SiteVerify>(r#"{"ok":true}"#).is_err());
        let s = CaptchaSecret::parse("0x4AAAAAAAsecret").unwrap();
        assert!(!format!("{s:?}").contains("secret"));
        assert!(CaptchaSecret::parse(" ").is_err());
        assert!(CaptchaSecret::parse("two words").is_err());
        assert!(check_verify_url("https://hcaptcha.com/siteverify").is_ok());
        assert!(check_verify_url("http://127.0.0.1:9/siteverify").is_ok());
        for bad in ["ftp://x/y", "siteverify", "https://u:p@x/y"] {
            assert!(check_verify_url(bad).is_err(), "{bad}");
        }
    }

    impl SiteVerify {
        fn clone_without_host(&self) -> SiteVerify {
            SiteVerify {
                hostname: None,
                ..self.clone()
            }
        }
    }
}
