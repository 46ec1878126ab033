//! A visitor under 16 whose parent or guardian agrees on the form (`minors:
//! "guardian"`): the receiver stores the agreement with the guardian's name and phone,
//! shows it on the owner's printable receipt and in the CSV export, and refuses the
//! guardian's fields without it. The real binary on 127.0.0.1, on SQLite and on
//! PostgreSQL like the other end-to-end tests.

#[macro_use]
mod common;

#[path = "../../tests/payload_fixtures.rs"]
mod fixtures;

use common::*;
use consent_form::config::Config;
use consent_form::fields::FieldName;
use consent_form::messages::{Key, Texts};
use consent_form::payload::{GuardianConsent, Payload};
use consent_form::signing::MessageId;
use receiver::receipt::escape;

on_both!(
    a_guardians_agreement_is_stored_and_shown,
    guardian_fields_need_the_agreement_and_it_needs_them,
);

/// The host's own wording of the guardian's agreement (`texts.guardian_text`), with
/// what HTML would read as markup.
const GUARDIAN_TEXT: &str = "Tôi là cha, mẹ hoặc người giám hộ hợp pháp của người điền \
                             biểu mẫu này & đồng ý với các mục \"đã đánh dấu\" <b>ở trên</b>.";

/// A contact form whose host asks a parent or guardian to agree for a visitor under 16.
fn guardian_config() -> Config {
    contact_config_with(serde_json::json!({
        "minors": "guardian",
        "texts": { "guardian_text": GUARDIAN_TEXT }
    }))
}

/// A submission built the way the form builds it from that configuration: the
/// visitor's fields, the guardian's name and phone, the notices shown (the consultation
/// one lists the guardian's data), and the guardian's agreement to the text shown.
fn guardian_payload(id: &MessageId, guardian_name: &str) -> Payload {
    let config = guardian_config();
    assert!(config.guardian);
    let fields = [
        (FieldName::Name, "Phạm Gia Bảo"),
        (FieldName::Phone, "+84902666984"),
        (FieldName::GuardianName, guardian_name),
        (FieldName::GuardianPhone, "+84912345678"),
    ];
    let ms = i64::try_from(now() * 1000).unwrap();
    let mut p = payload_for(&config, id, &fields, false, ms);
    let texts = Texts::new(config.locale, config.texts.clone());
    p.guardian = Some(GuardianConsent::new(
        texts.fill(Key::GuardianText, &[("controller", &config.controller)]),
    ));
    p
}

async fn record(server: &Server, id: &str) -> serde_json::Value {
    let a = owner_get(server, &format!("/owner/records/{id}")).await;
    assert_eq!(a.status, 200, "{}", a.text());
    a.json()
}

async fn receipt(server: &Server, id: &str) -> String {
    let a = owner_get(server, &format!("/owner/records/{id}/receipt")).await;
    assert_eq!(a.status, 200, "{}", a.text());
    a.text()
}

/// Splits CSV text (RFC 4180: quoted cells may hold commas, quotes and line breaks)
/// into rows of cells.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    assert!(
        cell.is_empty() && row.is_empty(),
        "the CSV ends with a line end"
    );
    rows
}

/// The CSV export as one map per row, keyed by the header.
async fn csv(server: &Server) -> Vec<std::collections::BTreeMap<String, String>> {
    let a = owner_get(server, "/owner/export?format=csv").await;
    assert_eq!(a.status, 200, "{}", a.text());
    let mut rows = parse_csv(&a.text()).into_iter();
    let header = rows.next().unwrap();
    rows.map(|row| {
        assert_eq!(row.len(), header.len(), "{row:?}");
        header.iter().cloned().zip(row).collect()
    })
    .collect()
}

