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
    let (class, text) = match &props.phase {
        Phase::Editing => ("", String::new()),
        Phase::Sending => ("", texts.get(Key::Sending).to_owned()),
        Phase::Queued {
            reason,
            this_page_only,
        } => (
            "cf-queued",
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
            "cf-failed",
            texts.fill(
                Key::StatusFailed,
                &[("reason", reason), ("controller", &props.controller)],
            ),
        ),
        Phase::Done(_) => ("cf-sent", texts.get(Key::StatusSent).to_owned()),
    };
    html! {
        <div class={classes!("cf-status", class)} part="status" role="status" aria-live="polite">{ text }</div>
    }
}
