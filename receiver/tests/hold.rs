//! A hold on a record (`POST /owner/records/{id}/hold` and `…/release`): while a
//! dispute, a complaint or a court's request needs the record, it is not erased —
//! neither on request (409 `held`) nor by the retention period — and every view says
//! so; the hold and its release are dated events the database keeps as it keeps the
//! others. The real binary on 127.0.0.1, on SQLite and on PostgreSQL.

#[macro_use]
mod common;

use common::*;
use consent_form::signing::MessageId;
use receiver::clock::{self, FixedClock};
use receiver::retention::{self, Period};
use receiver::store::Erasure;

on_both!(
    a_hold_keeps_a_record_from_erasure_until_released,
    the_retention_period_passes_a_held_record_by,
    the_database_refuses_what_a_hold_forbids,
);

const REASON: &str = "khiếu nại gửi Bộ Công an ngày 20/11 (hồ sơ #A-17)";
const DAY_MS: i64 = 86_400_000;

/// The owner posts `body` to `/owner/records/{id}/{action}` as `content_type`.
async fn post_raw(
    server: &Server,
    id: &str,
    action: &str,
    content_type: &str,
    body: &[u8],
) -> Answer {
    let mut headers = owner();
    headers.push(("content-type".into(), content_type.into()));
    let url = server.url(&format!("/owner/records/{id}/{action}"));
    send("POST", &url, &headers, body.to_vec()).await
}

/// The owner posts JSON `body` to `/owner/records/{id}/{action}`.
/// The reason the tests' erasures give.
const LETTER: &str = "thư ngày 24/11";

async fn post(server: &Server, id: &str, action: &str, body: serde_json::Value) -> Answer {
    let body = serde_json::to_vec(&body).unwrap();
    post_raw(server, id, action, "application/json", &body).await
}

async fn hold(server: &Server, id: &str, reason: &str) -> Answer {
    post(server, id, "hold", serde_json::json!({ "reason": reason })).await
}

async fn release(server: &Server, id: &str, reason: &str) -> Answer {
    post(
        server,
        id,
        "release",
        serde_json::json!({ "reason": reason }),
    )
    .await
}

async fn record(server: &Server, id: &str) -> serde_json::Value {
    let a = owner_get(server, &format!("/owner/records/{id}")).await;
    assert_eq!(a.status, 200, "{}", a.text());
    a.json()
}

