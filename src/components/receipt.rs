//! The receipt shown after a successful submission: printable and downloadable.

use std::rc::Rc;

use yew::prelude::*;

use crate::config::ByName;
use crate::locale::Locale;
use crate::messages::{Key, Texts};
use crate::receipt::{Receipt, ReceiptLine};
use crate::state::Withdraw;
use crate::withdrawal;

/// What the visitor pressed on a line of the receipt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Press {
    /// "Withdraw consent": the question shows.
    Withdraw,
    /// Confirmed: the withdrawal is sent.
    Confirm,
    /// Cancelled: back to the button.
    Cancel,
}

/// A press on a consent's withdrawal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pressed {
    /// The submission's id.
    pub submission: String,
    /// The purpose id.
    pub purpose: String,
    /// What was pressed.
    pub press: Press,
    /// What ends the ids of the line's buttons and state (`cf-wd-…`), for focus.
    pub ids: String,
}

/// What the receipt, or the list of consents given on this device, needs to offer
/// withdrawals (the host set `withdraw-endpoint`).
pub struct Withdrawals<'a> {
    /// Where each withdrawal stands, by [`withdrawal::key`].
    pub states: &'a ByName<Withdraw>,
    /// The key of the withdrawal that changed last: the live region speaks of it.
    pub last: &'a str,
    /// The controller, named in the question and the failures.
    pub controller: &'a str,
    /// Called with each press.
    pub onpress: Callback<Pressed>,
}

impl Withdrawals<'_> {
    /// What the live region says: where the withdrawal the visitor pressed last stands,
    /// if it is one of `submissions` — what came of it, not that it is on its way: focus
    /// is then on its line, which says so.
    pub fn news(&self, submissions: &[&str], texts: &Texts) -> String {
        let ours = submissions
            .iter()
            .any(|id| withdrawal::is_of(self.last, id));
        match self.states.get(self.last) {
            Some(Withdraw::Sending) => String::new(),
            Some(state) if ours => withdraw_words(state, texts, self.controller),
            _ => String::new(),
        }
    }
}

/// The question the visitor confirms to withdraw `line`: shown, and sent as the
/// withdrawal's `text`.
pub fn withdraw_question(texts: &Texts, controller: &str, line: &ReceiptLine) -> String {
    texts.fill(
        Key::WithdrawConfirm,
        &[("purpose", &line.sentence), ("controller", controller)],
    )
}

/// What a withdrawal's line says once confirmed, for the line and the live region.
pub fn withdraw_words(state: &Withdraw, texts: &Texts, controller: &str) -> String {
    match state {
        Withdraw::Confirming => String::new(),
        Withdraw::Sending => texts.get(Key::WithdrawSending).to_owned(),
        Withdraw::Queued(reason) => texts.fill(Key::WithdrawQueued, &[("reason", reason)]),
        Withdraw::Failed(reason) => texts.fill(
            Key::WithdrawFailed,
            &[("reason", reason), ("controller", controller)],
        ),
        // HH:MM of the visitor's clock, from `YYYY-MM-DDTHH:MM…`.
        Withdraw::Done { at, .. } => {
            texts.fill(Key::WithdrawDone, &[("time", at.get(11..16).unwrap_or(at))])
        }
    }
}

