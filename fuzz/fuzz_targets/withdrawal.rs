//! A received withdrawal: `Withdrawal::from_body`, `validate` and `withdrawal::receive`
//! on arbitrary bytes, never a panic; one that reads and checks out writes back to
//! bytes (serde_json's) that read the same; `receive` signed over the body agrees.
#![no_main]

use consent_form::signing::{sign, MessageId, Secret, WebhookHeaders};
use consent_form::withdrawal::{self, ReceiveError, Withdrawal};
use libfuzzer_sys::fuzz_target;

const NOW: u64 = 1_795_575_600;

fuzz_target!(|data: &[u8]| {
    let secret = Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    let read = Withdrawal::from_body(data);
    if let Err(e) = &read {
        assert!(!e.to_string().is_empty());
    }
    if let Ok(w) = &read {
        let body = w.to_body();
        assert_eq!(
            body,
            serde_json::to_vec(w).unwrap(),
            "written as serde_json writes"
        );
        assert_eq!(Withdrawal::from_body(&body).as_ref(), Ok(w));
        if let Err(errors) = w.validate() {
            assert!(!errors.is_empty());
            assert!(!ReceiveError::Invalid(errors).to_string().is_empty());
        }
    }
    let fallback = MessageId::from_random([9; 16]);
    let id = read.as_ref().map_or(&fallback, |w| &w.id);
    let signature = sign(&secret, id, NOW, data);
    let headers = WebhookHeaders {
        id: id.as_str(),
        timestamp: "1795575600",
        signature: signature.as_str(),
    };
    let received = withdrawal::receive(&secret, &headers, data, NOW);
    match (&received, &read) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a, b);
            assert_eq!(b.validate(), Ok(()));
        }
        (Err(ReceiveError::Invalid(e)), Ok(b)) => assert_eq!(b.validate().as_ref(), Err(e)),
        (Err(_), Err(_)) => {}
        (a, b) => panic!("receive {a:?}, from_body {b:?}"),
    }
});
