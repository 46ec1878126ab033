//! The receiver, end to end: the real binary on 127.0.0.1, driven over HTTP, once on
//! SQLite and once on PostgreSQL (`RECEIVER_TEST_PG_URL`, started by `scripts/pg`).
//! Every scenario runs on both; the PostgreSQL ones fail when the server is missing.

#[macro_use]
mod common;

use std::time::Duration;

use common::*;
use consent_form::fields::FieldName;
use consent_form::signing::{self, MessageId, Secret, WebhookHeaders};

on_both!(
    issues_per_session_keys,
    stores_a_valid_submission_once_and_repeats_the_first_answer,
    concurrent_repeats_are_stored_once,
    a_reused_id_with_another_body_is_refused,
    refuses_what_is_not_signed_by_the_sessions_key,
    refuses_invalid_payloads_and_stores_none,
    accepts_a_submission_signed_by_the_npm_library,
    owner_endpoints_need_the_token_and_escape_everything,
    the_printable_receipt_shows_bidi_controls,
    withdrawals_and_corrections_are_new_events,
    refusals_are_json_with_a_code_that_says_why,
    a_visitor_withdraws_from_the_receipt,
    the_printable_receipt_shows_what_a_withdrawal_confirmed,
    withdrawals_are_signed_valid_and_known,
    the_database_refuses_updates_and_deletes,
    expired_keys_have_a_grace_period_then_401,
    restart_keeps_records_and_schema,
    a_schema_1_database_with_records_is_upgraded,
    rate_limit_cors_and_inline_secret,
    the_inline_secret_holds_beside_a_session_cookie,
    behind_a_trusted_proxy_each_client_is_counted,
    no_secret_or_personal_data_in_logs,
    serves_www_and_pkg,
);

/// SHA-256 in lowercase hex, computed here rather than by the crate under test.
fn independent_sha256(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn count(server: &Server) -> usize {
    exported(server).await.len()
}

async fn issues_per_session_keys(backend: Backend) {
    let server = Server::start(backend, &[]).await;
    let a = send("POST", &server.url("/api/keys"), &[], vec![]).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.header("cache-control"), Some("no-store"));
    let cookie = a.header("set-cookie").unwrap();
    assert!(cookie.starts_with("consent_form_session="), "{cookie}");
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age="] {
        assert!(cookie.contains(attr), "{attr} in {cookie}");
    }
    let j = a.json();
    let secret = j["secret"].as_str().unwrap();
    assert!(secret.starts_with("whsec_"));
    assert!(Secret::parse(secret).is_ok());
    let expires = j["expires_at"].as_u64().unwrap();
    let t = now();
    assert!(expires > t + 290 && expires <= t + 601, "{expires} vs {t}");
    let said = j["now"].as_u64().unwrap();
    assert!(
        said + 2 >= t && said <= t,
        "the server's clock: {said} vs {t}"
    );

    // The same session gets a key it can use; another session another key.
    let v1 = Visitor::new(&server).await;
    let again = Visitor::with_cookie(&server, Some(&v1.cookie)).await;
    assert_eq!(again.cookie, v1.cookie, "the session is kept");
    let v2 = Visitor::new(&server).await;
    assert_ne!(v1.cookie, v2.cookie);
    assert_ne!(v1.secret.expose_whsec(), v2.secret.expose_whsec());

    // Only POST.
    let g = send("GET", &server.url("/api/keys"), &[], vec![]).await;
    assert_eq!(g.status, 405);
}

async fn stores_a_valid_submission_once_and_repeats_the_first_answer(backend: Backend) {
    let server = Server::start(backend, &[]).await;
    let visitor = Visitor::new(&server).await;
    let id = new_id();
    let body = valid_payload(&id).to_body();
    let first = visitor.post(&server, id.as_str(), &body).await;
    assert_eq!(first.status, 200, "{}", first.text());
    let j = first.json();
    assert_eq!(j["ok"], true);
    assert_eq!(j["id"], id.as_str());
    assert!(j["received_at"].as_str().is_some());

    // A retry: same id and body, fresh timestamp and signature.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let retry = visitor.post(&server, id.as_str(), &body).await;
    assert_eq!(retry.status, first.status);
    assert_eq!(retry.body, first.body, "answered exactly as the first time");

    let records = exported(&server).await;
    assert_eq!(records.len(), 1);
    let r = &records[0];
    assert_eq!(r["id"], id.as_str());
    assert_eq!(r["form"], "contact");
    assert_eq!(
        r["body_sha256"],
        signing::sha256_hex(std::str::from_utf8(&body).unwrap())
    );
    let sent: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(r["payload"], sent, "stored as received");
    // The exact bytes, whose SHA-256 an owner can check against body_sha256.
    let exact = r["body"]
        .as_str()
        .expect("the body as received, as a string");
    assert_eq!(exact.as_bytes(), &body[..]);
    assert_eq!(r["body_sha256"], independent_sha256(exact.as_bytes()));
    // One record as JSON: the same, and the payload in the order it came (the body's
    // bytes appear as they are).
    let one = owner_get(&server, &format!("/owner/records/{}", id.as_str())).await;
    let j = one.json();
    assert_eq!(j["body"].as_str(), Some(exact));
    assert_eq!(j["body_sha256"], independent_sha256(exact.as_bytes()));
    assert!(
        one.text().contains(std::str::from_utf8(&body).unwrap()),
        "the payload as received, key order kept: {}",
        one.text()
    );
    assert_eq!(r["consent_state"]["consultation"], "active");
    assert_eq!(r["consent_state"]["marketing"], "active");
    assert_eq!(r["fields"]["phone"], "+84902666984");
    assert!(r["events"].as_array().unwrap().is_empty());

    // A second, different submission is a second record.
    let id2 = new_id();
    let body2 = payload(
        &id2,
        &[
            (FieldName::Name, "Trần Thị Bình"),
            (FieldName::Phone, "+84838221234"),
        ],
        false,
    )
    .to_body();
    let a = visitor.post(&server, id2.as_str(), &body2).await;
    assert_eq!(a.status, 200, "{}", a.text());
    let records = exported(&server).await;
    assert_eq!(records.len(), 2);
    assert_eq!(
        records[1]["consent_state"]["marketing"], "refused",
        "refusals are recorded"
    );
}

async fn concurrent_repeats_are_stored_once(backend: Backend) {
    let server = std::sync::Arc::new(Server::start(backend, &[]).await);
    let visitor = std::sync::Arc::new(Visitor::new(&server).await);
    let id = new_id();
    let body = valid_payload(&id).to_body();
    let mut tasks = Vec::new();
    for _ in 0..12 {
        let (server, visitor, id, body) =
            (server.clone(), visitor.clone(), id.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            visitor.post(&server, id.as_str(), &body).await
        }));
    }
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    for a in &answers {
        assert_eq!(a.status, 200, "{}", a.text());
        assert_eq!(a.body, answers[0].body);
    }
    assert_eq!(count(&server).await, 1);
}

async fn a_reused_id_with_another_body_is_refused(backend: Backend) {
    let server = Server::start(backend, &[]).await;
    let visitor = Visitor::new(&server).await;
    let id = new_id();
    let body = valid_payload(&id).to_body();
    assert_eq!(visitor.post(&server, id.as_str(), &body).await.status, 200);
    let other = payload(
        &id,
        &[
            (FieldName::Name, "Kẻ Khác"),
            (FieldName::Phone, "+84912345678"),
        ],
        false,
    )
    .to_body();
    let a = visitor.post(&server, id.as_str(), &other).await;
    assert_eq!(a.status, 409, "{}", a.text());
    assert_eq!(a.code(), "id_reused");
    let records = exported(&server).await;
    assert_eq!(records.len(), 1);
    assert_eq!(
        records[0]["fields"]["name"], "Nguyễn Văn An",
        "the first stays"
    );
}

