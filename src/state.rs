//! The form's state and the actions that change it (a Yew [`Reducible`]).

use std::rc::Rc;

use yew::Reducible;

use crate::config::ByName;
use crate::fields::{FieldName, FieldSet, FieldValues};
use crate::history::Given;
use crate::outbox::Entry;
use crate::receipt::Receipt;
use crate::withdrawal;

/// Where the form stands in its life.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    /// The visitor is filling it in.
    Editing,
    /// The submission is on its way.
    Sending,
    /// Not sent yet; saved on this device and retried automatically.
    Queued {
        /// Why it is not sent yet, for the visitor.
        reason: String,
        /// The browser would not store it (storage disabled or full): only this page
        /// keeps it, so the visitor must keep the page open.
        this_page_only: bool,
    },
    /// Refused for good by the backend, or could not even be saved.
    Failed {
        /// Why, for the visitor.
        reason: String,
    },
    /// Accepted by the backend: the receipt is shown.
    Done(Rc<Receipt>),
}

/// Where the withdrawal of one consent stands: on the receipt, or on a submission in
/// the list of consents given on this device.
#[derive(Clone, Debug, PartialEq)]
pub enum Withdraw {
    /// The question is shown, with confirm and cancel.
    Confirming,
    /// On its way.
    Sending,
    /// Not sent yet; kept in the outbox and retried. Why, for the visitor.
    Queued(String),
    /// Refused for good. Why, for the visitor.
    Failed(String),
    /// Accepted.
    Done {
        /// When the visitor confirmed, RFC 3339.
        at: String,
        /// The exact body sent.
        body: String,
    },
}

/// Everything the visitor has done so far.
#[derive(Clone, Debug, PartialEq)]
pub struct FormState {
    /// What was typed or chosen, NFC-normalized, keyed by field.
    pub values: FieldValues,
    /// Fields the visitor has left at least once: their errors show.
    pub touched: FieldSet,
    /// The consent boxes ticked, by purpose id. Absent means unticked.
    pub consents: ByName<bool>,
    /// The consents whose notice the visitor has opened, by purpose id: the notice's
    /// details are built from then on (closed, they are never seen).
    pub opened: ByName<bool>,
    /// The visitor said they are under 16 (where the host asks for a guardian).
    pub minor: bool,
    /// Their parent or guardian ticked their own agreement.
    pub guardian_agrees: bool,
    /// How many times the visitor pressed submit while something was wrong.
    pub failed_submits: u32,
    /// The anti-spam field people never see.
    pub honeypot: String,
    /// Where the form stands.
    pub phase: Phase,
    /// The withdrawals made on this page, by [`withdrawal::key`].
    pub withdrawals: ByName<Withdraw>,
    /// The [`withdrawal::key`] of the withdrawal the visitor pressed a button of last, in
    /// this form: the live region speaks of it (not of one pressed in another form
    /// listing the same consents, whose own live region speaks of it).
    pub withdrawn_last: String,
    /// The submissions sent from this device to this form's endpoint, newest first
    /// (kept where the host takes withdrawals; see [`crate::history`]).
    pub given: Rc<Vec<Given>>,
    /// The submissions to this form's endpoint in the outbox that no form on this page
    /// shows (made in a tab since closed, or in another tab), oldest first: waiting to
    /// be sent, or held (not sent: refused for good, or put back into a form since closed).
    pub waiting: Rc<Vec<Entry>>,
    /// The visitor pressed "send now", and no word on the list has come since.
    pub sending_now: bool,
    /// What became of the listed requests since the visitor last pressed a button of the
    /// lists, for the live region: one item a line, so that a new one is said alone.
    pub waiting_news: String,
    /// The listed request whose "put back" asks first whether to replace what the
    /// visitor typed in the form (its id), or empty.
    pub asking: String,
}

impl Default for FormState {
    fn default() -> Self {
        FormState {
            values: FieldValues::new(),
            touched: FieldSet::new(),
            consents: ByName::new(),
            opened: ByName::new(),
            minor: false,
            guardian_agrees: false,
            failed_submits: 0,
            honeypot: String::new(),
            phase: Phase::Editing,
            withdrawals: ByName::new(),
            withdrawn_last: String::new(),
            given: Rc::default(),
            waiting: Rc::default(),
            sending_now: false,
            waiting_news: String::new(),
            asking: String::new(),
        }
    }
}

impl FormState {
    /// The value of `field`, empty if none.
    pub fn value(&self, field: FieldName) -> &str {
        self.values.get(&field).map(String::as_str).unwrap_or("")
    }

    /// Whether the box for `purpose` is ticked.
    pub fn consented(&self, purpose: &str) -> bool {
        self.consents.get(purpose).copied().unwrap_or(false)
    }

    /// Whether errors for `field` are shown yet.
    pub fn shows_errors(&self, field: FieldName) -> bool {
        self.failed_submits > 0 || self.touched.contains(&field)
    }
}

