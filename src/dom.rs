//! Small typed helpers over the DOM, so components never touch raw `JsValue`s.

use wasm_bindgen::JsCast;
use web_sys::{
    Event, HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement, InputEvent,
};

/// NFC-normalizes text: Vietnamese input methods may send decomposed characters
/// ("e" + combining marks), which would otherwise compare and hash differently.
pub fn nfc(text: &str) -> String {
    if text.is_ascii() {
        return text.to_owned();
    }
    js_sys::JsString::from(text).normalize("NFC").into()
}

/// The NFC-normalized value of the input, select or text area an event came from.
///
/// A text control holding decomposed text (typed so, or pasted) gets the composed text
/// here, with its caret after the same character: given it later, when the form shows
/// the value, the browser would move the caret to the end, and the next key would land
/// there.
///
/// Not while an input method composes a word (Telex or VNI on a phone, Korean,
/// Japanese, Chinese): the text is the input method's until it settles, and rewritten
/// under it the word breaks. The value is taken as it is (the form holds what the
/// control shows, so that a render writes nothing into it), and normalized when the
/// composition ends ([`input_when_composed`]).
pub fn event_value(event: &Event) -> String {
    let Some(target) = event.target() else {
        return String::new();
    };
    let composing = event
        .dyn_ref::<InputEvent>()
        .is_some_and(InputEvent::is_composing);
    if let Some(input) = target.dyn_ref::<HtmlInputElement>() {
        let caret = input.selection_start().ok().flatten();
        composed(input.value(), composing, caret, |value, at| {
            input.set_value(value);
            let _ = input.set_selection_range(at, at);
        })
    } else if let Some(area) = target.dyn_ref::<HtmlTextAreaElement>() {
        let caret = area.selection_start().ok().flatten();
        composed(area.value(), composing, caret, |value, at| {
            area.set_value(value);
            let _ = area.set_selection_range(at, at);
        })
    } else if let Some(select) = target.dyn_ref::<HtmlSelectElement>() {
        select.value()
    } else {
        String::new()
    }
}

/// `raw` in NFC; if that changes it and the control has a caret (at UTF-16 offset
/// `caret`), `set` gives the control the NFC text and the caret's offset in it. While
/// an input method is `composing`, `raw` as it is.
fn composed(raw: String, composing: bool, caret: Option<u32>, set: impl Fn(&str, u32)) -> String {
    if composing {
        return raw;
    }
    let value = nfc(&raw);
    if let (true, Some(caret)) = (value != raw, caret) {
        let before = js_sys::JsString::from(raw.as_str()).slice(0, caret);
        set(&value, before.normalize("NFC").length());
    }
    value
}

/// Makes the end of an input method's composition in a control under `root` an
/// `input` of its own, no longer composing: the word the input method settled on is
/// then normalized and taken like anything typed ([`event_value`]). Browsers send the
/// composition's last `input` before `compositionend`, and Yew listens for no
/// composition event. Listens as long as the listener returned is kept.
pub fn input_when_composed(root: &web_sys::EventTarget) -> gloo::events::EventListener {
    gloo::events::EventListener::new(root, "compositionend", |event| {
        if let Some(target) = event.target() {
            input_event(&target);
        }
    })
}

/// Dispatches an `input` event at `target` that bubbles as a keystroke's does but is
/// not composed: it stays in the form's shadow root, the page never hears it.
pub fn input_event(target: &web_sys::EventTarget) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    if let Ok(input) = Event::new_with_event_init_dict("input", &init) {
        let _ = target.dispatch_event(&input);
    }
}

thread_local! {
    /// Whether a mouse button or a finger is down on the page ([`after_press`]).
    static PRESSED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Whether [`watch_presses`] has run.
    static WATCHED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// What waits for the press's click (one field is left per press).
    static WAITING: std::cell::Cell<Option<yew::Callback<()>>> =
        const { std::cell::Cell::new(None) };
}

/// Starts noting presses on the page, for [`after_press`] (once per page: the
/// listeners stay).
pub fn watch_presses() {
    if let Some(window) = web_sys::window().filter(|_| !WATCHED.replace(true)) {
        // A finger that scrolls, a drag: `pointercancel`, and no release.
        for (kind, on) in [
            ("pointerdown", down as fn(&Event)),
            ("pointerup", up),
            ("pointercancel", up),
        ] {
            gloo::events::EventListener::new(&window, kind, on).forget();
        }
    }
}

