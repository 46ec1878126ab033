//! The small readers of text from the network and from storage, on arbitrary text:
//! RFC 3339 times, message ids, signing secrets, callback dates and windows, purpose
//! ids, `Retry-After` and the signing headers. None panics, and what reads writes
//! back to text that reads the same.
#![no_main]

use consent_form::consent::Purpose;
use consent_form::payload::Rfc3339;
use consent_form::retry::retry_after_seconds;
use consent_form::schedule::{Day, Window};
use consent_form::signing::{verify, MessageId, Secret, WebhookHeaders};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };

    if let Ok(t) = Rfc3339::parse(text) {
        assert_eq!(t.as_str(), text);
        let made = Rfc3339::from_unix_millis(t.unix_millis(), t.offset_minutes())
            .unwrap_or_else(|e| panic!("{text:?} read, not made again: {e:?}"));
        let back = Rfc3339::parse(made.as_str()).unwrap();
        assert_eq!(
            (back.unix_millis(), back.offset_minutes()),
            (t.unix_millis(), t.offset_minutes()),
            "{text:?} made again as {made}"
        );
        assert_eq!(made.local_date(), t.local_date(), "{text:?}");
    }

    if let Ok(id) = MessageId::parse(text) {
        assert_eq!(MessageId::parse(id.as_str()), Ok(id.clone()));
    }
    if let Ok(secret) = Secret::parse(text) {
        let again = Secret::parse(&secret.expose_whsec()).unwrap();
        assert_eq!(again.expose_whsec(), secret.expose_whsec());
    }
    if let Some(day) = Day::parse(text) {
        assert_eq!(Day::parse(&day.to_string()), Some(day), "{text:?}");
    }
    if let Some(window) = Window::parse(text) {
        assert!(window.start < window.end && window.end <= 24 * 60);
        assert_eq!(Window::parse(&window.to_string()), Some(window));
        assert_eq!(Window::parse(&window.label()), Some(window));
    }
    if let Ok(purpose) = Purpose::parse(text) {
        assert_eq!(Purpose::parse(purpose.id()), Ok(purpose.clone()));
    }
    for now in [0, 1_795_575_600, u64::MAX] {
        if let Some(s) = retry_after_seconds(text, now) {
            let _ = consent_form::retry::delay_ms(1, 0.5, Some(s));
        }
    }

    // Three headers and a body, one per line.
    let mut parts = text.splitn(4, '\n');
    if let (Some(id), Some(timestamp), Some(signature)) = (parts.next(), parts.next(), parts.next())
    {
        let secret = Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let headers = WebhookHeaders {
            id,
            timestamp,
            signature,
        };
        let body = parts.next().unwrap_or_default().as_bytes();
        for now in [0, 1_795_575_600, u64::MAX] {
            let _ = verify(&secret, &headers, body, now);
        }
    }
});
