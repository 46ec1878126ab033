//! Under the form: the requests made from this device to this form's endpoint that no
//! form on this page shows (made in a tab since closed, or in another tab), so that a
//! visitor who comes back sees what became of them instead of filling the form again.
//!
//! Those still waiting in the outbox: what kind of request each is, since when it
//! waits, the day and time of a callback (and whether that time has passed), the
//! consents given and why it is not sent yet — nothing typed. "Send now" tries them at
//! once; one whose callback time has passed can be put back into the form to choose
//! another. Those not sent (refused for good, or put back into a form since closed):
//! why, with "put back into the form" and "delete". A polite live region says what
//! became of those that left the list.

use yew::prelude::*;

use crate::fields::FormKind;
use crate::messages::{Key, Texts};
use crate::outbox::Entry;

/// What [`waiting_view`] shows, and what its buttons do.
pub struct WaitingProps<'a> {
    /// The requests listed, oldest first: waiting, and held (not sent).
    pub entries: &'a [Entry],
    /// "Send now" was just pressed.
    pub sending: bool,
    /// What became of those that left the list.
    pub news: &'a str,
    /// The form's texts.
    pub texts: &'a Texts,
    /// The kind of request that can be put back into this form; `None` while it is
    /// locked (a submission on its way or saved to be sent).
    pub kind: Option<FormKind>,
    /// Now (Unix ms): a callback's time may have passed.
    pub now: i64,
    /// "Send now".
    pub onsend: Callback<()>,
    /// "Put back into the form" (true) or "delete" (false) on a request.
    pub onunlist: Callback<(Entry, bool)>,
}

/// The lists, and what became of those that left them; nothing when all are empty.
pub fn waiting_view(p: WaitingProps<'_>) -> Html {
    let (held, waiting): (Vec<&Entry>, Vec<&Entry>) =
        p.entries.iter().partition(|e| e.held_ms != 0.0);
    if p.entries.is_empty() && p.news.is_empty() {
        return Html::default();
    }
    let texts = p.texts;
    let item = |entry: &Entry| {
        let r = &entry.receipt;
        let held = entry.held_ms != 0.0;
        let kind = texts.get(match r.form {
            FormKind::Contact => Key::KindContact,
            FormKind::Callback => Key::KindCallback,
        });
        let since = texts.fill(
            if held {
                Key::UnsentSince
            } else {
                Key::WaitingSince
            },
            &[("time", &crate::wording::receipt_time(r, texts))],
        );
        // Where it stands: tried at the visitor's press, or why the last try failed.
        let mut state = match (&entry.last_problem, held, p.sending) {
            (_, false, true) => texts.get(Key::Sending).to_owned(),
            (Some(problem), true, _) => texts.fill(
                Key::UnsentReason,
                &[("reason", &crate::submit::refusal(problem, texts))],
            ),
            (Some(problem), false, _) => texts.fill(
                Key::WaitingReason,
                &[("reason", &crate::submit::visitor_reason(problem, texts))],
            ),
            _ => String::new(),
        };
        // A callback's day and time, as the form's selects showed them.
        let slot = r.callback();
        let passed = slot.is_some_and(|(day, window)| window.over(day, p.now));
        if passed {
            state.push(' ');
            state.push_str(texts.get(Key::WaitingPassed));
        }
        let callback = slot.map(|(day, window)| {
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
        let granted = r.lines.iter().filter(|l| l.granted);
        // Each button is described by the line that names its request.
        let named = format!("cf-w-{}", r.id);
        let button = |put_back: bool, text: Key| {
            let pressed = (entry.clone(), put_back);
            html! {
                <button type="button" class="cf-button cf-secondary" part="button"
                    data-act={if put_back { "put-back" } else { "delete" }}
                    aria-describedby={named.clone()} onclick={p.onunlist.reform(move |_| pressed.clone())}>
                    { texts.get(text) }
                </button>
            }
        };
        let put_back = (p.kind == Some(r.form) && (held || passed)).then(|| {
            let text = match held {
                true => Key::UnsentPutBack,
                false => Key::WaitingNewTime,
            };
            button(true, text)
        });
        let delete = held.then(|| button(false, Key::UnsentDelete));
        html! {
            <li data-waiting={(!held).then(|| r.id.clone())} data-unsent={held.then(|| r.id.clone())}>
                <span id={named.clone()}><strong>{ kind }</strong>{ " — " }{ since }</span>{ callback }
                <ul>{ for granted.map(|l| html! { <li>{ l.sentence.clone() }</li> }) }</ul>
                <p role="status">{ state }</p>
                if put_back.is_some() || delete.is_some() {
                    <div class="cf-actions">{ put_back }{ delete }</div>
                }
            </li>
        }
    };
    html! {
        <div class="cf-history" part="waiting">
            if !waiting.is_empty() {
                <h3 id="cf-waiting-title">{ texts.get(Key::WaitingTitle) }</h3>
                <p class="cf-hint">{ texts.get(Key::WaitingIntro) }</p>
                <ul aria-labelledby="cf-waiting-title">{ for waiting.into_iter().map(item) }</ul>
                <div class="cf-actions">
                    <button type="button" class="cf-button cf-secondary" part="button" id="cf-waiting-send"
                        onclick={p.onsend.reform(|_| ())}>{ texts.get(Key::WaitingSend) }</button>
                </div>
            }
            if !held.is_empty() {
                <h3 id="cf-unsent-title">{ texts.get(Key::UnsentTitle) }</h3>
                <p class="cf-hint">{ texts.get(Key::UnsentIntro) }</p>
                <ul aria-labelledby="cf-unsent-title">{ for held.into_iter().map(item) }</ul>
            }
            <div id="cf-waiting-news" tabindex="-1" role="status" data-waiting-news="">
                { p.news.to_owned() }
            </div>
        </div>
    }
}
