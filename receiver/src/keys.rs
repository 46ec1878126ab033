//! Short-lived signing keys, one per browser session, derived from the receiver's key
//! secret — nothing to store, the same on every instance that shares the secret.
//!
//! Time is cut into steps of half the key lifetime. The key of session `s` in step
//! `w` is `HMAC-SHA256(key secret, "consent-form receiver key v1" ‖ s ‖ w)`; issued
//! during step `w`, it expires at the end of step `w + 1`, so a fresh key always has
//! between half and all of its lifetime left. Two tabs of one session share a key.
//!
//! A submission is checked against the keys of its session that are not expired, or
//! expired less than the grace period ago — a request signed just before expiry may
//! arrive after it. Past that, the receiver answers 401 and the component fetches a
//! new key and signs again (its outbox keeps the submission meanwhile).

use std::fmt;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use consent_form::signing::Secret;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The secret every session key is derived from. Its `Debug` hides it.
#[derive(Clone)]
pub struct KeySecret(Vec<u8>);

impl KeySecret {
    /// The fewest bytes a configured key secret may have.
    pub const MIN_BYTES: usize = 32;

    /// Reads `whsec_<base64>` (or bare base64) of at least [`KeySecret::MIN_BYTES`]
    /// bytes. The error never contains the text.
    pub fn parse(text: &str) -> Result<KeySecret, String> {
        let text = text.trim();
        let b64 = text.strip_prefix("whsec_").unwrap_or(text);
        let bytes = STANDARD
            .decode(b64)
            .map_err(|_| "not base64 (write it as whsec_<base64>)".to_owned())?;
        if bytes.len() < KeySecret::MIN_BYTES {
            return Err(format!(
                "has {} bytes, at least {} are needed (e.g. whsec_ and 32 random bytes in base64: \
                 openssl rand -base64 32)",
                bytes.len(),
                KeySecret::MIN_BYTES
            ));
        }
        Ok(KeySecret(bytes))
    }

    /// The secret's bytes.
    pub(crate) fn into_bytes(self) -> Vec<u8> {
        self.0
    }

    /// 32 random bytes from the operating system.
    pub fn random() -> Result<KeySecret, String> {
        let mut bytes = vec![0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| format!("no randomness from the OS: {e}"))?;
        Ok(KeySecret(bytes))
    }
}

impl fmt::Debug for KeySecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("KeySecret(…)")
    }
}

/// A browser session: 128 random bits, base64url, carried by the session cookie.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionId(String);

impl SessionId {
    /// The cookie's name.
    pub const COOKIE: &'static str = "consent_form_session";

    /// A new random session.
    pub fn random() -> Result<SessionId, String> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| format!("no randomness from the OS: {e}"))?;
        Ok(SessionId(URL_SAFE_NO_PAD.encode(bytes)))
    }

    /// Reads a session id: exactly 22 base64url characters (anything else is no
    /// session).
    pub fn parse(text: &str) -> Option<SessionId> {
        let ok = text.len() == 22
            && text
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_');
        ok.then(|| SessionId(text.to_owned()))
    }

    /// Finds the session cookie in a `Cookie` header value.
    pub fn from_cookie_header(header: &str) -> Option<SessionId> {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == SessionId::COOKIE)
            .and_then(|(_, value)| SessionId::parse(value.trim()))
    }

    /// The id's text (it goes into the cookie; never log it).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionId(…)")
    }
}

/// A key handed to a session.
#[derive(Clone, Debug)]
pub struct IssuedKey {
    /// The key.
    pub secret: Secret,
    /// When it expires, Unix seconds.
    pub expires_at: u64,
}

/// A key a submission may have been signed with.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// The key.
    pub secret: Secret,
    /// When it expired or expires, Unix seconds.
    pub expires_at: u64,
    /// Whether it is past its grace period (kept only to say "expired" rather than
    /// "wrong signature"; a match on it is refused).
    pub too_old: bool,
}

/// Issues and recognises session keys.
#[derive(Clone, Debug)]
pub struct KeyIssuer {
    secret: KeySecret,
    /// Half the lifetime, in seconds (at least 1).
    step: u64,
    grace: u64,
}

impl KeyIssuer {
    /// An issuer of keys living `ttl_secs` (at least 2), accepted `grace_secs` after.
    pub fn new(secret: KeySecret, ttl_secs: u64, grace_secs: u64) -> KeyIssuer {
        KeyIssuer {
            secret,
            step: (ttl_secs / 2).max(1),
            grace: grace_secs,
        }
    }

    fn key(&self, session: &SessionId, window: u64) -> Option<Secret> {
        // HMAC takes keys of any length: this cannot fail; the fallback keeps it total.
        let mut mac = match Hmac::<Sha256>::new_from_slice(&self.secret.0) {
            Ok(mac) => mac,
            Err(_) => Hmac::<Sha256>::new(&Default::default()),
        };
        mac.update(b"consent-form receiver key v1\0");
        mac.update(session.as_str().as_bytes());
        mac.update(b"\0");
        mac.update(&window.to_be_bytes());
        let bytes = mac.finalize().into_bytes();
        // 32 bytes are never empty, so this is always Some.
        Secret::from_bytes(&bytes).ok()
    }

