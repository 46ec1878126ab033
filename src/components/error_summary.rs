//! The list of problems shown on a refused submit; it takes focus so that a screen
//! reader announces it, and each entry moves focus to its field.

use yew::prelude::*;

/// Properties of [`ErrorSummary`].
#[derive(Clone, PartialEq, Properties)]
pub struct ErrorSummaryProps {
    /// The heading ("Please check these 2 items:").
    pub title: AttrValue,
    /// The problems: (id of the control to focus, message).
    pub problems: Vec<(AttrValue, AttrValue)>,
    /// Changes on each refused submit: the summary takes focus again.
    pub attempt: u32,
}

/// The error summary.
#[function_component]
pub fn ErrorSummary(props: &ErrorSummaryProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with(props.attempt, move |_| {
            if let Some(el) = node.cast::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        });
    }
    html! {
        <div class="cf-summary" part="summary" role="alert" tabindex="-1" ref={node}>
            <h3>{ props.title.clone() }</h3>
            <ul>
                { for props.problems.iter().map(|(target, message)| {
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
