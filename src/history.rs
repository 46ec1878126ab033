//! The consents given on this device: for each submission delivered from it, what the
//! visitor agreed to, when and under which id — never what they typed — so that they
//! can withdraw a consent later, after a reload or on another day, as easily as they
//! gave it (Decree 13/2023, Art. 12; SPEC rule 9). The submission id is what
//! authorises a withdrawal (see [`crate::withdrawal`]), so this list is the device's
//! means to withdraw.
//!
//! The browser keeps it in `localStorage` (`history/storage.rs`); the form lists the
//! submissions sent to its own endpoint under itself, where the host takes withdrawals.

use crate::json::{Json, ToJson, Writer};
use crate::locale::Locale;
use crate::receipt::{Receipt, ReceiptLine};

/// At most this many submissions are kept; the oldest goes first.
pub const MAX_KEPT: usize = 20;

/// One submission delivered from this device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Given {
    /// Where it was sent: a form lists the submissions sent to its own endpoint.
    pub endpoint: String,
    /// Its receipt without the body (what was typed), with the granted lines only.
    pub receipt: Receipt,
    /// The consents withdrawn since, with when (RFC 3339): `(purpose, at)`. An empty
    /// `at`: the withdrawal endpoint answered 409, the consent was no longer active
    /// (withdrawn from another device or through the controller), time unknown.
    pub withdrawn: Vec<(String, String)>,
    /// The language its sentences were given in (`"locale"`, kept since accessibility
    /// pass 8); `None` for an entry kept before, or one whose locale cannot be read.
    pub locale: Option<Locale>,
}

impl Given {
    /// When the consent to `purpose` was withdrawn, if it was (`""`: withdrawn
    /// elsewhere, time unknown).
    pub fn withdrawn_at(&self, purpose: &str) -> Option<&str> {
        self.withdrawn
            .iter()
            .find(|(p, _)| p == purpose)
            .map(|(_, at)| at.as_str())
    }

    fn from_json(value: &Json) -> Option<Given> {
        let g = value.object("").ok()?;
        let receipt = Receipt::from_json(&g.object("receipt").ok()??)?;
        let withdrawn = g
            .array("withdrawn")
            .ok()??
            .iter()
            .map(|w| {
                let w = w.object("").ok()?;
                Some((w.text("purpose")?, w.text("at")?))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Given {
            endpoint: g.text("endpoint")?,
            receipt,
            withdrawn,
            // Older entries have none; an unknown one is no reason to lose the entry.
            locale: g
                .get("locale")
                .and_then(Json::as_str)
                .and_then(Locale::from_tag),
        })
    }
}

impl ToJson for Given {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("endpoint").string(&self.endpoint);
        w.key("receipt");
        self.receipt.write_json(w);
        w.key("withdrawn").begin_array();
        for (purpose, at) in &self.withdrawn {
            w.begin_object();
            w.key("purpose").string(purpose);
            w.key("at").string(at);
            w.end_object();
        }
        w.end_array();
        if let Some(locale) = self.locale {
            w.key("locale").string(locale.tag());
        }
        w.end_object();
    }
}

/// Every submission delivered from this device, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    /// The submissions, oldest first.
    pub given: Vec<Given>,
}

impl History {
    /// Reads what [`ToJson`] wrote. Damaged entries are skipped, and text that is not
    /// such a list reads as empty: the list is a convenience, never a reason to fail.
    pub fn parse(text: &str) -> History {
        let given = match crate::json::parse(text) {
            Ok(Json::Array(items)) => items.iter().filter_map(Given::from_json).collect(),
            _ => Vec::new(),
        };
        History { given }
    }

    /// Keeps the submission of `receipt`, sent to `endpoint`: its granted lines, without
    /// its body. Nothing changes if it is already kept; past [`MAX_KEPT`] the oldest goes.
    /// Whether anything changed.
    pub fn remember(&mut self, endpoint: &str, receipt: &Receipt) -> bool {
        if self.given.iter().any(|g| g.receipt.id == receipt.id) {
            return false;
        }
        let lines: Vec<ReceiptLine> = receipt
            .lines
            .iter()
            .filter(|l| l.granted)
            .cloned()
            .collect();
        self.given.push(Given {
            endpoint: endpoint.to_owned(),
            receipt: Receipt {
                lines,
                body: String::new(),
                ..receipt.clone()
            },
            withdrawn: Vec::new(),
            locale: receipt.locale(),
        });
        let extra = self.given.len().saturating_sub(MAX_KEPT);
        self.given.drain(..extra);
        true
    }