/// Something the visitor or the delivery did.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// The visitor typed or chose a value.
    Input(FieldName, String),
    /// The visitor left a field; `cleaned` replaces the value (e.g. a national-format number).
    Leave(FieldName, Option<String>),
    /// The visitor ticked or unticked a consent.
    Consent(String, bool),
    /// The visitor ticked or unticked "I am under 16".
    Minor(bool),
    /// The parent or guardian ticked or unticked their agreement.
    GuardianAgrees(bool),
    /// The visitor opened the notice of a consent, by purpose id.
    OpenNotice(String),
    /// Something typed into the hidden anti-spam field.
    Honeypot(String),
    /// Submit was pressed with problems left.
    SubmitRefused,
    /// The delivery moved on.
    Phase(Phase),
    /// A fresh form standing at `.1`, its fields holding `.0` and no box ticked: empty
    /// after a receipt; a request put back into the form, with why it was refused. The
    /// withdrawals and the lists under the form stay.
    Reset(FieldValues, Phase),
    /// The withdrawal of purpose `.1` in submission `.0` moved on: it is now `.2`
    /// (`None`: back to the button).
    Withdraw(String, String, Option<Withdraw>),
    /// The visitor pressed a button of the withdrawal of key `.0` in this form.
    WithdrawPressed(String),
    /// The submissions given on this device, read afresh.
    Given(Rc<Vec<Given>>),
    /// The draft saved before a reload: it fills the fields the visitor has not
    /// filled in meanwhile.
    Restore(FieldValues),
    /// A submission made before a reload still waits in the outbox: the boxes show what
    /// it carries (the draft keeps only what was typed).
    ShowWaiting(Rc<Receipt>),
    /// A submission in the outbox for this form's endpoint, made elsewhere: listed, or
    /// its line updated; `.1` said (if not empty).
    Waiting(Entry, String),
    /// The visitor pressed a button of the lists under the form: what their live region
    /// said goes. `true`: "send now", each listed submission is being tried.
    ListPressed(bool),
    /// Submission `.0` left the outbox: out of the list, and `.1` said (if it was listed).
    Left(String, String),
    /// "Put back" on listed request `.0` asks whether to replace what the form holds
    /// (empty: the question goes).
    Ask(String),
}

impl Reducible for FormState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Input(field, value) => {
                next.values.insert(field, value);
                // Choosing another day may drop the chosen window: it is re-checked.
            }
            Action::Leave(field, cleaned) => {
                next.touched.insert(field);
                // A leave that waited for the click on Send (dom::after_press) does not
                // rewrite what is being sent.
                if let Some(cleaned) = cleaned.filter(|_| matches!(next.phase, Phase::Editing)) {
                    next.values.insert(field, cleaned);
                }
            }
            Action::Consent(purpose, ticked) => {
                next.consents.insert(purpose, ticked);
            }
            Action::Minor(ticked) => next.minor = ticked,
            Action::GuardianAgrees(ticked) => next.guardian_agrees = ticked,
            Action::OpenNotice(purpose) => {
                next.opened.insert(purpose, true);
            }
            Action::Honeypot(value) => next.honeypot = value,
            Action::SubmitRefused => next.failed_submits += 1,
            // Sending (or what comes of it) closes the question of a "put back".
            Action::Phase(phase) => {
                next.phase = phase;
                next.asking.clear();
            }
            Action::Reset(values, phase) => {
                next = FormState {
                    // A guardian's name put back: the visitor said they are under 16.
                    minor: values.contains_key(&FieldName::GuardianName),
                    values,
                    phase,
                    withdrawals: next.withdrawals,
                    withdrawn_last: next.withdrawn_last,
                    given: next.given,
                    waiting: next.waiting,
                    sending_now: next.sending_now,
                    waiting_news: next.waiting_news,
                    ..FormState::default()
                }
            }
            Action::Withdraw(submission, purpose, to) => {
                let key = withdrawal::key(&submission, &purpose);
                match to {
                    Some(to) => {
                        next.withdrawals.insert(key.clone(), to);
                    }
                    None => {
                        next.withdrawals.remove(&key);
                    }
                }
            }
            Action::WithdrawPressed(key) => next.withdrawn_last = key,
            Action::Given(given) => next.given = given,
            Action::Waiting(entry, said) => {
                let held = entry.held_ms != 0.0;
                let list = Rc::make_mut(&mut next.waiting);
                match list.iter_mut().find(|e| e.id() == entry.id()) {
                    Some(slot) => *slot = entry,
                    // Oldest first, whenever each comes (a held one once it is free).
                    None => {
                        let at = list.partition_point(|e| e.created_ms <= entry.created_ms);
                        list.insert(at, entry)
                    }
                }
                // Why one still waits is said only in answer to "send now".
                if std::mem::take(&mut next.sending_now) || held {
                    say(&mut next.waiting_news, said);
                }
            }
            Action::ListPressed(send) => {
                next.sending_now = send;
                next.waiting_news.clear();
            }
            Action::Left(id, said) => {
                let list = Rc::make_mut(&mut next.waiting);
                let before = list.len();
                list.retain(|e| e.id() != id);
                if list.len() != before {
                    say(&mut next.waiting_news, said);
                }
                if next.asking == id {
                    next.asking.clear();
                }
            }
            Action::Ask(id) => next.asking = id,
            Action::ShowWaiting(receipt) => {
                for line in &receipt.lines {
                    next.consents.insert(line.purpose.clone(), line.granted);
                }
                let guardian = receipt.guardian().is_some();
                next.minor = guardian;
                next.guardian_agrees = guardian;
            }
            Action::Restore(values) => {
                for (field, value) in values {
                    if next.values.get(&field).is_none_or(|v| v.is_empty()) {
                        next.values.insert(field, value);
                    }
                }
            }
        }
        Rc::new(next)
    }
}

/// Adds `said` (if any, and unless it was just said) to what the lists' live region says,
/// on a line of its own.
fn say(news: &mut String, said: String) {
    if !said.is_empty() && !news.ends_with(&said) {
        if !news.is_empty() {
            news.push('\n');
        }
        news.push_str(&said);
    }
}
