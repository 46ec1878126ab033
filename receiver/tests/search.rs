//! Finding a person's records (`GET /owner/records?phone=…&email=…`): a phone number
//! typed any way, an obsolete one, a guardian's, an address in any case or domain
//! form; as sent and as corrected; never an erased record. The real binary on
//! 127.0.0.1, on SQLite and on PostgreSQL like the other end-to-end tests.

#[macro_use]
mod common;

use std::collections::BTreeSet;

use common::*;
use consent_form::fields::FieldName;
use consent_form::messages::{Key, Texts};
use consent_form::payload::GuardianConsent;
use consent_form::phone::PhoneError;
use consent_form::signing::MessageId;

on_both!(
    a_person_is_found_by_phone_or_email_however_typed,
    records_stored_before_the_index_are_found,
);

/// The person searched for.
const PHONE: &str = "+84902666984";
const EMAIL: &str = "an.nguyen@vidu.vn";

/// Sends a contact submission with `phone` and `email`; its id.
async fn sent(server: &Server, v: &Visitor, phone: &str, email: &str) -> MessageId {
    let id = new_id();
    let p = payload(
        &id,
        &[
            (FieldName::Name, "Nguyễn Văn An"),
            (FieldName::Phone, phone),
            (FieldName::Email, email),
            (FieldName::Need, "Tư vấn gói website"),
        ],
        true,
    );
    let a = v.post(server, id.as_str(), &p.to_body()).await;
    assert_eq!(a.status, 200, "{}", a.text());
    id
}

/// Sends a submission of a visitor under 16 whose guardian's phone is `guardian_phone`.
async fn sent_with_guardian(server: &Server, v: &Visitor, guardian_phone: &str) -> MessageId {
    let config = contact_config_with(serde_json::json!({ "minors": "guardian" }));
    let id = new_id();
    let fields = [
        (FieldName::Name, "Phạm Gia Bảo"),
        (FieldName::Phone, "+84903111222"),
        (FieldName::GuardianName, "Phạm Văn Cha"),
        (FieldName::GuardianPhone, guardian_phone),
    ];
    let ms = i64::try_from(now() * 1000).unwrap();
    let mut p = payload_for(&config, &id, &fields, false, ms);
    let texts = Texts::new(config.locale, config.texts.clone());
    p.guardian = Some(GuardianConsent::new(
        texts.fill(Key::GuardianText, &[("controller", &config.controller)]),
    ));
    let a = v.post(server, id.as_str(), &p.to_body()).await;
    assert_eq!(a.status, 200, "{}", a.text());
    id
}

async fn correct(server: &Server, id: &MessageId, fields: serde_json::Value) -> i64 {
    let a = owner_event(
        server,
        id.as_str(),
        serde_json::json!({"type": "corrected", "fields": fields, "by": "principal"}),
    )
    .await;
    assert_eq!(a.status, 201, "{}", a.text());
    a.json()["seq"].as_i64().unwrap()
}

/// `GET /owner/records?<query>` (the query as given: the test encodes it).
async fn search(server: &Server, query: &str) -> Answer {
    owner_get(server, &format!("/owner/records?{query}")).await
}

