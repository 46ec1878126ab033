//! The outbox's stored form: what is written to localStorage reads back the same, for
//! every kind of problem and outcome (read by hand with `consent_form::json`, written
//! by hand with `ToJson`), and is byte for byte what serde_json writes (so entries
//! stored by earlier versions read too). The DOM events' details likewise.
//!
//! And what a visitor who comes back sees of it: the submissions still waiting in the
//! outbox for this form's endpoint, made in a tab since closed, listed under the form
//! (not those of another endpoint, not the tab's own twice); sent now, delivered by
//! another tab or refused for good, each leaves the list and says so. Those not sent:
//! put back (asking first when the form holds something else the visitor typed) or
//! deleted, here or in another tab (whose change this tab hears as a `storage` event);
//! one of the other kind says which form takes it. And a try that fails because the
//! network was gone, which came back while it was under way, is followed by another at
//! once.

#![cfg(all(target_arch = "wasm32", feature = "ui"))]

mod web_support;

use consent_form::delivery::Problem;
use consent_form::events::{Failure, Success, Withdrawn};
use consent_form::fields::FormKind;
use consent_form::history::{storage as history_storage, History};
use consent_form::json::{self, ToJson};
use consent_form::locale::Locale;
use consent_form::messages::{Key, Texts};
use consent_form::outbox::{Entry, Outcome, OutgoingWithdrawal, Report, KEY_PREFIX};
use consent_form::receipt::{Receipt, ReceiptLine};
use consent_form::schedule::Day;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_support::{
    another_tab_holds, base_json, fresh_host, host_with_id, locks_now, mount_on, prop,
    seen_requests, settle, stub_fetch_at, unstub, wait_for, Mounted, SECRET,
};

wasm_bindgen_test_configure!(run_in_browser);

fn entry(problem: Option<Problem>) -> Entry {
    Entry {
        origin: "a1b2|/lien-he#form:contact".into(),
        form: FormKind::Callback,
        endpoint: "https://example.vn/api/leads".into(),
        key_url: Some("/api/keys".into()),
        secret: None,
        receipt: Receipt {
            id: "msg_0123456789abcdef0123456789abcdef".into(),
            submitted_at: "2026-11-23T16:59:54.123+07:00".into(),
            form: FormKind::Callback,
            controller: "Công ty \"Ví Dụ\"".into(),
            policy_url: "/privacy".into(),
            policy_version: Some("2025-07".into()),
            lines: vec![ReceiptLine {
                purpose: "consultation".into(),
                sentence: "Tôi đồng ý\n\t\u{1}\u{2028}😀\\".into(),
                granted: true,
            }],
            body: r#"{"id":"msg_0123","fields":{"name":"Ngô Bảo Châu"}}"#.into(),
        },
        timeout_ms: 1_500,
        created_ms: 1_795_431_594_123.0,
        attempts: 3,
        next_ms: 1_795_431_600_456.0,
        lease_ms: 0.0,
        network_failure: problem.as_ref().is_some_and(Problem::is_network),
        last_error: problem.as_ref().map(Problem::describe),
        last_problem: problem,
        withdrawal: None,
        remember: true,
        held_ms: 0.0,
    }
}

/// A withdrawal's entry, as the receipt makes it.
fn withdrawal_entry(problem: Option<Problem>) -> Entry {
    let mut e = entry(problem);
    e.endpoint = "/api/withdrawals".into();
    e.receipt.lines.clear();
    e.receipt.body.clear();
    e.remember = false;
    e.withdrawal = Some(OutgoingWithdrawal {
        id: "msg_fedcba9876543210fedcba9876543210".into(),
        purpose: "marketing".into(),
        withdrawn_at: "2026-11-23T17:02:10.500+07:00".into(),
        body: r#"{"id":"msg_fedc","withdraws":"msg_0123","text":"Rút lại \"x\"?"}"#.into(),
    });
    e
}

fn problems() -> Vec<Problem> {
    vec![
        Problem::Network("Failed to fetch".into()),
        Problem::Cors("https://example.vn/api/leads".into()),
        Problem::Timeout(1_500),
        Problem::Status {
            status: 503,
            retry_after: Some(2),
            detail: None,
        },
        Problem::Status {
            status: 422,
            retry_after: None,
            detail: Some("the payload is invalid: field `age` is unknown".into()),
        },
        Problem::Redirect,
        Problem::Key("HTTP 500".into()),
        Problem::Browser("no crypto.subtle".into()),
    ]
}

#[wasm_bindgen_test]
fn entries_read_back_as_written_with_every_problem() {
    let mut cases: Vec<Option<Problem>> = problems().into_iter().map(Some).collect();
    cases.push(None);
    for problem in cases {
        // Held (refused for good, or put back into a form) or not.
        let mut held = entry(problem.clone());
        held.held_ms = 1_795_431_700_000.0;
        for written in [entry(problem.clone()), withdrawal_entry(problem), held] {
            let text = written.to_json();
            assert_eq!(text, serde_json::to_string(&written).unwrap());
            let read = Entry::from_json(&json::parse(&text).unwrap());
            assert_eq!(read.as_ref(), Some(&written), "{text}");
        }
    }
    // A withdrawal's entry is known by the withdrawal's id, a submission's by its own.
    assert_eq!(
        withdrawal_entry(None).id(),
        "msg_fedcba9876543210fedcba9876543210"
    );
    assert_eq!(entry(None).id(), "msg_0123456789abcdef0123456789abcdef");
    // A damaged withdrawal is not read as a submission.
    let damaged = withdrawal_entry(None)
        .to_json()
        .replace("\"purpose\":\"marketing\"", "\"purpose\":7");
    assert_eq!(Entry::from_json(&json::parse(&damaged).unwrap()), None);
}

#[wasm_bindgen_test]
fn reports_read_back_as_written() {
    let mut outcomes = vec![Outcome::Sent(201), Outcome::Removed {}];
    for problem in problems() {
        outcomes.push(Outcome::Waiting {
            problem: problem.clone(),
        });
        outcomes.push(Outcome::Refused { problem });
    }
    for outcome in outcomes {
        let written = Report {
            entry: entry(None),
            outcome,
        };
        let text = written.to_json();
        assert_eq!(text, serde_json::to_string(&written).unwrap());
        assert_eq!(
            Report::from_json(&json::parse(&text).unwrap()),
            Some(written),
            "{text}"
        );
    }
}

#[wasm_bindgen_test]
fn event_details_are_what_serde_json_writes() {
    let success = Success {
        id: "msg_0123456789abcdef0123456789abcdef",
        status: 201,
    };
    assert_eq!(success.to_json(), serde_json::to_string(&success).unwrap());
    for id in [Some("msg_0123456789abcdef0123456789abcdef"), None] {
        for will_retry in [true, false] {
            let failure = Failure {
                id,
                reason: "the endpoint answered HTTP 503 (retry after 2 s) \"x\"\n",
                will_retry,
            };
            assert_eq!(failure.to_json(), serde_json::to_string(&failure).unwrap());
        }
    }
    let withdrawn = Withdrawn {
        id: "msg_fedcba9876543210fedcba9876543210",
        submission_id: "msg_0123456789abcdef0123456789abcdef",
        purpose: "marketing",
    };
    assert_eq!(
        withdrawn.to_json(),
        serde_json::to_string(&withdrawn).unwrap()
    );
}

