//! RFC 3339 times with an explicit offset, formatted and parsed without a date crate.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::calendar::{civil_from_days, days_from_civil, days_in_month};

/// A point in time written as RFC 3339 with its UTC offset, e.g.
/// `2026-11-23T16:07:05.123+07:00`.
///
/// Made from the caller's clock ([`Rfc3339::from_unix_millis`]) or parsed from text
/// ([`Rfc3339::parse`]); the text is kept exactly as written.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Rfc3339 {
    text: String,
    unix_millis: i64,
    offset_minutes: i32,
}

/// Why a time cannot be made or read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeError {
    /// The offset is not within ±23:59.
    OffsetOutOfRange,
    /// The time falls outside the years 0000–9999.
    YearOutOfRange,
    /// The text is not `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
    Malformed,
    /// The text has the right shape but names no real date or time (month 13,
    /// February 30, hour 24…).
    InvalidDate,
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeError::OffsetOutOfRange => "the UTC offset must be within ±23:59",
            TimeError::YearOutOfRange => "the year must be between 0000 and 9999",
            TimeError::Malformed => {
                "the time must look like 2026-11-23T16:07:05.123+07:00 (RFC 3339 with offset)"
            }
            TimeError::InvalidDate => "the date or time does not exist",
        })
    }
}

impl std::error::Error for TimeError {}

const MILLIS_PER_DAY: i64 = 86_400_000;
const MAX_OFFSET_MINUTES: i32 = 23 * 60 + 59;

impl Rfc3339 {
    /// The time `unix_millis` (milliseconds since 1970-01-01T00:00Z) written in the
    /// local time of `offset_minutes` east of UTC, with millisecond precision.
    ///
    /// In a browser: `Date.now()` and `-new Date().getTimezoneOffset()` (note the
    /// sign: JavaScript counts minutes *west*). Vietnam is `+420`.
    pub fn from_unix_millis(unix_millis: i64, offset_minutes: i32) -> Result<Rfc3339, TimeError> {
        if !(-MAX_OFFSET_MINUTES..=MAX_OFFSET_MINUTES).contains(&offset_minutes) {
            return Err(TimeError::OffsetOutOfRange);
        }
        let local = unix_millis
            .checked_add(i64::from(offset_minutes) * 60_000)
            .ok_or(TimeError::YearOutOfRange)?;
        let days = local.div_euclid(MILLIS_PER_DAY);
        let ms_of_day = local.rem_euclid(MILLIS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        if !(0..=9999).contains(&year) {
            return Err(TimeError::YearOutOfRange);
        }
        let hour = ms_of_day / 3_600_000;
        let minute = ms_of_day / 60_000 % 60;
        let second = ms_of_day / 1000 % 60;
        let milli = ms_of_day % 1000;
        let sign = if offset_minutes < 0 { '-' } else { '+' };
        let off = offset_minutes.unsigned_abs();
        let text = format!(
            "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{milli:03}{sign}{:02}:{:02}",
            off / 60,
            off % 60
        );
        Ok(Rfc3339 {
            text,
            unix_millis,
            offset_minutes,
        })
    }

    /// Reads `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` (`T` and `Z` in either case;
    /// fractions beyond milliseconds are truncated for [`Rfc3339::unix_millis`]).
    /// Leap seconds (`:60`) are refused.
    pub fn parse(text: &str) -> Result<Rfc3339, TimeError> {
        let b = text.as_bytes();
        let digits = |range: std::ops::Range<usize>| -> Result<u32, TimeError> {
            let part = b.get(range).ok_or(TimeError::Malformed)?;
            part.iter().try_fold(0u32, |n, &c| {
                if c.is_ascii_digit() {
                    Ok(n * 10 + u32::from(c - b'0'))
                } else {
                    Err(TimeError::Malformed)
                }
            })
        };
        let byte = |i: usize| b.get(i).copied().unwrap_or(0);
        if byte(4) != b'-' || byte(7) != b'-' || !matches!(byte(10), b'T' | b't') {
            return Err(TimeError::Malformed);
        }
        if byte(13) != b':' || byte(16) != b':' {
            return Err(TimeError::Malformed);
        }
        let year = i64::from(digits(0..4)?);
        let month = digits(5..7)?;
        let day = digits(8..10)?;
        let hour = digits(11..13)?;
        let minute = digits(14..16)?;
        let second = digits(17..19)?;

        let mut i = 19;
        let mut millis = 0u32;
        if byte(i) == b'.' {
            i += 1;
            let start = i;
            while byte(i).is_ascii_digit() {
                if i - start < 3 {
                    millis = millis * 10 + u32::from(byte(i) - b'0');
                }
                i += 1;
            }
            let n = i - start;
            if n == 0 || n > 9 {
                return Err(TimeError::Malformed);
            }
            for _ in n..3 {
                millis *= 10;
            }
        }
        let offset_minutes: i32 = match byte(i) {
            b'Z' | b'z' if b.len() == i + 1 => 0,
            sign @ (b'+' | b'-') if b.len() == i + 6 && byte(i + 3) == b':' => {
                let h = digits(i + 1..i + 3)?;
                let m = digits(i + 4..i + 6)?;
                if h > 23 || m > 59 {
                    return Err(TimeError::InvalidDate);
                }
                let total = (h * 60 + m) as i32;
                if sign == b'-' {
                    -total
                } else {
                    total
                }
            }
            _ => return Err(TimeError::Malformed),
        };
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(TimeError::InvalidDate);
        }
        if hour > 23 || minute > 59 || second > 59 {
            return Err(TimeError::InvalidDate);
        }
        let local = days_from_civil(year, month, day) * MILLIS_PER_DAY
            + i64::from(hour) * 3_600_000
            + i64::from(minute) * 60_000
            + i64::from(second) * 1000
            + i64::from(millis);
        Ok(Rfc3339 {
            text: text.to_owned(),
            unix_millis: local - i64::from(offset_minutes) * 60_000,
            offset_minutes,
        })
    }