async fn refuses_what_is_not_signed_by_the_sessions_key(backend: Backend) {
    let server = Server::start(backend, &[]).await;
    let visitor = Visitor::new(&server).await;
    let other_visitor = Visitor::new(&server).await;
    let id = new_id();
    let body = valid_payload(&id).to_body();
    let json = ("content-type".to_owned(), "application/json".to_owned());
    let cookie = ("cookie".to_owned(), visitor.cookie.clone());

    // No session cookie (and no inline secret configured).
    let mut h = signed(&visitor.secret, id.as_str(), now(), &body);
    h.push(json.clone());
    let a = send("POST", &server.url("/api/leads"), &h, body.clone()).await;
    a.assert_refused(401, "no_session");

    // Another session's key.
    let a = visitor
        .post_signed(&server, &other_visitor.secret, id.as_str(), now(), &body)
        .await;
    a.assert_refused(401, "bad_signature");

    // A key nobody issued.
    let stranger = Secret::from_bytes(b"not a key this receiver issued").unwrap();
    let a = visitor
        .post_signed(&server, &stranger, id.as_str(), now(), &body)
        .await;
    assert_eq!(a.status, 401);

    // The body changed after signing.
    let mut h = signed(&visitor.secret, id.as_str(), now(), &body);
    h.extend([json.clone(), cookie.clone()]);
    let mut tampered = body.clone();
    let pos = tampered.windows(9).position(|w| w == b"902666984").unwrap();
    tampered[pos] = b'3';
    let a = send("POST", &server.url("/api/leads"), &h, tampered).await;
    assert_eq!((a.status, a.code().as_str()), (401, "bad_signature"));

    // Stale and future timestamps (a replay, or a clock far off).
    for ts in [now() - 400, now() + 400] {
        let a = visitor
            .post_signed(&server, &visitor.secret, id.as_str(), ts, &body)
            .await;
        assert_eq!(
            (a.status, a.code().as_str()),
            (401, "stale_timestamp"),
            "{ts}"
        );
    }

    // Hostile header values.
    for (name, value, code) in [
        ("webhook-timestamp", "-9223372036854775808", "bad_timestamp"),
        (
            "webhook-timestamp",
            "99999999999999999999999",
            "bad_timestamp",
        ),
        ("webhook-timestamp", "1e9", "bad_timestamp"),
        ("webhook-signature", "v1,!!!!", "bad_signature"),
        ("webhook-signature", "garbage", "bad_signature"),
        ("webhook-id", "msg_другой", "bad_signature"),
    ] {
        let mut h: Vec<(String, String)> = signed(&visitor.secret, id.as_str(), now(), &body)
            .into_iter()
            .filter(|(k, _)| k != name)
            .collect();
        h.push((name.to_owned(), value.to_owned()));
        h.extend([json.clone(), cookie.clone()]);
        let a = send("POST", &server.url("/api/leads"), &h, body.clone()).await;
        assert_eq!(a.status, 401, "{name}: {value}: {}", a.text());
        assert_eq!(a.code(), code, "{name}: {value}");
    }
    for missing in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
        let mut h: Vec<(String, String)> = signed(&visitor.secret, id.as_str(), now(), &body)
            .into_iter()
            .filter(|(k, _)| k != missing)
            .collect();
        h.extend([json.clone(), cookie.clone()]);
        let a = send("POST", &server.url("/api/leads"), &h, body.clone()).await;
        assert_eq!(
            (a.status, a.code().as_str()),
            (401, "missing_signature"),
            "{missing}"
        );
    }

    assert_eq!(count(&server).await, 0, "nothing refused is stored");
    // Still serving, and the honest request goes through.
    assert_eq!(visitor.post(&server, id.as_str(), &body).await.status, 200);
}

async fn refuses_invalid_payloads_and_stores_none(backend: Backend) {
    let server = Server::start(backend, &[]).await;
    let v = Visitor::new(&server).await;
    let id = new_id();
    let good: serde_json::Value = serde_json::from_slice(&valid_payload(&id).to_body()).unwrap();
    let with = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut j = good.clone();
        f(&mut j);
        serde_json::to_vec(&j).unwrap()
    };

    let cases: Vec<(&str, Vec<u8>, u16, &str, &str)> = vec![
        ("not JSON", b"{\"id\": ".to_vec(), 400, "bad_json", ""),
        (
            "JSON, not an object",
            b"[1,2,3]".to_vec(),
            400,
            "bad_json",
            "",
        ),
        (
            "wrong type",
            with(&|j| j["consents"] = 7.into()),
            400,
            "bad_json",
            "",
        ),
        (
            "unknown key",
            with(&|j| j["admin"] = true.into()),
            400,
            "bad_json",
            "admin",
        ),
        (
            "unknown field",
            with(&|j| j["fields"]["password"] = "x".into()),
            400,
            "bad_json",
            "",
        ),
        (
            "unknown form",
            with(&|j| j["form"] = "survey".into()),
            422,
            "invalid_payload",
            "survey",
        ),
        (
            "bad phone",
            with(&|j| j["fields"]["phone"] = "+15555550123".into()),
            422,
            "invalid_payload",
            "phone",
        ),
        (
            "bad email",
            with(&|j| j["fields"]["email"] = "an@@vidu".into()),
            422,
            "invalid_payload",
            "email",
        ),
        (
            "no consultation consent",
            with(&|j| {
                let c = j["consents"].as_array_mut().unwrap();
                c.remove(0);
            }),
            422,
            "invalid_payload",
            "consultation",
        ),
        (
            "text hash changed",
            with(&|j| j["consents"][0]["text"] = "Tôi đồng ý mọi thứ.".into()),
            422,
            "invalid_payload",
            "text_sha256",
        ),
        (
            "field too long",
            with(&|j| j["fields"]["name"] = "A".repeat(5000).into()),
            422,
            "invalid_payload",
            "name",
        ),
        (
            "giant body",
            with(&|j| j["fields"]["need"] = "x".repeat(70_000).into()),
            413,
            "too_large",
            "",
        ),
    ];
    for (what, body, status, code, mentions) in cases {
        let a = v.post(&server, id.as_str(), &body).await;
        assert_eq!(a.status, status, "{what}: {}", a.text());
        assert_eq!(a.code(), code, "{what}");
        assert!(
            a.text().contains(mentions),
            "{what}: says what is wrong: {}",
            a.text()
        );
    }

    // The id in the body must be the signed webhook-id.
    let other = new_id();
    let body = valid_payload(&id).to_body();
    let a = v.post(&server, other.as_str(), &body).await;
    assert_eq!((a.status, a.code().as_str()), (400, "id_mismatch"));

    // Not JSON by content type; not UTF-8.
    let mut h = signed(&v.secret, id.as_str(), now(), &body);
    h.extend([
        ("content-type".to_owned(), "text/plain".to_owned()),
        ("cookie".to_owned(), v.cookie.clone()),
    ]);
    let a = send("POST", &server.url("/api/leads"), &h, body.clone()).await;
    assert_eq!((a.status, a.code().as_str()), (415, "not_json"));
    let latin1 = b"{\"name\":\"Nguy\xe9n\"}".to_vec();
    let a = v.post(&server, id.as_str(), &latin1).await;
    assert_eq!(a.status, 400, "{}", a.text());

    // A giant body with a small signed one's headers.
    let mut h = signed(&v.secret, id.as_str(), now(), b"{}");
    h.extend([
        ("content-type".to_owned(), "application/json".to_owned()),
        ("cookie".to_owned(), v.cookie.clone()),
    ]);
    let a = send("POST", &server.url("/api/leads"), &h, vec![b' '; 200_000]).await;
    assert_eq!(a.status, 413);

    assert_eq!(count(&server).await, 0, "nothing invalid is stored");
    let a = v.post(&server, id.as_str(), &body).await;
    assert_eq!(a.status, 200, "{}", a.text());
}

