//! Records as JSON lines (everything, one record per line) or CSV (one row per
//! submission, for a spreadsheet: current field values and consent states, when each
//! consent was withdrawn, the hash of the text a parent or guardian agreed to,
//! when the data was erased on request, and a hold).

use std::fmt::Write as _;

use consent_form::fields::FieldName;

use crate::records::{RecordView, WITHDRAWN};

/// The export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One JSON record per line.
    JsonLines,
    /// Comma-separated values with a header row.
    Csv,
}

impl Format {
    /// Reads `jsonl` (or `ndjson`, `json`) or `csv`.
    pub fn parse(text: &str) -> Option<Format> {
        match text {
            "jsonl" | "ndjson" | "json" => Some(Format::JsonLines),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    /// The `Content-Type`.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::JsonLines => "application/x-ndjson; charset=utf-8",
            Format::Csv => "text/csv; charset=utf-8",
        }
    }

    /// The download's file name.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::JsonLines => "consent-records.jsonl",
            Format::Csv => "consent-records.csv",
        }
    }
}

const BUILT_IN_PURPOSES: [&str; 3] = ["consultation", "marketing", "call_recording"];

/// One CSV cell: quoted when needed, and defused when a spreadsheet would read it as
/// a formula (`=`, `@`, `+`, `-`, tab, CR at the start — except a plain signed
/// number such as an E.164 phone).
pub fn csv_cell(value: &str) -> String {
    let plain_number = {
        let digits = value.strip_prefix('+').or_else(|| value.strip_prefix('-'));
        digits.is_some_and(|d| !d.is_empty() && d.bytes().all(|c| c.is_ascii_digit()))
    };
    let risky = !plain_number
        && value
            .chars()
            .next()
            .is_some_and(|c| matches!(c, '=' | '@' | '+' | '-' | '\t' | '\r'));
    let value = if risky {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) || value.starts_with(' ') || value.ends_with(' ') {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// The CSV header row, with its line end.
pub fn csv_header() -> String {
    let mut cols: Vec<&str> = vec!["seq", "id", "received_at", "form", "submitted_at", "locale"];
    cols.extend(FieldName::ALL.iter().map(|f| f.as_str()));
    cols.extend(BUILT_IN_PURPOSES);
    cols.extend([
        "other_consents",
        "guardian_text_sha256",
        "events",
        "withdrawals",
        "body_sha256",
        "captcha",
        "erased_at",
        "held_since",
        "hold_reason",
    ]);
    let mut line = cols.join(",");
    line.push_str("\r\n");
    line
}

/// One record as a CSV row, with its line end.
pub fn csv_row(view: &RecordView) -> String {
    let mut cells = vec![
        view.seq.to_string(),
        view.id.clone(),
        view.received_at.clone(),
        view.form.clone(),
        view.submitted_at.clone(),
        view.locale.clone(),
    ];
    for f in FieldName::ALL {
        cells.push(view.fields.get(f.as_str()).cloned().unwrap_or_default());
    }
    for p in BUILT_IN_PURPOSES {
        cells.push(
            view.consent_state
                .get(p)
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
        );
    }
    let mut others = String::new();
    for (p, s) in view
        .consent_state
        .iter()
        .filter(|(p, _)| !BUILT_IN_PURPOSES.contains(&p.as_str()))
    {
        if !others.is_empty() {
            others.push(';');
        }
        let _ = write!(others, "{p}={}", s.as_str());
    }
    cells.push(others);
    // A visitor under 16: the SHA-256 of the text their parent or guardian agreed to
    // (from the payload as received, or what an erasure kept); empty otherwise.
    let payload: serde_json::Value = serde_json::from_str(view.payload.get()).unwrap_or_default();
    cells.push(match &view.erased {
        Some(erased) => erased
            .proof
            .guardian_text_sha256
            .clone()
            .unwrap_or_default(),
        None => payload["guardian"]["text_sha256"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    });
    cells.push(view.events.len().to_string());
    // When each consent was withdrawn: `purpose=at` for every withdrawal, in order, so
    // a spreadsheet says when as well as that it was.
    let withdrawals: Vec<String> = view
        .events
        .iter()
        .filter(|e| e.kind == WITHDRAWN)
        .map(|e| format!("{}={}", e.purpose.as_deref().unwrap_or_default(), e.at))
        .collect();
    cells.push(withdrawals.join(";"));
    cells.push(view.body_sha256.clone());
    // `passed` or `expired`; empty when no check was made.
    cells.push(
        view.captcha
            .as_ref()
            .and_then(|c| c["outcome"].as_str())
            .unwrap_or_default()
            .to_owned(),
    );
    // When the person's data was erased on request; empty if it was not.
    cells.push(
        view.erased
            .as_ref()
            .map(|e| e.at.clone())
            .unwrap_or_default(),
    );
    // While on hold: since when and why; empty otherwise.
    let (since, reason) = view
        .hold
        .as_ref()
        .map(|h| (h.since.clone(), h.reason.clone()))
        .unwrap_or_default();
    cells.push(since);
    cells.push(reason);
    let mut line = cells
        .iter()
        .map(|c| csv_cell(c))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// One record as a JSON line, with its line end.
pub fn json_line(view: &RecordView) -> String {
    let mut line = serde_json::to_string(view).unwrap_or_default();
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_defused() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("+1+2"), "'+1+2");
        assert_eq!(csv_cell("-"), "'-");
        assert_eq!(csv_cell("+84902666984"), "+84902666984");
        assert_eq!(csv_cell("Nguyễn"), "Nguyễn");
    }

    #[test]
    fn header_has_every_field_and_purpose() {
        let h = csv_header();
        for name in [
            "phone",
            "callback_window",
            "consultation",
            "call_recording",
            "guardian_name",
            "guardian_phone",
            "guardian_text_sha256",
            "withdrawals",
            "body_sha256",
            "captcha",
            "erased_at",
            "held_since",
            "hold_reason",
        ] {
            assert!(h.split(',').any(|c| c.trim_end() == name), "{name} in {h}");
        }
    }
}
