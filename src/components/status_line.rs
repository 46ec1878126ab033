//! The polite live region that says where the submission stands.

use yew::prelude::*;

use crate::messages::{Key, Texts};
use crate::state::Phase;

/// Sent, saved and will be sent, or failed with what to do — always in words.
///
/// A plain function, not a component: it keeps no state, and each component costs
/// its own copy of Yew's component machinery in the wasm. Yew still only touches the
/// DOM when the text or the state changes.
pub fn status_line(phase: &Phase, texts: &Texts, controller: &str) -> Html {
    // The phase is a data attribute, not a class: a computed class would bring Yew's
    // class set (a hash set) into the wasm for this one element.
    let (state, text) = match phase {
        Phase::Editing => ("editing", String::new()),
        Phase::Sending => ("sending", texts.get(Key::Sending).to_owned()),
        Phase::Queued {
            reason,
            this_page_only,
        } => (
            "queued",
            texts.fill(
                if *this_page_only {
                    Key::StatusQueuedPage
                } else {
                    Key::StatusQueued
                },
                &[("reason", reason)],
            ),
        ),
        Phase::Failed { reason } => (
            "failed",
            texts.fill(
                Key::StatusFailed,
                &[("reason", reason), ("controller", controller)],
            ),
        ),
        Phase::Done(_) => ("sent", texts.get(Key::StatusSent).to_owned()),
    };
    html! {
        <div class="cf-status" data-state={state} part="status" role="status" aria-live="polite">{ text }</div>
    }
}
