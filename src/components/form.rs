//! The form a visitor fills in: fields, consents, error summary, submit and status.

use std::cell::Cell;
use std::rc::Rc;

use yew::prelude::*;

use crate::captcha::CaptchaHook;
use crate::components::{
    consent_item, error_summary, form_field, guardian_view, history_view, no_days_view,
    receipt_view, status_line, waiting_view, ConsentItemProps, FieldProps, GuardianProps, Press,
    Pressed, WaitingProps, Withdrawals,
};
use crate::config::Config;
use crate::consent::Purpose;
use crate::fields::{Control, FieldName, FormKind};
use crate::messages::{Key, Texts};
use crate::notices::{notices, ShownNotice};
use crate::schedule::{Day, Window};
use crate::state::{Action, Phase, Withdraw};
use crate::validation::{check_all, label};

/// Properties of [`ConsentForm`].
#[derive(Clone, PartialEq, Properties)]
pub struct ConsentFormProps {
    /// The checked configuration.
    pub config: Rc<Config>,
    /// The host element, which DOM events are dispatched from.
    #[prop_or_default]
    pub host: Option<web_sys::HtmlElement>,
    /// The captcha hook given to `mount()`, if any (else the host element's is used).
    #[prop_or_default]
    pub captcha: Option<CaptchaHook>,
}

