//! Withdrawing a consent from the receipt, in the browser: the button only on granted
//! consents and only with `withdraw-endpoint`; the question and where focus goes;
//! cancel sends nothing; confirm sends one signed withdrawal (captured by a stand-in
//! for `fetch` that answers like a loopback receiver), and the line, the live region,
//! the DOM event and a refusal say what happened.

#![cfg(all(target_arch = "wasm32", feature = "ui"))]

mod web_support;

use consent_form::fields::FormKind;
use consent_form::history::{storage as history_storage, Given, History};
use consent_form::json::ToJson;
use consent_form::locale::Locale;
use consent_form::messages::{Key, Texts};
use consent_form::receipt::{Receipt, ReceiptLine};
use consent_form::signing::{verify, Secret, WebhookHeaders};
use consent_form::withdrawal::Withdrawal;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_support::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Where the tests' withdrawals go: answered by the stand-in below.
const SINK: &str = "/cf-withdraw-sink";

/// The stand-in `fetch` for [`SINK`] ([`stub_fetch_at`]).
fn stub_fetch(status: u16, answer: &str) {
    stub_fetch_at(SINK, status, answer, "");
}

/// A receipt for consultation and marketing agreed, call recording refused (the
/// honeypot ends the form at its receipt without sending the submission).
async fn receipt(locale: &str, extra: &str) -> Mounted {
    let form = form("contact", locale, extra).await;
    form.type_into("name", "Nguyễn Văn A").await;
    form.fill("phone", "0902 666 984").await;
    form.toggle("consultation").await;
    form.toggle("marketing").await;
    form.type_into("cf-hp", "x").await;
    form.submit().await;
    assert!(wait_for(3000, || form.find(".cf-receipt").is_some()).await);
    form
}

fn line(purpose: &str) -> String {
    format!(".cf-receipt tr[data-purpose={purpose}]")
}

