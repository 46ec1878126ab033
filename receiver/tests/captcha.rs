//! The receiver verifies the payload's captcha token (`CAPTCHA_SECRET`) against a fake
//! `siteverify` on 127.0.0.1 that counts its calls and answers per token, on SQLite and
//! on PostgreSQL like the other end-to-end tests.

#[macro_use]
mod common;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use common::*;
use consent_form::fields::FieldName;
use consent_form::signing::MessageId;

on_both!(
    verifies_tokens_and_stores_the_outcome,
    provider_down_is_503_then_stored_once,
    late_expired_tokens_are_kept_fresh_ones_refused,
    captcha_off_ignores_tokens,
);

const SECRET: &str = "0x4AAAAAAAtest-captcha-secret-7f3a";

/// A fake `siteverify`: a token starting `pass.` passes, `late.` is
/// `timeout-or-duplicate`, anything else `invalid-input-response`; a wrong secret is
/// `invalid-input-secret`; while `failing`, every call gets HTTP 500.
#[derive(Default)]
struct Fake {
    calls: AtomicUsize,
    failing: AtomicBool,
}

async fn siteverify(
    State(fake): State<Arc<Fake>>,
    body: String,
) -> Result<Json<serde_json::Value>, axum::http::StatusCode> {
    fake.calls.fetch_add(1, Ordering::SeqCst);
    let form: HashMap<String, String> = reqwest::Url::parse(&format!("http://x/?{body}"))
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect();
    if fake.failing.load(Ordering::SeqCst) {
        return Err(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
    }
    if form.get("secret").map(String::as_str) != Some(SECRET) {
        return Ok(Json(
            serde_json::json!({"success": false, "error-codes": ["invalid-input-secret"]}),
        ));
    }
    assert_eq!(
        form.get("remoteip").map(String::as_str),
        Some("127.0.0.1"),
        "the visitor's address is passed on"
    );
    let token = form.get("response").cloned().unwrap_or_default();
    Ok(Json(if token.starts_with("pass.") {
        serde_json::json!({"success": true, "error-codes": [], "hostname": "vidu.vn",
                           "challenge_ts": "2026-11-23T09:07:05.123Z"})
    } else if token.starts_with("late.") {
        serde_json::json!({"success": false, "error-codes": ["timeout-or-duplicate"]})
    } else {
        serde_json::json!({"success": false, "error-codes": ["invalid-input-response"]})
    }))
}

/// Starts the fake; returns it and its URL.
async fn fake_siteverify() -> (Arc<Fake>, String) {
    let fake = Arc::new(Fake::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let app = Router::new()
        .route("/siteverify", post(siteverify))
        .with_state(Arc::clone(&fake));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (fake, format!("http://{addr}/siteverify"))
}

async fn with_captcha(backend: Backend, url: &str) -> Server {
    Server::start(
        backend,
        &[("CAPTCHA_SECRET", SECRET), ("CAPTCHA_VERIFY_URL", url)],
    )
    .await
}

fn token(kind: &str) -> String {
    format!("{kind}{}", new_id().as_str())
}

fn body_with(id: &MessageId, captcha: Option<&str>) -> Vec<u8> {
    let mut p = valid_payload(id);
    p.captcha = captcha.map(str::to_owned);
    p.to_body()
}

async fn record(server: &Server, id: &MessageId) -> Answer {
    owner_get(server, &format!("/owner/records/{}", id.as_str())).await
}

/// The owner's printable receipt of `id`.
async fn printable(server: &Server, id: &MessageId) -> String {
    owner_get(server, &format!("/owner/records/{}/receipt", id.as_str()))
        .await
        .text()
}

async fn verifies_tokens_and_stores_the_outcome(backend: Backend) {
    let (fake, url) = fake_siteverify().await;
    let server = with_captcha(backend, &url).await;
    let visitor = Visitor::new(&server).await;
    let calls = || fake.calls.load(Ordering::SeqCst);

    // Passed: stored, the outcome in the owner's record.
    let id = new_id();
    let pass = token("pass.");
    let body = body_with(&id, Some(&pass));
    let first = visitor.post(&server, id.as_str(), &body).await;
    assert_eq!(first.status, 200, "{}", first.text());
    assert_eq!(calls(), 1);
    let r = record(&server, &id).await.json();
    assert_eq!(r["captcha"]["outcome"], "passed", "{r}");
    assert_eq!(r["captcha"]["hostname"], "vidu.vn");
    assert!(r["captcha"].get("error-codes").is_none(), "{r}");
    let page = printable(&server, &id).await;
    assert!(
        page.contains("<tr><th>Captcha</th><td>đã qua / passed — vidu.vn</td></tr>"),
        "{page}"
    );

    // A retry of the stored id: the same answer, no second siteverify call (the token
    // was redeemed).
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let retry = visitor.post(&server, id.as_str(), &body).await;
    assert_eq!(retry.status, 200);
    assert_eq!(retry.body, first.body, "answered exactly as the first time");
    assert_eq!(calls(), 1, "a repeat does not call siteverify");

    // Refused by the provider: 422 with its codes, nothing stored.
    let id2 = new_id();
    let bad = token("bad.");
    let a = visitor
        .post(&server, id2.as_str(), &body_with(&id2, Some(&bad)))
        .await;
    assert_eq!(a.status, 422, "{}", a.text());
    assert_eq!(a.code(), "captcha_failed");
    assert_eq!(
        a.json()["details"],
        serde_json::json!(["invalid-input-response"])
    );
    assert_eq!(calls(), 2);
    assert_eq!(record(&server, &id2).await.status, 404);

    // No token: 422 without asking the provider.
    let id3 = new_id();
    let a = visitor
        .post(&server, id3.as_str(), &body_with(&id3, None))
        .await;
    assert_eq!(a.status, 422, "{}", a.text());
    assert_eq!(a.code(), "captcha_missing");
    assert_eq!(calls(), 2);

    assert_eq!(exported(&server).await.len(), 1);
    server.wait_for_log("captcha verified with http://127.0.0.1");
    let log = server.log();
    for secret in [SECRET, pass.as_str(), bad.as_str()] {
        assert!(!log.contains(secret), "{secret} in the log:\n{log}");
    }
}

async fn provider_down_is_503_then_stored_once(backend: Backend) {
    let (fake, url) = fake_siteverify().await;
    let server = with_captcha(backend, &url).await;
    let visitor = Visitor::new(&server).await;
    let id = new_id();
    let body = body_with(&id, Some(&token("pass.")));

    fake.failing.store(true, Ordering::SeqCst);
    let a = visitor.post(&server, id.as_str(), &body).await;
    assert_eq!(a.status, 503, "{}", a.text());
    assert_eq!(a.code(), "unavailable");
    assert_eq!(a.header("retry-after"), Some("5"));
    server.wait_for_log("siteverify answered HTTP 500");
    assert_eq!(record(&server, &id).await.status, 404, "nothing stored");

    // Recovered: the form's retry (same body, signed again) is stored, once.
    fake.failing.store(false, Ordering::SeqCst);
    let a = visitor.post(&server, id.as_str(), &body).await;
    assert_eq!(a.status, 200, "{}", a.text());
    let again = visitor.post(&server, id.as_str(), &body).await;
    assert_eq!(again.body, a.body);
    assert_eq!(fake.calls.load(Ordering::SeqCst), 2);
    assert_eq!(exported(&server).await.len(), 1);
    assert_eq!(
        record(&server, &id).await.json()["captcha"]["outcome"],
        "passed"
    );
    server.stop();

    // Nothing listening: 503 as well.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let server = with_captcha(backend, &format!("http://{closed}/siteverify")).await;
    let visitor = Visitor::new(&server).await;
    let a = visitor.post(&server, id.as_str(), &body).await;
    assert_eq!(a.status, 503, "{}", a.text());
    assert_eq!(a.header("retry-after"), Some("5"));
    server.wait_for_log("siteverify unreachable");
    assert_eq!(exported(&server).await.len(), 0);
}

async fn late_expired_tokens_are_kept_fresh_ones_refused(backend: Backend) {
    let (fake, url) = fake_siteverify().await;
    let server = with_captcha(backend, &url).await;
    let visitor = Visitor::new(&server).await;
    let fields = [
        (FieldName::Name, "Nguyễn Văn An"),
        (FieldName::Phone, "+84902666984"),
    ];

    // Pressed 10 minutes ago, delivered now by the outbox: kept, marked expired.
    let id = new_id();
    let mut p = payload_at(&id, &fields, false, (now() as i64 - 600) * 1000);
    p.captcha = Some(token("late."));
    let a = visitor.post(&server, id.as_str(), &p.to_body()).await;
    assert_eq!(a.status, 200, "{}", a.text());
    let r = record(&server, &id).await.json();
    assert_eq!(r["captcha"]["outcome"], "expired", "{r}");
    assert_eq!(
        r["captcha"]["error-codes"],
        serde_json::json!(["timeout-or-duplicate"])
    );
    let page = printable(&server, &id).await;
    assert!(
        page.contains("token expired on arrival: review (timeout-or-duplicate)"),
        "{page}"
    );
    let exported = exported(&server).await;
    assert_eq!(exported[0]["captcha"]["outcome"], "expired");
    let csv = owner_get(&server, "/owner/export?format=csv").await.text();
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert!(
        lines[0].ends_with(",body_sha256,captcha,erased_at,held_since,hold_reason"),
        "{csv}"
    );
    assert!(
        lines[1].ends_with(",expired,,,"),
        "the outcome in the CSV: {csv}"
    );

    // Pressed just now: an expired or reused token is a refusal.
    let id2 = new_id();
    let mut p = payload_at(&id2, &fields, false, (now() as i64 - 5) * 1000);
    p.captcha = Some(token("late."));
    let a = visitor.post(&server, id2.as_str(), &p.to_body()).await;
    assert_eq!(a.status, 422, "{}", a.text());
    assert_eq!(a.code(), "captcha_failed");
    assert_eq!(
        a.json()["details"],
        serde_json::json!(["timeout-or-duplicate"])
    );
    assert_eq!(record(&server, &id2).await.status, 404);
    assert_eq!(fake.calls.load(Ordering::SeqCst), 2);
}

async fn captcha_off_ignores_tokens(backend: Backend) {
    let server = Server::start(backend, &[]).await;
    let visitor = Visitor::new(&server).await;
    let id = new_id();
    let a = visitor
        .post(&server, id.as_str(), &body_with(&id, Some("bad.token")))
        .await;
    assert_eq!(a.status, 200, "{}", a.text());
    let r = record(&server, &id).await.json();
    assert!(r.get("captcha").is_none(), "{r}");
    assert_eq!(r["payload"]["captcha"], "bad.token", "stored as sent");
    assert!(
        printable(&server, &id)
            .await
            .contains("token sent, not verified (no CAPTCHA_SECRET)"),
        "the receipt does not claim a check"
    );
    server.wait_for_log("captcha not verified (no CAPTCHA_SECRET)");
}
