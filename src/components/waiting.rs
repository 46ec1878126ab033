//! Under the form: the requests made from this device to this form's endpoint that no
//! form on this page shows (made in a tab since closed, or in another tab), so that a
//! visitor who comes back sees what became of them instead of filling the form again.
//!
//! Those still waiting in the outbox: what kind of request each is, since when it
//! waits, the day and time of a callback (and whether that time has passed), the
//! consents given and why it is not sent yet — nothing typed. "Send now" tries them at
//! once; one whose callback time has passed can be put back into the form to choose
//! another. Those not sent (refused for good, or put back into a form since closed):
//! why, with "put back into the form" and "delete" — or, for a request of the other
//! kind, which form it goes back into (and a button there, when it is on this page). When the form holds something else the visitor
//! typed, "put back" first asks whether to replace it. A polite live region says what
//! became of them since the visitor's last press here, item by item: those that left
//! the list, and why they still wait in answer to "send now". What the outbox reports
//! of them reaches every form of the page that lists them; one says it
//! (`submit::speaks`).

use yew::prelude::*;

use crate::fields::FormKind;
use crate::messages::{Key, Texts};
use crate::outbox::Entry;

/// What a button on a listed request does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unlist {
    /// "Put back into the form" (or "choose another time").
    PutBack,
    /// "Replace what I typed": put back, as asked.
    Replace,
    /// "Keep what I typed": not put back.
    Keep,
    /// "Delete".
    Delete,
    /// "Go to the … form": one of the other kind, to the form on this page that takes it.
    GoTo,
}

impl Unlist {
    /// Its `data-act`, and its button's id with the request's.
    fn name(self) -> &'static str {
        match self {
            Unlist::PutBack => "put-back",
            Unlist::Replace => "replace",
            Unlist::Keep => "keep",
            Unlist::Delete => "delete",
            Unlist::GoTo => "go-to",
        }
    }
}

/// The id of the button `act` on request `id`.
pub fn button_id(act: Unlist, id: &str) -> String {
    ["cf-", act.name(), "-", id].concat()
}

/// What [`waiting_view`] shows, and what its buttons do.
pub struct WaitingProps<'a> {
    /// The requests listed, oldest first: waiting, and held (not sent).
    pub entries: &'a [Entry],
    /// "Send now" was just pressed.
    pub sending: bool,
    /// What became of the listed requests since the visitor last pressed a button here.
    pub news: &'a str,
    /// The form's texts.
    pub texts: &'a Texts,
    /// The kind of request that can be put back into this form.
    pub kind: FormKind,
    /// Nothing can be put back while the form is locked (a submission on its way or
    /// saved to be sent).
    pub locked: bool,
    /// A form of the other kind for the same endpoint is on this page.
    pub other_form: bool,
    /// The request whose "put back" asks whether to replace what the form holds.
    pub asking: &'a str,
    /// Now (Unix ms): a callback's time may have passed.
    pub now: i64,
    /// "Send now".
    pub onsend: Callback<()>,
    /// A button pressed on a request.
    pub onunlist: Callback<(Entry, Unlist)>,
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
        // A request of the other kind goes back into a form of its kind: which one, and
        // a way there when that form is on this page.
        let other = held && r.form != p.kind;
        let title = texts.get(match r.form {
            FormKind::Contact => Key::TitleContact,
            FormKind::Callback => Key::TitleCallback,
        });
        if other {
            state.push(' ');
            state.push_str(&texts.fill(Key::UnsentOtherForm, &[("form", title)]));
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
        let button = |act: Unlist, text: Key| {
            let pressed = (entry.clone(), act);
            let label = match act {
                Unlist::GoTo => texts.fill(text, &[("form", title)]),
                _ => texts.get(text).to_owned(),
            };
            html! {
                <button type="button" class="cf-button cf-secondary" part="button"
                    id={button_id(act, &r.id)} data-act={act.name()}
                    aria-describedby={named.clone()} onclick={p.onunlist.reform(move |_| pressed.clone())}>
                    { label }
                </button>
            }
        };
        // Put back, it would replace what the visitor typed in the form: the line asks
        // first, its two answers a group named by the question (one at a time).
        let asking = p.asking == r.id;
        let (first, second) = match asking {
            true => (
                Some(button(Unlist::Replace, Key::UnsentReplace)),
                Some(button(Unlist::Keep, Key::UnsentKeep)),
            ),
            false if other => (
                p.other_form.then(|| button(Unlist::GoTo, Key::UnsentGoTo)),
                Some(button(Unlist::Delete, Key::UnsentDelete)),
            ),
            false => (
                (!p.locked && p.kind == r.form && (held || passed)).then(|| {
                    let text = match held {
                        true => Key::UnsentPutBack,
                        false => Key::WaitingNewTime,
                    };
                    button(Unlist::PutBack, text)
                }),
                held.then(|| button(Unlist::Delete, Key::UnsentDelete)),
            ),
        };
        html! {
            <li data-waiting={(!held).then(|| r.id.clone())} data-unsent={held.then(|| r.id.clone())}>
                <span id={named.clone()}><strong>{ kind }</strong>{ " — " }{ since }</span>{ callback }
                <ul>{ for granted.map(|l| html! { <li>{ l.sentence.clone() }</li> }) }</ul>
                // Not a live region: every line would speak at once, in every form of
                // the page that lists it. What a press comes to is said below.
                <p class="cf-waiting-state">{ state }</p>
                if asking {
                    <p id="cf-ask">{ texts.get(Key::UnsentReplaceAsk) }</p>
                }
                if first.is_some() || second.is_some() {
                    <div class="cf-actions" role={asking.then_some("group")} aria-labelledby={asking.then_some("cf-ask")}>
                        { first }{ second }
                    </div>
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
            // Item by item (not atomic): a new one is said alone, not those before it again.
            <div id="cf-waiting-news" tabindex="-1" role="status" aria-atomic="false" data-waiting-news="">
                { for p.news.split('\n').filter(|said| !said.is_empty()).map(|said| html! { <p>{ said }</p> }) }
            </div>
        </div>
    }
}
