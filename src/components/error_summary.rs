//! The list of problems shown on a refused submit; it takes focus so that a screen
//! reader announces it, and each entry moves focus to its field.

use yew::prelude::*;

/// The error summary: `title` ("Please check these 2 items:") and the problems, each
/// as (id of the control to focus, message). `node` is the summary's element: the form
/// focuses it when it appears and on each refused submit.
///
/// Focus is what makes a screen reader read it: a group named by its title and
/// described by its list, so that focus on it says the title, then each problem, once
/// and in order. Not an alert: focus on an alert said it all, and then Orca read it
/// again as an alert — with Chromium from its live region, in pieces and out of order
/// (Yew inserts the box first and builds its list into it, from its last entry to its
/// first), with Firefox whole (`tests/e2e/screen-reader.test.mjs`).
///
/// A plain function, not a component: each component costs its own copy of Yew's
/// component machinery in the wasm.
pub fn error_summary(title: &str, problems: &[(AttrValue, AttrValue)], node: NodeRef) -> Html {
    html! {
        <div class="cf-summary" part="summary" role="group" aria-labelledby="cf-summary-title"
            aria-describedby="cf-summary-list" tabindex="-1" ref={node}>
            <h3 id="cf-summary-title">{ title }</h3>
            <ul id="cf-summary-list">
                { for problems.iter().map(|(target, message)| {
                    let href = format!("#{target}");
                    let target = target.clone();
                    let onclick = Callback::from(move |e: MouseEvent| {
                        e.prevent_default();
                        crate::dom::focus_in_same_root(&e, &target);
                    });
                    html! { <li><a {href} {onclick}>{ message.clone() }</a></li> }
                }) }
            </ul>
        </div>
    }
}
