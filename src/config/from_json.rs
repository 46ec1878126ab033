//! Reading a [`RawConfig`] from the JSON a host wrote (a child
//! `<script type="application/json">`, or the object given to `mount()`): every
//! unknown key and every value of the wrong type is named with its path, all at once.

use crate::json::{Fields, Json};
use crate::schedule::BusinessHours;

use super::{CustomPurpose, FieldSettings, MarketingSettings, PurposeSetting, RawConfig};

/// The keys a host may write at the top level, in [`RawConfig`]'s order (the first
/// eleven are those of [`RawConfig::strings_mut`], read in a loop that relies on it).
pub const KEYS: &[&str] = &[
    "kind",
    "endpoint",
    "locale",
    "policy_url",
    "policy_version",
    "controller",
    "key_url",
    "secret",
    "controller_contact",
    "withdraw_endpoint",
    "minors",
    "fields",
    "purposes",
    "texts",
    "industries",
    "business_hours",
    "marketing",
    "retention",
    "recipients",
    "min_fill_ms",
    "timeout_ms",
];

/// The keys of a field's settings.
pub const FIELD_KEYS: &[&str] = &["required", "hidden"];
/// The keys of a host-defined purpose.
pub const PURPOSE_KEYS: &[&str] = &[
    "id",
    "text",
    "details",
    "data",
    "recipients",
    "consequences",
    "method",
    "sensitive",
];
/// The keys of `business_hours`.
pub const HOURS_KEYS: &[&str] = &["days", "windows", "days_ahead", "lead_minutes", "holidays"];
/// The keys of `marketing`.
pub const MARKETING_KEYS: &[&str] = &["channels", "frequency"];

/// Keeps the value, or the message in `errors`.
fn keep<T>(read: Result<Option<T>, String>, errors: &mut Vec<String>) -> Option<T> {
    read.unwrap_or_else(|why| {
        errors.push(why);
        None
    })
}

/// Keeps the value of the top-level `key`, or the message in `errors` and the key in
/// `unreadable`.
fn keep_or<T>(
    read: Result<Option<T>, String>,
    key: &'static str,
    errors: &mut Vec<String>,
    unreadable: &mut Vec<&'static str>,
) -> Option<T> {
    read.unwrap_or_else(|why| {
        errors.push(why);
        unreadable.push(key);
        None
    })
}

impl RawConfig {
    /// Reads the configuration JSON a host wrote; lists every unknown key and every
    /// value of the wrong type, each with its path (`fields.phone.required`).
    pub fn from_json(value: &Json) -> Result<RawConfig, Vec<String>> {
        let (raw, errors) = RawConfig::read_json(value);
        if errors.is_empty() {
            Ok(raw)
        } else {
            Err(errors)
        }
    }