    /// The key for `session` at `now` (Unix seconds). `None` cannot happen (HMAC
    /// output is never empty) but is not hidden behind a panic.
    pub fn issue(&self, session: &SessionId, now: u64) -> Option<IssuedKey> {
        let window = now / self.step;
        Some(IssuedKey {
            secret: self.key(session, window)?,
            expires_at: window.saturating_add(2).saturating_mul(self.step),
        })
    }

    /// The keys `session` may hold at `now`, newest first: the live ones, those in
    /// their grace period, and one lifetime of expired ones (marked `too_old`).
    pub fn candidates(&self, session: &SessionId, now: u64) -> Vec<Candidate> {
        let current = now / self.step;
        let mut out = Vec::new();
        let mut window = current;
        loop {
            let expires_at = window.saturating_add(2).saturating_mul(self.step);
            let too_old = expires_at.saturating_add(self.grace) < now;
            // Expired beyond grace and beyond one more lifetime: stop looking.
            if too_old && expires_at.saturating_add(self.grace + 2 * self.step) < now {
                break;
            }
            if let Some(secret) = self.key(session, window) {
                out.push(Candidate {
                    secret,
                    expires_at,
                    too_old,
                });
            }
            if window == 0 || out.len() >= 8 {
                break;
            }
            window -= 1;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issuer() -> KeyIssuer {
        KeyIssuer::new(KeySecret(vec![7; 32]), 600, 60)
    }

    fn session(c: char) -> SessionId {
        SessionId::parse(&c.to_string().repeat(22)).unwrap()
    }

    #[test]
    fn keys_are_per_session_and_per_step() {
        let i = issuer();
        let a = i.issue(&session('a'), 1_000_000).unwrap();
        let b = i.issue(&session('b'), 1_000_000).unwrap();
        assert_ne!(a.secret.expose_whsec(), b.secret.expose_whsec());
        // Same step, same key (two tabs); next step, a new one.
        let a2 = i.issue(&session('a'), 1_000_000 + 1).unwrap();
        assert_eq!(a.secret.expose_whsec(), a2.secret.expose_whsec());
        let later = i.issue(&session('a'), 1_000_000 + 300).unwrap();
        assert_ne!(a.secret.expose_whsec(), later.secret.expose_whsec());
        // Half to all of the lifetime left.
        for now in [1_000_200u64, 1_000_201, 1_000_499] {
            let k = i.issue(&session('a'), now).unwrap();
            assert!(
                k.expires_at > now + 300 - 1 && k.expires_at <= now + 600,
                "{now} {k:?}"
            );
        }
        // A different key secret gives different keys.
        let other = KeyIssuer::new(KeySecret(vec![8; 32]), 600, 60);
        assert_ne!(
            other
                .issue(&session('a'), 1_000_000)
                .unwrap()
                .secret
                .expose_whsec(),
            a.secret.expose_whsec()
        );
    }

    #[test]
    fn candidates_cover_live_and_grace_keys() {
        let i = issuer();
        let s = session('c');
        let issued_at = 1_000_100;
        let key = i.issue(&s, issued_at).unwrap();
        let live = |now: u64| {
            i.candidates(&s, now)
                .into_iter()
                .find(|c| c.secret.expose_whsec() == key.secret.expose_whsec())
        };
        assert!(!live(issued_at).unwrap().too_old);
        assert!(!live(key.expires_at).unwrap().too_old);
        assert!(!live(key.expires_at + 60).unwrap().too_old, "grace");
        assert!(live(key.expires_at + 61).unwrap().too_old, "past grace");
        assert!(live(key.expires_at + 2000).is_none(), "forgotten");
        assert!(i.candidates(&s, issued_at).len() <= 8);
        assert!(i.candidates(&s, 0).len() == 1);
    }

    #[test]
    fn session_ids() {
        let s = SessionId::random().unwrap();
        assert_eq!(s.as_str().len(), 22);
        assert_eq!(SessionId::parse(s.as_str()), Some(s.clone()));
        assert!(SessionId::parse("short").is_none());
        assert!(SessionId::parse(&"é".repeat(11)).is_none());
        let header = format!("a=b; {}={}; c=d", SessionId::COOKIE, s.as_str());
        assert_eq!(SessionId::from_cookie_header(&header), Some(s));
        assert!(SessionId::from_cookie_header("consent_form_session=../../etc").is_none());
        assert_eq!(
            format!("{:?}", SessionId::random().unwrap()),
            "SessionId(…)"
        );
    }

    #[test]
    fn key_secrets() {
        assert!(KeySecret::parse("whsec_c2hvcnQ=")
            .unwrap_err()
            .contains("at least 32"));
        assert!(KeySecret::parse("whsec_!!").is_err());
        let good = format!("whsec_{}", STANDARD.encode([1u8; 32]));
        assert!(KeySecret::parse(&good).is_ok());
        assert_eq!(
            format!("{:?}", KeySecret::parse(&good).unwrap()),
            "KeySecret(…)"
        );
    }
}
