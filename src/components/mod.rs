//! The Yew components that make up the form. One component per file.

mod app;
mod config_error;
mod consent_item;
mod error_summary;
mod field;
mod form;
mod receipt;
mod status_line;

pub use app::{App, AppProps};
pub use config_error::config_error;
pub use consent_item::{consent_item, ConsentItemProps};
pub use error_summary::error_summary;
pub use field::{form_field, FieldProps};
pub use form::{ConsentForm, ConsentFormProps};
pub use receipt::receipt_view;
pub use status_line::status_line;
