//! What the first mount leaves for later, in a real browser (`wasm-pack test`): the
//! draft is read in a task after the first render, a notice's rows are built when it is
//! first opened. Neither may change what the visitor gets.
#![cfg(all(target_arch = "wasm32", feature = "ui"))]

mod web_support;

use std::rc::Rc;

use consent_form::fields::FieldName;
use consent_form::state::{Action, FormState};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_support::*;
use web_sys::HtmlElement;
use yew::Reducible;

wasm_bindgen_test_configure!(run_in_browser);

/// A host `<div>` with this id, without clearing storage (as after a reload).
fn host_with_id(id: &str) -> HtmlElement {
    let host: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    host.set_id(id);
    document().body().unwrap().append_child(&host).unwrap();
    host
}

fn contact_json() -> String {
    format!("{{ {} }}", base_json("contact", "vi"))
}

#[wasm_bindgen_test]
async fn a_draft_comes_back_after_a_reload_and_the_mount_does_not_wipe_it() {
    clear_storage();
    let id = "cf-draft-host";
    {
        let form = mount_on(host_with_id(id), &contact_json()).await;
        form.fill("name", "Nguyễn Văn An").await;
        form.fill("need", "Một trang web bán hàng").await;
    }
    // The same form on the same page again: the draft is put back.
    let form = mount_on(host_with_id(id), &contact_json()).await;
    assert!(
        wait_for(1000, || form.value("name") == "Nguyễn Văn An").await,
        "the name comes back, got {:?}",
        form.value("name")
    );
    assert_eq!(form.value("need"), "Một trang web bán hàng");
    assert_eq!(form.value("email"), "");
    drop(form);
    // Mounting did not remove or rewrite it before reading it: a third mount sees it too.
    let form = mount_on(host_with_id(id), &contact_json()).await;
    assert!(
        wait_for(1000, || form.value("need") == "Một trang web bán hàng").await,
        "the draft is still there"
    );
    drop(form);
    clear_storage();
}

#[wasm_bindgen_test]
async fn a_form_without_a_draft_saves_nothing_until_the_visitor_types() {
    clear_storage();
    let form = mount_on(host_with_id("cf-no-draft"), &contact_json()).await;
    let session = web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap();
    let drafts = || {
        (0..session.length().unwrap())
            .filter_map(|i| session.key(i).unwrap())
            .filter(|k| k.starts_with("consent-form:draft:"))
            .count()
    };
    assert_eq!(drafts(), 0);
    form.fill("name", "An").await;
    assert_eq!(drafts(), 1, "typing saves the draft");
    drop(form);
    clear_storage();
}

#[wasm_bindgen_test]
fn a_restored_draft_never_overwrites_what_was_typed_meanwhile() {
    let typed = Rc::new(FormState::default()).reduce(Action::Input(FieldName::Name, "Bình".into()));
    let draft = [
        (FieldName::Name, "An".to_owned()),
        (FieldName::Email, "an@example.vn".to_owned()),
    ]
    .into_iter()
    .collect();
    let state = typed.reduce(Action::Restore(draft));
    assert_eq!(state.value(FieldName::Name), "Bình");
    assert_eq!(state.value(FieldName::Email), "an@example.vn");
}

#[wasm_bindgen_test]
async fn a_notice_shows_its_rows_when_opened_and_they_stay_text() {
    let extra = format!(
        r#""purposes": ["marketing", {{"id": "partner", "text": "Chia sẻ với đối tác",
             "details": "{h}", "recipients": ["{h}"]}}]"#,
        h = HOSTILE
    );
    let form = form("contact", "vi", &extra).await;
    let notices = form.all("details");
    assert_eq!(notices.len(), 3, "one notice per purpose");
    for details in &notices {
        assert!(details.query_selector("summary").unwrap().is_some());
        assert!(!details.has_attribute("open"), "notices start closed");
    }
    // Opened by a click on its summary: the rows are there, with the controller.
    form.click("[data-purpose=consultation] summary").await;
    let rows = form.all("[data-purpose=consultation] details dt");
    assert!(rows.len() >= 4, "{} rows", rows.len());
    let text = form.text("[data-purpose=consultation] details dl");
    assert!(text.contains("Công ty TNHH Ví Dụ"), "{text}");
    // Opened another way (script, find-in-page): the rows come too.
    form.get("[data-purpose=partner] details")
        .set_attribute("open", "")
        .unwrap();
    assert!(
        wait_for(1000, || form
            .find("[data-purpose=partner] details dl")
            .is_some())
        .await,
        "the partner's rows show"
    );
    assert!(form
        .text("[data-purpose=partner] details dl")
        .contains(HOSTILE));
    assert_eq!(form.all("img, script, b, iframe").len(), 0);
}