    /// Notes that the consent to `purpose` in submission `submission` was withdrawn at
    /// `at` (`""` if it is only known to be no longer active). Whether anything
    /// changed (not if that submission is not kept, or the withdrawal is already noted).
    pub fn withdrawn(&mut self, submission: &str, purpose: &str, at: &str) -> bool {
        match self.given.iter_mut().find(|g| g.receipt.id == submission) {
            Some(g) if g.withdrawn_at(purpose).is_none() => {
                g.withdrawn.push((purpose.to_owned(), at.to_owned()));
                true
            }
            _ => false,
        }
    }

    /// Forgets the submissions sent to `endpoint` (nothing is withdrawn). Whether any was.
    pub fn forget(&mut self, endpoint: &str) -> bool {
        let before = self.given.len();
        self.given.retain(|g| g.endpoint != endpoint);
        self.given.len() != before
    }

    /// The submissions sent to `endpoint`, newest first.
    pub fn sent_to<'a>(&'a self, endpoint: &'a str) -> impl Iterator<Item = &'a Given> + 'a {
        self.given
            .iter()
            .rev()
            .filter(move |g| g.endpoint == endpoint)
    }
}

impl ToJson for History {
    fn write_json(&self, w: &mut Writer) {
        w.begin_array();
        for given in &self.given {
            given.write_json(w);
        }
        w.end_array();
    }
}

