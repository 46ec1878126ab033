//! Tamper evidence across records: the hash chain over every submission and event,
//! each linked as it is stored. `GET /owner/chain` gives the head; `receiver
//! verify-chain` recomputes the chain from the database and names the first link that
//! does not match, rows without a link, and erasures without their event (or the
//! reverse) — a row changed, removed, written past the receiver with its triggers
//! dropped, as an attacker with the database could. An erasure on request keeps it
//! whole. The real binary on 127.0.0.1, on SQLite and on PostgreSQL.

#[macro_use]
mod common;

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::routing::post;
use axum::Router;
use common::*;
use consent_form::signing::sha256_hex;

on_both!(
    the_chain_names_the_first_row_changed_or_removed,
    migration_6_links_the_rows_stored_before,
    a_row_written_past_the_receiver_is_not_chained,
    the_head_follows_the_documented_recipe,
    a_row_linked_past_the_receiver_fails_the_chain_key,
    links_keyed_from_when_the_key_is_set,
    the_head_is_copied_to_the_witness,
);

async fn head(server: &Server) -> serde_json::Value {
    let a = owner_get(server, "/owner/chain").await;
    assert_eq!(a.status, 200, "{}", a.text());
    a.json()
}

/// `receiver verify-chain` on `db`: its exit code and report.
fn verify(db: &str) -> (Option<i32>, String) {
    verify_with(db, &[])
}

/// `receiver verify-chain` with `args` on `db`: its exit code and report.
fn verify_with(db: &str, args: &[&str]) -> (Option<i32>, String) {
    verify_keyed(db, args, None)
}

/// `receiver verify-chain` with `args` on `db`, with `RECEIVER_CHAIN_KEY` = `key`.
fn verify_keyed(db: &str, args: &[&str], key: Option<&str>) -> (Option<i32>, String) {
    let mut all = vec!["verify-chain"];
    all.extend_from_slice(args);
    let mut env = vec![("DATABASE_URL", db)];
    env.extend(key.map(|k| ("RECEIVER_CHAIN_KEY", k)));
    let (code, out, err) = run_to_exit(&all, &env);
    assert!(
        err.is_empty() || code == Some(0) || code == Some(1),
        "{err}"
    );
    (code, out)
}

async fn seq_of(server: &Server, id: &str) -> i64 {
    owner_get(server, &format!("/owner/records/{id}"))
        .await
        .json()["seq"]
        .as_i64()
        .unwrap()
}

/// Runs `sql` past the receiver, asserting it is not refused.
async fn tamper(server: &Server, backend: Backend, sql: &str) {
    if let Some(refused) = run_sql(server, backend, sql).await {
        panic!("{sql}: {refused}");
    }
}

