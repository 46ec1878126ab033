//! # consent-form
//!
//! A drop-in contact and callback form for Vietnamese websites, compiled to
//! WebAssembly: it validates Vietnamese phone numbers and e-mail addresses, asks for
//! a separate consent per purpose, and posts a signed payload to the host's backend.
//!
//! The pure logic — [`phone`], [`email`], [`consent`], [`payload`], [`withdrawal`], [`history`],
//! [`signing`] — needs no browser and no Yew: build with `default-features = false` to
//! reuse it on a server. The `ui` feature (on by default) adds the Yew components and the
//! browser glue. What the browser keeps ([`outbox`] entries, the [`draft`], the
//! [`history`]) is read and written by the pure part too, so that it can be tested and
//! fuzzed natively; only keeping it is behind `ui`.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod calendar;
pub mod config;
pub mod consent;
pub mod draft;
pub mod email;
pub mod fields;
pub mod history;
pub mod json;
pub mod locale;
pub mod messages;
pub mod notices;
pub mod outbox;
pub mod payload;
pub mod phone;
pub mod problem;
pub mod receipt;
pub mod retry;
pub mod schedule;
mod search;
pub mod signing;
pub mod validation;
pub mod withdrawal;
pub mod wording;

#[cfg(feature = "ui")]
pub mod captcha;
#[cfg(feature = "ui")]
pub mod components;
#[cfg(feature = "ui")]
pub mod delivery;
#[cfg(feature = "ui")]
mod dom;
#[cfg(feature = "ui")]
mod element;
#[cfg(feature = "ui")]
pub mod events;
#[cfg(feature = "ui")]
pub mod state;
#[cfg(feature = "ui")]
mod submit;
#[cfg(feature = "ui")]
mod warm;

#[cfg(feature = "ui")]
pub use element::{mount, FormHandle, ATTRIBUTES};
