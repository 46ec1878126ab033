//! Helpers shared by the browser tests (tests/web_*.rs): mounting a form into a fresh
//! element, acting on it like a visitor, and reading what it shows.
#![allow(dead_code)]

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use consent_form::FormHandle;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    Document, Element, Event, EventInit, HtmlElement, HtmlInputElement, HtmlSelectElement,
    HtmlTextAreaElement, InputEvent, InputEventInit, ShadowRoot,
};

/// A signing secret in the Standard Webhooks format (a test value, signs nothing real).
pub const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// A string that would run script if it were ever parsed as HTML.
pub const HOSTILE: &str = "<img src=x onerror=alert(1)>";

thread_local! {
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
}

pub fn document() -> Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Forgets drafts (sessionStorage) and the outbox (localStorage) of earlier tests.
pub fn clear_storage() {
    let window = web_sys::window().unwrap();
    window.session_storage().unwrap().unwrap().clear().unwrap();
    window.local_storage().unwrap().unwrap().clear().unwrap();
}

/// A fresh `<div>` in `<body>` with an id no other test uses (drafts and outbox
/// reports are keyed by it).
pub fn fresh_host() -> HtmlElement {
    clear_storage();
    let document = document();
    let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    let n = NEXT_ID.with(|c| {
        c.set(c.get() + 1);
        c.get()
    });
    host.set_id(&format!("cf-test-{n}"));
    document.body().unwrap().append_child(&host).unwrap();
    host
}

/// A host `<div>` with this id, without clearing storage (as after a reload).
pub fn host_with_id(id: &str) -> HtmlElement {
    let document = document();
    let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    host.set_id(id);
    document.body().unwrap().append_child(&host).unwrap();
    host
}

/// The settings every form needs, as JSON members: an endpoint on the test server
/// (answered there without effect), an inline test secret, no minimum fill time.
pub fn base_json(kind: &str, locale: &str) -> String {
    format!(
        r#""kind": "{kind}", "locale": "{locale}", "endpoint": "/cf-test-sink", "secret": "{SECRET}",
           "policy_url": "/privacy.html", "policy_version": "2026-01",
           "controller": "Công ty TNHH Ví Dụ", "min_fill_ms": 0"#
    )
}

/// A form mounted into a fresh host; destroyed and removed when dropped.
pub struct Mounted {
    pub host: HtmlElement,
    pub handle: FormHandle,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.handle.destroy();
        self.host.remove();
    }
}

impl Mounted {
    pub fn shadow(&self) -> ShadowRoot {
        self.host
            .shadow_root()
            .expect("the form renders into an open shadow root")
    }

    /// The first element matching `selector` in the shadow root.
    pub fn find(&self, selector: &str) -> Option<Element> {
        self.shadow().query_selector(selector).unwrap()
    }

    /// The element matching `selector`; fails the test if there is none.
    pub fn get(&self, selector: &str) -> HtmlElement {
        self.find(selector)
            .unwrap_or_else(|| panic!("no element matches {selector}"))
            .unchecked_into()
    }