async fn the_chain_names_the_first_row_changed_or_removed(backend: Backend) {
    let server = Server::start(backend, &[]).await;
    let db = server.database.clone();
    let v = Visitor::new(&server).await;
    let a = stored_submission(&server, &v).await;
    let b = stored_submission(&server, &v).await;
    let c = stored_submission(&server, &v).await;
    let r = owner_event(
        &server,
        a.as_str(),
        serde_json::json!({"type": "corrected", "fields": {"email": "moi@vidu.vn"},
                           "by": "principal", "note": "Zalo của An"}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let w = v.withdraw(&server, &withdrawal(&b, "marketing")).await;
    assert_eq!(w.status, 200, "{}", w.text());

    // Each row is chained as it is stored: verified before anyone asks for the head.
    let (code, linked) = verify(&db);
    assert_eq!(code, Some(0), "{linked}");
    assert!(
        linked.starts_with("chain verified: 5 links, head "),
        "{linked}"
    );

    // Not without the token. With it: three submissions, then the two events.
    send("GET", &server.url("/owner/chain"), &[], vec![])
        .await
        .assert_refused(401, "unauthorized");
    let h = head(&server).await;
    assert_eq!(h["count"], 5, "{h}");
    let hash = h["hash"].as_str().unwrap().to_owned();
    assert_eq!(linked, format!("chain verified: 5 links, head {hash}\n"));
    assert_eq!(hash.len(), 64);
    assert!(hash.bytes().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(h["last"]["row_kind"], "event", "{h}");
    assert!(h["at"].is_string());
    // Asked again with nothing new: the same head.
    assert_eq!(head(&server).await["hash"], hash.as_str());
    let (code, out) = verify(&db);
    assert_eq!(code, Some(0), "{out}");
    assert_eq!(out, format!("chain verified: 5 links, head {hash}\n"));

    // An erasure empties a body and redacts a note: the chain still verifies, and the
    // erasure's own event is linked after, as it is stored.
    let a_body = owner_get(&server, &format!("/owner/records/{}", a.as_str()))
        .await
        .json()["body"]
        .as_str()
        .unwrap()
        .to_owned();
    let e = erase(&server, a.as_str(), "principal", "t").await;
    assert_eq!(e.status, 200, "{}", e.text());
    let copied = hash;
    let h = head(&server).await;
    assert_eq!(h["count"], 6);
    let hash = h["hash"].as_str().unwrap().to_owned();
    let (code, out) = verify(&db);
    assert_eq!(
        (code, out),
        (Some(0), format!("chain verified: 6 links, head {hash}\n"))
    );
    // The head copied before is still a link of the chain; one never given is not.
    let (code, out) = verify_with(&db, &["--copied", &copied]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains(&format!(
            "the copied head {copied} is link 5 of the verified chain"
        )),
        "{out}"
    );
    let (code, out) = verify_with(&db, &["--copied", &"0".repeat(64)]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("NOT FOUND"), "{out}");
    let (code, _, err) = run_to_exit(
        &["verify-chain", "--copied", "abc"],
        &[("DATABASE_URL", &db)],
    );
    assert_eq!(code, Some(2));
    assert!(err.contains("--copied"), "{err}");

    // Past the receiver, triggers dropped: a submission changed is named, at its link
    // (a, b, c were linked 1, 2, 3); put back, the chain verifies again.
    let (drop_submission_triggers, drop_event_triggers) = match backend {
        Backend::Sqlite => (
            "DROP TRIGGER submissions_no_update; DROP TRIGGER submissions_no_delete;",
            "DROP TRIGGER events_no_update;",
        ),
        Backend::Postgres => (
            "DROP TRIGGER submissions_append_only ON submissions;",
            "DROP TRIGGER events_append_only ON events;",
        ),
    };
    tamper(&server, backend, drop_submission_triggers).await;
    tamper(&server, backend, drop_event_triggers).await;

    // An erased record's data put back (a backup from before the erasure restored):
    // its body matches its link, but the erasure's event says it is gone (and its
    // redacted note is no longer excused).
    let restore = format!(
        "UPDATE submissions SET body = '{}', erased_at = NULL, proof = NULL WHERE id = '{}'",
        a_body.replace('\'', "''"),
        a.as_str()
    );
    tamper(&server, backend, &restore).await;
    let (code, out) = verify(&db);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains(&format!(
            "ERASURE MISMATCH: submission {} has an `erased` event at ",
            a.as_str()
        )) && out.contains("but its data is there"),
        "{out}"
    );
    // Asked to erase it again, the receiver does, as of the first erasure.
    let first = e.json();
    let again = erase(&server, a.as_str(), "controller", "restored").await;
    assert_eq!(again.status, 200, "{}", again.text());
    assert_eq!(again.json()["erased_at"], first["erased_at"]);
    let record = owner_get(&server, &format!("/owner/records/{}", a.as_str())).await;
    assert!(record.json()["body"].is_null(), "{}", record.text());
    assert_eq!(
        verify(&db),
        (Some(0), format!("chain verified: 6 links, head {hash}\n"))
    );

    // A record emptied past the receiver, as if erased: no `erased` event says so.
    let c_body = owner_get(&server, &format!("/owner/records/{}", c.as_str()))
        .await
        .json()["body"]
        .as_str()
        .unwrap()
        .to_owned();
    let emptied = format!(
        "UPDATE submissions SET body = '', erased_at = '2026-11-25T08:00:00.000Z' WHERE id = '{}'",
        c.as_str()
    );
    tamper(&server, backend, &emptied).await;
    let (code, out) = verify(&db);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains(&format!(
            "ERASURE MISMATCH: submission {} is marked erased at 2026-11-25T08:00:00.000Z but \
             has no `erased` event",
            c.as_str()
        )),
        "{out}"
    );
    let put_back = format!(
        "UPDATE submissions SET body = '{}', erased_at = NULL WHERE id = '{}'",
        c_body.replace('\'', "''"),
        c.as_str()
    );
    tamper(&server, backend, &put_back).await;
    assert_eq!(verify(&db).0, Some(0));
    let b_seq = seq_of(&server, b.as_str()).await;
    let sent = owner_get(&server, &format!("/owner/records/{}", b.as_str()))
        .await
        .json()["submitted_at"]
        .as_str()
        .unwrap()
        .to_owned();
    let set_sent = |value: &str| {
        format!("UPDATE submissions SET submitted_at = '{value}' WHERE seq = {b_seq}")
    };
    tamper(&server, backend, &set_sent("2020-01-01T00:00:00.000+07:00")).await;
    let (code, out) = verify_with(&db, &["--copied", &copied]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.starts_with(&format!(
            "MISMATCH at link 2 (submission seq {b_seq}): the row changed since it was \
             linked\n1 links before it verified"
        )) && out.contains("NOT FOUND"),
        "{out}"
    );
    tamper(&server, backend, &set_sent(&sent)).await;
    assert_eq!(verify(&db).0, Some(0));

    // The body changed, its hash left as it was.
    let c_seq = seq_of(&server, c.as_str()).await;
    let swap = |from: &str, to: &str| {
        format!("UPDATE submissions SET body = replace(body, '{from}', '{to}') WHERE seq = {c_seq}")
    };
    tamper(&server, backend, &swap("Nguyễn Văn An", "Trần Thị Bình")).await;
    let (code, out) = verify(&db);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.starts_with(&format!(
            "MISMATCH at link 3 (submission seq {c_seq}): submission {}'s body does not \
             match its body_sha256",
            c.as_str()
        )),
        "{out}"
    );
    tamper(&server, backend, &swap("Trần Thị Bình", "Nguyễn Văn An")).await;
    assert_eq!(verify(&db).0, Some(0));

    // A withdrawal's detail changed: named at its event's link (after the correction).
    let w_seq = owner_get(&server, &format!("/owner/records/{}", b.as_str()))
        .await
        .json()["events"][0]["seq"]
        .as_i64()
        .unwrap();
    tamper(
        &server,
        backend,
        &format!("UPDATE events SET detail = '{{\"redacted\":true}}' WHERE seq = {w_seq}"),
    )
    .await;
    let (code, out) = verify(&db);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.starts_with(&format!(
            "MISMATCH at link 5 (event seq {w_seq}): the event's detail changed"
        )),
        "{out}"
    );

    // A submission removed (its search keys first): named at its link.
    tamper(
        &server,
        backend,
        &format!(
            "DELETE FROM lookup WHERE submission_id = '{0}'; \
             DELETE FROM submissions WHERE id = '{0}'",
            c.as_str()
        ),
    )
    .await;
    let (code, out) = verify(&db);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.starts_with(&format!(
            "MISMATCH at link 3 (submission seq {c_seq}): the row is gone (deleted)\n\
             2 links before it verified, up to hash "
        )),
        "{out}"
    );
}