/// The ids a search finds, in the order answered (one page of up to 500).
async fn found(server: &Server, query: &str) -> Vec<String> {
    let a = search(server, &format!("{query}&limit=500")).await;
    assert_eq!(a.status, 200, "{query}: {}", a.text());
    a.json()["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

/// The `matched` of record `id` in the answer to `query`.
async fn matched(server: &Server, query: &str, id: &MessageId) -> serde_json::Value {
    let a = search(server, query).await;
    assert_eq!(a.status, 200, "{}", a.text());
    a.json()["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id.as_str())
        .unwrap_or_else(|| panic!("{} not found by {query}", id.as_str()))["matched"]
        .clone()
}

fn set(ids: &[&MessageId]) -> BTreeSet<String> {
    ids.iter().map(|i| i.as_str().to_owned()).collect()
}

/// `text` percent-encoded for a query string.
fn enc(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// How many `lookup` rows submission `id` has, read from the database itself.
async fn lookup_rows(server: &Server, backend: Backend, id: &MessageId) -> i64 {
    let sql = "SELECT COUNT(*) FROM lookup WHERE submission_id = ";
    match backend {
        Backend::Sqlite => {
            let path = server.database.strip_prefix("sqlite:").unwrap();
            let conn = rusqlite::Connection::open(path).unwrap();
            conn.query_row(&format!("{sql}?1"), [id.as_str()], |r| r.get(0))
                .unwrap()
        }
        Backend::Postgres => {
            let (client, conn) = tokio_postgres::connect(&server.database, tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(conn);
            client
                .query_one(&format!("{sql}$1"), &[&id.as_str()])
                .await
                .unwrap()
                .get(0)
        }
    }
}

async fn a_person_is_found_by_phone_or_email_however_typed(backend: Backend) {
    let server = Server::start(backend, &[]).await;
    let v = Visitor::new(&server).await;

    // The person's own submission, and someone else's.
    let own = sent(&server, &v, PHONE, EMAIL).await;
    let other = sent(&server, &v, "+84912000111", "binh@vidu.vn").await;
    // Sent with another number, corrected to the person's (typed as people type).
    let corrected_to = sent(&server, &v, "+84913000222", "chi@vidu.vn").await;
    let seq_to = correct(
        &server,
        &corrected_to,
        serde_json::json!({"phone": "0902 666 984"}),
    )
    .await;
    // Sent with the person's number and address, corrected away from both.
    let corrected_away = sent(&server, &v, PHONE, EMAIL).await;
    correct(
        &server,
        &corrected_away,
        serde_json::json!({"phone": "+84914000333", "email": "moi@vidu.vn"}),
    )
    .await;
    // The person as a child's guardian.
    let guardian = sent_with_guardian(&server, &v, PHONE).await;
    // The address with capitals in its local part.
    let capitals = sent(&server, &v, "+84915000444", "An.Nguyen@vidu.vn").await;
    // Erased on request: its data is gone, so nothing finds it.
    let erased = sent(&server, &v, PHONE, EMAIL).await;
    assert!(lookup_rows(&server, backend, &erased).await > 0);
    let url = server.url(&format!("/owner/records/{}/erase", erased.as_str()));
    let mut h = owner();
    h.push(("content-type".into(), "application/json".into()));
    let a = send(
        "POST",
        &url,
        &h,
        br#"{"by":"principal","reason":"ticket 7"}"#.to_vec(),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.text());
    assert_eq!(
        lookup_rows(&server, backend, &erased).await,
        0,
        "an erasure deletes the record's lookup rows"
    );

    // The phone, typed any way: the same records, newest first.
    let by_phone = vec![
        guardian.as_str().to_owned(),
        corrected_away.as_str().to_owned(),
        corrected_to.as_str().to_owned(),
        own.as_str().to_owned(),
    ];
    for typed in [
        "0902 666 984",
        "+84 902-666-984",
        "0084902666984",
        "(+84) 902.666.984",
        PHONE,
    ] {
        assert_eq!(
            found(&server, &format!("phone={}", enc(typed))).await,
            by_phone,
            "{typed}"
        );
    }
    // Where each holds it: as sent, by a correction, now.
    let q = format!("phone={}", enc("0902666984"));
    assert_eq!(
        matched(&server, &q, &own).await,
        serde_json::json!({"sent": ["phone"], "corrected": [], "current": ["phone"]})
    );
    assert_eq!(
        matched(&server, &q, &corrected_to).await,
        serde_json::json!({"sent": [], "corrected": [{"seq": seq_to, "fields": ["phone"]}],
                           "current": ["phone"]})
    );
    assert_eq!(
        matched(&server, &q, &corrected_away).await,
        serde_json::json!({"sent": ["phone"], "corrected": [], "current": []})
    );
    assert_eq!(
        matched(&server, &q, &guardian).await,
        serde_json::json!({"sent": ["guardian_phone"], "corrected": [], "current": ["guardian_phone"]})
    );
    let a = search(&server, &q).await;
    assert_eq!(a.json()["search"], serde_json::json!({"phone": PHONE}));
    // The records are the full records.
    let first = &a.json()["records"][3];
    assert_eq!(first["fields"]["email"], EMAIL);
    assert!(first["payload"].is_object(), "{first}");

    // The corrected-to value finds its record; the corrected-away one is found by
    // what it is now too.
    assert_eq!(
        found(&server, "phone=0914000333").await,
        [corrected_away.as_str()]
    );
    assert_eq!(
        found(&server, &format!("email={}", enc("MOI@vidu.vn"))).await,
        [corrected_away.as_str()]
    );

    // The address, in any case, with white space, as a mailto: link.
    let by_email = vec![
        capitals.as_str().to_owned(),
        corrected_away.as_str().to_owned(),
        own.as_str().to_owned(),
    ];
    for typed in [
        EMAIL,
        "AN.NGUYEN@VIDU.VN",
        " an.nguyen@Vidu.vn ",
        "mailto:an.nguyen@vidu.vn",
    ] {
        assert_eq!(
            found(&server, &format!("email={}", enc(typed))).await,
            by_email,
            "{typed}"
        );
    }
    assert_eq!(
        matched(&server, &format!("email={}", enc(EMAIL)), &capitals).await,
        serde_json::json!({"sent": ["email"], "corrected": [], "current": ["email"]})
    );
    // Both: a record holding either.
    let both: BTreeSet<String> = found(
        &server,
        &format!("phone={}&email={}", enc(PHONE), enc(EMAIL)),
    )
    .await
    .into_iter()
    .collect();
    assert_eq!(
        both,
        set(&[&own, &corrected_to, &corrected_away, &guardian, &capitals])
    );
    assert!(!both.contains(other.as_str()) && !both.contains(erased.as_str()));

    // An obsolete number (an 11-digit mobile of before 2018): its number of today.
    let Err(PhoneError::Obsolete { corrected, .. }) = consent_form::phone::parse("0162 123 4567")
    else {
        panic!("0162 123 4567 is obsolete")
    };
    let today = sent(&server, &v, &corrected.e164(), "duong@vidu.vn").await;
    let a = search(&server, &format!("phone={}", enc("0162 123 4567"))).await;
    assert_eq!(a.status, 200, "{}", a.text());
    let j = a.json();
    assert_eq!(j["records"][0]["id"], today.as_str());
    assert_eq!(j["records"].as_array().unwrap().len(), 1);
    assert_eq!(j["search"]["phone"], corrected.e164());
    assert!(
        j["search"]["note"]
            .as_str()
            .unwrap()
            .contains(&corrected.e164()),
        "{j}"
    );

    // Paging, as the list: newest first, `next_before` until the last page.
    let mut pages = Vec::new();
    let mut query = format!("phone={PHONE_ENC}&limit=1", PHONE_ENC = enc(PHONE));
    loop {
        let j = search(&server, &query).await.json();
        let records = j["records"].as_array().unwrap();
        assert!(records.len() <= 1);
        pages.extend(records.iter().map(|r| r["id"].as_str().unwrap().to_owned()));
        match j["next_before"].as_i64() {
            Some(before) => {
                query = format!("phone={}&limit=1&before={before}", enc(PHONE));
            }
            None => break,
        }
    }
    assert_eq!(pages, by_phone);

    // Nobody: an empty list. Bad queries: 422 saying what is wrong, nothing else.
    assert!(found(&server, "phone=0987654321").await.is_empty());
    for (query, starts) in [
        ("phone=abc", "`phone`"),
        ("phone=", "`phone`"),
        ("phone=0902%20666", "`phone`"),
        ("phone=%2B1%20202%20555%200100", "`phone`"),
        ("email=nope", "`email`"),
        ("email=", "`email`"),
        ("email=a%40b", "`email`"),
        ("phone=0902666984&email=x", "`email`"),
    ] {
        let a = search(&server, query).await;
        a.assert_refused(422, "bad_search");
        let message = a.json()["message"].as_str().unwrap().to_owned();
        assert!(message.starts_with(starts), "{query}: {message}");
    }
    let long = "9".repeat(3000);
    search(&server, &format!("phone={long}"))
        .await
        .assert_refused(422, "bad_search");
    search(&server, &format!("email={long}"))
        .await
        .assert_refused(422, "bad_search");
    // The owner's token, as every owner endpoint.
    send(
        "GET",
        &server.url("/owner/records?phone=0902666984"),
        &[],
        vec![],
    )
    .await
    .assert_refused(401, "unauthorized");
    // The log says how many were found, not what was searched.
    let log = server.log();
    assert!(log.contains("search: 4 records"), "{log}");
    assert!(
        !log.contains("0902666984") && !log.contains("an.nguyen"),
        "{log}"
    );
}

async fn records_stored_before_the_index_are_found(backend: Backend) {
    let db = fresh_database(backend).await;
    // Kept across the restart, so the visitor's session key is too.
    let env = [(
        "RECEIVER_KEY_SECRET",
        "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    )];
    let server = Server::start_on(&db, &env);
    let v = Visitor::new(&server).await;
    let own = sent(&server, &v, PHONE, EMAIL).await;
    let corrected_to = sent(&server, &v, "+84913000222", "chi@vidu.vn").await;
    correct(
        &server,
        &corrected_to,
        serde_json::json!({"email": "An.Nguyen@Vidu.vn"}),
    )
    .await;
    let erased = sent(&server, &v, PHONE, EMAIL).await;
    let a = erase(&server, erased.as_str(), "principal", "x").await;
    assert_eq!(a.status, 200, "{}", a.text());
    server.stop();

    // As a receiver of schema 3 left it: no lookup table, nor the rest of schemas 4
    // to 6.
    let sql = "DROP TABLE chain; DROP TABLE lookup; DROP INDEX submissions_kept_by_received; \
               DELETE FROM receiver_migrations WHERE version >= 4;";
    let triggers = match backend {
        Backend::Sqlite => {
            "DROP TRIGGER events_no_personal_data_after_erasure; DROP TRIGGER events_hold;"
        }
        Backend::Postgres => {
            "DROP TRIGGER events_after_erasure ON events; \
             DROP FUNCTION receiver_event_after_erasure(); \
             DROP TRIGGER events_hold ON events; DROP FUNCTION receiver_event_hold();"
        }
    };
    let sql = format!("{sql} {triggers}");
    assert_eq!(run_sql_on(&db, backend, &sql).await, None);

    // Migration 4 fills it from the records: sent and corrected values, not the erased.
    let server = Server::start_on(&db, &env);
    server.wait_for_log("(schema 7)");
    assert_eq!(found(&server, "phone=0902666984").await, [own.as_str()]);
    assert_eq!(
        found(&server, &format!("email={}", enc(EMAIL))).await,
        [corrected_to.as_str(), own.as_str()]
    );
    assert_eq!(lookup_rows(&server, backend, &erased).await, 0);
    // And keeps it up to date from then on.
    let new = sent(&server, &v, PHONE, "moi@vidu.vn").await;
    assert_eq!(
        found(&server, "phone=0902666984").await,
        [new.as_str(), own.as_str()]
    );
}
