//! The size of a typical contact submission, against the 64 KiB that browsers allow
//! a `keepalive` request. Run with `--nocapture` to see the figures.
#![cfg(not(target_arch = "wasm32"))]

#[path = "payload_fixtures.rs"]
mod fixtures;

use consent_form::payload::MAX_BODY_BYTES;

#[test]
fn a_typical_contact_submission_is_small() {
    let p = fixtures::contact();
    let body = p.to_body();
    let texts: usize = p.consents.iter().map(|c| c.text.len()).sum();
    println!(
        "typical contact payload: {} bytes ({} consents; their texts {} bytes, each also in its record)",
        body.len(),
        p.consents.len(),
        texts
    );
    assert!(body.len() < 16 * 1024, "{} bytes", body.len());
    assert!(body.len() < MAX_BODY_BYTES);
}
