//! Erasure on request (`POST /owner/records/{id}/erase`): the person's data goes — the
//! signed body, the values of corrections, the notes — and the proof stays: id, body
//! SHA-256, form, times, each consent's state and text hash, and an `erased` event.
//! The database allows exactly this change and still refuses every other. The real
//! binary on 127.0.0.1, on SQLite and on PostgreSQL like the other end-to-end tests.

#[macro_use]
mod common;

use common::*;
use consent_form::payload::Payload;
use consent_form::signing::{self, MessageId};

on_both!(
    an_erasure_removes_personal_data_and_keeps_the_proof,
    an_erased_record_stays_erased,
    erasure_is_the_only_change_the_database_allows,
);

/// Every personal value the tests' submissions and corrections carry.
const PERSONAL: [&str; 6] = [
    "Nguyễn Văn An",
    "+84902666984",
    "an.nguyen@vidu.vn",
    "Tư vấn gói website",
    "moi.email@vidu.vn",
    "Hỏi qua Zalo của An",
];

fn assert_no_personal_data(what: &str, text: &str) {
    for value in PERSONAL {
        assert!(!text.contains(value), "{value} still in {what}: {text}");
    }
}

/// A stored submission with marketing granted, corrected (a new e-mail, with a note
/// naming the person) and withdrawn from by the visitor: what `id`'s record holds.
async fn a_full_record(server: &Server, v: &Visitor) -> (MessageId, Payload) {
    let id = new_id();
    let p = valid_payload(&id);
    assert_eq!(v.post(server, id.as_str(), &p.to_body()).await.status, 200);
    let a = owner_event(
        server,
        id.as_str(),
        serde_json::json!({"type": "corrected", "fields": {"email": "moi.email@vidu.vn"},
                           "by": "principal", "note": "Hỏi qua Zalo của An"}),
    )
    .await;
    assert_eq!(a.status, 201, "{}", a.text());
    let a = v.withdraw(server, &withdrawal(&id, "marketing")).await;
    assert_eq!(a.status, 200, "{}", a.text());
    (id, p)
}

