//! The verification samples of docs/receiver.md — for hosts that do not run the
//! receiver — work: tests/verify/verify_lead.{mjs,py} (the official `standardwebhooks`
//! packages from npm and PyPI) and www/php/lib/verify_lead.php (PHP's own hash
//! functions) accept a real submission built and signed the way the component does
//! it, and reject a changed body, a wrong key, a stale timestamp and a body whose id is
//! not the header's. The PHP one, written here rather than a library, also verifies
//! the Standard Webhooks vectors the official libraries computed
//! (../shared/vectors/standard-webhooks.json). The docs show the files as they are.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use consent_form::signing::{webhook_headers, Secret};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs a harness with `secret`, `headers` and `body`; its one-line answer.
fn run(
    program: &str,
    script: &str,
    secret: &Secret,
    headers: &[(String, String)],
    body: &str,
) -> String {
    let headers: serde_json::Map<String, serde_json::Value> = headers
        .iter()
        .map(|(k, v)| (k.clone(), v.clone().into()))
        .collect();
    let input =
        serde_json::json!({ "secret": secret.expose_whsec(), "headers": headers, "body": body });
    let hint = "npm ci / pip install -r tests/requirements.txt / apt-get install php-cli?";
    common::run_json(program, script, &repo().join("tests/verify"), &input, hint)
}

fn headers(
    secret: &Secret,
    id: &consent_form::signing::MessageId,
    ts: u64,
    body: &[u8],
) -> Vec<(String, String)> {
    let mut h: Vec<(String, String)> = webhook_headers(secret, id, ts, body)
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    // Frameworks hand headers over in any case.
    h.push(("Content-Type".into(), "application/json".into()));
    h
}

fn check(program: &str, script: &str) {
    let secret = Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    let id = new_id();
    let body = valid_payload(&id).to_body();
    let text = std::str::from_utf8(&body).unwrap();
    let good = headers(&secret, &id, now(), &body);
    assert_eq!(
        run(program, script, &secret, &good, text),
        format!("200 {}", id.as_str())
    );

    let tampered = text.replace("+84902666984", "+84902666985");
    assert!(run(program, script, &secret, &good, &tampered).starts_with("401 "));

    let wrong = Secret::from_bytes(b"another key").unwrap();
    assert!(run(program, script, &wrong, &good, text).starts_with("401 "));

    let stale = headers(&secret, &id, now() - 600, &body);
    assert!(run(program, script, &secret, &stale, text).starts_with("401 "));

    // A malformed signature header is a signature that fails (401), not a bad body.
    for malformed in ["garbage", "v1,A", "v1", ","] {
        let mut h = good.clone();
        for (name, value) in &mut h {
            if name == "webhook-signature" {
                *value = malformed.to_owned();
            }
        }
        let answer = run(program, script, &secret, &h, text);
        assert!(answer.starts_with("401 "), "{malformed:?}: {answer}");
    }

    let other = new_id();
    let mismatched = headers(&secret, &other, now(), &body);
    assert!(run(program, script, &secret, &mismatched, text).starts_with("400 "));
}

#[test]
fn node_sample_verifies_with_the_npm_library() {
    check("node", "run.mjs");
}

#[test]
fn python_sample_verifies_with_the_pypi_library() {
    check("python3", "run.py");
}

#[test]
fn php_sample_verifies_with_php_alone() {
    check("php", "run.php");
}

#[test]
fn php_sample_verifies_the_official_vectors() {
    let path = repo().join("../shared/vectors/standard-webhooks.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (shared/ beside the clone)", path.display()));
    let file: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut checked = 0;
    for v in file["vectors"].as_array().unwrap() {
        if v["scheme"] != "v1" {
            continue; // v1a is asymmetric: not what the form sends
        }
        let ts = v["timestamp"].as_u64().unwrap();
        let input = |signature: &str, body: &str, now: u64| {
            serde_json::json!({
                "secret": v["secret"],
                "headers": {
                    "webhook-id": v["id"],
                    "webhook-timestamp": ts.to_string(),
                    "webhook-signature": signature,
                },
                "body": body,
                "now": now,
            })
        };
        let run = |input: serde_json::Value| {
            common::run_json(
                "php",
                "run.php",
                &repo().join("tests/verify"),
                &input,
                "apt-get install php-cli?",
            )
        };
        let (signature, body) = (
            v["signature"].as_str().unwrap(),
            v["body"].as_str().unwrap(),
        );
        assert_eq!(
            run(input(signature, body, ts + 10)),
            "200 signed",
            "{}",
            v["id"]
        );
        // Among several signatures (key rotation), one match is enough.
        let several = format!("v1,bm90IHRoaXMgb25l {signature}");
        assert_eq!(run(input(&several, body, ts)), "200 signed");
        assert!(run(input(signature, &format!("{body} "), ts)).starts_with("401 "));
        assert!(run(input(signature, body, ts + 301)).starts_with("401 "));
        assert!(run(input(signature, body, ts - 301)).starts_with("401 "));
        checked += 1;
    }
    assert!(checked >= 2, "the v1 vectors");
}

#[test]
fn the_docs_show_the_samples_as_they_are() {
    let docs = std::fs::read_to_string(repo().join("docs/receiver.md")).unwrap();
    for sample in [
        "tests/verify/verify_lead.mjs",
        "tests/verify/verify_lead.py",
        "www/php/lib/verify_lead.php",
    ] {
        let code = std::fs::read_to_string(repo().join(sample)).unwrap();
        assert!(
            docs.contains(code.trim()),
            "docs/receiver.md must contain {sample} verbatim"
        );
    }
}
