//! What a visitor and a developer see in place of the form when the configuration is
//! wrong.

use yew::prelude::*;

use crate::config::ConfigError;
use crate::locale::Locale;

/// The misconfiguration message: first one sentence for the visitor, in the form's
/// language (`locale` as given, if it could be read; else Vietnamese, the default),
/// then every problem found, in words a developer can act on. Never shows a
/// half-working form. The developer's part is in English and marked so (`lang="en"`):
/// on a Vietnamese page a screen reader would read it with a Vietnamese voice. The box
/// is one alert, so a screen reader reads it once, the visitor's sentence first.
///
/// The visitor's sentence is built in, not a text a host may give in `texts`: the
/// configuration, where such a text would come from, is what failed.
///
/// A plain function, not a component: it keeps no state, and each component costs
/// its own copy of Yew's component machinery in the wasm.
pub fn config_error(locale: Locale, problems: &[ConfigError]) -> Html {
    html! {
        <div class="cf-config-error" part="config-error" role="alert" lang={locale.tag()}>
            <p class="cf-visitor">{ locale.pick(
                "Biểu mẫu này tạm thời chưa dùng được. Vui lòng liên hệ với chúng tôi bằng cách khác.",
                "This form cannot be used right now. Please contact us another way.",
            ) }</p>
            <div lang="en">
                <strong>{ "consent-form is not configured correctly, so the form is not shown." }</strong>
                <ul>
                    { for problems.iter().map(|p| html! { <li>{ p.to_string() }</li> }) }
                </ul>
                <p>{ "See docs/embedding.md in consent-form. (This message is for the site's developer.)" }</p>
            </div>
        </div>
    }
}
