//! Under the form: the consents given from this device to this form's endpoint, each
//! submission with its granted consents and a withdraw button on each still in force,
//! so that a visitor withdraws after a reload or on another day as easily as they
//! agreed. Closed until opened; shown only where the host takes withdrawals.

use yew::prelude::*;

use crate::components::{other_lang, withdraw_view, Withdrawals};
use crate::history::Given;
use crate::messages::{Key, Texts};

/// The list of `given` (newest first), or nothing when it is empty. `onforget` removes
/// the list from the device.
pub fn history_view(
    given: &[Given],
    texts: &Texts,
    withdrawals: &Withdrawals<'_>,
    onforget: Callback<()>,
) -> Html {
    if given.is_empty() {
        return Html::default();
    }
    let ids: Vec<&str> = given.iter().map(|g| g.receipt.id.as_str()).collect();
    let news = withdrawals.news(&ids, texts);
    let submissions = given.iter().map(|g| {
        let id = &g.receipt.id;
        // Its sentences in the language they were given in, marked so where the form
        // speaks the other (an entry kept without its language: as the form's).
        let lang = other_lang(g.locale, texts);
        let lines = g.receipt.lines.iter().map(|line| {
            let done = g
                .withdrawn_at(&line.purpose)
                .map(|at| withdrawn_words(at, texts));
            let ids = [id.as_str(), "-", &line.purpose].concat();
            html! {
                <li data-purpose={line.purpose.clone()}>
                    <span id={["cf-wd-text-", &ids].concat()} {lang}>{ line.sentence.clone() }</span>
                    { withdraw_view(id, line, &ids, done, withdrawals, texts, lang) }
                </li>
            }
        });
        // An item of one list, headed: a labelled section each was a region landmark
        // each, up to 20 in a screen reader's landmarks menu.
        html! {
            <li data-submission={id.clone()}>
                <h3>
                    { texts.fill(Key::HistorySent, &[("time", &crate::wording::receipt_time(&g.receipt, texts))]) }
                </h3>
                <p class="cf-hint">{ texts.get(Key::ReceiptId) }{ ": " }<span class="cf-mono">{ id.clone() }</span></p>
                <ul>{ for lines }</ul>
            </li>
        }
    });
    html! {
        <details class="cf-history" part="history">
            <summary>{ texts.get(Key::HistoryTitle) }</summary>
            <p class="cf-sr" role="status" aria-live="polite" data-withdraw-news="">{ news }</p>
            <p class="cf-hint">{ texts.get(Key::HistoryIntro) }</p>
            // role=list: Safari drops the list of a list without bullets.
            <ul class="cf-history-list" role="list">{ for submissions }</ul>
            <div class="cf-actions">
                <button type="button" class="cf-button cf-secondary" part="button" id="cf-history-forget"
                    aria-describedby="cf-history-forget-note" onclick={onforget.reform(|_| ())}>
                    { texts.get(Key::HistoryForget) }
                </button>
            </div>
            <p class="cf-hint" id="cf-history-forget-note">{ texts.get(Key::HistoryForgetNote) }</p>
        </details>
    }
}

/// "Withdrawn on 25/11/2026 at 10:00", from the RFC 3339 time of the withdrawal
/// (the visitor's clock then); "no longer active" without a time (withdrawn
/// elsewhere); the time as written if it cannot be read.
fn withdrawn_words(at: &str, texts: &Texts) -> String {
    let part = |range: std::ops::Range<usize>| at.get(range).unwrap_or_default();
    if at.is_empty() {
        return texts.get(Key::HistoryNotActive).to_owned();
    }
    if at.len() < 16 {
        return at.to_owned();
    }
    texts.fill(
        Key::HistoryWithdrawn,
        &[
            ("time", part(11..16)),
            ("dd", part(8..10)),
            ("mm", part(5..7)),
            ("yyyy", part(0..4)),
        ],
    )
}
