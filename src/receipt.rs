//! The visitor's receipt: what they agreed to and refused, when, under which id.

use serde::Serialize;

use crate::fields::FormKind;
use crate::json::{ToJson, Writer};
use crate::locale::Locale;
use crate::schedule::{Day, Window};

/// One purpose on the receipt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReceiptLine {
    /// The purpose id.
    pub purpose: String,
    /// The sentence the visitor saw next to the checkbox.
    pub sentence: String,
    /// Whether they ticked it.
    pub granted: bool,
}

/// What the visitor keeps after a successful submission.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Receipt {
    /// The submission id (the `webhook-id`).
    pub id: String,
    /// When it was submitted, RFC 3339.
    pub submitted_at: String,
    /// Which form.
    pub form: FormKind,
    /// Who controls the data.
    pub controller: String,
    /// The policy in force.
    pub policy_url: String,
    /// Its version, if given.
    pub policy_version: Option<String>,
    /// Each purpose shown, agreed or refused.
    pub lines: Vec<ReceiptLine>,
    /// The exact JSON that was sent: the downloadable copy.
    pub body: String,
}

impl Receipt {
    /// Reads a receipt back from the JSON its `Serialize` wrote (the outbox keeps it so).
    pub fn from_json(fields: &crate::json::Fields<'_>) -> Option<Receipt> {
        // What allocates nothing is read first: a refusal then has less to drop.
        let form = FormKind::parse(fields.get("form")?.as_str()?)?;
        let lines = fields.array("lines").ok()??;
        let lines = lines
            .iter()
            .map(|line| {
                let line = line.object("").ok()?;
                Some(ReceiptLine {
                    purpose: line.text("purpose")?,
                    sentence: line.text("sentence")?,
                    granted: line.bool("granted").ok()??,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Receipt {
            id: fields.text("id")?,
            submitted_at: fields.text("submitted_at")?,
            form,
            controller: fields.text("controller")?,
            policy_url: fields.text("policy_url")?,
            policy_version: fields.string("policy_version").ok()?,
            lines,
            body: fields.text("body")?,
        })
    }

    /// The callback slot booked, as sent (`callback_date` and `callback_window` in the
    /// body's `fields`); `None` for a contact form. Read from the body, so that a receipt
    /// kept by an earlier version shows it too.
    pub fn callback(&self) -> Option<(Day, Window)> {
        if self.form != FormKind::Callback {
            return None;
        }
        let body = crate::json::parse(&self.body).ok()?;
        let fields = body.object("").ok()?.object("fields").ok()??;
        let text = |key| fields.get(key)?.as_str();
        Some((
            Day::parse(text("callback_date")?)?,
            Window::parse(text("callback_window")?)?,
        ))
    }

    /// The parent's or guardian's name and the text they agreed to, as sent (a visitor
    /// under 16, where the host asks for a guardian); `None` otherwise.
    pub fn guardian(&self) -> Option<(String, String)> {
        let body = crate::json::parse(&self.body).ok()?;
        let top = body.object("").ok()?;
        let text = |object: &str, key: &str| -> Option<String> {
            Some(top.object(object).ok()??.get(key)?.as_str()?.to_owned())
        };
        Some((text("fields", "guardian_name")?, text("guardian", "text")?))
    }

    /// The language its sentences were given in: the `locale` of the body sent; `None`
    /// where the body does not say (a receipt without its body).
    pub fn locale(&self) -> Option<Locale> {
        let body = crate::json::parse(&self.body).ok()?;
        Locale::from_tag(body.object("").ok()?.get("locale")?.as_str()?)
    }

    /// For each line, the rows of the notice it was answered under ("Purpose: …",
    /// "Data used: …"), as recorded in the body: the sentence's details, which the
    /// receipt prints too. A line the body has no notice for has none.
    pub fn notice_rows(&self) -> Vec<Vec<String>> {
        let body = crate::json::parse(&self.body).ok();
        let consents = body
            .as_ref()
            .and_then(|b| b.object("").ok()?.array("consents").ok()?);
        let text = |purpose: &str| {
            consents.as_ref()?.iter().find_map(|c| {
                let c = c.object("").ok()?;
                (c.get("purpose")?.as_str()? == purpose).then(|| c.get("text")?.as_str())?
            })
        };
        self.lines
            .iter()
            .map(|line| {
                let rows = text(&line.purpose).and_then(|t| t.strip_prefix(line.sentence.as_str()));
                rows.map(|rows| {
                    rows.lines()
                        .filter(|l| !l.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default()
            })
            .collect()
    }

    /// When it was submitted, as a person reads it: `16:59:54 23/11/2026 (GMT+07:00)`.
    /// Falls back to the RFC 3339 text if that cannot be read.
    pub fn time_for_people(&self) -> String {
        match self.time_parts() {
            Some((date, clock, offset)) => {
                let part = |range: std::ops::Range<usize>| date.get(range).unwrap_or_default();
                let (y, m, d) = (part(0..4), part(5..7), part(8..10));
                format!("{clock} {d}/{m}/{y} (GMT{offset})")
            }
            None => self.submitted_at.clone(),
        }
    }

    /// The text a host rewords the time with, `"receipt_time_format"` (placeholders:
    /// docs/embedding.md).
    pub const TIME_FORMAT_TEXT: &'static str = "receipt_time_format";

    /// When it was submitted, in parts as written in `submitted_at`: the date
    /// (`2026-11-23`), the clock (`16:59:54`) and the offset from UTC (`+07:00`);
    /// `None` if it cannot be read.
    pub fn time_parts(&self) -> Option<(&str, &str, &str)> {
        crate::payload::Rfc3339::parse(&self.submitted_at).ok()?;
        // YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM), already checked by the parse.
        let (date, rest) = self.submitted_at.split_at_checked(10)?;
        let offset = match rest.rfind(['+', '-']) {
            Some(i) if i > 8 => rest.get(i..)?,
            _ => "+00:00",
        };
        Some((date, rest.get(1..9)?, offset))
    }

    /// The file name for the downloaded copy: `consent-<id>.json`.
    pub fn file_name(&self) -> String {
        let safe: String = self
            .id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        format!("consent-{safe}.json")
    }
}

impl ToJson for Receipt {
    /// What its `Serialize` writes, byte for byte (the outbox keeps it so).
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("id").string(&self.id);
        w.key("submitted_at").string(&self.submitted_at);
        w.key("form").string(self.form.as_str());
        w.key("controller").string(&self.controller);
        w.key("policy_url").string(&self.policy_url);
        w.key("policy_version")
            .optional(self.policy_version.as_deref());
        w.key("lines").begin_array();
        for line in &self.lines {
            w.begin_object();
            w.key("purpose").string(&line.purpose);
            w.key("sentence").string(&line.sentence);
            w.key("granted").bool(line.granted);
            w.end_object();
        }
        w.end_array();
        w.key("body").string(&self.body);
        w.end_object();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn receipt(at: &str) -> Receipt {
        Receipt {
            id: "msg_0123456789abcdef0123".into(),
            submitted_at: at.into(),
            form: FormKind::Contact,
            controller: "ACME".into(),
            policy_url: "/p".into(),
            policy_version: None,
            lines: vec![],
            body: "{}".into(),
        }
    }

    #[test]
    fn time_reads_naturally_and_keeps_its_offset() {
        assert_eq!(
            receipt("2026-11-23T16:59:54.589+07:00").time_for_people(),
            "16:59:54 23/11/2026 (GMT+07:00)"
        );
        assert_eq!(
            receipt("2026-11-23T09:59:54.589-03:30").time_for_people(),
            "09:59:54 23/11/2026 (GMT-03:30)"
        );
        assert_eq!(receipt("nonsense").time_for_people(), "nonsense");
        assert_eq!(
            receipt("2023-11-14T22:13:20Z").time_for_people(),
            "22:13:20 14/11/2023 (GMT+00:00)"
        );
        let mut odd = receipt("x");
        odd.id = "msg_../../etc".into();
        assert_eq!(odd.file_name(), "consent-msg_etc.json");
    }

    #[test]
    fn reads_back_what_serde_wrote() {
        let mut r = receipt("2026-11-23T16:59:54+07:00");
        r.policy_version = Some("3".into());
        r.lines = vec![
            ReceiptLine {
                purpose: "consultation".into(),
                sentence: "Tôi đồng ý \"tư vấn\"\n\t\u{1}\u{2028}😀\\".into(),
                granted: true,
            },
            ReceiptLine {
                purpose: "marketing".into(),
                sentence: "Quảng cáo".into(),
                granted: false,
            },
        ];
        r.body = r#"{"id":"x","fields":{"name":"Ngô"}}"#.into();
        for receipt in [r.clone(), receipt("2026-11-23T16:59:54Z")] {
            let text = serde_json::to_string(&receipt).unwrap();
            assert_eq!(receipt.to_json(), text);
            let json = crate::json::parse(&text).unwrap();
            assert_eq!(Receipt::from_json(&json.object("").unwrap()), Some(receipt));
        }
        let damaged = crate::json::parse(r#"{"id": "x", "lines": []}"#).unwrap();
        assert_eq!(Receipt::from_json(&damaged.object("").unwrap()), None);
    }

    #[test]
    fn a_callback_receipt_names_its_slot_from_the_body_sent() {
        // As the outbox keeps a receipt (this version and earlier ones alike).
        let stored = r#"{"id":"msg_1","submitted_at":"2026-11-24T16:50:00+07:00","form":"callback",
            "controller":"ACME","policy_url":"/p","policy_version":null,"lines":[],
            "body":"{\"form\":\"callback\",\"fields\":{\"name\":\"An\",\"callback_date\":\"2026-11-25\",\"callback_window\":\"08:00-10:00\"}}"}"#;
        let json = crate::json::parse(stored).unwrap();
        let mut r = Receipt::from_json(&json.object("").unwrap()).unwrap();
        let (day, window) = r.callback().unwrap();
        assert_eq!(
            (day.to_string(), window.to_string()),
            ("2026-11-25".into(), "08:00-10:00".into())
        );
        // No slot: a contact form, a body without one or not JSON.
        r.form = FormKind::Contact;
        assert_eq!(r.callback(), None);
        r.form = FormKind::Callback;
        for body in [
            r#"{"fields":{"callback_date":"2026-11-25"}}"#,
            "{}",
            "nonsense",
        ] {
            r.body = body.into();
            assert_eq!(r.callback(), None, "{body}");
        }
    }
}
