//! A received submission, as the receiver reads it: `Payload::from_body`, `validate`
//! and `payload::receive` on arbitrary bytes, never a panic. A payload that reads and
//! checks out writes back (`to_body`, the bytes serde_json writes) to bytes that read
//! as the same payload; `receive` with headers signed over the body agrees with the
//! steps; headers made of the input's first lines are refused or verified, no panic.
#![no_main]

use consent_form::payload::{self, Payload, PayloadError, ReceiveError};
use consent_form::signing::{sign, MessageId, Secret, WebhookHeaders};
use libfuzzer_sys::fuzz_target;

const NOW: u64 = 1_795_575_600;

fuzz_target!(|data: &[u8]| {
    let secret = Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    let read = Payload::from_body(data);
    if let Err(e) = &read {
        assert!(!e.to_string().is_empty());
        if let PayloadError::TooLarge { len } = e {
            assert!(*len > payload::MAX_BODY_BYTES);
        }
    }
    let checked = read
        .clone()
        .and_then(|p| p.validate().map(|()| p).map_err(Into::into));
    if let Ok(p) = &checked {
        let body = p.to_body();
        assert_eq!(
            body,
            serde_json::to_vec(p).unwrap(),
            "written as serde_json writes"
        );
        assert_eq!(
            Payload::from_body(&body).as_ref(),
            Ok(p),
            "{}",
            String::from_utf8_lossy(&body)
        );
        assert_eq!(p.validate(), Ok(()));
    }
    if let Ok(p) = &read {
        if let Err(errors) = p.validate() {
            assert!(!errors.to_string().is_empty());
        }
    }

    // Signed over the body, under the payload's id when it has one.
    let fallback = MessageId::from_random([9; 16]);
    let id = read.as_ref().map_or(&fallback, |p| &p.id);
    let signature = sign(&secret, id, NOW, data);
    let headers = WebhookHeaders {
        id: id.as_str(),
        timestamp: "1795575600",
        signature: signature.as_str(),
    };
    let received = payload::receive(&secret, &headers, data, NOW + 10);
    match (&received, &checked) {
        (Ok(a), Ok(b)) => assert_eq!(a, b),
        (Err(ReceiveError::Payload(a)), Err(b)) => assert_eq!(a, b),
        (a, b) => panic!("receive {a:?}, steps {b:?}"),
    }

    // Headers from the input: three lines, then the body.
    let mut parts = data.splitn(4, |&b| b == b'\n');
    let (Some(id), Some(timestamp), Some(signature), Some(body)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return;
    };
    let text = |b| std::str::from_utf8(b).ok();
    let (Some(id), Some(timestamp), Some(signature)) = (text(id), text(timestamp), text(signature))
    else {
        return;
    };
    let headers = WebhookHeaders {
        id,
        timestamp,
        signature,
    };
    if let Err(e) = payload::receive(&secret, &headers, body, NOW) {
        assert!(!e.to_string().is_empty());
    }
});