#[wasm_bindgen_test]
fn a_damaged_entry_is_skipped_not_misread() {
    let text = entry(None).to_json();
    for (from, to) in [
        ("\"attempts\":3", "\"attempts\":\"3\""),
        ("\"form\":\"callback\"", "\"form\":\"newsletter\""),
        ("\"last_problem\":null", "\"last_problem\":{\"Teapot\":1}"),
    ] {
        assert!(text.contains(from), "{text}");
        let damaged = text.replace(from, to);
        assert_eq!(
            Entry::from_json(&json::parse(&damaged).unwrap()),
            None,
            "{damaged}"
        );
    }
    // An entry written before `lease_ms`, `network_failure` and `last_problem` existed.
    let old = text
        .replace(",\"lease_ms\":0.0", "")
        .replace(",\"network_failure\":false", "")
        .replace(",\"last_problem\":null", "");
    assert_ne!(old, text);
    assert_eq!(
        Entry::from_json(&json::parse(&old).unwrap()),
        Some(entry(None))
    );
}

#[wasm_bindgen_test]
fn entries_come_oldest_first() {
    let times = [5.0, 1.0, 4.0, 0.0, 3.0, 2.0, 1_795_431_594_123.0, -1.0];
    let ids: Vec<String> = (0..times.len()).map(|i| format!("msg_order{i}")).collect();
    for (id, &created_ms) in ids.iter().zip(&times) {
        let mut written = entry(None);
        written.receipt.id = id.clone();
        written.created_ms = created_ms;
        let _ = consent_form::outbox::put(written);
    }
    let read: Vec<(String, f64)> = consent_form::outbox::entries()
        .into_iter()
        .filter(|e| ids.contains(&e.receipt.id))
        .map(|e| (e.receipt.id.clone(), e.created_ms))
        .collect();
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        for id in &ids {
            let _ = storage.remove_item(&format!("{}{id}", consent_form::outbox::KEY_PREFIX));
        }
    }
    let mut wanted: Vec<(String, f64)> = ids.iter().cloned().zip(times).collect();
    wanted.sort_by(|a, b| a.1.total_cmp(&b.1));
    assert_eq!(read, wanted);
}

// ------------------------------------------------- what a visitor who comes back sees

/// Where the tests' submissions go: answered by the stand-in below.
const SINK: &str = "/cf-waiting-sink";

/// The stand-in `fetch` for [`SINK`] ([`stub_fetch_at`]).
fn stub_fetch(status: u16, answer: &str, retry_after: &str) {
    stub_fetch_at(SINK, status, answer, retry_after);
}

/// The `webhook-id` of each request the stand-in has seen.
fn sent_ids() -> Vec<String> {
    seen_requests()
        .iter()
        .map(|r| {
            prop(
                &js_sys::Reflect::get(r, &"headers".into()).unwrap(),
                "webhook-id",
            )
        })
        .collect()
}

fn local() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// A callback request to `endpoint` left in the outbox by a tab since closed (another
/// tab id): consultation agreed, marketing refused, a day and time chosen; it failed
/// for want of a network and its next try is an hour away.
fn left_waiting(id: &str, endpoint: &str) -> Entry {
    let mut e = entry(Some(Problem::Network("Failed to fetch".into())));
    e.origin = "0badc0de0badc0de|/dat-lich#:callback".into();
    e.endpoint = endpoint.into();
    e.key_url = None;
    e.secret = Some(SECRET.into());
    e.receipt.id = id.into();
    e.receipt.controller = "Công ty TNHH Ví Dụ".into();
    e.receipt.lines = vec![
        ReceiptLine {
            purpose: "consultation".into(),
            sentence: "Tôi đồng ý để được gọi lại.".into(),
            granted: true,
        },
        ReceiptLine {
            purpose: "marketing".into(),
            sentence: "Tôi đồng ý nhận tin khuyến mãi.".into(),
            granted: false,
        },
    ];
    e.receipt.body = format!(
        r#"{{"id":"{id}","fields":{{"name":"Ngô Bảo Châu","phone":"+84902666984","callback_date":"2026-11-30","callback_window":"09:00-10:00"}}}}"#
    );
    let now = js_sys::Date::now();
    e.created_ms = now - 60_000.0;
    e.next_ms = now + 3_600_000.0;
    e.remember = true;
    e
}

/// Writes `entry` as the page that made it did.
fn store(entry: &Entry) {
    local()
        .set_item(&format!("{KEY_PREFIX}{}", entry.id()), &entry.to_json())
        .unwrap();
}

/// A form of `kind` in `locale` sending to [`SINK`], on `host`, with `extra` members.
async fn sink_form(host: web_sys::HtmlElement, locale: &str, extra: &str) -> Mounted {
    mount_on(
        host,
        &format!(
            r#"{{ {}, "endpoint": "{SINK}"{extra} }}"#,
            base_json("contact", locale)
        ),
    )
    .await
}

fn item(id: &str) -> String {
    format!("[data-waiting='{id}']")
}

const OURS: &str = "msg_0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a";
const THEIRS: &str = "msg_0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b";

#[wasm_bindgen_test]
async fn a_request_left_waiting_by_a_closed_tab_is_listed_under_the_form_of_its_endpoint_only() {
    let host = fresh_host();
    let ours = left_waiting(OURS, SINK);
    store(&ours);
    store(&left_waiting(THEIRS, "/another-endpoint"));
    let form = sink_form(host, "vi", "").await;
    assert!(
        wait_for(3000, || form.find(&item(OURS)).is_some()).await,
        "the waiting request is listed"
    );
    assert_eq!(
        form.attributes("[data-waiting]", "data-waiting"),
        [OURS],
        "only what waits for this form's endpoint"
    );
    let vi = Texts::new(Locale::Vi, Default::default());
    assert_eq!(form.text("#cf-waiting-title"), vi.get(Key::WaitingTitle));
    let shown = form.text(&item(OURS));
    let since = vi.fill(
        Key::WaitingSince,
        &[(
            "time",
            &consent_form::wording::receipt_time(&ours.receipt, &vi),
        )],
    );
    let day = consent_form::wording::day(Day::parse("2026-11-30").unwrap(), &vi);
    let reason = vi.fill(Key::WaitingReason, &[("reason", vi.get(Key::ReasonServer))]);
    for said in [
        vi.get(Key::KindCallback),
        &since,
        &day,
        "09:00 – 10:00",
        "Tôi đồng ý để được gọi lại.",
        &reason,
    ] {
        assert!(shown.contains(said), "{said:?} in {shown:?}");
    }
    assert!(
        !shown.contains("khuyến mãi"),
        "a refused consent is not listed"
    );
    let everything = form.shadow().text_content().unwrap_or_default();
    assert!(
        !everything.contains("Ngô Bảo Châu") && !everything.contains("902666984"),
        "nothing typed is shown"
    );
    // The form itself is fresh: empty and editable.
    assert_eq!(form.value("name"), "");
    assert_eq!(
        form.get(".cf-status")
            .get_attribute("data-state")
            .as_deref(),
        Some("editing")
    );
    assert!(form.find("#cf-waiting-send").is_some());
    drop(form);
}

