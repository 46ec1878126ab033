//! What a developer sees in place of the form when the configuration is wrong.

use yew::prelude::*;

use crate::components::text_tag;
use crate::config::ConfigError;

/// The misconfiguration message: every problem found, in words a developer can act
/// on. Never shows a half-working form.
///
/// A plain function, not a component: it keeps no state, and each component costs
/// its own copy of Yew's component machinery in the wasm.
pub fn config_error(problems: &[ConfigError]) -> Html {
    html! {
        <div class="cf-config-error" part="config-error" role="alert">
            { text_tag("strong", &[], "consent-form is not configured correctly, so the form is not shown.") }
            <ul>
                { for problems.iter().map(|p| text_tag("li", &[], &p.to_string())) }
            </ul>
            { text_tag("p", &[], "See docs/embedding.md in consent-form. (This message is for the site's developer.)") }
        </div>
    }
}
