//! Load generator for the receiver (run by scripts/bench-receiver; not a test).
//!
//! Opens `--sessions` browser sessions (each fetches a key and keeps its cookie), then
//! for `--seconds` keeps `--concurrency` requests in flight: each a new submission
//! with a distinct id, built like the form builds it, signed at send time. A share of
//! requests (`--repeat-percent`) re-sends an accepted submission, as a browser retry
//! would. At the end it reads every stored record through the owner export and checks
//! that each accepted id is stored exactly once and nothing else is.
//!
//! ```sh
//! cargo run --release -p receiver --example loadgen -- --url http://127.0.0.1:8080 \
//!     --owner-token "$TOKEN" --seconds 20 --concurrency 32
//! ```

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use consent_form::signing::{webhook_headers, MessageId, Secret};

mod support;
use support::{random16, template, with_id};

struct Args {
    url: String,
    owner_token: String,
    seconds: u64,
    concurrency: usize,
    sessions: usize,
    repeat_percent: u32,
    /// The receiver's process id, to report its CPU time (Linux /proc).
    server_pid: Option<u32>,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        url: String::new(),
        owner_token: String::new(),
        seconds: 20,
        concurrency: 32,
        sessions: 8,
        repeat_percent: 5,
        server_pid: None,
    };
    let raw: Vec<String> = std::env::args().skip(1).collect();
    let mut it = raw.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().cloned().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--url" => a.url = value()?,
            "--owner-token" => a.owner_token = value()?,
            "--seconds" => a.seconds = value()?.parse().map_err(|_| "bad --seconds")?,
            "--concurrency" => a.concurrency = value()?.parse().map_err(|_| "bad --concurrency")?,
            "--sessions" => a.sessions = value()?.parse().map_err(|_| "bad --sessions")?,
            "--server-pid" => {
                a.server_pid = Some(value()?.parse().map_err(|_| "bad --server-pid")?)
            }
            "--repeat-percent" => {
                a.repeat_percent = value()?.parse().map_err(|_| "bad --repeat-percent")?
            }
            other => return Err(format!("unknown flag {other}")),
        }
    }
    if a.url.is_empty() || a.owner_token.is_empty() {
        return Err("--url and --owner-token are required".into());
    }
    Ok(a)
}

/// User + system CPU seconds process `pid` has used (Linux), if readable.
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

struct Session {
    cookie: String,
    secret: Secret,
}

