//! What a developer sees in place of the form when the configuration is wrong.

use yew::prelude::*;

/// Properties of [`ConfigErrorView`].
#[derive(Clone, PartialEq, Properties)]
pub struct ConfigErrorViewProps {
    /// Every problem found, in words a developer can act on.
    pub problems: Vec<AttrValue>,
}

/// The misconfiguration message. Never shows a half-working form.
#[function_component]
pub fn ConfigErrorView(props: &ConfigErrorViewProps) -> Html {
    html! {
        <div class="cf-config-error" part="config-error" role="alert">
            <strong>{ "consent-form is not configured correctly, so the form is not shown." }</strong>
            <ul>
                { for props.problems.iter().map(|p| html! { <li>{ p.clone() }</li> }) }
            </ul>
            <p>{ "See docs/embedding.md in consent-form. (This message is for the site's developer.)" }</p>
        </div>
    }
}
