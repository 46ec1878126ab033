//! Warming up: a moment after the page's first form is mounted, what a visitor's
//! first keystrokes run is run once — the checks of a name, a phone number and an
//! e-mail address part-typed and typed, the draft's JSON, and a keystroke's way
//! through the form (an input event, the state, a render) — so that the browser
//! compiles that code then, not while the visitor waits for the first letter to show.
//! Chromium compiles each wasm function on its first call, which made the page's first
//! keystroke take three to five times as long as the next ones
//! (`scripts/bench-typing.mjs`). Nothing it does is shown, kept or sent.

use std::cell::{Cell, RefCell};
use std::hint::black_box;
use std::rc::Rc;

use crate::config::Config;
use crate::json::ToJson;
use crate::messages::Texts;

thread_local! {
    /// Whether a form on this page has been warmed up (or is to be).
    static DONE: Cell<bool> = const { Cell::new(false) };
    /// The form to warm up, until it is.
    static FORM: RefCell<Option<(web_sys::Element, Rc<Config>)>> = const { RefCell::new(None) };
}

/// What is typed, as a visitor types it: part-way, then in full (the checks take other
/// ways for each), as the draft keeps it.
const TYPED: [&str; 2] = [
    r#"{"name":"Nguyễn","phone":"0912 34","email":"minh@gmial"}"#,
    r#"{"name":"Nguyễn Văn Minh","phone":"0912 345 678","email":"minh@gmial.com"}"#,
];

/// Warms up the form of `config` rendered into `root` in a moment, once it is shown
/// (unless a form on this page was warmed up before).
pub fn soon(root: web_sys::Element, config: Rc<Config>) {
    if !DONE.replace(true) {
        FORM.set(Some((root, config)));
        gloo::timers::callback::Timeout::new(WAIT_MS, run as fn()).forget();
    }
}

/// How long after the form is mounted: it has been shown, and a visitor has not begun
/// to type yet.
const WAIT_MS: u32 = 300;

fn run() {
    let Some((root, config)) = FORM.take() else {
        return;
    };
    let config = &*config;
    let texts = Texts::new(config.locale, config.texts.clone());
    for draft in TYPED {
        let values = crate::draft::parse(draft).unwrap_or_default();
        black_box(crate::validation::check_all(
            config,
            &texts,
            &values,
            false,
            crate::dom::now_ms(),
        ));
        black_box(values.to_json());
    }
    // The hidden anti-spam field (which no visitor sees or fills in) hears an input
    // event; its handler keeps the field's value as it is, and the form renders again.
    if let Ok(Some(field)) = root.query_selector("#cf-hp") {
        crate::dom::input_event(&field);
    }
}
