//! One record as a printable HTML page: who sent what, when, and to exactly which
//! text each consent was given or refused (and, for a visitor under 16, to which text
//! their parent or guardian agreed), with everything that happened since.
//! Every value from the payload is escaped; the page runs no script and loads
//! nothing (its Content-Security-Policy says so too).

use std::fmt::Write as _;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use consent_form::fields::FieldName;
use consent_form::payload::Payload;

use sha2::{Digest, Sha256};

use crate::records::{ErasedView, RecordView, State};

/// The page's one style sheet, the content of its `<style>` element.
const STYLE: &str = "body{font:15px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;\
     padding:0 1rem;color:#111}h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem;\
     border-bottom:1px solid #999}table{border-collapse:collapse;width:100%}th,td{text-align:left;\
     vertical-align:top;padding:.25rem .5rem;border-bottom:1px solid #ddd}th{width:14rem;\
     font-weight:600}pre{white-space:pre-wrap;word-break:break-word;background:#f6f6f6;\
     padding:.5rem}code{word-break:break-all}@media print{body{margin:0}}";

/// The `Content-Security-Policy` sent with the page: nothing loads or runs; the one
/// style sheet is allowed by its SHA-256, so no other style can be injected either.
pub fn csp() -> String {
    format!(
        "default-src 'none'; style-src 'sha256-{}'; base-uri 'none'; form-action 'none'; \
         frame-ancestors 'none'",
        STANDARD.encode(Sha256::digest(STYLE.as_bytes()))
    )
}

/// Escapes text for HTML content and attribute values; control and bidirectional
/// formatting characters are written as `\u{…}`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and newlines are shown, not rendered; so
            // are the bidirectional controls, which would show other text than was sent
            // ("Trojan Source", CVE-2021-42574).
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') || is_bidi_control(c) => {
                let _ = write!(out, "\\u{{{:04x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// Whether `c` is one of Unicode's bidirectional formatting characters: embeddings,
/// overrides, isolates, their ends, and the marks (LRM, RLM, ALM).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

fn row(out: &mut String, label: &str, value: &str) {
    let _ = write!(
        out,
        "<tr><th>{}</th><td>{}</td></tr>",
        escape(label),
        escape(value)
    );
}

fn state_label(state: State) -> &'static str {
    match state {
        State::Active => "Đồng ý / Given",
        State::Refused => "Từ chối / Refused",
        State::Withdrawn => "Đã rút lại / Withdrawn",
    }
}

/// Where `purpose`'s consent stands now: as the events left it, else as it was sent.
fn state_now(view: &RecordView, purpose: &str, granted: bool) -> State {
    view.consent_state
        .get(purpose)
        .copied()
        .unwrap_or(if granted {
            State::Active
        } else {
            State::Refused
        })
}

/// What the captcha check says, from the stored outcome (`passed` or `expired`, with
/// the provider's host name and error codes); for a token this receiver did not
/// verify, that; `None` when the submission had no token.
fn captcha_words(outcome: Option<&serde_json::Value>, token_sent: bool) -> Option<String> {
    let Some(outcome) = outcome else {
        return token_sent.then(|| {
            "có mã, không được kiểm tra (chưa đặt CAPTCHA_SECRET) / \
             token sent, not verified (no CAPTCHA_SECRET)"
                .to_owned()
        });
    };
    let mut said = match outcome["outcome"].as_str().unwrap_or_default() {
        "passed" => "đã qua / passed".to_owned(),
        "expired" => "mã hết hạn khi tới nơi, cần xem lại / \
                      token expired on arrival: review"
            .to_owned(),
        other => other.to_owned(),
    };
    if let Some(host) = outcome["hostname"].as_str() {
        let _ = write!(said, " — {host}");
    }
    if let Some(codes) = outcome["error-codes"].as_array() {
        let codes: Vec<&str> = codes.iter().filter_map(|c| c.as_str()).collect();
        if !codes.is_empty() {
            let _ = write!(said, " ({})", codes.join(", "));
        }
    }
    Some(said)
}

/// What a visitor confirmed when they withdrew a consent from the form (the detail of
/// a `POST /api/withdrawals` event): their message's id, the time on their clock, the
/// exact question and its SHA-256. Nothing for an event the owner recorded.
fn withdrawal_confirmed(out: &mut String, detail: &serde_json::Value) {
    let said = |key: &str| detail.get(key).and_then(|v| v.as_str());
    let Some(text) = said("text") else {
        return;
    };
    let _ = write!(
        out,
        "<br>Mã tin nhắn / Message id: <code>{}</code><br>\
         Gửi lúc (đồng hồ của người dùng) / Sent at (the visitor's clock): {}<br>\
         Văn bản đã xác nhận / Exact text confirmed:<pre>{}</pre>\
         SHA-256 của văn bản / Text SHA-256: <code>{}</code>",
        escape(said("message_id").unwrap_or("—")),
        escape(said("withdrawn_at").unwrap_or("—")),
        escape(text),
        escape(said("text_sha256").unwrap_or("—")),
    );
}

