//! Callback scheduling: which days and time windows a visitor can pick, in Vietnam's
//! time (Asia/Ho_Chi_Minh is UTC+7 all year, with no daylight saving).

use std::fmt;

use crate::calendar::{civil_from_days, days_from_civil, days_in_month};
use crate::locale::Locale;

/// Vietnam's offset from UTC, in minutes.
pub const VN_OFFSET_MINUTES: i64 = 7 * 60;

/// When callbacks can be made, as the host configures it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BusinessHours {
    /// Working days, ISO numbering: 1 = Monday … 7 = Sunday.
    pub days: Vec<u8>,
    /// Time windows offered, `"HH:MM-HH:MM"`, in order.
    pub windows: Vec<String>,
    /// How many days ahead a visitor can pick (today counts as the first).
    pub days_ahead: u16,
    /// A window is offered only if it ends at least this many minutes from now.
    pub lead_minutes: u16,
    /// Days off, `"YYYY-MM-DD"`.
    pub holidays: Vec<String>,
}

impl Default for BusinessHours {
    fn default() -> Self {
        BusinessHours {
            days: vec![1, 2, 3, 4, 5, 6],
            windows: ["08:00-10:00", "10:00-12:00", "13:30-15:30", "15:30-17:30"]
                .map(String::from)
                .to_vec(),
            days_ahead: 14,
            lead_minutes: 30,
            holidays: Vec::new(),
        }
    }
}

/// A calendar day in Vietnam.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    /// Days since 1970-01-01.
    epoch_day: i64,
}

/// A time window within a day, in minutes after midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Window {
    /// Start, minutes after midnight.
    pub start: u16,
    /// End, minutes after midnight.
    pub end: u16,
}

impl Window {
    /// Reads `"HH:MM-HH:MM"` (spaces and an en dash are tolerated).
    pub fn parse(text: &str) -> Option<Window> {
        let text = text.trim().replace('–', "-");
        let (a, b) = text.split_once('-')?;
        let (start, end) = (minutes(a.trim())?, minutes(b.trim())?);
        (start < end).then_some(Window { start, end })
    }

    /// As the visitor reads it: `"08:00 – 10:00"` (the form's select and the receipt).
    pub fn label(self) -> String {
        self.to_string().replace('-', " – ")
    }

    /// Whether this window on `day` (Vietnam time) has ended at `now_ms`.
    pub fn over(self, day: Day, now_ms: i64) -> bool {
        day.midnight_ms() + i64::from(self.end) * 60_000 <= now_ms
    }
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:02}:{:02}-{:02}:{:02}",
            self.start / 60,
            self.start % 60,
            self.end / 60,
            self.end % 60
        )
    }
}

/// `minutes` after midnight as `"HH:MM"`.
fn hh_mm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn minutes(hhmm: &str) -> Option<u16> {
    let (h, m) = hhmm.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60 || h == 24 && m == 0).then_some(h * 60 + m)
}

impl Day {
    /// The day in Vietnam at `unix_ms`.
    pub fn at(unix_ms: i64) -> Day {
        let local_minutes = unix_ms.div_euclid(60_000) + VN_OFFSET_MINUTES;
        Day {
            epoch_day: local_minutes.div_euclid(24 * 60),
        }
    }

    /// Reads `"YYYY-MM-DD"`.
    pub fn parse(text: &str) -> Option<Day> {
        let mut parts = text.trim().splitn(3, '-');
        let y: i64 = parts.next()?.parse().ok()?;
        let m: u32 = parts.next()?.parse().ok()?;
        let d: u32 = parts.next()?.parse().ok()?;
        if !(1..=12).contains(&m)
            || d == 0
            || d > days_in_month(y, m)
            || !(1970..=9999).contains(&y)
        {
            return None;
        }
        Some(Day {
            epoch_day: days_from_civil(y, m, d),
        })
    }

