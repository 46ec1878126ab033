//! # consent-form
//!
//! A drop-in contact and callback form for Vietnamese websites, compiled to
//! WebAssembly: it validates Vietnamese phone numbers and e-mail addresses, asks for
//! a separate consent per purpose, and posts a signed payload to the host's backend.
//!
//! The pure logic — [`phone`], [`email`], [`consent`], [`payload`], [`signing`] —
//! needs no browser and no Yew: build with `default-features = false` to reuse it on
//! a server. The `ui` feature (on by default) adds the Yew components and the
//! browser glue.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod consent;
pub mod email;
pub mod locale;
pub mod payload;
pub mod phone;
pub mod signing;

#[cfg(feature = "ui")]
pub mod components;
#[cfg(feature = "ui")]
mod element;

#[cfg(feature = "ui")]
pub use element::{mount, FormHandle};
