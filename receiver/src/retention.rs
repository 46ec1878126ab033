//! The retention period: the owner's promise to keep a person's data no longer than,
//! say, 24 months (`RECEIVER_RETENTION=24months`; off by default). A submission
//! received longer ago than the period is erased by the receiver itself, with the
//! erasure of [`crate::erasure`] (`by: "controller"`, the reason naming the rule), at
//! start and every hour while it runs; `receiver retention` lists what would be
//! erased without erasing it.
//!
//! The period runs from when the receiver received the submission (`received_at`):
//! later events (a correction, a withdrawal) do not extend it, and a consent still
//! active does not either — the period is the longest the notice promised to keep the
//! data. A record on hold ([`crate::hold`]) is passed by until the hold is released.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use consent_form::calendar::{civil_from_days, days_from_civil, days_in_month};
use consent_form::payload::Rfc3339;

use crate::clock::{self, Clock};
use crate::erasure;
use crate::error::log_ref;
use crate::records::HoldView;
use crate::store::{AppendError, Erasure, Store, StoreError};

/// How often the running receiver looks for expired records.
pub const EVERY: Duration = Duration::from_secs(3600);
/// Records read (and erased) at a time.
const BATCH: u32 = 500;

/// How long records are kept after they were received.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    /// Whole days of 24 hours.
    Days(u32),
    /// Calendar months: received on 10 March, kept until 10 March N months later.
    Months(u32),
}

impl Period {
    /// The longest period accepted, in days (100 years).
    const MAX_DAYS: u32 = 36_525;
    /// The same in months.
    const MAX_MONTHS: u32 = 1_200;

    /// Reads `730d`, `730 days`, `24months`, `2y`, `2 years`; `Ok(None)` for `off`.
    pub fn parse(text: &str) -> Result<Option<Period>, String> {
        let text = text.trim().to_ascii_lowercase();
        if matches!(text.as_str(), "off" | "0" | "") {
            return Ok(None);
        }
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        let (number, unit) = text.split_at(digits);
        let bad = || {
            format!(
                "\"{}\" is not a period such as 24months, 730d or 2y (or off)",
                text.escape_debug()
            )
        };
        let n: u32 = number.parse().map_err(|_| bad())?;
        let period = match unit.trim() {
            "d" | "day" | "days" => Period::Days(n),
            "month" | "months" => Period::Months(n),
            "y" | "year" | "years" => Period::Months(n.checked_mul(12).ok_or_else(bad)?),
            _ => return Err(bad()),
        };
        let too_long = match period {
            Period::Days(d) => d > Period::MAX_DAYS,
            Period::Months(m) => m > Period::MAX_MONTHS,
        };
        if n == 0 || too_long {
            return Err(format!("{}: give 1 day to 100 years", bad()));
        }
        Ok(Some(period))
    }

    /// The moment (Unix milliseconds) before which a submission received has outlived
    /// the period at `now_ms`. By months, a submission is due on the same day at the
    /// same time N months later, or, when that month has no such day (31 March plus one
    /// month), at the start of the month after it; so on a day the earlier month lacks
    /// (29–31 March, one month), every submission of that month is due.
    pub fn cutoff(self, now_ms: i64) -> i64 {
        const DAY_MS: i64 = 86_400_000;
        match self {
            Period::Days(d) => now_ms - i64::from(d) * DAY_MS,
            Period::Months(m) => {
                let days = now_ms.div_euclid(DAY_MS);
                let time = now_ms.rem_euclid(DAY_MS);
                let (y, mo, d) = civil_from_days(days);
                let months = y * 12 + i64::from(mo - 1) - i64::from(m);
                let (y, mo) = (months.div_euclid(12), months.rem_euclid(12) as u32 + 1);
                let last = days_in_month(y, mo);
                if d > last {
                    (days_from_civil(y, mo, last) + 1) * DAY_MS
                } else {
                    days_from_civil(y, mo, d) * DAY_MS + time
                }
            }
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Period::Days(1) => f.write_str("1 day"),
            Period::Days(d) => write!(f, "{d} days"),
            Period::Months(1) => f.write_str("1 month"),
            Period::Months(m) => write!(f, "{m} months"),
        }
    }
}

/// The reason an erasure by the retention job gives.
pub fn reason(period: Period) -> String {
    format!("retention period: {period} after receipt (RECEIVER_RETENTION)")
}