/// What the visitor agreed to and refused, when, under which id (and, for a callback,
/// the day and time booked), with a withdraw button on each consent given when
/// `withdrawals` is given. `region` is the receipt's region: the form focuses it
/// when the receipt shows, and printing prints it.
///
/// The region is named with its heading's words, and it takes focus itself, not the
/// heading: a screen reader announces a focused region by its name and role, so the
/// title is said once ("Consent receipt, region"). Focus on the heading inside it said
/// the title twice: the region's name on the way in, then the focused heading. Named
/// by `aria-label`, not by `aria-labelledby` pointing at that heading: Orca (43) with
/// Chromium then said "region" and nothing else (`tests/e2e/screen-reader.test.mjs`). The region stays a landmark (in the place of
/// the form's, where its landmark list leads), and the heading a heading. It takes focus
/// only when the form puts it there (`dom::focus`: `tabindex="-1"` until focus leaves).
///
/// A plain function, not a component: each component costs its own copy of Yew's
/// component machinery in the wasm.
pub fn receipt_view(
    receipt: &Rc<Receipt>,
    texts: &Texts,
    onanother: Callback<()>,
    region: NodeRef,
    withdrawals: Option<Withdrawals<'_>>,
) -> Html {
    let onprint = {
        let region = region.clone();
        Callback::from(move |_| {
            if let Some(region) = region.get() {
                crate::dom::print_only(&region);
            }
        })
    };
    // The copy to keep: the body sent, and with it each withdrawal sent since.
    let sent: Vec<&str> = withdrawals
        .iter()
        .flat_map(|w| w.states.iter())
        .filter_map(|(key, state)| match state {
            Withdraw::Done { body, .. } if withdrawal::is_of(key, &receipt.id) => {
                Some(body.as_str())
            }
            _ => None,
        })
        .collect();
    let copy = if sent.is_empty() {
        receipt.body.clone()
    } else {
        format!(
            "{{\"submission\":{},\"withdrawals\":[{}]}}",
            receipt.body,
            sent.join(",")
        )
    };
    let ondownload = {
        let name = receipt.file_name();
        Callback::from(move |_| crate::dom::download_json(&name, &copy))
    };
    let news = withdrawals
        .as_ref()
        .map(|w| w.news(&[&receipt.id], texts))
        .unwrap_or_default();
    let onanother = onanother.reform(|_| ());
    // Its sentences, notices and guardian's text are in the language they were given
    // in; marked so where the form now speaks the other.
    let lang = other_lang(receipt.locale(), texts);
    // A consent withdrawn since: its "agreed" is struck through (the line says when).
    let withdrawn = |line: &ReceiptLine| {
        withdrawals.as_ref().is_some_and(|w| {
            matches!(
                w.states.get(&withdrawal::key(&receipt.id, &line.purpose)),
                Some(Withdraw::Done { .. })
            )
        })
    };
    html! {
        <section class="cf-receipt" part="receipt" aria-label={texts.get(Key::ReceiptTitle).to_owned()} ref={region}>
            <h2>{ texts.get(Key::ReceiptTitle) }</h2>
            // Said by the form's status line (a live region from the start), which stays
            // readable; shown here to the eye only: read right under the heading that
            // takes focus, it was heard a second time.
            <p aria-hidden="true">{ texts.get(Key::StatusSent) }</p>
            if withdrawals.is_some() {
                <p class="cf-sr" role="status" aria-live="polite" data-withdraw-news="">{ news }</p>
            }
            // Where the consents given cannot be kept on this device (no `localStorage`:
            // a sandboxed frame), they will not be listed on the next visit: said here,
            // by the two ways to keep them.
            <p>{ texts.get(match withdrawals.is_some() && !crate::history::storage::kept() {
                true => Key::ReceiptIntroUnkept,
                false => Key::ReceiptIntro,
            }) }</p>
            <table>
                <tbody>
                    <tr><th scope="row">{ texts.get(Key::ReceiptId) }</th><td class="cf-mono">{ receipt.id.clone() }</td></tr>
                    <tr><th scope="row">{ texts.get(Key::ReceiptTime) }</th><td><time datetime={receipt.submitted_at.clone()}>{ crate::wording::receipt_time(receipt, texts) }</time></td></tr>
                    // The callback booked, worded as the form's selects showed it.
                    if let Some((day, window)) = receipt.callback() {
                        <tr data-field="callback_date">
                            <th scope="row">{ texts.get(Key::LabelCallbackDate) }</th>
                            <td><time datetime={day.to_string()}>{ crate::wording::day(day, texts) }</time></td>
                        </tr>
                        <tr data-field="callback_window">
                            <th scope="row">{ texts.get(Key::LabelCallbackWindow) }</th>
                            <td>{ window.label() }</td>
                        </tr>
                    }
                    <tr><th scope="row">{ texts.get(Key::ReceiptController) }</th><td>{ receipt.controller.clone() }</td></tr>
                    <tr>
                        <th scope="row">{ texts.get(Key::ReceiptPolicy) }</th>
                        <td>
                            // Read back from storage, the URL is checked again: one the
                            // configuration would refuse (`javascript:`) is shown, no link.
                            <a class="cf-receipt-policy" href={crate::config::usable_url(&receipt.policy_url).then(|| receipt.policy_url.clone())} target="_blank" rel="noopener">
                                { receipt.policy_url.clone() }
                                <span class="cf-sr">{ texts.get(Key::NewTab) }</span>
                            </a>
                            if let Some(v) = &receipt.policy_version { { format!(" ({v})") } }
                        </td>
                    </tr>
                </tbody>
            </table>
            // Each consent and the visitor's choice: the columns headed, so that a screen
            // reader moving through the cells says which column each is in.
            <table>
                <thead>
                    <tr>
                        <th scope="col">{ texts.get(Key::ReceiptConsent) }</th>
                        <th scope="col">{ texts.get(Key::ReceiptChoice) }</th>
                    </tr>
                </thead>
                <tbody>
                    { for receipt.lines.iter().zip(receipt.notice_rows()).map(|(line, rows)| html! {
                        <tr data-purpose={line.purpose.clone()}>
                            <td>
                                <span id={["cf-wd-text-", &line.purpose].concat()} {lang}>{ line.sentence.clone() }</span>
                                // The notice it was agreed under, one click away on the
                                // screen and always on paper.
                                { notice(rows, &line.sentence, texts, lang) }
                            </td>
                            <td class="cf-answer" data-granted={if line.granted { "true" } else { "false" }}
                                data-withdrawn={withdrawn(line).then_some("true")}>
                                <span>{ texts.get(if line.granted { Key::Agreed } else { Key::Refused }) }</span>
                                if line.granted {
                                    if let Some(w) = &withdrawals {
                                        { withdraw_view(&receipt.id, line, &line.purpose, None, w, texts, lang) }
                                    }
                                }
                            </td>
                        </tr>
                    }) }
                    // A visitor under 16: their parent's or guardian's own agreement.
                    if let Some((name, text)) = receipt.guardian() {
                        <tr data-guardian="">
                            <td>
                                <span {lang}>{ text }</span>
                                <p class="cf-hint">{ texts.get(Key::GuardianHeading) }{ ": " }{ name }</p>
                            </td>
                            <td class="cf-answer" data-granted="true"><span>{ texts.get(Key::Agreed) }</span></td>
                        </tr>
                    }
                </tbody>
            </table>
            <div class="cf-actions">
                <button type="button" class="cf-button" part="button" onclick={onprint}>{ texts.get(Key::Print) }</button>
                <button type="button" class="cf-button cf-secondary" part="button" onclick={ondownload}>{ texts.get(Key::Download) }</button>
                <button type="button" class="cf-button cf-secondary" part="button" onclick={onanother}>{ texts.get(Key::Another) }</button>
            </div>
        </section>
    }
}

