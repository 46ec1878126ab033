//! The retention period (`RECEIVER_RETENTION`): a record received longer ago than the
//! period is erased by the receiver itself, as the controller, with the reason naming
//! the rule — by the running binary at start, by the job's timer (an injected clock),
//! and `receiver retention` lists what would be erased without erasing it. On SQLite
//! and on PostgreSQL; old records are written through the receiver's own store, since
//! nothing else can date a record in the past.

#[macro_use]
mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use consent_form::signing::MessageId;
use receiver::clock::{self, FixedClock};
use receiver::retention::{self, Period};

on_both!(
    expired_records_are_erased_by_the_controller,
    the_job_runs_again_on_its_timer,
);

const KEY_SECRET: &str = "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
const DAY_MS: i64 = 86_400_000;
const REASON: &str = "retention period: 24 months after receipt (RECEIVER_RETENTION)";

async fn record(server: &Server, id: &MessageId) -> serde_json::Value {
    let a = owner_get(server, &format!("/owner/records/{}", id.as_str())).await;
    assert_eq!(a.status, 200, "{}", a.text());
    a.json()
}

/// `receiver retention` on `db` with `args`; its exit code and output.
fn dry_run(db: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let mut all = vec!["retention"];
    all.extend_from_slice(args);
    run_to_exit(
        &all,
        &[("DATABASE_URL", db), ("RECEIVER_RETENTION", "24months")],
    )
}