/// The contact or callback form.
#[function_component]
pub fn ConsentForm(props: &ConsentFormProps) -> Html {
    let config = props.config.clone();
    // The texts, the notices and where the draft is kept change only with the
    // configuration (and the host element): one memo for all three.
    let memo = use_memo((config.clone(), props.host.clone()), |(c, host)| {
        let texts = Texts::new(c.locale, c.texts.clone());
        let shown = notices(c, &texts, crate::history::storage::kept())
            .into_iter()
            .map(Rc::new)
            .collect::<Vec<Rc<ShownNotice>>>();
        let draft_key = Rc::new(crate::draft::key(c, host.as_ref()));
        (texts, Rc::new(shown), draft_key)
    });
    let (texts, shown) = (&memo.0, &memo.1);
    let state = crate::draft::use_draft(&memo.2, &config);
    // A box ticked under one sentence is no agreement to another: when the host changes
    // what a purpose's sentence says (the controller, the marketing channels or
    // frequency), a box ticked under the old words is unticked, to be ticked again (not
    // while a submission is on its way: the boxes then show what it carries). Checked
    // at render against the notices last shown (an effect would cost 1.2 KB of wasm).
    let last_shown = use_mut_ref(|| shown.clone());
    if !Rc::ptr_eq(&last_shown.borrow(), shown) {
        let before = last_shown.replace(shown.clone());
        let locked = matches!(state.phase, Phase::Sending | Phase::Queued { .. });
        for n in shown.iter() {
            let id = n.notice.purpose.id();
            let changed = before
                .iter()
                .any(|b| b.notice.purpose.id() == id && b.sentence != n.sentence);
            if changed && state.consented(id) && !locked {
                state.dispatch(Action::Consent(id.to_owned(), false));
            }
        }
    }
    crate::submit::use_outbox_reports(state.clone(), config.clone(), props.host.clone());
    let started_ms = use_mut_ref(crate::dom::now_ms);
    let now = crate::dom::now_ms();
    // No callback day to offer now (business hours that allow one at other times): the
    // visitor reads so in place of the day and time, the developer on the console (once
    // per form: a ref, not an effect, which would cost its own hook in the wasm).
    let no_days = crate::validation::no_day_to_offer(&config, now);
    let told = use_mut_ref(|| false);
    if no_days && !told.replace(true) {
        if let Some(why) = config.business_hours.no_day_left(now) {
            web_sys::console::error_1(&why.into());
        }
    }

    let receipt = match &state.phase {
        Phase::Done(receipt) => Some(receipt.clone()),
        _ => None,
    };
    let checks = match receipt {
        Some(_) => Vec::new(),
        None => check_all(&config, texts, &state.values, state.minor, now),
    };
    let consultation_missing = !state.consented(Purpose::Consultation.id());
    let guardian_missing = config.guardian && state.minor && !state.guardian_agrees;
    // What is wrong now, as (id of the control to focus, message), in form order.
    let mut problems: Vec<(AttrValue, AttrValue)> = checks
        .iter()
        .filter_map(|(field, check)| {
            check.error.as_ref().map(|e| {
                (
                    AttrValue::from(format!("cf-{}", field.as_str())),
                    AttrValue::from(format!("{}: {e}", label(*field, texts))),
                )
            })
        })
        .collect();
    if consultation_missing {
        problems.push((
            AttrValue::Static("cf-consent-consultation"),
            AttrValue::from(texts.get(Key::ErrConsultation).to_owned()),
        ));
    }
    if guardian_missing {
        problems.push((
            AttrValue::Static("cf-consent-guardian"),
            AttrValue::from(texts.get(Key::ErrGuardian).to_owned()),
        ));
    }
    // The error summary takes focus when it appears and on each refused submit, so
    // that a screen reader announces it; the receipt (its region, named by its heading:
    // `receipt_view` says why) when a receipt shows (unless the visitor has gone on to
    // another field of the page meanwhile, as while a saved submission waits to be
    // sent: focus stays there); the form after "send another", so that a screen reader
    // starts the fresh form from its title and intro (as on arrival) instead of losing
    // its place — the form itself, named by its heading, as the receipt: the title is
    // then said once, where focus on the heading inside the named form said it twice.
    // Neither is focusable otherwise (`dom::focus` makes them so until focus leaves).
    // (One effect for all three, and one ref for the receipt and the form: no two show
    // together.)
    let summary_ref = use_node_ref();
    let landmark_ref = use_node_ref();
    // Also (one ref, not two: each costs its own hook code in the wasm) the error
    // summary as at the last refused press: it says what was wrong at the press, not
    // each keystroke's message (the fields' own messages follow the typing), until the
    // next press or nothing is wrong — what focus on it read stays what it shows.
    let another = use_mut_ref(<(bool, u32, Vec<(AttrValue, AttrValue)>)>::default);
    if another.borrow().1 != state.failed_submits {
        let mut at_press = another.borrow_mut();
        at_press.1 = state.failed_submits;
        at_press.2 = problems.clone();
    }
    // Its entries for controls the form no longer shows (the guardian's, once "under
    // 16" is unticked; the time, once no day can be chosen) leave it at once: their
    // links would lead nowhere.
    let shown_now = |target: &AttrValue| match target.strip_prefix("cf-") {
        Some("consent-consultation") => true,
        Some("consent-guardian") => config.guardian && state.minor,
        Some(name) => checks.iter().any(|(field, _)| {
            field.as_str() == name && !(no_days && *field == FieldName::CallbackWindow)
        }),
        None => false,
    };
    let at_press: Vec<(AttrValue, AttrValue)> = another
        .borrow()
        .2
        .iter()
        .filter(|(target, _)| shown_now(target))
        .cloned()
        .collect();
    let summary_shown = receipt.is_none()
        && state.failed_submits > 0
        && !problems.is_empty()
        && !at_press.is_empty();
    {
        let (summary_ref, landmark_ref, another, host) = (
            summary_ref.clone(),
            landmark_ref.clone(),
            another.clone(),
            props.host.clone(),
        );
        let receipt_id = receipt.as_ref().map(|r| r.id.clone());
        use_effect_with(
            (state.failed_submits, summary_shown, receipt_id),
            move |(_, summary_shown, receipt_id)| {
                if *summary_shown {
                    crate::dom::focus(&summary_ref);
                } else if receipt_id.is_some() && crate::dom::focus_is_free(host.as_ref())
                    || std::mem::take(&mut another.borrow_mut().0)
                {
                    crate::dom::focus(&landmark_ref);
                }
            },
        );
    }

    // Withdrawing a consent, where the host takes withdrawals — on the receipt, or in
    // the list of consents given on this device: the button, the question (focus on
    // its confirm button), cancel (focus back on the button), confirm (focus on what
    // the line now says).
    let onpress = {
        let (state, config, host, landmark) = (
            state.clone(),
            config.clone(),
            props.host.clone(),
            landmark_ref.clone(),
        );
        Callback::from(move |p: Pressed| {
            // The live region of this form says what comes of it.
            state.dispatch(Action::WithdrawPressed(crate::withdrawal::key(
                &p.submission,
                &p.purpose,
            )));
            let set = |to| {
                state.dispatch(Action::Withdraw(
                    p.submission.clone(),
                    p.purpose.clone(),
                    to,
                ))
            };
            let focus = match p.press {
                Press::Withdraw => {
                    set(Some(Withdraw::Confirming));
                    "cf-wd-yes-"
                }
                Press::Cancel => {
                    set(None);
                    "cf-wd-"
                }
                Press::Confirm => {
                    let shown = match &state.phase {
                        Phase::Done(receipt) => Some(&**receipt),
                        _ => None,
                    };
                    let receipt = shown
                        .into_iter()
                        .chain(state.given.iter().map(|g| &g.receipt))
                        .find(|r| r.id == p.submission);
                    if let Some(receipt) = receipt {
                        if let Some(line) = receipt.lines.iter().find(|l| l.purpose == p.purpose) {
                            crate::submit::withdraw(
                                state.clone(),
                                &config,
                                receipt,
                                line,
                                host.as_ref(),
                            );
                        }
                    }
                    "cf-wd-state-"
                }
            };
            crate::dom::focus_soon(&landmark, [focus, &p.ids].concat());
        })
    };
    let withdrawals = || {
        config.withdraw_endpoint.as_ref().map(|_| Withdrawals {
            states: &state.withdrawals,
            last: &state.withdrawn_last,
            controller: &config.controller,
            onpress: onpress.clone(),
        })
    };

    // The requests made elsewhere that wait in the outbox or were not sent, under the
    // form (or the receipt): "send now" tries them at once, "delete" deletes one; focus
    // goes to where what became of them is said (the buttons go with them). "Put back"
    // fills the form with one — asking first if that would replace something else the
    // visitor typed — and focus goes to its first field (`submit::unlist`).
    // (The live region under the form that was pressed in says what comes of it.)
    let onsend = {
        let (state, config, landmark) = (state.clone(), config.clone(), landmark_ref.clone());
        Callback::from(move |()| {
            crate::submit::pressed_in_lists(&config);
            state.dispatch(Action::ListPressed(true));
            crate::outbox::send_now(&config.endpoint);
            crate::dom::focus_soon(&landmark, "cf-waiting-news".to_owned());
        })
    };
    let onunlist = {
        let (state, config, host, landmark, memo) = (
            state.clone(),
            config.clone(),
            props.host.clone(),
            landmark_ref.clone(),
            memo.clone(),
        );
        Callback::from(move |pressed| {
            crate::submit::pressed_in_lists(&config);
            state.dispatch(Action::ListPressed(false));
            let focus = crate::submit::unlist(&state, &config, &memo.0, host.as_ref(), pressed);
            crate::dom::focus_soon(&landmark, focus);
        })
    };
    let locked = matches!(state.phase, Phase::Sending | Phase::Queued { .. });
    let waiting = waiting_view(WaitingProps {
        entries: &state.waiting,
        sending: state.sending_now,
        news: &state.waiting_news,
        texts,
        kind: config.kind,
        locked,
        asking: &state.asking,
        other_form: crate::submit::form_on_page(
            match config.kind {
                FormKind::Contact => FormKind::Callback,
                FormKind::Callback => FormKind::Contact,
            },
            &config.endpoint,
        )
        .is_some(),
        now,
        onsend,
        onunlist,
    });

    if let Some(receipt) = receipt {
        let onanother = {
            let state = state.clone();
            Callback::from(move |()| {
                another.borrow_mut().0 = true;
                state.dispatch(Action::Reset(Default::default(), Phase::Editing))
            })
        };
        let withdrawals = withdrawals();
        return html! {
            <div class="cf" part="form" lang={config.locale.tag()}>
                { receipt_view(&receipt, texts, onanother, landmark_ref, withdrawals) }
                // The form's live region, kept in place (second of four, as under the
                // form, where the requests waiting and the list of consents given come
                // next): its words changing to "sent" are heard, wherever focus is.
                { status_line(&state.phase, texts, &config.controller) }
                { waiting }
                <></>
            </div>
        };
    }

    // What is being sent, or waits in the outbox to be sent, cannot be changed meanwhile
    // (`locked`): a change would be shown but never sent. (What was typed stays after a
    // failure.)
    let field_view = |(field, required): (FieldName, bool)| {
        let check = checks
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, c)| c.clone())
            .unwrap_or_default();
        if no_days && matches!(field, FieldName::CallbackDate | FieldName::CallbackWindow) {
            // The day's check already says it (text `no_days`, from `check_all`).
            return no_days_view(field, check.error.as_deref().unwrap_or_default());
        }
        // Text is never cut at a limit (a paste would lose its end unseen): over it, the
        // field says so at once, with the count; near it, how many characters are left.
        // As composed: while an input method composes a letter decomposed ("e" and two
        // combining marks for "ễ"), it counts once, so the count does not jump.
        let len = state
            .value(field)
            .chars()
            .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
            .count();
        let oninput = {
            let state = state.clone();
            Callback::from(move |value: String| state.dispatch(Action::Input(field, value)))
        };
        let onleave = {
            let state = state.clone();
            // A valid phone number is rewritten in national format when the visitor leaves
            // (not while it comes with a question: "08 3822 1234", an old landline?).
            let pretty = (matches!(field, FieldName::Phone | FieldName::GuardianPhone)
                && check.error.is_none()
                && check.fix.is_none())
            .then(|| {
                crate::phone::parse(state.value(field))
                    .ok()
                    .map(|n| n.national())
            })
            .flatten();
            Callback::from(move |()| state.dispatch(Action::Leave(field, pretty.clone())))
        };
        let onfix = {
            let state = state.clone();
            Callback::from(move |value: String| state.dispatch(Action::Leave(field, Some(value))))
        };
        let options = options(
            field,
            &config,
            texts,
            state.value(FieldName::CallbackDate),
            now,
        );
        let hint = match field {
            FieldName::Phone | FieldName::GuardianPhone => {
                Some(texts.get(Key::HintPhone).to_owned())
            }
            FieldName::Email => Some(texts.get(Key::HintEmail).to_owned()),
            // No day chosen, or one the day select no longer offers (a draft's day that
            // has passed meanwhile: the select shows none): a day first.
            FieldName::CallbackWindow if options.is_empty() => {
                let day_shown = Day::parse(state.value(FieldName::CallbackDate))
                    .is_some_and(|d| config.business_hours.days_from(now).contains(&d));
                Some(
                    texts
                        .get(if day_shown {
                            Key::NoSlots
                        } else {
                            Key::DayFirst
                        })
                        .to_owned(),
                )
            }
            _ => None,
        };
        let fix = check.fix.clone().map(|v| {
            (
                AttrValue::from(v.clone()),
                AttrValue::from(texts.fill(Key::UseCorrection, &[("value", &v)])),
            )
        });
        form_field(&FieldProps {
            name: field,
            label: AttrValue::from(label(field, texts).to_owned()),
            required,
            optional_word: AttrValue::from(texts.get(Key::Optional).to_owned()),
            required_word: AttrValue::from(texts.get(Key::Required).to_owned()),
            value: AttrValue::from(state.value(field).to_owned()),
            options,
            placeholder: AttrValue::from(texts.get(Key::Choose).to_owned()),
            hint: hint.map(AttrValue::from),
            // An error that comes with its one-click fix (a renumbered phone number, an
            // e-mail typo) shows at once, with the fix: the button alone would not say why.
            error: check
                .error
                .clone()
                .filter(|_| {
                    state.shows_errors(field) || len > field.max_chars() || check.fix.is_some()
                })
                .map(AttrValue::from),
            note: check
                .note
                .clone()
                .or_else(|| chars_left(field, len, texts))
                .filter(|_| check.error.is_none())
                .map(AttrValue::from),
            fix,
            oninput,
            onleave,
            onfix,
            locked,
        })
    };
    let fields = config.fields.iter().map(|&f| field_view(f));

    let consents = shown.iter().map(|notice| {
        let id = notice.notice.purpose.id().to_owned();
        let ontoggle = {
            let (state, id) = (state.clone(), id.clone());
            Callback::from(move |ticked: bool| state.dispatch(Action::Consent(id.clone(), ticked)))
        };
        let required = notice.notice.purpose.is_required();
        let error = (required && consultation_missing && state.failed_submits > 0)
            .then(|| AttrValue::from(texts.get(Key::ErrConsultation).to_owned()));
        let opened = state.opened.get(&id).copied().unwrap_or(false);
        let onopen = {
            let (state, id) = (state.clone(), id.clone());
            Callback::from(move |()| {
                if !opened {
                    state.dispatch(Action::OpenNotice(id.clone()));
                }
            })
        };
        consent_item(&ConsentItemProps {
            notice: notice.clone(),
            checked: state.consented(&id),
            tag: AttrValue::from(
                texts
                    .get(if required {
                        Key::ConsentNeeded
                    } else {
                        Key::ConsentOptional
                    })
                    .to_owned(),
            ),
            details_word: AttrValue::from(texts.get(Key::NoticeDetails).to_owned()),
            sensitive_word: AttrValue::from(texts.get(Key::Sensitive).to_owned()),
            error,
            opened,
            ontoggle,
            onopen,
            locked,
        })
    });

    // A visitor under 16, where the host asks for it: their guardian's name, phone and
    // agreement, under the consents they agree to.
    let guardian = config.guardian.then(|| {
        let onminor = {
            let state = state.clone();
            Callback::from(move |ticked| state.dispatch(Action::Minor(ticked)))
        };
        let onagree = {
            let state = state.clone();
            Callback::from(move |ticked| state.dispatch(Action::GuardianAgrees(ticked)))
        };
        let fields: Html = match state.minor {
            true => FieldName::GUARDIAN
                .map(|f| field_view((f, true)))
                .into_iter()
                .collect(),
            false => Html::default(),
        };
        guardian_view(GuardianProps {
            minor: state.minor,
            agrees: state.guardian_agrees,
            fields,
            error: (guardian_missing && state.failed_submits > 0)
                .then(|| texts.get(Key::ErrGuardian).to_owned()),
            texts,
            text: texts.fill(Key::GuardianText, &[("controller", &config.controller)]),
            onminor,
            onagree,
            locked,
        })
    });

    let ready = problems.is_empty();
    let title = texts.fill(Key::SummaryTitle, &[("n", &at_press.len().to_string())]);
    let summary = error_summary(&title, &at_press, summary_ref.clone());

    let onsubmit = {
        let (state, config, shown, host, captcha) = (
            state.clone(),
            config.clone(),
            shown.clone(),
            props.host.clone(),
            props.captcha.clone(),
        );
        let started_ms = started_ms.clone();
        // `state` is this render's: a second press before the next render (two
        // `requestSubmit()` in one script) would still see the form idle.
        let pressed = Cell::new(false);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if pressed.get() || matches!(state.phase, Phase::Sending | Phase::Queued { .. }) {
                return;
            }
            if !ready {
                state.dispatch(Action::SubmitRefused);
                return;
            }
            pressed.set(true);
            crate::submit::start(
                state.clone(),
                config.clone(),
                shown.clone(),
                host.clone(),
                captcha.clone(),
                *started_ms.borrow(),
            );
        })
    };
    let onhoneypot = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            state.dispatch(Action::Honeypot(crate::dom::event_value(&e)))
        })
    };
    // Removing the list of consents given on this device (nothing is withdrawn); focus
    // goes to the form (named by its title), as the list and its button go.
    let onforget = {
        let (state, endpoint, landmark) =
            (state.clone(), config.endpoint.clone(), landmark_ref.clone());
        Callback::from(move |()| {
            crate::history::storage::update(|h| h.forget(&endpoint));
            state.dispatch(Action::Given(Rc::default()));
            crate::dom::focus(&landmark);
        })
    };
    // While a submission is on its way or waiting in the outbox, a second one would
    // only duplicate it: the button says so and does nothing, but stays focusable (a
    // disabled button would drop the keyboard's focus to the page). After a refusal the
    // same button sends again, with whatever the visitor changed meanwhile.
    let sending = matches!(state.phase, Phase::Sending | Phase::Queued { .. });
    let button_text = match state.phase {
        Phase::Queued { .. } => Key::SubmitQueued,
        _ if sending => Key::Sending,
        Phase::Failed { .. } => Key::Retry,
        _ => Key::Submit,
    };
    let title = texts.get(match config.kind {
        FormKind::Contact => Key::TitleContact,
        FormKind::Callback => Key::TitleCallback,
    });

    html! {
        <div class="cf" lang={config.locale.tag()}>
            <form part="form" novalidate=true {onsubmit} aria-labelledby="cf-title" data-kind={config.kind.as_str()} ref={landmark_ref}>
                <h2 id="cf-title" part="title">{ title }</h2>
                <p class="cf-intro">{ texts.get(Key::Intro) }</p>
                if summary_shown {
                    { summary }
                }
                { for fields }
                // The anti-spam trap: bots fill every field; people never see it. Its name
                // is no field a browser or password manager fills in for a person (a trap
                // named "website" could be, and the person would get a receipt for nothing).
                <div class="cf-hp" aria-hidden="true">
                    <label for="cf-hp">{ texts.get(Key::Honeypot) }</label>
                    <input id="cf-hp" name="cf-hp" type="text" tabindex="-1" autocomplete="off"
                        value={state.honeypot.clone()} oninput={onhoneypot} />
                </div>
                <fieldset part="consents">
                    <legend>{ texts.get(Key::ConsentsHeading) }</legend>
                    <p class="cf-hint">{ texts.get(Key::ConsentsIntro) }</p>
                    { for consents }
                    if let Some(guardian) = guardian {
                        { guardian }
                    }
                    <a class="cf-policy" part="policy" href={config.policy_url.clone()} target="_blank" rel="noopener">
                        { texts.get(Key::PolicyLink) }
                        <span class="cf-sr">{ texts.get(Key::NewTab) }</span>
                    </a>
                </fieldset>
                <div class="cf-actions">
                    <button type="submit" class="cf-submit" part="submit" aria-disabled={sending.then_some("true")}>
                        { texts.get(button_text) }
                    </button>
                </div>
            </form>
            { status_line(&state.phase, texts, &config.controller) }
            { waiting }
            if let Some(w) = withdrawals() {
                { history_view(&state.given, texts, &w, onforget) }
            }
        </div>
    }
}

