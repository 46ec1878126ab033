//! The draft: what the visitor typed, kept across a reload in `sessionStorage` (this
//! tab only, gone when it closes) until the form is sent, as a JSON object of field
//! names (the [`FieldValues`]' JSON). Consents are not kept: after a reload the
//! visitor ticks them again.
//!
//! This is the pure part: reading that text back, however it was changed, and fitting
//! what is read (or what an outbox entry's body holds) to a form. The browser part,
//! `draft/browser.rs`, keeps it (built with the `ui` feature).

use crate::config::Config;
use crate::fields::{FieldName, FieldValues};
use crate::json::Json;
use crate::receipt::Receipt;

#[cfg(feature = "ui")]
mod browser;
#[cfg(feature = "ui")]
pub(crate) use browser::{key, origin, use_draft};

/// Reads a stored draft back ([`values_in`]); `None` if the text is not a JSON object.
#[inline] // one caller in the browser: inlined there, as when it was private
pub fn parse(text: &str) -> Option<FieldValues> {
    values_in(&crate::json::parse(text).ok()?)
}

/// The values of a JSON object of field names: keys this version does not know, or
/// values that are not text, are left out.
pub fn values_in(json: &Json) -> Option<FieldValues> {
    let members = json.object("").ok()?.members();
    let values = members
        .iter()
        .filter_map(|(name, value)| Some((FieldName::parse(name)?, value.as_str()?.to_owned())))
        .collect();
    Some(values)
}

/// What was typed into the form that made `receipt`, as sent (the body's `fields`), as
/// the form of `config` shows it ([`fit`]).
pub fn values_of(config: &Config, receipt: &Receipt) -> FieldValues {
    let body = crate::json::parse(&receipt.body).ok();
    let values = body
        .as_ref()
        .and_then(|b| values_in(b.object("").ok()?.get("fields")?));
    fit(config, values.unwrap_or_default())
}

/// `values` with a chosen industry as the option that stands for it in `config`
/// ([`Config::industry_option`]: the same line in the language switched to), or none:
/// never as a value the select cannot show.
pub fn fit(config: &Config, mut values: FieldValues) -> FieldValues {
    if let Some(industry) = values.get_mut(&FieldName::Industry) {
        *industry = config
            .industry_option(industry)
            .unwrap_or_default()
            .to_owned();
    }
    values
}