#[wasm_bindgen_test]
async fn the_button_is_on_granted_consents_only_and_only_with_a_withdraw_endpoint() {
    let without = receipt("vi", "").await;
    assert!(
        without.find(".cf-withdraw").is_none(),
        "no withdraw-endpoint"
    );
    assert!(without.find("[data-withdraw-news]").is_none());
    drop(without);

    let with = receipt("vi", &format!(r#""withdraw_endpoint": "{SINK}""#)).await;
    let vi = Texts::new(Locale::Vi, Default::default());
    for (purpose, offered) in [
        ("consultation", true),
        ("marketing", true),
        ("call_recording", false),
    ] {
        let button = with.find(&format!("{} button.cf-withdraw", line(purpose)));
        assert_eq!(button.is_some(), offered, "{purpose}");
        if let Some(button) = button {
            let button: web_sys::HtmlElement = button.unchecked_into();
            assert_eq!(button.get_attribute("type").as_deref(), Some("button"));
            assert_eq!(
                button.text_content().unwrap().trim(),
                vi.get(Key::WithdrawButton)
            );
            assert!(button.offset_height() >= 44, "a touch target");
        }
    }
    assert_eq!(
        with.get("[data-withdraw-news]")
            .get_attribute("aria-live")
            .as_deref(),
        Some("polite")
    );
}

#[wasm_bindgen_test]
async fn each_withdraw_button_and_notice_on_the_receipt_says_which_consent_it_is_for() {
    // Two "Withdraw consent" buttons and three "Details" alike: a screen reader listing
    // the buttons, or tabbing to them, must hear which consent each one is for.
    let form = receipt("en", &format!(r#""withdraw_endpoint": "{SINK}""#)).await;
    let sentence = |purpose: &str| {
        form.get(&line(purpose))
            .query_selector("td")
            .unwrap()
            .unwrap()
            .first_child()
            .and_then(|n| n.text_content())
            .unwrap_or_default()
    };
    let mut names = Vec::new();
    for purpose in ["consultation", "marketing", "call_recording"] {
        let said = sentence(purpose);
        assert!(!said.is_empty(), "{purpose}: its sentence");
        if purpose != "call_recording" {
            let button = form.get(&format!("{} button.cf-withdraw", line(purpose)));
            assert_eq!(form.description(&button), said, "{purpose}: the button");
        }
        // Named by its content, as on the form (web_form.rs), "Details" once.
        let summary = form.get(&format!("{} summary", line(purpose)));
        assert!(!summary.has_attribute("aria-labelledby"), "{purpose}");
        let name = spoken_text(&summary);
        assert_eq!(
            name,
            format!("Details: {said}"),
            "{purpose}: the visible word first, then its consent"
        );
        let shown = summary
            .query_selector("[aria-hidden=true]")
            .unwrap()
            .unwrap();
        assert_eq!(
            shown.text_content().unwrap(),
            "Details",
            "{purpose}: on the screen"
        );
        names.push(name);
    }
    names.dedup();
    assert_eq!(names.len(), 3, "three notices, three names");
}

#[wasm_bindgen_test]
async fn confirm_sends_one_signed_withdrawal_and_cancel_sends_nothing() {
    stub_fetch(200, r#"{"ok":true}"#);
    let done = listen("consent-form:withdraw");
    let form = receipt("en", &format!(r#""withdraw_endpoint": "{SINK}""#)).await;
    let en = Texts::new(Locale::En, Default::default());
    let submission_id = form.text(".cf-receipt .cf-mono");
    let marketing = line("marketing");

    // The question names the purpose by the sentence agreed to; focus goes to confirm.
    form.click(&format!("{marketing} .cf-withdraw")).await;
    settle().await;
    let question = form.get(&format!("{marketing} [role=group]"));
    let asked = form.text(&format!("{marketing} [role=group] p"));
    let sentence = form.text(&format!("{marketing} td"));
    assert!(
        sentence.starts_with(
            &asked[asked.find('“').unwrap() + '“'.len_utf8()..asked.find('”').unwrap()]
        ),
        "{asked} / {sentence}"
    );
    assert_eq!(
        question.get_attribute("aria-labelledby").as_deref(),
        Some("cf-wd-q-marketing")
    );
    assert_eq!(
        form.focused().map(|e| e.id()),
        Some("cf-wd-yes-marketing".to_owned())
    );
    // Cancel: nothing sent, the button back and focused.
    let cancel = form.all(&format!("{marketing} [role=group] button"));
    assert_eq!(cancel[1].text_content().unwrap(), en.get(Key::WithdrawNo));
    cancel[1].click();
    settle().await;
    settle().await;
    assert!(form.find(&format!("{marketing} [role=group]")).is_none());
    assert_eq!(
        form.focused().map(|e| e.id()),
        Some("cf-wd-marketing".to_owned())
    );
    gloo::timers::future::TimeoutFuture::new(200).await;
    assert!(seen_requests().is_empty(), "cancel sends nothing");

    // Confirm: one signed withdrawal.
    form.click(&format!("{marketing} .cf-withdraw")).await;
    settle().await;
    form.click("#cf-wd-yes-marketing").await;
    assert!(wait_for(5000, || !seen_requests().is_empty()).await, "sent");
    assert!(
        wait_for(3000, || form
            .find(&format!("{marketing} .cf-withdraw-state[data-state=done]"))
            .is_some())
        .await,
        "the line says it is withdrawn"
    );
    let requests = seen_requests();
    assert_eq!(requests.len(), 1, "one request");
    let request = &requests[0];
    assert_eq!(prop(request, "method"), "POST");
    let headers = js_sys::Reflect::get(request, &"headers".into()).unwrap();
    let body = prop(request, "body");
    let (id, ts, sig) = (
        prop(&headers, "webhook-id"),
        prop(&headers, "webhook-timestamp"),
        prop(&headers, "webhook-signature"),
    );
    let now: u64 = ts.parse().unwrap();
    verify(
        &Secret::parse(SECRET).unwrap(),
        &WebhookHeaders {
            id: &id,
            timestamp: &ts,
            signature: &sig,
        },
        body.as_bytes(),
        now,
    )
    .expect("signed like a submission");
    let w = Withdrawal::from_body(body.as_bytes()).unwrap();
    w.validate().unwrap();
    assert_eq!(w.id.as_str(), id);
    assert_eq!(w.withdraws.as_str(), submission_id);
    assert_eq!(w.purpose.id(), "marketing");
    assert_eq!(w.text, asked, "the text confirmed is the text sent");
    assert_eq!(w.locale, Locale::En);

    // The line, the live region and the event say so; the button is gone.
    let time = &w.withdrawn_at.as_str()[11..16];
    let said = en.fill(Key::WithdrawDone, &[("time", time)]);
    assert_eq!(
        form.text(&format!("{marketing} .cf-withdraw-state")).trim(),
        said
    );
    assert_eq!(form.text("[data-withdraw-news]"), said);
    assert!(form.find(&format!("{marketing} .cf-withdraw")).is_none());
    // Its "agreed" is struck through; the other consents' are not.
    assert!(form
        .find(&format!("{marketing} .cf-answer[data-withdrawn]"))
        .is_some());
    assert_eq!(form.all(".cf-answer[data-withdrawn]").len(), 1);
    assert_eq!(
        form.focused().map(|e| e.id()),
        Some("cf-wd-state-marketing".to_owned())
    );
    assert!(wait_for(2000, || !done.seen.borrow().is_empty()).await);
    let detail = done.seen.borrow()[0].clone();
    assert_eq!(
        (
            prop(&detail, "id"),
            prop(&detail, "submission_id"),
            prop(&detail, "purpose")
        ),
        (id.clone(), submission_id.clone(), "marketing".to_owned())
    );
    // The consultation keeps its button.
    assert!(form
        .find(&format!("{} .cf-withdraw", line("consultation")))
        .is_some());
    gloo::timers::future::TimeoutFuture::new(300).await;
    assert_eq!(seen_requests().len(), 1, "sent once");
    drop(form);
    unstub();
}

#[wasm_bindgen_test]
async fn a_refusal_says_why_and_is_not_retried() {
    stub_fetch(
        409,
        r#"{"error":"not_active","message":"the `consultation` consent is withdrawn"}"#,
    );
    let errors = listen("consent-form:error");
    let form = receipt("en", &format!(r#""withdraw_endpoint": "{SINK}""#)).await;
    let consultation = line("consultation");
    form.click(&format!("{consultation} .cf-withdraw")).await;
    settle().await;
    form.click("#cf-wd-yes-consultation").await;
    assert!(
        wait_for(5000, || form
            .find(&format!(
                "{consultation} .cf-withdraw-state[data-state=failed]"
            ))
            .is_some())
        .await
    );
    let said = form.text(&format!("{consultation} .cf-withdraw-state"));
    // A 409 means the consent is no longer active: said in the visitor's words,
    // not the backend's.
    assert!(said.contains("no longer active"), "{said}");
    assert!(!said.contains("is withdrawn"), "{said}");
    assert!(said.contains("Công ty TNHH Ví Dụ"), "{said}");
    assert!(wait_for(2000, || !errors.seen.borrow().is_empty()).await);
    let error = errors.seen.borrow()[0].clone();
    assert_eq!(
        js_sys::Reflect::get(&error, &"will_retry".into()).unwrap(),
        JsValue::FALSE
    );
    gloo::timers::future::TimeoutFuture::new(300).await;
    assert_eq!(seen_requests().len(), 1, "not retried");
    drop(form);
    unstub();
}

#[wasm_bindgen_test]
async fn a_form_destroyed_and_removed_as_the_withdrawal_leaves_still_tells_document() {
    // A page that moves on as soon as the visitor confirms: the withdrawal is still
    // sent, and its event reaches `document` (the host is no longer on the page).
    stub_fetch(200, r#"{"ok":true}"#);
    let done = listen("consent-form:withdraw");
    let mut form = receipt("en", &format!(r#""withdraw_endpoint": "{SINK}""#)).await;
    let submission_id = form.text(".cf-receipt .cf-mono");
    form.click(&format!("{} .cf-withdraw", line("marketing")))
        .await;
    settle().await;
    form.get("#cf-wd-yes-marketing").click();
    form.handle.destroy();
    form.host.remove();
    assert!(wait_for(5000, || !seen_requests().is_empty()).await, "sent");
    assert!(
        wait_for(3000, || !done.seen.borrow().is_empty()).await,
        "the withdraw event reached document"
    );
    let id = {
        let requests = seen_requests();
        let headers = js_sys::Reflect::get(&requests[0], &"headers".into()).unwrap();
        prop(&headers, "webhook-id")
    };
    let detail = done.seen.borrow()[0].clone();
    assert_eq!(
        (
            prop(&detail, "id"),
            prop(&detail, "submission_id"),
            prop(&detail, "purpose")
        ),
        (id, submission_id, "marketing".to_owned())
    );
    gloo::timers::future::TimeoutFuture::new(300).await;
    assert_eq!(done.seen.borrow().len(), 1, "once");
    drop(form);
    unstub();
}

/// A submission kept on this device: consultation and marketing given, sent to `endpoint`.
fn kept(id: &str, endpoint: &str) -> Given {
    let mut history = History::default();
    history.remember(
        endpoint,
        &Receipt {
            id: id.into(),
            submitted_at: "2026-11-20T09:15:00.000+07:00".into(),
            form: FormKind::Contact,
            controller: "Công ty TNHH Ví Dụ".into(),
            policy_url: "/privacy.html".into(),
            policy_version: Some("2026-01".into()),
            lines: ["consultation", "marketing"]
                .map(|purpose| ReceiptLine {
                    purpose: purpose.into(),
                    sentence: format!("I agree to {purpose}."),
                    granted: true,
                })
                .into(),
            body: String::new(),
        },
    );
    history.given.remove(0)
}

fn stored_history() -> History {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    History::parse(
        &storage
            .get_item(history_storage::KEY)
            .unwrap()
            .unwrap_or_default(),
    )
}

fn store_history(history: &History) {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage
        .set_item(history_storage::KEY, &history.to_json())
        .unwrap();
}

#[wasm_bindgen_test]
async fn a_consent_given_earlier_on_this_device_is_withdrawn_from_the_list_under_the_form() {
    stub_fetch(200, r#"{"ok":true}"#);
    let host = fresh_host();
    let id = "msg_0123456789abcdef0123456789abcdef";
    store_history(&History {
        given: vec![
            kept(id, "/cf-test-sink"),
            kept("msg_fedcba9876543210fedcba9876543210", "/another-endpoint"),
        ],
    });
    let form = mount_on(
        host,
        &format!(
            r#"{{ {}, "withdraw_endpoint": "{SINK}" }}"#,
            base_json("contact", "en")
        ),
    )
    .await;
    assert!(
        wait_for(3000, || form.find("details.cf-history").is_some()).await,
        "the list shows under the form"
    );
    assert_eq!(
        form.attributes("li[data-submission]", "data-submission"),
        [id],
        "only what was sent to this form's endpoint"
    );
    form.get("details.cf-history")
        .set_attribute("open", "")
        .unwrap();
    let en = Texts::new(Locale::En, Default::default());
    assert_eq!(
        form.text("details.cf-history summary"),
        en.get(Key::HistoryTitle)
    );
    // Each button says which consent it withdraws.
    let button = form.get(&format!("#cf-wd-{id}-marketing"));
    assert_eq!(
        form.description(&button),
        form.text("li[data-submission] li[data-purpose=marketing] > span")
    );

    form.click(&format!("#cf-wd-{id}-marketing")).await;
    settle().await;
    assert_eq!(
        form.focused().map(|e| e.id()),
        Some(format!("cf-wd-yes-{id}-marketing"))
    );
    let asked = form.text(&format!("#cf-wd-q-{id}-marketing"));
    form.click(&format!("#cf-wd-yes-{id}-marketing")).await;
    assert!(wait_for(5000, || !seen_requests().is_empty()).await, "sent");
    let state = format!("#cf-wd-state-{id}-marketing[data-state=done]");
    assert!(wait_for(3000, || form.find(&state).is_some()).await);

    let requests = seen_requests();
    assert_eq!(requests.len(), 1);
    let headers = js_sys::Reflect::get(&requests[0], &"headers".into()).unwrap();
    let body = prop(&requests[0], "body");
    let ts = prop(&headers, "webhook-timestamp");
    verify(
        &Secret::parse(SECRET).unwrap(),
        &WebhookHeaders {
            id: &prop(&headers, "webhook-id"),
            timestamp: &ts,
            signature: &prop(&headers, "webhook-signature"),
        },
        body.as_bytes(),
        ts.parse().unwrap(),
    )
    .expect("signed like a submission");
    let w = Withdrawal::from_body(body.as_bytes()).unwrap();
    w.validate().unwrap();
    assert_eq!((w.withdraws.as_str(), w.purpose.id()), (id, "marketing"));
    assert_eq!(w.text, asked, "the question shown is the text sent");

    // The device's list has it withdrawn, and the line says when.
    let at = w.withdrawn_at.as_str();
    let history = stored_history();
    let given = history.given.iter().find(|g| g.receipt.id == id).unwrap();
    assert_eq!(given.withdrawn_at("marketing"), Some(at));
    assert_eq!(given.withdrawn_at("consultation"), None);
    let said = en.fill(
        Key::HistoryWithdrawn,
        &[
            ("time", &at[11..16]),
            ("dd", &at[8..10]),
            ("mm", &at[5..7]),
            ("yyyy", &at[..4]),
        ],
    );
    assert_eq!(form.text(&state).trim(), said);
    assert_eq!(
        form.text("details.cf-history [data-withdraw-news]"),
        en.fill(Key::WithdrawDone, &[("time", &at[11..16])])
    );
    assert!(form.find(&format!("#cf-wd-{id}-consultation")).is_some());
    drop(form);
    unstub();
}

#[wasm_bindgen_test]
async fn a_withdrawal_is_told_once_by_the_form_it_was_pressed_in_and_not_while_its_line_says_sending(
) {
    // Two forms for one endpoint on the page both list the consents given on this
    // device; a withdrawal pressed in one is heard once: in that form's live region,
    // once it is done (while it is on its way, focus is on its line, which says so).
    stub_fetch(200, r#"{"ok":true}"#);
    // Answered 400 ms late: the line says "sending" meanwhile.
    js_sys::eval(
        "{ const f = window.fetch; window.fetch = (...a) => new Promise((r) => setTimeout(r, 400)).then(() => f(...a)); }",
    )
    .unwrap();
    let id = "msg_0123456789abcdef0123456789abcdef";
    let hosts = [fresh_host(), host_with_id("cf-test-other")];
    store_history(&History {
        given: vec![kept(id, "/cf-test-sink")],
    });
    let [pressed, other] = hosts.map(|host| async move {
        let kind = if host.id() == "cf-test-other" {
            "callback"
        } else {
            "contact"
        };
        mount_on(
            host,
            &format!(
                r#"{{ {}, "withdraw_endpoint": "{SINK}" }}"#,
                base_json(kind, "en")
            ),
        )
        .await
    });
    let (pressed, other) = (pressed.await, other.await);
    for form in [&pressed, &other] {
        assert!(wait_for(3000, || form.find("details.cf-history").is_some()).await);
        form.get("details.cf-history")
            .set_attribute("open", "")
            .unwrap();
    }
    settle().await;
    let news = |form: &Mounted| form.text("details.cf-history [data-withdraw-news]");
    let en = Texts::new(Locale::En, Default::default());

    pressed.click(&format!("#cf-wd-{id}-marketing")).await;
    settle().await;
    pressed.click(&format!("#cf-wd-yes-{id}-marketing")).await;
    settle().await;
    let state = format!("#cf-wd-state-{id}-marketing");
    assert_eq!(
        pressed.get(&state).get_attribute("data-state").as_deref(),
        Some("sending")
    );
    assert_eq!(
        pressed.focused().map(|e| e.id()),
        Some(state[1..].to_owned()),
        "focus on the line"
    );
    assert_eq!(
        pressed.text(&state).trim(),
        en.get(Key::WithdrawSending),
        "the line says it"
    );
    assert_eq!(
        news(&pressed),
        "",
        "so the live region does not say it again"
    );

    let done = format!("{state}[data-state=done]");
    assert!(wait_for(5000, || pressed.find(&done).is_some()).await);
    assert!(
        wait_for(2000, || other.find(&done).is_some()).await,
        "the other form's line follows it"
    );
    let at = Withdrawal::from_body(prop(&seen_requests()[0], "body").as_bytes())
        .unwrap()
        .withdrawn_at;
    assert_eq!(
        news(&pressed),
        en.fill(Key::WithdrawDone, &[("time", &at.as_str()[11..16])]),
        "said where it was pressed"
    );
    assert_eq!(news(&other), "", "and only there");
    drop((pressed, other));
    unstub();
}

#[wasm_bindgen_test]
async fn a_consent_withdrawn_elsewhere_stops_being_offered_in_the_list() {
    stub_fetch(
        409,
        r#"{"error":"not_active","message":"the `marketing` consent is withdrawn"}"#,
    );
    // Both hosts first: a fresh host clears the storage.
    let (first, second) = (fresh_host(), fresh_host());
    let id = "msg_00112233445566778899aabbccddeeff";
    store_history(&History {
        given: vec![kept(id, "/cf-test-sink")],
    });
    let config = format!(
        r#"{{ {}, "withdraw_endpoint": "{SINK}" }}"#,
        base_json("contact", "en")
    );
    let form = mount_on(first, &config).await;
    assert!(
        wait_for(3000, || form
            .find(&format!("#cf-wd-{id}-marketing"))
            .is_some())
        .await
    );
    form.click(&format!("#cf-wd-{id}-marketing")).await;
    settle().await;
    form.click(&format!("#cf-wd-yes-{id}-marketing")).await;
    let failed = format!("#cf-wd-state-{id}-marketing[data-state=failed]");
    assert!(wait_for(5000, || form.find(&failed).is_some()).await);
    assert_eq!(seen_requests().len(), 1);
    // The device's list notes it as no longer active, without a time…
    let history = stored_history();
    let given = history.given.iter().find(|g| g.receipt.id == id).unwrap();
    assert_eq!(given.withdrawn_at("marketing"), Some(""));
    assert_eq!(given.withdrawn_at("consultation"), None);
    drop(form);

    // …so that, shown again, the line says so instead of offering the button.
    let form = mount_on(second, &config).await;
    let state = format!("#cf-wd-state-{id}-marketing[data-state=done]");
    assert!(wait_for(3000, || form.find(&state).is_some()).await);
    let en = Texts::new(Locale::En, Default::default());
    assert_eq!(form.text(&state).trim(), en.get(Key::HistoryNotActive));
    assert!(form.find(&format!("#cf-wd-{id}-marketing")).is_none());
    assert!(form.find(&format!("#cf-wd-{id}-consultation")).is_some());
    assert_eq!(seen_requests().len(), 1, "nothing more sent");
    drop(form);
    unstub();
}

#[wasm_bindgen_test]
async fn a_delivered_submission_is_kept_on_the_device_only_where_the_host_takes_withdrawals() {
    stub_fetch(200, r#"{"ok":true}"#);
    for with in [false, true] {
        let extra = if with {
            format!(r#", "withdraw_endpoint": "{SINK}""#)
        } else {
            String::new()
        };
        let endpoint = format!("{SINK}/leads");
        let form = mount_json(&format!(
            r#"{{ {}, "endpoint": "{endpoint}"{extra} }}"#,
            base_json("contact", "vi")
        ))
        .await;
        form.type_into("name", "Nguyễn Văn A").await;
        form.fill("phone", "0902 666 984").await;
        form.toggle("consultation").await;
        form.submit().await;
        assert!(wait_for(5000, || form.find(".cf-receipt").is_some()).await);
        let id = form.text(".cf-receipt .cf-mono");
        let history = stored_history();
        let ids: Vec<&str> = history
            .given
            .iter()
            .map(|g| g.receipt.id.as_str())
            .collect();
        if with {
            assert_eq!(ids, [id.as_str()]);
            let given = &history.given[0];
            assert_eq!(given.endpoint, endpoint);
            assert_eq!(given.receipt.body, "", "nothing typed is kept");
            // "Send another": the fresh form lists it.
            form.click(".cf-receipt .cf-actions button:nth-child(3)")
                .await;
            assert!(wait_for(2000, || form.find("details.cf-history").is_some()).await);
        } else {
            assert!(ids.is_empty(), "{ids:?}");
            assert!(form.find("details.cf-history").is_none());
        }
    }
    unstub();
}
