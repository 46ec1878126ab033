//! The receipt shown after a successful submission: printable and downloadable.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::{attr, text_tag};
use crate::messages::{Key, Texts};
use crate::receipt::Receipt;

/// What the visitor agreed to and refused, when, under which id. `heading` is the
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
            { text_tag("p", const { &[attr("role", "status")] }, texts.get(Key::StatusSent)) }
            { text_tag("p", &[], texts.get(Key::ReceiptIntro)) }
            <table>
                <tbody>
                    <tr>{ row_head(texts.get(Key::ReceiptId)) }{ text_tag("td", const { &[attr("class", "cf-mono")] }, &receipt.id) }</tr>
                    <tr>{ row_head(texts.get(Key::ReceiptTime)) }<td><time datetime={receipt.submitted_at.clone()}>{ receipt.time_for_people() }</time></td></tr>
                    <tr>{ row_head(texts.get(Key::ReceiptController)) }{ text_tag("td", &[], &receipt.controller) }</tr>
                    <tr>
                        { row_head(texts.get(Key::ReceiptPolicy)) }
                        <td>
                            <a href={receipt.policy_url.clone()} target="_blank" rel="noopener">{ receipt.policy_url.clone() }</a>
                            if let Some(v) = &receipt.policy_version { { format!(" ({v})") } }
                        </td>
                    </tr>
                </tbody>
            </table>
            <table>
                <tbody>
                    { for receipt.lines.iter().map(|line| html! {
                        <tr data-purpose={line.purpose.clone()}>
                            <td>{ line.sentence.clone() }</td>
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

/// `<th scope="row">text</th>`.
fn row_head(text: &str) -> Html {
    text_tag("th", const { &[attr("scope", "row")] }, text)
}
