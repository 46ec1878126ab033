//! The root component: renders the whole form for one host element.

use yew::prelude::*;

/// Properties of [`App`].
#[derive(Clone, PartialEq, Properties)]
pub struct AppProps {
    /// Which form to render: `contact` or `callback`.
    pub kind: AttrValue,
}

/// The root component.
#[function_component]
pub fn App(props: &AppProps) -> Html {
    let name = use_state(String::new);
    let oninput = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            name.set(input.value());
        })
    };
    html! {
        <form class="cf-form" data-kind={props.kind.clone()}>
            <label for="cf-name">{ "Họ và tên" }</label>
            <input id="cf-name" name="name" type="text" autocomplete="name" {oninput} />
            <p class="cf-echo" aria-live="polite">{ format!("Xin chào, {}", *name) }</p>
        </form>
    }
}
