//! The draft in the browser: where it is kept (by the form's [`origin`]), read back
//! after a reload and saved on every change. Its text is read by the pure part in
//! `draft.rs`.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::{fit, parse};
use crate::config::Config;
use crate::fields::{FieldValues, FormKind};
use crate::json::ToJson;
use crate::state::{Action, FormState, Phase};

thread_local! {
    /// The forms on this page whose host has no id: host, kind and number (see [`origin`]).
    static UNNAMED: RefCell<Vec<(web_sys::HtmlElement, FormKind, usize)>> =
        const { RefCell::new(Vec::new()) };
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// Which form on which page this is: page path, host element id and form kind, and for
/// a host without an id its number among the page's forms of its kind without one
/// (numbers go in the order the forms are mounted, each the lowest one free; number 0
/// adds nothing, so a single form keeps the origin it has always had). The draft's key
/// and the outbox's reports (`submit::origin`) go by it: two such forms neither share
/// a draft nor hear of each other's submissions.
pub fn origin(config: &Config, host: Option<&web_sys::HtmlElement>) -> String {
    let path = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default();
    let id = host.map(|h| h.id()).unwrap_or_default();
    let mut origin = format!("{path}#{id}:{}", config.kind.as_str());
    let unnamed = host.filter(|h| h.id().is_empty());
    let n = unnamed.map_or(0, |host| number(host, config.kind));
    if n > 0 {
        origin.push('#');
        origin.push_str(&n.to_string());
    }
    origin
}

/// Where the draft of this form is kept in `sessionStorage`: by its [`origin`].
pub fn key(config: &Config, host: Option<&web_sys::HtmlElement>) -> String {
    format!("consent-form:draft:{}", origin(config, host))
}

/// The number of `host`, which has no id, among the forms of `kind` without an id.
fn number(host: &web_sys::HtmlElement, kind: FormKind) -> usize {
    UNNAMED.with(|forms| {
        let mut forms = forms.borrow_mut();
        // Forms gone from the page or destroyed (an empty shadow root) free their number;
        // so does this host if its kind has changed.
        forms.retain(|(h, k, _)| {
            (h != host || *k == kind)
                && h.is_connected()
                && h.shadow_root().is_some_and(|s| s.first_child().is_some())
        });
        if let Some((.., n)) = forms.iter().find(|(h, ..)| h == host) {
            return *n;
        }
        let taken = |n: &usize| forms.iter().any(|(_, k, m)| *k == kind && m == n);
        let n = (0..).find(|n| !taken(n)).unwrap_or(0);
        forms.push((host.clone(), kind, n));
        n
    })
}

fn load(key: &str) -> Option<FieldValues> {
    let text = storage()?.get_item(key).ok()??;
    parse(&text)
}

fn save(key: &str, values: &FieldValues) {
    let Some(storage) = storage() else { return };
    if values.values().all(|v| v.is_empty()) {
        let _ = storage.remove_item(key);
        return;
    }
    // A full or disabled storage only means the draft is not kept.
    let _ = storage.set_item(key, &values.to_json());
}

/// The form's state, with the saved draft put back and saved on every change.
///
/// The draft is read in a task after the first render, not before it: the first use of
/// `sessionStorage` in a page takes milliseconds (the browser opens it), and the form can
/// be shown and typed in meanwhile. Nothing is saved before the draft has been read, so
/// the first render cannot wipe it; a field the visitor filled in meanwhile keeps what
/// was typed.
///
/// `key` is [`key`] of the form (computed once with the form's other memos). A chosen
/// industry comes back as [`fit`] has it.
#[hook]
pub fn use_draft(key: &Rc<String>, config: &Rc<Config>) -> UseReducerHandle<FormState> {
    let key = key.clone();
    let config = config.clone();
    let state = use_reducer(FormState::default);
    // The key whose draft has been read: saving waits for it.
    let read: Rc<RefCell<Option<Rc<String>>>> = use_mut_ref(|| None);
    {
        let (state, read) = (state.clone(), read.clone());
        use_effect_with(key.clone(), move |key| {
            let key = key.clone();
            let later = gloo::timers::callback::Timeout::new(0, move || {
                *read.borrow_mut() = Some(key.clone());
                if let Some(values) = load(&key).filter(|v| v.values().any(|v| !v.is_empty())) {
                    state.dispatch(Action::Restore(fit(&config, values)))
                }
            });
            move || drop(later)
        });
    }
    let done = matches!(state.phase, Phase::Done(_));
    use_effect_with(
        (state.values.clone(), done, key),
        move |(values, done, key)| {
            if read.borrow().as_ref() != Some(key) {
                return;
            }
            if *done {
                save(key, &FieldValues::new());
            } else {
                save(key, values);
            }
        },
    );
    state
}