async fn expired_records_are_erased_by_the_controller(backend: Backend) {
    let db = fresh_database(backend).await;
    let server = Server::start_on(&db, &[("RECEIVER_KEY_SECRET", KEY_SECRET)]);
    server.wait_for_log("retention: off");
    let store = store_of(&db).await;
    let now = clock::now_millis();
    // Received 1000 and 800 days ago, and one now; one old record already erased on
    // request; a correction with a note on the oldest.
    let oldest = new_id();
    let old = new_id();
    let erased = new_id();
    for (id, days) in [(&oldest, 1000), (&old, 800), (&erased, 1001)] {
        store
            .insert(received_at(id, now - days * DAY_MS))
            .await
            .unwrap();
    }
    let a = owner_event(
        &server,
        oldest.as_str(),
        serde_json::json!({"type": "corrected", "fields": {"email": "moi@vidu.vn"},
                           "by": "principal", "note": "Zalo của An"}),
    )
    .await;
    assert_eq!(a.status, 201, "{}", a.text());
    let h = [
        owner(),
        vec![("content-type".into(), "application/json".into())],
    ]
    .concat();
    let url = server.url(&format!("/owner/records/{}/erase", erased.as_str()));
    let a = send(
        "POST",
        &url,
        &h,
        br#"{"by":"principal","reason":"ticket 9"}"#.to_vec(),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.text());
    let v = Visitor::new(&server).await;
    let recent = stored_submission(&server, &v).await;

    // The dry run: at the day the oldest turns 24 months and a day, only it; now, both
    // old ones. Nothing is erased by it.
    let oldest_received = now - 1000 * DAY_MS;
    let at = clock::rfc3339(oldest_received + 732 * DAY_MS);
    let (code, out, err) = dry_run(&db, &["--at", &at]);
    assert_eq!(code, Some(0), "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].starts_with(oldest.as_str()), "{out}");
    assert!(
        lines[1].starts_with("1 record would be erased") && lines[1].contains("nothing was erased"),
        "{out}"
    );
    let (code, out, err) = dry_run(&db, &[]);
    assert_eq!(code, Some(0), "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with(oldest.as_str()), "{out}");
    assert!(lines[1].starts_with(old.as_str()), "{out}");
    assert!(lines[2].starts_with("2 records would be erased"), "{out}");
    assert!(record(&server, &oldest).await.get("erased").is_none());
    // Without a period, or with a wrong time: said, and exit 2.
    let (code, _, err) = run_to_exit(&["retention"], &[("DATABASE_URL", &db)]);
    assert_eq!(code, Some(2));
    assert!(err.contains("RECEIVER_RETENTION"), "{err}");
    let (code, _, err) = dry_run(&db, &["--at", "tomorrow"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--at"), "{err}");

    // The job, with its clock at that day: the oldest is erased, as the controller,
    // for the rule; the others are not.
    let clock_at = oldest_received + 732 * DAY_MS;
    let swept = retention::sweep(&store, Period::Months(24), &FixedClock::at(clock_at))
        .await
        .unwrap();
    assert_eq!(swept.erased.len(), 1, "{swept:?}");
    assert_eq!(swept.erased[0].id, oldest.as_str());
    let r = record(&server, &oldest).await;
    assert_eq!(r["erased"]["by"], "controller", "{r}");
    assert_eq!(r["erased"]["reason"], REASON);
    assert_eq!(r["erased"]["at"], clock::rfc3339(clock_at));
    assert!(r["payload"].is_null() && r["fields"].as_object().unwrap().is_empty());
    assert!(
        !r.to_string().contains("Zalo của An"),
        "the note is gone: {r}"
    );
    assert!(record(&server, &old).await.get("erased").is_none());
    assert_eq!(
        record(&server, &erased).await["erased"]["reason"],
        "ticket 9",
        "an erased record is left as it was"
    );
    // Its search keys went with it.
    let found = owner_get(&server, "/owner/records?email=moi%40vidu.vn").await;
    assert_eq!(found.json()["records"], serde_json::json!([]));

    // The running receiver with the period set: at start it erases what is due by its
    // clock (the record of 800 days ago), and logs it by reference.
    server.stop();
    let server = Server::start_on(
        &db,
        &[
            ("RECEIVER_KEY_SECRET", KEY_SECRET),
            ("RECEIVER_RETENTION", "24months"),
        ],
    );
    server.wait_for_log("retention: 1 erased, 0 failed (24 months after receipt)");
    let r = record(&server, &old).await;
    assert_eq!(r["erased"]["by"], "controller", "{r}");
    assert_eq!(r["erased"]["reason"], REASON);
    assert!(record(&server, &recent).await.get("erased").is_none());
    assert_eq!(
        record(&server, &oldest).await["erased"]["at"],
        clock::rfc3339(clock_at),
        "erased once"
    );
    let log = server.log();
    assert!(
        log.contains("records are erased 24 months after receipt"),
        "{log}"
    );
    assert!(!log.contains(old.as_str()), "no id in the log: {log}");
    // New submissions are still taken.
    let v = Visitor::new(&server).await;
    stored_submission(&server, &v).await;
}

async fn the_job_runs_again_on_its_timer(backend: Backend) {
    let db = fresh_database(backend).await;
    let store = store_of(&db).await;
    let now = clock::now_millis();
    let id = new_id();
    store.insert(received_at(&id, now)).await.unwrap();
    let clock = Arc::new(FixedClock::at(now));
    let job = retention::spawn(
        store.clone(),
        Period::Days(30),
        clock.clone(),
        Duration::from_millis(50),
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    let row = store.get(id.as_str()).await.unwrap().unwrap();
    assert_eq!(row.erased_at, None, "not yet 30 days");
    clock.set(now + 31 * DAY_MS);
    let mut waited = 0;
    let row = loop {
        let row = store.get(id.as_str()).await.unwrap().unwrap();
        if row.erased_at.is_some() || waited > 10_000 {
            break row;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        waited += 50;
    };
    job.abort();
    assert_eq!(row.erased_at, Some(clock::rfc3339(now + 31 * DAY_MS)));
    assert!(row.body.is_empty());
}

#[test]
fn a_wrong_period_stops_the_receiver() {
    let (code, _, err) = run_to_exit(&[], &[("PORT", "0"), ("RECEIVER_RETENTION", "forever")]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("RECEIVER_RETENTION") && err.contains("24months"),
        "{err}"
    );
}

/// An erasure while someone reads the SQLite database (an export, an owner's page) is
/// answered at once — it used to wait out the 10 s busy timeout to empty the
/// write-ahead log, holding up every write behind it — and the log is emptied of the
/// erased values once the reader is done, with no other write to prompt it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erasure_does_not_wait_for_a_reader_and_empties_the_log_after_it() {
    let db = fresh_database(Backend::Sqlite).await;
    let path = db.strip_prefix("sqlite:").unwrap().to_owned();
    let store = store_of(&db).await;
    let now = clock::now_millis();
    let (first, second) = (new_id(), new_id());
    store.insert(received_at(&first, now)).await.unwrap();
    store.insert(received_at(&second, now)).await.unwrap();
    let on_disk = || {
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.extend(std::fs::read(format!("{path}-wal")).unwrap_or_default());
        String::from_utf8_lossy(&bytes).contains("Tư vấn gói website")
    };

    // A reader in the middle of a read transaction keeps the log from being emptied.
    let reader = rusqlite::Connection::open(&path).unwrap();
    reader.execute_batch("BEGIN").unwrap();
    let count: i64 = reader
        .query_row("SELECT count(*) FROM submissions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 2);
    for id in [&first, &second] {
        let erased = receiver::erasure::erase_now(&store, id.as_str(), "controller", REASON, now);
        tokio::time::timeout(Duration::from_secs(5), erased)
            .await
            .expect("the erasure waited for the reader")
            .unwrap();
    }
    assert!(
        on_disk(),
        "the reader's snapshot keeps the erased values in the log"
    );

    drop(reader);
    let mut tries = 0;
    while on_disk() && tries < 100 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        tries += 1;
    }
    assert!(
        !on_disk(),
        "erased values still on disk 5 s after the reader ended"
    );
}
