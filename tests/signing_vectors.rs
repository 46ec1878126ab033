//! The Standard Webhooks vectors in ../shared/vectors/standard-webhooks.json, computed
//! with the official npm and PyPI libraries, against our signer and verifier.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use consent_form::signing::{
    sign, verify, MessageId, Secret, SecretError, VerifyError, WebhookHeaders,
};
use serde::Deserialize;

#[derive(Deserialize)]
struct File {
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    scheme: String,
    secret: String,
    id: String,
    timestamp: u64,
    body: String,
    signature: String,
}

fn vectors() -> Vec<Vector> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/vectors/standard-webhooks.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let file: File = serde_json::from_str(&text).expect("vectors file is JSON");
    file.vectors
}

fn v1() -> Vec<Vector> {
    let v: Vec<Vector> = vectors().into_iter().filter(|v| v.scheme == "v1").collect();
    assert!(v.len() >= 2, "expected the v1 vectors");
    v
}

#[test]
fn v1_vectors_sign_identically() {
    for v in v1() {
        let secret = Secret::parse(&v.secret).unwrap();
        let id = MessageId::parse(&v.id).unwrap();
        let got = sign(&secret, &id, v.timestamp, v.body.as_bytes());
        assert_eq!(got.as_str(), v.signature, "vector {}", v.id);
    }
}

#[test]
fn v1_vectors_verify() {
    for v in v1() {
        let secret = Secret::parse(&v.secret).unwrap();
        let ts = v.timestamp.to_string();
        let headers = WebhookHeaders {
            id: &v.id,
            timestamp: &ts,
            signature: &v.signature,
        };
        let body = v.body.as_bytes();
        assert_eq!(
            verify(&secret, &headers, body, v.timestamp + 299),
            Ok(v.timestamp)
        );

        let mut tampered = body.to_vec();
        tampered.push(b' ');
        assert_eq!(
            verify(&secret, &headers, &tampered, v.timestamp),
            Err(VerifyError::NoMatchingSignature)
        );
        assert!(matches!(
            verify(&secret, &headers, body, v.timestamp + 301),
            Err(VerifyError::TimestampTooOld { .. })
        ));
        let wrong = Secret::from_bytes(b"not the key").unwrap();
        assert_eq!(
            verify(&wrong, &headers, body, v.timestamp),
            Err(VerifyError::NoMatchingSignature)
        );
    }
}

#[test]
fn the_non_ascii_body_is_signed_as_utf8_bytes() {
    let v = v1()
        .into_iter()
        .find(|v| !v.body.is_ascii())
        .expect("a vector with a non-ASCII body");
    let secret = Secret::parse(&v.secret).unwrap();
    let id = MessageId::parse(&v.id).unwrap();
    assert_eq!(
        sign(&secret, &id, v.timestamp, v.body.as_bytes()).as_str(),
        v.signature
    );
}

#[test]
fn v1a_entries_are_not_v1() {
    let v1a: Vec<Vector> = vectors()
        .into_iter()
        .filter(|v| v.scheme == "v1a")
        .collect();
    for v in &v1a {
        // An asymmetric signing key is not a whsec_ secret …
        assert_eq!(
            Secret::parse(&v.secret).unwrap_err(),
            SecretError::MissingPrefix
        );
        // … and a v1a signature does not satisfy a v1 verifier.
        let secret = Secret::parse(&v1()[0].secret).unwrap();
        let ts = v.timestamp.to_string();
        let headers = WebhookHeaders {
            id: &v.id,
            timestamp: &ts,
            signature: &v.signature,
        };
        assert_eq!(
            verify(&secret, &headers, v.body.as_bytes(), v.timestamp),
            Err(VerifyError::NoMatchingSignature)
        );
    }
}