    /// Reads what can be read of the configuration JSON a host wrote, and a message
    /// for each unknown key and each value of the wrong type, with its path. A value
    /// that cannot be read counts as not given, and its top-level key is recorded in
    /// [`RawConfig::unreadable`] ([`super::EVERY_KEY`] if `value` is not an object); a
    /// host-defined purpose without a readable `id` and `text` is left out.
    pub fn read_json(value: &Json) -> (RawConfig, Vec<String>) {
        let top = match value.object("") {
            Ok(top) => top,
            Err(why) => return (RawConfig::unreadable(), vec![why]),
        };
        let mut errors = Vec::new();
        top.unknown_keys(KEYS, &mut errors);
        let mut unread = Vec::new();
        // A misspelt key (`polciy_url`, `keyUrl`) is named with the one meant, which is
        // then not also called missing.
        for (key, _) in top.members() {
            let meant = (!KEYS.contains(&key.as_str())).then(|| super::misspelt_key(key));
            if let Some(meant) = meant.flatten() {
                unread.push(meant);
                let start = ["unknown key `", key, "`,"].concat();
                if let Some(said) = errors.iter_mut().find(|m| m.starts_with(&start)) {
                    said.push_str(": did you mean `");
                    said.push_str(meant);
                    said.push_str("`?");
                }
            }
        }
        let e = &mut errors;
        let mut raw = RawConfig::default();
        // The first eleven keys are strings: one loop rather than code per key.
        let strings = raw.strings_mut();
        for (key, setting) in KEYS.iter().zip(strings) {
            *setting = keep_or(top.string(key), key, e, &mut unread);
        }
        raw.industries = keep_or(top.strings("industries"), "industries", e, &mut unread);
        raw.retention = keep_or(top.string("retention"), "retention", e, &mut unread);
        raw.recipients = keep_or(top.strings("recipients"), "recipients", e, &mut unread);
        raw.min_fill_ms = keep_or(
            top.whole("min_fill_ms", u32::MAX),
            "min_fill_ms",
            e,
            &mut unread,
        );
        raw.timeout_ms = keep_or(
            top.whole("timeout_ms", u32::MAX),
            "timeout_ms",
            e,
            &mut unread,
        );
        if let Some(fields) = keep_or(top.object("fields"), "fields", e, &mut unread) {
            fields.repeated_keys(e);
            for (name, value) in fields.members() {
                let Some(settings) = keep(value.object(&fields.path(name)).map(Some), e) else {
                    continue;
                };
                settings.unknown_keys(FIELD_KEYS, e);
                let read = FieldSettings {
                    required: keep(settings.bool("required"), e),
                    hidden: keep(settings.bool("hidden"), e),
                };
                raw.fields.insert(name.clone(), read);
            }
        }
        if let Some(items) = keep_or(top.array("purposes"), "purposes", e, &mut unread) {
            let mut purposes = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let path = format!("purposes[{i}]");
                match item {
                    Json::String(name) => purposes.push(PurposeSetting::Named(name.clone())),
                    Json::Object(members) => {
                        let fields = Fields::new(path, members);
                        if let Some(custom) = custom_purpose(&fields, e) {
                            purposes.push(PurposeSetting::Custom(custom));
                        }
                    }
                    other => e.push(format!(
                        "`{path}`: expected a purpose name or an object, found {}",
                        other.kind()
                    )),
                }
            }
            raw.purposes = Some(purposes);
        }
        if let Some(texts) = keep_or(top.object("texts"), "texts", e, &mut unread) {
            texts.repeated_keys(e);
            for (name, _) in texts.members() {
                if let Some(text) = keep(texts.string(name), e) {
                    raw.texts.insert(name.clone(), text);
                }
            }
        }
        if let Some(hours) = keep_or(
            top.object("business_hours"),
            "business_hours",
            e,
            &mut unread,
        ) {
            raw.business_hours = Some(business_hours(&hours, e));
        }
        if let Some(marketing) = keep_or(top.object("marketing"), "marketing", e, &mut unread) {
            marketing.unknown_keys(MARKETING_KEYS, e);
            let channels = keep(marketing.strings("channels"), e);
            if channels.is_none() && marketing.get("channels").is_none() {
                e.push(format!(
                    "`{}` is missing: list the channels among email, sms, phone, zalo",
                    marketing.path("channels")
                ));
            }
            let frequency = keep(marketing.string("frequency"), e);
            raw.marketing = channels.map(|channels| MarketingSettings {
                channels,
                frequency,
            });
        }
        raw.unreadable = unread;
        (raw, errors)
    }

    /// A configuration none of whose keys could be read (a source that is not JSON, or
    /// not an object): nothing is given, and nothing is missing either.
    pub fn unreadable() -> RawConfig {
        let mut raw = RawConfig::default();
        raw.unreadable.push(super::EVERY_KEY);
        raw
    }

    /// Parses `text` as JSON and reads it as [`RawConfig::from_json`] does.
    pub fn from_json_text(text: &str) -> Result<RawConfig, Vec<String>> {
        let value =
            crate::json::parse(text).map_err(|why| vec![format!("not valid JSON: {why}")])?;
        RawConfig::from_json(&value)
    }
}

/// A host-defined purpose; `None` (its problems said) without a readable `id` and
/// `text`, which would otherwise be judged again as empty.
fn custom_purpose(purpose: &Fields<'_>, e: &mut Vec<String>) -> Option<CustomPurpose> {
    purpose.unknown_keys(PURPOSE_KEYS, e);
    let mut required = |key: &str| {
        let value = keep(purpose.string(key), e);
        if value.is_none() && purpose.get(key).is_none() {
            e.push(format!("`{}` is missing", purpose.path(key)));
        }
        value
    };
    let (id, text) = (required("id"), required("text"));
    let readable = id.is_some() && text.is_some();
    // Blank words (a template's empty variable) are as if left out: the notice then
    // says the default, not a heading with nothing under it.
    let mut words = |key: &str| keep(purpose.string(key), e).filter(|s| !s.trim().is_empty());
    let (details, data, consequences, method) = (
        words("details"),
        words("data"),
        words("consequences"),
        words("method"),
    );
    let custom = CustomPurpose {
        id: id.unwrap_or_default(),
        text: text.unwrap_or_default(),
        details,
        data,
        recipients: keep(purpose.strings("recipients"), e).unwrap_or_default(),
        consequences,
        method,
        sensitive: keep(purpose.strings("sensitive"), e).unwrap_or_default(),
    };
    readable.then_some(custom)
}

