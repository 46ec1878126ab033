//! The receipt shown after a successful submission: printable and downloadable.

use std::rc::Rc;

use yew::prelude::*;

use crate::messages::{Key, Texts};
use crate::receipt::Receipt;

/// What the visitor agreed to and refused, when, under which id (and, for a callback,
/// the day and time booked). `heading` is the
/// receipt's heading: the form focuses it when the receipt shows, and printing
/// prints what it heads.
///
/// A plain function, not a component: each component costs its own copy of Yew's
/// component machinery in the wasm.
pub fn receipt_view(
    receipt: &Rc<Receipt>,
    texts: &Texts,
    onanother: Callback<()>,
    heading: NodeRef,
) -> Html {
    let onprint = {
        let heading = heading.clone();
        Callback::from(move |_| {
            if let Some(heading) = heading.get() {
                crate::dom::print_only(&heading);
            }
        })
    };
    let ondownload = {
        let receipt = receipt.clone();
        Callback::from(move |_| crate::dom::download_json(&receipt.file_name(), &receipt.body))
    };
    let onanother = onanother.reform(|_| ());
    html! {
        <section class="cf-receipt" part="receipt" aria-labelledby="cf-receipt-title">
            <h2 id="cf-receipt-title" tabindex="-1" ref={heading}>{ texts.get(Key::ReceiptTitle) }</h2>
            <p role="status">{ texts.get(Key::StatusSent) }</p>
            <p>{ texts.get(Key::ReceiptIntro) }</p>
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
                            <a href={receipt.policy_url.clone()} target="_blank" rel="noopener">{ receipt.policy_url.clone() }</a>
                            if let Some(v) = &receipt.policy_version { { format!(" ({v})") } }
                        </td>
                    </tr>
                </tbody>
            </table>
            <table>
                <tbody>
                    { for receipt.lines.iter().zip(receipt.notice_rows()).map(|(line, rows)| html! {
                        <tr data-purpose={line.purpose.clone()}>
                            <td>
                                { line.sentence.clone() }
                                // The notice it was agreed under, one click away on the
                                // screen and always on paper.
                                { notice(rows, texts) }
                            </td>
                            <td class="cf-answer" data-granted={if line.granted { "true" } else { "false" }}>
                                { texts.get(if line.granted { Key::Agreed } else { Key::Refused }) }
                            </td>
                        </tr>
                    }) }
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

/// The rows of a purpose's notice: a disclosure on the screen, plain text in print.
fn notice(rows: Vec<String>, texts: &Texts) -> Html {
    if rows.is_empty() {
        return Html::default();
    }
    let list = |class: &'static str| {
        html! {
            <ul class={class}>{ for rows.iter().map(|row| html! { <li>{ row.clone() }</li> }) }</ul>
        }
    };
    html! {
        <>
            <details class="cf-receipt-notice">
                <summary>{ texts.get(Key::NoticeDetails) }</summary>
                { list("cf-notice-rows") }
            </details>
            { list("cf-notice-rows cf-print-only") }
        </>
    }
}