/// What an erased record kept, instead of the payload: that it was erased on request,
/// when, by whom and why, the names of the fields sent, and each consent as sent.
fn erased_sections(out: &mut String, view: &RecordView, erased: &ErasedView) {
    out.push_str("</table><h2>Đã xóa theo yêu cầu / Erased on request</h2><table>");
    row(out, "Xóa lúc / Erased at", &erased.at);
    row(
        out,
        "Theo yêu cầu của / At the request of",
        match erased.by.as_str() {
            "principal" => "người dùng / the person (principal)",
            "controller" => "bên kiểm soát / the controller",
            other => other,
        },
    );
    row(out, "Lý do / Reason", &erased.reason);
    row(
        out,
        "Thông tin đã gửi (đã xóa) / Fields sent (erased)",
        &erased.proof.fields.join(", "),
    );
    if let Some(sha) = &erased.proof.guardian_text_sha256 {
        row(
            out,
            "Cha, mẹ hoặc người giám hộ đã đồng ý, SHA-256 của văn bản /              A parent or guardian agreed, text SHA-256",
            sha,
        );
    }
    out.push_str("</table>");
    for kept in &erased.proof.consents {
        let state = state_now(view, &kept.purpose, kept.granted);
        let _ = write!(
            out,
            "<h2>Mục đích / Purpose: {}</h2><table>",
            escape(&kept.purpose)
        );
        row(out, "Trạng thái / State", state_label(state));
        row(
            out,
            "Khi gửi / When sent",
            if kept.granted {
                "đồng ý / given"
            } else {
                "từ chối / refused"
            },
        );
        row(out, "Mã bản ghi / Record id", &kept.record_id);
        row(out, "Chính sách / Policy", &kept.policy_url);
        row(
            out,
            "Phiên bản / Policy version",
            kept.policy_version.as_deref().unwrap_or("—"),
        );
        row(out, "SHA-256 của văn bản / Text SHA-256", &kept.text_sha256);
        out.push_str("</table>");
    }
}

/// The page for `view`, whose payload is `payload` (`None` once erased: the page then
/// shows what the erasure kept).
pub fn html(view: &RecordView, payload: Option<&Payload>) -> String {
    let mut out = String::with_capacity(8192);
    let _ = write!(
        out,
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\">\
         <title>Biên nhận đồng ý {id}</title><style>{STYLE}</style></head><body>",
        lang = escape(&view.locale),
        id = escape(&view.id),
    );
    let _ = write!(out, "<h1>Biên nhận đồng ý / Consent receipt</h1><table>");
    row(&mut out, "Mã gửi / Submission id", &view.id);
    row(&mut out, "Biểu mẫu / Form", &view.form);
    row(&mut out, "Gửi lúc / Submitted at", &view.submitted_at);
    row(&mut out, "Nhận lúc / Received at", &view.received_at);
    row(&mut out, "Ngôn ngữ / Language", &view.locale);
    row(
        &mut out,
        "SHA-256 của nội dung / Body SHA-256",
        &view.body_sha256,
    );
    row(
        &mut out,
        "Chữ ký lúc / Signed at (Unix)",
        &view.signature_timestamp.to_string(),
    );
    if let Some(hold) = &view.hold {
        row(
            &mut out,
            "Đang tạm giữ / On hold",
            &format!(
                "từ / since {} — {} (không xóa cho đến khi bỏ tạm giữ / not erased until released)",
                hold.since, hold.reason
            ),
        );
    }
    let token_sent = payload.is_some_and(|p| p.captcha.is_some());
    if let Some(said) = captcha_words(view.captcha.as_ref(), token_sent) {
        row(&mut out, "Captcha", &said);
    }
    match (payload, &view.erased) {
        (Some(payload), None) => payload_sections(&mut out, view, payload),
        (_, Some(erased)) => erased_sections(&mut out, view, erased),
        (None, None) => out.push_str("</table>"),
    }
    events_section(&mut out, view);
    out.push_str("</body></html>\n");
    out
}

