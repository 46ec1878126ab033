//! The Yew components that make up the form. One component per file.

mod app;

pub use app::{App, AppProps};
