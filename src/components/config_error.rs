//! What a developer sees in place of the form when the configuration is wrong.

use yew::prelude::*;

use crate::config::ConfigError;

/// The misconfiguration message: every problem found, in words a developer can act
/// on. Never shows a half-working form. In English, and marked so (`lang="en"`): on a
/// Vietnamese page a screen reader would read it with a Vietnamese voice.
///
/// A plain function, not a component: it keeps no state, and each component costs
/// its own copy of Yew's component machinery in the wasm.
pub fn config_error(problems: &[ConfigError]) -> Html {
    html! {
        <div class="cf-config-error" part="config-error" role="alert" lang="en">
            <strong>{ "consent-form is not configured correctly, so the form is not shown." }</strong>
            <ul>
                { for problems.iter().map(|p| html! { <li>{ p.to_string() }</li> }) }
            </ul>
            <p>{ "See docs/embedding.md in consent-form. (This message is for the site's developer.)" }</p>
        </div>
    }
}