    /// The next day.
    pub fn next(self) -> Day {
        Day {
            epoch_day: self.epoch_day + 1,
        }
    }

    /// (year, month, day).
    pub fn ymd(self) -> (i64, u32, u32) {
        civil_from_days(self.epoch_day)
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    pub fn weekday(self) -> u8 {
        // 1970-01-01 was a Thursday (4).
        ((self.epoch_day + 3).rem_euclid(7) + 1) as u8
    }

    /// The texts a day's label is worded with, by which a host rewords it:
    /// `weekday_1` (Monday) … `weekday_7` (Sunday), `month_1` … `month_12`, and
    /// `day_format` (its placeholders: [`crate::wording`]).
    pub const TEXT_NAMES: &'static [&'static str] = &[
        "weekday_1",
        "weekday_2",
        "weekday_3",
        "weekday_4",
        "weekday_5",
        "weekday_6",
        "weekday_7",
        "month_1",
        "month_2",
        "month_3",
        "month_4",
        "month_5",
        "month_6",
        "month_7",
        "month_8",
        "month_9",
        "month_10",
        "month_11",
        "month_12",
        "day_format",
    ];

    /// The text of the whole label, `"day_format"`.
    pub const FORMAT_TEXT: &'static str = "day_format";

    /// The name of its weekday's text: `weekday_1` (Monday) … `weekday_7`.
    pub fn weekday_text(self) -> &'static str {
        let i = usize::from(self.weekday() - 1);
        Self::TEXT_NAMES.get(i).copied().unwrap_or_default()
    }

    /// The name of its month's text: `month_1` … `month_12`.
    pub fn month_text(self) -> &'static str {
        let (_, m, _) = self.ymd();
        Self::TEXT_NAMES
            .get(6 + m as usize)
            .copied()
            .unwrap_or_default()
    }

    /// Its weekday's name: "Thứ Hai" or "Mon".
    pub fn weekday_name(self, locale: Locale) -> &'static str {
        const VI: [&str; 7] = [
            "Thứ Hai",
            "Thứ Ba",
            "Thứ Tư",
            "Thứ Năm",
            "Thứ Sáu",
            "Thứ Bảy",
            "Chủ Nhật",
        ];
        const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        let i = usize::from(self.weekday() - 1);
        locale.pick(VI, EN).get(i).copied().unwrap_or_default()
    }

    /// Its month's name: "tháng 11" or "Nov" (the Vietnamese label shows the month's
    /// number instead).
    pub fn month_name(self, locale: Locale) -> String {
        const EN: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let (_, m, _) = self.ymd();
        match locale {
            Locale::Vi => format!("tháng {m}"),
            Locale::En => EN
                .get((m as usize).saturating_sub(1))
                .copied()
                .unwrap_or_default()
                .to_owned(),
        }
    }

    /// A short label: "Thứ Hai, 24/11" or "Mon 24 Nov".
    pub fn label(self, locale: Locale) -> String {
        self.label_with(locale, self.weekday_name(locale), &self.month_name(locale))
    }

    /// The label in `locale`'s format with these names of its weekday and month.
    pub fn label_with(self, locale: Locale, weekday: &str, month: &str) -> String {
        let (_, m, d) = self.ymd();
        match locale {
            Locale::Vi => format!("{weekday}, {d:02}/{m:02}"),
            Locale::En => format!("{weekday} {d} {month}"),
        }
    }

    /// Unix milliseconds of this day's local midnight.
    fn midnight_ms(self) -> i64 {
        (self.epoch_day * 24 * 60 - VN_OFFSET_MINUTES) * 60_000
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl BusinessHours {
    /// Everything wrong with these hours that the configuration alone decides, each
    /// said so the host can fix it; empty when they are usable. (What depends on the
    /// day — every day in reach closed now — is [`BusinessHours::no_day_left`].)
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.days.is_empty() {
            out.push("`days` is empty: list the working days, 1 = Monday … 7 = Sunday".into());
        }
        for day in self.days.iter().filter(|d| !(1..=7).contains(*d)) {
            out.push(format!(
                "day {day} in `days` is not a day of the week: 1 = Monday … 7 = Sunday"
            ));
        }
        if self.windows.is_empty() {
            out.push("`windows` is empty: list at least one \"HH:MM-HH:MM\"".into());
        }
        let mut seen = Vec::new();
        for text in &self.windows {
            match Window::parse(text) {
                None => out.push(format!(
                    "window \"{text}\" is not \"HH:MM-HH:MM\" with start before end"
                )),
                Some(window) if seen.contains(&window) => {
                    out.push(format!("window \"{text}\" is listed twice"))
                }
                Some(window) => seen.push(window),
            }
        }
        let reach_ok = (1..=90).contains(&self.days_ahead);
        if !reach_ok {
            out.push(format!(
                "days_ahead {} is out of range: it must be between 1 and 90",
                self.days_ahead
            ));
        }
        for bad in self.holidays.iter().filter(|h| Day::parse(h).is_none()) {
            out.push(format!("holiday \"{bad}\" is not a date \"YYYY-MM-DD\""));
        }
        // A window is offered only if it ends `lead_minutes` from now or later. At
        // best it is midnight and the last day in reach is a working day: if even the
        // last window of that day ends too soon, no slot is ever offered.
        let last_end = seen.iter().map(|w| w.end).max();
        if let (Some(last_end), true) = (last_end, reach_ok) {
            let reach = u32::from(self.days_ahead - 1) * 24 * 60 + u32::from(last_end);
            if u32::from(self.lead_minutes) >= reach {
                let days = match self.days_ahead {
                    1 => "today only".to_owned(),
                    n => format!("today and the next {} days", n - 1),
                };
                out.push(format!(
                    "no slot can ever be booked: the form offers {days} (`days_ahead` {}), the last window ends at {}, and a window is offered only if it ends at least `lead_minutes` {} minutes from now; raise days_ahead, add a later window or lower lead_minutes",
                    self.days_ahead,
                    hh_mm(last_end),
                    self.lead_minutes
                ));
            }
        }
        out
    }

    /// Why no day can be chosen at `now_ms` although [`BusinessHours::problems`] finds
    /// nothing wrong (say, `days` `[1]` with `days_ahead` 1 on a Tuesday), for the
    /// developer; `None` when some day can be.
    pub fn no_day_left(&self, now_ms: i64) -> Option<String> {
        if !self.days_from(now_ms).is_empty() {
            return None;
        }
        let first = Day::at(now_ms);
        let (mut last, mut closed, mut holidays, mut passed) = (first, 0, 0, 0);
        let mut day = first;
        for _ in 0..self.days_ahead {
            if !self.days.contains(&day.weekday()) {
                closed += 1;
            } else if !self.is_open(day) {
                holidays += 1;
            } else {
                passed += 1;
            }
            last = day;
            day = day.next();
        }
        let minutes = (now_ms.div_euclid(60_000) + VN_OFFSET_MINUTES).rem_euclid(24 * 60);
        let range = match self.days_ahead {
            1 => format!("today, {first}"),
            n => format!("the {n} days from {first} to {last}"),
        };
        Some(format!(
            "consent-form: the callback form has no day to offer now ({first} {}, Vietnam time): of {range} (`days_ahead` {}), {closed} not in `days`, {holidays} holidays, {passed} with no window ending `lead_minutes` ({}) or more from now. Visitors read that no callback can be booked now (text `no_days`) in place of the day and time. With days_ahead 8 or more, every day of `days` is in reach at any time (but for holidays).",
            hh_mm(minutes as u16),
            self.days_ahead,
            self.lead_minutes,
        ))
    }

    fn parsed_windows(&self) -> Vec<Window> {
        self.windows
            .iter()
            .filter_map(|w| Window::parse(w))
            .collect()
    }

    fn is_open(&self, day: Day) -> bool {
        self.days.contains(&day.weekday())
            && !self.holidays.iter().any(|h| Day::parse(h) == Some(day))
    }

    /// The windows still bookable on `day` when it is `now_ms` (Unix milliseconds).
    pub fn windows_on(&self, day: Day, now_ms: i64) -> Vec<Window> {
        if !self.is_open(day) {
            return Vec::new();
        }
        let earliest_end = now_ms + i64::from(self.lead_minutes) * 60_000;
        self.parsed_windows()
            .into_iter()
            .filter(|w| day.midnight_ms() + i64::from(w.end) * 60_000 >= earliest_end)
            .collect()
    }

    /// The days a visitor can pick from `now_ms` on: open, not past, with a window left.
    pub fn days_from(&self, now_ms: i64) -> Vec<Day> {
        let mut day = Day::at(now_ms);
        let mut out = Vec::new();
        for _ in 0..self.days_ahead {
            if !self.windows_on(day, now_ms).is_empty() {
                out.push(day);
            }
            day = day.next();
        }
        out
    }

    /// Whether `date` and `window` (as submitted) are a slot offered at `now_ms`.
    pub fn offers(&self, date: &str, window: &str, now_ms: i64) -> bool {
        match (Day::parse(date), Window::parse(window)) {
            (Some(day), Some(w)) => {
                self.days_from(now_ms).contains(&day) && self.windows_on(day, now_ms).contains(&w)
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-11-23 (a Monday) 09:15 in Vietnam = 02:15 UTC.
    const MONDAY_0915: i64 = 1_795_400_100_000;

    #[test]
    fn calendar_arithmetic() {
        assert_eq!(Day::parse("1970-01-01").unwrap().epoch_day, 0);
        assert_eq!(Day::parse("1970-01-01").unwrap().weekday(), 4);
        let day = Day::at(MONDAY_0915);
        assert_eq!(day.to_string(), "2026-11-23");
        assert_eq!(day.weekday(), 1);
        assert_eq!(
            Day::parse("2028-02-29").unwrap().next().to_string(),
            "2028-03-01"
        );
        assert!(Day::parse("2027-02-29").is_none());
        assert!(Day::parse("2026-13-01").is_none());
        for text in ["2000-02-29", "2024-12-31", "2100-03-01", "2026-11-23"] {
            assert_eq!(Day::parse(text).unwrap().to_string(), text);
        }
        // 23:30 UTC on the 22nd is already the 23rd in Vietnam.
        assert_eq!(Day::at(1_795_390_200_000).to_string(), "2026-11-23");
    }

    #[test]
    fn a_window_is_over_once_it_ends_in_vietnam() {
        let monday = Day::at(MONDAY_0915);
        let window = |text| Window::parse(text).unwrap();
        // 09:15 in Vietnam: 08:00–09:15 has just ended, 09:00–10:00 has not.
        assert!(window("08:00-09:15").over(monday, MONDAY_0915));
        assert!(!window("09:00-10:00").over(monday, MONDAY_0915));
        assert!(!window("08:00-09:16").over(monday, MONDAY_0915));
        assert!(window("16:00-24:00").over(monday.next(), MONDAY_0915 + 39 * 3_600_000));
        assert!(!window("00:00-00:30").over(monday.next(), MONDAY_0915));
    }

    #[test]
    fn labels() {
        let day = Day::parse("2026-11-23").unwrap();
        assert_eq!(day.label(Locale::Vi), "Thứ Hai, 23/11");
        assert_eq!(day.label(Locale::En), "Mon 23 Nov");
        assert_eq!(
            (day.weekday_text(), day.month_text()),
            ("weekday_1", "month_11")
        );
        let sunday = Day::parse("2027-01-03").unwrap();
        assert_eq!(
            (sunday.weekday_text(), sunday.month_text()),
            ("weekday_7", "month_1")
        );
        assert_eq!(sunday.label(Locale::Vi), "Chủ Nhật, 03/01");
        assert_eq!(sunday.label(Locale::En), "Sun 3 Jan");
        assert_eq!(
            sunday.label_with(Locale::En, "Sunday", "January"),
            "Sunday 3 January"
        );
    }

    #[test]
    fn no_past_slots() {
        let hours = BusinessHours::default();
        let today = Day::at(MONDAY_0915);
        let windows: Vec<String> = hours
            .windows_on(today, MONDAY_0915)
            .iter()
            .map(|w| w.to_string())
            .collect();
        // 08:00-10:00 ends 45 minutes from now: still offered (lead is 30 minutes).
        assert_eq!(
            windows,
            ["08:00-10:00", "10:00-12:00", "13:30-15:30", "15:30-17:30"]
        );
        let at_0945 = MONDAY_0915 + 30 * 60_000;
        let windows = hours.windows_on(today, at_0945);
        assert_eq!(windows[0].to_string(), "10:00-12:00");
        // After hours, today is gone entirely.
        let at_1900 = MONDAY_0915 + (9 * 60 + 45) * 60_000;
        assert_eq!(hours.days_from(at_1900)[0].to_string(), "2026-11-24");
    }

    #[test]
    fn closed_days_and_holidays_are_skipped() {
        let hours = BusinessHours {
            holidays: vec!["2026-11-24".into()],
            ..BusinessHours::default()
        };
        let days: Vec<String> = hours
            .days_from(MONDAY_0915)
            .iter()
            .take(6)
            .map(|d| d.to_string())
            .collect();
        // Tuesday is a holiday, Sunday the 29th is closed.
        assert_eq!(
            days,
            [
                "2026-11-23",
                "2026-11-25",
                "2026-11-26",
                "2026-11-27",
                "2026-11-28",
                "2026-11-30"
            ]
        );
        assert!(hours.offers("2026-11-25", "13:30-15:30", MONDAY_0915));
        assert!(!hours.offers("2026-11-24", "13:30-15:30", MONDAY_0915));
        assert!(!hours.offers("2026-11-25", "13:00-15:00", MONDAY_0915));
        assert!(!hours.offers("garbage", "x", MONDAY_0915));
    }

    #[test]
    fn bad_hours_are_explained_every_one() {
        assert_eq!(BusinessHours::default().problems(), Vec::<String>::new());
        let bad = BusinessHours {
            days: vec![0, 1, 8],
            windows: vec![
                "11:00-09:00".into(),
                "09:00-11:00".into(),
                "25:00-26:00".into(),
                "9:00 – 11:00".into(),
            ],
            days_ahead: 91,
            holidays: vec!["2026-02-30".into(), "2026-04-30".into(), "30/04".into()],
            ..BusinessHours::default()
        };
        assert_eq!(
            bad.problems(),
            [
                "day 0 in `days` is not a day of the week: 1 = Monday … 7 = Sunday",
                "day 8 in `days` is not a day of the week: 1 = Monday … 7 = Sunday",
                "window \"11:00-09:00\" is not \"HH:MM-HH:MM\" with start before end",
                "window \"25:00-26:00\" is not \"HH:MM-HH:MM\" with start before end",
                "window \"9:00 – 11:00\" is listed twice",
                "days_ahead 91 is out of range: it must be between 1 and 90",
                "holiday \"2026-02-30\" is not a date \"YYYY-MM-DD\"",
                "holiday \"30/04\" is not a date \"YYYY-MM-DD\"",
            ]
        );
        let empty = BusinessHours {
            days: vec![],
            windows: vec![],
            ..BusinessHours::default()
        };
        assert_eq!(
            empty.problems(),
            [
                "`days` is empty: list the working days, 1 = Monday … 7 = Sunday",
                "`windows` is empty: list at least one \"HH:MM-HH:MM\"",
            ]
        );
        assert_eq!(
            Window::parse(" 8:00 – 9:30 ").unwrap().to_string(),
            "08:00-09:30"
        );
    }

    #[test]
    fn hours_that_never_leave_a_slot_are_refused() {
        // Today only, and the one window ends as soon as the lead allows any: at no
        // time of any day is a slot offered.
        let never = BusinessHours {
            days: vec![1, 2, 3, 4, 5, 6, 7],
            windows: vec!["00:00-00:30".into()],
            days_ahead: 1,
            ..BusinessHours::default()
        };
        assert_eq!(
            never.problems(),
            ["no slot can ever be booked: the form offers today only (`days_ahead` 1), the last window ends at 00:30, and a window is offered only if it ends at least `lead_minutes` 30 minutes from now; raise days_ahead, add a later window or lower lead_minutes"]
        );
        let mut day = Day::at(MONDAY_0915);
        for _ in 0..7 {
            // Each day from just after midnight on: nothing.
            let just_after = day.midnight_ms() + 60_000;
            assert!(never.days_from(just_after).is_empty(), "{day}");
            day = day.next();
        }
        // A minute less of lead, a second day, or a later window: some slot, some time.
        for usable in [
            BusinessHours {
                lead_minutes: 29,
                ..never.clone()
            },
            BusinessHours {
                days_ahead: 2,
                ..never.clone()
            },
            BusinessHours {
                windows: vec!["00:00-00:30".into(), "08:00-10:00".into()],
                ..never.clone()
            },
        ] {
            assert_eq!(usable.problems(), Vec::<String>::new(), "{usable:?}");
        }
        // A lead longer than the reach of days_ahead.
        let far = BusinessHours {
            days_ahead: 2,
            lead_minutes: 24 * 60 + 17 * 60 + 30,
            ..BusinessHours::default()
        };
        assert_eq!(far.problems().len(), 1);
        assert!(far.problems()[0].contains("today and the next 1 days"));
    }

    #[test]
    fn no_day_left_now_is_explained_for_the_developer() {
        // Mondays only, today only.
        let mondays = BusinessHours {
            days: vec![1],
            days_ahead: 1,
            ..BusinessHours::default()
        };
        assert_eq!(mondays.problems(), Vec::<String>::new());
        assert_eq!(mondays.no_day_left(MONDAY_0915), None);
        let tuesday_1000 = MONDAY_0915 + (24 * 60 + 45) * 60_000;
        let why = mondays.no_day_left(tuesday_1000).unwrap();
        assert!(mondays.days_from(tuesday_1000).is_empty());
        assert_eq!(
            why,
            "consent-form: the callback form has no day to offer now (2026-11-24 10:00, Vietnam time): of today, 2026-11-24 (`days_ahead` 1), 1 not in `days`, 0 holidays, 0 with no window ending `lead_minutes` (30) or more from now. Visitors read that no callback can be booked now (text `no_days`) in place of the day and time. With days_ahead 8 or more, every day of `days` is in reach at any time (but for holidays)."
        );
        // Monday evening: the day is open, its windows are past.
        let monday_1900 = MONDAY_0915 + (9 * 60 + 45) * 60_000;
        assert!(mondays
            .no_day_left(monday_1900)
            .unwrap()
            .contains("0 not in `days`, 0 holidays, 1 with no window"));
        // Two days of holidays (Mon–Fri, two days ahead).
        let holidays = BusinessHours {
            days: vec![1, 2, 3, 4, 5],
            days_ahead: 2,
            holidays: vec!["2026-11-23".into(), "2026-11-24".into()],
            ..BusinessHours::default()
        };
        let why = holidays.no_day_left(MONDAY_0915).unwrap();
        assert!(
            why.contains("of the 2 days from 2026-11-23 to 2026-11-24 (`days_ahead` 2), 0 not in `days`, 2 holidays, 0 with no window"),
            "{why}"
        );
        assert_eq!(BusinessHours::default().no_day_left(MONDAY_0915), None);
    }
}