async fn an_erasure_removes_personal_data_and_keeps_the_proof(backend: Backend) {
    let server = Server::start(backend, &[]).await;
    let v = Visitor::new(&server).await;
    let (id, p) = a_full_record(&server, &v).await;
    let other = stored_submission(&server, &v).await;
    let before = owner_get(&server, &format!("/owner/records/{}", id.as_str()))
        .await
        .json();

    // No token, an unknown id, a body of the wrong shape: refused, nothing erased.
    let url = server.url(&format!("/owner/records/{}/erase", id.as_str()));
    let a = send("POST", &url, &[], b"{}".to_vec()).await;
    a.assert_refused(401, "unauthorized");
    erase(&server, new_id().as_str(), "principal", "email")
        .await
        .assert_refused(404, "not_found");
    for bad in [
        serde_json::json!({"by": "someone", "reason": "email"}),
        serde_json::json!({"by": "principal", "reason": "  "}),
        serde_json::json!({"by": "principal", "reason": "x".repeat(2001)}),
        serde_json::json!({"by": "principal"}),
        serde_json::json!({"by": "principal", "reason": "email", "extra": 1}),
    ] {
        let a = erase_with(&server, id.as_str(), bad.clone()).await;
        assert_eq!(a.status, 422, "{bad}: {}", a.text());
        assert!(
            matches!(a.code().as_str(), "bad_erasure" | "bad_json"),
            "{}",
            a.text()
        );
    }
    let mut h = owner();
    h.push(("content-type".into(), "text/plain".into()));
    send("POST", &url, &h, b"{}".to_vec())
        .await
        .assert_refused(415, "not_json");
    assert_eq!(
        owner_get(&server, &format!("/owner/records/{}", id.as_str()))
            .await
            .json(),
        before,
        "nothing erased by a refusal"
    );

    // Erased: the answer says when, by whom and why.
    let first = erase(
        &server,
        id.as_str(),
        "principal",
        "thư ngày 24/11 yêu cầu xóa",
    )
    .await;
    assert_eq!(first.status, 200, "{}", first.text());
    let j = first.json();
    assert_eq!(j["ok"], true);
    assert_eq!(j["id"], id.as_str());
    assert_eq!(j["by"], "principal");
    assert_eq!(j["reason"], "thư ngày 24/11 yêu cầu xóa");
    let erased_at = j["erased_at"].as_str().unwrap().to_owned();
    // Twice: the same answer, byte for byte, and nothing more recorded.
    let again = erase(&server, id.as_str(), "controller", "another reason").await;
    assert_eq!(
        (again.status, again.body.clone()),
        (200, first.body.clone())
    );

    // The record: no personal data, the proof kept.
    let one = owner_get(&server, &format!("/owner/records/{}", id.as_str())).await;
    assert_eq!(one.status, 200);
    assert_no_personal_data("the record", &one.text());
    let r = one.json();
    for key in [
        "id",
        "seq",
        "received_at",
        "form",
        "submitted_at",
        "locale",
        "body_sha256",
        "signature_timestamp",
    ] {
        assert_eq!(r[key], before[key], "{key} kept");
    }
    assert_eq!(
        r["body_sha256"],
        signing::sha256_hex(std::str::from_utf8(&p.to_body()).unwrap())
    );
    assert_eq!(r["erased"]["at"], erased_at.as_str());
    assert_eq!(r["erased"]["by"], "principal");
    assert_eq!(r["erased"]["reason"], "thư ngày 24/11 yêu cầu xóa");
    assert!(r["fields"].as_object().unwrap().is_empty(), "{r}");
    assert!(r["payload"].is_null() && r["body"].is_null(), "{r}");
    assert_eq!(r["consent_state"]["consultation"], "active");
    assert_eq!(r["consent_state"]["marketing"], "withdrawn");
    // Per purpose: granted or not when sent, and the exact text's SHA-256.
    let kept = r["erased"]["consents"].as_array().unwrap();
    assert_eq!(kept.len(), p.consents.len());
    for (k, c) in kept.iter().zip(&p.consents) {
        assert_eq!(k["purpose"], c.purpose.id());
        assert_eq!(k["granted"], c.granted);
        assert_eq!(k["text_sha256"], c.text_sha256.as_str());
    }
    // Which fields were sent, not their values.
    let names: Vec<&str> = r["erased"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f.as_str())
        .collect();
    assert_eq!(names, ["email", "name", "need", "phone"]);
    // The events: the correction without its values or note, the withdrawal as it
    // was (when, by whom, to which words), then the erasure.
    let events = r["events"].as_array().unwrap();
    assert_eq!(events.len(), 3, "{r}");
    assert_eq!(events[0]["kind"], "corrected");
    assert_eq!(events[0]["detail"]["redacted"], true);
    assert_eq!(events[0]["detail"]["fields"], serde_json::json!(["email"]));
    assert_eq!(events[0]["at"], before["events"][0]["at"]);
    assert_eq!(events[1], before["events"][1], "the withdrawal is kept");
    assert_eq!(events[2]["kind"], "erased");
    assert_eq!(events[2]["by"], "principal");
    assert_eq!(events[2]["at"], erased_at.as_str());
    assert_eq!(events[2]["detail"]["reason"], "thư ngày 24/11 yêu cầu xóa");

    // The list, both exports and the receipt say the same, with nothing personal.
    // (The other record, not erased, holds the same values.)
    let list = owner_get(&server, "/owner/records").await;
    let listed = list.json()["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == id.as_str())
        .cloned()
        .unwrap();
    assert_no_personal_data("the list", &listed.to_string());
    assert_eq!(listed["erased"]["at"], erased_at.as_str());
    let jsonl = owner_get(&server, "/owner/export?format=jsonl")
        .await
        .text();
    let line = jsonl.lines().find(|l| l.contains(id.as_str())).unwrap();
    assert_no_personal_data("the JSON-lines export", line);
    let records = exported(&server).await;
    assert_eq!(records[0]["erased"]["at"], erased_at.as_str());
    assert_eq!(records[0]["consent_state"], r["consent_state"]);
    assert!(records[1].get("erased").is_none(), "{}", records[1]);
    assert_eq!(records[1]["id"], other.as_str());
    assert_eq!(
        records[1]["fields"]["email"], "an.nguyen@vidu.vn",
        "others kept"
    );

    let csv = owner_get(&server, "/owner/export?format=csv").await.text();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|c| *c == name).unwrap();
    let row: Vec<&str> = lines
        .clone()
        .find(|l| l.contains(id.as_str()))
        .unwrap()
        .split(',')
        .collect();
    assert_no_personal_data("the CSV row", &row.join(","));
    assert_eq!(row[col("erased_at")], erased_at.as_str());
    assert_eq!(row[col("body_sha256")], r["body_sha256"].as_str().unwrap());
    assert_eq!(row[col("consultation")], "active");
    assert_eq!(row[col("marketing")], "withdrawn");
    assert!(row[col("withdrawals")].starts_with("marketing="), "{csv}");
    let other_row: Vec<&str> = lines
        .find(|l| l.contains(other.as_str()))
        .unwrap()
        .split(',')
        .collect();
    assert_eq!(other_row[col("erased_at")], "");
    assert_eq!(other_row[col("email")], "an.nguyen@vidu.vn");

    let receipt = owner_get(&server, &format!("/owner/records/{}/receipt", id.as_str())).await;
    assert_eq!(receipt.status, 200, "{}", receipt.text());
    let page = receipt.text();
    assert_no_personal_data("the receipt", &page);
    for needle in [
        "Erased on request",
        erased_at.as_str(),
        "thư ngày 24/11 yêu cầu xóa",
        r["body_sha256"].as_str().unwrap(),
        p.consents[0].text_sha256.as_str(),
        "Withdrawn",
    ] {
        assert!(page.contains(needle), "{needle} in {page}");
    }

    // On disk too (SQLite: its file and write-ahead log; PostgreSQL keeps old row
    // versions until `VACUUM (FULL)`, which docs/receiver.md tells the owner to run).
    if backend == Backend::Postgres {
        let (client, conn) = tokio_postgres::connect(&server.database, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        let dir: String = client
            .query_one(
                "SELECT current_setting('data_directory') || '/base/' || oid::text
                 FROM pg_database WHERE datname = current_database()",
                &[],
            )
            .await
            .unwrap()
            .get(0);
        // The tables' files as they are on disk once written out.
        let files = || async {
            client.batch_execute("CHECKPOINT").await.unwrap();
            let mut bytes = Vec::new();
            for entry in std::fs::read_dir(&dir).unwrap() {
                bytes.extend(std::fs::read(entry.unwrap().path()).unwrap_or_default());
            }
            String::from_utf8_lossy(&bytes).into_owned()
        };
        // Only the erased record's correction and search key held these.
        let erased_values = ["moi.email@vidu.vn", "Hỏi qua Zalo của An"];
        let before = files().await;
        assert!(
            before.contains(other.as_str()),
            "the files are the database"
        );
        assert!(
            erased_values.iter().any(|v| before.contains(v)),
            "before VACUUM the old row versions are still on disk (as documented)"
        );
        client
            .batch_execute("VACUUM (FULL) submissions, events, lookup")
            .await
            .unwrap();
        let after = files().await;
        assert!(after.contains(other.as_str()), "the files are the database");
        for value in erased_values {
            assert!(
                !after.contains(value),
                "{value} on disk after VACUUM (FULL)"
            );
        }
    }
    if backend == Backend::Sqlite {
        let path = server.database.strip_prefix("sqlite:").unwrap().to_owned();
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.extend(std::fs::read(format!("{path}-wal")).unwrap_or_default());
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains(other.as_str()), "the file is the database");
        for value in ["an.nguyen@vidu.vn", "moi.email@vidu.vn"] {
            let count = text.matches(value).count();
            // The other, not erased, submission holds the first one three times: in
            // its body, and as its search key in the `lookup` table and in that
            // table's index by submission.
            let expected = if value == "an.nguyen@vidu.vn" { 3 } else { 0 };
            assert!(
                count <= expected,
                "{value} in the database file {count} times"
            );
        }
        assert!(!text.contains("Hỏi qua Zalo của An"));
    }
}

