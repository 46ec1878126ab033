//! The receiver's clock: Unix seconds and RFC 3339 UTC text; [`Clock`] for what takes
//! its time from outside (the retention job), so tests can set it.

use std::sync::atomic::{AtomicI64, Ordering};
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

/// Where the time comes from.
pub trait Clock: Send + Sync {
    /// Milliseconds since the Unix epoch.
    fn now_millis(&self) -> i64;
}

/// The system's clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_millis(&self) -> i64 {
        now_millis()
    }
}

/// A clock that says what it is told (tests).
#[derive(Debug, Default)]
pub struct FixedClock(AtomicI64);

impl FixedClock {
    /// A clock at `ms`.
    pub fn at(ms: i64) -> FixedClock {
        FixedClock(AtomicI64::new(ms))
    }

    /// Sets it to `ms`.
    pub fn set(&self, ms: i64) {
        self.0.store(ms, Ordering::SeqCst);
    }
}

impl Clock for FixedClock {
    fn now_millis(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
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
