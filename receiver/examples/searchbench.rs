//! How long the owner's search takes on a large database (not a test; its figures are
//! in docs/receiver.md).
//!
//! Fills a fresh database through the receiver's store with `--records` submissions
//! built as the contact form builds them, each with its own phone number and e-mail
//! address (and every tenth corrected to a new address), then times
//! [`Store::search`] for one person by phone and by e-mail, and, for comparison, a
//! full scan that reads and parses every stored body (what searching without the
//! `lookup` table would cost).
//!
//! ```sh
//! cargo run --release -p receiver --example searchbench -- \
//!     --database sqlite:target/bench/search.sqlite3 --records 100000
//! ```

use std::time::{Duration, Instant};

use consent_form::fields::FieldName;
use consent_form::payload::Payload;
use consent_form::signing::{sha256_hex, MessageId};
use receiver::lookup::{self, Search};
use receiver::records::CORRECTED;
use receiver::store::{DatabaseUrl, NewEvent, NewSubmission, Store};

mod support;
use support::{random16, template, with_id};

/// Submission number `n`: phone `+8490` and 7 digits of `n`, address `k<n>@vidu.vn`.
fn submission(template: &Payload, n: u32) -> NewSubmission {
    let mut p = with_id(template, &MessageId::from_random(random16()));
    p.fields
        .insert(FieldName::Phone, format!("+8490{:07}", n % 10_000_000));
    p.fields.insert(FieldName::Email, format!("k{n}@vidu.vn"));
    let body = String::from_utf8(p.to_body()).expect("UTF-8");
    let now = receiver::clock::now_rfc3339();
    NewSubmission {
        id: p.id.as_str().to_owned(),
        received_at: now,
        form: p.form.as_str().to_owned(),
        submitted_at: p.submitted_at.as_str().to_owned(),
        locale: p.locale.tag().to_owned(),
        body_sha256: sha256_hex(&body),
        body,
        signature_timestamp: 0,
        captcha: None,
        response_status: 200,
        response_body: "{}".into(),
        lookup: lookup::keys_of_payload(&p),
    }
}

/// Median and maximum of `runs` runs of `f`.
async fn timed<F, Fut>(runs: usize, mut f: F) -> (Duration, Duration)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = usize>,
{
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        let found = f().await;
        times.push(started.elapsed());
        assert!(found > 0, "the search found nothing");
    }
    times.sort();
    (times[runs / 2], times[runs - 1])
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let Some(database) = flag("--database") else {
        eprintln!("usage: searchbench --database URL [--records N]");
        std::process::exit(2);
    };
    let records: u32 = flag("--records")
        .map(|n| n.parse().expect("--records N"))
        .unwrap_or(100_000);
    let url = DatabaseUrl::parse(&database).expect("database URL");
    let store = Store::open(&url, None).await.expect("open the database");
    assert_eq!(
        store.count().await.expect("count"),
        0,
        "use a fresh database"
    );

    let template = template();
    let started = Instant::now();
    let mut ids = Vec::with_capacity(records as usize);
    for chunk in (0..records).collect::<Vec<_>>().chunks(256) {
        let batch: Vec<_> = chunk.iter().map(|&n| submission(&template, n)).collect();
        ids.extend(batch.iter().map(|s| s.id.clone()));
        let inserts = batch.into_iter().map(|s| {
            let store = store.clone();
            tokio::spawn(async move { store.insert(s).await })
        });
        for done in futures_util::future::join_all(inserts).await {
            done.expect("task").expect("insert");
        }
    }
    // Every tenth corrected to a new address.
    for (n, id) in ids.iter().enumerate().step_by(10) {
        let now = receiver::clock::now_rfc3339();
        let event = NewEvent {
            submission_id: id.clone(),
            kind: CORRECTED.into(),
            purpose: None,
            at: now.clone(),
            recorded_at: now,
            actor: "principal".into(),
            detail: serde_json::json!({"fields": {"email": format!("moi{n}@vidu.vn")}}).to_string(),
        };
        store
            .append(event, Box::new(|_, _| Ok(())))
            .await
            .map_err(|_| "append")
            .expect("correction");
    }
    println!(
        "filled {records} submissions (+{} corrections) in {:.1} s",
        records.div_ceil(10),
        started.elapsed().as_secs_f64()
    );

    let middle = records / 2 - records / 2 % 10;
    let by_phone = Search::parse(Some(&format!("090 {:07}", middle % 10_000_000)), None)
        .expect("phone")
        .expect("a search");
    let by_email = Search::parse(None, Some(&format!("MOI{middle}@Vidu.vn")))
        .expect("e-mail")
        .expect("a search");
    for (what, search) in [
        ("phone", &by_phone),
        ("e-mail (a corrected value)", &by_email),
    ] {
        let keys = search.keys();
        let (median, max) = timed(101, || async {
            store.search(&keys, None, 50).await.expect("search").len()
        })
        .await;
        println!(
            "search by {what}: median {:.2} ms, max {:.2} ms (101 runs)",
            median.as_secs_f64() * 1000.0,
            max.as_secs_f64() * 1000.0
        );
    }

    // Without the index: read every body and look at its fields.
    let wanted = by_phone.keys();
    let (median, max) = timed(3, || async {
        let mut after = 0;
        let mut found = 0;
        loop {
            let rows = store.page(after, 500).await.expect("page");
            for row in &rows {
                if lookup::keys_of_body(&row.body)
                    .iter()
                    .any(|k| wanted.contains(k))
                {
                    found += 1;
                }
            }
            match rows.last() {
                Some(last) if rows.len() == 500 => after = last.seq,
                _ => break,
            }
        }
        found
    })
    .await;
    println!(
        "full scan of every body (no index): median {:.0} ms, max {:.0} ms (3 runs)",
        median.as_secs_f64() * 1000.0,
        max.as_secs_f64() * 1000.0
    );
}