async fn an_erased_record_stays_erased(backend: Backend) {
    let server = Server::start(backend, &[]).await;
    let v = Visitor::new(&server).await;
    let id = new_id();
    let body = valid_payload(&id).to_body();
    let first = v.post(&server, id.as_str(), &body).await;
    assert_eq!(first.status, 200, "{}", first.text());
    let erased = erase(&server, id.as_str(), "controller", "ticket 42").await;
    assert_eq!(erased.status, 200, "{}", erased.text());

    // The form retries with the same bytes: answered as the first time, not stored.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let retry = v.post(&server, id.as_str(), &body).await;
    assert_eq!(
        (retry.status, retry.body.clone()),
        (200, first.body.clone())
    );
    // Another body under the erased id is no retry.
    let mut changed = valid_payload(&id);
    changed.fields.insert(
        consent_form::fields::FieldName::Name,
        "Người Khác".to_owned(),
    );
    v.post(&server, id.as_str(), &changed.to_body())
        .await
        .assert_refused(409, "id_reused");
    let records = exported(&server).await;
    assert_eq!(records.len(), 1);
    assert!(records[0]["body"].is_null(), "{}", records[0]);
    assert!(records[0]["fields"].as_object().unwrap().is_empty());
    assert_no_personal_data("the export", &records[0].to_string());

    // A correction has nothing left to correct.
    owner_event(
        &server,
        id.as_str(),
        serde_json::json!({"type": "corrected", "fields": {"email": "moi.email@vidu.vn"}, "by": "principal"}),
    )
    .await
    .assert_refused(409, "erased");
    // A withdrawal is still recorded (it holds nothing personal): the visitor's from
    // the receipt, of a consent active when the data was erased; a refused one, or one
    // withdrawn already, is refused as before.
    let w = withdrawal(&id, "marketing");
    let a = v.withdraw(&server, &w).await;
    assert_eq!(a.status, 200, "{}", a.text());
    v.withdraw(&server, &withdrawal(&id, "marketing"))
        .await
        .assert_refused(409, "not_active");
    v.withdraw(&server, &withdrawal(&id, "call_recording"))
        .await
        .assert_refused(409, "not_active");
    // A note is free text that may name the person: refused on an erased record,
    // nothing recorded; the same withdrawal without it is.
    owner_event(
        &server,
        id.as_str(),
        serde_json::json!({"type": "withdrawn", "purpose": "consultation", "by": "controller",
                           "note": "Hỏi qua Zalo của An"}),
    )
    .await
    .assert_refused(409, "erased");
    let a = owner_event(
        &server,
        id.as_str(),
        serde_json::json!({"type": "withdrawn", "purpose": "consultation", "by": "controller"}),
    )
    .await;
    assert_eq!(a.status, 201, "{}", a.text());
    let r = owner_get(&server, &format!("/owner/records/{}", id.as_str()))
        .await
        .json();
    assert_eq!(r["consent_state"]["marketing"], "withdrawn");
    assert_eq!(r["consent_state"]["consultation"], "withdrawn");
    assert_eq!(r["erased"]["by"], "controller");
    assert!(r["fields"].as_object().unwrap().is_empty());
    let kinds: Vec<&str> = r["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["erased", "withdrawn", "withdrawn"]);
    assert_no_personal_data("the erased record", &r.to_string());
    // Erasing again still answers as the first time.
    let again = erase(&server, id.as_str(), "controller", "ticket 42").await;
    assert_eq!(
        (again.status, again.body.clone()),
        (200, erased.body.clone())
    );

    // Survives a restart (what is kept is stored, not computed from memory).
    let db = server.database.clone();
    drop(server);
    let server = Server::start_on(&db, &[]);
    let after = owner_get(&server, &format!("/owner/records/{}", id.as_str()))
        .await
        .json();
    assert_eq!(after, r);
}

async fn erasure_is_the_only_change_the_database_allows(backend: Backend) {
    let server = Server::start(backend, &[]).await;
    let v = Visitor::new(&server).await;
    let (erased, _) = a_full_record(&server, &v).await;
    let (kept, _) = a_full_record(&server, &v).await;
    let a = erase(&server, erased.as_str(), "principal", "email").await;
    assert_eq!(a.status, 200, "{}", a.text());
    let before = exported(&server).await;
    let (e, k) = (erased.as_str(), kept.as_str());

    let mut statements = vec![
        // A record not erased: no emptying its body, even with the marker, without
        // an erasure event; no redacting its events.
        format!(
            "UPDATE submissions SET body = '', erased_at = '2026-01-01T00:00:00Z', \
             proof = '{{}}' WHERE id = '{k}'"
        ),
        format!("UPDATE events SET detail = '{{\"redacted\":true}}' WHERE submission_id = '{k}'"),
        format!("UPDATE submissions SET form = 'callback' WHERE id = '{k}'"),
        format!("DELETE FROM submissions WHERE id = '{k}'"),
        // The erased record: erased once, and nothing else changes.
        format!("UPDATE submissions SET body = 'x' WHERE id = '{e}'"),
        format!("UPDATE submissions SET erased_at = NULL WHERE id = '{e}'"),
        format!(
            "UPDATE submissions SET erased_at = '2026-01-01T00:00:00Z', proof = '{{}}' \
             WHERE id = '{e}'"
        ),
        format!("UPDATE submissions SET body_sha256 = 'x' WHERE id = '{e}'"),
        format!("UPDATE submissions SET received_at = 'x' WHERE id = '{e}'"),
        format!("DELETE FROM submissions WHERE id = '{e}'"),
        format!(
            "UPDATE events SET detail = '{{\"redacted\":true,\"fields\":[]}}' \
             WHERE submission_id = '{e}'"
        ),
        format!("UPDATE events SET detail = '{{\"redacted\":true}}' WHERE kind = 'erased'"),
        format!("UPDATE events SET at = 'x' WHERE submission_id = '{e}'"),
        format!("UPDATE events SET kind = 'corrected' WHERE kind = 'erased'"),
        format!("DELETE FROM events WHERE submission_id = '{e}'"),
        "DELETE FROM events".to_owned(),
        "DELETE FROM submissions".to_owned(),
    ];
    if backend == Backend::Postgres {
        statements.push("TRUNCATE events".to_owned());
        statements.push("TRUNCATE submissions CASCADE".to_owned());
    }
    for sql in &statements {
        assert_sql_refused(&server, backend, sql, "append-only").await;
    }
    // No new personal data on the erased record either: an event with a note or
    // corrected values, written past the receiver.
    for detail in [
        r#"{"note":"Zalo của An"}"#,
        r#"{"fields":{"email":"x@vidu.vn"}}"#,
    ] {
        let sql = format!(
            "INSERT INTO events (submission_id, kind, purpose, at, recorded_at, actor, detail) \
             VALUES ('{e}', 'corrected', NULL, '2030-01-01T00:00:00Z', \
             '2030-01-01T00:00:00Z', 'principal', '{detail}')"
        );
        assert_sql_refused(&server, backend, &sql, "erased record").await;
    }
    assert_eq!(exported(&server).await, before, "nothing changed");
}
