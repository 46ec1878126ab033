//! Sending the form: from checked values to a signed payload in the outbox, and the
//! outbox's news back to the form (status, receipt; the DOM events go out page-wide,
//! from [`events`]).

use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use crate::captcha::CaptchaHook;
use crate::components::{button_id, Unlist};
use crate::config::Config;
use crate::consent::Purpose;
use crate::delivery::{Problem, Target};
use crate::events;
use crate::history::Given;
use crate::json::{ToJson, Writer};
use crate::messages::{Key, Texts};
use crate::notices::ShownNotice;
use crate::outbox::{self, Entry, Outcome, OutgoingWithdrawal, Report};
use crate::payload::{GuardianConsent, Payload, Rfc3339};
use crate::receipt::{Receipt, ReceiptLine};
use crate::signing::MessageId;
use crate::state::{Action, FormState, Phase, Withdraw};
use crate::validation::{check_all, clean_values};
use crate::withdrawal::Withdrawal;

/// Detail of `consent-form:submit`.
struct SubmitDetail<'a> {
    id: &'a str,
    form: &'a str,
}

impl ToJson for SubmitDetail<'_> {
    /// `{"id":…,"form":…}`.
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.key("id").string(self.id);
        w.key("form").string(self.form);
        w.end_object();
    }
}

/// The visitor's words for a delivery problem.
pub fn visitor_reason(problem: &Problem, texts: &Texts) -> String {
    match problem {
        Problem::Network(_) if offline() => texts.get(Key::ReasonOffline).to_owned(),
        Problem::Network(_)
        | Problem::Cors(_)
        | Problem::Timeout(_)
        | Problem::Status {
            status: 408 | 429 | 500..=599,
            ..
        } => texts.get(Key::ReasonServer).to_owned(),
        Problem::Status { status, .. } => {
            texts.fill(Key::ReasonRefused, &[("status", &status.to_string())])
        }
        Problem::Redirect => texts.fill(Key::ReasonRefused, &[("status", "3xx")]),
        Problem::Key(_) => texts.get(Key::ReasonKey).to_owned(),
        Problem::Browser(_) => texts.get(Key::ReasonBrowser).to_owned(),
    }
}

/// A form on this page: its host and configuration.
type OnPage = (web_sys::HtmlElement, Rc<Config>);

/// The held requests a mounted form lists or waits to list (`list`), by id; `None` once
/// the form has left its page.
type Watches = Rc<std::cell::RefCell<Option<Vec<String>>>>;

