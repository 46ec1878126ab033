//! This tab's id, which ties the outbox's reports to the forms of one tab: a page that
//! finds in `sessionStorage` an id another page alive keeps — the browser copied
//! `sessionStorage` from that page's tab ("Duplicate tab", `window.open`) — takes an id
//! of its own; one whose previous page lets go of it a moment later (a reload) keeps it.
//!
//! A test binary of its own: a page decides its tab id once, when its first form needs
//! it, so no other test may mount a form before the first one here.

#![cfg(all(target_arch = "wasm32", feature = "ui"))]

mod web_support;

use consent_form::outbox::locks;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use web_support::{another_tab_holds, base_json, fresh_host, locks_now, mount_on, settle};

wasm_bindgen_test_configure!(run_in_browser);

/// The id the page finds in `sessionStorage`, copied from another tab.
const COPIED: &str = "d0d0d0d0d0d0d0d0";

fn session() -> web_sys::Storage {
    web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap()
}

#[wasm_bindgen_test]
async fn a_page_whose_tab_id_another_live_page_keeps_takes_one_of_its_own() {
    let host = fresh_host();
    let id = host.id();
    // Copied from a tab whose page is alive: it keeps that id's lock.
    session().set_item("consent-form:tab", COPIED).unwrap();
    let release = another_tab_holds(&format!("consent-form:tab:{COPIED}"));
    let form = mount_on(host, &format!("{{ {} }}", base_json("contact", "en"))).await;
    let ours = |names: &[String]| {
        names
            .iter()
            .find(|n| n.starts_with("consent-form:form:") && n.ends_with(&format!("#{id}:contact")))
            .cloned()
    };
    // Its form's lock, once the page has decided (about a second).
    let mut held = None;
    for _ in 0..150 {
        settle().await;
        held = ours(&locks_now().await.0);
        if held.is_some() {
            break;
        }
        gloo::timers::future::TimeoutFuture::new(20).await;
    }
    release.call0(&JsValue::NULL).unwrap();
    let held = held.expect("the form holds its lock");
    let tab = session().get_item("consent-form:tab").unwrap().unwrap();
    assert_ne!(tab, COPIED, "a new id, kept for a reload");
    let path = web_sys::window().unwrap().location().pathname().unwrap();
    assert_eq!(held, format!("consent-form:form:{tab}|{path}#{id}:contact"));
    assert!(
        locks_now()
            .await
            .0
            .contains(&format!("consent-form:tab:{tab}")),
        "the page keeps its new id's lock"
    );
    drop(form);
}

#[wasm_bindgen_test]
async fn a_tab_id_is_taken_when_free_or_let_go_of_within_a_second_not_while_a_live_page_keeps_it() {
    // Free (a new id, or a tab reopened): taken at once, and kept.
    assert!(locks::tab("e1e1e1e1e1e1e1e1").await);
    assert!(locks_now()
        .await
        .0
        .contains(&"consent-form:tab:e1e1e1e1e1e1e1e1".to_owned()));
    // The page this one reloads lets go of it a moment later: taken then.
    let release = another_tab_holds("consent-form:tab:e2e2e2e2e2e2e2e2");
    let later = gloo::timers::callback::Timeout::new(300, move || {
        release.call0(&JsValue::NULL).unwrap();
    });
    assert!(
        locks::tab("e2e2e2e2e2e2e2e2").await,
        "the reloaded page's id"
    );
    drop(later);
    // Kept by a live page (the tab this one was duplicated from): not taken, and not
    // waited for any longer.
    let release = another_tab_holds("consent-form:tab:e3e3e3e3e3e3e3e3");
    let started = js_sys::Date::now();
    assert!(!locks::tab("e3e3e3e3e3e3e3e3").await);
    let waited = js_sys::Date::now() - started;
    // It asked for the whole second before giving up (and gave up: it returned).
    assert!(waited >= 900.0, "{waited} ms");
    let (_, pending) = locks_now().await;
    assert!(
        !pending.contains(&"consent-form:tab:e3e3e3e3e3e3e3e3".to_owned()),
        "no request left waiting: {pending:?}"
    );
    release.call0(&JsValue::NULL).unwrap();
}

#[wasm_bindgen_test]
async fn a_page_whose_timers_the_browser_slows_decides_its_tab_id_by_the_clock() {
    // A page opened in the background: Chrome runs its timers at most once a second
    // (simulated here, for the page's own timers, as the test browser's page is shown).
    let throttle = js_sys::Function::new_no_args(
        "const real = globalThis.setTimeout;
         globalThis.setTimeout = (f, ms, ...args) => real(f, Math.max(ms || 0, 1000), ...args);
         return () => { globalThis.setTimeout = real; };",
    );
    let restore: js_sys::Function = throttle.call0(&JsValue::NULL).unwrap().into();
    let release = another_tab_holds("consent-form:tab:e4e4e4e4e4e4e4e4");
    let started = js_sys::Date::now();
    let taken = locks::tab("e4e4e4e4e4e4e4e4").await;
    let waited = js_sys::Date::now() - started;
    restore.call0(&JsValue::NULL).unwrap();
    release.call0(&JsValue::NULL).unwrap();
    assert!(!taken, "kept by a live page");
    // About a second, two at most with a slowed timer (the wait is measured, not counted
    // in slowed timers: ten of them would take ten seconds); 5 s leaves a busy machine room.
    assert!((900.0..5000.0).contains(&waited), "{waited} ms");
}