/// A press began.
fn down(_: &Event) {
    PRESSED.set(true);
}

/// The press ended: what waited runs once its click is dispatched (in this task).
fn up(_: &Event) {
    PRESSED.set(false);
    gloo::timers::callback::Timeout::new(0, released as fn()).forget();
}

/// The press's click is done: what waited runs.
fn released() {
    if let Some(f) = WAITING.take() {
        f.emit(());
    }
}

/// Emits `f` now, or, while a mouse button is held down, once it is released and its
/// click dispatched. A field left by a press on another control (its blur comes with
/// the press) says what is wrong with it only then: a message shown at once would push
/// the pressed control down, and the release, landing beside it, would lose the click.
pub fn after_press(f: yew::Callback<()>) {
    // (A press whose release never came leaves what waited: it runs now.)
    let now = match PRESSED.get() {
        true => WAITING.replace(Some(f)),
        false => Some(f),
    };
    if let Some(f) = now {
        f.emit(());
    }
}

/// Whether the checkbox an event came from is now ticked.
pub fn event_checked(event: &Event) -> bool {
    event
        .target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        .is_some_and(|input| input.checked())
}

/// The element with `id` in the same shadow root (or document) as the event's target.
pub fn in_same_root(event: &Event, id: &str) -> Option<HtmlElement> {
    let node = event.target()?.dyn_into::<web_sys::Node>().ok()?;
    let root = node.get_root_node();
    let found = if let Some(shadow) = root.dyn_ref::<web_sys::ShadowRoot>() {
        shadow.get_element_by_id(id)
    } else if let Some(doc) = root.dyn_ref::<web_sys::Document>() {
        doc.get_element_by_id(id)
    } else {
        None
    };
    found.and_then(|e| e.dyn_into::<HtmlElement>().ok())
}

/// Focuses the element with `id` in the same shadow root (or document) as the event's
/// target. Fragment links cannot reach into a shadow root, so the summary does this.
pub fn focus_in_same_root(event: &Event, id: &str) {
    if let Some(el) = in_same_root(event, id) {
        let _ = el.focus();
    }
}

/// Focuses the element `node` refers to, if it is rendered. One that takes no focus of
/// its own (the form, the receipt) takes it this once: `tabindex="-1"` until focus
/// leaves it. Focusable for good, a click on its text would focus it, and Tab would then
/// go on from its top instead of from the click.
pub fn focus(node: &yew::NodeRef) {
    if let Some(el) = node.cast::<HtmlElement>() {
        if !el.has_attribute("tabindex") {
            let _ = el.set_attribute("tabindex", "-1");
            let target = el.clone();
            gloo::events::EventListener::once(&el, "blur", move |_| {
                let _ = target.remove_attribute("tabindex");
            })
            .forget();
        }
        let _ = el.focus();
    }
}

/// Whether focus is free to move into the form on `host`: it is nowhere (on the
/// page's body, as when the focused button was replaced) or already in the form — not
/// in another field of the page, where the visitor has gone on typing.
pub fn focus_is_free(host: Option<&HtmlElement>) -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return true;
    };
    let Some(active) = document.active_element() else {
        return true;
    };
    let active: &wasm_bindgen::JsValue = active.as_ref();
    let is = |el: &HtmlElement| AsRef::<wasm_bindgen::JsValue>::as_ref(el) == active;
    document.body().is_some_and(|b| is(&b)) || host.is_some_and(is)
}

/// Focuses, once the view has been rendered again, the element with `id` in the same
/// shadow root (or document) as `near`.
pub fn focus_soon(near: &yew::NodeRef, id: String) {
    let near = near.clone();
    gloo::timers::callback::Timeout::new(0, move || {
        let Some(root) = near.get().map(|n| n.get_root_node()) else {
            return;
        };
        let found = match root.dyn_ref::<web_sys::ShadowRoot>() {
            Some(shadow) => shadow.get_element_by_id(&id),
            None => root
                .dyn_ref::<web_sys::Document>()
                .and_then(|d| d.get_element_by_id(&id)),
        };
        if let Some(el) = found.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
            let _ = el.focus();
        }
    })
    .forget();
}