async fn a_guardians_agreement_is_stored_and_shown(backend: Backend) {
    let server = Server::start(backend, &[]).await;
    let v = Visitor::new(&server).await;
    let guardian_name = "Trần Thị <Lan> & \"mẹ\"";

    // A submission without a guardian first, then one with.
    let plain = new_id();
    let a = v
        .post(&server, plain.as_str(), &valid_payload(&plain).to_body())
        .await;
    assert_eq!(a.status, 200, "{}", a.text());
    let id = new_id();
    let p = guardian_payload(&id, guardian_name);
    let body = p.to_body();
    let a = v.post(&server, id.as_str(), &body).await;
    assert_eq!(a.status, 200, "{}", a.text());
    assert_eq!(a.json()["id"], id.as_str());
    let g = p.guardian.clone().unwrap();
    assert_eq!(g.text, GUARDIAN_TEXT, "the host's wording");
    assert_eq!(
        g.text_sha256,
        consent_form::signing::sha256_hex(GUARDIAN_TEXT)
    );

    // The owner's record: the payload as received, the guardian's fields among the
    // fields, the consultation notice listing them.
    let r = record(&server, id.as_str()).await;
    let sent: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(r["payload"], sent, "stored as received");
    assert_eq!(
        r["payload"]["guardian"],
        serde_json::json!({"text": GUARDIAN_TEXT, "text_sha256": g.text_sha256})
    );
    assert_eq!(r["fields"]["guardian_name"], guardian_name);
    assert_eq!(r["fields"]["guardian_phone"], "+84912345678");
    assert_eq!(r["consent_state"]["consultation"], "active");
    let data_types = &r["payload"]["consents"][0]["record"]["processing"]["data_types"];
    for name in ["guardian_name", "guardian_phone"] {
        assert!(
            data_types.as_array().unwrap().iter().any(|d| d == name),
            "{data_types}"
        );
    }
    // The JSON export carries the same.
    let records = exported(&server).await;
    let exported = records.iter().find(|r| r["id"] == id.as_str()).unwrap();
    assert_eq!(exported["payload"]["guardian"], r["payload"]["guardian"]);

    // The printable receipt: the guardian's section with the exact text (escaped) and
    // its hash; the name and phone in the fields table and in the section.
    let html = receipt(&server, id.as_str()).await;
    assert!(!html.contains("<b>"), "{html}");
    let section = html
        .split_once("<h2>Cha, mẹ hoặc người giám hộ / Parent or guardian</h2>")
        .unwrap_or_else(|| panic!("no guardian section: {html}"))
        .1;
    let section = section.split("<h2>").next().unwrap();
    let escaped_text = escape(GUARDIAN_TEXT);
    assert!(escaped_text.contains("&lt;b&gt;") && escaped_text.contains("&quot;"));
    assert!(
        section.contains(&format!(
            "<p>Văn bản đã hiển thị / Exact text shown:</p><pre>{escaped_text}</pre>"
        )),
        "{section}"
    );
    assert!(
        section.contains(&format!(
            "<tr><th>SHA-256 của văn bản / Text SHA-256</th><td>{}</td></tr>",
            g.text_sha256
        )),
        "{section}"
    );
    let escaped_name = "Trần Thị &lt;Lan&gt; &amp; &quot;mẹ&quot;";
    assert!(
        section.contains(&format!(
            "<tr><th>Họ và tên / Name</th><td>{escaped_name}</td></tr>"
        )),
        "{section}"
    );
    assert!(
        section.contains("<tr><th>Điện thoại / Phone</th><td>+84912345678</td></tr>"),
        "{section}"
    );
    assert!(
        html.contains(&format!(
            "<tr><th>guardian_name</th><td>{escaped_name}</td></tr>"
        )),
        "{html}"
    );
    assert!(
        html.contains("<tr><th>guardian_phone</th><td>+84912345678</td></tr>"),
        "{html}"
    );
    // Without a guardian, no such section.
    let html = receipt(&server, plain.as_str()).await;
    assert!(!html.contains("Parent or guardian"), "{html}");

    // The CSV: the guardian's name and phone, and the hash of the text they agreed to;
    // empty cells for the submission without a guardian.
    let rows = csv(&server).await;
    assert_eq!(rows.len(), 2);
    let row = rows.iter().find(|r| r["id"] == id.as_str()).unwrap();
    assert_eq!(row["guardian_name"], guardian_name);
    assert_eq!(row["guardian_phone"], "+84912345678");
    assert_eq!(row["guardian_text_sha256"], g.text_sha256);
    let other = rows.iter().find(|r| r["id"] == plain.as_str()).unwrap();
    for column in ["guardian_name", "guardian_phone", "guardian_text_sha256"] {
        assert_eq!(other[column], "", "{column}");
    }

    // The owner corrects the guardian's phone as typed: stored as E.164, shown as now.
    let a = owner_event(
        &server,
        id.as_str(),
        serde_json::json!({
            "type": "corrected", "fields": {"guardian_phone": "0912 345 679"}, "by": "principal"
        }),
    )
    .await;
    assert_eq!(a.status, 201, "{}", a.text());
    assert_eq!(
        a.json()["detail"]["fields"]["guardian_phone"],
        "+84912345679"
    );
    assert_eq!(
        record(&server, id.as_str()).await["fields"]["guardian_phone"],
        "+84912345679"
    );
    let html = receipt(&server, id.as_str()).await;
    assert!(
        html.contains("<tr><th>Điện thoại / Phone</th><td>+84912345679</td></tr>"),
        "{html}"
    );

    // The crate's own example of a valid guardian submission is accepted too.
    let fixture = fixtures::contact_with_guardian();
    let a = v
        .post(&server, fixture.id.as_str(), &fixture.to_body())
        .await;
    assert_eq!(a.status, 200, "{}", a.text());
    let r = record(&server, fixture.id.as_str()).await;
    assert_eq!(r["fields"]["guardian_name"], "Trần Thị Lan");
    assert_eq!(
        r["payload"]["guardian"]["text_sha256"],
        fixture.guardian.unwrap().text_sha256
    );
}