/// A withdrawal forged by hand (an INSERT, which the triggers allow) has no link; asking
/// for the head does not link it, and verify-chain says so.
async fn a_row_written_past_the_receiver_is_not_chained(backend: Backend) {
    let server = Server::start(backend, &[]).await;
    let db = server.database.clone();
    let v = Visitor::new(&server).await;
    let a = stored_submission(&server, &v).await;
    let before = head(&server).await;
    assert_eq!(before["count"], 1, "{before}");
    let forged = format!(
        "INSERT INTO events (submission_id, kind, purpose, at, recorded_at, actor, detail)
         VALUES ('{}', 'withdrawn', 'marketing', '2026-11-25T08:00:00.000+07:00',
                 '2026-11-25T01:00:00.000Z', 'principal', '{{}}')",
        a.as_str()
    );
    tamper(&server, backend, &forged).await;
    let after = head(&server).await;
    assert_eq!(
        (&after["count"], &after["hash"]),
        (&before["count"], &before["hash"])
    );
    let (code, out) = verify(&db);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.starts_with(&format!(
            "chain verified: 1 links, head {}\nNOT CHAINED: 1 row without a link",
            before["hash"].as_str().unwrap()
        )),
        "{out}"
    );
    // A real withdrawal after it is chained; the forged row still is not.
    let w = v.withdraw(&server, &withdrawal(&a, "consultation")).await;
    assert_eq!(w.status, 200, "{}", w.text());
    assert_eq!(head(&server).await["count"], 2);
    let (code, out) = verify(&db);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("NOT CHAINED: 1 row without a link"), "{out}");
}

