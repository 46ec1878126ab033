//! For a visitor under 16, where the host asks for it (`minors: "guardian"`): the box
//! "I am under 16" and, once ticked, their parent's or guardian's name, phone and own
//! agreement (Decree 13/2023, Art. 20: from 7 to 16, both consent).

use yew::prelude::*;

use crate::messages::{Key, Texts};

/// What [`guardian_view`] shows.
pub struct GuardianProps<'a> {
    /// "I am under 16" is ticked.
    pub minor: bool,
    /// The guardian's agreement is ticked.
    pub agrees: bool,
    /// The guardian's name and phone fields, rendered like the form's others.
    pub fields: Html,
    /// Why the form cannot be sent yet, on the agreement.
    pub error: Option<String>,
    /// The texts.
    pub texts: &'a Texts,
    /// The text the guardian agrees to, as it is sent.
    pub text: String,
    /// "I am under 16" ticked or unticked.
    pub onminor: Callback<bool>,
    /// The agreement ticked or unticked.
    pub onagree: Callback<bool>,
    /// The form is being sent: nothing changes meanwhile.
    pub locked: bool,
}

/// The box, and under it, once ticked, the guardian's part.
pub fn guardian_view(props: GuardianProps<'_>) -> Html {
    let texts = props.texts;
    let locked = props.locked;
    let checkbox = |cb: &Callback<bool>| {
        let cb = cb.clone();
        Callback::from(move |e: Event| cb.emit(crate::dom::event_checked(&e)))
    };
    let onclick = Callback::from(move |e: MouseEvent| {
        if locked {
            e.prevent_default();
        }
    });
    let error_id = "cf-consent-guardian-error";
    html! {
        <div class="cf-minor" part="minor">
            <label class="cf-check" for="cf-minor">
                <input type="checkbox" id="cf-minor" name="minor" value="yes" part="checkbox"
                    checked={props.minor} aria-describedby="cf-minor-hint"
                    aria-disabled={locked.then_some("true")}
                    onchange={checkbox(&props.onminor)} onclick={onclick.clone()} />
                <span>{ texts.get(Key::MinorLabel) }</span>
            </label>
            <p class="cf-hint" id="cf-minor-hint">{ texts.get(Key::MinorHint) }</p>
            if props.minor {
                <div class="cf-guardian" part="guardian" role="group" aria-labelledby="cf-guardian-heading">
                    <h3 id="cf-guardian-heading">{ texts.get(Key::GuardianHeading) }</h3>
                    { props.fields }
                    <label class="cf-check" for="cf-consent-guardian">
                        <input type="checkbox" id="cf-consent-guardian" name="consent-guardian" value="granted"
                            part="checkbox" checked={props.agrees} aria-required="true"
                            aria-invalid={props.error.as_ref().map(|_| "true")}
                            aria-describedby={props.error.as_ref().map(|_| error_id)}
                            aria-disabled={locked.then_some("true")}
                            onchange={checkbox(&props.onagree)} {onclick} />
                        <span>
                            <span id="cf-consent-guardian-text">{ props.text }</span>
                            { " " }
                            <span class="cf-tag">{ format!("({})", texts.get(Key::ConsentNeeded)) }</span>
                        </span>
                    </label>
                    if let Some(error) = props.error {
                        <p id={error_id} class="cf-error" part="error">{ error }</p>
                    }
                </div>
            }
        </div>
    }
}
