//! What the form is made of, one part per file: the components that keep state or
//! run effects (`App`, `ConsentForm`) and the views that only turn their
//! arguments into HTML (a field, a consent, the error summary, the receipt, the
//! consents given on this device, the requests waiting to be sent, the status line, the configuration error), which are plain functions returning
//! `Html`: a component brings its own copy of Yew's component machinery into the
//! wasm, about 1 KB gzip each.

mod app;
mod config_error;
mod consent_item;
mod error_summary;
mod field;
mod form;
mod guardian;
mod history;
mod receipt;
mod status_line;
mod waiting;

pub use app::{App, AppProps};
pub use config_error::config_error;
pub use consent_item::{consent_item, details_summary, ConsentItemProps};
pub use error_summary::error_summary;
pub use field::{form_field, no_days_view, FieldProps};
pub use form::{ConsentForm, ConsentFormProps};
pub use guardian::{guardian_view, GuardianProps};
pub use history::history_view;
pub use receipt::{
    other_lang, receipt_view, withdraw_question, withdraw_view, Press, Pressed, Withdrawals,
};
pub use status_line::status_line;
pub use waiting::{button_id, waiting_view, Unlist, WaitingProps};
