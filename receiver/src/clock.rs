//! The receiver's clock: Unix seconds and RFC 3339 UTC text.

use std::time::{SystemTime, UNIX_EPOCH};

use consent_form::payload::Rfc3339;

/// Milliseconds since the Unix epoch (0 if the clock is before it).
pub fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Seconds since the Unix epoch.
pub fn now_unix() -> u64 {
    u64::try_from(now_millis() / 1000).unwrap_or(0)
}

/// `ms` as RFC 3339 UTC with milliseconds, e.g. `2026-11-23T09:07:05.123Z`.
pub fn rfc3339(ms: i64) -> String {
    match Rfc3339::from_unix_millis(ms, 0) {
        Ok(t) => t.as_str().to_owned(),
        Err(_) => "1970-01-01T00:00:00.000Z".to_owned(),
    }
}

/// Now, as RFC 3339 UTC.
pub fn now_rfc3339() -> String {
    rfc3339(now_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc() {
        let t = rfc3339(1_795_424_825_123);
        assert!(t.starts_with("2026-11-23T09:07:05.123"), "{t}");
        assert!(Rfc3339::parse(&now_rfc3339()).is_ok());
    }
}