#[wasm_bindgen_test]
async fn this_tabs_own_waiting_request_is_not_listed_again_but_a_closed_tabs_is() {
    stub_fetch(503, r#"{"error":"busy"}"#, "3600");
    let host = fresh_host();
    let host_id = host.id();
    let form = sink_form(host, "en", "").await;
    form.type_into("name", "Nguyễn Văn A").await;
    form.fill("phone", "0902 666 984").await;
    form.toggle("consultation").await;
    form.submit().await;
    let queued = ".cf-status[data-state=queued]";
    assert!(wait_for(5000, || form.find(queued).is_some()).await);
    settle().await;
    assert!(
        form.find("[data-waiting]").is_none(),
        "shown by its status line alone"
    );
    let id = sent_ids().pop().expect("one attempt");
    // This tab's form again, as after a reload: still its own.
    let again = || host_with_id(&host_id);
    drop(form);
    let form = sink_form(again(), "en", "").await;
    assert!(wait_for(3000, || form.find(queued).is_some()).await);
    settle().await;
    assert!(form.find("[data-waiting]").is_none(), "not listed twice");
    drop(form);
    // The tab was closed (its id went with it): the next tab lists it.
    let key = format!("{KEY_PREFIX}{id}");
    let text = local()
        .get_item(&key)
        .unwrap()
        .expect("still in the outbox");
    let mut stored = Entry::from_json(&json::parse(&text).unwrap()).unwrap();
    stored.origin = "0badc0de0badc0de|/".into();
    store(&stored);
    let form = sink_form(again(), "en", "").await;
    assert!(wait_for(3000, || form.find(&item(&id)).is_some()).await);
    assert_eq!(
        form.get(".cf-status")
            .get_attribute("data-state")
            .as_deref(),
        Some("editing"),
        "the form is the visitor's to fill again"
    );
    drop(form);
    unstub();
}

#[wasm_bindgen_test]
async fn send_now_delivers_it_and_it_moves_to_the_consents_given() {
    stub_fetch(200, r#"{"ok":true}"#, "");
    let host = fresh_host();
    let waiting = left_waiting(OURS, SINK);
    store(&waiting);
    let form = sink_form(host, "en", r#", "withdraw_endpoint": "/cf-waiting-sink/w""#).await;
    assert!(wait_for(3000, || form.find(&item(OURS)).is_some()).await);
    assert!(
        form.find("details.cf-history").is_none(),
        "nothing given yet"
    );
    assert!(sent_ids().is_empty(), "not due for an hour");
    let button = form.get("#cf-waiting-send");
    button.focus().unwrap();
    button.click();
    assert!(
        wait_for(5000, || form.find(&item(OURS)).is_none()).await,
        "it leaves the list"
    );
    assert_eq!(sent_ids(), [OURS]);
    let en = Texts::new(Locale::En, Default::default());
    let time = consent_form::wording::receipt_time(&waiting.receipt, &en);
    assert_eq!(
        form.text("[data-waiting-news]").trim(),
        en.fill(Key::WaitingSent, &[("time", &time)])
    );
    assert!(
        wait_for(2000, || form
            .find(&format!("details.cf-history li[data-submission='{OURS}']"))
            .is_some())
        .await,
        "listed with the consents given"
    );
    // The button went with the list: the keyboard's focus is on what happened.
    settle().await;
    assert_eq!(
        form.focused().map(|e| e.id()).as_deref(),
        Some("cf-waiting-news")
    );
    drop(form);
    unstub();
}

#[wasm_bindgen_test]
async fn delivered_by_another_tab_it_leaves_the_list_for_the_consents_given() {
    let host = fresh_host();
    let waiting = left_waiting(OURS, SINK);
    store(&waiting);
    let form = sink_form(host, "en", r#", "withdraw_endpoint": "/cf-waiting-sink/w""#).await;
    assert!(wait_for(3000, || form.find(&item(OURS)).is_some()).await);
    // Another tab delivers it: it keeps it in the device's list, then lets the entry go,
    // its outcome under its key for an instant (which this tab hears as `storage`).
    let mut history = History::default();
    history.remember(SINK, &waiting.receipt);
    local()
        .set_item(history_storage::KEY, &history.to_json())
        .unwrap();
    let key = format!("{KEY_PREFIX}{OURS}");
    local().remove_item(&key).unwrap();
    let report = Report {
        entry: waiting.clone(),
        outcome: Outcome::Sent(201),
    };
    js_sys::Function::new_with_args(
        "key, oldValue, newValue",
        "window.dispatchEvent(new StorageEvent('storage', { key, oldValue, newValue }))",
    )
    .call3(
        &JsValue::NULL,
        &key.into(),
        &waiting.to_json().into(),
        &format!(r#"{{"left":{}}}"#, report.to_json()).into(),
    )
    .unwrap();
    assert!(wait_for(2000, || form.find(&item(OURS)).is_none()).await);
    let en = Texts::new(Locale::En, Default::default());
    let time = consent_form::wording::receipt_time(&waiting.receipt, &en);
    assert_eq!(
        form.text("[data-waiting-news]").trim(),
        en.fill(Key::WaitingSent, &[("time", &time)])
    );
    assert!(form
        .find(&format!("details.cf-history li[data-submission='{OURS}']"))
        .is_some());
    drop(form);
}

/// The items the live region under the form says, one element each.
fn news_items(form: &Mounted) -> Vec<String> {
    form.all("[data-waiting-news] > *")
        .iter()
        .map(|e| e.text_content().unwrap_or_default())
        .collect()
}

#[wasm_bindgen_test]
async fn send_now_in_vain_says_why_once_where_focus_went_and_no_line_is_a_live_region() {
    stub_fetch(503, r#"{"error":"busy"}"#, "3600");
    let host = fresh_host();
    let ours = left_waiting(OURS, SINK);
    let mut theirs = left_waiting(THEIRS, SINK);
    theirs.receipt.submitted_at = "2026-11-23T17:05:00.000+07:00".into();
    theirs.created_ms += 1.0;
    store(&ours);
    store(&theirs);
    let form = sink_form(host, "en", "").await;
    assert!(wait_for(3000, || form.find(&item(THEIRS)).is_some()).await);
    assert!(form.find(&item(OURS)).is_some());
    // Each line says where its request stands, but is no live region: they would all
    // speak at once, in every form of the page that lists them.
    assert!(
        form.find("[data-waiting] [role=status], [data-waiting] [aria-live]")
            .is_none(),
        "no line is a live region"
    );
    // What became of them is said by one region, item by item: a new one is heard, not
    // the ones before it again.
    let news = form.get("[data-waiting-news]");
    assert_eq!(news.get_attribute("role").as_deref(), Some("status"));
    assert_eq!(news.get_attribute("aria-atomic").as_deref(), Some("false"));

    let button = form.get("#cf-waiting-send");
    button.focus().unwrap();
    button.click();
    let en = Texts::new(Locale::En, Default::default());
    let why = en.fill(Key::WaitingReason, &[("reason", en.get(Key::ReasonServer))]);
    assert!(
        wait_for(5000, || !news_items(&form).is_empty()).await,
        "the press is answered"
    );
    settle().await;
    assert_eq!(
        news_items(&form),
        std::slice::from_ref(&why),
        "once for both"
    );
    assert_eq!(sent_ids().len(), 2, "both were tried");
    assert_eq!(
        form.focused().map(|e| e.id()).as_deref(),
        Some("cf-waiting-news")
    );
    // Both still wait, each saying why.
    for id in [OURS, THEIRS] {
        assert!(form.text(&item(id)).contains(&why), "{id}");
    }
    // Pressed again, the server back: what it said before goes, what comes of this
    // press is said, one item for each request sent.
    stub_fetch(200, r#"{"ok":true}"#, "");
    form.get("#cf-waiting-send").click();
    assert!(wait_for(5000, || form.find("[data-waiting]").is_none()).await);
    settle().await;
    let sent = |entry: &Entry| {
        let time = consent_form::wording::receipt_time(&entry.receipt, &en);
        en.fill(Key::WaitingSent, &[("time", &time)])
    };
    assert_eq!(news_items(&form), [sent(&ours), sent(&theirs)]);
    drop(form);
    unstub();
}

#[wasm_bindgen_test]
async fn what_became_of_a_request_listed_by_two_forms_is_said_by_the_one_pressed_in() {
    stub_fetch(200, r#"{"ok":true}"#, "");
    let hosts = [fresh_host(), host_with_id("cf-test-pressed")];
    store(&left_waiting(OURS, SINK));
    let [first, pressed] = hosts.map(|host| sink_form(host, "en", ""));
    let (first, pressed) = (first.await, pressed.await);
    for form in [&first, &pressed] {
        assert!(wait_for(3000, || form.find(&item(OURS)).is_some()).await);
    }
    pressed.get("#cf-waiting-send").click();
    for form in [&first, &pressed] {
        assert!(wait_for(5000, || form.find(&item(OURS)).is_none()).await);
    }
    settle().await;
    let en = Texts::new(Locale::En, Default::default());
    let time = consent_form::wording::receipt_time(&left_waiting(OURS, SINK).receipt, &en);
    assert_eq!(
        news_items(&pressed),
        [en.fill(Key::WaitingSent, &[("time", &time)])]
    );
    assert_eq!(news_items(&first), Vec::<String>::new(), "said once");
    drop((first, pressed));
    unstub();
}

#[wasm_bindgen_test]
async fn refused_for_good_it_stays_listed_as_not_sent_saying_why() {
    stub_fetch(422, r#"{"message":"field `age` is unknown"}"#, "");
    let host = fresh_host();
    let waiting = left_waiting(OURS, SINK);
    store(&waiting);
    let form = sink_form(host, "en", "").await;
    assert!(wait_for(3000, || form.find(&item(OURS)).is_some()).await);
    // Its own kind name, not the form's title ("Request a callback").
    assert!(
        form.text(&item(OURS))
            .starts_with("Callback request — Waiting since "),
        "{}",
        form.text(&item(OURS))
    );
    form.get("#cf-waiting-send").click();
    assert!(wait_for(5000, || form.find(&item(OURS)).is_none()).await);
    assert_eq!(sent_ids(), [OURS], "tried once, not again");
    let en = Texts::new(Locale::En, Default::default());
    let time = consent_form::wording::receipt_time(&waiting.receipt, &en);
    let reason = format!(
        "{} — field `age` is unknown",
        en.fill(Key::ReasonRefused, &[("status", "422")])
    );
    assert_eq!(
        form.text("[data-waiting-news]").trim(),
        en.fill(
            Key::WaitingRefused,
            &[
                ("time", &time),
                ("reason", &reason),
                ("controller", "Công ty TNHH Ví Dụ")
            ]
        )
    );
    // Kept, not dropped: listed as not sent, with why, and what can be done.
    assert!(
        wait_for(2000, || form.find(&unsent(OURS)).is_some()).await,
        "listed as not sent"
    );
    let shown = form.text(&unsent(OURS));
    assert!(shown.contains(&reason), "{shown}");
    assert!(local()
        .get_item(&format!("{KEY_PREFIX}{OURS}"))
        .unwrap()
        .is_some());
    assert!(
        form.find(&format!("{} [data-act=delete]", unsent(OURS)))
            .is_some(),
        "it can be deleted"
    );
    assert!(
        form.find(&format!("{} [data-act=put-back]", unsent(OURS)))
            .is_none(),
        "a callback request is not put back into a contact form"
    );
    // Never tried again.
    consent_form::outbox::send_now(SINK);
    gloo::timers::future::TimeoutFuture::new(300).await;
    assert_eq!(sent_ids(), [OURS]);
    drop(form);
    unstub();
}

// --------------------------------------------- what was refused is kept, not dropped

fn unsent(id: &str) -> String {
    format!("[data-unsent='{id}']")
}

/// `entry` as the outbox keeps one refused for good (or put back into a form): held
/// since `held_ms`, never sent again.
fn store_held(entry: &Entry, held_ms: f64) {
    let text = entry.to_json();
    let text = format!("{},\"held_ms\":{held_ms:.1}}}", &text[..text.len() - 1]);
    local()
        .set_item(&format!("{KEY_PREFIX}{}", entry.id()), &text)
        .unwrap();
}

/// A callback request made in a tab since closed and refused for good by the backend
/// (422, with its words) a minute ago.
fn left_refused(id: &str) -> Entry {
    let mut e = left_waiting(id, SINK);
    let problem = Problem::Status {
        status: 422,
        retry_after: None,
        detail: Some("callback_date is in the past".into()),
    };
    e.last_error = Some(problem.describe());
    e.last_problem = Some(problem);
    e.network_failure = false;
    e
}

/// A callback form in English sending to [`SINK`], on `host`.
async fn callback_form(host: web_sys::HtmlElement) -> Mounted {
    mount_on(
        host,
        &format!(
            r#"{{ {}, "endpoint": "{SINK}" }}"#,
            base_json("callback", "en")
        ),
    )
    .await
}

/// A callback form under which `id`, refused for good a minute ago, is listed as not sent.
async fn listed_as_not_sent(id: &str) -> (Entry, Mounted) {
    let host = fresh_host();
    let refused = left_refused(id);
    store_held(&refused, js_sys::Date::now() - 60_000.0);
    let form = callback_form(host).await;
    assert!(
        wait_for(3000, || form.find(&unsent(id)).is_some()).await,
        "listed as not sent"
    );
    (refused, form)
}

/// Picks the first option the select `name` offers.
async fn choose_first(form: &Mounted, name: &str) {
    let select: web_sys::HtmlSelectElement = form.control(name).unchecked_into();
    let first = (0..select.length())
        .filter_map(|i| select.item(i))
        .filter_map(|o| o.get_attribute("value"))
        .find(|v| !v.is_empty())
        .expect("an option to choose");
    form.choose(name, &first).await;
}

fn stored(id: &str) -> Option<Entry> {
    let text = local().get_item(&format!("{KEY_PREFIX}{id}")).unwrap()?;
    Entry::from_json(&json::parse(&text).unwrap())
}

#[wasm_bindgen_test]
async fn a_request_not_sent_goes_back_into_the_form_and_the_new_submission_replaces_it() {
    stub_fetch(200, r#"{"ok":true}"#, "");
    let (refused, form) = listed_as_not_sent(OURS).await;
    assert!(form.find(&item(OURS)).is_none(), "not as waiting");
    let en = Texts::new(Locale::En, Default::default());
    let shown = form.text(&unsent(OURS));
    for said in [
        "Callback request",
        "the server refused it (code 422) — callback_date is in the past",
        "Tôi đồng ý để được gọi lại.",
    ] {
        assert!(shown.contains(said), "{said:?} in {shown:?}");
    }
    assert!(!shown.contains("Ngô Bảo Châu"), "nothing typed is shown");
    settle().await;
    assert!(
        sent_ids().is_empty(),
        "a refused request is never sent again"
    );
    form.click(&format!("{} [data-act=put-back]", unsent(OURS)))
        .await;
    settle().await;
    // What was typed is back; the consents are the visitor's to give again.
    assert_eq!(form.value("name"), "Ngô Bảo Châu");
    assert_eq!(form.value("phone"), "+84902666984");
    assert!(!form.consent("consultation").checked());
    assert_eq!(
        form.focused().map(|e| e.id()).as_deref(),
        Some("cf-name"),
        "focus on the first field"
    );
    assert!(form.find(&unsent(OURS)).is_none(), "it left the list");
    let time = consent_form::wording::receipt_time(&refused.receipt, &en);
    assert_eq!(
        form.text("[data-waiting-news]").trim(),
        en.fill(Key::UnsentPutBackDone, &[("time", &time)])
    );
    // The status line says why it was refused; the button sends it again.
    assert_eq!(
        form.get(".cf-status")
            .get_attribute("data-state")
            .as_deref(),
        Some("failed")
    );
    assert!(form
        .text(".cf-status")
        .contains("the server refused it (code 422) — callback_date is in the past"));
    // Still kept (the tab may close before it is sent), now as this form's.
    assert!(stored(OURS).is_some(), "kept until sent anew");
    choose_first(&form, "callback_date").await;
    choose_first(&form, "callback_window").await;
    form.toggle("consultation").await;
    form.submit().await;
    assert!(
        wait_for(5000, || form.find(".cf-status[data-state=sent]").is_some()).await,
        "sent anew"
    );
    let ids = sent_ids();
    assert_eq!(ids.len(), 1);
    assert_ne!(ids[0], OURS, "a new submission, a new id");
    assert!(stored(OURS).is_none(), "replaced by the new submission");
    drop(form);
    unstub();
}

#[wasm_bindgen_test]
async fn a_request_not_sent_can_be_deleted() {
    let (refused, form) = listed_as_not_sent(OURS).await;
    form.click(&format!("{} [data-act=delete]", unsent(OURS)))
        .await;
    settle().await;
    assert!(form.find(&unsent(OURS)).is_none());
    assert!(stored(OURS).is_none(), "gone from the device");
    let en = Texts::new(Locale::En, Default::default());
    let time = consent_form::wording::receipt_time(&refused.receipt, &en);
    assert_eq!(
        form.text("[data-waiting-news]").trim(),
        en.fill(Key::UnsentDeleted, &[("time", &time)])
    );
    assert_eq!(
        form.focused().map(|e| e.id()).as_deref(),
        Some("cf-waiting-news")
    );
    assert_eq!(form.value("name"), "", "the form is untouched");
    drop(form);
}

#[wasm_bindgen_test]
async fn each_delete_is_said_alone() {
    let host = fresh_host();
    let now = js_sys::Date::now();
    let (first, second) = (left_refused(OURS), left_refused(THEIRS));
    store_held(&first, now - 60_000.0);
    store_held(&second, now - 50_000.0);
    let form = callback_form(host).await;
    assert!(wait_for(3000, || form.find(&unsent(THEIRS)).is_some()).await);
    let en = Texts::new(Locale::En, Default::default());
    for (id, entry) in [(OURS, &first), (THEIRS, &second)] {
        form.click(&format!("{} [data-act=delete]", unsent(id)))
            .await;
        settle().await;
        let time = consent_form::wording::receipt_time(&entry.receipt, &en);
        // Focus goes to the region, which a screen reader then reads whole: this
        // press's news alone, not the one before.
        assert_eq!(
            news_items(&form),
            [en.fill(Key::UnsentDeleted, &[("time", &time)])],
            "{id}"
        );
        assert_eq!(
            form.focused().map(|e| e.id()).as_deref(),
            Some("cf-waiting-news")
        );
    }
    drop(form);
}

#[wasm_bindgen_test]
async fn a_request_not_sent_is_kept_for_thirty_days() {
    let host = fresh_host();
    let day = 24.0 * 3_600_000.0;
    let now = js_sys::Date::now();
    store_held(&left_refused(OURS), now - 29.0 * day);
    store_held(&left_refused(THEIRS), now - 31.0 * day);
    let form = callback_form(host).await;
    assert!(wait_for(3000, || form.find(&unsent(OURS)).is_some()).await);
    settle().await;
    assert_eq!(form.attributes("[data-unsent]", "data-unsent"), [OURS]);
    assert!(form.find("[data-waiting]").is_none());
    assert!(stored(THEIRS).is_none(), "removed from the device");
    assert!(stored(OURS).is_some());
    drop(form);
}

#[wasm_bindgen_test]
async fn this_tabs_refused_request_is_kept_and_shown_again_after_a_reload() {
    stub_fetch(422, r#"{"message":"phone is on our do-not-call list"}"#, "");
    let host = fresh_host();
    let host_id = host.id();
    let form = sink_form(host, "en", "").await;
    form.type_into("name", "Nguyễn Văn A").await;
    form.fill("phone", "0902 666 984").await;
    form.toggle("consultation").await;
    form.submit().await;
    let failed = ".cf-status[data-state=failed]";
    assert!(wait_for(5000, || form.find(failed).is_some()).await);
    // Why, in the backend's words too (as the lists under other forms say it).
    let why = "the server refused it (code 422) — phone is on our do-not-call list";
    assert!(
        form.text(".cf-status").contains(why),
        "{}",
        form.text(".cf-status")
    );
    let id = sent_ids().pop().expect("one attempt");
    assert!(stored(&id).is_some(), "kept, not dropped");
    drop(form);
    // The same tab reloads: the form says again why it was not sent, with what was typed.
    let form = sink_form(host_with_id(&host_id), "en", "").await;
    assert!(
        wait_for(3000, || form.find(failed).is_some()).await,
        "still says it was not sent"
    );
    assert!(
        form.text(".cf-status").contains(why),
        "{}",
        form.text(".cf-status")
    );
    assert_eq!(form.value("name"), "Nguyễn Văn A");
    settle().await;
    assert!(
        form.find("[data-unsent]").is_none(),
        "shown by its form alone"
    );
    // Sent again (a new submission): the refused one goes.
    stub_fetch(200, r#"{"ok":true}"#, "");
    form.toggle("consultation").await;
    form.submit().await;
    assert!(wait_for(5000, || form.find(".cf-status[data-state=sent]").is_some()).await);
    assert!(stored(&id).is_none());
    drop(form);
    unstub();
}

#[wasm_bindgen_test]
async fn a_waiting_callback_whose_time_has_passed_says_so_and_goes_back_for_another_time() {
    stub_fetch(200, r#"{"ok":true}"#, "");
    let host = fresh_host();
    let yesterday = Day::at(js_sys::Date::now() as i64 - 86_400_000).to_string();
    let mut late = left_waiting(OURS, SINK);
    late.receipt.body = late.receipt.body.replace("2026-11-30", &yesterday);
    store(&late);
    let mut later = left_waiting(THEIRS, SINK);
    later.created_ms += 1.0;
    store(&later);
    let form = callback_form(host).await;
    assert!(wait_for(3000, || form.find(&item(OURS)).is_some()).await);
    let en = Texts::new(Locale::En, Default::default());
    assert!(
        form.text(&item(OURS)).contains(en.get(Key::WaitingPassed)),
        "{}",
        form.text(&item(OURS))
    );
    assert!(
        !form
            .text(&item(THEIRS))
            .contains(en.get(Key::WaitingPassed)),
        "not the one still to come"
    );
    assert!(form
        .find(&format!("{} [data-act=put-back]", item(THEIRS)))
        .is_none());
    form.click(&format!("{} [data-act=put-back]", item(OURS)))
        .await;
    settle().await;
    assert_eq!(form.value("name"), "Ngô Bảo Châu");
    assert_eq!(form.value("callback_date"), "", "a day gone is not offered");
    assert_eq!(form.focused().map(|e| e.id()).as_deref(), Some("cf-name"));
    assert_eq!(
        form.get(".cf-status")
            .get_attribute("data-state")
            .as_deref(),
        Some("editing")
    );
    assert!(form.find(&item(OURS)).is_none());
    // The old one is not sent as well: taken out of what is sent.
    consent_form::outbox::send_now(SINK);
    assert!(wait_for(3000, || !sent_ids().is_empty()).await);
    gloo::timers::future::TimeoutFuture::new(300).await;
    assert_eq!(sent_ids(), [THEIRS], "only the other one");
    assert!(stored(OURS).is_some(), "kept until the form is sent");
    drop(form);
    unstub();
}

// ------------------------------------- what the visitor typed, and the other tabs

#[wasm_bindgen_test]
async fn putting_back_asks_first_when_the_form_holds_something_else_the_visitor_typed() {
    let (refused, form) = listed_as_not_sent(OURS).await;
    // The visitor has started a new request in the form meanwhile.
    form.type_into("name", "Trần Thị Bích").await;
    form.type_into("topic", "Hỏi về hợp đồng").await;
    let put_back = format!("{} [data-act=put-back]", unsent(OURS));
    form.click(&put_back).await;
    settle().await;
    assert_eq!(
        form.value("name"),
        "Trần Thị Bích",
        "nothing typed is replaced unasked"
    );
    assert_eq!(form.value("topic"), "Hỏi về hợp đồng");
    assert!(stored(OURS).is_some_and(|e| e.origin == refused.origin));
    // The question, in the request's line: a group named by it, with two buttons.
    let en = Texts::new(Locale::En, Default::default());
    let group = form.get(&format!("{} [role=group]", unsent(OURS)));
    let question = group.get_attribute("aria-labelledby").unwrap();
    assert_eq!(
        form.text(&format!("#{question}")),
        en.get(Key::UnsentReplaceAsk)
    );
    let keep = form.get(&format!("{} [data-act=keep]", unsent(OURS)));
    assert_eq!(keep.text_content().unwrap(), en.get(Key::UnsentKeep));
    assert_eq!(
        form.text(&format!("{} [data-act=replace]", unsent(OURS))),
        en.get(Key::UnsentReplace)
    );
    assert!(
        form.find(&put_back).is_none(),
        "the question stands in for the buttons"
    );
    // Focus on the choice that loses nothing.
    assert_eq!(
        form.focused().map(|e| e.id()),
        Some(keep.id()),
        "focus on “keep what I typed”"
    );
    // Kept: nothing changes, and focus goes back to the button.
    keep.click();
    settle().await;
    assert_eq!(form.value("name"), "Trần Thị Bích");
    assert!(form
        .find(&format!("{} [role=group]", unsent(OURS)))
        .is_none());
    assert_eq!(
        form.focused()
            .and_then(|e| e.get_attribute("data-act"))
            .as_deref(),
        Some("put-back")
    );
    assert!(form.find(&unsent(OURS)).is_some(), "still listed");
    // Asked again, and replaced: the request is back in the form.
    form.click(&put_back).await;
    settle().await;
    form.click(&format!("{} [data-act=replace]", unsent(OURS)))
        .await;
    settle().await;
    assert_eq!(form.value("name"), "Ngô Bảo Châu");
    assert_eq!(form.value("topic"), "", "the request had none");
    assert_eq!(form.focused().map(|e| e.id()).as_deref(), Some("cf-name"));
    assert!(form.find(&unsent(OURS)).is_none());
    drop(form);

    // What the form holds is the request itself (the same name, nothing else typed):
    // put back at once, nothing to lose.
    let host = fresh_host();
    store_held(&left_refused(THEIRS), js_sys::Date::now() - 60_000.0);
    let form = callback_form(host).await;
    assert!(wait_for(3000, || form.find(&unsent(THEIRS)).is_some()).await);
    form.type_into("name", "Ngô Bảo Châu").await;
    form.click(&format!("{} [data-act=put-back]", unsent(THEIRS)))
        .await;
    settle().await;
    assert!(form.find("[role=group]").is_none(), "not asked");
    assert_eq!(form.value("phone"), "+84902666984");
    drop(form);
}

/// Another tab changes `key` to `new` (`None`: removes it); this tab hears it as the
/// browser tells it, a `storage` event with the value before and after.
fn another_tab_sets(key: &str, new: Option<&str>) {
    let old = local().get_item(key).unwrap();
    match new {
        Some(new) => local().set_item(key, new).unwrap(),
        None => local().remove_item(key).unwrap(),
    }
    js_sys::Function::new_with_args(
        "key, oldValue, newValue",
        "window.dispatchEvent(new StorageEvent('storage', { key, oldValue, newValue }))",
    )
    .call3(
        &JsValue::NULL,
        &key.into(),
        &old.map_or(JsValue::NULL, |v| v.into()),
        &new.map_or(JsValue::NULL, |v| v.into()),
    )
    .unwrap();
}

/// Another tab's outbox lets `entry` go with `outcome`, as `outbox::remove` does: the
/// outcome under its key for an instant, then nothing.
fn another_tab_lets_go(entry: &Entry, outcome: Outcome) {
    let key = format!("{KEY_PREFIX}{}", entry.id());
    let report = Report {
        entry: entry.clone(),
        outcome,
    };
    another_tab_sets(&key, Some(&format!(r#"{{"left":{}}}"#, report.to_json())));
    another_tab_sets(&key, None);
}

/// The form of the other tab (`tab A`) that puts requests back.
const TAB_A: &str = "a1a1a1a1a1a1a1a1|/dat-lich#:callback";

#[wasm_bindgen_test]
async fn put_back_or_deleted_in_another_tab_it_leaves_this_tabs_list_at_once() {
    let host = fresh_host();
    let now = js_sys::Date::now();
    store_held(&left_refused(OURS), now - 60_000.0);
    let mut theirs = left_refused(THEIRS);
    theirs.created_ms += 1.0;
    store_held(&theirs, now - 60_000.0);
    let form = callback_form(host).await;
    assert!(wait_for(3000, || form.find(&unsent(THEIRS)).is_some()).await);
    assert!(form.find(&unsent(OURS)).is_some());

    // Tab A puts it back into its form: the outbox keeps it there, as that form's.
    let mut taken = stored(OURS).unwrap();
    taken.origin = TAB_A.into();
    another_tab_sets(&format!("{KEY_PREFIX}{OURS}"), Some(&taken.to_json()));
    assert!(
        wait_for(2000, || form.find(&unsent(OURS)).is_none()).await,
        "it left this tab's list"
    );
    assert!(form.find(&unsent(THEIRS)).is_some(), "the other stays");

    // Tab A deletes the other.
    another_tab_lets_go(&stored(THEIRS).unwrap(), Outcome::Removed {});
    assert!(
        wait_for(2000, || form.find(&unsent(THEIRS)).is_none()).await,
        "a deleted one leaves too"
    );
    settle().await;
    assert!(form.find("[data-waiting], [data-unsent]").is_none());

    // Tab A sends it anew: a new submission, which replaces the one put back. Its first
    // try fails (no network): listed here as waiting, as any other tab's.
    const NEW: &str = "msg_0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c";
    let mut new = left_waiting(NEW, SINK);
    new.origin = TAB_A.into();
    new.attempts = 0;
    new.last_problem = None;
    new.last_error = None;
    let new_key = format!("{KEY_PREFIX}{NEW}");
    another_tab_sets(&new_key, Some(&new.to_json()));
    another_tab_lets_go(&taken, Outcome::Removed {});
    settle().await;
    assert!(form.find("[data-waiting], [data-unsent]").is_none());
    let failed = left_waiting(NEW, SINK);
    let mut failed_here = failed.clone();
    failed_here.origin = TAB_A.into();
    another_tab_sets(&new_key, Some(&failed_here.to_json()));
    assert!(wait_for(2000, || form.find(&item(NEW)).is_some()).await);
    // Delivered: it leaves, and nothing of the old one comes back.
    another_tab_lets_go(&failed_here, Outcome::Sent(201));
    assert!(wait_for(2000, || form.find(&item(NEW)).is_none()).await);
    settle().await;
    assert!(form.find("[data-waiting], [data-unsent]").is_none());
    let en = Texts::new(Locale::En, Default::default());
    let time = consent_form::wording::receipt_time(&failed.receipt, &en);
    assert_eq!(
        form.text("[data-waiting-news]").trim(),
        en.fill(Key::WaitingSent, &[("time", &time)])
    );
    drop(form);
}

#[wasm_bindgen_test]
async fn a_request_of_the_other_kind_says_which_form_it_goes_back_into() {
    let host = fresh_host();
    store_held(&left_refused(OURS), js_sys::Date::now() - 60_000.0);
    let form = sink_form(host, "vi", "").await;
    assert!(wait_for(3000, || form.find(&unsent(OURS)).is_some()).await);
    assert!(
        form.find(&format!("{} [data-act=put-back]", unsent(OURS)))
            .is_none(),
        "a callback request does not go into a contact form"
    );
    let vi = Texts::new(Locale::Vi, Default::default());
    let said = vi.fill(
        Key::UnsentOtherForm,
        &[("form", vi.get(Key::TitleCallback))],
    );
    let shown = form.text(&format!("{} .cf-waiting-state", unsent(OURS)));
    assert!(shown.ends_with(&said), "{said:?} in {shown:?}");
    assert!(
        form.find(&format!("{} [data-act=delete]", unsent(OURS)))
            .is_some(),
        "it can be deleted here"
    );
    drop(form);
}

#[wasm_bindgen_test]
async fn the_question_goes_while_the_form_sends_and_is_not_asked_once_it_is_sent() {
    stub_fetch(503, r#"{"error":"busy"}"#, "3600");
    let host = fresh_host();
    let mut refused = left_refused(OURS);
    refused.form = FormKind::Contact;
    refused.receipt.form = FormKind::Contact;
    refused.receipt.body =
        format!(r#"{{"id":"{OURS}","fields":{{"name":"Ngô Bảo Châu","phone":"+84902666984"}}}}"#);
    store_held(&refused, js_sys::Date::now() - 60_000.0);
    let form = sink_form(host, "en", "").await;
    assert!(wait_for(3000, || form.find(&unsent(OURS)).is_some()).await);
    form.type_into("name", "Trần Thị Bích").await;
    form.fill("phone", "0902 666 984").await;
    form.toggle("consultation").await;
    form.click(&format!("{} [data-act=put-back]", unsent(OURS)))
        .await;
    assert!(form.find("[role=group]").is_some(), "asked");
    // The visitor sends what they typed instead: while it is on its way or saved to
    // be sent, nothing can be put back, so the question goes.
    form.submit().await;
    assert!(
        wait_for(5000, || form
            .find(".cf-status[data-state=queued]")
            .is_some())
        .await
    );
    assert!(
        form.find("[role=group]").is_none(),
        "no question while locked"
    );
    assert!(form.find("[data-act=replace]").is_none());
    // Sent: the receipt shows; what was typed is delivered, so putting back asks nothing.
    stub_fetch(200, r#"{"ok":true}"#, "");
    consent_form::outbox::send_now(SINK);
    assert!(wait_for(5000, || form.find(".cf-status[data-state=sent]").is_some()).await);
    form.click(&format!("{} [data-act=put-back]", unsent(OURS)))
        .await;
    settle().await;
    assert!(
        form.find("[role=group]").is_none(),
        "not asked after a receipt"
    );
    assert_eq!(form.value("name"), "Ngô Bảo Châu");
    drop(form);
    unstub();
}

// ------------------------------------ a request held by a form alive in another tab

/// A request refused a minute before `now` and put back into tab A's form, which is
/// still open: the name of that form's lock, the function that releases it (tab A
/// goes), and the request.
fn held_by_tab_a(now: f64) -> (String, js_sys::Function, Entry) {
    let name = format!("consent-form:form:{TAB_A}");
    let release = another_tab_holds(&name);
    let mut held = left_refused(OURS);
    held.origin = TAB_A.into();
    store_held(&held, now - 60_000.0);
    (name, release, held)
}

#[wasm_bindgen_test]
async fn a_request_held_by_a_form_alive_in_another_tab_is_listed_once_that_tab_is_gone_not_while_it_reloads(
) {
    let host = fresh_host();
    let now = js_sys::Date::now();
    let (name, release, held_there) = held_by_tab_a(now);
    // Refused in a tab since closed: nobody holds its lock.
    let mut theirs = left_refused(THEIRS);
    theirs.created_ms += 1.0;
    store_held(&theirs, now - 60_000.0);
    let form = callback_form(host).await;
    assert!(
        wait_for(3000, || form.find(&unsent(THEIRS)).is_some()).await,
        "a closed tab's request is listed"
    );
    gloo::timers::future::TimeoutFuture::new(300).await;
    settle().await;
    assert!(
        form.find(&unsent(OURS)).is_none(),
        "not listed while tab A's form shows it"
    );
    // Tab A reloads: its page lets go of the lock, and its form, back a second later,
    // takes it again and shows the request itself.
    release.call0(&JsValue::NULL).unwrap();
    gloo::timers::future::TimeoutFuture::new(1000).await;
    let release = another_tab_holds(&name);
    gloo::timers::future::TimeoutFuture::new(6000).await;
    settle().await;
    assert!(
        form.find(&unsent(OURS)).is_none(),
        "not listed while tab A's form, reloaded, shows it again"
    );
    // Tab A closes: its request is listed without a reload (once the lock has stayed
    // free for the five seconds a reload may take), oldest first.
    release.call0(&JsValue::NULL).unwrap();
    assert!(
        wait_for(8000, || form.find(&unsent(OURS)).is_some()).await,
        "listed once tab A is gone"
    );
    let order: Vec<String> = {
        let list = form.shadow().query_selector_all("[data-unsent]").unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
            .filter_map(|e| e.get_attribute("data-unsent"))
            .collect()
    };
    assert_eq!(order, [OURS, THEIRS]);
    // Tab A comes back (from the back/forward cache, or a reload slower than the five
    // seconds): its form shows the request again, so it leaves this list, saying why…
    let release = another_tab_holds(&name);
    assert!(
        wait_for(8000, || form.find(&unsent(OURS)).is_none()).await,
        "out of the list once tab A's form shows it again"
    );
    let en = Texts::new(Locale::En, Default::default());
    let time = consent_form::wording::receipt_time(&held_there.receipt, &en);
    assert_eq!(
        form.text("[data-waiting-news]").trim(),
        en.fill(Key::UnsentReopened, &[("time", &time)])
    );
    assert!(
        form.find(&unsent(THEIRS)).is_some(),
        "the closed tab's stays"
    );
    // …and is listed again once that tab is gone for good.
    release.call0(&JsValue::NULL).unwrap();
    assert!(
        wait_for(8000, || form.find(&unsent(OURS)).is_some()).await,
        "listed again once tab A is gone again"
    );
    drop(form);
}

#[wasm_bindgen_test]
async fn a_form_mounted_again_lists_what_its_first_mount_waited_for() {
    let host = fresh_host();
    let id = host.id();
    let (_, release, _) = held_by_tab_a(js_sys::Date::now());
    let form = callback_form(host).await;
    gloo::timers::future::TimeoutFuture::new(300).await;
    // Unmounted and mounted again on an element with the same id, as React's StrictMode
    // and a re-rendering page do: the same form, which must list the request itself.
    drop(form);
    let form = callback_form(host_with_id(&id)).await;
    gloo::timers::future::TimeoutFuture::new(300).await;
    settle().await;
    assert!(
        form.find(&unsent(OURS)).is_none(),
        "not while tab A shows it"
    );
    release.call0(&JsValue::NULL).unwrap();
    assert!(
        wait_for(8000, || form.find(&unsent(OURS)).is_some()).await,
        "listed by the form mounted again once tab A is gone"
    );
    drop(form);
}

#[wasm_bindgen_test]
async fn a_form_holds_its_lock_while_it_is_on_the_page() {
    let host = fresh_host();
    let id = host.id();
    let form = callback_form(host).await;
    let ours = move |names: &[String]| {
        names
            .iter()
            .any(|n| n.starts_with("consent-form:form:") && n.ends_with(&format!("#{id}:callback")))
    };
    let mut held = Vec::new();
    for _ in 0..50 {
        held = locks_now().await.0;
        if ours(&held) {
            break;
        }
        gloo::timers::future::TimeoutFuture::new(20).await;
    }
    assert!(ours(&held), "{held:?}");
    // Until it is all released, or all held again: at most a second.
    async fn until(ours: impl Fn(&[String]) -> bool, held: bool) -> bool {
        for _ in 0..50 {
            if ours(&locks_now().await.0) == held {
                return true;
            }
            gloo::timers::future::TimeoutFuture::new(20).await;
        }
        false
    }
    // Hidden away (the back/forward cache keeps a page's locks): released; shown again:
    // held again.
    let window = web_sys::window().unwrap();
    let page = |name: &str| {
        let event = js_sys::Function::new_with_args(
            "name",
            "return new PageTransitionEvent(name, { persisted: true });",
        )
        .call1(&JsValue::NULL, &name.into())
        .unwrap();
        window.dispatch_event(event.unchecked_ref()).unwrap();
    };
    page("pagehide");
    assert!(
        until(&ours, false).await,
        "released while the page is hidden away"
    );
    page("pageshow");
    assert!(until(&ours, true).await, "held again when it shows");
    drop(form);
    settle().await;
    assert!(until(&ours, false).await, "released when the form goes");
}

#[wasm_bindgen_test]
async fn without_web_locks_a_request_held_elsewhere_is_listed_as_before() {
    let host = fresh_host();
    let release = another_tab_holds(&format!("consent-form:form:{TAB_A}"));
    let mut held_there = left_refused(OURS);
    held_there.origin = TAB_A.into();
    store_held(&held_there, js_sys::Date::now() - 60_000.0);
    // An old browser, a page on plain HTTP, some WebViews: no `navigator.locks`.
    let hide = js_sys::Function::new_with_args(
        "hidden",
        "if (hidden) Object.defineProperty(navigator, 'locks', { value: undefined, configurable: true });
         else delete navigator.locks;",
    );
    hide.call1(&JsValue::NULL, &true.into()).unwrap();
    let form = callback_form(host).await;
    let listed = wait_for(3000, || form.find(&unsent(OURS)).is_some()).await;
    hide.call1(&JsValue::NULL, &false.into()).unwrap();
    release.call0(&JsValue::NULL).unwrap();
    assert!(listed, "listed: it cannot be told whether tab A is alive");
    drop(form);
}

// ---------------------------------------- to the form of its kind, on the same page

#[wasm_bindgen_test]
async fn a_request_of_the_other_kind_leads_to_its_form_when_that_is_on_the_page() {
    let go_to = format!("{} [data-act=go-to]", unsent(OURS));
    // Alone on its page, the contact form has no way to a callback form.
    let host = fresh_host();
    store_held(&left_refused(OURS), js_sys::Date::now() - 60_000.0);
    let contact = sink_form(host, "en", "").await;
    assert!(wait_for(3000, || contact.find(&unsent(OURS)).is_some()).await);
    settle().await;
    assert!(contact.find(&go_to).is_none(), "no callback form here");
    drop(contact);

    // With a callback form for the same endpoint on the page: a button to it.
    let host = fresh_host();
    store_held(&left_refused(OURS), js_sys::Date::now() - 60_000.0);
    let contact = sink_form(host, "en", "").await;
    let callback = callback_form(host_with_id("cf-test-peer")).await;
    assert!(wait_for(3000, || contact.find(&unsent(OURS)).is_some()).await);
    assert!(wait_for(3000, || callback.find(&unsent(OURS)).is_some()).await);
    settle().await;
    let button = contact.get(&go_to);
    let en = Texts::new(Locale::En, Default::default());
    assert_eq!(
        button.text_content().unwrap().trim(),
        en.fill(Key::UnsentGoTo, &[("form", en.get(Key::TitleCallback))])
    );
    assert_eq!(
        contact.description(&button),
        contact.text(&format!("#cf-w-{OURS}")),
        "described by the line that names its request"
    );
    // Pressed: focus goes to that form's own "put back" for this request.
    contact.click(&go_to).await;
    settle().await;
    let focused = callback.focused().map(|e| e.id());
    assert_eq!(focused.as_deref(), Some(&*format!("cf-put-back-{OURS}")));
    let active = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element();
    assert_eq!(active.map(|e| e.id()).as_deref(), Some("cf-test-peer"));
    drop(callback);
    drop(contact);
}

/// Replaces `fetch` for [`SINK`]: the first request hangs until `window.__cfFail()`
/// rejects it as a lost network does (`TypeError`); the later ones are answered 200.
/// `window.__cfTries` counts them. Undone by [`unstub`].
fn stub_fetch_failing_first_on_demand() {
    js_sys::Function::new_with_args(
        "sink",
        r#"
        window.__cfRealFetch = window.__cfRealFetch || window.fetch;
        window.__cfTries = 0;
        let fail = () => {};
        window.__cfFail = () => fail(new TypeError('Failed to fetch'));
        window.fetch = (input, init) => {
            const request = input instanceof Request ? input : new Request(input, init);
            if (!new URL(request.url).pathname.startsWith(sink)) {
                return window.__cfRealFetch(input, init);
            }
            window.__cfTries += 1;
            if (window.__cfTries === 1) {
                return new Promise((_, reject) => { fail = reject; });
            }
            return Promise.resolve(new Response('{"ok":true}', {
                status: 200, headers: { 'content-type': 'application/json' },
            }));
        };
        "#,
    )
    .call1(&JsValue::NULL, &SINK.into())
    .unwrap();
}

fn tries() -> f64 {
    let window: JsValue = web_sys::window().unwrap().into();
    js_sys::Reflect::get(&window, &"__cfTries".into())
        .unwrap()
        .as_f64()
        .unwrap_or(0.0)
}

/// The network comes back while a try is under way, and that try then fails for want
/// of it: the next try goes at once, not after the backoff (here up to five minutes).
#[wasm_bindgen_test]
async fn back_online_while_a_try_is_under_way_the_next_try_goes_at_once() {
    const ID: &str = "msg_0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c";
    stub_fetch_failing_first_on_demand();
    let mut waiting = left_waiting(ID, SINK);
    waiting.attempts = 12;
    waiting.next_ms = js_sys::Date::now();
    waiting.timeout_ms = 20_000;
    waiting.remember = false;
    store(&waiting);
    consent_form::outbox::install();
    consent_form::outbox::flush();
    assert!(
        wait_for(3000, || tries() == 1.0).await,
        "the first try is under way"
    );
    let window = web_sys::window().unwrap();
    window
        .dispatch_event(&web_sys::Event::new("online").unwrap())
        .unwrap();
    js_sys::Reflect::get(&window, &"__cfFail".into())
        .unwrap()
        .unchecked_into::<js_sys::Function>()
        .call0(&JsValue::NULL)
        .unwrap();
    assert!(
        wait_for(3000, || stored(ID).is_none()).await,
        "delivered by a second try at once; still stored: {:?}",
        stored(ID).map(|e| (e.attempts, e.next_ms - js_sys::Date::now()))
    );
    assert_eq!(tries(), 2.0);
    unstub();
}