async fn accepts_a_submission_signed_by_the_npm_library(backend: Backend) {
    let server = Server::start(backend, &[]).await;
    let v = Visitor::new(&server).await;
    let id = new_id();
    let body = valid_payload(&id).to_body();
    let ts = now();
    let node_signature = node_sign(&v.secret, id.as_str(), ts, &body);
    // Our signing module computes the same signature and accepts the library's.
    let ours = signing::sign(&v.secret, &id, ts, &body);
    assert_eq!(node_signature, ours.as_str());
    let ts_text = ts.to_string();
    let headers = WebhookHeaders {
        id: id.as_str(),
        timestamp: &ts_text,
        signature: &node_signature,
    };
    assert!(signing::verify(&v.secret, &headers, &body, ts).is_ok());

    let h = vec![
        ("webhook-id".to_owned(), id.as_str().to_owned()),
        ("webhook-timestamp".to_owned(), ts_text.clone()),
        ("webhook-signature".to_owned(), node_signature),
        ("content-type".to_owned(), "application/json".to_owned()),
        ("cookie".to_owned(), v.cookie.clone()),
    ];
    let a = send("POST", &server.url("/api/leads"), &h, body.clone()).await;
    assert_eq!(a.status, 200, "{}", a.text());
    assert_eq!(count(&server).await, 1);
}

/// Signs with the official npm `standardwebhooks` package (receiver/tests/node/sign.mjs).
fn node_sign(secret: &Secret, id: &str, ts: u64, body: &[u8]) -> String {
    let input = serde_json::json!({
        "secret": secret.expose_whsec(),
        "id": id,
        "timestamp": ts,
        "body": std::str::from_utf8(body).unwrap(),
    });
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    common::run_json(
        "node",
        "tests/node/sign.mjs",
        dir,
        &input,
        "npm ci installs node_modules/standardwebhooks",
    )
}

/// A submission from `name` (with a phone and marketing given), stored: its id.
async fn stored_as(server: &Server, v: &Visitor, name: &str) -> MessageId {
    let id = new_id();
    let body = payload(
        &id,
        &[(FieldName::Name, name), (FieldName::Phone, "+84902666984")],
        true,
    );
    let a = v.post(server, id.as_str(), &body.to_body()).await;
    assert_eq!(a.status, 200, "{}", a.text());
    id
}

async fn owner_endpoints_need_the_token_and_escape_everything(backend: Backend) {
    let server = Server::start(backend, &[]).await;
    let v = Visitor::new(&server).await;
    let hostile_name = "<script>alert('x')</script> =HYPERLINK(\"http://evil\")";
    let mut ids = Vec::new();
    for name in ["Nguyễn Văn An", hostile_name, "=cmd|' /C calc'!A0"] {
        ids.push(stored_as(&server, &v, name).await);
    }

    // Without, with a wrong, and with the right token.
    let url = server.url("/owner/records");
    let a = send("GET", &url, &[], vec![]).await;
    assert_eq!(a.status, 401);
    assert!(a.headers["www-authenticate"]
        .iter()
        .any(|v| v.starts_with("Basic")));
    let wrong = vec![("authorization".to_owned(), format!("Bearer {OWNER_TOKEN}x"))];
    assert_eq!(send("GET", &url, &wrong, vec![]).await.status, 401);
    let basic = {
        use base64::Engine as _;
        let b = base64::engine::general_purpose::STANDARD.encode(format!("owner:{OWNER_TOKEN}"));
        vec![("authorization".to_owned(), format!("Basic {b}"))]
    };
    assert_eq!(send("GET", &url, &basic, vec![]).await.status, 200);

    // Newest first, paged.
    let a = owner_get(&server, "/owner/records?limit=2").await;
    let j = a.json();
    let page: Vec<&str> = j["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(page, [ids[2].as_str(), ids[1].as_str()]);
    let next = j["next_before"].as_i64().unwrap();
    let a = owner_get(&server, &format!("/owner/records?limit=2&before={next}")).await;
    let j = a.json();
    assert_eq!(j["records"].as_array().unwrap().len(), 1);
    assert_eq!(j["records"][0]["id"], ids[0].as_str());
    assert!(j["next_before"].is_null());

    // One record; an unknown one.
    let a = owner_get(&server, &format!("/owner/records/{}", ids[1].as_str())).await;
    assert_eq!(a.json()["fields"]["name"], hostile_name);
    let a = owner_get(&server, "/owner/records/msg_nope").await;
    assert_eq!(a.status, 404);

    // The printable receipt escapes everything and runs nothing.
    let a = owner_get(
        &server,
        &format!("/owner/records/{}/receipt", ids[1].as_str()),
    )
    .await;
    assert_eq!(a.status, 200);
    assert!(a.header("content-type").unwrap().starts_with("text/html"));
    let csp = a.header("content-security-policy").unwrap().to_owned();
    assert!(csp.starts_with("default-src 'none'; "), "{csp}");
    assert!(!csp.contains("unsafe"), "{csp}");
    let html = a.text();
    assert!(!html.contains("<script"), "{html}");
    // Its one style sheet is allowed by its hash, and nothing else is.
    let style = html
        .split_once("<style>")
        .and_then(|(_, rest)| rest.split_once("</style>"))
        .map(|(style, _)| style)
        .unwrap();
    let hash = {
        use base64::Engine as _;
        use sha2::Digest as _;
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(style.as_bytes()))
    };
    assert!(
        csp.contains(&format!("style-src 'sha256-{hash}';")),
        "{csp}"
    );
    assert_eq!(html.matches("<style").count(), 1);
    assert!(!html.contains(" style="), "{html}");
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    let config = contact_config();
    let texts = consent_form::messages::Texts::new(config.locale, config.texts.clone());
    for shown in consent_form::notices::notices(&config, &texts, true) {
        assert!(
            html.contains(&receiver::receipt::escape(&shown.notice.text)),
            "the exact text shown"
        );
    }
    assert!(html.contains(ids[1].as_str()));

    // Exports: JSON lines and CSV, formulas defused.
    let records = exported(&server).await;
    assert_eq!(records.len(), 3);
    let a = owner_get(&server, "/owner/export?format=csv").await;
    assert_eq!(a.status, 200);
    assert!(a.header("content-type").unwrap().starts_with("text/csv"));
    let csv = a.text();
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(lines[0].starts_with("seq,id,received_at"));
    assert!(csv.contains("'=cmd|"), "{csv}");
    assert!(!csv.contains(",=cmd"), "{csv}");
    assert!(
        csv.contains(",+84902666984,"),
        "a phone stays a phone: {csv}"
    );
    let a = owner_get(&server, "/owner/export?format=xml").await;
    assert_eq!(a.status, 400);
}

