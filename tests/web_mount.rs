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
async fn a_chosen_industry_stays_chosen_in_the_language_switched_to() {
    clear_storage();
    let mut form = mount_on(host_with_id("cf-draft-industry"), &contact_json()).await;
    form.choose("industry", "Bán lẻ & thương mại điện tử").await;
    // A site's language switch: the form starts afresh in English, from the draft.
    form.host.set_attribute("locale", "en").unwrap();
    form.handle.refresh();
    assert!(
        wait_for(1000, || form.value("industry") == "Retail & e-commerce").await,
        "the same line of business, in English; got {:?}",
        form.value("industry")
    );
    form.submit().await;
    settle().await;
    assert!(
        form.find("#cf-industry-error").is_none(),
        "no error on the chosen industry"
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

/// A host `<div>` without an id (as a page's `<consent-form>` often is).
fn host_without_id() -> HtmlElement {
    let host: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&host).unwrap();
    host
}

fn config(kind: &str) -> wasm_bindgen::JsValue {
    js_sys::JSON::parse(&format!("{{ {} }}", base_json(kind, "vi"))).unwrap()
}

/// The `data-kind` of each form in `host`'s shadow root.
fn kinds(host: &HtmlElement) -> Vec<String> {
    let list = host
        .shadow_root()
        .unwrap()
        .query_selector_all("form")
        .unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|n| n.unchecked_into::<web_sys::Element>())
        .map(|f| f.get_attribute("data-kind").unwrap_or_default())
        .collect()
}

#[wasm_bindgen_test]
async fn a_stale_handle_never_destroys_the_form_mounted_after_it() {
    let host = fresh_host();
    let mut first = consent_form::mount(host.clone(), config("contact")).unwrap();
    settle().await;
    let mut second = consent_form::mount(host.clone(), config("callback")).unwrap();
    settle().await;
    assert_eq!(kinds(&host), ["callback"]);
    // The first handle is stale: destroy() and refresh() on it change nothing.
    first.destroy();
    settle().await;
    first.destroy();
    first.refresh();
    settle().await;
    assert_eq!(kinds(&host), ["callback"], "the live form stays");
    second.destroy();
    settle().await;
    assert!(kinds(&host).is_empty(), "its own handle removes it");
    second.destroy();

    // React StrictMode: mount, mount again, then the first mount's cleanup.
    let mut first = consent_form::mount(host.clone(), config("contact")).unwrap();
    let mut second = consent_form::mount(host.clone(), config("contact")).unwrap();
    first.destroy();
    settle().await;
    assert_eq!(kinds(&host), ["contact"], "the second mount's form shows");
    second.destroy();
    host.remove();
}

#[wasm_bindgen_test]
async fn mounting_again_replaces_the_first_form_cleanly() {
    let host = fresh_host();
    let mut first = consent_form::mount(host.clone(), config("contact")).unwrap();
    settle().await;
    let shadow = host.shadow_root().unwrap();
    let old_root = shadow.last_element_child().unwrap();
    assert!(old_root.query_selector("form").unwrap().is_some());
    let mut second = consent_form::mount(host.clone(), config("callback")).unwrap();
    settle().await;
    assert_eq!(kinds(&host), ["callback"]);
    assert!(
        !shadow.contains(Some(&old_root)),
        "the first form's root is gone"
    );
    // The first form is destroyed, not left running in a detached root.
    assert_eq!(
        old_root.child_element_count(),
        0,
        "the first form was destroyed"
    );
    second.destroy();
    first.destroy();
    host.remove();
}

#[wasm_bindgen_test]
async fn two_forms_of_one_kind_without_an_id_do_not_hear_of_each_others_submissions() {
    clear_storage();
    let a = mount_on(host_without_id(), &contact_json()).await;
    let b = mount_on(host_without_id(), &contact_json()).await;
    b.fill("name", "Visitor B").await;
    a.fill("name", "Khách A").await;
    a.fill("phone", "0902 666 984").await;
    a.toggle("consultation").await;
    a.submit().await;
    // The test sink does not take it: A reports the outcome; B stays as it was.
    assert!(
        wait_for(5000, || a
            .find(".cf-status:not([data-state=editing])")
            .is_some())
        .await,
        "A reports its submission"
    );
    settle().await;
    let b_state = b
        .find(".cf-status")
        .and_then(|s| s.get_attribute("data-state"));
    assert_eq!(
        b_state.as_deref(),
        Some("editing"),
        "B says nothing of A's submission"
    );
    assert!(
        b.find(".cf-status:not([data-state=editing])").is_none(),
        "B says nothing of A's submission"
    );
    assert!(b.find(".cf-receipt").is_none());
    assert_eq!(b.value("name"), "Visitor B", "B keeps what was typed");
    drop((a, b));
    clear_storage();
}

