//! One labelled form control with its hint, error and one-click fix.

use yew::prelude::*;

use crate::fields::{Control, FieldName};

/// What [`form_field`] shows.
#[derive(Clone, PartialEq)]
pub struct FieldProps {
    /// Which field.
    pub name: FieldName,
    /// Its label.
    pub label: AttrValue,
    /// Whether it must be filled in.
    pub required: bool,
    /// The word for "optional" in the visitor's language.
    pub optional_word: AttrValue,
    /// The word for "required", for screen readers.
    pub required_word: AttrValue,
    /// The current value.
    pub value: AttrValue,
    /// Options of a select, as (value, label); empty otherwise.
    pub options: Vec<(AttrValue, AttrValue)>,
    /// The select's empty option ("— Choose —").
    pub placeholder: AttrValue,
    /// A hint under the label.
    pub hint: Option<AttrValue>,
    /// The error, once it should show.
    pub error: Option<AttrValue>,
    /// A confirming or questioning line ("Valid number: …", "Did you mean …?").
    pub note: Option<AttrValue>,
    /// A corrected value offered in one click, with the button's text.
    pub fix: Option<(AttrValue, AttrValue)>,
    /// Called with the new value on every input.
    pub oninput: Callback<String>,
    /// Called when the visitor leaves the field.
    pub onleave: Callback<()>,
    /// Called with the corrected value when the fix is taken.
    pub onfix: Callback<String>,
    /// The value is being sent: it cannot be changed (see [`form_field`]).
    pub locked: bool,
}

