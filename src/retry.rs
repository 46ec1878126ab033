//! When to try a failed delivery again: exponential backoff with full jitter,
//! honouring the server's `Retry-After`.

/// The first retry waits up to this long.
pub const BASE_MS: u64 = 1_000;
/// No wait is longer than this.
pub const CAP_MS: u64 = 5 * 60_000;

/// The wait before retry number `attempt` (1 for the first retry), given a uniform
/// random `jitter` in [0, 1) and the server's `Retry-After` in seconds, if any.
///
/// Full jitter: a uniform wait between 0 and `min(CAP_MS, BASE_MS · 2^(attempt-1))`,
/// so that many browsers failing together do not retry together. `Retry-After`
/// is a floor (capped at an hour, so a bad header cannot park a submission forever).
pub fn delay_ms(attempt: u32, jitter: f64, retry_after_s: Option<u32>) -> u64 {
    let exp = attempt.saturating_sub(1).min(30);
    let ceiling = BASE_MS.saturating_mul(1u64 << exp).min(CAP_MS);
    let jitter = if jitter.is_finite() { jitter.clamp(0.0, 1.0) } else { 0.5 };
    let wait = (ceiling as f64 * jitter) as u64;
    let floor = u64::from(retry_after_s.unwrap_or(0).min(3600)) * 1000;
    wait.max(floor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_exponentially_up_to_the_cap() {
        assert_eq!(delay_ms(1, 0.999_999, None), 999);
        assert_eq!(delay_ms(2, 0.5, None), 1_000);
        assert_eq!(delay_ms(5, 0.5, None), 8_000);
        assert_eq!(delay_ms(40, 0.5, None), CAP_MS / 2);
        assert_eq!(delay_ms(u32::MAX, 1.0, None), CAP_MS);
    }

    #[test]
    fn full_jitter_spans_zero_to_the_ceiling() {
        assert_eq!(delay_ms(3, 0.0, None), 0);
        assert_eq!(delay_ms(3, 1.0, None), 4_000);
        assert_eq!(delay_ms(3, f64::NAN, None), 2_000);
        assert_eq!(delay_ms(3, -4.0, None), 0);
    }

    #[test]
    fn retry_after_is_a_floor_capped_at_an_hour() {
        assert_eq!(delay_ms(1, 0.1, Some(7)), 7_000);
        assert_eq!(delay_ms(10, 1.0, Some(1)), 512_000.min(CAP_MS));
        assert_eq!(delay_ms(1, 0.0, Some(u32::MAX)), 3_600_000);
    }
}
