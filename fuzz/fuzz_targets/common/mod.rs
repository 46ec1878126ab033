//! What several targets share: the form configurations their inputs are read against.

use std::sync::OnceLock;

use consent_form::config::{Config, RawConfig};

/// A contact form in Vietnamese and in English, and a callback form with its own
/// industries.
pub fn configs() -> &'static [Config] {
    static CONFIGS: OnceLock<Vec<Config>> = OnceLock::new();
    CONFIGS.get_or_init(|| {
        [
            r#"{"endpoint": "/api/leads", "key_url": "/api/key", "policy_url": "/p", "controller": "Công ty"}"#,
            r#"{"endpoint": "/api/leads", "key_url": "/api/key", "policy_url": "/p", "controller": "Công ty", "locale": "en"}"#,
            r#"{"kind": "callback", "endpoint": "/api/leads", "key_url": "/api/key", "policy_url": "/p", "controller": "Công ty",
                "industries": ["Bán lẻ", "Khác", "x"]}"#,
        ]
        .iter()
        .map(|text| RawConfig::from_json_text(text).unwrap().validate().unwrap())
        .collect()
    })
}