#[cfg(feature = "ui")]
pub mod storage;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::FormKind;

    fn receipt(id: &str, granted: &[(&str, bool)]) -> Receipt {
        Receipt {
            id: id.to_owned(),
            submitted_at: "2026-11-24T09:15:00.000+07:00".to_owned(),
            form: FormKind::Contact,
            controller: "Công ty A".to_owned(),
            policy_url: "https://a.example/privacy".to_owned(),
            policy_version: Some("2026-01".to_owned()),
            lines: granted
                .iter()
                .map(|&(purpose, granted)| ReceiptLine {
                    purpose: purpose.to_owned(),
                    sentence: format!("Đồng ý {purpose}"),
                    granted,
                })
                .collect(),
            body: r#"{"fields":{"name":"Nguyễn Văn A","phone":"+84902666984"}}"#.to_owned(),
        }
    }

    #[test]
    fn keeps_what_was_agreed_but_nothing_typed() {
        let mut h = History::default();
        let r = receipt(
            "msg_1",
            &[
                ("consultation", true),
                ("marketing", true),
                ("call_recording", false),
            ],
        );
        assert!(h.remember("/api/leads", &r));
        let kept = &h.given[0];
        assert_eq!(kept.receipt.body, "");
        assert_eq!(
            kept.receipt
                .lines
                .iter()
                .map(|l| l.purpose.as_str())
                .collect::<Vec<_>>(),
            ["consultation", "marketing"]
        );
        let text = h.to_json();
        assert!(
            !text.contains("Nguyễn") && !text.contains("+84902666984"),
            "{text}"
        );
        assert_eq!(History::parse(&text), h);
    }

    #[test]
    fn the_same_submission_is_kept_once_and_the_oldest_goes_past_the_limit() {
        let mut h = History::default();
        assert!(h.remember("/a", &receipt("msg_0", &[("consultation", true)])));
        assert!(!h.remember("/a", &receipt("msg_0", &[("consultation", true)])));
        for n in 1..=MAX_KEPT {
            h.remember(
                "/a",
                &receipt(&format!("msg_{n}"), &[("consultation", true)]),
            );
        }
        assert_eq!(h.given.len(), MAX_KEPT);
        assert_eq!(h.given[0].receipt.id, "msg_1");
        assert_eq!(
            h.sent_to("/a").next().map(|g| g.receipt.id.as_str()),
            Some("msg_20")
        );
    }

    #[test]
    fn withdrawals_are_noted_once_per_purpose() {
        let mut h = History::default();
        h.remember(
            "/a",
            &receipt("msg_1", &[("consultation", true), ("marketing", true)]),
        );
        assert!(h.withdrawn("msg_1", "marketing", "2026-11-25T10:00:00.000+07:00"));
        assert!(!h.withdrawn("msg_1", "marketing", "2026-11-26T10:00:00.000+07:00"));
        assert!(!h.withdrawn("msg_9", "marketing", "2026-11-26T10:00:00.000+07:00"));
        let h = History::parse(&h.to_json());
        assert_eq!(
            h.given[0].withdrawn_at("marketing"),
            Some("2026-11-25T10:00:00.000+07:00")
        );
        assert_eq!(h.given[0].withdrawn_at("consultation"), None);
    }

    #[test]
    fn a_consent_known_only_to_be_inactive_is_noted_without_a_time() {
        let mut h = History::default();
        h.remember("/a", &receipt("msg_1", &[("marketing", true)]));
        assert!(h.withdrawn("msg_1", "marketing", ""));
        assert!(!h.withdrawn("msg_1", "marketing", "2026-11-26T10:00:00.000+07:00"));
        let h = History::parse(&h.to_json());
        assert_eq!(h.given[0].withdrawn_at("marketing"), Some(""));
    }

    #[test]
    fn each_endpoint_sees_and_forgets_its_own() {
        let mut h = History::default();
        h.remember("/a", &receipt("msg_1", &[("consultation", true)]));
        h.remember("/b", &receipt("msg_2", &[("consultation", true)]));
        h.remember("/a", &receipt("msg_3", &[("consultation", true)]));
        let ids = |h: &History, e| {
            h.sent_to(e)
                .map(|g| g.receipt.id.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&h, "/a"), ["msg_3", "msg_1"]);
        assert!(h.forget("/a"));
        assert!(!h.forget("/a"));
        assert_eq!(ids(&h, "/a"), Vec::<String>::new());
        assert_eq!(ids(&h, "/b"), ["msg_2"]);
    }

    #[test]
    fn keeps_the_language_the_consents_were_given_in() {
        let mut h = History::default();
        let mut r = receipt("msg_en", &[("consultation", true)]);
        r.body = r#"{"id":"msg_en","locale":"en","fields":{}}"#.to_owned();
        h.remember("/a", &r);
        h.remember("/a", &receipt("msg_nobody", &[("consultation", true)]));
        assert_eq!(h.given[0].locale, Some(Locale::En));
        assert_eq!(h.given[1].locale, None, "a body that does not say");
        let text = h.to_json();
        assert!(text.contains(r#""locale":"en""#), "{text}");
        assert_eq!(History::parse(&text), h);
    }

    #[test]
    fn an_entry_kept_before_locales_or_with_an_unknown_one_reads_without_one() {
        let mut h = History::default();
        h.remember("/a", &receipt("msg_1", &[("consultation", true)]));
        let old = h.given[0].to_json();
        assert!(!old.contains("locale"), "{old}");
        let odd = old.replacen('{', r#"{"locale":"fr","#, 1);
        let wrong = old.replacen('{', r#"{"locale":7,"#, 1);
        let read = History::parse(&format!("[{old},{odd},{wrong}]"));
        assert_eq!(read.given.len(), 3, "nothing lost");
        for g in &read.given {
            assert_eq!((g.locale, &g.receipt), (None, &h.given[0].receipt));
        }
    }

    #[test]
    fn damage_is_skipped_not_fatal() {
        let mut h = History::default();
        h.remember("/a", &receipt("msg_1", &[("consultation", true)]));
        let good = h.given[0].to_json();
        let text = format!(r#"[{good},{{"endpoint":"/a"}},42,{good}]"#);
        assert_eq!(History::parse(&text).given.len(), 2);
        for broken in ["", "{", "null", r#"{"given":[]}"#, "[[[["] {
            assert_eq!(History::parse(broken), History::default(), "{broken}");
        }
    }
}