/// A labelled control with its hint, error and fix, keyed by the field's name.
///
/// Locked, a text control is `readonly`, and a select and the fix button are
/// `aria-disabled` and undo or ignore a change: unlike `disabled`, both keep focus
/// where it is, and both are announced.
///
/// A plain function, not a component: it keeps no state, and each component costs
/// its own copy of Yew's component machinery in the wasm.
pub fn form_field(props: &FieldProps) -> Html {
    let name = props.name.as_str();
    let id = format!("cf-{name}");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let note_id = format!("{id}-note");
    let described: Vec<&str> = [
        props.error.as_ref().map(|_| error_id.as_str()),
        props.note.as_ref().map(|_| note_id.as_str()),
        props.hint.as_ref().map(|_| hint_id.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let describedby = (!described.is_empty()).then(|| AttrValue::from(described.join(" ")));
    let invalid = props.error.as_ref().map(|_| AttrValue::Static("true"));

    let oninput = {
        let cb = props.oninput.clone();
        Callback::from(move |e: InputEvent| cb.emit(crate::dom::event_value(&e)))
    };
    let locked = props.locked;
    // A select's choice, and a text control's value that some autofill (a password
    // manager, a browser's contact autofill) sets with only `change`, no `input`: a
    // value the field shows is the value the form checks and sends.
    let select = props.name.control() == Control::Select;
    let onchange = {
        let (cb, leave, value) = (
            props.oninput.clone(),
            props.onleave.clone(),
            props.value.clone(),
        );
        Callback::from(move |e: Event| {
            if locked {
                if let Some(select) = e.target().and_then(|t| {
                    wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlSelectElement>(t).ok()
                }) {
                    select.set_value(&value);
                }
                return;
            }
            let new = crate::dom::event_value(&e);
            if new != *value {
                cb.emit(new);
            }
            if select {
                leave.emit(());
            }
        })
    };
    let onblur = {
        let leave = props.onleave.clone();
        // Shown after the click of a press that took focus away (see dom::after_press).
        Callback::from(move |_: FocusEvent| crate::dom::after_press(leave.clone()))
    };
    let autocomplete = props.name.autocomplete();
    let required = props.required;
    // Taking the fix removes its button: focus goes back to the corrected control
    // (found before the fix is taken, while the button is still in the form) instead
    // of being lost.
    let onfix = props.fix.as_ref().map(|(value, _)| {
        let (cb, value, id) = (props.onfix.clone(), value.to_string(), id.clone());
        Callback::from(move |e: MouseEvent| {
            if locked {
                return;
            }
            let control = crate::dom::in_same_root(&e, &id);
            cb.emit(value.clone());
            if let Some(control) = control {
                let _ = control.focus();
            }
        })
    });

    let aria_disabled = locked.then_some("true");
    let control = match props.name.control() {
        // `aria-required`, not `required`, on every control: a required control left
        // empty is `:invalid` at once (the form's `novalidate` does not change that),
        // which browsers tell screen readers as an invalid entry before the form has
        // said anything is wrong — Chromium for a select on its empty choice, Firefox
        // for a text field too (Orca: "Họ và tên (bắt buộc) entry required. invalid
        // entry." on the fresh form).
        Control::Select => html! {
            <select id={id.clone()} name={name} part="input" aria-required={required.then_some("true")}
                aria-invalid={invalid.clone()} aria-describedby={describedby.clone()} aria-disabled={aria_disabled} {onchange}>
                <option value="" selected={props.value.is_empty()}>{ props.placeholder.clone() }</option>
                { for props.options.iter().map(|(value, label)| html! {
                    <option value={value.clone()} selected={*value == props.value}>{ label.clone() }</option>
                }) }
            </select>
        },
        Control::TextArea => html! {
            <textarea id={id.clone()} name={name} part="input" aria-required={required.then_some("true")} readonly={locked}
                aria-invalid={invalid.clone()} aria-describedby={describedby.clone()}
                value={props.value.clone()} {oninput} {onchange} {onblur} />
        },
        control => {
            let (kind, inputmode) = match control {
                Control::Tel => ("tel", "tel"),
                Control::Email => ("email", "email"),
                _ => ("text", "text"),
            };
            // Names are not dictionary words: no spell-check squiggles under them.
            let prose = props.name == FieldName::Topic;
            html! {
                <input id={id.clone()} name={name} part="input" type={kind} inputmode={inputmode}
                    autocomplete={autocomplete} aria-required={required.then_some("true")} readonly={locked}
                    spellcheck={if prose { "true" } else { "false" }}
                    autocapitalize={match control { Control::Text if prose => "sentences", Control::Text => "words", _ => "off" }}
                    aria-invalid={invalid} aria-describedby={describedby}
                    value={props.value.clone()} {oninput} {onchange} {onblur} />
            }
        }
    };

    html! {
        <div key={name} class="cf-field" part="field" data-field={name}>
            <label for={id.clone()} part="label">
                { props.label.clone() }
                if props.required {
                    <span class="cf-req" aria-hidden="true">{ "*" }</span>
                    <span class="cf-sr">{ format!(" ({})", props.required_word) }</span>
                } else {
                    <span class="cf-opt">{ format!(" ({})", props.optional_word) }</span>
                }
            </label>
            if let Some(hint) = &props.hint {
                <span id={hint_id} class="cf-hint" part="hint">{ hint.clone() }</span>
            }
            { control }
            if let Some(error) = &props.error {
                <span id={error_id} class="cf-error" part="error">{ error.clone() }</span>
            }
            if let Some(note) = &props.note {
                <span id={note_id} class="cf-note" part="hint">{ note.clone() }</span>
            }
            if let (Some((_, text)), Some(onclick)) = (&props.fix, onfix) {
                <button type="button" class="cf-fix" part="fix" aria-disabled={aria_disabled} {onclick}>{ text.clone() }</button>
            }
        </div>
    }
}

/// In place of the callback day and time selects when no day can be chosen now: `text`
/// (text `no_days`) for the day, where the error summary's link for the day leads;
/// nothing for the time.
pub fn no_days_view(field: FieldName, text: &str) -> Html {
    if field != FieldName::CallbackDate {
        return Html::default();
    }
    html! {
        <div key="callback_date" class="cf-field" part="field" data-field="callback_date">
            <p id="cf-callback_date" class="cf-no-days" part="hint" tabindex="-1">{ text }</p>
        </div>
    }
}