/// `lang`: the language tag of what was given in another language than the form's,
/// `None` when it is the form's or not known.
pub fn other_lang(given_in: Option<Locale>, texts: &Texts) -> Option<&'static str> {
    given_in.filter(|l| *l != texts.locale()).map(Locale::tag)
}

/// A granted line's withdrawal in `submission`: the button, the question, or where it
/// stands. `ids` ends the ids of its elements (`cf-wd-…`); `done` says when it was
/// withdrawn, where the device's list has it withdrawn. The button is described by the
/// line's sentence, `cf-wd-text-<ids>` (several alike would not say which is which).
/// `lang` marks the sentence quoted in the question (see [`other_lang`]).
pub fn withdraw_view(
    submission: &str,
    line: &ReceiptLine,
    ids: &str,
    done: Option<String>,
    w: &Withdrawals<'_>,
    texts: &Texts,
    lang: Option<&'static str>,
) -> Html {
    let press = |press: Press| {
        let pressed = Pressed {
            submission: submission.to_owned(),
            purpose: line.purpose.clone(),
            press,
            ids: ids.to_owned(),
        };
        w.onpress.reform(move |_: MouseEvent| pressed.clone())
    };
    let state = w.states.get(&withdrawal::key(submission, &line.purpose));
    // A withdrawal the device's list has done, or one under way on this page.
    let (kind, words) = match (done, state) {
        (Some(done), _) => ("done", done),
        (None, None) => {
            return html! {
                <button type="button" class="cf-button cf-secondary cf-withdraw" part="button withdraw"
                    id={["cf-wd-", ids].concat()} aria-describedby={["cf-wd-text-", ids].concat()}
                    onclick={press(Press::Withdraw)}>
                    { texts.get(Key::WithdrawButton) }
                </button>
            }
        }
        (None, Some(Withdraw::Confirming)) => {
            let question = ["cf-wd-q-", ids].concat();
            let asked = withdraw_question(texts, w.controller, line);
            // search.rs's, not `str::split_once`, which brings in core's searcher.
            let asked = match (lang, crate::search::split_once(&asked, &line.sentence)) {
                (Some(lang), Some((before, after))) => html! {
                    <>{ before.to_owned() }<span {lang}>{ line.sentence.clone() }</span>{ after.to_owned() }</>
                },
                _ => html! { { asked } },
            };
            return html! {
                <div class="cf-withdraw-confirm" role="group" aria-labelledby={question.clone()}>
                    <p id={question}>{ asked }</p>
                    <div class="cf-actions">
                        <button type="button" class="cf-button" part="button" id={["cf-wd-yes-", ids].concat()}
                            onclick={press(Press::Confirm)}>{ texts.get(Key::WithdrawYes) }</button>
                        <button type="button" class="cf-button cf-secondary" part="button"
                            onclick={press(Press::Cancel)}>{ texts.get(Key::WithdrawNo) }</button>
                    </div>
                </div>
            };
        }
        (None, Some(state)) => {
            let kind = match state {
                Withdraw::Done { .. } => "done",
                Withdraw::Failed(_) => "failed",
                Withdraw::Queued(_) => "queued",
                _ => "sending",
            };
            (kind, withdraw_words(state, texts, w.controller))
        }
    };
    html! {
        <p class="cf-withdraw-state" id={["cf-wd-state-", ids].concat()} tabindex="-1" data-state={kind}>
            { words }
        </p>
    }
}

/// The rows of a purpose's notice: a disclosure on the screen, plain text in print. The
/// disclosure is named "Details: " and its line's sentence, as on the form
/// ([`crate::components::details_summary`]): several alike would not say which is which.
fn notice(rows: Vec<String>, sentence: &str, texts: &Texts, lang: Option<&'static str>) -> Html {
    if rows.is_empty() {
        return Html::default();
    }
    // Literal classes: `class={…}` would bring in Yew's class set (about 2 KB of wasm).
    let items = || -> Html {
        rows.iter()
            .map(|row| html! { <li>{ row.clone() }</li> })
            .collect()
    };
    html! {
        <>
            <details class="cf-receipt-notice">
                { crate::components::details_summary(texts.get(Key::NoticeDetails), sentence, lang, None) }
                <ul class="cf-notice-rows" {lang}>{ items() }</ul>
            </details>
            <ul class="cf-notice-rows cf-print-only" {lang}>{ items() }</ul>
        </>
    }
}