#[wasm_bindgen_test]
async fn two_forms_of_one_kind_without_an_id_keep_their_own_drafts() {
    clear_storage();
    let session = web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap();
    let path = web_sys::window().unwrap().location().pathname().unwrap();
    {
        let a = mount_on(host_without_id(), &contact_json()).await;
        let b = mount_on(host_without_id(), &contact_json()).await;
        a.fill("name", "Khách A").await;
        b.fill("name", "Visitor B").await;
        // The first keeps the key a single form has always had.
        let single = format!("consent-form:draft:{path}#:contact");
        let saved = session.get_item(&single).unwrap().unwrap_or_default();
        assert!(saved.contains("Khách A"), "{saved}");
    }
    // After a reload, each gets its own draft back.
    let a = mount_on(host_without_id(), &contact_json()).await;
    let b = mount_on(host_without_id(), &contact_json()).await;
    assert!(
        wait_for(1000, || a.value("name") == "Khách A").await,
        "the first form's draft, got {:?}",
        a.value("name")
    );
    assert!(
        wait_for(1000, || b.value("name") == "Visitor B").await,
        "the second form's draft, got {:?}",
        b.value("name")
    );
    drop((a, b));
    // A form with an id keeps its id-based key.
    let c = mount_on(host_with_id("cf-draft-id"), &contact_json()).await;
    c.fill("name", "An").await;
    let key = format!("consent-form:draft:{path}#cf-draft-id:contact");
    assert!(session.get_item(&key).unwrap().is_some(), "{key}");
    drop(c);
    clear_storage();
}

/// The message of what `mount()` refused with.
fn refusal(element: wasm_bindgen::JsValue) -> String {
    match consent_form::mount(element.unchecked_into(), config("contact")) {
        Ok(_) => panic!("mount() accepted it"),
        Err(e) => {
            let e: js_sys::Error = wasm_bindgen::JsValue::from(e).unchecked_into();
            String::from(e.message())
        }
    }
}

#[wasm_bindgen_test]
fn mount_on_what_cannot_hold_the_form_tells_the_developer_what_to_give_instead() {
    // An element the browser gives no shadow root: said by name, with where it can go.
    for tag in ["li", "form", "td"] {
        let el = document().create_element(tag).unwrap();
        let why = refusal(el.into());
        assert!(why.contains(&format!("<{tag}>")), "{why}");
        assert!(why.contains("<div>"), "{why}");
    }
    // What a mistyped id gives (getElementById finds nothing), a selector where the
    // element was wanted, a wrapper object: each said as what it is, not as an element
    // that refuses a shadow root (nor a bare TypeError from inside the module).
    let why = refusal(wasm_bindgen::JsValue::NULL);
    assert!(why.contains("null") && why.contains("element"), "{why}");
    let why = refusal("#callback".into());
    assert!(
        why.contains("\"#callback\"") && why.contains("querySelector"),
        "{why}"
    );
    let why = refusal(js_sys::Object::new().into());
    assert!(why.contains("needs an element"), "{why}");
    // querySelectorAll's list (or a jQuery object) for the element: said to be a list,
    // with how to take one of it.
    let list = document().query_selector_all("body").unwrap();
    let why = refusal(list.into());
    assert!(why.contains("a list") && why.contains("list[0]"), "{why}");
    let why = refusal(wasm_bindgen::JsValue::UNDEFINED);
    assert!(why.contains("not undefined"), "{why}");
    // A <div> that another script gave a closed shadow root: not "cannot have a shadow
    // root: mount into a <div> inside it", which that root would never show.
    let div: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    div.attach_shadow(&web_sys::ShadowRootInit::new(
        web_sys::ShadowRootMode::Closed,
    ))
    .unwrap();
    let why = refusal(div.into());
    assert!(
        why.contains("<div>") && why.contains("closed shadow root") && !why.contains("inside it"),
        "{why}"
    );
}