/// A name with Unicode's bidirectional controls (right-to-left override, isolates) is
/// shown on the printable receipt as the visitor typed it, the controls visible as
/// `\u{…}`: else the page the owner prints as proof shows other text than was signed
/// ("Trojan Source", CVE-2021-42574). The record itself keeps the bytes.
async fn the_printable_receipt_shows_bidi_controls(backend: Backend) {
    let server = Server::start(backend, &[]).await;
    let v = Visitor::new(&server).await;
    let name = "Tr\u{202E}nA n\u{103}V n\u{1EC5}yugN\u{202C} \u{2067}x\u{2069}";
    let id = stored_as(&server, &v, name).await;
    let a = owner_get(&server, &format!("/owner/records/{}", id.as_str())).await;
    assert_eq!(a.json()["fields"]["name"], name);
    let html = owner_get(&server, &format!("/owner/records/{}/receipt", id.as_str()))
        .await
        .text();
    for c in ['\u{202E}', '\u{202C}', '\u{2067}', '\u{2069}'] {
        assert!(!html.contains(c), "{c:?} is in the page");
    }
    assert!(
        html.contains("Tr\\u{202e}nA n\u{103}V n\u{1EC5}yugN\\u{202c} \\u{2067}x\\u{2069}"),
        "{html}"
    );
}