    /// Every element matching `selector`, in document order.
    pub fn all(&self, selector: &str) -> Vec<HtmlElement> {
        let list = self.shadow().query_selector_all(selector).unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i))
            .map(|n| n.unchecked_into())
            .collect()
    }

    /// The `attribute` of each element matching `selector` that has it, in DOM order.
    pub fn attributes(&self, selector: &str, attribute: &str) -> Vec<String> {
        self.all(selector)
            .iter()
            .filter_map(|e| e.get_attribute(attribute))
            .collect()
    }

    /// The control of field `name`.
    pub fn control(&self, name: &str) -> HtmlElement {
        self.get(&format!("[name='{name}']"))
    }

    pub fn text(&self, selector: &str) -> String {
        self.get(selector).text_content().unwrap_or_default()
    }

    /// What the control of `name` holds now.
    pub fn value(&self, name: &str) -> String {
        let el = self.control(name);
        if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
            input.value()
        } else if let Some(select) = el.dyn_ref::<HtmlSelectElement>() {
            select.value()
        } else {
            el.unchecked_ref::<HtmlTextAreaElement>().value()
        }
    }

    /// Types `value` into the text input or text area `name`, as one input event.
    pub async fn type_into(&self, name: &str, value: &str) {
        let el = self.control(name);
        if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
            input.set_value(value);
        } else {
            el.unchecked_ref::<HtmlTextAreaElement>().set_value(value);
        }
        let init = InputEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        el.dispatch_event(&InputEvent::new_with_event_init_dict("input", &init).unwrap())
            .unwrap();
        settle().await;
    }

    /// Leaves field `name` (a blur, which does not bubble).
    pub async fn leave(&self, name: &str) {
        self.control(name)
            .dispatch_event(&Event::new("blur").unwrap())
            .unwrap();
        settle().await;
    }

    /// Types and leaves.
    pub async fn fill(&self, name: &str, value: &str) {
        self.type_into(name, value).await;
        self.leave(name).await;
    }

    /// Picks `value` in the select `name`.
    pub async fn choose(&self, name: &str, value: &str) {
        let select: HtmlSelectElement = self.control(name).unchecked_into();
        select.set_value(value);
        assert_eq!(select.value(), value, "{name} offers {value}");
        let init = EventInit::new();
        init.set_bubbles(true);
        select
            .dispatch_event(&Event::new_with_event_init_dict("change", &init).unwrap())
            .unwrap();
        settle().await;
    }

    /// Clicks an element (a checkbox toggles, a button acts) and lets the form update.
    pub async fn click(&self, selector: &str) {
        self.get(selector).click();
        settle().await;
    }

    /// Ticks (or unticks) the consent for `purpose`.
    pub async fn toggle(&self, purpose: &str) {
        self.click(&format!("input[name='consent-{purpose}']"))
            .await;
    }

    /// Presses the submit button.
    pub async fn submit(&self) {
        self.click("button[type=submit]").await;
    }

    /// The checkbox of `purpose`.
    pub fn consent(&self, purpose: &str) -> HtmlInputElement {
        self.get(&format!("input[name='consent-{purpose}']"))
            .unchecked_into()
    }

    /// The element that has focus inside the shadow root.
    pub fn focused(&self) -> Option<Element> {
        self.shadow().active_element()
    }

    /// The text of the elements `aria-describedby` of `el` points at.
    pub fn description(&self, el: &Element) -> String {
        let ids = el.get_attribute("aria-describedby").unwrap_or_default();
        ids.split_whitespace()
            .map(|id| {
                self.shadow()
                    .get_element_by_id(id)
                    .unwrap_or_else(|| panic!("aria-describedby names #{id}, which does not exist"))
                    .text_content()
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join(" | ")
    }
}

/// The text of `el` a screen reader is given as its content: without what is
/// `aria-hidden`, spaces collapsed.
pub fn spoken_text(el: &Element) -> String {
    fn walk(node: &web_sys::Node, out: &mut String) {
        if let Some(el) = node.dyn_ref::<Element>() {
            if el.get_attribute("aria-hidden").as_deref() == Some("true") {
                return;
            }
        } else if node.node_type() == web_sys::Node::TEXT_NODE {
            out.push_str(&node.text_content().unwrap_or_default());
            return;
        }
        let children = node.child_nodes();
        for i in 0..children.length() {
            if let Some(child) = children.item(i) {
                walk(&child, out);
            }
        }
    }
    let mut out = String::new();
    walk(el, &mut out);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lets Yew render what is pending, and spawned futures run a step.
pub async fn settle() {
    yew::scheduler::flush().await;
    gloo::timers::future::TimeoutFuture::new(0).await;
    yew::scheduler::flush().await;
}

/// Waits up to `ms` for `done` to hold, checking every 20 ms.
pub async fn wait_for(ms: u32, mut done: impl FnMut() -> bool) -> bool {
    let mut waited = 0;
    loop {
        if done() {
            return true;
        }
        if waited >= ms {
            return false;
        }
        gloo::timers::future::TimeoutFuture::new(20).await;
        yew::scheduler::flush().await;
        waited += 20;
    }
}

/// Mounts with the JS object parsed from `json` (as a host's `mount(element, config)`).
pub async fn mount_json(json: &str) -> Mounted {
    let host = fresh_host();
    mount_on(host, json).await
}

/// Mounts on `host` with the object parsed from `json` (`""` for none).
pub async fn mount_on(host: HtmlElement, json: &str) -> Mounted {
    let config = if json.is_empty() {
        JsValue::UNDEFINED
    } else {
        js_sys::JSON::parse(json).expect("test JSON parses")
    };
    let handle =
        consent_form::mount(host.clone(), config).unwrap_or_else(|_| panic!("mount() threw"));
    settle().await;
    Mounted { host, handle }
}

/// A form of `kind` in `locale` with the base settings and `extra` JSON members.
pub async fn form(kind: &str, locale: &str, extra: &str) -> Mounted {
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!(", {extra}")
    };
    mount_json(&format!("{{ {}{extra} }}", base_json(kind, locale))).await
}

/// Collects the `detail` of every `name` event that reaches `document`.
pub struct Listener {
    pub seen: Rc<RefCell<Vec<JsValue>>>,
    _listener: gloo::events::EventListener,
}

pub fn listen(name: &'static str) -> Listener {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let sink = seen.clone();
    let listener = gloo::events::EventListener::new(&document(), name, move |event| {
        let detail =
            js_sys::Reflect::get(event, &JsValue::from_str("detail")).unwrap_or(JsValue::NULL);
        sink.borrow_mut().push(detail);
    });
    Listener {
        seen,
        _listener: listener,
    }
}

/// A property of a JS object as a string ("" if absent).
pub fn prop(value: &JsValue, name: &str) -> String {
    js_sys::Reflect::get(value, &JsValue::from_str(name))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// `getComputedStyle(el).getPropertyValue(property)`.
pub fn computed(el: &Element, property: &str) -> String {
    let window: JsValue = web_sys::window().unwrap().into();
    let get = js_sys::Reflect::get(&window, &JsValue::from_str("getComputedStyle")).unwrap();
    let style = get
        .unchecked_ref::<js_sys::Function>()
        .call1(&window, el)
        .unwrap();
    let value = js_sys::Reflect::get(&style, &JsValue::from_str("getPropertyValue")).unwrap();
    value
        .unchecked_ref::<js_sys::Function>()
        .call1(&style, &JsValue::from_str(property))
        .unwrap()
        .as_string()
        .unwrap_or_default()
}

/// Adds a `<style>` with `css` to the document's `<head>`; returns it for removal.
pub fn page_style(css: &str) -> Element {
    let style = document().create_element("style").unwrap();
    style.set_text_content(Some(css));
    document()
        .query_selector("head")
        .unwrap()
        .unwrap()
        .append_child(&style)
        .unwrap();
    style
}

/// Replaces `fetch` for requests whose path starts with `sink`: each is recorded in
/// `window.__cfSeen` (url, method, headers, body; [`seen_requests`]) and answered with
/// `status`, `answer` and, if not empty, `Retry-After: retry_after`. Everything else
/// goes to the real `fetch`. Undone by [`unstub`].
pub fn stub_fetch_at(sink: &str, status: u16, answer: &str, retry_after: &str) {
    js_sys::Function::new_with_args(
        "sink, status, answer, retryAfter",
        r#"
        window.__cfRealFetch = window.__cfRealFetch || window.fetch;
        window.__cfSeen = [];
        window.fetch = async (input, init) => {
            const request = input instanceof Request ? input : new Request(input, init);
            if (!new URL(request.url).pathname.startsWith(sink)) {
                return window.__cfRealFetch(input, init);
            }
            const headers = {};
            request.headers.forEach((v, k) => { headers[k] = v; });
            window.__cfSeen.push({ url: request.url, method: request.method, headers, body: await request.text() });
            const answerHeaders = { 'content-type': 'application/json' };
            if (retryAfter) answerHeaders['retry-after'] = retryAfter;
            return new Response(answer, { status, headers: answerHeaders });
        };
        "#,
    )
    .call4(
        &JsValue::NULL,
        &sink.into(),
        &JsValue::from(status),
        &answer.into(),
        &retry_after.into(),
    )
    .unwrap();
}

/// The requests the stand-in of [`stub_fetch_at`] has seen.
pub fn seen_requests() -> Vec<JsValue> {
    let window: JsValue = web_sys::window().unwrap().into();
    js_sys::Reflect::get(&window, &"__cfSeen".into())
        .ok()
        .and_then(|v| v.dyn_into::<js_sys::Array>().ok())
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

/// Puts back the real `fetch` after a test's stand-in (kept as `window.__cfRealFetch`).
pub fn unstub() {
    js_sys::Function::new_no_args(
        "if (window.__cfRealFetch) { window.fetch = window.__cfRealFetch; delete window.__cfRealFetch; }",
    )
    .call0(&JsValue::NULL)
    .unwrap();
}

/// Holds the Web Lock `name` as another tab's page does while it lives; the function
/// returned releases it (the tab closes).
pub fn another_tab_holds(name: &str) -> js_sys::Function {
    js_sys::Function::new_with_args(
        "name",
        "let release; const held = new Promise((r) => (release = r));
         navigator.locks.request(name, () => held); return release;",
    )
    .call1(&JsValue::NULL, &name.into())
    .unwrap()
    .unchecked_into()
}

/// The names of the Web Locks held, and asked for, in this browser (every tab of the
/// origin).
pub async fn locks_now() -> (Vec<String>, Vec<String>) {
    let locks =
        js_sys::Reflect::get(&web_sys::window().unwrap().navigator(), &"locks".into()).unwrap();
    let query: js_sys::Function = js_sys::Reflect::get(&locks, &"query".into())
        .unwrap()
        .unchecked_into();
    let promise: js_sys::Promise = query.call0(&locks).unwrap().unchecked_into();
    let snapshot = wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    let names = |which: &str| -> Vec<String> {
        let list: js_sys::Array = js_sys::Reflect::get(&snapshot, &which.into())
            .unwrap()
            .unchecked_into();
        list.iter().map(|lock| prop(&lock, "name")).collect()
    };
    (names("held"), names("pending"))
}
