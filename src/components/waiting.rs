//! Under the form: the requests made from this device to this form's endpoint that
//! still wait in the outbox and that no form on this page shows (made in a tab since
//! closed, or in another tab), so that a visitor who comes back sees that their request
//! is saved and will be sent instead of filling the form again. Each says what kind of
//! request it is, since when it waits, the day and time of a callback, the consents
//! given and why it is not sent yet — nothing typed. "Send now" tries them at once; one
//! that leaves the outbox says, in a polite live region, that it was sent or why it was
//! refused.

use std::rc::Rc;

use yew::prelude::*;

use crate::fields::FormKind;
use crate::messages::{Key, Texts};
use crate::outbox::Entry;

/// The list (each with whether "send now" was just pressed), and what became of those
/// that left it (`news`); nothing when both are empty. `onsend`: "send now".
pub fn waiting_view(
    waiting: &[(Rc<Entry>, bool)],
    news: &[String],
    texts: &Texts,
    onsend: Callback<()>,
) -> Html {
    if waiting.is_empty() && news.is_empty() {
        return Html::default();
    }
    let items = waiting.iter().map(|(entry, pressed)| {
        let r = &entry.receipt;
        let kind = texts.get(match r.form {
            FormKind::Contact => Key::TitleContact,
            FormKind::Callback => Key::TitleCallback,
        });
        let since = texts.fill(
            Key::WaitingSince,
            &[("time", &crate::wording::receipt_time(r, texts))],
        );
        // Where it stands: being tried at the visitor's press, or why the last try failed.
        let state = match (&entry.last_problem, pressed) {
            (_, true) => texts.get(Key::Sending).to_owned(),
            (Some(problem), _) => texts.fill(
                Key::WaitingReason,
                &[("reason", &crate::submit::visitor_reason(problem, texts))],
            ),
            _ => String::new(),
        };
        let granted = r.lines.iter().filter(|l| l.granted);
        html! {
            <li data-waiting={r.id.clone()}>
                <p><strong>{ kind }</strong>{ " — " }{ since }</p>
                if let Some((day, window)) = r.callback() {
                    <p>{ texts.get(Key::LabelCallbackDate) }{ ": " }{ crate::wording::day(day, texts) }{ ", " }{ window.label() }</p>
                }
                <ul>{ for granted.map(|l| html! { <li>{ l.sentence.clone() }</li> }) }</ul>
                <p class="cf-hint">{ texts.get(Key::ReceiptId) }{ ": " }<span class="cf-mono">{ r.id.clone() }</span></p>
                <p role="status">{ state }</p>
            </li>
        }
    });
    html! {
        <div class="cf-history" part="waiting">
            if !waiting.is_empty() {
                <h3 id="cf-waiting-title">{ texts.get(Key::WaitingTitle) }</h3>
                <p class="cf-hint">{ texts.get(Key::WaitingIntro) }</p>
                <ul aria-labelledby="cf-waiting-title">{ for items }</ul>
                <div class="cf-actions">
                    <button type="button" class="cf-button cf-secondary" part="button" id="cf-waiting-send"
                        onclick={onsend.reform(|_| ())}>{ texts.get(Key::WaitingSend) }</button>
                </div>
            }
            <div id="cf-waiting-news" tabindex="-1" role="status" data-waiting-news="">
                { for news.iter().map(|said| html! { <p>{ said.clone() }</p> }) }
            </div>
        </div>
    }
}