async fn withdrawals_and_corrections_are_new_events(backend: Backend) {
    let server = Server::start(backend, &[]).await;
    let v = Visitor::new(&server).await;
    let id = new_id();
    let body = valid_payload(&id).to_body();
    assert_eq!(v.post(&server, id.as_str(), &body).await.status, 200);
    let events_url = server.url(&format!("/owner/records/{}/events", id.as_str()));
    let post = |json: serde_json::Value| {
        let url = events_url.clone();
        async move {
            let mut h = owner();
            h.push(("content-type".into(), "application/json".into()));
            send("POST", &url, &h, json.to_string().into_bytes()).await
        }
    };

    let a = post(serde_json::json!({"type": "withdrawn", "purpose": "marketing", "by": "principal", "note": "email ngày 24/11"})).await;
    assert_eq!(a.status, 201, "{}", a.text());
    assert_eq!(a.json()["kind"], "withdrawn");
    let a =
        post(serde_json::json!({"type": "withdrawn", "purpose": "marketing", "by": "principal"}))
            .await;
    a.assert_refused(409, "not_active");
    let a = post(
        serde_json::json!({"type": "withdrawn", "purpose": "call_recording", "by": "principal"}),
    )
    .await;
    assert_eq!(a.status, 409, "not asked: {}", a.text());
    let a = post(serde_json::json!({"type": "corrected", "fields": {"email": "an@vidu.com.vn", "phone": "0912 345 678"}, "by": "principal"})).await;
    assert_eq!(a.status, 201, "{}", a.text());
    assert_eq!(
        a.json()["detail"]["fields"]["phone"],
        "+84912345678",
        "stored as E.164"
    );
    for (bad, status) in [
        (
            serde_json::json!({"type": "corrected", "fields": {"phone": "123"}, "by": "principal"}),
            422,
        ),
        (
            serde_json::json!({"type": "corrected", "fields": {"callback_date": "2099-01-01"}, "by": "principal"}),
            422,
        ),
        (
            serde_json::json!({"type": "corrected", "fields": {"password": "x"}, "by": "principal"}),
            422,
        ),
        (
            serde_json::json!({"type": "corrected", "fields": {}, "by": "principal"}),
            422,
        ),
        (
            serde_json::json!({"type": "deleted", "by": "principal"}),
            422,
        ),
        (
            serde_json::json!({"type": "withdrawn", "purpose": "consultation", "by": "someone"}),
            422,
        ),
        (
            serde_json::json!({"type": "withdrawn", "purpose": "consultation", "by": "principal", "at": "yesterday"}),
            422,
        ),
        (
            serde_json::json!({"type": "withdrawn", "purpose": "consultation", "by": "principal", "extra": 1}),
            422,
        ),
    ] {
        let a = post(bad.clone()).await;
        assert_eq!(a.status, status, "{bad}: {}", a.text());
    }
    let mut h = owner();
    h.push(("content-type".into(), "application/json".into()));
    let a = send("POST", &events_url, &h, b"{not json".to_vec()).await;
    assert_eq!(a.status, 400);
    let a = send(
        "POST",
        &server.url("/owner/records/msg_0000000000000000/events"),
        &h,
        serde_json::json!({"type": "withdrawn", "purpose": "marketing", "by": "principal"})
            .to_string()
            .into_bytes(),
    )
    .await;
    assert_eq!(a.status, 404);

    let records = exported(&server).await;
    assert_eq!(records.len(), 1);
    let r = &records[0];
    assert_eq!(r["consent_state"]["marketing"], "withdrawn");
    assert_eq!(r["consent_state"]["consultation"], "active");
    assert_eq!(r["fields"]["email"], "an@vidu.com.vn");
    assert_eq!(r["fields"]["phone"], "+84912345678");
    // The submission itself is untouched: same bytes, same original values.
    assert_eq!(
        r["body_sha256"],
        signing::sha256_hex(std::str::from_utf8(&body).unwrap())
    );
    assert_eq!(r["payload"]["fields"]["email"], "an.nguyen@vidu.vn");
    let events = r["events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["kind"], "withdrawn");
    assert_eq!(events[0]["detail"]["note"], "email ngày 24/11");
    assert_eq!(events[1]["kind"], "corrected");

    let receipt = owner_get(&server, &format!("/owner/records/{}/receipt", id.as_str())).await;
    assert!(receipt.text().contains("Withdrawn"));
    assert!(
        receipt.text().contains("an.nguyen@vidu.vn"),
        "the original value stays visible"
    );
}

/// Every refusal is JSON with a code that names the problem: an owner's event dated
/// before the submission arrived, the wrong content type, a body over the limit, a
/// method a route does not take, a URI too long.
async fn refusals_are_json_with_a_code_that_says_why(backend: Backend) {
    let server = Server::start(backend, &[]).await;
    let v = Visitor::new(&server).await;
    let id = stored_submission(&server, &v).await;
    let events = format!("/owner/records/{}/events", id.as_str());

    // `at` before the submission was received: its own code, for either kind.
    for event in [
        serde_json::json!({"type": "withdrawn", "purpose": "marketing", "by": "principal", "at": "2020-01-01T00:00:00+07:00"}),
        serde_json::json!({"type": "corrected", "fields": {"email": "an@vidu.com.vn"}, "by": "principal", "at": "2020-01-01T00:00:00+07:00"}),
    ] {
        owner_event(&server, id.as_str(), event)
            .await
            .assert_refused(422, "at_before_received");
    }
    // Still active, nothing recorded.
    let r = owner_get(&server, &format!("/owner/records/{}", id.as_str())).await;
    assert_eq!(r.json()["consent_state"]["marketing"], "active");
    assert!(r.json()["events"].as_array().unwrap().is_empty());

    let event = serde_json::json!({"type": "withdrawn", "purpose": "marketing", "by": "principal"});
    let with_type = |content_type: &str| {
        [
            owner(),
            vec![("content-type".to_owned(), content_type.to_owned())],
        ]
        .concat()
    };
    let a = send(
        "POST",
        &server.url(&events),
        &with_type("text/plain"),
        event.to_string().into_bytes(),
    )
    .await;
    a.assert_refused(415, "not_json");
    let a = send(
        "POST",
        &server.url(&events),
        &with_type("application/json"),
        serde_json::json!({"type": "withdrawn", "purpose": "marketing", "by": "principal", "note": "x".repeat(70_000)})
            .to_string()
            .into_bytes(),
    )
    .await;
    a.assert_refused(413, "too_large");
    let a = send(
        "POST",
        &server.url(&events),
        &with_type("application/json"),
        b"{not json".to_vec(),
    )
    .await;
    a.assert_refused(400, "bad_json");

    // A method the route does not take: 405 with Allow, as JSON.
    for (method, path, allow) in [
        ("GET", events.as_str(), "POST"),
        ("PUT", "/api/leads", "POST"),
        ("DELETE", "/owner/records", "GET"),
    ] {
        let a = send(method, &server.url(path), &owner(), vec![]).await;
        a.assert_refused(405, "method_not_allowed");
        assert!(a.header("allow").unwrap_or("").contains(allow), "{a:?}");
        // The message names what the path takes, as the header does.
        assert!(
            a.json()["message"].as_str().unwrap_or("").contains(allow),
            "{}",
            a.text()
        );
        assert_eq!(a.header("content-type"), Some("application/json"));
    }
    // A URI longer than any route needs: 414, as JSON.
    for path in [
        format!("/{}", "a".repeat(9000)),
        format!("/owner/records?limit=5&x={}", "a".repeat(9000)),
    ] {
        let a = send("GET", &server.url(&path), &owner(), vec![]).await;
        a.assert_refused(414, "uri_too_long");
    }
    assert_eq!(count(&server).await, 1);
}

async fn a_visitor_withdraws_from_the_receipt(backend: Backend) {
    let server = Server::start(backend, &[]).await;
    let v = Visitor::new(&server).await;
    let id = stored_submission(&server, &v).await;
    let w = withdrawal(&id, "marketing");
    let first = v.withdraw(&server, &w).await;
    assert_eq!(first.status, 200, "{}", first.text());
    let j = first.json();
    assert_eq!(
        (
            j["ok"].clone(),
            j["id"].clone(),
            j["withdraws"].clone(),
            j["purpose"].clone()
        ),
        (
            true.into(),
            w.id.as_str().into(),
            id.as_str().into(),
            "marketing".into()
        )
    );

    // A retry of the same message (a fresh signature): the first answer, stored once.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let again = v.withdraw(&server, &w).await;
    assert_eq!(
        (again.status, again.body.clone()),
        (first.status, first.body.clone())
    );
    // The same id with another body is not a retry.
    let mut other = w.clone();
    other.text = "Khác?".into();
    other.text_sha256 = signing::sha256_hex(&other.text);
    let a = v.withdraw(&server, &other).await;
    a.assert_refused(409, "id_reused");
    // Nor is the same id naming another submission: a message id is recorded once.
    let id3 = stored_submission(&server, &v).await;
    let mut elsewhere = w.clone();
    elsewhere.withdraws = id3.clone();
    let a = v.withdraw(&server, &elsewhere).await;
    a.assert_refused(409, "id_reused");
    let records = exported(&server).await;
    assert!(
        records[1]["events"].as_array().unwrap().is_empty(),
        "nothing recorded: {}",
        records[1]
    );

    let records = exported(&server).await;
    let r = &records[0];
    assert_eq!(r["consent_state"]["marketing"], "withdrawn");
    assert_eq!(r["consent_state"]["consultation"], "active");
    let events = r["events"].as_array().unwrap();
    assert_eq!(events.len(), 1, "stored once: {events:?}");
    let e = &events[0];
    assert_eq!(
        (e["kind"].as_str(), e["by"].as_str()),
        (Some("withdrawn"), Some("principal"))
    );
    assert_eq!(e["detail"]["message_id"], w.id.as_str());
    assert_eq!(e["detail"]["text"], w.text.as_str());
    assert_eq!(e["detail"]["text_sha256"], signing::sha256_hex(&w.text));
    assert_eq!(e["detail"]["withdrawn_at"], w.withdrawn_at.as_str());
    assert_eq!(e["recorded_at"], j["recorded_at"]);
    // The owner API's record says the same.
    let one = owner_get(&server, &format!("/owner/records/{}", id.as_str())).await;
    assert_eq!(one.json()["consent_state"]["marketing"], "withdrawn");
    // And the CSV says when, not only that it was.
    let csv = owner_get(&server, "/owner/export?format=csv").await.text();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    let column = header.iter().position(|c| *c == "withdrawals");
    let row: Vec<&str> = lines
        .find(|l| l.contains(id.as_str()))
        .unwrap_or_default()
        .split(',')
        .collect();
    assert_eq!(
        column.and_then(|c| row.get(c)).copied(),
        Some(format!("marketing={}", e["at"].as_str().unwrap()).as_str()),
        "{csv}"
    );

    // Withdrawn already: a new message for it is refused, with words.
    let a = v.withdraw(&server, &withdrawal(&id, "marketing")).await;
    a.assert_refused(409, "not_active");
    assert!(
        a.json()["message"].as_str().unwrap().contains("withdrawn"),
        "{}",
        a.text()
    );
    // The consultation can be withdrawn too.
    let a = v.withdraw(&server, &withdrawal(&id, "consultation")).await;
    assert_eq!(a.status, 200, "{}", a.text());

    // Refused, or never asked: nothing to withdraw.
    let id2 = new_id();
    let body2 = payload(
        &id2,
        &[
            (FieldName::Name, "Trần Thị Bình"),
            (FieldName::Phone, "+84838221234"),
        ],
        false,
    )
    .to_body();
    assert_eq!(v.post(&server, id2.as_str(), &body2).await.status, 200);
    let a = v.withdraw(&server, &withdrawal(&id2, "marketing")).await;
    a.assert_refused(409, "not_active");
    assert!(
        a.json()["message"].as_str().unwrap().contains("refused"),
        "{}",
        a.text()
    );
    let a = v
        .withdraw(&server, &withdrawal(&id2, "call_recording"))
        .await;
    assert_eq!(a.status, 409, "{}", a.text());

    // An unknown submission: 404, which the form does not retry.
    let a = v
        .withdraw(&server, &withdrawal(&new_id(), "marketing"))
        .await;
    assert_eq!(a.status, 404, "{}", a.text());
    let records = exported(&server).await;
    assert_eq!(records.len(), 3);
    assert_eq!(records[2]["events"].as_array().unwrap().len(), 0);
}

/// The printable receipt is the owner's proof: a visitor's withdrawal is shown there
/// with the exact question they confirmed, its SHA-256, their message's id and the
/// time on their clock — not only "withdrawn marketing".
async fn the_printable_receipt_shows_what_a_withdrawal_confirmed(backend: Backend) {
    let server = Server::start(backend, &[]).await;
    let v = Visitor::new(&server).await;
    let id = stored_submission(&server, &v).await;
    let mut w = withdrawal(&id, "marketing");
    w.text = "Rút lại đồng ý: “nhận tin” <b>& thôi</b>?".into();
    w.text_sha256 = signing::sha256_hex(&w.text);
    let a = v.withdraw(&server, &w).await;
    assert_eq!(a.status, 200, "{}", a.text());
    let page = owner_get(&server, &format!("/owner/records/{}/receipt", id.as_str()))
        .await
        .text();
    let events = page
        .split("Events since")
        .nth(1)
        .unwrap_or_else(|| panic!("no events section: {page}"));
    for needle in [
        "Rút lại đồng ý: “nhận tin” &lt;b&gt;&amp; thôi&lt;/b&gt;?",
        w.text_sha256.as_str(),
        w.id.as_str(),
        w.withdrawn_at.as_str(),
    ] {
        assert!(events.contains(needle), "{needle} in the events of {page}");
    }
    assert!(!events.contains("<b>"), "escaped: {events}");
}

async fn withdrawals_are_signed_valid_and_known(backend: Backend) {
    let server = Server::start(backend, &[]).await;
    let v = Visitor::new(&server).await;
    let other = Visitor::new(&server).await;
    let id = stored_submission(&server, &v).await;
    let w = withdrawal(&id, "marketing");
    let body = w.to_body();
    // No session, another session's key, a stale timestamp: as /api/leads answers.
    let mut h = signed(&v.secret, w.id.as_str(), now(), &body);
    h.push(("content-type".into(), "application/json".into()));
    let a = send("POST", &server.url("/api/withdrawals"), &h, body.clone()).await;
    a.assert_refused(401, "no_session");
    let a = v
        .withdraw_signed(&server, &other.secret, w.id.as_str(), now(), &body)
        .await;
    a.assert_refused(401, "bad_signature");
    let a = v
        .withdraw_signed(&server, &v.secret, w.id.as_str(), now() - 3600, &body)
        .await;
    a.assert_refused(401, "stale_timestamp");
    // Signed, but not a valid withdrawal.
    let mut bad = w.clone();
    bad.text_sha256 = "0".repeat(64);
    let a = v.withdraw(&server, &bad).await;
    a.assert_refused(422, "invalid_withdrawal");
    let a = v
        .withdraw_signed(&server, &v.secret, w.id.as_str(), now(), b"{\"id\":1}")
        .await;
    a.assert_refused(400, "bad_json");
    let a = v
        .withdraw_signed(&server, &v.secret, new_id().as_str(), now(), &body)
        .await;
    a.assert_refused(400, "id_mismatch");
    // Nothing was recorded by any of them.
    let records = exported(&server).await;
    assert_eq!(records[0]["consent_state"]["marketing"], "active");
    assert!(records[0]["events"].as_array().unwrap().is_empty());
}

async fn the_database_refuses_updates_and_deletes(backend: Backend) {
    let server = Server::start(backend, &[]).await;
    let v = Visitor::new(&server).await;
    let id = stored_submission(&server, &v).await;
    let events_url = server.url(&format!("/owner/records/{}/events", id.as_str()));
    let mut h = owner();
    h.push(("content-type".into(), "application/json".into()));
    let a = send(
        "POST",
        &events_url,
        &h,
        serde_json::json!({"type": "withdrawn", "purpose": "marketing", "by": "controller"})
            .to_string()
            .into_bytes(),
    )
    .await;
    assert_eq!(a.status, 201);

    let statements = [
        "UPDATE submissions SET form = 'callback'",
        "DELETE FROM submissions",
        "UPDATE events SET kind = 'corrected'",
        "DELETE FROM events",
    ];
    match backend {
        Backend::Sqlite => {
            let path = server.database.strip_prefix("sqlite:").unwrap().to_owned();
            let conn = rusqlite::Connection::open(path).unwrap();
            for sql in statements {
                let e = conn.execute(sql, []).unwrap_err().to_string();
                assert!(e.contains("append-only"), "{sql}: {e}");
            }
        }
        Backend::Postgres => {
            let (client, conn) = tokio_postgres::connect(&server.database, tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(conn);
            for sql in statements
                .iter()
                .copied()
                .chain(["TRUNCATE events", "TRUNCATE submissions CASCADE"])
            {
                let e = client.batch_execute(sql).await.unwrap_err();
                let msg = e
                    .as_db_error()
                    .map(|d| d.message().to_owned())
                    .unwrap_or_else(|| e.to_string());
                assert!(msg.contains("append-only"), "{sql}: {msg}");
            }
        }
    }
    let records = exported(&server).await;
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["form"], "contact");
    assert_eq!(records[0]["events"].as_array().unwrap().len(), 1);
}

fn sleep_until_unix(t: u64) -> Duration {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    Duration::from_secs(t).saturating_sub(now) + Duration::from_millis(50)
}

async fn expired_keys_have_a_grace_period_then_401(backend: Backend) {
    // Keys live 4 s and are accepted 3 s after.
    let server = Server::start(
        backend,
        &[("RECEIVER_KEY_TTL", "4"), ("RECEIVER_KEY_GRACE", "3")],
    )
    .await;
    let v = Visitor::new(&server).await;
    let expires = v.expires_at;
    assert!(expires > now() && expires <= now() + 4);

    // Signed before expiry, arriving 1 s after: accepted (grace).
    let id1 = new_id();
    let body1 = valid_payload(&id1).to_body();
    let ts = now().min(expires);
    tokio::time::sleep(sleep_until_unix(expires + 1)).await;
    let a = v
        .post_signed(&server, &v.secret, id1.as_str(), ts, &body1)
        .await;
    assert_eq!(a.status, 200, "within grace: {}", a.text());

    // Past the grace period: 401, so the component fetches a new key and signs again.
    tokio::time::sleep(sleep_until_unix(expires + 4)).await;
    let id2 = new_id();
    let body2 = valid_payload(&id2).to_body();
    let a = v.post(&server, id2.as_str(), &body2).await;
    a.assert_refused(401, "key_expired");
    let fresh = Visitor::with_cookie(&server, Some(&v.cookie)).await;
    assert!(fresh.expires_at > expires);
    let a = fresh.post(&server, id2.as_str(), &body2).await;
    assert_eq!(a.status, 200, "{}", a.text());
    assert_eq!(count(&server).await, 2);
}

async fn restart_keeps_records_and_schema(backend: Backend) {
    let db = fresh_database(backend).await;
    let secret = "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    let server = Server::start_on(&db, &[("RECEIVER_KEY_SECRET", secret)]);
    let v = Visitor::new(&server).await;
    let id = new_id();
    let body = valid_payload(&id).to_body();
    let first = v.post(&server, id.as_str(), &body).await;
    assert_eq!(first.status, 200);
    server.wait_for_log("(schema 7)");
    server.stop();

    // Same database, same key secret: migrations are not run twice, the record and
    // the session's key survive, and a retry is answered as the first time.
    let server = Server::start_on(&db, &[("RECEIVER_KEY_SECRET", secret)]);
    server.wait_for_log("(schema 7)");
    let again = v.post(&server, id.as_str(), &body).await;
    assert_eq!(again.status, 200, "{}", again.text());
    assert_eq!(again.body, first.body);
    assert_eq!(count(&server).await, 1);
}

/// Turns a schema-6 database back into what schema 1 was: schema 1's triggers, no
/// `captcha`, `erased_at` or `proof` column, no `lookup` or `chain` table, no record
/// of migrations 2 to 6.
async fn downgrade_to_schema_1(backend: Backend, db: &str) {
    let sqlite = "DROP TABLE chain; DROP TABLE lookup; DROP INDEX submissions_kept_by_received; \
         DROP TRIGGER events_hold; DROP TRIGGER events_no_personal_data_after_erasure; \
         DROP TRIGGER submissions_no_update; DROP TRIGGER events_no_update; \
         ALTER TABLE submissions DROP COLUMN proof; \
         ALTER TABLE submissions DROP COLUMN erased_at; \
         ALTER TABLE submissions DROP COLUMN captcha; \
         CREATE TRIGGER submissions_no_update BEFORE UPDATE ON submissions BEGIN SELECT \
           RAISE(ABORT, 'consent records are append-only: UPDATE on submissions refused'); END; \
         CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT \
           RAISE(ABORT, 'consent records are append-only: UPDATE on events refused'); END; \
         DELETE FROM receiver_migrations WHERE version >= 2;";
    let postgres = "DROP TABLE chain; DROP TABLE lookup; DROP INDEX submissions_kept_by_received; \
         DROP TRIGGER events_hold ON events; DROP FUNCTION receiver_event_hold(); \
         DROP TRIGGER events_after_erasure ON events; DROP FUNCTION receiver_event_after_erasure(); \
         DROP TRIGGER submissions_append_only ON submissions; \
         DROP TRIGGER events_append_only ON events; \
         DROP FUNCTION receiver_submission_erasure(); DROP FUNCTION receiver_event_erasure(); \
         CREATE TRIGGER submissions_append_only BEFORE UPDATE OR DELETE ON submissions \
           FOR EACH ROW EXECUTE FUNCTION receiver_append_only(); \
         CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events \
           FOR EACH ROW EXECUTE FUNCTION receiver_append_only(); \
         ALTER TABLE submissions DROP COLUMN proof, DROP COLUMN erased_at, DROP COLUMN captcha; \
         ALTER TABLE events DROP CONSTRAINT events_kind_check, ADD CONSTRAINT events_kind_check \
           CHECK (kind IN ('withdrawn', 'corrected')); \
         DELETE FROM receiver_migrations WHERE version >= 2;";
    let sql = match backend {
        Backend::Sqlite => sqlite,
        Backend::Postgres => postgres,
    };
    assert_eq!(run_sql_on(db, backend, sql).await, None);
}

async fn a_schema_1_database_with_records_is_upgraded(backend: Backend) {
    // A database the receiver of schema 1 filled: a submission and a withdrawal.
    let db = fresh_database(backend).await;
    let secret = "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    let server = Server::start_on(&db, &[("RECEIVER_KEY_SECRET", secret)]);
    let v = Visitor::new(&server).await;
    let old = new_id();
    let old_body = valid_payload(&old).to_body();
    assert_eq!(v.post(&server, old.as_str(), &old_body).await.status, 200);
    let w = v.withdraw(&server, &withdrawal(&old, "marketing")).await;
    assert_eq!(w.status, 200, "{}", w.text());
    server.stop();
    downgrade_to_schema_1(backend, &db).await;

    // This receiver migrates it to schema 7 at start; the old records read as before,
    // without a captcha outcome, and new submissions are stored.
    let server = Server::start_on(&db, &[("RECEIVER_KEY_SECRET", secret)]);
    server.wait_for_log("(schema 7)");
    let records = exported(&server).await;
    assert_eq!(records.len(), 1);
    let sent: serde_json::Value = serde_json::from_slice(&old_body).unwrap();
    assert_eq!(records[0]["payload"], sent);
    assert_eq!(records[0]["consent_state"]["marketing"], "withdrawn");
    assert!(records[0].get("captcha").is_none(), "{}", records[0]);
    let again = v.post(&server, old.as_str(), &old_body).await;
    assert_eq!(
        again.status,
        200,
        "a retry of an old submission: {}",
        again.text()
    );
    let new = new_id();
    let stored = v
        .post(&server, new.as_str(), &valid_payload(&new).to_body())
        .await;
    assert_eq!(stored.status, 200, "{}", stored.text());
    assert_eq!(count(&server).await, 2);
}

async fn rate_limit_cors_and_inline_secret(backend: Backend) {
    let inline = "whsec_aW5saW5lIHNlY3JldCBvZiBhIHN0YXRpYyBzaXRl";
    let server = Server::start(
        backend,
        &[
            ("RECEIVER_RATE_LIMIT", "4/min"),
            ("RECEIVER_ALLOW_ORIGINS", "https://vidu.vn"),
            ("RECEIVER_INLINE_SECRET", inline),
        ],
    )
    .await;
    // CORS: the allowed origin gets its preflight answered, another does not.
    let preflight = |origin: &str| {
        vec![
            ("origin".to_owned(), origin.to_owned()),
            (
                "access-control-request-method".to_owned(),
                "POST".to_owned(),
            ),
            (
                "access-control-request-headers".to_owned(),
                "content-type,webhook-id,webhook-timestamp,webhook-signature".to_owned(),
            ),
        ]
    };
    let a = send(
        "OPTIONS",
        &server.url("/api/leads"),
        &preflight("https://vidu.vn"),
        vec![],
    )
    .await;
    assert_eq!(
        a.header("access-control-allow-origin"),
        Some("https://vidu.vn")
    );
    let allowed = a
        .header("access-control-allow-headers")
        .unwrap_or("")
        .to_ascii_lowercase();
    assert!(allowed.contains("webhook-signature"), "{allowed}");
    let a = send(
        "OPTIONS",
        &server.url("/api/leads"),
        &preflight("https://evil.example"),
        vec![],
    )
    .await;
    assert_eq!(a.header("access-control-allow-origin"), None);

    // The inline secret (a page with `secret=`): no session needed.
    let id = new_id();
    let body = valid_payload(&id).to_body();
    let mut h = signed(&Secret::parse(inline).unwrap(), id.as_str(), now(), &body);
    h.push(("content-type".into(), "application/json".into()));
    h.push(("origin".into(), "https://vidu.vn".into()));
    let a = send("POST", &server.url("/api/leads"), &h, body.clone()).await;
    assert_eq!(a.status, 200, "{}", a.text());
    assert_eq!(
        a.header("access-control-allow-origin"),
        Some("https://vidu.vn")
    );

    // Four requests a minute per IP (two preflights and a post so far; preflights
    // count too), then 429 with Retry-After; static files are not limited.
    let a = send("POST", &server.url("/api/keys"), &[], vec![]).await;
    assert_eq!(a.status, 200);
    let a = send("POST", &server.url("/api/keys"), &[], vec![]).await;
    a.assert_refused(429, "rate_limited");
    let wait: u64 = a.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=15).contains(&wait), "{wait}");
    assert_ne!(send("GET", &server.url("/"), &[], vec![]).await.status, 429);
}

