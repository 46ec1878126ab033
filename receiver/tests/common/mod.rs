//! Shared by the receiver's integration tests: start the real binary on 127.0.0.1
//! against SQLite or PostgreSQL, build payloads the way the form builds them, sign
//! them, and talk HTTP to the receiver like a browser would.
#![allow(dead_code)]

/// `on_both!(a, b)`: the async test functions `a(Backend)`, `b(Backend)` of the file,
/// each run as `sqlite::a` and `postgres::a`. (Declared before `use`: macro_rules are
/// visible only after their definition; `mod common;` comes first in each test file.)
#[allow(unused_macros)]
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(super::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(super::Backend::Postgres).await
                }
            )*
        }
    };
}

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use consent_form::config::{Config, RawConfig};
use consent_form::fields::FieldName;
use consent_form::messages::Texts;
use consent_form::notices::notices;
use consent_form::payload::{Payload, Rfc3339};
use consent_form::signing::{webhook_headers, MessageId, Secret};
use consent_form::withdrawal::Withdrawal;

/// The owner token every test server gets.
pub const OWNER_TOKEN: &str = "test-owner-token-0123456789-abcdefghij";

/// Where records go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// A fresh SQLite file.
    Sqlite,
    /// A fresh database on the PostgreSQL server of `RECEIVER_TEST_PG_URL`.
    Postgres,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique(prefix: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let mut r = [0u8; 4];
    getrandom::fill(&mut r).unwrap();
    format!(
        "{prefix}_{}_{n}_{}",
        std::process::id(),
        u32::from_le_bytes(r)
    )
}

/// The PostgreSQL server for the tests. Missing, the PostgreSQL tests fail: they are
/// part of the suite, not optional.
pub fn pg_admin_url() -> String {
    match std::env::var("RECEIVER_TEST_PG_URL") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => panic!(
            "\n\nRECEIVER_TEST_PG_URL is not set, so the PostgreSQL half of the receiver's \
             tests cannot run.\nStart the test server and export its URL:\n\n    \
             export RECEIVER_TEST_PG_URL=$(scripts/pg start)\n\n(scripts/test does this.)\n"
        ),
    }
}

/// `url` with its database name replaced by `db`.
pub fn with_database(url: &str, db: &str) -> String {
    let (main, query) = match url.split_once('?') {
        Some((m, q)) => (m, Some(q)),
        None => (url, None),
    };
    let scheme_end = main.find("://").map_or(0, |i| i + 3);
    let base = match main[scheme_end..].find('/') {
        Some(i) => &main[..scheme_end + i],
        None => main,
    };
    match query {
        Some(q) => format!("{base}/{db}?{q}"),
        None => format!("{base}/{db}"),
    }
}

/// Creates an empty database on the test server; returns its URL.
pub async fn fresh_pg_database() -> String {
    let admin = pg_admin_url();
    let (client, connection) = tokio_postgres::connect(&admin, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to RECEIVER_TEST_PG_URL ({admin}): {e}"));
    tokio::spawn(connection);
    // Databases left by earlier test processes (this one's are still in use).
    let mine = format!("t_{}_", std::process::id());
    let stale = client
        .query(
            "SELECT datname FROM pg_database WHERE datname LIKE 't\\_%'",
            &[],
        )
        .await
        .unwrap();
    for row in stale {
        let name: String = row.get(0);
        if !name.starts_with(&mine) {
            let _ = client
                .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
        }
    }
    let name = unique("t");
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    with_database(&admin, &name)
}

/// A fresh database URL for `backend`.
pub async fn fresh_database(backend: Backend) -> String {
    match backend {
        Backend::Sqlite => {
            let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("receiver-tests");
            std::fs::create_dir_all(&dir).unwrap();
            format!(
                "sqlite:{}",
                dir.join(format!("{}.sqlite3", unique("db"))).display()
            )
        }
        Backend::Postgres => fresh_pg_database().await,
    }
}

/// A running receiver; stopped when dropped.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// Its database URL.
    pub database: String,
    /// Everything it wrote to stderr so far.
    pub log: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The binary's path.
pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_receiver")
}

