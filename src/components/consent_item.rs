//! One consent: its own unticked checkbox, the sentence, and the notice one click away.

use std::rc::Rc;

use yew::prelude::*;

use crate::notices::ShownNotice;

/// What [`consent_item`] shows.
#[derive(Clone, PartialEq)]
pub struct ConsentItemProps {
    /// The notice of this purpose.
    pub notice: Rc<ShownNotice>,
    /// Whether the box is ticked.
    pub checked: bool,
    /// "needed to send the request" or "optional".
    pub tag: AttrValue,
    /// The word for the details disclosure ("Details").
    pub details_word: AttrValue,
    /// The flag for sensitive data ("Sensitive personal data").
    pub sensitive_word: AttrValue,
    /// The error to show, if the box must be ticked and is not.
    pub error: Option<AttrValue>,
    /// Whether the visitor has opened the notice (its details are built from then on).
    pub opened: bool,
    /// Called with the new state when the visitor ticks or unticks.
    pub ontoggle: Callback<bool>,
    /// Called when the visitor opens the notice.
    pub onopen: Callback<()>,
    /// The consent is being sent: the box cannot be changed (see [`consent_item`]).
    pub locked: bool,
}

/// The summary of a consent's notice, shown as `word` ("Details") and named "`word`:
/// `sentence`" — three alike would not say which consent each is for. Named by its
/// content, a screen-reader-only copy of the word with the sentence (the word on the
/// screen is hidden from them): named by `aria-labelledby` or `aria-label`, a summary
/// has Chromium give its content ("Details") as its description, heard once more after
/// the name. `lang`: the sentence's language where it is not the form's (a receipt
/// given in the other language, [`crate::components::other_lang`]), so that a screen
/// reader reads it with the right voice. `onclick`: the visitor opens it.
pub fn details_summary(
    word: &str,
    sentence: &str,
    lang: Option<&'static str>,
    onclick: Option<Callback<MouseEvent>>,
) -> Html {
    html! {
        <summary {onclick}>
            <span aria-hidden="true">{ word }</span>
            <span class="cf-sr">{ word }{ ": " }<span {lang}>{ sentence.to_owned() }</span></span>
        </summary>
    }
}

/// A consent checkbox with its notice, keyed by purpose id.
///
/// Locked, the box is `aria-disabled` and a click on it (or its label) is cancelled:
/// unlike `disabled`, that keeps focus on it, and it is announced.
///
/// A plain function, not a component: whether the notice was opened is kept in the
/// form's state, and each component costs its own copy of Yew's component machinery
/// in the wasm.
pub fn consent_item(props: &ConsentItemProps) -> Html {
    let name = props.notice.input_name();
    let id = format!("cf-{name}");
    let error_id = format!("{id}-error");
    let onchange = {
        let cb = props.ontoggle.clone();
        Callback::from(move |e: Event| cb.emit(crate::dom::event_checked(&e)))
    };
    let locked = props.locked;
    let onclick = Callback::from(move |e: MouseEvent| {
        if locked {
            e.prevent_default();
        }
    });
    let required = props.notice.notice.purpose.is_required();
    // The notice's rows are built when the visitor first opens it (a click on the
    // summary comes before the details open; `toggle` covers any other way), not with
    // the form: closed, they are never seen, and they are most of the form's elements.
    let onopen = {
        let opened = props.onopen.clone();
        Callback::from(move |_: MouseEvent| opened.emit(()))
    };
    let ontoggle_details = {
        let opened = props.onopen.clone();
        Callback::from(move |e: Event| {
            let open = e
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                .is_some_and(|d| d.has_attribute("open"));
            if open {
                opened.emit(());
            }
        })
    };
    html! {
        <div key={props.notice.notice.purpose.id().to_owned()} class="cf-consent" part="consent" data-purpose={props.notice.notice.purpose.id().to_owned()}>
            <label class="cf-check" for={id.clone()}>
                <input type="checkbox" id={id.clone()} name={name} value="granted" part="checkbox"
                    checked={props.checked} aria-required={required.then_some("true")}
                    aria-invalid={props.error.as_ref().map(|_| "true")}
                    aria-describedby={props.error.as_ref().map(|_| error_id.clone())}
                    aria-disabled={locked.then_some("true")} {onchange} {onclick} />
                <span>
                    <span id={format!("{id}-text")}>{ props.notice.sentence.clone() }</span>
                    { " " }
                    <span class="cf-tag">{ format!("({})", props.tag) }</span>
                    if props.notice.notice.sensitive {
                        { " " }
                        <span class="cf-sensitive">{ props.sensitive_word.clone() }</span>
                    }
                </span>
            </label>
            if let Some(error) = &props.error {
                <p id={error_id} class="cf-error" part="error">{ error.clone() }</p>
            }
            <details part="notice" ontoggle={ontoggle_details}>
                { details_summary(&props.details_word, &props.notice.sentence, None, Some(onopen)) }
                if props.opened {
                    <dl>
                        { for props.notice.details.iter().map(|(heading, text)| html! {
                            <>
                                <dt>{ heading.clone() }</dt>
                                <dd>{ text.clone() }</dd>
                            </>
                        }) }
                    </dl>
                }
            </details>
        </div>
    }
}
