//! Where the browser keeps the [`History`]: one `localStorage` key, shared by the
//! site's pages and tabs, read afresh before each change.

use super::History;
use crate::json::ToJson;

/// The `localStorage` key.
pub const KEY: &str = "consent-form:history:v1";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Whether this browser lets the page keep the history: not where `localStorage` is
/// refused (a sandboxed frame without `allow-same-origin`, storage blocked).
pub fn kept() -> bool {
    storage().is_some()
}

/// The history as stored now; empty where the browser keeps none.
pub fn load() -> History {
    storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .map(|text| History::parse(&text))
        .unwrap_or_default()
}

/// Reads the history, applies `change` and writes it back if `change` says it changed.
/// A browser that will not store it (disabled or full storage) is told on the console:
/// the list is a convenience, and the submission or withdrawal itself is delivered.
pub fn update(change: impl FnOnce(&mut History) -> bool) {
    let mut history = load();
    if change(&mut history) {
        save(&history);
    }
}

/// Writes `history` (one function whatever the change: `update` is small per caller).
fn save(history: &History) {
    let stored = storage().is_some_and(|s| {
        if history.given.is_empty() {
            s.remove_item(KEY).is_ok()
        } else {
            s.set_item(KEY, &history.to_json()).is_ok()
        }
    });
    if !stored {
        web_sys::console::warn_1(
            &"consent-form: this browser did not keep the list of consents given on this device"
                .into(),
        );
    }
}