/// A same-origin page that signs with `secret`, visited by someone who holds a session
/// cookie from a `key-url` page of the site: the browser sends the cookie along, and the
/// inline secret must still verify (it is in the page anyway); the session's keys too.
async fn the_inline_secret_holds_beside_a_session_cookie(backend: Backend) {
    let inline = "whsec_aW5saW5lIHNlY3JldCBvZiBhIHN0YXRpYyBzaXRl";
    let server = Server::start(backend, &[("RECEIVER_INLINE_SECRET", inline)]).await;
    let v = Visitor::new(&server).await;
    let inline = Secret::parse(inline).unwrap();

    let id = new_id();
    let body = valid_payload(&id).to_body();
    let a = v
        .post_signed(&server, &inline, id.as_str(), now(), &body)
        .await;
    assert_eq!(
        a.status,
        200,
        "signed with the inline secret, with a cookie: {}",
        a.text()
    );
    let id = new_id();
    let body = valid_payload(&id).to_body();
    let a = v.post(&server, id.as_str(), &body).await;
    assert_eq!(a.status, 200, "signed with the session's key: {}", a.text());
    // A withdrawal signed with the inline secret, with the cookie.
    let w = withdrawal(&id, "marketing");
    let a = v
        .withdraw_signed(&server, &inline, w.id.as_str(), now(), &w.to_body())
        .await;
    assert_eq!(a.status, 200, "{}", a.text());

    // Neither key: still refused.
    let id = new_id();
    let body = valid_payload(&id).to_body();
    let stranger = Secret::from_bytes(b"neither the session's nor the page's").unwrap();
    v.post_signed(&server, &stranger, id.as_str(), now(), &body)
        .await
        .assert_refused(401, "bad_signature");
    assert_eq!(count(&server).await, 2);
}

