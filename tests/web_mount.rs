//! The component mounted in a real browser (wasm-pack test --headless --chrome --firefox).
#![cfg(all(target_arch = "wasm32", feature = "ui"))]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement, InputEvent, InputEventInit};

wasm_bindgen_test_configure!(run_in_browser);

fn fresh_host() -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    host
}

#[wasm_bindgen_test]
async fn typing_a_name_updates_the_form() {
    let host = fresh_host();
    let _handle = consent_form::mount(host.clone(), wasm_bindgen::JsValue::UNDEFINED).unwrap();
    yew::scheduler::flush().await;

    let shadow = host.shadow_root().expect("rendered into a shadow root");
    let input: HtmlInputElement = shadow.query_selector("input[name=name]").unwrap().unwrap().unchecked_into();
    input.set_value("Nguyễn Văn A");
    let init = InputEventInit::new();
    init.set_bubbles(true);
    input.dispatch_event(&InputEvent::new_with_event_init_dict("input", &init).unwrap()).unwrap();
    yew::scheduler::flush().await;

    let echo = shadow.query_selector(".cf-echo").unwrap().unwrap();
    assert_eq!(echo.text_content().unwrap(), "Xin chào, Nguyễn Văn A");
}
