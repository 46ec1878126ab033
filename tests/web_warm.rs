//! The warm-up (src/warm.rs) in a real browser (headless Chrome and Firefox,
//! `wasm-pack test`): a moment after the page's first form is mounted, the form runs a
//! keystroke's way once — an `input` event at its hidden anti-spam field — so that the
//! browser compiles that code before the visitor types. Here: it happens, the page
//! never hears it, and it changes nothing the form holds — not even what a bot typed
//! into that hidden field, which still ends at a receipt with nothing sent.
//!
//! One test: the warm-up runs once per page, and this file is a page of its own.
#![cfg(all(target_arch = "wasm32", feature = "ui"))]

mod web_support;

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_support::*;

wasm_bindgen_test_configure!(run_in_browser);

/// An `input` event as heard: its target's id and whether it was composed.
type Heard = Rc<RefCell<Vec<(String, bool)>>>;

/// Records each `input` event that reaches `target` (in the capture phase).
fn hear_inputs(target: &web_sys::EventTarget, heard: &Heard) -> gloo::events::EventListener {
    let sink = heard.clone();
    let options = gloo::events::EventListenerOptions::run_in_capture_phase();
    gloo::events::EventListener::new_with_options(target, "input", options, move |event| {
        let id = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .map(|e| e.id())
            .unwrap_or_default();
        sink.borrow_mut().push((id, event.composed()));
    })
}

#[wasm_bindgen_test]
async fn the_warm_up_runs_once_unheard_by_the_page_and_changes_nothing_a_bot_typed() {
    let page: Heard = Rc::default();
    let _page = hear_inputs(&document().into(), &page);
    let form = form("contact", "vi", "").await;
    let in_form: Heard = Rc::default();
    let _form = hear_inputs(&form.shadow().into(), &in_form);
    // A bot fills the hidden field at once, before the warm-up (a visitor's keystroke
    // is composed: the page hears it too).
    form.type_into("cf-hp", "bot").await;
    assert_eq!(page.borrow().len(), 1, "the page hears the typing");

    let warm_up = |heard: &Heard| {
        heard
            .borrow()
            .iter()
            .filter(|(id, composed)| id == "cf-hp" && !composed)
            .count()
    };
    assert!(
        wait_for(3000, || warm_up(&in_form) == 1).await,
        "the form hears the warm-up's input event at its hidden field: {:?}",
        in_form.borrow()
    );
    // Once: nothing more comes.
    gloo::timers::future::TimeoutFuture::new(600).await;
    settle().await;
    assert_eq!(warm_up(&in_form), 1, "{:?}", in_form.borrow());
    // (At the page, the typing's target is the host: the shadow root is hidden.)
    assert_eq!(
        *page.borrow(),
        vec![(form.host.id(), true)],
        "the page hears only the typing"
    );
    assert_eq!(form.value("cf-hp"), "bot", "what the bot typed is kept");
    for name in ["company", "name", "need", "phone", "email"] {
        assert_eq!(form.value(name), "", "{name} is untouched");
    }
    assert!(
        form.find("[aria-invalid=true]").is_none(),
        "no field shows an error"
    );

    // The bot sends: it sees a receipt, and nothing is sent.
    let submits = listen("consent-form:submit");
    form.type_into("name", "Nguyễn Văn A").await;
    form.fill("phone", "0902666984").await;
    form.fill("email", "a@example.vn").await;
    form.toggle("consultation").await;
    form.submit().await;
    assert!(wait_for(3000, || form.find(".cf-receipt").is_some()).await);
    gloo::timers::future::TimeoutFuture::new(300).await;
    assert!(submits.seen.borrow().is_empty(), "nothing is sent");
}