async fn open_session(client: &reqwest::Client, url: &str) -> Result<Session, String> {
    let r = client
        .post(format!("{url}/api/keys"))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let cookie = r
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .ok_or("no session cookie")?
        .to_owned();
    let j: serde_json::Value = serde_json::from_slice(&r.bytes().await.map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    let secret =
        Secret::parse(j["secret"].as_str().ok_or("no secret")?).map_err(|e| e.to_string())?;
    Ok(Session { cookie, secret })
}

#[derive(Default)]
struct Tally {
    latencies_us: Vec<u32>,
    statuses: HashMap<u16, u64>,
    transport_errors: u64,
    accepted: Vec<(MessageId, Vec<u8>)>,
    repeats: u64,
    repeat_mismatch: u64,
}

async fn post(
    client: &reqwest::Client,
    url: &str,
    session: &Session,
    id: &MessageId,
    body: &[u8],
) -> Result<(u16, Vec<u8>), String> {
    let mut req = client
        .post(format!("{url}/api/leads"))
        .header("content-type", "application/json")
        .header("cookie", &session.cookie);
    for (k, v) in webhook_headers(&session.secret, id, unix_now(), body) {
        req = req.header(k, v);
    }
    let r = req
        .body(body.to_vec())
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = r.status().as_u16();
    let answer = r.bytes().await.map_err(|e| e.to_string())?.to_vec();
    Ok((status, answer))
}

#[tokio::main]
async fn main() {
    let args = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("loadgen: {e}");
            std::process::exit(2);
        }
    };
    // reqwest's rustls has no crypto provider of its own (see receiver/Cargo.toml).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    let mut sessions = Vec::new();
    for _ in 0..args.sessions.max(1) {
        match open_session(&client, &args.url).await {
            Ok(s) => sessions.push(Arc::new(s)),
            Err(e) => {
                eprintln!("loadgen: cannot open a session: {e}");
                std::process::exit(1);
            }
        }
    }
    let template = Arc::new(template());
    let tally = Arc::new(Mutex::new(Tally::default()));
    let first_answers: Arc<Mutex<HashMap<String, Vec<u8>>>> = Arc::new(Mutex::new(HashMap::new()));
    let cpu_before = args.server_pid.and_then(cpu_seconds);
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.seconds);

    let mut workers = Vec::new();
    for w in 0..args.concurrency {
        let (client, url, template, tally, first_answers) = (
            client.clone(),
            args.url.clone(),
            template.clone(),
            tally.clone(),
            first_answers.clone(),
        );
        let session = sessions[w % sessions.len()].clone();
        let repeat_percent = args.repeat_percent;
        workers.push(tokio::spawn(async move {
            let mut n: u64 = 0;
            let mut mine: Vec<(MessageId, Vec<u8>)> = Vec::new();
            while Instant::now() < deadline {
                n += 1;
                let repeat = repeat_percent > 0
                    && !mine.is_empty()
                    && (n * 7919 % 100) < u64::from(repeat_percent);
                let (id, body) = if repeat {
                    mine[(n as usize) % mine.len()].clone()
                } else {
                    let id = MessageId::from_random(random16());
                    let body = with_id(&template, &id).to_body();
                    (id, body)
                };
                let t0 = Instant::now();
                let result = post(&client, &url, &session, &id, &body).await;
                let us = u32::try_from(t0.elapsed().as_micros()).unwrap_or(u32::MAX);
                let mut t = tally.lock().expect("tally");
                t.latencies_us.push(us);
                match result {
                    Ok((status, answer)) => {
                        *t.statuses.entry(status).or_default() += 1;
                        if repeat {
                            t.repeats += 1;
                            let first = first_answers.lock().expect("answers");
                            if status != 200 || first.get(id.as_str()) != Some(&answer) {
                                t.repeat_mismatch += 1;
                            }
                        } else if status == 200 {
                            first_answers
                                .lock()
                                .expect("answers")
                                .insert(id.as_str().to_owned(), answer);
                            if mine.len() < 64 {
                                mine.push((id.clone(), body.clone()));
                            }
                            t.accepted.push((id, body));
                        }
                    }
                    Err(_) => t.transport_errors += 1,
                }
            }
        }));
    }
    for w in workers {
        let _ = w.await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let cpu_used = match (cpu_before, args.server_pid.and_then(cpu_seconds)) {
        (Some(a), Some(b)) => Some(b - a),
        _ => None,
    };
    let mut t = std::mem::take(&mut *tally.lock().expect("tally"));
    t.latencies_us.sort_unstable();
    let pct = |p: f64| -> f64 {
        if t.latencies_us.is_empty() {
            return 0.0;
        }
        let i = ((t.latencies_us.len() as f64 - 1.0) * p).round() as usize;
        f64::from(t.latencies_us[i]) / 1000.0
    };
    let total = t.latencies_us.len();
    let accepted = t.accepted.len();
    let mut statuses: Vec<_> = t.statuses.iter().collect();
    statuses.sort();
    println!(
        "requests {total} in {elapsed:.1} s ({:.0}/s), new submissions accepted {accepted} ({:.0}/s), \
         repeats {} (answered as the first time: {})",
        total as f64 / elapsed,
        accepted as f64 / elapsed,
        t.repeats,
        t.repeats - t.repeat_mismatch
    );
    println!(
        "latency ms: p50 {:.2}  p90 {:.2}  p99 {:.2}  max {:.2}",
        pct(0.50),
        pct(0.90),
        pct(0.99),
        pct(1.0)
    );
    println!(
        "statuses {:?}  transport errors {}",
        statuses, t.transport_errors
    );
    if let Some(cpu) = cpu_used {
        println!(
            "receiver CPU during the load: {cpu:.2} s ({:.0} µs per request)",
            cpu * 1e6 / total.max(1) as f64
        );
    }

    // Every accepted id stored exactly once, nothing else stored.
    let export = client
        .get(format!("{}/owner/export?format=jsonl", args.url))
        .header("authorization", format!("Bearer {}", args.owner_token))
        .timeout(Duration::from_secs(600))
        .send()
        .await
        .and_then(|r| r.error_for_status());
    let text = match export {
        Ok(r) => r.text().await.unwrap_or_default(),
        Err(e) => {
            eprintln!("loadgen: export failed: {e}");
            std::process::exit(1);
        }
    };
    let mut stored: HashMap<String, u32> = HashMap::new();
    for line in text.lines() {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
            if let Some(id) = v["id"].as_str() {
                *stored.entry(id.to_owned()).or_default() += 1;
            }
        }
    }
    let missing = t
        .accepted
        .iter()
        .filter(|(id, _)| !stored.contains_key(id.as_str()))
        .count();
    let doubled = stored.values().filter(|&&n| n > 1).count();
    let rows: u32 = stored.values().sum();
    let ok = missing == 0
        && doubled == 0
        && rows as usize == accepted
        && t.transport_errors == 0
        && t.repeat_mismatch == 0
        && t.statuses.keys().all(|&s| s == 200);
    println!(
        "stored rows {rows}, accepted ids {accepted}, missing {missing}, stored twice {doubled}: {}",
        if ok {
            "every accepted id stored exactly once, no request lost"
        } else {
            "CHECK FAILED"
        }
    );
    if !ok {
        std::process::exit(1);
    }
}