async fn guardian_fields_need_the_agreement_and_it_needs_them(backend: Backend) {
    let server = Server::start(backend, &[]).await;
    let v = Visitor::new(&server).await;
    let refused = |p: Payload| {
        let v = &v;
        let server = &server;
        async move {
            let a = v.post(server, p.id.as_str(), &p.to_body()).await;
            a.assert_refused(422, "invalid_payload");
            let details: Vec<String> = a.json()["details"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d.as_str().unwrap().to_owned())
                .collect();
            details
        }
    };

    // The guardian's name and phone without their agreement.
    let mut p = guardian_payload(&new_id(), "Trần Thị Lan");
    p.guardian = None;
    let details = refused(p).await;
    assert_eq!(
        details,
        [
            "field `guardian_name` comes only with `guardian`, the parent's or guardian's agreement",
            "field `guardian_phone` comes only with `guardian`, the parent's or guardian's agreement"
        ]
    );

    // The agreement without the guardian's phone.
    let mut p = guardian_payload(&new_id(), "Trần Thị Lan");
    p.fields.remove(&FieldName::GuardianPhone);
    assert_eq!(
        refused(p).await,
        ["required field `guardian_phone` is missing"]
    );

    // A text that is not the one hashed; a phone not in E.164.
    let mut p = guardian_payload(&new_id(), "Trần Thị Lan");
    if let Some(g) = p.guardian.as_mut() {
        g.text.push_str(" Và cả những mục chưa đánh dấu.");
    }
    let details = refused(p).await;
    assert_eq!(details.len(), 1, "{details:?}");
    assert!(
        details[0].starts_with("`guardian` needs its text"),
        "{details:?}"
    );
    let mut p = guardian_payload(&new_id(), "Trần Thị Lan");
    p.fields
        .insert(FieldName::GuardianPhone, "0912 345 678".into());
    let details = refused(p).await;
    assert_eq!(details.len(), 1, "{details:?}");
    assert!(
        details[0].starts_with("`guardian_phone` must be"),
        "{details:?}"
    );

    // Nothing refused was stored.
    assert!(exported(&server).await.is_empty());

    // The owner cannot slip a guardian's name into a submission without an agreement.
    let id = new_id();
    let a = v
        .post(&server, id.as_str(), &valid_payload(&id).to_body())
        .await;
    assert_eq!(a.status, 200, "{}", a.text());
    let a = owner_event(
        &server,
        id.as_str(),
        serde_json::json!({
            "type": "corrected", "fields": {"guardian_name": "Trần Thị Lan"}, "by": "controller"
        }),
    )
    .await;
    a.assert_refused(422, "invalid_correction");
    assert!(a.text().contains("guardian_name"), "{}", a.text());
    assert!(exported(&server).await[0]["events"]
        .as_array()
        .unwrap()
        .is_empty());
}
