//! When to try a failed delivery again: exponential backoff with full jitter,
//! honouring the server's `Retry-After`.

use crate::calendar::{days_from_civil, days_in_month};

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
    let jitter = if jitter.is_finite() {
        jitter.clamp(0.0, 1.0)
    } else {
        0.5
    };
    let wait = (ceiling as f64 * jitter) as u64;
    let floor = u64::from(retry_after_s.unwrap_or(0).min(3600)) * 1000;
    wait.max(floor)
}

/// The seconds to wait that a `Retry-After` header asks for, `now_s` being the current
/// Unix time in seconds. The header is either a number of seconds (`120`) or an HTTP
/// date (`Sun, 06 Nov 1994 08:49:37 GMT`, the IMF-fixdate form every server sends);
/// a date in the past means no wait. Anything else is `None`: the backoff decides.
pub fn retry_after_seconds(header: &str, now_s: u64) -> Option<u32> {
    let header = header.trim();
    if !header.is_empty() && header.bytes().all(|b| b.is_ascii_digit()) {
        // A huge number is a long wait, not an error; delay_ms caps it anyway.
        return Some(
            header
                .parse::<u64>()
                .map_or(u32::MAX, |s| s.min(u64::from(u32::MAX)) as u32),
        );
    }
    let at = http_date(header)?;
    Some(at.saturating_sub(now_s).min(u64::from(u32::MAX)) as u32)
}

/// Unix seconds of an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn http_date(text: &str) -> Option<u64> {
    let mut parts = text.split_ascii_whitespace();
    let weekday = parts.next()?;
    if !(weekday.len() == 4 && weekday.ends_with(',')) {
        return None;
    }
    let day: u64 = number(parts.next()?, 2)?;
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month_name = parts.next()?;
    let month = MONTHS.iter().position(|m| *m == month_name)? as u64 + 1;
    let year: u64 = number(parts.next()?, 4)?;
    let mut clock = parts.next()?.split(':');
    let hour: u64 = number(clock.next()?, 2)?;
    let minute: u64 = number(clock.next()?, 2)?;
    let second: u64 = number(clock.next()?, 2)?;
    if clock.next().is_some() || parts.next()? != "GMT" || parts.next().is_some() {
        return None;
    }
    let (y, m) = (year as i64, month as u32);
    if !(1970..=9999).contains(&year)
        || day == 0
        || day > u64::from(days_in_month(y, m))
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let days = days_from_civil(y, m, day as u32) as u64;
    Some(days * 86_400 + hour * 3600 + minute * 60 + second)
}

/// A number of exactly `digits` ASCII digits.
fn number(text: &str, digits: usize) -> Option<u64> {
    if text.len() != digits || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
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

    #[test]
    fn retry_after_in_seconds() {
        assert_eq!(retry_after_seconds("120", 0), Some(120));
        assert_eq!(retry_after_seconds(" 0 ", 0), Some(0));
        assert_eq!(
            retry_after_seconds("99999999999999999999", 0),
            Some(u32::MAX)
        );
        assert_eq!(retry_after_seconds("-1", 0), None);
        assert_eq!(retry_after_seconds("1.5", 0), None);
        assert_eq!(retry_after_seconds("", 0), None);
        assert_eq!(retry_after_seconds("soon", 0), None);
    }

    #[test]
    fn retry_after_as_an_http_date() {
        // 1994-11-06T08:49:37Z is 784111777 (RFC 9110's example date).
        let at = 784_111_777;
        assert_eq!(
            retry_after_seconds("Sun, 06 Nov 1994 08:49:37 GMT", at - 30),
            Some(30)
        );
        assert_eq!(
            retry_after_seconds("Sun, 06 Nov 1994 08:49:37 GMT", at + 30),
            Some(0)
        );
        // Leap day and year ends.
        assert_eq!(
            http_date("Thu, 29 Feb 2024 00:00:00 GMT"),
            Some(1_709_164_800)
        );
        assert_eq!(http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            http_date("Fri, 31 Dec 9999 23:59:59 GMT"),
            Some(253_402_300_799)
        );
        // Not IMF-fixdate: left to the backoff.
        assert_eq!(
            retry_after_seconds("Sunday, 06-Nov-94 08:49:37 GMT", 0),
            None
        );
        assert_eq!(retry_after_seconds("Sun Nov  6 08:49:37 1994", 0), None);
        assert_eq!(
            retry_after_seconds("Sun, 06 Nov 1994 08:49:37 UTC", 0),
            None
        );
        assert_eq!(
            retry_after_seconds("Sun, 06 Nov 1994 24:00:00 GMT", 0),
            None
        );
        assert_eq!(retry_after_seconds("Sun, 6 Nov 1994 08:49:37 GMT", 0), None);
        assert_eq!(
            retry_after_seconds("Sun, 06 Nov 1994 08:49:37 GMT extra", 0),
            None
        );
    }

    #[test]
    fn http_dates_agree_with_a_day_count() {
        // Every day from 1970 to 2100 at noon, against counting days one by one.
        let months = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let mut days = 0u64;
        for year in 1970..2100u64 {
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            let lengths = [
                31,
                if leap { 29 } else { 28 },
                31,
                30,
                31,
                30,
                31,
                31,
                30,
                31,
                30,
                31,
            ];
            for (m, &len) in lengths.iter().enumerate() {
                for d in 1..=len {
                    let text = format!("Mon, {d:02} {} {year} 12:00:00 GMT", months[m]);
                    assert_eq!(http_date(&text), Some(days * 86_400 + 43_200), "{text}");
                    days += 1;
                }
            }
        }
    }
}