/// Milliseconds since the Unix epoch, from the browser's clock.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// `count` random bytes from `crypto.getRandomValues`, or `None` without Web Crypto.
pub fn random_bytes<const N: usize>() -> Option<[u8; N]> {
    let crypto = web_sys::window()?.crypto().ok()?;
    let mut bytes = [0u8; N];
    crypto.get_random_values_with_u8_array(&mut bytes).ok()?;
    Some(bytes)
}

/// Offers `json` to the visitor as a file download named `file_name`.
pub fn download_json(file_name: &str, json: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(json));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(link) = document.create_element("a") {
        if let Ok(link) = link.dyn_into::<web_sys::HtmlAnchorElement>() {
            link.set_href(&url);
            link.set_download(file_name);
            link.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// The attribute set on the host element whose receipt is being printed.
const PRINTING: &str = "data-consent-form-printing";

/// The element, at the end of the page's body, that holds a copy of the receipt being
/// printed: what is printed, whatever boxes the form itself sits in.
const COPY: &str = "consent-form-print";

/// Added to the host page's own stylesheets (adopted, so a strict Content-Security-Policy
/// allows it): in print, while a receipt's copy is in the body, the copy is all the
/// body shows, and neither the body nor the page clips it (a popup's `overflow:hidden` or
/// `position:fixed` on the body while it is open). On the screen the copy never shows.
/// Printing the page otherwise is unchanged.
const PRINT_ONLY_CSS: &str = "consent-form-print{display:none}@media print{consent-form-print{display:block!important}\
body:has(>consent-form-print)>:not(consent-form-print){display:none!important}\
html:has(>body>consent-form-print),body:has(>consent-form-print){position:static!important;height:auto!important;\
overflow:visible!important}}";

thread_local! {
    static PRINT_SHEET: Option<web_sys::CssStyleSheet> = {
        let sheet = web_sys::CssStyleSheet::new().ok();
        sheet.filter(|s| s.replace_sync(PRINT_ONLY_CSS).is_ok())
    };
}

/// Prints the receipt inside `node`'s shadow root, and nothing else of the page.
///
/// What prints is a copy of that shadow root's content, with its styles, put at the end
/// of the page's body until `afterprint`: the form's own element may sit in a popup (a
/// fixed overlay, a box that scrolls), which would cut the receipt off or print an empty
/// page, or in another component's shadow root, which no page stylesheet reaches. The
/// form's element carries [`PRINTING`] meanwhile, for the host's own print styles.
pub fn print_only(node: &web_sys::Node) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let root = node.get_root_node().dyn_into::<web_sys::ShadowRoot>().ok();
    if let (Some(root), Some(document)) = (root, window.document()) {
        PRINT_SHEET.with(|sheet| {
            if let Some(sheet) = sheet {
                let sheets = document.adopted_style_sheets();
                if !sheets.includes(sheet, 0) {
                    sheets.push(sheet);
                    document.set_adopted_style_sheets(&sheets);
                }
            }
        });
        // A copy left by a print whose `afterprint` never came.
        if let Ok(Some(old)) = document.query_selector(COPY) {
            old.remove();
        }
        let host = root.host();
        let _ = host.set_attribute(PRINTING, "");
        let copy = document.create_element(COPY).ok();
        let shadow = copy.as_ref().and_then(|c| {
            c.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))
                .ok()
        });
        if let (Some(copy), Some(shadow), Some(body)) = (&copy, shadow, document.body()) {
            // (A form styled by a <style> element, where constructable sheets are
            // missing, has it copied with the rest.)
            shadow.set_adopted_style_sheets(&root.adopted_style_sheets());
            let mut next = root.first_child();
            while let Some(node) = next {
                if let Ok(n) = node.clone_node_with_deep(true) {
                    let _ = shadow.append_child(&n);
                }
                next = node.next_sibling();
            }
            let _ = body.append_child(copy);
        }
        gloo::events::EventListener::once(&window, "afterprint", move |_| {
            let _ = host.remove_attribute(PRINTING);
            if let Some(copy) = copy {
                copy.remove();
            }
        })
        .forget();
    }
    let _ = window.print();
}