async fn migration_6_links_the_rows_stored_before(backend: Backend) {
    let db = fresh_database(backend).await;
    let server = Server::start_on(&db, &[]);
    let v = Visitor::new(&server).await;
    let a = stored_submission(&server, &v).await;
    stored_submission(&server, &v).await;
    let w = v.withdraw(&server, &withdrawal(&a, "marketing")).await;
    assert_eq!(w.status, 200, "{}", w.text());
    server.stop();
    // As a receiver of schema 5 left it: no chain.
    let sql = "DROP TABLE chain; DELETE FROM receiver_migrations WHERE version >= 6;";
    assert_eq!(run_sql_on(&db, backend, sql).await, None);
    let server = Server::start_on(&db, &[]);
    server.wait_for_log("(schema 7)");
    server.wait_for_log("chain: 3 links, head ");
    let (code, out) = verify(&db);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.starts_with("chain verified: 3 links, head "), "{out}");
    assert_eq!(head(&server).await["count"], 3);
}

/// The head recomputed from the JSON-lines export alone, as docs/receiver.md tells
/// anyone to: digests of the canonical JSON, `SHA-256(previous ‖ digest)` as hex text.
async fn the_head_follows_the_documented_recipe(backend: Backend) {
    let server = Server::start(backend, &[]).await;
    let v = Visitor::new(&server).await;
    let a = stored_submission(&server, &v).await;
    stored_submission(&server, &v).await;
    let r = owner_event(
        &server,
        a.as_str(),
        serde_json::json!({"type": "corrected", "fields": {"phone": "0902 666 985"},
                           "by": "principal", "note": "gọi lại 24/11"}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let w = v.withdraw(&server, &withdrawal(&a, "marketing")).await;
    assert_eq!(w.status, 200, "{}", w.text());
    let h = head(&server).await;

    // One pass links the submissions, then the events, each in storage order.
    let records = exported(&server).await;
    let mut previous = String::new();
    let mut count = 0;
    for r in &records {
        let canonical = serde_json::json!([
            "submission",
            r["seq"],
            r["id"],
            r["received_at"],
            r["form"],
            r["submitted_at"],
            r["locale"],
            r["body_sha256"],
            r["signature_timestamp"],
            r.get("captcha").map(|c| c.to_string())
        ]);
        let digest = sha256_hex(&canonical.to_string());
        previous = sha256_hex(&format!("{previous}{digest}"));
        count += 1;
    }
    let mut events: Vec<(serde_json::Value, &serde_json::Value)> = records
        .iter()
        .flat_map(|r| {
            r["events"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |e| (r["id"].clone(), e))
        })
        .collect();
    events.sort_by_key(|(_, e)| e["seq"].as_i64());
    assert_eq!(events.len(), 2);
    for (submission, e) in events {
        let canonical = serde_json::json!([
            "event",
            e["seq"],
            submission,
            e["kind"],
            e.get("purpose"),
            e["at"],
            e["recorded_at"],
            e["by"],
            sha256_hex(&e["detail"].to_string())
        ]);
        let digest = sha256_hex(&canonical.to_string());
        previous = sha256_hex(&format!("{previous}{digest}"));
        count += 1;
    }
    assert_eq!(h["count"], count);
    assert_eq!(h["hash"], previous.as_str(), "{h}");
}

const CHAIN_KEY: &str = "whsec_Y2hhaW4ga2V5IGZvciB0aGUgdGVzdHMsIDMyIGJ5dGVzIQ==";
const OTHER_KEY: &str = "whsec_YW5vdGhlciBjaGFpbiBrZXksIGFsc28gMzIgYnl0ZXMh";

/// The id `receiver` gives `key` in its start line ("new links keyed with key ID").
fn key_id(server: &Server) -> String {
    let needle = "new links keyed with key ";
    server.wait_for_log(needle);
    let log = server.log();
    let at = log.find(needle).unwrap() + needle.len();
    log[at..at + 8].to_owned()
}

/// A withdrawal forged by someone who can write to the database and knows the
/// documented recipe, linked by them after the chain's head as the receiver would;
/// its MAC, `mac` (SQL: a quoted text or NULL). Returns the forged event's link number.
async fn forge_linked(server: &Server, backend: Backend, id: &str, mac: &str) -> i64 {
    let (at, recorded_at) = ("2026-11-25T08:00:00.000+07:00", "2026-11-25T01:00:00.000Z");
    tamper(
        server,
        backend,
        &format!(
            "INSERT INTO events (submission_id, kind, purpose, at, recorded_at, actor, detail)
             VALUES ('{id}', 'withdrawn', 'consultation', '{at}', '{recorded_at}', 'principal', '{{}}')"
        ),
    )
    .await;
    let record = owner_get(server, &format!("/owner/records/{id}"))
        .await
        .json();
    let seq = record["events"].as_array().unwrap().last().unwrap()["seq"].clone();
    let digest = sha256_hex(
        &serde_json::json!([
            "event",
            seq,
            id,
            "withdrawn",
            "consultation",
            at,
            recorded_at,
            "principal",
            sha256_hex("{}")
        ])
        .to_string(),
    );
    let h = head(server).await;
    let hash = sha256_hex(&format!("{}{digest}", h["hash"].as_str().unwrap()));
    tamper(
        server,
        backend,
        &format!(
            "INSERT INTO chain (row_kind, row_seq, detail_sha256, digest, hash, linked_at, mac)
             VALUES ('event', {seq}, '{}', '{digest}', '{hash}', '{recorded_at}', {mac})",
            sha256_hex("{}")
        ),
    )
    .await;
    h["count"].as_i64().unwrap() + 1
}

/// With a chain key, each link carries a MAC. A withdrawal forged and linked by hand
/// with the documented recipe passes the hash chain, but not the key: with a made-up
/// MAC it passes without the key and fails with it (listed after a newer key too).
async fn a_row_linked_past_the_receiver_fails_the_chain_key(backend: Backend) {
    let server = Server::start(backend, &[("RECEIVER_CHAIN_KEY", CHAIN_KEY)]).await;
    let id = key_id(&server);
    let db = server.database.clone();
    let v = Visitor::new(&server).await;
    let a = stored_submission(&server, &v).await;
    let w = v.withdraw(&server, &withdrawal(&a, "marketing")).await;
    assert_eq!(w.status, 200, "{}", w.text());

    let (code, out) = verify_keyed(&db, &[], Some(CHAIN_KEY));
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains(&format!(
            "\nkeyed: a MAC on 2 links (key {id}), each made with the chain key\n"
        )),
        "{out}"
    );
    // Without the key the MACs are not checked, and it says so.
    let (code, out) = verify(&db);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("NOT CHECKED: give the chain key"), "{out}");
    // A key that is not the one: its id is not among those given.
    let (code, out) = verify_keyed(&db, &[], Some(OTHER_KEY));
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("KEY MISMATCH: link 1 (submission seq "),
        "{out}"
    );
    assert!(
        out.contains(&format!("is keyed with key {id}, which is not among")),
        "{out}"
    );

    // Forged with a MAC in the right shape: the hash chain verifies, the key does not.
    let mac = format!("'{id}:{}'", "ab".repeat(32));
    let n = forge_linked(&server, backend, a.as_str(), &mac).await;
    let (code, out) = verify(&db);
    assert_eq!(code, Some(0), "without the key a forged link passes: {out}");
    assert!(out.starts_with("chain verified: 3 links, head "), "{out}");
    // The new key first, the replaced one after it: both verify.
    let both = format!("{OTHER_KEY} {CHAIN_KEY}");
    let (code, out) = verify_keyed(&db, &[], Some(&both));
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains(&format!("KEY MISMATCH: link {n} (event seq "))
            && out.contains("its MAC does not match: linked past the receiver"),
        "{out}"
    );
    assert!(!out.contains("link 1 "), "{out}");
}