thread_local! {
    static TAB: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
    /// Settles once [`decide_tab`] has decided this tab's id.
    static DECIDING: std::cell::RefCell<Option<js_sys::Promise>> = const { std::cell::RefCell::new(None) };
    /// The forms on this page (while mounted): a request listed under a form of the other
    /// kind can lead to one.
    static FORMS: std::cell::RefCell<Vec<OnPage>> = const { std::cell::RefCell::new(Vec::new()) };
    /// The form whose lists (under the form) the visitor last pressed a button of: its
    /// configuration's address.
    static PRESSED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The visitor pressed a button of the lists under the form configured by `config`.
pub fn pressed_in_lists(config: &Rc<Config>) {
    PRESSED.with(|p| p.set(Rc::as_ptr(config) as usize));
}

/// Whether the form configured by `config` says what the outbox reports of a request it
/// lists. Every form of the page sending to its endpoint lists the same requests: one
/// says it — the one whose lists the visitor last pressed a button of, else the first
/// one shown — or two live regions would say it twice.
fn speaks(config: &Rc<Config>) -> bool {
    let pressed = PRESSED.with(std::cell::Cell::get);
    FORMS.with(|f| {
        let forms = f.borrow();
        let ours = forms
            .iter()
            .filter(|(host, c)| c.endpoint == config.endpoint && host.is_connected());
        ours.clone()
            .find(|(_, c)| Rc::as_ptr(c) as usize == pressed)
            .or_else(|| ours.clone().find(|(host, _)| host.offset_height() > 0))
            .is_none_or(|(_, c)| Rc::ptr_eq(c, config))
    })
}

/// A form of `kind` sending to `endpoint` on this page, if there is one.
pub fn form_on_page(kind: crate::fields::FormKind, endpoint: &str) -> Option<OnPage> {
    FORMS.with(|f| {
        f.borrow()
            .iter()
            .find(|(host, c)| c.kind == kind && c.endpoint == endpoint && host.is_connected())
            .cloned()
    })
}

/// Where this frame's tab id is kept in `sessionStorage`, so that a reload keeps it:
/// `consent-form:tab`, then in a frame its place in the frame tree (its index among its
/// parent's frames, up to the top: `window.parent` and its frames compare even across
/// origins). The same-origin frames of a tab share `sessionStorage`; each keeps its own
/// id, and a copy of the tab finds each frame's.
fn tab_key() -> String {
    let mut key = String::from("consent-form:tab");
    let mut here = web_sys::window();
    while let Some(frame) = here {
        here = frame.parent().ok().flatten().filter(|p| *p != frame);
        if let Some(parent) = &here {
            let me: &JsValue = frame.as_ref();
            let place = (0..parent.length())
                .position(|i| js_sys::Reflect::get_u32(parent, i).is_ok_and(|f| f == *me));
            key.push(':');
            key.push_str(&place.unwrap_or(usize::MAX).to_string());
        }
    }
    key
}

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// A new tab id, kept in `sessionStorage` (if it can be).
fn new_tab_id(storage: Option<&web_sys::Storage>) -> String {
    let bytes = crate::dom::random_bytes::<8>().unwrap_or_default();
    let mut id = String::with_capacity(16);
    crate::signing::push_hex(&mut id, &bytes);
    if let Some(storage) = storage {
        let _ = storage.set_item(&tab_key(), &id);
    }
    id
}

/// The tab id kept in `sessionStorage`, else a new one.
fn kept_tab_id() -> String {
    let storage = session();
    let stored = storage
        .as_ref()
        .and_then(|s| s.get_item(&tab_key()).ok().flatten());
    stored
        .filter(|id| !id.is_empty())
        .unwrap_or_else(|| new_tab_id(storage.as_ref()))
}

/// This tab's id, as [`decide_tab`] decided it. Asked before that (nothing does: the
/// forms wait for it), the one kept in `sessionStorage`, else a new one.
fn tab_id() -> String {
    TAB.with(|t| t.borrow_mut().get_or_insert_with(kept_tab_id).clone())
}

/// Decides this tab's id, once per page, before its forms first need it: the one kept
/// in `sessionStorage` — a reload keeps it — unless another page alive keeps its lock
/// (`locks::tab`): `sessionStorage` was copied from that page's tab (the browser's
/// "Duplicate tab", or `window.open` from it), so this tab takes a new id.
async fn decide_tab() {
    let deciding = DECIDING.with(|d| {
        d.borrow_mut()
            .get_or_insert_with(|| {
                let mut decided = None;
                let deciding = js_sys::Promise::new(&mut |resolve, _| decided = Some(resolve));
                wasm_bindgen_futures::spawn_local(async move {
                    let mut id = kept_tab_id();
                    // A page alive keeps it: a new one, free (twice, should random bytes
                    // fail and give the same).
                    for _ in 0..2 {
                        if outbox::locks::tab(&id).await {
                            break;
                        }
                        id = new_tab_id(session().as_ref());
                    }
                    // One asked for meanwhile (nothing does) stays.
                    TAB.with(|t| {
                        t.borrow_mut().get_or_insert(id);
                    });
                    if let Some(decided) = decided {
                        let _ = decided.call0(&JsValue::NULL);
                    }
                });
                deciding
            })
            .clone()
    });
    let _ = wasm_bindgen_futures::JsFuture::from(deciding).await;
}

/// Which form this is, in which tab: the outbox's reports go back to it alone, even
/// after a reload, and never to the same form open in another tab.
fn origin(config: &Config, host: Option<&web_sys::HtmlElement>) -> String {
    format!("{}|{}", tab_id(), crate::draft::origin(config, host))
}

fn offline() -> bool {
    web_sys::window().is_some_and(|w| !w.navigator().on_line())
}

/// Builds the payload from the state at the press and puts it in the outbox; the
/// outbox's reports (see [`use_outbox_reports`]) move the form on.
pub fn start(
    state: UseReducerHandle<FormState>,
    config: Rc<Config>,
    shown: Rc<Vec<Rc<ShownNotice>>>,
    host: Option<web_sys::HtmlElement>,
    captcha: Option<CaptchaHook>,
    started_ms: i64,
) {
    // One snapshot, taken at the press: the checks, the payload and the receipt all come
    // from it, whatever the visitor (or a script) changes during the wait below.
    let pressed = (*state).clone();
    wasm_bindgen_futures::spawn_local(async move {
        let texts = Texts::new(config.locale, config.texts.clone());
        let now = crate::dom::now_ms();
        let checks = check_all(&config, &texts, &pressed.values, pressed.minor, now);
        let Some(values) = clean_values(&checks) else {
            state.dispatch(Action::SubmitRefused);
            return;
        };
        let guardian = config.guardian && pressed.minor;
        if !pressed.consented(Purpose::Consultation.id()) || guardian && !pressed.guardian_agrees {
            state.dispatch(Action::SubmitRefused);
            return;
        }
        state.dispatch(Action::Phase(Phase::Sending));
        // Faster than a person can fill the form: wait out the rest, quietly.
        let elapsed = now.saturating_sub(started_ms);
        if elapsed < i64::from(config.min_fill_ms) {
            let wait = (i64::from(config.min_fill_ms) - elapsed) as u32;
            gloo::timers::future::TimeoutFuture::new(wait).await;
        }

        let fail = |reason: Key| {
            state.dispatch(Action::Phase(Phase::Failed {
                reason: texts.get(reason).to_owned(),
            }));
        };
        let Some(random) = crate::dom::random_bytes::<16>() else {
            return fail(Key::ReasonBrowser);
        };
        let id = MessageId::from_random(random);
        // The host's captcha token, asked for now that the form is complete (not for a
        // bot that filled the hidden field: it is sent nowhere).
        let mut token = None;
        if pressed.honeypot.is_empty() {
            let hook = CaptchaHook::for_press(captcha.as_ref(), host.as_ref());
            let got = match hook {
                Ok(Some(hook)) => hook
                    .token(id.as_str(), config.kind.as_str())
                    .await
                    .map(Some),
                other => other.map(|_| None),
            };
            match got {
                Ok(got) => token = got,
                Err(why) => {
                    const SAID: &str = "consent-form: nothing was sent: ";
                    let said = format!("{SAID}{why}");
                    web_sys::console::error_1(&said.as_str().into());
                    // The event's reason is what went wrong, as other failures give it.
                    let detail = events::Failure {
                        id: None,
                        reason: said.get(SAID.len()..).unwrap_or(&said),
                        will_retry: false,
                    };
                    events::dispatch(host.as_ref(), "consent-form:error", &detail);
                    return fail(Key::ReasonCaptcha);
                }
            }
        }
        let sent_ms = crate::dom::now_ms();
        let offset = -(js_sys::Date::new_0().get_timezone_offset() as i32);
        let Ok(at) = Rfc3339::from_unix_millis(sent_ms, offset) else {
            return fail(Key::ReasonBrowser);
        };

        let mut payload = Payload::new(id.clone(), config.kind, at.clone(), config.locale);
        for (field, value) in values {
            if !value.is_empty() {
                payload.fields.insert(field, value);
            }
        }
        let policy = config.policy();
        let mut lines = Vec::new();
        for shown in shown.iter() {
            let granted = pressed.consented(shown.notice.purpose.id());
            payload.push_consent(&shown.notice, &policy, granted);
            lines.push(ReceiptLine {
                purpose: shown.notice.purpose.id().to_owned(),
                sentence: shown.sentence.clone(),
                granted,
            });
        }
        if guardian {
            let text = texts.fill(Key::GuardianText, &[("controller", &config.controller)]);
            payload.guardian = Some(GuardianConsent::new(text));
        }
        payload.captcha = token;
        let body = payload.to_json();
        let receipt = Receipt {
            id: id.as_str().to_owned(),
            submitted_at: at.as_str().to_owned(),
            form: config.kind,
            controller: config.controller.clone(),
            policy_url: config.policy_url.clone(),
            policy_version: config.policy_version.clone(),
            lines,
            body,
        };
        if !pressed.honeypot.is_empty() {
            // A bot filled the hidden field: it sees success, the backend sees nothing.
            state.dispatch(Action::Phase(Phase::Done(Rc::new(receipt))));
            return;
        }
        events::dispatch(
            host.as_ref(),
            "consent-form:submit",
            &SubmitDetail {
                id: id.as_str(),
                form: config.kind.as_str(),
            },
        );
        decide_tab().await;
        let origin = origin(&config, host.as_ref());
        let target = Target {
            endpoint: config.endpoint.clone(),
            key: config.key.clone(),
            timeout_ms: config.timeout_ms,
        };
        let mut entry = Entry::new(origin, config.kind, &target, receipt);
        // Where the host takes withdrawals, the device keeps what was agreed, once
        // delivered, so that the visitor can withdraw later (`history`).
        entry.remember = config.withdraw_endpoint.is_some();
        // Its events come from this host even if the page destroys the form meanwhile.
        events::made_here(id.as_str(), host.as_ref());
        // It replaces what this form held: its own refused submission, or one put back.
        outbox::drop_held(&entry.origin);
        put(entry);
    });
}

/// The time now with the offset of the visitor's clock.
fn now_here() -> Option<Rfc3339> {
    let offset = -(js_sys::Date::new_0().get_timezone_offset() as i32);
    Rfc3339::from_unix_millis(crate::dom::now_ms(), offset).ok()
}

/// Withdraws the consent of `line` on `receipt`: a signed withdrawal in the outbox, to
/// the `withdraw-endpoint`; the outbox's reports (see [`use_outbox_reports`]) move the
/// line on.
pub fn withdraw(
    state: UseReducerHandle<FormState>,
    config: &Config,
    receipt: &Receipt,
    line: &ReceiptLine,
    host: Option<&web_sys::HtmlElement>,
) {
    let Some(endpoint) = config.withdraw_endpoint.clone() else {
        return;
    };
    let texts = Texts::new(config.locale, config.texts.clone());
    let set = |to| {
        state.dispatch(Action::Withdraw(
            receipt.id.clone(),
            line.purpose.clone(),
            Some(to),
        ))
    };
    let made = (|| {
        let id = MessageId::from_random(crate::dom::random_bytes::<16>()?);
        let at = now_here()?;
        let text = crate::components::withdraw_question(&texts, &config.controller, line);
        let body = Withdrawal::new(
            id.clone(),
            MessageId::parse(&receipt.id).ok()?,
            Purpose::parse(&line.purpose).ok()?,
            at.clone(),
            config.locale,
            text,
        )
        .to_json();
        Some(OutgoingWithdrawal {
            id: id.as_str().to_owned(),
            purpose: line.purpose.clone(),
            withdrawn_at: at.as_str().to_owned(),
            body,
        })
    })();
    let Some(withdrawal) = made else {
        return set(Withdraw::Failed(texts.get(Key::ReasonBrowser).to_owned()));
    };
    // The submission it withdraws from, named without its lines and body.
    let mut named = receipt.clone();
    named.lines = Vec::new();
    named.body = String::new();
    let target = Target {
        endpoint,
        key: config.key.clone(),
        timeout_ms: config.timeout_ms,
    };
    let mut entry = Entry::new(origin(config, host), config.kind, &target, named);
    events::made_here(&withdrawal.id, host);
    entry.withdrawal = Some(withdrawal);
    set(Withdraw::Sending);
    put(entry);
}

/// Puts `entry` in the outbox and tries it now. If storage is unavailable it lives in
/// memory for this page (said on the console).
fn put(entry: Entry) {
    if let Err(why) = outbox::put(entry) {
        web_sys::console::warn_1(&format!("consent-form: {why}").into());
    }
    outbox::flush();
}

/// Why the backend refused for good, in the visitor's words, and in its own when it
/// gave them.
pub fn refusal(problem: &Problem, texts: &Texts) -> String {
    match problem {
        Problem::Status {
            detail: Some(said), ..
        } => format!("{} — {said}", visitor_reason(problem, texts)),
        _ => visitor_reason(problem, texts),
    }
}

/// Whether `entry` is listed under this form (origin `origin`): a submission to its
/// endpoint that no form on this page shows — made in a tab since closed, or in another
/// tab (this form shows its own in its status line, another form here its own).
fn listed_here(entry: &Entry, config: &Config, origin: &str) -> bool {
    entry.withdrawal.is_none()
        && entry.endpoint == config.endpoint
        && entry.origin != origin
        && !events::claimed(&entry.origin)
}

/// Lists `entry` under the form of `origin`, the live region saying `said`. A held one
/// (not sent) only once no form holding it is alive in another tab — its lock is free
/// and stays free a moment (a reload takes it again): that tab closed, crashed or went
/// elsewhere — read afresh then, as it may have changed or left meanwhile; a form
/// showing it would otherwise have it listed twice. Listed, it is looked at again when
/// another tab takes a lock (`locks::nap`), else every few seconds: a form that shows it
/// again (a page back from the back/forward cache, a reload slower than the grace) takes
/// it out of the list until that form goes too.
fn list(
    state: &UseReducerHandle<FormState>,
    config: &Rc<Config>,
    origin: &str,
    entry: Entry,
    said: String,
    watches: &Watches,
) {
    if entry.held_ms == 0.0 {
        return state.dispatch(Action::Waiting(entry, said));
    }
    let id = entry.receipt.id;
    // One watch per form and request (it reads the request afresh each time).
    match watches.borrow_mut().as_mut() {
        Some(ids) if !ids.contains(&id) => ids.push(id.clone()),
        _ => return,
    }
    let (state, config, origin, watches) = (
        state.clone(),
        config.clone(),
        origin.to_owned(),
        watches.clone(),
    );
    wasm_bindgen_futures::spawn_local(async move {
        let mut said = said;
        // The form whose lock was found free, and whether the request is listed now.
        let mut waited = None;
        let mut listed = false;
        // While this form is on its page and the request is one for its list.
        while let Some(entry) = outbox::read(&id)
            .filter(|e| watches.borrow().is_some() && listed_here(e, &config, &origin))
        {
            if entry.held_ms == 0.0 {
                // Waiting to be sent (sent anew): listed as such.
                state.dispatch(Action::Waiting(entry, said));
                break;
            }
            if waited.as_ref() != Some(&entry.origin) {
                outbox::locks::gone(&entry.origin).await;
                waited = Some(entry.origin);
                continue;
            }
            if !listed {
                state.dispatch(Action::Waiting(entry.clone(), std::mem::take(&mut said)));
                listed = true;
            }
            // Five seconds, or less: a lock taken in another tab (or the outbox changed).
            outbox::locks::nap().await;
            // Its form is back: out of the list until that form goes.
            if outbox::locks::alive(waited.as_deref().unwrap_or_default()).await {
                let texts = Texts::new(config.locale, config.texts.clone());
                let time = crate::wording::receipt_time(&entry.receipt, &texts);
                let said = match speaks(&config) {
                    true => texts.fill(Key::UnsentReopened, &[("time", &time)]),
                    false => String::new(),
                };
                state.dispatch(Action::Left(id.clone(), said));
                (waited, listed) = (None, false);
            }
        }
        if let Some(ids) = watches.borrow_mut().as_mut() {
            ids.retain(|i| *i != id);
        }
    });
}

/// Moves the list of requests under the form on when the outbox reports on one made
/// elsewhere: its line follows its tries; refused for good, it stays, as not sent;
/// delivered, deleted or replaced, it leaves the list. The live region says what became
/// of it (a delivered one now shows among the consents given).
fn elsewhere_reported(
    state: &UseReducerHandle<FormState>,
    config: &Rc<Config>,
    origin: &str,
    texts: &Texts,
    report: &Report,
    watches: &Watches,
) {
    let entry = &report.entry;
    let time = crate::wording::receipt_time(&entry.receipt, texts);
    let said = match &report.outcome {
        // Not when it has left meanwhile (another tab's late word on it). Why it still
        // waits: said in answer to "send now" (by the form pressed in: `Action::Waiting`).
        Outcome::Waiting { problem } if outbox::holds(entry.id()) => texts.fill(
            Key::WaitingReason,
            &[("reason", &visitor_reason(problem, texts))],
        ),
        Outcome::Waiting { .. } => return,
        _ if !speaks(config) => String::new(),
        Outcome::Sent(_) => texts.fill(Key::WaitingSent, &[("time", &time)]),
        Outcome::Refused { problem } => texts.fill(
            Key::WaitingRefused,
            &[
                ("time", &time),
                ("reason", &refusal(problem, texts)),
                ("controller", &entry.receipt.controller),
            ],
        ),
        Outcome::Removed {} => String::new(),
    };
    match &report.outcome {
        Outcome::Waiting { .. } | Outcome::Refused { .. } => {
            list(state, config, origin, entry.clone(), said, watches)
        }
        _ => state.dispatch(Action::Left(entry.id().to_owned(), said)),
    }
}

/// The visitor pressed a button on `entry`, listed under the form; the live region
/// says what was done. Returns the id of what takes focus.
///
/// Deleted, it leaves the outbox; focus goes to the live region. Put back (same kind)
/// while the form holds something else the visitor typed: the line asks whether to
/// replace it, focus on "keep what I typed" (which puts focus back on "put back").
/// Put back, or replaced as asked: its fields fill the form, no box ticked, and if it
/// was refused the status line says why; the outbox holds it for this form until the
/// form sends (so the old one is never sent as well) — or, if the page closes first,
/// lists it again under the forms. Focus goes to the first field.
pub fn unlist(
    state: &UseReducerHandle<FormState>,
    config: &Config,
    texts: &Texts,
    host: Option<&web_sys::HtmlElement>,
    (entry, act): (Entry, Unlist),
) -> String {
    let id = entry.id();
    // To the form of its kind on this page: its own "put back", else its first field.
    if act == Unlist::GoTo {
        if let Some((host, other)) = form_on_page(entry.receipt.form, &config.endpoint) {
            let first = other.fields.first().map_or("", |(f, _)| f.as_str());
            let target = host.shadow_root().and_then(|root| {
                root.get_element_by_id(&button_id(Unlist::PutBack, id))
                    .or_else(|| root.get_element_by_id(&["cf-", first].concat()))
            });
            if let Some(target) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = target.focus();
            }
        }
        return String::new();
    }
    let values = crate::draft::values_of(config, &entry.receipt);
    // Something typed that putting it back would lose (not once sent: a receipt shows).
    let typed = || {
        !matches!(state.phase, Phase::Done(_))
            && state
                .values
                .iter()
                .any(|(field, v)| !v.is_empty() && values.get(&field) != Some(v))
    };
    match act {
        Unlist::Keep => {
            state.dispatch(Action::Ask(String::new()));
            return button_id(Unlist::PutBack, id);
        }
        Unlist::PutBack if typed() => {
            state.dispatch(Action::Ask(id.to_owned()));
            return button_id(Unlist::Keep, id);
        }
        _ => {}
    }
    let put_back = act != Unlist::Delete;
    let time = crate::wording::receipt_time(&entry.receipt, texts);
    let key = match put_back {
        true => Key::UnsentPutBackDone,
        false => Key::UnsentDeleted,
    };
    // Gone meanwhile (delivered, or deleted in another tab): it only leaves the list.
    let gone = !outbox::holds(id);
    let said = match gone {
        true => String::new(),
        false => texts.fill(key, &[("time", &time)]),
    };
    // Said before the outbox tells this page's forms that it left their lists.
    state.dispatch(Action::Left(id.to_owned(), said));
    if !put_back || gone {
        outbox::delete(id);
        return "cf-waiting-news".to_owned();
    }
    if let Some((taken, released)) = outbox::take(id, &origin(config, host)) {
        for entry in released {
            state.dispatch(Action::Waiting(entry, String::new()));
        }
        let phase = match &taken.last_problem {
            Some(problem) => Phase::Failed {
                reason: refusal(problem, texts),
            },
            None => Phase::Editing,
        };
        state.dispatch(Action::Reset(values, phase));
    }
    let first = config.fields.first().map_or("", |(f, _)| f.as_str());
    ["cf-", first].concat()
}