impl Server {
    /// Starts the receiver on `database` with test defaults (owner token, insecure
    /// cookie, no rate limit) overridden by `env`.
    pub fn start_on(database: &str, env: &[(&str, &str)]) -> Server {
        let mut cmd = Command::new(binary());
        cmd.env_clear()
            .env("PORT", "0")
            .env("DATABASE_URL", database)
            .env("RECEIVER_OWNER_TOKEN", OWNER_TOKEN)
            .env("RECEIVER_INSECURE_COOKIE", "1")
            .env("RECEIVER_RATE_LIMIT", "off");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("start the receiver");
        let log = Arc::new(Mutex::new(String::new()));
        let mut stderr = child.stderr.take().unwrap();
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            if let Some(Ok(line)) = lines.next() {
                let _ = tx.send(line);
            }
            for _ in lines {}
        });
        let line = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(line) => line,
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "the receiver did not start; its log:\n{}",
                    log.lock().unwrap()
                );
            }
        };
        let base = line
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        Server {
            child,
            base,
            database: database.to_owned(),
            log,
        }
    }

    /// Starts the receiver on a fresh database of `backend`.
    pub async fn start(backend: Backend, env: &[(&str, &str)]) -> Server {
        let db = fresh_database(backend).await;
        Server::start_on(&db, env)
    }

    /// `base` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The log so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Waits (up to 10 s) until the log contains `needle`.
    pub fn wait_for_log(&self, needle: &str) {
        let started = Instant::now();
        while !self.log().contains(needle) {
            if started.elapsed() > Duration::from_secs(10) {
                panic!("{needle:?} never appeared in the log:\n{}", self.log());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stops the process and waits for it.
    pub fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs the binary with `args` and `env` until it exits; (exit code, stdout, stderr).
pub fn run_to_exit(args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String, String) {
    let mut cmd = Command::new(binary());
    cmd.env_clear().args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut out = String::new();
            let mut err = String::new();
            child
                .stdout
                .take()
                .unwrap()
                .read_to_string(&mut out)
                .unwrap();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            return (status.code(), out, err);
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("the receiver did not exit with args {args:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Unix seconds now.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A new random submission id.
pub fn new_id() -> MessageId {
    let mut r = [0u8; 16];
    getrandom::fill(&mut r).unwrap();
    MessageId::from_random(r)
}

/// A contact form as a host would configure it, with marketing.
pub fn contact_config() -> Config {
    contact_config_with(serde_json::json!({}))
}

/// [`contact_config`] with the settings in `more` (a JSON object) added or replaced.
pub fn contact_config_with(more: serde_json::Value) -> Config {
    let mut json = serde_json::json!({
        "kind": "contact",
        "endpoint": "/api/leads",
        "locale": "vi",
        "policy_url": "https://vidu.vn/chinh-sach",
        "policy_version": "2026-01",
        "controller": "Công ty TNHH Ví Dụ",
        "key_url": "/api/keys",
        "purposes": ["consultation", "marketing"],
        "marketing": { "channels": ["email", "zalo"], "frequency": "tối đa 2 lần mỗi tháng" }
    });
    if let (Some(base), Some(more)) = (json.as_object_mut(), more.as_object()) {
        base.extend(more.clone());
    }
    let raw = RawConfig::from_json_text(&json.to_string()).unwrap();
    raw.validate().unwrap()
}

/// A payload built the way the form builds it (see src/submit.rs), with `fields`
/// filled in and marketing granted or not.
pub fn payload(id: &MessageId, fields: &[(FieldName, &str)], marketing: bool) -> Payload {
    let ms = i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap();
    payload_at(id, fields, marketing, ms)
}

/// [`payload`], pressed at Unix milliseconds `ms`.
pub fn payload_at(
    id: &MessageId,
    fields: &[(FieldName, &str)],
    marketing: bool,
    ms: i64,
) -> Payload {
    payload_for(&contact_config(), id, fields, marketing, ms)
}

/// A payload built the way the form builds it from `config`: `fields`, pressed at Unix
/// milliseconds `ms`, consultation granted and marketing if `marketing`.
pub fn payload_for(
    config: &Config,
    id: &MessageId,
    fields: &[(FieldName, &str)],
    marketing: bool,
    ms: i64,
) -> Payload {
    let texts = Texts::new(config.locale, config.texts.clone());
    let at = Rfc3339::from_unix_millis(ms, 420).unwrap();
    let mut p = Payload::new(id.clone(), config.kind, at, config.locale);
    for (f, v) in fields {
        p.fields.insert(*f, (*v).to_owned());
    }
    let policy = config.policy();
    for shown in notices(config, &texts, true) {
        let granted = match shown.notice.purpose.id() {
            "consultation" => true,
            "marketing" => marketing,
            _ => false,
        };
        p.push_consent(&shown.notice, &policy, granted);
    }
    p
}

/// The id of a typical valid submission, new, that `v` has sent and `server` stored.
pub async fn stored_submission(server: &Server, v: &Visitor) -> MessageId {
    let id = new_id();
    let answer = v
        .post(server, id.as_str(), &valid_payload(&id).to_body())
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    id
}

/// The fields of a typical valid contact submission.
pub const VALID_FIELDS: &[(FieldName, &str)] = &[
    (FieldName::Name, "Nguyễn Văn An"),
    (FieldName::Phone, "+84902666984"),
    (FieldName::Email, "an.nguyen@vidu.vn"),
    (FieldName::Need, "Tư vấn gói website"),
];

/// A typical valid contact submission.
pub fn valid_payload(id: &MessageId) -> Payload {
    payload(id, VALID_FIELDS, true)
}

/// The three signature headers for `body`, signed with our signing module.
pub fn signed(secret: &Secret, id: &str, timestamp: u64, body: &[u8]) -> Vec<(String, String)> {
    let id = MessageId::parse(id).unwrap();
    webhook_headers(secret, &id, timestamp, body)
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Answer {
    /// Status.
    pub status: u16,
    /// Headers, lower-case names.
    pub headers: BTreeMap<String, Vec<String>>,
    /// Body.
    pub body: Vec<u8>,
}

impl Answer {
    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// The first value of header `name`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .and_then(|v| v.first())
            .map(String::as_str)
    }

    /// The `error` code of a JSON refusal.
    pub fn code(&self) -> String {
        self.json()["error"].as_str().unwrap_or("").to_owned()
    }

    /// Asserts a refusal with `status` and `error` code `code`, showing the body if not.
    #[track_caller]
    pub fn assert_refused(&self, status: u16, code: &str) {
        assert_eq!(
            (self.status, self.code().as_str()),
            (status, code),
            "{}",
            self.text()
        );
    }
}

/// Sends a request.
pub async fn send(method: &str, url: &str, headers: &[(String, String)], body: Vec<u8>) -> Answer {
    // reqwest is built with rustls without a crypto provider (the receiver installs
    // ring's): install it here too; an Err means it is installed already.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut req = client.request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), url);
    for (k, v) in headers {
        req = req.header(k.as_str(), v.as_str());
    }
    let resp = req.body(body).send().await.unwrap();
    let status = resp.status().as_u16();
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in resp.headers() {
        map.entry(k.as_str().to_owned())
            .or_default()
            .push(v.to_str().unwrap_or("").to_owned());
    }
    let body = resp.bytes().await.unwrap().to_vec();
    Answer {
        status,
        headers: map,
        body,
    }
}

/// The owner's `Authorization` header.
pub fn owner() -> Vec<(String, String)> {
    vec![("authorization".into(), format!("Bearer {OWNER_TOKEN}"))]
}

/// A browser session: its cookie and its current key.
pub struct Visitor {
    /// `consent_form_session=…`.
    pub cookie: String,
    /// The key it was given.
    pub secret: Secret,
    /// When the key expires.
    pub expires_at: u64,
}

impl Visitor {
    /// Fetches a key like the component does (POST to the key URL).
    pub async fn new(server: &Server) -> Visitor {
        Visitor::with_cookie(server, None).await
    }

    /// Fetches a key, sending `cookie` if given.
    pub async fn with_cookie(server: &Server, cookie: Option<&str>) -> Visitor {
        let headers: Vec<(String, String)> = cookie
            .map(|c| vec![("cookie".to_owned(), c.to_owned())])
            .unwrap_or_default();
        let a = send("POST", &server.url("/api/keys"), &headers, vec![]).await;
        assert_eq!(a.status, 200, "{}", a.text());
        let set_cookie = a.header("set-cookie").expect("a session cookie").to_owned();
        let cookie = set_cookie.split(';').next().unwrap().to_owned();
        let j = a.json();
        Visitor {
            cookie,
            secret: Secret::parse(j["secret"].as_str().unwrap()).unwrap(),
            expires_at: j["expires_at"].as_u64().unwrap(),
        }
    }

    /// Posts `body` signed now with this visitor's key and cookie.
    pub async fn post(&self, server: &Server, id: &str, body: &[u8]) -> Answer {
        self.post_signed(server, &self.secret, id, now(), body)
            .await
    }

    /// Posts `body` with this visitor's cookie, signed with `secret` at `timestamp`.
    pub async fn post_signed(
        &self,
        server: &Server,
        secret: &Secret,
        id: &str,
        timestamp: u64,
        body: &[u8],
    ) -> Answer {
        self.send_signed(server, "/api/leads", secret, id, timestamp, body)
            .await
    }

    /// Posts withdrawal `body` (id `id`) to `/api/withdrawals`, signed at `timestamp`
    /// with `secret` and this visitor's cookie.
    pub async fn withdraw_signed(
        &self,
        server: &Server,
        secret: &Secret,
        id: &str,
        timestamp: u64,
        body: &[u8],
    ) -> Answer {
        self.send_signed(server, "/api/withdrawals", secret, id, timestamp, body)
            .await
    }

    /// Posts JSON `body` to `path` with this visitor's cookie, signed with `secret` at
    /// `timestamp` under message id `id`.
    async fn send_signed(
        &self,
        server: &Server,
        path: &str,
        secret: &Secret,
        id: &str,
        timestamp: u64,
        body: &[u8],
    ) -> Answer {
        let mut headers = signed(secret, id, timestamp, body);
        headers.push(("content-type".into(), "application/json".into()));
        headers.push(("cookie".into(), self.cookie.clone()));
        send("POST", &server.url(path), &headers, body.to_vec()).await
    }

    /// Posts withdrawal `w`, signed now with this visitor's key.
    pub async fn withdraw(&self, server: &Server, w: &Withdrawal) -> Answer {
        self.withdraw_signed(server, &self.secret, w.id.as_str(), now(), &w.to_body())
            .await
    }
}

/// The withdrawal of `purpose` in submission `of`, as the receipt sends it.
pub fn withdrawal(of: &MessageId, purpose: &str) -> Withdrawal {
    let at = Rfc3339::from_unix_millis(now() as i64 * 1000, 420).unwrap();
    Withdrawal::new(
        new_id(),
        of.clone(),
        consent_form::consent::Purpose::parse(purpose).unwrap(),
        at,
        consent_form::locale::Locale::Vi,
        format!("Rút lại đồng ý: “{purpose}”?"),
    )
}

/// The owner's `GET` of `path`, with the owner token.
pub async fn owner_get(server: &Server, path: &str) -> Answer {
    send("GET", &server.url(path), &owner(), vec![]).await
}

/// The owner adds `event` (JSON) to the record of submission `id`.
pub async fn owner_event(server: &Server, id: &str, event: serde_json::Value) -> Answer {
    let headers = [
        owner(),
        vec![("content-type".into(), "application/json".into())],
    ]
    .concat();
    let url = server.url(&format!("/owner/records/{id}/events"));
    send("POST", &url, &headers, serde_json::to_vec(&event).unwrap()).await
}

/// Every stored record, through the owner's JSON-lines export.
pub async fn exported(server: &Server) -> Vec<serde_json::Value> {
    let a = owner_get(server, "/owner/export?format=jsonl").await;
    assert_eq!(a.status, 200, "{}", a.text());
    a.text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Runs `program script` in `dir`, writes `input` as JSON to its stdin and returns its
/// trimmed stdout; fails the test with `hint` and its stderr if it does not succeed.
pub fn run_json(
    program: &str,
    script: &str,
    dir: &std::path::Path,
    input: &serde_json::Value,
    hint: &str,
) -> String {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(program)
        .arg(script)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("{program} is needed for this test (scripts/setup installs it): {e}")
        });
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{program} {script} failed ({hint}): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// A typical submission as the receiver would have stored it at `received_ms` (Unix
/// milliseconds): old records are written through the receiver's own store, since
/// nothing else can date a record in the past.
pub fn received_at(id: &MessageId, received_ms: i64) -> receiver::store::NewSubmission {
    let p = payload_at(id, VALID_FIELDS, true, received_ms - 2000);
    let body = String::from_utf8(p.to_body()).unwrap();
    let received_at = receiver::clock::rfc3339(received_ms);
    receiver::store::NewSubmission {
        id: id.as_str().to_owned(),
        response_body:
            serde_json::json!({"ok": true, "id": id.as_str(), "received_at": received_at})
                .to_string(),
        received_at,
        form: p.form.as_str().to_owned(),
        submitted_at: p.submitted_at.as_str().to_owned(),
        locale: p.locale.tag().to_owned(),
        body_sha256: consent_form::signing::sha256_hex(&body),
        body,
        signature_timestamp: received_ms / 1000,
        captcha: None,
        response_status: 200,
        lookup: receiver::lookup::keys_of_payload(&p),
    }
}

/// The receiver's store on `db`, opened (and migrated) as the receiver opens it.
pub async fn store_of(db: &str) -> receiver::store::Store {
    let url = receiver::store::DatabaseUrl::parse(db).unwrap();
    receiver::store::Store::open(&url, None).await.unwrap()
}

/// Runs `sql` on the server's database directly; the error's message, if refused.
pub async fn run_sql(server: &Server, backend: Backend, sql: &str) -> Option<String> {
    run_sql_on(&server.database, backend, sql).await
}

/// Asserts that the database refuses `sql`, saying `why`.
pub async fn assert_sql_refused(server: &Server, backend: Backend, sql: &str, why: &str) {
    let refused = run_sql(server, backend, sql).await;
    assert!(
        refused.as_deref().is_some_and(|m| m.contains(why)),
        "{sql}: {refused:?}"
    );
}

/// Runs `sql` on database `db` directly (no receiver needs to run); the error's
/// message, if refused.
pub async fn run_sql_on(db: &str, backend: Backend, sql: &str) -> Option<String> {
    match backend {
        Backend::Sqlite => {
            let path = db.strip_prefix("sqlite:").unwrap().to_owned();
            let conn = rusqlite::Connection::open(path).unwrap();
            conn.execute_batch(sql).err().map(|e| e.to_string())
        }
        Backend::Postgres => {
            let (client, conn) = tokio_postgres::connect(db, tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(conn);
            client.batch_execute(sql).await.err().map(|e| {
                e.as_db_error()
                    .map(|d| d.message().to_owned())
                    .unwrap_or_else(|| e.to_string())
            })
        }
    }
}

/// The owner erases submission `id` at the request of `by`, for `reason`.
pub async fn erase(server: &Server, id: &str, by: &str, reason: &str) -> Answer {
    erase_with(server, id, serde_json::json!({"by": by, "reason": reason})).await
}

/// `POST /owner/records/{id}/erase` with `body`.
pub async fn erase_with(server: &Server, id: &str, body: serde_json::Value) -> Answer {
    let headers = [
        owner(),
        vec![("content-type".into(), "application/json".into())],
    ]
    .concat();
    let url = server.url(&format!("/owner/records/{id}/erase"));
    send("POST", &url, &headers, serde_json::to_vec(&body).unwrap()).await
}