/// A database linked before the key was set: those links carry no MAC and verify; the
/// links after do. A link forged with no MAC after them fails even without the key.
async fn links_keyed_from_when_the_key_is_set(backend: Backend) {
    let db = fresh_database(backend).await;
    let server = Server::start_on(&db, &[]);
    server.wait_for_log("new links not keyed (set RECEIVER_CHAIN_KEY)");
    let v = Visitor::new(&server).await;
    stored_submission(&server, &v).await;
    server.stop();
    let server = Server::start_on(&db, &[("RECEIVER_CHAIN_KEY", CHAIN_KEY)]);
    let id = key_id(&server);
    let v = Visitor::new(&server).await;
    let b = stored_submission(&server, &v).await;
    let (code, out) = verify_keyed(&db, &[], Some(CHAIN_KEY));
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains(&format!(
            "keyed: a MAC on 1 link (key {id}), each made with the chain key\n\
             no MAC on the first 1 link: linked before the receiver had a chain key\n"
        )),
        "{out}"
    );
    let n = forge_linked(&server, backend, b.as_str(), "NULL").await;
    let (code, out) = verify(&db);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains(&format!("KEY MISMATCH: link {n} (event seq "))
            && out.contains("has no MAC, though the links before it have"),
        "{out}"
    );
}

