//! The polite live region that says where the submission stands.

use std::rc::Rc;

use yew::prelude::*;

use crate::messages::{Key, Texts};
use crate::state::Phase;

/// Properties of [`StatusLine`].
#[derive(Clone, PartialEq, Properties)]
pub struct StatusLineProps {
    /// Where the form stands.
    pub phase: Phase,
    /// The form's texts.
    pub texts: Rc<Texts>,
    /// The organisation to contact if all else fails.
    pub controller: AttrValue,
}

/// Sent, saved and will be sent, or failed with what to do — always in words.
#[function_component]
pub fn StatusLine(props: &StatusLineProps) -> Html {
    let texts = &props.texts;
    // The phase is a data attribute, not a class: a computed class would bring Yew's
    // class set (a hash set) into the wasm for this one element.
    let (state, text) = match &props.phase {
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
                &[("reason", reason), ("controller", &props.controller)],
            ),
        ),
        Phase::Done(_) => ("sent", texts.get(Key::StatusSent).to_owned()),
    };
    html! {
        <div class="cf-status" data-state={state} part="status" role="status" aria-live="polite">{ text }</div>
    }
}