async fn a_hold_keeps_a_record_from_erasure_until_released(backend: Backend) {
    let server = Server::start(backend, &[]).await;
    let v = Visitor::new(&server).await;
    let id = stored_submission(&server, &v).await;
    let other = stored_submission(&server, &v).await;
    let id = id.as_str();
    let before = record(&server, id).await;

    // Refusals, and nothing recorded by them.
    let url = server.url(&format!("/owner/records/{id}/hold"));
    send("POST", &url, &[], br#"{"reason":"x"}"#.to_vec())
        .await
        .assert_refused(401, "unauthorized");
    hold(&server, new_id().as_str(), REASON)
        .await
        .assert_refused(404, "not_found");
    release(&server, new_id().as_str(), REASON)
        .await
        .assert_refused(404, "not_found");
    let a = release(&server, id, "vụ việc đã xong").await;
    a.assert_refused(409, "not_held");
    assert!(a.json()["message"]
        .as_str()
        .unwrap()
        .contains("not on hold"));
    post_raw(&server, id, "hold", "application/json", b"{\"reason\":")
        .await
        .assert_refused(400, "bad_json");
    post_raw(&server, id, "hold", "text/plain", br#"{"reason":"x"}"#)
        .await
        .assert_refused(415, "not_json");
    for (body, code) in [
        (serde_json::json!({}), "bad_json"),
        (serde_json::json!({"reason": 7}), "bad_json"),
        (
            serde_json::json!({"reason": "x", "by": "controller"}),
            "bad_json",
        ),
        (serde_json::json!({"reason": "  "}), "bad_hold"),
        (serde_json::json!({"reason": "x".repeat(2001)}), "bad_hold"),
    ] {
        post(&server, id, "hold", body.clone())
            .await
            .assert_refused(422, code);
        post(&server, id, "release", body)
            .await
            .assert_refused(422, code);
    }
    assert_eq!(record(&server, id).await, before, "nothing recorded");

    // Held: a dated event by the controller, with the reason.
    let a = hold(&server, id, &format!("  {REASON} ")).await;
    assert_eq!(a.status, 201, "{}", a.text());
    let held = a.json();
    assert_eq!(held["kind"], "held");
    assert_eq!(held["by"], "controller");
    assert_eq!(held["detail"], serde_json::json!({ "reason": REASON }));
    let since = held["at"].as_str().unwrap().to_owned();
    assert_eq!(held["recorded_at"], since.as_str());
    server.wait_for_log(" held msg#");
    assert!(!server.log().contains(id), "no id in the log");

    let r = record(&server, id).await;
    assert_eq!(
        r["hold"],
        serde_json::json!({"since": since, "reason": REASON, "seq": held["seq"]})
    );
    assert_eq!(r["events"][0]["kind"], "held");
    assert_eq!(r["events"][0]["detail"]["reason"], REASON);
    assert_eq!(r["payload"], before["payload"], "the record as it was");

    // Held twice: 409 naming the hold.
    let a = hold(&server, id, "một khiếu nại khác").await;
    a.assert_refused(409, "held");
    assert!(
        a.text().contains(REASON) && a.text().contains(&since),
        "{}",
        a.text()
    );

    // An erasure on request is refused while held, naming the hold; nothing erased.
    let a = erase(&server, id, "principal", LETTER).await;
    a.assert_refused(409, "held");
    let message = a.json()["message"].as_str().unwrap().to_owned();
    assert!(
        message.contains(REASON) && message.contains(&since),
        "{message}"
    );
    assert!(message.contains("release"), "{message}");
    let r = record(&server, id).await;
    assert!(
        r.get("erased").is_none() && r["payload"] == before["payload"],
        "{r}"
    );
    assert_eq!(r["events"].as_array().unwrap().len(), 1);

    // Corrections and withdrawals are recorded as usual.
    let a = owner_event(
        &server,
        id,
        serde_json::json!({"type": "corrected", "fields": {"email": "moi@vidu.vn"}, "by": "principal"}),
    )
    .await;
    assert_eq!(a.status, 201, "{}", a.text());
    let a = v
        .withdraw(
            &server,
            &withdrawal(&MessageId::parse(id).unwrap(), "marketing"),
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.text());
    assert_eq!(record(&server, id).await["hold"]["reason"], REASON);

    // The list, the search, the exports and the receipt show it; the other record not.
    let list = owner_get(&server, "/owner/records").await.json();
    let listed = |id: &str| {
        list["records"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(listed(id)["hold"]["since"], since.as_str());
    assert!(listed(other.as_str()).get("hold").is_none());
    let found = owner_get(&server, "/owner/records?email=moi%40vidu.vn")
        .await
        .json();
    assert_eq!(found["records"][0]["hold"]["reason"], REASON, "{found}");
    let records = exported(&server).await;
    assert_eq!(records[0]["hold"]["reason"], REASON);
    assert!(records[1].get("hold").is_none());
    let csv = owner_get(&server, "/owner/export?format=csv").await.text();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|c| *c == name).unwrap();
    let rows: Vec<Vec<String>> = lines
        .map(|l| {
            // The reason has no comma nor quote: split as is.
            l.split(',').map(str::to_owned).collect()
        })
        .collect();
    assert_eq!(rows[0][col("held_since")], since);
    assert_eq!(rows[0][col("hold_reason")], REASON);
    assert_eq!(rows[1][col("held_since")], "");
    let receipt = owner_get(&server, &format!("/owner/records/{id}/receipt")).await;
    assert_eq!(receipt.status, 200);
    let page = receipt.text();
    for needle in [
        "On hold",
        REASON,
        since.as_str(),
        "not erased until released",
    ] {
        assert!(page.contains(needle), "{needle} in {page}");
    }

    // Released: a dated event too; the record no longer held, and can be erased.
    let a = release(&server, id, "cơ quan trả lời ngày 01/12, đóng hồ sơ").await;
    assert_eq!(a.status, 201, "{}", a.text());
    let released = a.json();
    assert_eq!(released["kind"], "released");
    assert_eq!(released["by"], "controller");
    assert_eq!(
        released["detail"]["reason"],
        "cơ quan trả lời ngày 01/12, đóng hồ sơ"
    );
    let r = record(&server, id).await;
    assert!(r.get("hold").is_none(), "{r}");
    let kinds: Vec<&str> = r["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["held", "corrected", "withdrawn", "released"]);
    release(&server, id, "lần nữa")
        .await
        .assert_refused(409, "not_held");
    let receipt = owner_get(&server, &format!("/owner/records/{id}/receipt")).await;
    assert!(!receipt.text().contains("On hold"));
    // Held again and released again: each hold is its own pair of events.
    assert_eq!(hold(&server, id, "tranh chấp #2").await.status, 201);
    assert_eq!(record(&server, id).await["hold"]["reason"], "tranh chấp #2");
    assert_eq!(release(&server, id, "xong #2").await.status, 201);

    let a = erase(&server, id, "principal", LETTER).await;
    assert_eq!(a.status, 200, "{}", a.text());
    // Erased, there is nothing left to hold (the proof is never erased).
    let a = hold(&server, id, REASON).await;
    a.assert_refused(409, "erased");
    release(&server, id, REASON)
        .await
        .assert_refused(409, "not_held");
    let r = record(&server, id).await;
    assert!(
        r.get("hold").is_none() && r["erased"]["reason"] == "thư ngày 24/11",
        "{r}"
    );
    // The hold's reasons stay with the proof: they are not the person's data.
    assert_eq!(r["events"][0]["detail"]["reason"], REASON);
}

async fn the_retention_period_passes_a_held_record_by(backend: Backend) {
    let db = fresh_database(backend).await;
    let server = Server::start_on(&db, &[]);
    let store = store_of(&db).await;
    let now = clock::now_millis();
    let (held, due) = (new_id(), new_id());
    store
        .insert(received_at(&held, now - 1000 * DAY_MS))
        .await
        .unwrap();
    store
        .insert(received_at(&due, now - 900 * DAY_MS))
        .await
        .unwrap();
    assert_eq!(hold(&server, held.as_str(), REASON).await.status, 201);
    server.stop();

    // The dry run lists both, the held one as held and not to be erased.
    let env = [
        ("DATABASE_URL", db.as_str()),
        ("RECEIVER_RETENTION", "24months"),
    ];
    let (code, out, err) = run_to_exit(&["retention"], &env);
    assert_eq!(code, Some(0), "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with(held.as_str()), "{out}");
    assert!(
        lines[0].contains("on hold since") && lines[0].contains(REASON),
        "{out}"
    );
    assert!(lines[0].ends_with("not erased"), "{out}");
    assert!(
        lines[1].starts_with(due.as_str()) && !lines[1].contains("hold"),
        "{out}"
    );
    assert!(
        lines[2].starts_with("1 record would be erased")
            && lines[2].contains("1 more on hold, kept until released")
            && lines[2].contains("nothing was erased"),
        "{out}"
    );

    // The running receiver erases the other at start and keeps the held one.
    let server = Server::start_on(&db, &[("RECEIVER_RETENTION", "24months")]);
    server.wait_for_log("retention: 1 erased, 0 failed, 1 on hold kept (24 months after receipt)");
    assert_eq!(
        record(&server, due.as_str()).await["erased"]["by"],
        "controller"
    );
    let r = record(&server, held.as_str()).await;
    assert!(r.get("erased").is_none() && !r["payload"].is_null(), "{r}");
    assert_eq!(r["hold"]["reason"], REASON);

    // The job, and an erasure straight through the store, leave it as it is.
    let clock = FixedClock::at(now);
    let swept = retention::sweep(&store, Period::Months(24), &clock)
        .await
        .unwrap();
    assert!(swept.erased.is_empty(), "{swept:?}");
    assert_eq!(swept.held.len(), 1, "{swept:?}");
    assert_eq!(swept.held[0].id, held.as_str());
    assert_eq!(swept.held[0].held.as_ref().unwrap().reason, REASON);
    let erased = receiver::erasure::erase_now(&store, held.as_str(), "controller", "x", now).await;
    assert!(matches!(erased, Ok(Erasure::Held(_))), "{erased:?}");
    assert!(record(&server, held.as_str()).await.get("erased").is_none());

    // Released, the next pass erases it.
    assert_eq!(
        release(&server, held.as_str(), "toà án trả hồ sơ")
            .await
            .status,
        201
    );
    let swept = retention::sweep(&store, Period::Months(24), &clock)
        .await
        .unwrap();
    assert_eq!(swept.erased.len(), 1, "{swept:?}");
    assert_eq!(swept.erased[0].id, held.as_str());
    assert!(swept.held.is_empty());
    let r = record(&server, held.as_str()).await;
    assert_eq!(r["erased"]["by"], "controller", "{r}");
    let kinds: Vec<&str> = r["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["held", "released", "erased"]);
}

async fn the_database_refuses_what_a_hold_forbids(backend: Backend) {
    let server = Server::start(backend, &[]).await;
    let v = Visitor::new(&server).await;
    let held = stored_submission(&server, &v).await;
    let free = stored_submission(&server, &v).await;
    let gone = stored_submission(&server, &v).await;
    assert_eq!(hold(&server, held.as_str(), REASON).await.status, 201);
    assert_eq!(
        erase(&server, gone.as_str(), "principal", LETTER)
            .await
            .status,
        200
    );
    let before = exported(&server).await;
    let (h, f, g) = (held.as_str(), free.as_str(), gone.as_str());
    let insert = |id: &str, kind: &str| {
        format!(
            "INSERT INTO events (submission_id, kind, purpose, at, recorded_at, actor, detail) \
             VALUES ('{id}', '{kind}', NULL, '2030-01-01T00:00:00Z', \
             '2030-01-01T00:00:00Z', 'controller', '{{\"reason\":\"x\"}}')"
        )
    };

    // Written past the receiver: no erasure of a held record, no second hold, no hold
    // on an erased one, no release of a record not held.
    for sql in [
        insert(h, "erased"),
        insert(h, "held"),
        insert(g, "held"),
        insert(f, "released"),
        insert(g, "released"),
    ] {
        assert_sql_refused(&server, backend, &sql, "held record").await;
    }
    // The hold itself is append-only like every event; the body of a held record is
    // not emptied either.
    for sql in [
        format!("UPDATE events SET detail = '{{\"reason\":\"x\"}}' WHERE submission_id = '{h}'"),
        format!("UPDATE events SET kind = 'released' WHERE submission_id = '{h}'"),
        format!("DELETE FROM events WHERE submission_id = '{h}'"),
        format!(
            "UPDATE submissions SET body = '', erased_at = '2030-01-01T00:00:00Z', \
             proof = '{{}}' WHERE id = '{h}'"
        ),
    ] {
        assert_sql_refused(&server, backend, &sql, "append-only").await;
    }
    assert_eq!(exported(&server).await, before, "nothing changed");
    // What the receiver does is what the database allows.
    assert_eq!(release(&server, h, "xong").await.status, 201);
    assert_eq!(erase(&server, h, "principal", LETTER).await.status, 200);
    assert_eq!(hold(&server, f, REASON).await.status, 201);
}