/// A fake witness: keeps each JSON body posted to it and answers `status`.
struct Witness {
    posted: Mutex<Vec<serde_json::Value>>,
    status: AtomicU16,
}

async fn witness_hook(
    State(w): State<Arc<Witness>>,
    body: axum::body::Bytes,
) -> axum::http::StatusCode {
    let status = w.status.load(Ordering::SeqCst);
    if status == 204 {
        w.posted
            .lock()
            .unwrap()
            .push(serde_json::from_slice(&body).expect("the copy is JSON"));
    }
    axum::http::StatusCode::from_u16(status).unwrap()
}

/// Starts the fake witness; returns it and the URL of its hook, whose path is a secret
/// as a chat webhook's is.
async fn fake_witness() -> (Arc<Witness>, String) {
    let w = Arc::new(Witness {
        posted: Mutex::new(Vec::new()),
        status: AtomicU16::new(204),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = Router::new()
        .route("/hooks/s3cr3t-path", post(witness_hook))
        .with_state(Arc::clone(&w));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (w, format!("http://{addr}/hooks/s3cr3t-path"))
}

/// Waits up to 10 s for the fake witness to hold `n` copies.
async fn copies(w: &Witness, n: usize) -> Vec<serde_json::Value> {
    for _ in 0..100 {
        let posted = w.posted.lock().unwrap().clone();
        if posted.len() >= n {
            return posted;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the witness got {:?}", w.posted.lock().unwrap());
}

/// With `RECEIVER_CHAIN_WITNESS`, the head goes to the witness when it changes (not
/// again while it does not), is retried after a refusal, never shows the URL's secret
/// path in the log, and verify-chain finds each copy among its links.
async fn the_head_is_copied_to_the_witness(backend: Backend) {
    let (w, url) = fake_witness().await;
    let server = Server::start(
        backend,
        &[
            ("RECEIVER_CHAIN_WITNESS", url.as_str()),
            ("RECEIVER_CHAIN_WITNESS_EVERY", "1"),
        ],
    )
    .await;
    let db = server.database.clone();
    let v = Visitor::new(&server).await;
    stored_submission(&server, &v).await;
    let first = copies(&w, 1).await.remove(0);
    let h = head(&server).await;
    assert_eq!(
        (&first["chain"]["count"], &first["chain"]["hash"]),
        (&h["count"], &h["hash"])
    );
    let hash = h["hash"].as_str().unwrap().to_owned();
    assert!(
        first["text"]
            .as_str()
            .unwrap()
            .contains(&format!("chain head 1 links, {hash}")),
        "{first}"
    );
    // Nothing new: no second copy (three more looks).
    tokio::time::sleep(std::time::Duration::from_millis(3200)).await;
    assert_eq!(w.posted.lock().unwrap().len(), 1);
    server.wait_for_log(&format!(
        "chain head: 1 links, {hash} (copied to 127.0.0.1:"
    ));

    // Refused: logged, and tried again at the next look until taken.
    w.status.store(500, Ordering::SeqCst);
    stored_submission(&server, &v).await;
    server.wait_for_log("NOT copied to 127.0.0.1:");
    server.wait_for_log("answered HTTP 500; tried again at the next look");
    w.status.store(204, Ordering::SeqCst);
    let second = copies(&w, 2).await.remove(1);
    assert_eq!(second["chain"]["count"], 2, "{second}");
    assert!(!server.log().contains("s3cr3t"), "{}", server.log());

    for copy in [first, second] {
        let copied = copy["chain"]["hash"].as_str().unwrap().to_owned();
        let (code, out) = verify_with(&db, &["--copied", &copied]);
        assert_eq!(code, Some(0), "{out}");
        assert!(
            out.contains(&format!("the copied head {copied} is link ")),
            "{out}"
        );
    }
}
