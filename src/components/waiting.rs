//! Under the form: the requests made from this device to this form's endpoint that
//! still wait in the outbox and that no form on this page shows (made in a tab since
//! closed, or in another tab), so that a visitor who comes back sees that their request
//! is saved and will be sent instead of filling the form again. Each says what kind of
//! request it is, since when it waits, the day and time of a callback, the consents
//! given and why it is not sent yet — nothing typed. "Send now" tries them at once; one
//! that leaves the outbox says, in a polite live region, that it was sent or why it was
//! refused.

use yew::prelude::*;

use crate::fields::FormKind;
use crate::messages::{Key, Texts};
use crate::outbox::Entry;

/// The list (`sending`: "send now" was just pressed), and what became of those that
/// left it (`news`); nothing when both are empty. `onsend`: "send now".
pub fn waiting_view(
    waiting: &[Entry],
    sending: bool,
    news: &str,
    texts: &Texts,
    onsend: Callback<()>,
) -> Html {
    if waiting.is_empty() && news.is_empty() {
        return Html::default();
    }
    let items = waiting.iter().map(|entry| {
        let r = &entry.receipt;
        let kind = texts.get(match r.form {
            FormKind::Contact => Key::TitleContact,
            FormKind::Callback => Key::TitleCallback,
        });
        let since = texts.fill(
            Key::WaitingSince,
            &[("time", &crate::wording::receipt_time(r, texts))],
        );
        // Where it stands: tried at the visitor's press, or why the last try failed.
        let state = match (&entry.last_problem, sending) {
            (_, true) => texts.get(Key::Sending).to_owned(),
            (Some(problem), _) => texts.fill(
                Key::WaitingReason,
                &[("reason", &crate::submit::visitor_reason(problem, texts))],
            ),
            _ => String::new(),
        };
        let granted = r.lines.iter().filter(|l| l.granted);
        // A callback's day and time, as the form's selects showed them.
        let callback = r.callback().map(|(day, window)| {
            let day = crate::wording::day(day, texts);
            [
                ". ",
                texts.get(Key::LabelCallbackDate),
                ": ",
                &day,
                ", ",
                &window.label(),
            ]
            .concat()
        });
        html! {
            <li data-waiting={r.id.clone()}>
                <strong>{ kind }</strong>{ " — " }{ since }{ callback }
                <ul>{ for granted.map(|l| html! { <li>{ l.sentence.clone() }</li> }) }</ul>
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
                { news.to_owned() }
            </div>
        </div>
    }
}