async fn behind_a_trusted_proxy_each_client_is_counted(backend: Backend) {
    let server = Server::start(
        backend,
        &[
            ("RECEIVER_RATE_LIMIT", "1/min"),
            ("RECEIVER_TRUST_PROXY", "1"),
        ],
    )
    .await;
    let from = |chain: &str| vec![("x-forwarded-for".to_owned(), chain.to_owned())];
    let keys = server.url("/api/keys");
    // The proxy appends the address it saw: the last one counts, not what the client
    // wrote before it.
    assert_eq!(
        send("POST", &keys, &from("203.0.113.7"), vec![])
            .await
            .status,
        200
    );
    assert_eq!(
        send("POST", &keys, &from("203.0.113.7"), vec![])
            .await
            .status,
        429
    );
    assert_eq!(
        send("POST", &keys, &from("198.51.100.1, 203.0.113.7"), vec![])
            .await
            .status,
        429
    );
    assert_eq!(
        send("POST", &keys, &from("203.0.113.7, 203.0.113.8"), vec![])
            .await
            .status,
        200
    );
    assert_eq!(
        send("POST", &keys, &from("2001:db8::1"), vec![])
            .await
            .status,
        200
    );
    assert_eq!(
        send("POST", &keys, &from("2001:db8::2"), vec![])
            .await
            .status,
        429,
        "IPv6 per /64"
    );
}