/// A submission that has outlived the period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expired {
    /// Its id.
    pub id: String,
    /// When it was received.
    pub received_at: String,
    /// Its hold, when it is on hold (then it is not erased).
    pub held: Option<HoldView>,
}

/// The submissions not erased that were received before `cutoff_ms`, oldest first,
/// each with its hold if it is on hold.
pub async fn expired(store: &Store, cutoff_ms: i64) -> Result<Vec<Expired>, StoreError> {
    let cutoff = clock::rfc3339(cutoff_ms);
    let mut out = Vec::new();
    let mut after: Option<(String, i64)> = None;
    loop {
        let page = store.received_before(&cutoff, after.clone(), BATCH).await?;
        let full = page.len() == BATCH as usize;
        after = page.last().map(|r| (r.received_at.clone(), r.seq));
        let ids: Vec<String> = page.iter().map(|r| r.id.clone()).collect();
        let events = store.events(&ids).await?;
        out.extend(page.into_iter().map(|r| {
            let mine: Vec<_> = events
                .iter()
                .filter(|e| e.event.submission_id == r.id)
                .cloned()
                .collect();
            Expired {
                held: HoldView::of(&mine),
                id: r.id,
                received_at: r.received_at,
            }
        }));
        if !full {
            return Ok(out);
        }
    }
}

/// What one pass of the job did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Swept {
    /// The submissions erased, oldest first.
    pub erased: Vec<Expired>,
    /// Those on hold, not erased (looked at again next time).
    pub held: Vec<Expired>,
    /// Those that could not be (logged, tried again next time).
    pub failed: usize,
}

/// Erases every submission that has outlived `period` by `clock`, as the controller.
pub async fn sweep(store: &Store, period: Period, clock: &dyn Clock) -> Result<Swept, StoreError> {
    let now = clock.now_millis();
    let due = expired(store, period.cutoff(now)).await?;
    let reason = reason(period);
    let mut swept = Swept::default();
    for record in due {
        if record.held.is_some() {
            swept.held.push(record);
            continue;
        }
        match erasure::erase_now(store, &record.id, "controller", &reason, now).await {
            Ok(Erasure::Now(_)) => swept.erased.push(record),
            // Put on hold meanwhile.
            Ok(Erasure::Held(_)) => swept.held.push(record),
            // Erased meanwhile by the owner: nothing to do.
            Ok(Erasure::Before(_)) | Err(AppendError::NotFound) => {}
            Err(e) => {
                let why = match e {
                    AppendError::Refused(why) => why,
                    AppendError::Store(e) => e.to_string(),
                    AppendError::NotFound => String::new(),
                };
                eprintln!(
                    "{} retention: {} not erased: {}",
                    clock::now_rfc3339(),
                    log_ref(&record.id),
                    crate::error::redact_ids(&why)
                );
                swept.failed += 1;
            }
        }
    }
    Ok(swept)
}

/// One pass, logged: each record erased by its reference, and how many.
pub async fn sweep_logged(store: &Store, period: Period, clock: &dyn Clock) {
    match sweep(store, period, clock).await {
        Ok(swept) => {
            for record in &swept.erased {
                eprintln!(
                    "{} retention: erased {} (received {})",
                    clock::now_rfc3339(),
                    log_ref(&record.id),
                    record.received_at
                );
            }
            if !swept.erased.is_empty() || swept.failed > 0 || !swept.held.is_empty() {
                let held = match swept.held.len() {
                    0 => String::new(),
                    n => format!(", {n} on hold kept"),
                };
                eprintln!(
                    "{} retention: {} erased, {} failed{held} ({period} after receipt)",
                    clock::now_rfc3339(),
                    swept.erased.len(),
                    swept.failed
                );
            }
        }
        Err(e) => eprintln!(
            "{} retention: cannot read the records: {}",
            clock::now_rfc3339(),
            crate::error::redact_ids(&e.to_string())
        ),
    }
}

/// Runs the job now and then every `every`, for as long as the process runs.
pub fn spawn(
    store: Store,
    period: Period,
    clock: Arc<dyn Clock>,
    every: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            sweep_logged(&store, period, clock.as_ref()).await;
            tokio::time::sleep(every).await;
        }
    })
}