/// The options of a select field.
fn options(
    field: FieldName,
    config: &Config,
    texts: &Texts,
    date: &str,
    now: i64,
) -> Vec<(AttrValue, AttrValue)> {
    match field {
        FieldName::Industry => config
            .industries
            .iter()
            .map(|i| (AttrValue::from(i.clone()), AttrValue::from(i.clone())))
            .collect(),
        FieldName::CallbackDate => config
            .business_hours
            .days_from(now)
            .into_iter()
            .map(|d| {
                (
                    AttrValue::from(d.to_string()),
                    AttrValue::from(crate::wording::day(d, texts)),
                )
            })
            .collect(),
        FieldName::CallbackWindow => match Day::parse(date) {
            Some(day) => config
                .business_hours
                .windows_on(day, now)
                .into_iter()
                .map(|w: Window| (AttrValue::from(w.to_string()), AttrValue::from(w.label())))
                .collect(),
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// "12 characters left." under a text field holding `len` characters, in the last
/// tenth before its limit.
fn chars_left(field: FieldName, len: usize, texts: &Texts) -> Option<String> {
    if !matches!(field.control(), Control::Text | Control::TextArea) {
        return None;
    }
    let max = field.max_chars();
    (len * 10 >= max * 9 && len <= max)
        .then(|| texts.fill(Key::CharsLeft, &[("n", &(max - len).to_string())]))
}