/// `business_hours`: each key absent, or unreadable, keeps its default (`days` with
/// an item that is no number too: what is left of it would be judged again).
fn business_hours(hours: &Fields<'_>, e: &mut Vec<String>) -> BusinessHours {
    hours.unknown_keys(HOURS_KEYS, e);
    let default = BusinessHours::default();
    let days = match keep(hours.array("days"), e) {
        None => default.days,
        Some(items) => {
            let mut days = Vec::new();
            let before = e.len();
            for (i, item) in items.iter().enumerate() {
                match item {
                    Json::Number(n) if n.fract() == 0.0 && (0.0..=255.0).contains(n) => {
                        days.push(*n as u8)
                    }
                    other => e.push(format!(
                        "`{}[{i}]`: expected a day number, 1 = Monday … 7 = Sunday, found {}",
                        hours.path("days"),
                        other.kind()
                    )),
                }
            }
            if e.len() == before {
                days
            } else {
                default.days
            }
        }
    };
    BusinessHours {
        days,
        windows: keep(hours.strings("windows"), e).unwrap_or(default.windows),
        days_ahead: keep(hours.whole("days_ahead", u32::from(u16::MAX)), e)
            .map_or(default.days_ahead, |n| n as u16),
        lead_minutes: keep(hours.whole("lead_minutes", u32::from(u16::MAX)), e)
            .map_or(default.lead_minutes, |n| n as u16),
        holidays: keep(hours.strings("holidays"), e).unwrap_or(default.holidays),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_key() {
        let raw = RawConfig::from_json_text(
            r#"{"kind": "callback", "endpoint": "/api", "locale": "en", "policy_url": "/p",
                "policy_version": "3", "controller": "C", "key_url": "/k", "secret": null,
                "fields": {"topic": {"hidden": true}, "email": {"required": true}},
                "purposes": ["marketing", {"id": "partner", "text": "Share", "recipients": ["A"], "sensitive": ["health"]}],
                "texts": {"submit": "Go"}, "industries": ["x"],
                "business_hours": {"days": [1, 2], "lead_minutes": 10},
                "marketing": {"channels": ["sms"], "frequency": "weekly"},
                "retention": "2 years", "recipients": ["B"], "min_fill_ms": 0, "timeout_ms": 2000}"#,
        )
        .unwrap();
        assert_eq!(raw.kind.as_deref(), Some("callback"));
        assert_eq!(raw.secret, None);
        assert_eq!(
            raw.fields.get("topic"),
            Some(&FieldSettings {
                required: None,
                hidden: Some(true)
            })
        );
        assert_eq!(raw.fields.get("email").unwrap().required, Some(true));
        let purposes = raw.purposes.as_ref().unwrap();
        assert_eq!(purposes[0], PurposeSetting::Named("marketing".into()));
        let PurposeSetting::Custom(custom) = &purposes[1] else {
            panic!("{purposes:?}")
        };
        assert_eq!(
            (
                custom.id.as_str(),
                custom.recipients.clone(),
                custom.sensitive.clone()
            ),
            ("partner", vec!["A".into()], vec!["health".into()])
        );
        assert_eq!(raw.texts.get("submit").unwrap(), "Go");
        let hours = raw.business_hours.as_ref().unwrap();
        assert_eq!((hours.days.clone(), hours.lead_minutes), (vec![1, 2], 10));
        assert_eq!(
            hours.windows,
            BusinessHours::default().windows,
            "absent keys keep their default"
        );
        assert_eq!(
            raw.marketing.as_ref().unwrap().frequency.as_deref(),
            Some("weekly")
        );
        assert_eq!((raw.min_fill_ms, raw.timeout_ms), (Some(0), Some(2000)));
    }

    #[test]
    fn names_every_problem_with_its_path() {
        let errors = RawConfig::from_json_text(
            r#"{"endpiont": "/x", "timeout_ms": "2000", "fields": {"phone": {"requried": true, "hidden": 1}},
                "purposes": [{"id": "x", "recipient": ["A"]}, 7], "business_hours": {"day": [1], "days": [1, "tue"]},
                "marketing": {"frequence": "weekly"}, "texts": {"submit": 1}}"#,
        )
        .unwrap_err();
        for expected in [
            "unknown key `endpiont`, expected one of kind, endpoint,",
            "`timeout_ms`: expected a whole number from 0 to 4294967295, found a string",
            "unknown key `fields.phone.requried`, expected one of required, hidden",
            "`fields.phone.hidden`: expected true or false, found a number",
            "unknown key `purposes[0].recipient`",
            "`purposes[0].text` is missing",
            "`purposes[1]`: expected a purpose name or an object, found a number",
            "unknown key `business_hours.day`",
            "`business_hours.days[1]`: expected a day number",
            "unknown key `marketing.frequence`",
            "`marketing.channels` is missing",
            "`texts.submit`: expected a string, found a number",
        ] {
            assert!(
                errors.iter().any(|e| e.starts_with(expected)),
                "no {expected:?} in {errors:#?}"
            );
        }
        assert_eq!(errors.len(), 12, "{errors:#?}");
    }

    #[test]
    fn a_key_given_twice_is_named() {
        let errors = RawConfig::from_json_text(
            r#"{"retention": "1 năm", "texts": {"submit": "A", "submit": "B"},
                "fields": {"need": {"hidden": true}, "need": {}}, "retention": "2 năm"}"#,
        )
        .unwrap_err();
        assert_eq!(
            errors,
            [
                "key `retention` is given more than once",
                "key `fields.need` is given more than once",
                "key `texts.submit` is given more than once",
            ]
        );
    }

    #[test]
    fn not_an_object_or_not_json() {
        assert_eq!(
            RawConfig::from_json_text("[1]").unwrap_err(),
            ["expected an object, found an array"]
        );
        assert!(
            RawConfig::from_json_text(r#"{"purposes": ["marketing",]"#).unwrap_err()[0]
                .starts_with("not valid JSON: ")
        );
    }
}