async fn no_secret_or_personal_data_in_logs(backend: Backend) {
    let key_secret = "whsec_c2VjcmV0IGtleSBzZWNyZXQgZm9yIHRoZSBsb2cgdGVzdCEhIQ==";
    let server = Server::start(backend, &[("RECEIVER_KEY_SECRET", key_secret)]).await;
    let v = Visitor::new(&server).await;
    let id = new_id();
    let body = valid_payload(&id).to_body();
    assert_eq!(v.post(&server, id.as_str(), &body).await.status, 200);
    let stranger = Secret::from_bytes(b"wrong").unwrap();
    assert_eq!(
        v.post_signed(&server, &stranger, id.as_str(), now(), &body)
            .await
            .status,
        401
    );
    // The id is what authorises a withdrawal: every route that names it, answered or
    // refused, logs a reference to it instead.
    let w = withdrawal(&id, "marketing");
    assert_eq!(v.withdraw(&server, &w).await.status, 200);
    assert_eq!(v.withdraw(&server, &w).await.status, 200, "a repeat");
    let unknown = new_id();
    assert_eq!(
        v.withdraw(&server, &withdrawal(&unknown, "marketing"))
            .await
            .status,
        404
    );
    let record = format!("/owner/records/{}", id.as_str());
    assert_eq!(owner_get(&server, &record).await.status, 200);
    let receipt = format!("{record}/receipt");
    assert_eq!(owner_get(&server, &receipt).await.status, 200);
    let corrected = owner_event(
        &server,
        id.as_str(),
        serde_json::json!({"type": "corrected", "fields": {"email": "an@vidu.com.vn"}, "by": "principal"}),
    )
    .await;
    assert_eq!(corrected.status, 201, "{}", corrected.text());
    let missing = format!("/owner/records/{}", unknown.as_str());
    assert_eq!(owner_get(&server, &missing).await.status, 404);
    assert_eq!(owner_get(&server, "/owner/records").await.status, 200);
    server.wait_for_log("GET /owner/records 200");
    let log = server.log();
    assert!(
        log.contains("POST /api/leads 200"),
        "requests are logged: {log}"
    );
    // A reference an operator can compute from the id (the first 12 hex digits of its
    // SHA-256) and match with the log, which gives no way back to the id.
    let reference = |id: &str| format!("msg#{}", &independent_sha256(id.as_bytes())[..12]);
    for needle in [
        format!("stored {}", reference(id.as_str())),
        format!("withdrawn marketing of {}", reference(id.as_str())),
        format!("GET /owner/records/{} 200", reference(id.as_str())),
        format!("GET /owner/records/{}/receipt 200", reference(id.as_str())),
        format!("POST /owner/records/{}/events 201", reference(id.as_str())),
        format!("GET /owner/records/{} 404", reference(unknown.as_str())),
        format!("repeat of {}", reference(w.id.as_str())),
    ] {
        assert!(log.contains(&needle), "{needle:?} in the log:\n{log}");
    }
    let session = v.cookie.split('=').nth(1).unwrap();
    let issued = v.secret.expose_whsec();
    for secret in [
        id.as_str(),
        &id.as_str()[4..],
        unknown.as_str(),
        w.id.as_str(),
        key_secret,
        &key_secret[6..],
        issued.as_str(),
        &issued[6..],
        session,
        OWNER_TOKEN,
        "+84902666984",
        "an.nguyen@vidu.vn",
        "Nguyễn",
    ] {
        assert!(!log.contains(secret), "{secret:?} in the log:\n{log}");
    }
}

async fn serves_www_and_pkg(backend: Backend) {
    let dir =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("static-{}", new_id()));
    std::fs::create_dir_all(dir.join("www")).unwrap();
    std::fs::create_dir_all(dir.join("pkg")).unwrap();
    std::fs::write(dir.join("www/index.html"), "<!doctype html><p>demo page").unwrap();
    std::fs::write(dir.join("pkg/consent-form.js"), "export const x = 1;").unwrap();
    std::fs::write(dir.join("pkg/consent-form_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dir.join("secret.txt"), "outside").unwrap();
    let www = dir.join("www").display().to_string();
    let pkg = dir.join("pkg").display().to_string();
    let server = Server::start(
        backend,
        &[("RECEIVER_WWW_DIR", &www), ("RECEIVER_PKG_DIR", &pkg)],
    )
    .await;

    let a = send("GET", &server.url("/"), &[], vec![]).await;
    assert_eq!(a.status, 200);
    assert!(a.text().contains("demo page"));
    let a = send("GET", &server.url("/pkg/consent-form.js"), &[], vec![]).await;
    assert_eq!(a.status, 200);
    assert!(a.header("content-type").unwrap().contains("javascript"));
    let a = send("GET", &server.url("/pkg/consent-form_bg.wasm"), &[], vec![]).await;
    assert_eq!(a.header("content-type"), Some("application/wasm"));
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/pkg/..%2f..%2fsecret.txt",
        "/nope.html",
    ] {
        let a = send("GET", &server.url(path), &[], vec![]).await;
        assert!(a.status == 404 || a.status == 400, "{path}: {}", a.status);
        assert!(!a.text().contains("outside"), "{path}");
    }
    // The API is not shadowed by the files.
    assert_eq!(
        send("POST", &server.url("/api/keys"), &[], vec![])
            .await
            .status,
        200
    );
}