/// The fields as sent and corrected, each consent with its exact text, and a parent's
/// or guardian's agreement.
fn payload_sections(out: &mut String, view: &RecordView, payload: &Payload) {
    out.push_str("</table><h2>Thông tin / Fields</h2><table>");
    for (name, value) in &view.fields {
        let sent = payload
            .fields
            .iter()
            .find(|(f, _)| f.as_str() == name)
            .map(|(_, v)| v.as_str());
        let shown = match sent {
            Some(original) if original != value => {
                format!("{value} (đã sửa, ban đầu / corrected, originally: {original})")
            }
            _ => value.clone(),
        };
        row(out, name, &shown);
    }
    out.push_str("</table>");
    for entry in &payload.consents {
        let purpose = entry.purpose.id();
        let state = state_now(view, purpose, entry.granted);
        let _ = write!(
            out,
            "<h2>Mục đích / Purpose: {}</h2><table>",
            escape(purpose)
        );
        row(out, "Trạng thái / State", state_label(state));
        row(
            out,
            "Khi gửi / When sent",
            if entry.granted {
                "đồng ý / given"
            } else {
                "từ chối / refused"
            },
        );
        row(out, "Mã bản ghi / Record id", &entry.record.record_id);
        let controllers: Vec<String> = entry
            .record
            .processing
            .controllers
            .iter()
            .map(|c| match &c.contact {
                Some(contact) => format!("{} ({contact})", c.name),
                None => c.name.clone(),
            })
            .collect();
        row(out, "Bên kiểm soát / Controller", &controllers.join("; "));
        row(out, "Chính sách / Policy", &entry.policy_url);
        row(
            out,
            "Phiên bản / Policy version",
            entry.policy_version.as_deref().unwrap_or("—"),
        );
        row(
            out,
            "Dữ liệu / Data types",
            &entry.record.processing.data_types.join(", "),
        );
        row(
            out,
            "Thời hạn / Retention",
            &entry.record.processing.retention,
        );
        row(
            out,
            "Rút lại / How to withdraw",
            &entry.record.processing.withdrawal_method,
        );
        row(
            out,
            "SHA-256 của văn bản / Text SHA-256",
            &entry.text_sha256,
        );
        let _ = write!(
            out,
            "</table><p>Văn bản đã hiển thị / Exact text shown:</p><pre>{}</pre>",
            escape(&entry.text)
        );
    }
    if let Some(guardian) = &payload.guardian {
        // A visitor under 16: their parent's or guardian's own agreement to the consents
        // given above, with who they are (as now, corrections applied).
        out.push_str("<h2>Cha, mẹ hoặc người giám hộ / Parent or guardian</h2><table>");
        for (field, label) in [
            (FieldName::GuardianName, "Họ và tên / Name"),
            (FieldName::GuardianPhone, "Điện thoại / Phone"),
        ] {
            let value = view.fields.get(field.as_str()).map_or("—", String::as_str);
            row(out, label, value);
        }
        row(
            out,
            "SHA-256 của văn bản / Text SHA-256",
            &guardian.text_sha256,
        );
        let _ = write!(
            out,
            "</table><p>Văn bản đã hiển thị / Exact text shown:</p><pre>{}</pre>",
            escape(&guardian.text)
        );
    }
}

/// Everything that happened since, oldest first.
fn events_section(out: &mut String, view: &RecordView) {
    if !view.events.is_empty() {
        out.push_str(
            "<h2>Sự kiện sau đó / Events since</h2><table><tr><th>Lúc / At</th>\
             <th>Sự kiện / Event</th></tr>",
        );
        for e in &view.events {
            let mut what = e.kind.clone();
            if let Some(p) = &e.purpose {
                let _ = write!(what, " {p}");
            }
            let _ = write!(what, " (by {}; recorded {})", e.by, e.recorded_at);
            if let Some(note) = e.detail.get("note").and_then(|n| n.as_str()) {
                let _ = write!(what, " — {note}");
            }
            if let Some(fields) = e.detail.get("fields") {
                let _ = write!(what, " — {fields}");
            }
            if let Some(reason) = e.detail.get("reason").and_then(|r| r.as_str()) {
                let _ = write!(what, " — {reason}");
            }
            if e.detail.get("redacted").is_some() {
                what.push_str(" (đã xóa dữ liệu / data erased)");
            }
            let _ = write!(out, "<tr><th>{}</th><td>{}", escape(&e.at), escape(&what));
            withdrawal_confirmed(out, &e.detail);
            out.push_str("</td></tr>");
        }
        out.push_str("</table>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_controls() {
        assert_eq!(
            escape("<script>alert(\"x\" & 'y')</script>"),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
        assert_eq!(escape("a\u{0}b\u{1b}c\nd"), "a\\u{0000}b\\u{001b}c\nd");
        assert_eq!(escape("Nguyễn Văn A"), "Nguyễn Văn A");
    }
}
