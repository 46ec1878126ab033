//! The root component: the form, or a clear message when the configuration is wrong.

use std::rc::Rc;

use yew::prelude::*;

use crate::captcha::CaptchaHook;
use crate::components::{config_error, ConsentForm};
use crate::config::{Config, ConfigError};
use crate::locale::Locale;

/// Properties of [`App`].
#[derive(Clone, PartialEq, Properties)]
pub struct AppProps {
    /// The configuration, or everything wrong with it with the language asked for
    /// (Vietnamese where none could be read).
    pub config: Result<Rc<Config>, Rc<(Locale, Vec<ConfigError>)>>,
    /// The host element, which DOM events are dispatched from.
    #[prop_or_default]
    pub host: Option<web_sys::HtmlElement>,
    /// The captcha hook given to `mount()`, if any.
    #[prop_or_default]
    pub captcha: Option<CaptchaHook>,
}

/// The root component.
#[function_component]
pub fn App(props: &AppProps) -> Html {
    match &props.config {
        Ok(config) => html! {
            // Keyed by kind and locale: switching either starts a fresh form state.
            <ConsentForm key={format!("{}-{}", config.kind.as_str(), config.locale.tag())}
                config={config.clone()} host={props.host.clone()} captcha={props.captcha.clone()} />
        },
        Err(problems) => config_error(problems.0, &problems.1),
    }
}