/// `receiver retention`: prints what the job would erase at `at` (default now) and
/// erases nothing.
pub async fn dry_run(store: &Store, period: Period, at: Option<Rfc3339>) -> Result<String, String> {
    let now = at.map_or_else(clock::now_millis, |t| t.unix_millis());
    let cutoff = period.cutoff(now);
    let due = expired(store, cutoff).await.map_err(|e| e.to_string())?;
    let mut out = String::new();
    for record in &due {
        out.push_str(&format!("{}\treceived {}", record.id, record.received_at));
        if let Some(hold) = &record.held {
            out.push_str(&format!(
                "\ton hold since {} ({}): not erased",
                hold.since,
                hold.reason.escape_debug()
            ));
        }
        out.push('\n');
    }
    let held = due.iter().filter(|r| r.held.is_some()).count();
    let erased = due.len() - held;
    out.push_str(&format!(
        "{erased} record{} would be erased at {}: received before {} ({period} after \
         receipt){}; nothing was erased\n",
        if erased == 1 { "" } else { "s" },
        clock::rfc3339(now),
        clock::rfc3339(cutoff),
        match held {
            0 => String::new(),
            n => format!("; {n} more on hold, kept until released"),
        }
    ));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(text: &str) -> i64 {
        Rfc3339::parse(text).unwrap().unix_millis()
    }

    #[test]
    fn periods() {
        assert_eq!(Period::parse("off"), Ok(None));
        assert_eq!(Period::parse(" 24months "), Ok(Some(Period::Months(24))));
        assert_eq!(Period::parse("24 Months"), Ok(Some(Period::Months(24))));
        assert_eq!(Period::parse("730d"), Ok(Some(Period::Days(730))));
        assert_eq!(Period::parse("2y"), Ok(Some(Period::Months(24))));
        assert_eq!(Period::parse("100 years"), Ok(Some(Period::Months(1200))));
        for bad in [
            "forever",
            "24",
            "24m",
            "-1d",
            "0d",
            "1.5y",
            "101y",
            "99999999999d",
            "d",
        ] {
            let e = Period::parse(bad).unwrap_err();
            assert!(e.contains("24months"), "{bad}: {e}");
        }
        assert_eq!(Period::Months(24).to_string(), "24 months");
    }

    /// When a submission received at `received` is due after `months`, by the rule
    /// [`Period::cutoff`] states, computed forwards.
    fn due(received: i64, months: u32) -> i64 {
        const DAY_MS: i64 = 86_400_000;
        let (y, mo, d) = civil_from_days(received.div_euclid(DAY_MS));
        let time = received.rem_euclid(DAY_MS);
        let m = y * 12 + i64::from(mo - 1) + i64::from(months);
        let (y, mo) = (m.div_euclid(12), m.rem_euclid(12) as u32 + 1);
        if d > days_in_month(y, mo) {
            (days_from_civil(y, mo, days_in_month(y, mo)) + 1) * DAY_MS
        } else {
            days_from_civil(y, mo, d) * DAY_MS + time
        }
    }

    #[test]
    fn cutoffs_by_calendar() {
        let at = ms("2026-11-25T10:00:00.000Z");
        assert_eq!(
            Period::Months(24).cutoff(at),
            ms("2024-11-25T10:00:00.000Z")
        );
        assert_eq!(Period::Days(2).cutoff(at), ms("2026-11-23T10:00:00.000Z"));
        // No 31 February: all of February is due.
        assert_eq!(
            Period::Months(1).cutoff(ms("2024-03-31T00:00:00.000Z")),
            ms("2024-03-01T00:00:00.000Z")
        );
        // Received 28 February 2025 at 23:30, due 28 March at 23:30: still due the day
        // after, when the cutoff used to fall back to 28 February at the hour of the run
        // (it waited until 1 April).
        assert!(
            ms("2025-02-28T23:30:00.000Z")
                < Period::Months(1).cutoff(ms("2025-03-29T00:30:00.000Z"))
        );
        // Never before the due moment: each minute of two years against 1, 12 and 24
        // months, every day of every month received.
        for months in [1u32, 12, 24] {
            let period = Period::Months(months);
            let mut now = ms("2024-01-01T00:00:00.000Z");
            while now < ms("2026-01-01T00:00:00.000Z") {
                let cutoff = period.cutoff(now);
                // The last moment received that is due by now, and the first that is not.
                assert!(due(cutoff - 1, months) <= now, "{months} months at {now}");
                assert!(
                    due(cutoff, months) >= now,
                    "{months} months at {now}: too late"
                );
                now += 7 * 60_000 + 13;
            }
        }
        assert_eq!(
            Period::Months(12).cutoff(ms("2025-02-28T23:59:59.999Z")),
            ms("2024-02-28T23:59:59.999Z")
        );
    }
}