    /// The text, exactly as made or read.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Milliseconds since 1970-01-01T00:00Z.
    pub fn unix_millis(&self) -> i64 {
        self.unix_millis
    }

    /// The offset from UTC in minutes, east positive.
    pub fn offset_minutes(&self) -> i32 {
        self.offset_minutes
    }

    /// The local calendar date, `YYYY-MM-DD`.
    pub fn local_date(&self) -> &str {
        self.text.get(..10).unwrap_or("")
    }
}

impl fmt::Display for Rfc3339 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl TryFrom<String> for Rfc3339 {
    type Error = TimeError;

    fn try_from(text: String) -> Result<Rfc3339, TimeError> {
        Rfc3339::parse(&text)
    }
}

impl From<Rfc3339> for String {
    fn from(time: Rfc3339) -> String {
        time.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_offset() {
        // 2023-11-14T22:13:20Z is Unix 1_700_000_000.
        let t = Rfc3339::from_unix_millis(1_700_000_000_123, 420).unwrap();
        assert_eq!(t.as_str(), "2023-11-15T05:13:20.123+07:00");
        assert_eq!(t.local_date(), "2023-11-15");
        let t = Rfc3339::from_unix_millis(1_700_000_000_000, 0).unwrap();
        assert_eq!(t.as_str(), "2023-11-14T22:13:20.000+00:00");
        let t = Rfc3339::from_unix_millis(1_700_000_000_000, -(9 * 60 + 30)).unwrap();
        assert_eq!(t.as_str(), "2023-11-14T12:43:20.000-09:30");
        assert_eq!(
            Rfc3339::from_unix_millis(0, 0).unwrap().as_str(),
            "1970-01-01T00:00:00.000+00:00"
        );
        assert_eq!(
            Rfc3339::from_unix_millis(-1, 0).unwrap().as_str(),
            "1969-12-31T23:59:59.999+00:00"
        );
        // Leap day.
        assert_eq!(
            Rfc3339::from_unix_millis(951_782_400_000, 0)
                .unwrap()
                .as_str(),
            "2000-02-29T00:00:00.000+00:00"
        );
    }

    #[test]
    fn refuses_out_of_range() {
        assert_eq!(
            Rfc3339::from_unix_millis(0, 24 * 60),
            Err(TimeError::OffsetOutOfRange)
        );
        assert_eq!(
            Rfc3339::from_unix_millis(i64::MAX, 0),
            Err(TimeError::YearOutOfRange)
        );
        assert_eq!(
            Rfc3339::from_unix_millis(i64::MIN, 0),
            Err(TimeError::YearOutOfRange)
        );
        assert_eq!(
            Rfc3339::from_unix_millis(253_402_300_800_000, 0),
            Err(TimeError::YearOutOfRange)
        );
        assert!(Rfc3339::from_unix_millis(253_402_300_799_999, 0).is_ok());
    }

    #[test]
    fn round_trips_every_day_across_centuries() {
        // Every 7th hour from 1899 to 2101 in a few offsets: format, parse, compare.
        let start = -2_240_524_800_000i64; // 1899-01-01
        let end = 4_133_980_800_000i64; // 2101-01-01
        let mut t = start;
        while t < end {
            for off in [0, 420, -300, 345] {
                let a = Rfc3339::from_unix_millis(t + 7, off).unwrap();
                let b = Rfc3339::parse(a.as_str()).unwrap();
                assert_eq!(b.unix_millis(), t + 7, "{}", a.as_str());
                assert_eq!(b.offset_minutes(), off);
                assert_eq!(a, b);
            }
            t += 7 * 3_600_000;
        }
    }

    #[test]
    fn parses_variants() {
        let z = Rfc3339::parse("2023-11-14T22:13:20Z").unwrap();
        assert_eq!(z.unix_millis(), 1_700_000_000_000);
        let lower = Rfc3339::parse("2023-11-14t22:13:20.5z").unwrap();
        assert_eq!(lower.unix_millis(), 1_700_000_000_500);
        let nanos = Rfc3339::parse("2023-11-15T05:13:20.123456789+07:00").unwrap();
        assert_eq!(nanos.unix_millis(), 1_700_000_000_123);
        assert_eq!(nanos.as_str(), "2023-11-15T05:13:20.123456789+07:00");
    }

    #[test]
    fn refuses_bad_text() {
        for bad in [
            "",
            "2023-11-14",
            "2023-11-14 22:13:20Z",
            "2023-11-14T22:13:20",
            "2023-11-14T22:13:20+0700",
            "2023-11-14T22:13:20.Z",
            "2023-11-14T22:13:20.1234567891Z",
            "2023-11-14T22:13:20Zjunk",
            "2023-1-14T22:13:20Z",
            "+2023-11-14T22:13:20Z",
            "2023-11-14T22:13:20+07:00 ",
            "２０２３-11-14T22:13:20Z",
        ] {
            assert_eq!(Rfc3339::parse(bad), Err(TimeError::Malformed), "{bad:?}");
        }
        for bad in [
            "2023-13-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2023-04-31T00:00:00Z",
            "2023-00-10T00:00:00Z",
            "2023-01-00T00:00:00Z",
            "2023-01-01T24:00:00Z",
            "2023-01-01T23:60:00Z",
            "2023-01-01T23:59:60Z",
            "2023-01-01T23:59:59+24:00",
        ] {
            assert_eq!(Rfc3339::parse(bad), Err(TimeError::InvalidDate), "{bad:?}");
        }
        assert!(Rfc3339::parse("2024-02-29T00:00:00Z").is_ok());
        assert!(Rfc3339::parse("2000-02-29T00:00:00Z").is_ok());
    }

    #[test]
    fn serde_is_the_text() {
        let t = Rfc3339::from_unix_millis(1_700_000_000_123, 420).unwrap();
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, "\"2023-11-15T05:13:20.123+07:00\"");
        let back: Rfc3339 = serde_json::from_str(&json).unwrap();
        assert_eq!(back, t);
        assert!(serde_json::from_str::<Rfc3339>("\"yesterday\"").is_err());
    }
}