/// Moves a withdrawal's line on when the outbox reports on it.
fn withdrawal_reported(
    state: &UseReducerHandle<FormState>,
    texts: &Texts,
    report: &Report,
    w: &OutgoingWithdrawal,
) {
    let submission_id = &report.entry.receipt.id;
    let to = match &report.outcome {
        Outcome::Sent(_) => Withdraw::Done {
            at: w.withdrawn_at.clone(),
            body: w.body.clone(),
        },
        Outcome::Waiting { problem } => Withdraw::Queued(visitor_reason(problem, texts)),
        Outcome::Removed {} => return,
        Outcome::Refused { problem } => {
            // A 409: the consent is no longer active (withdrawn in another tab, or
            // through the controller), said in the visitor's language. Otherwise why, in
            // the backend's words when it gave them.
            let reason = match problem {
                Problem::Status { status: 409, .. } => texts.get(Key::WithdrawNotActive).to_owned(),
                _ => refusal(problem, texts),
            };
            Withdraw::Failed(reason)
        }
    };
    state.dispatch(Action::Withdraw(
        submission_id.clone(),
        w.purpose.clone(),
        Some(to),
    ));
}

/// Moves the form on when the outbox reports on one of its submissions — including
/// ones made before a reload. The DOM events are not dispatched here but page-wide
/// ([`events`]), so that they go out even once this form is gone; this form claims
/// those of its submissions made before a reload.
///
/// The outbox is installed, and looked through for this form's waiting submissions, in
/// a task after the first render: that reads both storages (opening `sessionStorage`
/// alone takes milliseconds), and the form can be shown and typed in meanwhile.
#[hook]
pub fn use_outbox_reports(
    state: UseReducerHandle<FormState>,
    config: Rc<Config>,
    host: Option<web_sys::HtmlElement>,
) {
    use_effect_with((config, host), move |(config, host)| {
        let on_page = host.clone().map(|host| (host, config.clone()));
        if let Some(form) = &on_page {
            FORMS.with(|f| f.borrow_mut().push(form.clone()));
        }
        // Computed once, by the later task or by the first report, whichever comes first.
        let origin: Rc<std::cell::OnceCell<String>> = Rc::default();
        let texts = Rc::new(Texts::new(config.locale, config.texts.clone()));
        let hold: Rc<std::cell::RefCell<Option<outbox::locks::Hold>>> = Rc::default();
        let watches: Watches = Rc::new(std::cell::RefCell::new(Some(Vec::new())));
        let later = {
            let (state, config, host, origin, texts, hold, watches) = (
                state.clone(),
                config.clone(),
                host.clone(),
                origin.clone(),
                texts.clone(),
                hold.clone(),
                watches.clone(),
            );
            // Once this tab's id is decided (a duplicated tab takes a new one); not once
            // the form has left its page.
            let read = move || {
                if watches.borrow().is_none() {
                    return;
                }
                outbox::install();
                let origin = origin.get_or_init(|| self::origin(&config, host.as_ref()));
                let entries = outbox::entries();
                // Held while this form is here: another tab then lists none it holds.
                *hold.borrow_mut() = outbox::locks::hold(origin);
                for entry in entries.iter().filter(|e| listed_here(e, &config, origin)) {
                    list(
                        &state,
                        &config,
                        origin,
                        entry.clone(),
                        String::new(),
                        &watches,
                    );
                }
                if config.withdraw_endpoint.is_some() {
                    show_given(&state, &config, &entries, &texts);
                }
                // Submissions only (withdrawals are shown with the consents given). One
                // held (refused for good, or put back into this form) is shown as it
                // was: what was typed in the fields (the draft's, else as sent) and why
                // it was refused; one waiting, as saved and to be sent.
                let own = |e: &Entry| &e.origin == origin && e.withdrawal.is_none();
                if let Some(entry) = entries.iter().rev().find(|e| own(e) && e.held_ms != 0.0) {
                    let values = crate::draft::values_of(&config, &entry.receipt);
                    state.dispatch(Action::Restore(values));
                    if let Some(problem) = &entry.last_problem {
                        state.dispatch(Action::Phase(Phase::Failed {
                            reason: refusal(problem, &texts),
                        }));
                    }
                }
                let waiting: Vec<_> = entries
                    .into_iter()
                    .filter(|e| own(e) && e.held_ms == 0.0)
                    .collect();
                if let Some(entry) = waiting.last() {
                    state.dispatch(Action::ShowWaiting(Rc::new(entry.receipt.clone())));
                    let key = if offline() {
                        Key::ReasonOffline
                    } else {
                        Key::ReasonServer
                    };
                    state.dispatch(Action::Phase(Phase::Queued {
                        reason: texts.get(key).to_owned(),
                        this_page_only: waiting
                            .iter()
                            .any(|e| outbox::kept_by_this_page_only(e.id())),
                    }));
                }
            };
            gloo::timers::callback::Timeout::new(0, move || {
                wasm_bindgen_futures::spawn_local(async move {
                    decide_tab().await;
                    read();
                })
            })
        };
        let claim = {
            let (origin, config, host) = (origin.clone(), config.clone(), host.clone());
            events::claim(host.clone(), move |theirs| {
                theirs == origin.get_or_init(|| self::origin(&config, host.as_ref()))
            })
        };
        let (config, host, listing) = (config.clone(), host.clone(), watches.clone());
        let subscription = outbox::subscribe(move |report: &Report| {
            let origin = origin.get_or_init(|| self::origin(&config, host.as_ref()));
            let ours = &report.entry.origin == origin;
            // A delivery changes the device's list of consents given (the outbox has
            // written it): read it afresh.
            if config.withdraw_endpoint.is_some() && matches!(report.outcome, Outcome::Sent(_)) {
                state.dispatch(Action::Given(given(&config)));
            }
            // A withdrawal's line follows it wherever it shows, this form's or not.
            if let Some(w) = &report.entry.withdrawal {
                return withdrawal_reported(&state, &texts, report, w);
            }
            if !ours {
                if listed_here(&report.entry, &config, origin) {
                    elsewhere_reported(&state, &config, origin, &texts, report, &listing);
                }
                return;
            }
            let id = report.entry.id();
            match &report.outcome {
                Outcome::Sent(_) => {
                    state.dispatch(Action::Phase(Phase::Done(Rc::new(
                        report.entry.receipt.clone(),
                    ))));
                }
                Outcome::Waiting { problem } => {
                    state.dispatch(Action::Phase(Phase::Queued {
                        reason: visitor_reason(problem, &texts),
                        this_page_only: outbox::kept_by_this_page_only(id),
                    }));
                }
                Outcome::Refused { problem } => {
                    state.dispatch(Action::Phase(Phase::Failed {
                        reason: refusal(problem, &texts),
                    }));
                }
                Outcome::Removed {} => {}
            }
        });
        move || {
            drop(later);
            drop(claim);
            drop(subscription);
            hold.take();
            // Its watches end.
            watches.take();
            if let Some((host, config)) = on_page {
                FORMS.with(|f| {
                    f.borrow_mut()
                        .retain(|(h, c)| *h != host || !Rc::ptr_eq(c, &config))
                });
            }
        }
    });
}

/// The submissions sent from this device to this form's endpoint, newest first.
fn given(config: &Config) -> Rc<Vec<Given>> {
    Rc::new(
        crate::history::storage::load()
            .sent_to(&config.endpoint)
            .cloned()
            .collect(),
    )
}

/// Shows the consents given from this device, and where each withdrawal still in the
/// outbox (made before a reload, or on another page) stands.
fn show_given(
    state: &UseReducerHandle<FormState>,
    config: &Config,
    entries: &[Entry],
    texts: &Texts,
) {
    let given = given(config);
    for entry in entries {
        let Some(w) = &entry.withdrawal else { continue };
        if !given.iter().any(|g| g.receipt.id == entry.receipt.id) {
            continue;
        }
        let to = match &entry.last_problem {
            Some(problem) => Withdraw::Queued(visitor_reason(problem, texts)),
            None => Withdraw::Sending,
        };
        state.dispatch(Action::Withdraw(
            entry.receipt.id.clone(),
            w.purpose.clone(),
            Some(to),
        ));
    }
    state.dispatch(Action::Given(given));
}
