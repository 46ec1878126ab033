//! The host's configuration: what it may say, its defaults, and every way it can be wrong.
//!
//! A host configures the form by attributes, by JSON in a child
//! `<script type="application/json">`, or by the object passed to `mount()`. All three
//! arrive here as a [`RawConfig`]; [`RawConfig::validate`] turns it into a [`Config`]
//! or lists every problem at once, each with a message a developer can act on.

use std::fmt;

use crate::consent::{Channel, Policy, Purpose};
use crate::fields::{FieldName, FormKind};
use crate::locale::Locale;
use crate::schedule::BusinessHours;
use crate::signing::{Secret, SecretError};

mod by_name;
mod from_json;

pub use by_name::ByName;

/// Configuration as the host wrote it: every key optional, nothing checked yet.
///
/// Keys are snake_case, as in the JSON a host writes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawConfig {
    /// `contact` or `callback`.
    pub kind: Option<String>,
    /// Where submissions are posted: an `https:`/`http:` URL or a path on this site.
    pub endpoint: Option<String>,
    /// `vi` (default) or `en`.
    pub locale: Option<String>,
    /// The full privacy policy.
    pub policy_url: Option<String>,
    /// The policy's version, recorded with each consent.
    pub policy_version: Option<String>,
    /// The organisation that controls the data (named in every notice).
    pub controller: Option<String>,
    /// Where to fetch a short-lived signing key (recommended).
    pub key_url: Option<String>,
    /// An inline `whsec_…` signing secret (integrity only: anyone can read it).
    pub secret: Option<String>,
    /// How to reach the controller about one's data (an e-mail address, a phone number
    /// or a page), named in every notice's rights and in the records.
    pub controller_contact: Option<String>,
    /// Where withdrawals of consent are posted (same rules as `endpoint`); without it
    /// the receipt says to contact the controller.
    pub withdraw_endpoint: Option<String>,
    /// Visitors under 16: `declare` (default: the consultation consent includes an age
    /// declaration) or `guardian` (they say so, and a parent or guardian gives their
    /// name, phone and own agreement).
    pub minors: Option<String>,
    /// Per-field settings, keyed by field name.
    pub fields: ByName<FieldSettings>,
    /// The purposes to ask consent for, in order; built-in names or host-defined ones.
    pub purposes: Option<Vec<PurposeSetting>>,
    /// Overrides of any text, keyed by text name (see [`crate::messages::Key`]).
    pub texts: ByName<String>,
    /// Options of the `industry` select.
    pub industries: Option<Vec<String>>,
    /// When callbacks can be made.
    pub business_hours: Option<BusinessHours>,
    /// How marketing reaches the visitor.
    pub marketing: Option<MarketingSettings>,
    /// How long the data is kept, in words (shown in the notices).
    pub retention: Option<String>,
    /// Organisations the data is shared with for the consultation.
    pub recipients: Option<Vec<String>>,
    /// The shortest time in milliseconds a person takes to fill the form (anti-spam).
    pub min_fill_ms: Option<u32>,
    /// How long one request to the endpoint or the key URL may take, in milliseconds,
    /// before it is abandoned and retried later (default 15 000; kept within
    /// [`TIMEOUT_MS_RANGE`]).
    pub timeout_ms: Option<u32>,
    /// The top-level keys (as in JSON) whose value was given but could not be read (a
    /// wrong type; [`EVERY_KEY`], when a whole source could not be read). Their problem
    /// is said where they were read; here they count as not given, except that
    /// [`RawConfig::validate`] does not call them missing, nor judge what depends on
    /// them (the fields of an unreadable `kind`).
    pub unreadable: Vec<&'static str>,
}

/// In [`RawConfig::unreadable`]: a whole source could not be read, so any key may
/// have been given.
pub const EVERY_KEY: &str = "*";

/// A field's settings in [`RawConfig::fields`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FieldSettings {
    /// Whether the visitor must fill it in.
    pub required: Option<bool>,
    /// Hides an optional field.
    pub hidden: Option<bool>,
}

/// An entry of [`RawConfig::purposes`]: a built-in purpose by name, or a host-defined one.
#[derive(Clone, Debug, PartialEq)]
pub enum PurposeSetting {
    /// `"consultation"`, `"marketing"` or `"call_recording"`.
    Named(String),
    /// A host-defined purpose with its own text.
    Custom(CustomPurpose),
}

/// A purpose the host defines, such as sharing with a named partner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomPurpose {
    /// A short id: lower-case letters, digits and `_` (the checkbox is `consent-<id>`).
    pub id: String,
    /// The sentence the visitor agrees to.
    pub text: String,
    /// What is done, to which data, by whom, how long: the details one click away.
    pub details: Option<String>,
    /// The data this purpose uses, in words ("name, phone number").
    pub data: Option<String>,
    /// Organisations that receive the data for this purpose.
    pub recipients: Vec<String>,
    /// What may follow from agreeing, in words (default: refusing does not affect the
    /// request).
    pub consequences: Option<String>,
    /// How the data is processed for it, in words (default: stored by the controller and
    /// used for this purpose only).
    pub method: Option<String>,
    /// Sensitive personal data it involves (Decree 13, Art. 2.4): `health`,
    /// `biometric`, `bank_customer`, `location`, …
    pub sensitive: Vec<String>,
}

/// How marketing reaches the visitor (the law asks that the person knows channel and
/// frequency before agreeing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarketingSettings {
    /// Channels among `email`, `sms`, `phone`, `zalo`.
    pub channels: Vec<String>,
    /// How often, in words: "at most twice a month".
    pub frequency: Option<String>,
}

/// Where the signing key comes from.
#[derive(Clone, PartialEq, Eq)]
pub enum KeySource {
    /// Fetched from the host's backend, cached until it expires (recommended).
    Url(String),
    /// Written in the page: proves integrity only, since anyone can read it.
    Inline(String),
}

impl fmt::Debug for KeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeySource::Url(u) => f.debug_tuple("Url").field(u).finish(),
            KeySource::Inline(_) => f.write_str("Inline(…)"),
        }
    }
}

/// A checked configuration: everything the form needs, with defaults filled in.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Which form.
    pub kind: FormKind,
    /// Where submissions are posted.
    pub endpoint: String,
    /// The visitor's language.
    pub locale: Locale,
    /// The full privacy policy.
    pub policy_url: String,
    /// The policy's version, if the host gave one.
    pub policy_version: Option<String>,
    /// The organisation that controls the data.
    pub controller: String,
    /// How to reach the controller about one's data, if the host gave it.
    pub controller_contact: Option<String>,
    /// Where withdrawals are posted, if the host gave it: the receipt then has a
    /// button on each granted consent.
    pub withdraw_endpoint: Option<String>,
    /// Whether a visitor under 16 says so and a parent or guardian agrees on the form
    /// (`minors: "guardian"`).
    pub guardian: bool,
    /// Where the signing key comes from.
    pub key: KeySource,
    /// The fields shown, in order, with whether each is required.
    pub fields: Vec<(FieldName, bool)>,
    /// The purposes asked, in order; consultation is always first.
    pub purposes: Vec<Purpose>,
    /// The texts of the host-defined purposes among them.
    pub custom_purposes: Vec<CustomPurpose>,
    /// Text overrides (checked against the known text names).
    pub texts: ByName<String>,
    /// Options of the `industry` select.
    pub industries: Vec<String>,
    /// When callbacks can be made.
    pub business_hours: BusinessHours,
    /// Marketing channels.
    pub channels: Vec<Channel>,
    /// Marketing frequency, in words, if the host gave it.
    pub frequency: Option<String>,
    /// How long the data is kept, in words, if the host gave it.
    pub retention: Option<String>,
    /// Organisations the data is shared with.
    pub recipients: Vec<String>,
    /// The shortest plausible fill time, in milliseconds.
    pub min_fill_ms: u32,
    /// How long one request may take, in milliseconds.
    pub timeout_ms: u32,
}

/// One thing wrong with a configuration, said so a developer can fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// The JSON (child script or object) could not be read at all.
    Unreadable(String),
    /// A key in the JSON (child script or object) is unknown, given twice, or holds a
    /// value of the wrong type: said with where it is and its path. The rest is read.
    Invalid(String),
    /// A required setting is absent.
    Missing(&'static str),
    /// `kind` is neither `contact` nor `callback`.
    UnknownKind(String),
    /// `locale` is neither `vi` nor `en`.
    UnknownLocale(String),
    /// `minors` is neither `declare` nor `guardian`.
    UnknownMinors(String),
    /// A URL setting is not a usable URL.
    BadUrl {
        /// Which setting.
        setting: &'static str,
        /// What it said.
        value: String,
    },
    /// Both `key-url` and `secret` were given.
    TwoKeySources,
    /// The inline secret is not `whsec_` followed by a base64 key.
    BadSecret(SecretError),
    /// `fields` names a field this kind of form does not have.
    UnknownField {
        /// The name given.
        name: String,
        /// The form's kind.
        kind: FormKind,
    },
    /// A field that must stay (phone, name…) was hidden or made optional.
    FieldMustStay(String),
    /// `purposes` names a purpose that is not built in.
    UnknownPurpose(String),
    /// A purpose appears twice.
    DuplicatePurpose(String),
    /// A host-defined purpose has an unusable id or an empty text.
    BadCustomPurpose(String),
    /// A host-defined purpose names sensitive categories that do not exist.
    BadSensitiveCategory(String),
    /// `marketing.channels` names an unknown channel.
    BadChannel(String),
    /// `marketing.channels` names a channel twice.
    DuplicateChannel(String),
    /// `marketing.channels` is an empty list.
    NoChannels,
    /// `texts` names a text that does not exist.
    UnknownText(String),
    /// A text override is empty or only white space (only [`crate::messages::MAY_BE_EMPTY`]
    /// may be).
    EmptyText(String),
    /// A text override holds a `{placeholder}` that this text is not filled with.
    UnknownPlaceholder {
        /// The text's name.
        text: String,
        /// The placeholder, without braces.
        placeholder: String,
    },
    /// `texts.marketing_text` leaves out `{channels}` or `{frequency}` (named, with
    /// braces): marketing consent needs both (Decree 13, Art. 21).
    MarketingTermsLeftOut(&'static str),
    /// A field is set both hidden and required.
    HiddenAndRequired(String),
    /// `industries` is an empty list.
    NoIndustries,
    /// `business_hours` cannot produce any callback window.
    BadBusinessHours(String),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Unreadable(why) => write!(f, "the configuration could not be read: {why}"),
            ConfigError::Invalid(why) => f.write_str(why),
            ConfigError::Missing(what) => write!(f, "`{what}` is required"),
            ConfigError::UnknownKind(k) => {
                write!(f, "kind \"{k}\" is not a form; use \"contact\" or \"callback\"")
            }
            ConfigError::UnknownLocale(l) => write!(f, "locale \"{l}\" is not supported; use \"vi\" or \"en\""),
            ConfigError::UnknownMinors(m) => write!(
                f,
                "minors \"{m}\" is unknown; use \"declare\" (an age declaration in the consultation consent) or \"guardian\" (a parent or guardian agrees on the form)"
            ),
            ConfigError::BadUrl { setting, value } => write!(
                f,
                "`{setting}` \"{value}\" is not a usable URL: give an https: URL or a path starting with /"
            ),
            ConfigError::TwoKeySources => {
                f.write_str("give either `key-url` or `secret`, not both (key-url is recommended)")
            }
            ConfigError::BadSecret(why) => write!(
                f,
                "`secret` cannot sign: {why} (a Standard Webhooks secret is \"whsec_\" followed by the key in base64)"
            ),
            ConfigError::UnknownField { name, kind } => {
                let names: Vec<&str> = kind.fields().iter().map(|f| f.as_str()).collect();
                write!(
                    f,
                    "the {} form has no field \"{name}\"; its fields are {}",
                    kind.as_str(),
                    names.join(", ")
                )
            }
            ConfigError::FieldMustStay(name) => {
                write!(f, "field \"{name}\" is needed to call the visitor back: it cannot be hidden or optional")
            }
            ConfigError::UnknownPurpose(p) => write!(
                f,
                "purpose \"{p}\" is not built in (consultation, marketing, call_recording); \
                 define it as {{\"id\": \"{p}\", \"text\": \"…\"}}"
            ),
            ConfigError::DuplicatePurpose(p) => write!(f, "purpose \"{p}\" is listed twice"),
            ConfigError::BadCustomPurpose(why) => write!(f, "a host-defined purpose is not usable: {why}"),
            ConfigError::BadSensitiveCategory(c) => write!(
                f,
                "sensitive category \"{c}\" is unknown; use health, biometric, bank_customer, location, \
                 genetic, racial_or_ethnic_origin, political_or_religious_views, sex_life, criminal_record or other"
            ),
            ConfigError::BadChannel(c) => write!(
                f,
                "marketing channel \"{c}\" is unknown; use email, sms, phone or zalo"
            ),
            ConfigError::DuplicateChannel(c) => {
                write!(f, "marketing channel \"{c}\" is listed twice")
            }
            ConfigError::NoChannels => f.write_str(
                "`marketing.channels` is empty: list at least one of email, sms, phone, zalo (or leave `marketing` out for all four)",
            ),
            ConfigError::UnknownText(t) => write!(f, "`texts` has no text named \"{t}\""),
            ConfigError::EmptyText(t) => write!(
                f,
                "`texts.{t}` is empty: give the words to show, or leave it out for the built-in text (only {} may be empty)",
                crate::messages::MAY_BE_EMPTY.join(", ")
            ),
            ConfigError::UnknownPlaceholder { text, placeholder } => {
                write!(f, "`texts.{text}` holds {{{placeholder}}}, which this text is not filled with ")?;
                match crate::messages::placeholders(text) {
                    [] => f.write_str("(it takes no placeholders)"),
                    taken => write!(f, "(it takes {{{}}})", taken.join("}, {")),
                }
            }
            ConfigError::MarketingTermsLeftOut(placeholder) => write!(
                f,
                "`texts.marketing_text` must say {placeholder}: a marketing consent counts only if the visitor is told its channels and frequency (Decree 13/2023, Art. 21)"
            ),
            ConfigError::HiddenAndRequired(name) => {
                write!(f, "field \"{name}\" cannot be both hidden and required")
            }
            ConfigError::NoIndustries => f.write_str(
                "`industries` is empty: list the options, or leave it out for the default list",
            ),
            ConfigError::BadBusinessHours(why) => write!(f, "`business_hours`: {why}"),
        }
    }
}

impl std::error::Error for ConfigError {}

/// The default options of the `industry` select in Vietnamese.
pub const DEFAULT_INDUSTRIES: &[&str] = &[
    "Bán lẻ & thương mại điện tử",
    "Sản xuất",
    "Xây dựng & bất động sản",
    "Giáo dục & đào tạo",
    "Y tế & chăm sóc sức khỏe",
    "Tài chính, ngân hàng & bảo hiểm",
    "Du lịch, khách sạn & nhà hàng",
    "Vận tải & logistics",
    "Công nghệ thông tin",
    "Nông nghiệp & thực phẩm",
    "Dịch vụ chuyên nghiệp",
    "Khác",
];

/// The default options of the `industry` select in English.
pub const DEFAULT_INDUSTRIES_EN: &[&str] = &[
    "Retail & e-commerce",
    "Manufacturing",
    "Construction & real estate",
    "Education & training",
    "Health care",
    "Finance, banking & insurance",
    "Travel, hotels & restaurants",
    "Transport & logistics",
    "Information technology",
    "Agriculture & food",
    "Professional services",
    "Other",
];

// The two lists match line for line (`Config::industry_option` relies on it).
const _: () = assert!(DEFAULT_INDUSTRIES.len() == DEFAULT_INDUSTRIES_EN.len());

/// The default shortest fill time: faster than this is a script, not a person.
pub const DEFAULT_MIN_FILL_MS: u32 = 2500;

/// The default time one request may take before it is abandoned and retried.
pub const DEFAULT_TIMEOUT_MS: u32 = 15_000;

impl Config {
    /// The privacy policy every consent is given under (`policy-url`, `policy-version`).
    pub fn policy(&self) -> Policy {
        Policy {
            url: self.policy_url.clone(),
            version: self.policy_version.clone(),
        }
    }

    /// The `industry` option that stands for `value`, a choice kept from earlier (a
    /// draft): `value` itself if it is an option; else, for a line of a default list, the
    /// same line in the form's language where the form offers it (the lists match line
    /// for line), so a visitor who switched languages keeps their choice. `None` when no
    /// option stands for it.
    pub fn industry_option(&self, value: &str) -> Option<&str> {
        if let Some(option) = self.industries.iter().find(|i| *i == value) {
            return Some(option);
        }
        let line = DEFAULT_INDUSTRIES
            .iter()
            .chain(DEFAULT_INDUSTRIES_EN)
            .position(|i| *i == value)?
            % DEFAULT_INDUSTRIES.len();
        let option = self.locale.pick(DEFAULT_INDUSTRIES, DEFAULT_INDUSTRIES_EN)[line];
        self.industries
            .iter()
            .any(|i| i == option)
            .then_some(option)
    }
}

/// The setting a misspelt attribute of the element was meant for, as its JSON key:
/// `name` is none of the element's attributes, but one of them written with `_` or
/// without its `-` (`policy_url`, `keyurl`), or within one edit of one (a letter
/// added, removed, changed or two swapped; two edits for names of seven letters or
/// more: `endpont`, `controler`). `None` for the page's own attributes (`id`, `class`,
/// `lang`, `data-…`), which are no closer than that.
pub fn misspelt_attribute(name: &str) -> Option<&'static str> {
    let typed: Vec<char> = name.chars().map(|c| c.to_ascii_lowercase()).collect();
    let bare = |c: &char| !matches!(c, '-' | '_');
    from_json::KEYS
        .get(..STRING_SETTINGS)?
        .iter()
        .copied()
        .find(|key| {
            let attribute = key.replace('_', "-");
            let max = if key.len() < 7 { 1 } else { 2 };
            typed.iter().copied().ne(attribute.chars())
                && (typed
                    .iter()
                    .copied()
                    .filter(bare)
                    .eq(key.chars().filter(bare))
                    || crate::email::distance(&typed, attribute.as_bytes())
                        .is_some_and(|d| d <= max))
        })
}

/// The setting an unknown key of the configuration JSON (or of `mount()`'s object) was
/// meant for: written as an attribute (`key-url`), in camelCase (`keyUrl`), or within
/// one edit of one (two for keys of seven letters or more: `polciy_url`, `purpose`).
pub fn misspelt_key(name: &str) -> Option<&'static str> {
    let typed: Vec<char> = name.chars().map(|c| c.to_ascii_lowercase()).collect();
    let bare = |c: &char| !matches!(c, '-' | '_');
    from_json::KEYS.iter().copied().find(|key| {
        let max = if key.len() < 7 { 1 } else { 2 };
        typed
            .iter()
            .copied()
            .filter(bare)
            .eq(key.chars().filter(bare))
            || crate::email::distance(&typed, key.as_bytes()).is_some_and(|d| d <= max)
    })
}

/// The JSON key that an attribute of the element names although only the JSON (or
/// `mount()`'s object) can give it: `retention`, `texts`, `timeout-ms`, `business_hours`
/// (its `-` and `_` aside, in any case). Such an attribute is never read: said, it is not
/// silently ignored.
pub fn json_only_attribute(name: &str) -> Option<&'static str> {
    let bare = |c: &char| !matches!(c, '-' | '_');
    let typed = name.chars().filter(bare).map(|c| c.to_ascii_lowercase());
    from_json::KEYS
        .get(STRING_SETTINGS..)?
        .iter()
        .copied()
        .find(|key| typed.clone().eq(key.chars().filter(bare)))
}

/// How many settings are plain strings, each also an attribute of the element
/// ([`RawConfig::strings_mut`]; the first of the JSON keys).
const STRING_SETTINGS: usize = 11;

/// The request timeouts a host may set; a value outside is brought to the nearest end.
pub const TIMEOUT_MS_RANGE: std::ops::RangeInclusive<u32> = 100..=600_000;

impl RawConfig {
    /// The settings that are plain strings, in the order of the JSON keys
    /// (`KEYS` in config/from_json.rs) and of the element's attributes (`ATTRIBUTES`).
    pub(crate) fn strings_mut(&mut self) -> [&mut Option<String>; STRING_SETTINGS] {
        [
            &mut self.kind,
            &mut self.endpoint,
            &mut self.locale,
            &mut self.policy_url,
            &mut self.policy_version,
            &mut self.controller,
            &mut self.key_url,
            &mut self.secret,
            &mut self.controller_contact,
            &mut self.withdraw_endpoint,
            &mut self.minors,
        ]
    }

    /// Lays `other` over `self`: every setting `other` gives wins.
    pub fn overlay(mut self, other: RawConfig) -> RawConfig {
        macro_rules! take {
            ($($f:ident),*) => { $( if other.$f.is_some() { self.$f = other.$f; } )* };
        }
        take!(
            kind,
            endpoint,
            locale,
            policy_url,
            policy_version,
            controller,
            key_url,
            secret,
            controller_contact,
            withdraw_endpoint,
            minors,
            purposes,
            industries,
            business_hours,
            marketing,
            retention,
            recipients,
            min_fill_ms,
            timeout_ms
        );
        self.fields.extend(other.fields);
        self.texts.extend(other.texts);
        self.unreadable.extend(other.unreadable);
        self
    }

    /// Checks everything and fills in defaults; lists every problem found. With
    /// [`RawConfig::unreadable`] keys it never gives a configuration (their problems
    /// are said where they were read, and are not listed again).
    pub fn validate(self) -> Result<Config, Vec<ConfigError>> {
        let mut errors = Vec::new();
        // A key given with a value that could not be read is not missing: its problem
        // is already said.
        let unreadable = |key: &str| self.unreadable.iter().any(|k| [key, EVERY_KEY].contains(k));
        let missing = |errors: &mut Vec<ConfigError>, setting: &'static str, keys: &[&str]| {
            if !keys.iter().any(|k| unreadable(k)) {
                errors.push(ConfigError::Missing(setting));
            }
        };
        let kind = match self.kind.as_deref().map(str::trim) {
            None | Some("") => FormKind::Contact,
            Some(k) => FormKind::parse(k).unwrap_or_else(|| {
                errors.push(ConfigError::UnknownKind(k.to_owned()));
                FormKind::Contact
            }),
        };
        let locale = match self.locale.as_deref().map(str::trim) {
            None | Some("") => Locale::Vi,
            Some(l) => Locale::from_tag(l).unwrap_or_else(|| {
                errors.push(ConfigError::UnknownLocale(l.to_owned()));
                Locale::Vi
            }),
        };
        let guardian = match self.minors.as_deref().map(str::trim) {
            None | Some("" | "declare") => false,
            Some("guardian") => true,
            Some(m) => {
                errors.push(ConfigError::UnknownMinors(m.to_owned()));
                false
            }
        };
        let required_url = |errors: &mut Vec<ConfigError>, setting, key, value| {
            let url = non_empty(value);
            match &url {
                Some(url) => check_url(errors, setting, url),
                None => missing(errors, setting, &[key]),
            }
            url.unwrap_or_default()
        };
        let endpoint = required_url(&mut errors, "endpoint", "endpoint", self.endpoint);
        let policy_url = required_url(&mut errors, "policy-url", "policy_url", self.policy_url);
        let withdraw_endpoint = non_empty(self.withdraw_endpoint);
        if let Some(url) = &withdraw_endpoint {
            check_url(&mut errors, "withdraw-endpoint", url);
        }
        let controller = non_empty(self.controller).unwrap_or_else(|| {
            missing(&mut errors, "controller", &["controller"]);
            String::new()
        });
        let key = match (non_empty(self.key_url), non_empty(self.secret)) {
            (Some(_), Some(_)) => {
                errors.push(ConfigError::TwoKeySources);
                None
            }
            (Some(url), None) => {
                check_url(&mut errors, "key-url", &url);
                Some(KeySource::Url(url))
            }
            (None, Some(secret)) => {
                // Decoded now, so that a broken key is the developer's message in place
                // of the form, not a submission that can never be signed.
                if let Err(why) = Secret::parse(&secret) {
                    errors.push(ConfigError::BadSecret(why));
                }
                Some(KeySource::Inline(secret))
            }
            (None, None) => {
                missing(&mut errors, "key-url (or secret)", &["key_url", "secret"]);
                None
            }
        };

        let fields = kind
            .fields()
            .iter()
            .filter_map(|&field| {
                let setting = self.fields.get(field.as_str());
                let hidden = setting.and_then(|s| s.hidden).unwrap_or(false);
                let required = setting
                    .and_then(|s| s.required)
                    .unwrap_or(field.required_by_default());
                if field.essential() && (hidden || !required) {
                    errors.push(ConfigError::FieldMustStay(field.as_str().to_owned()));
                } else if hidden && setting.and_then(|s| s.required) == Some(true) {
                    errors.push(ConfigError::HiddenAndRequired(field.as_str().to_owned()));
                }
                (!hidden || field.essential()).then_some((field, required || field.essential()))
            })
            .collect();
        // Which fields there are depends on the kind: not judged if it was unreadable.
        let kind_known = !unreadable("kind");
        for name in self.fields.keys().filter(|_| kind_known) {
            if !kind.fields().iter().any(|f| f.as_str() == name) {
                errors.push(ConfigError::UnknownField {
                    name: name.clone(),
                    kind,
                });
            }
        }

        let (purposes, custom_purposes) = purposes(&mut errors, self.purposes);
        let (channels, frequency) = match self.marketing {
            None => (
                vec![Channel::Email, Channel::Sms, Channel::Phone, Channel::Zalo],
                None,
            ),
            Some(m) => {
                if m.channels.is_empty() {
                    errors.push(ConfigError::NoChannels);
                }
                let mut channels = Vec::new();
                for c in &m.channels {
                    match channel(c) {
                        // Twice, it would be said twice in the consent ("email và email").
                        Some(one) if channels.contains(&one) => {
                            errors.push(ConfigError::DuplicateChannel(c.clone()))
                        }
                        Some(one) => channels.push(one),
                        None => errors.push(ConfigError::BadChannel(c.clone())),
                    }
                }
                (channels, non_empty(m.frequency))
            }
        };
        for (key, text) in self.texts.iter() {
            if !crate::messages::is_text_name(key) {
                // What it would be filled with is unknown too: nothing more to say.
                errors.push(ConfigError::UnknownText(key.clone()));
                continue;
            }
            if text.trim().is_empty() {
                if !crate::messages::MAY_BE_EMPTY.contains(&key.as_str()) {
                    errors.push(ConfigError::EmptyText(key.clone()));
                }
                continue;
            }
            if key == "marketing_text" {
                for placeholder in ["{channels}", "{frequency}"] {
                    if !crate::search::contains(text, placeholder) {
                        errors.push(ConfigError::MarketingTermsLeftOut(placeholder));
                    }
                }
            }
            for placeholder in crate::messages::unknown_placeholders(key, text) {
                errors.push(ConfigError::UnknownPlaceholder {
                    text: key.clone(),
                    placeholder: placeholder.to_owned(),
                });
            }
        }
        if self.industries.as_ref().is_some_and(Vec::is_empty) {
            errors.push(ConfigError::NoIndustries);
        }
        let business_hours = self.business_hours.unwrap_or_default();
        errors.extend(
            business_hours
                .problems()
                .into_iter()
                .map(ConfigError::BadBusinessHours),
        );

        // Unreadable values leave it incomplete, even when nothing else is wrong.
        if !errors.is_empty() || !self.unreadable.is_empty() {
            return Err(errors);
        }
        Ok(Config {
            kind,
            endpoint,
            locale,
            policy_url,
            policy_version: non_empty(self.policy_version),
            controller,
            controller_contact: non_empty(self.controller_contact),
            withdraw_endpoint,
            guardian,
            key: key.unwrap_or(KeySource::Url(String::new())),
            fields,
            purposes,
            custom_purposes,
            texts: self.texts,
            industries: self
                .industries
                .filter(|list| !list.is_empty())
                .unwrap_or_else(|| {
                    locale
                        .pick(DEFAULT_INDUSTRIES, DEFAULT_INDUSTRIES_EN)
                        .iter()
                        .map(|s| (*s).to_owned())
                        .collect()
                }),
            business_hours,
            channels,
            frequency,
            retention: non_empty(self.retention),
            recipients: self.recipients.unwrap_or_default(),
            min_fill_ms: self.min_fill_ms.unwrap_or(DEFAULT_MIN_FILL_MS),
            timeout_ms: self
                .timeout_ms
                .unwrap_or(DEFAULT_TIMEOUT_MS)
                .clamp(*TIMEOUT_MS_RANGE.start(), *TIMEOUT_MS_RANGE.end()),
        })
    }
}

fn channel(id: &str) -> Option<Channel> {
    let id = id.trim().to_ascii_lowercase();
    [Channel::Email, Channel::Sms, Channel::Phone, Channel::Zalo]
        .into_iter()
        .find(|c| c.id() == id)
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// Whether `url` is usable: absolute http(s), or a path on this site (the browser
/// resolves it); never `javascript:` or `data:`.
pub fn usable_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let ok = (lower.starts_with("https://") || lower.starts_with("http://")) && url.len() > 8
        || (url.starts_with('/') && !url.starts_with("//"))
        || url.starts_with("./")
        || url.starts_with("../");
    ok && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn check_url(errors: &mut Vec<ConfigError>, setting: &'static str, url: &str) {
    if !usable_url(url) {
        errors.push(ConfigError::BadUrl {
            setting,
            value: url.to_owned(),
        });
    }
}

fn purposes(
    errors: &mut Vec<ConfigError>,
    given: Option<Vec<PurposeSetting>>,
) -> (Vec<Purpose>, Vec<CustomPurpose>) {
    // By default recording is asked on both forms: each collects a phone number, so the
    // visitor may be called either way.
    let given = given.unwrap_or_else(|| {
        ["consultation", "marketing", "call_recording"]
            .into_iter()
            .map(|id| PurposeSetting::Named(id.into()))
            .collect()
    });
    let mut out: Vec<Purpose> = Vec::new();
    let mut custom_purposes = Vec::new();
    for setting in given {
        let purpose = match setting {
            PurposeSetting::Named(name) => match Purpose::parse(name.trim()) {
                Ok(p) if !matches!(p, Purpose::Custom(_)) => p,
                _ => {
                    errors.push(ConfigError::UnknownPurpose(name));
                    continue;
                }
            },
            PurposeSetting::Custom(custom) => {
                let purpose = match crate::consent::CustomPurposeId::parse(&custom.id) {
                    Ok(id) => Purpose::Custom(id),
                    Err(why) => {
                        errors.push(ConfigError::BadCustomPurpose(format!(
                            "id \"{}\": {why}",
                            custom.id
                        )));
                        continue;
                    }
                };
                if custom.text.trim().is_empty() {
                    errors.push(ConfigError::BadCustomPurpose(format!(
                        "\"{}\" has no text",
                        custom.id
                    )));
                    continue;
                }
                for category in &custom.sensitive {
                    if crate::consent::SensitiveCategory::parse(category).is_none() {
                        errors.push(ConfigError::BadSensitiveCategory(category.clone()));
                    }
                }
                if !out.contains(&purpose) {
                    custom_purposes.push(custom);
                }
                purpose
            }
        };
        if out.contains(&purpose) {
            errors.push(ConfigError::DuplicatePurpose(purpose.id().to_owned()));
            continue;
        }
        out.push(purpose);
    }
    // The consultation consent is why the data is collected: it is always asked, first.
    out.retain(|p| *p != Purpose::Consultation);
    out.insert(0, Purpose::Consultation);
    (out, custom_purposes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minimal() -> RawConfig {
        RawConfig {
            endpoint: Some("/api/leads".into()),
            policy_url: Some("/privacy".into()),
            controller: Some("Công ty TNHH Ví Dụ".into()),
            key_url: Some("/api/keys".into()),
            ..RawConfig::default()
        }
    }

    #[test]
    fn a_misspelt_attribute_is_told_from_the_pages_own() {
        for (typed, meant) in [
            ("endpont", "endpoint"),
            ("endpiont", "endpoint"),
            ("policy_url", "policy_url"),
            ("policyurl", "policy_url"),
            ("keyurl", "key_url"),
            ("key_url", "key_url"),
            ("local", "locale"),
            ("controler", "controller"),
            ("Policy_Version", "policy_version"),
            ("withdraw_endpoint", "withdraw_endpoint"),
            ("minor", "minors"),
            ("kinds", "kind"),
        ] {
            assert_eq!(misspelt_attribute(typed), Some(meant), "{typed}");
        }
        for own in [
            "kind",
            "endpoint",
            "policy-url",
            "key-url",
            "id",
            "class",
            "style",
            "lang",
            "dir",
            "title",
            "hidden",
            "slot",
            "part",
            "name",
            "role",
            "tabindex",
            "data-kind",
            "aria-label",
            "data-v-7ba5bd90",
            "_ngcontent-ng-c123",
            "ng-version",
            "is",
            "nonce",
            "inert",
            "action",
            "method",
            "target",
            "policy",
            "key",
            "url",
        ] {
            assert_eq!(misspelt_attribute(own), None, "{own}");
        }
    }

    #[test]
    fn a_marketing_channel_listed_twice_is_refused() {
        // Else the marketing consent said "email và email", and recorded it so.
        let mut raw = RawConfig {
            endpoint: Some("/e".into()),
            policy_url: Some("/p".into()),
            controller: Some("C".into()),
            key_url: Some("/k".into()),
            ..RawConfig::default()
        };
        raw.marketing = Some(MarketingSettings {
            channels: vec!["email".into(), "zalo".into(), "email".into()],
            frequency: None,
        });
        let errors = raw.validate().unwrap_err();
        assert_eq!(errors, [ConfigError::DuplicateChannel("email".into())]);
        assert_eq!(
            errors[0].to_string(),
            "marketing channel \"email\" is listed twice"
        );
    }

    #[test]
    fn a_misspelt_json_key_is_named_with_the_one_meant_not_called_missing() {
        for (typed, meant) in [
            ("polciy_url", "policy_url"),
            ("key-url", "key_url"),
            ("keyUrl", "key_url"),
            ("policyUrl", "policy_url"),
            ("purpose", "purposes"),
            ("text", "texts"),
            ("businessHours", "business_hours"),
            ("endpiont", "endpoint"),
        ] {
            assert_eq!(misspelt_key(typed), Some(meant), "{typed}");
        }
        for other in ["id", "name", "config", "captcha_key", "version"] {
            assert_eq!(misspelt_key(other), None, "{other}");
        }
        // In the JSON: the hint, and the setting not also called missing.
        let json = crate::json::parse(
            r#"{"endpoint": "/e", "polciy_url": "/p", "controller": "C", "keyUrl": "/k"}"#,
        )
        .unwrap();
        let (raw, said) = RawConfig::read_json(&json);
        assert_eq!(said.len(), 2, "{said:#?}");
        assert!(said[0].starts_with("unknown key `polciy_url`, expected one of kind,"));
        assert!(
            said[0].ends_with(": did you mean `policy_url`?"),
            "{}",
            said[0]
        );
        assert!(
            said[1].ends_with(": did you mean `key_url`?"),
            "{}",
            said[1]
        );
        assert_eq!(raw.validate(), Err(vec![]), "nothing called missing");
    }

    #[test]
    fn an_attribute_only_the_json_can_give_is_told() {
        for (typed, meant) in [
            ("retention", "retention"),
            ("texts", "texts"),
            ("purposes", "purposes"),
            ("fields", "fields"),
            ("timeout-ms", "timeout_ms"),
            ("min_fill_ms", "min_fill_ms"),
            ("business-hours", "business_hours"),
            ("businesshours", "business_hours"),
            ("Industries", "industries"),
        ] {
            assert_eq!(json_only_attribute(typed), Some(meant), "{typed}");
            assert_eq!(misspelt_attribute(typed), None, "{typed}");
        }
        for other in [
            "kind",
            "endpoint",
            "policy-url",
            "id",
            "class",
            "hidden",
            "text",
            "key",
        ] {
            assert_eq!(json_only_attribute(other), None, "{other}");
        }
    }

    #[test]
    fn the_element_observes_every_attribute_it_reads() {
        // `observedAttributes` in the shipped module: a change to any of them updates
        // the form. They are the string settings, kebab-case.
        let js = include_str!("js/consent-form.js");
        let observed = crate::messages::tests::quoted_items(js, "const ATTRIBUTES = [", "];");
        let strings = RawConfig::default().strings_mut().len();
        let read: Vec<String> = crate::config::from_json::KEYS[..strings]
            .iter()
            .map(|k| k.replace('_', "-"))
            .collect();
        assert_eq!(observed, read);
        // The TypeScript types name the same attributes (frameworks' templates use them).
        let dts = include_str!("js/consent-form.d.ts");
        let start = dts
            .find("export interface ConsentFormAttributes {")
            .expect("ConsentFormAttributes in the types");
        let body = &dts[start..start + dts[start..].find("\n}").unwrap()];
        let typed: Vec<String> = body
            .lines()
            .skip(1)
            .filter_map(|l| l.trim().split_once("?:"))
            .map(|(name, _)| name.trim_matches('\'').to_owned())
            .collect();
        assert_eq!(typed, read);
    }

    #[test]
    fn minors_take_a_declaration_by_default_or_a_guardian() {
        let with = |m: &str| {
            RawConfig {
                minors: Some(m.into()),
                ..minimal()
            }
            .validate()
        };
        assert!(!minimal().validate().unwrap().guardian);
        assert!(!with("declare").unwrap().guardian);
        assert!(with(" guardian ").unwrap().guardian);
        let errors = with("parents").unwrap_err();
        assert_eq!(errors, [ConfigError::UnknownMinors("parents".into())]);
        assert!(errors[0].to_string().contains("\"guardian\""));
        let json = RawConfig::from_json_text(r#"{"minors": "guardian"}"#).unwrap();
        assert_eq!(json.minors.as_deref(), Some("guardian"));
    }

    #[test]
    fn contradictions_and_typos_that_would_pass_silently_are_errors() {
        let mut raw = minimal();
        raw.fields.insert(
            "name".into(),
            FieldSettings {
                required: Some(true),
                hidden: Some(true),
            },
        );
        raw.industries = Some(Vec::new());
        raw.texts
            .insert("submit".into(), "Gửi cho {controler}".into());
        raw.texts.insert(
            "marketing_text".into(),
            "Tôi muốn nhận tin qua {channels}.".into(),
        );
        raw.business_hours = Some(BusinessHours {
            windows: vec!["09:00-11:00".into(), "09:00-11:00".into()],
            ..BusinessHours::default()
        });
        let errors = raw.validate().unwrap_err();
        assert_eq!(
            errors,
            [
                ConfigError::HiddenAndRequired("name".into()),
                ConfigError::MarketingTermsLeftOut("{frequency}"),
                ConfigError::UnknownPlaceholder {
                    text: "submit".into(),
                    placeholder: "controler".into()
                },
                ConfigError::NoIndustries,
                ConfigError::BadBusinessHours("window \"09:00-11:00\" is listed twice".into()),
            ]
        );
        assert!(errors[1].to_string().contains("must say {frequency}"));
        assert_eq!(
            errors[2].to_string(),
            "`texts.submit` holds {controler}, which this text is not filled with (it takes no placeholders)"
        );
    }

    /// The configuration of the report: a callback form, fully configured, but for a
    /// number where `retention` takes words.
    const ONE_MISTAKE: &str = r#"{"kind": "callback", "endpoint": "/api/leads", "key_url": "/api/keys",
        "policy_url": "/p", "controller": "ACME", "retention": 5}"#;

    /// Reads `json` as the element does (what can be read of it, and its problems) and
    /// validates it: every problem, as the developer reads them.
    fn problems(json: &str) -> Vec<String> {
        let (raw, mut problems) = RawConfig::read_json(&crate::json::parse(json).unwrap());
        if let Err(errors) = raw.validate() {
            problems.extend(errors.iter().map(ToString::to_string));
        }
        problems
    }

    #[test]
    fn one_mistake_is_one_problem_and_no_given_key_is_called_missing() {
        assert_eq!(
            problems(ONE_MISTAKE),
            ["`retention`: expected a string, found a number"]
        );
        let with = |json: &str| ONE_MISTAKE.replace(r#""retention": 5"#, json);
        for (json, expected) in [
            (
                r#""retention": "24 tháng", "endpiont": "/x""#,
                "unknown key `endpiont`, expected one of kind, endpoint,",
            ),
            (
                r#""retention": "24 tháng", "fields": {"name": {"requried": false}}"#,
                "unknown key `fields.name.requried`, expected one of required, hidden",
            ),
            (
                r#""retention": "24 tháng", "min_fill_ms": "soon""#,
                "`min_fill_ms`: expected a whole number",
            ),
            (
                r#""retention": "24 tháng", "purposes": ["marketing", {"id": "partner"}]"#,
                "`purposes[1].text` is missing",
            ),
            (
                r#""retention": "24 tháng", "purposes": [{"id": "partner", "text": 7}]"#,
                "`purposes[0].text`: expected a string, found a number",
            ),
            (
                r#""retention": "24 tháng", "business_hours": {"days": [1, "tue"]}"#,
                "`business_hours.days[1]`: expected a day number",
            ),
            (
                r#""retention": "24 tháng", "business_hours": {"days": ["mon"]}"#,
                "`business_hours.days[0]`: expected a day number",
            ),
            (
                r#""retention": "24 tháng", "marketing": {"channels": "zalo"}"#,
                "`marketing.channels`: expected an array of strings, none of them empty, found a string",
            ),
        ] {
            let said = problems(&with(json));
            assert_eq!(said.len(), 1, "{json}: {said:#?}");
            assert!(said[0].starts_with(expected), "{json}: {said:#?}");
        }
        // A required setting given with a value that cannot be read: its type is the
        // problem, not its absence; the same for what depends on it.
        for (json, expected) in [
            (
                ONE_MISTAKE.replace(r#""endpoint": "/api/leads""#, r#""endpoint": 1"#),
                "`endpoint`: expected a string, found a number",
            ),
            (
                ONE_MISTAKE.replace(r#""policy_url": "/p""#, r#""policy_url": ["/p"]"#),
                "`policy_url`: expected a string, found an array",
            ),
            (
                ONE_MISTAKE.replace(
                    r#""controller": "ACME""#,
                    r#""controller": {"name": "ACME"}"#,
                ),
                "`controller`: expected a string, found an object",
            ),
            (
                ONE_MISTAKE.replace(r#""key_url": "/api/keys""#, r#""secret": true"#),
                "`secret`: expected a string, found true or false",
            ),
            (
                ONE_MISTAKE.replace(
                    r#""kind": "callback""#,
                    r#""kind": ["callback"], "fields": {"topic": {"required": true}}"#,
                ),
                "`kind`: expected a string, found an array",
            ),
        ] {
            let said = problems(&json);
            assert!(said[0].starts_with(expected), "{said:#?}");
            assert!(
                !said
                    .iter()
                    .any(|p| p.contains("is required") || p.contains("has no field")),
                "{json}: {said:#?}"
            );
        }
        // A key really left out is still missing, with the other problems.
        let said = problems(&ONE_MISTAKE.replace(r#""controller": "ACME", "#, ""));
        assert_eq!(
            said,
            [
                "`retention`: expected a string, found a number",
                "`controller` is required"
            ]
        );
        // Nothing can be read: nothing is called missing.
        assert_eq!(problems("[1]"), ["expected an object, found an array"]);
        // … and it is not a configuration either (its problems are said where it was read).
        assert_eq!(RawConfig::unreadable().validate(), Err(vec![]));
    }

    #[test]
    fn a_text_takes_only_the_placeholders_it_is_filled_with() {
        let mut raw = minimal();
        for (name, text) in [
            ("title_callback", "Call me, {controller}"),
            ("submit", "Send {n} {label}"),
            ("intro", "{channels} {frequency}"),
            ("print", "{reason}"),
            // Their own: accepted.
            ("status_failed", "{reason}. Call {controller}."),
            (
                "marketing_method",
                "Sent by {channels}, {frequency}, for {controller}.",
            ),
            ("no_days", "Call {controller}."),
            ("err_too_long", "{len} > {n}"),
        ] {
            raw.texts.insert(name.into(), text.into());
        }
        let errors = raw.validate().unwrap_err();
        let said: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            said,
            [
                "`texts.intro` holds {channels}, which this text is not filled with (it takes no placeholders)",
                "`texts.intro` holds {frequency}, which this text is not filled with (it takes no placeholders)",
                "`texts.print` holds {reason}, which this text is not filled with (it takes no placeholders)",
                "`texts.submit` holds {n}, which this text is not filled with (it takes no placeholders)",
                "`texts.submit` holds {label}, which this text is not filled with (it takes no placeholders)",
                "`texts.title_callback` holds {controller}, which this text is not filled with (it takes no placeholders)",
            ]
        );
        let mut raw = minimal();
        raw.texts
            .insert("withdraw_failed".into(), "{reason} ({status})".into());
        raw.texts
            .insert("day_format".into(), "{weekday} {time}".into());
        let said: Vec<String> = raw
            .validate()
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            said,
            [
                "`texts.day_format` holds {time}, which this text is not filled with (it takes {weekday}, {month}, {d}, {dd}, {m}, {mm}, {yyyy})",
                "`texts.withdraw_failed` holds {status}, which this text is not filled with (it takes {reason}, {controller})",
            ]
        );
    }

    #[test]
    fn an_empty_text_is_refused_but_where_it_may_be_left_out() {
        let mut raw = minimal();
        raw.texts.insert("age_statement".into(), "".into());
        assert!(raw.clone().validate().is_ok(), "the age statement may go");
        raw.texts.insert("age_statement".into(), "  ".into());
        assert!(raw.clone().validate().is_ok());
        for (name, text) in [("submit", ""), ("label_phone", " \n\t"), ("weekday_1", " ")] {
            raw.texts.insert(name.into(), text.into());
        }
        let errors = raw.validate().unwrap_err();
        assert_eq!(
            errors,
            [
                ConfigError::EmptyText("label_phone".into()),
                ConfigError::EmptyText("submit".into()),
                ConfigError::EmptyText("weekday_1".into()),
            ]
        );
        assert_eq!(
            errors[1].to_string(),
            "`texts.submit` is empty: give the words to show, or leave it out for the built-in text (only age_statement may be empty)"
        );
        // The marketing sentence too, once (not also for what it leaves out).
        let mut raw = minimal();
        raw.texts.insert("marketing_text".into(), "".into());
        assert_eq!(
            raw.validate().unwrap_err(),
            [ConfigError::EmptyText("marketing_text".into())]
        );
    }

    #[test]
    fn an_empty_channel_list_is_said_so() {
        assert_eq!(
            problems(&ONE_MISTAKE.replace(
                r#""retention": 5"#,
                r#""marketing": {"channels": []}"#
            )),
            ["`marketing.channels` is empty: list at least one of email, sms, phone, zalo (or leave `marketing` out for all four)"]
        );
        assert_eq!(
            problems(&ONE_MISTAKE.replace(
                r#""retention": 5"#,
                r#""marketing": {"channels": ["zalo", "fax"]}"#
            )),
            ["marketing channel \"fax\" is unknown; use email, sms, phone or zalo"]
        );
    }

    #[test]
    fn every_business_hours_problem_is_listed() {
        let said = problems(&ONE_MISTAKE.replace(
            r#""retention": 5"#,
            r#""business_hours": {"windows": ["11:00-09:00", "25:00-26:00"], "days": [0, 1]}"#,
        ));
        assert_eq!(
            said,
            [
                "`business_hours`: day 0 in `days` is not a day of the week: 1 = Monday … 7 = Sunday",
                "`business_hours`: window \"11:00-09:00\" is not \"HH:MM-HH:MM\" with start before end",
                "`business_hours`: window \"25:00-26:00\" is not \"HH:MM-HH:MM\" with start before end",
            ]
        );
        let said = problems(&ONE_MISTAKE.replace(
            r#""retention": 5"#,
            r#""business_hours": {"days": [1, 2, 3, 4, 5, 6, 7], "windows": ["00:00-00:30"], "days_ahead": 1}"#,
        ));
        assert_eq!(said.len(), 1, "{said:#?}");
        assert!(said[0].starts_with("`business_hours`: no slot can ever be booked"));
        // Mondays only, today only: some days there is one, so not the configuration's
        // fault (the form says so on the day: BusinessHours::no_day_left).
        assert_eq!(
            problems(&ONE_MISTAKE.replace(
                r#""retention": 5"#,
                r#""business_hours": {"days": [1], "days_ahead": 1}"#,
            )),
            Vec::<String>::new()
        );
    }

    #[test]
    fn the_texts_worded_by_the_logic_are_accepted_and_a_misspelt_one_is_not() {
        let mut raw = minimal();
        for (name, text) in [
            ("phone_too_short", "Thiếu {count} số."),
            ("email_local_accent", "Bỏ dấu ở “{ch}” (ký tự {n})."),
            ("weekday_7", "CN"),
            ("month_12", "December"),
            ("day_format", "{weekday} {dd}/{mm}/{yyyy}"),
            ("receipt_time_format", "{time} {d}/{m} (UTC{offset})"),
        ] {
            raw.texts.insert(name.into(), text.into());
        }
        assert!(raw.clone().validate().is_ok());
        for typo in ["phone_to_short", "weekday_8", "month_0", "email_missing"] {
            let mut bad = raw.clone();
            bad.texts.insert(typo.into(), "x".into());
            assert_eq!(
                bad.validate().unwrap_err(),
                [ConfigError::UnknownText(typo.into())]
            );
        }
        raw.texts
            .insert("phone_too_long".into(), "Thừa {cout} số.".into());
        assert_eq!(
            raw.validate().unwrap_err(),
            [ConfigError::UnknownPlaceholder {
                text: "phone_too_long".into(),
                placeholder: "cout".into()
            }]
        );
    }

    #[test]
    fn defaults_fill_in() {
        let config = minimal().validate().unwrap();
        assert_eq!(config.kind, FormKind::Contact);
        assert_eq!(config.locale, Locale::Vi);
        let ids: Vec<&str> = config.purposes.iter().map(|p| p.id()).collect();
        assert_eq!(ids, ["consultation", "marketing", "call_recording"]);
        assert_eq!(config.fields.len(), 6);
        assert!(config.industries.len() > 5);
    }

    #[test]
    fn a_chosen_industry_carries_to_the_language_switched_to() {
        let in_locale = |locale: &str| {
            RawConfig {
                locale: Some(locale.into()),
                ..minimal()
            }
            .validate()
            .unwrap()
        };
        let (vi, en) = (in_locale("vi"), in_locale("en"));
        assert_eq!(DEFAULT_INDUSTRIES.len(), DEFAULT_INDUSTRIES_EN.len());
        for (v, e) in DEFAULT_INDUSTRIES.iter().zip(DEFAULT_INDUSTRIES_EN) {
            assert_eq!(en.industry_option(v), Some(*e));
            assert_eq!(vi.industry_option(e), Some(*v));
            assert_eq!(vi.industry_option(v), Some(*v));
        }
        assert_eq!(en.industry_option("Bán buôn"), None);
        assert_eq!(en.industry_option(""), None);
        // A host's own list is kept as it is: no line of it is another's translation.
        let own = RawConfig {
            locale: Some("en".into()),
            industries: Some(vec!["Retail".into(), "Sản xuất".into()]),
            ..minimal()
        }
        .validate()
        .unwrap();
        assert_eq!(own.industry_option("Sản xuất"), Some("Sản xuất"));
        assert_eq!(own.industry_option("Bán lẻ & thương mại điện tử"), None);
    }

    #[test]
    fn every_problem_is_listed() {
        let raw = RawConfig {
            kind: Some("newsletter".into()),
            locale: Some("fr".into()),
            purposes: Some(vec![PurposeSetting::Named("profiling".into())]),
            texts: [("no_such_text".to_owned(), "x".to_owned())].into(),
            ..RawConfig::default()
        };
        let errors = raw.validate().unwrap_err();
        assert!(errors.contains(&ConfigError::UnknownKind("newsletter".into())));
        assert!(errors.contains(&ConfigError::UnknownLocale("fr".into())));
        assert!(errors.contains(&ConfigError::Missing("endpoint")));
        assert!(errors.contains(&ConfigError::Missing("controller")));
        assert!(errors.contains(&ConfigError::Missing("key-url (or secret)")));
        assert!(errors.contains(&ConfigError::UnknownPurpose("profiling".into())));
        assert!(errors.contains(&ConfigError::UnknownText("no_such_text".into())));
    }

    #[test]
    fn urls_are_checked() {
        let raw = RawConfig {
            endpoint: Some("javascript:alert(1)".into()),
            ..minimal()
        };
        assert!(matches!(
            raw.validate().unwrap_err()[0],
            ConfigError::BadUrl {
                setting: "endpoint",
                ..
            }
        ));
        let raw = RawConfig {
            endpoint: Some("//evil.example".into()),
            ..minimal()
        };
        assert!(raw.validate().is_err());
        let raw = RawConfig {
            endpoint: Some("https://crm.example.vn/hook".into()),
            ..minimal()
        };
        assert!(raw.validate().is_ok());
    }

    #[test]
    fn the_withdraw_endpoint_is_optional_and_checked_like_the_endpoint() {
        assert_eq!(minimal().validate().unwrap().withdraw_endpoint, None);
        let with = |url: &str| RawConfig {
            withdraw_endpoint: Some(url.into()),
            ..minimal()
        };
        assert_eq!(
            with("/api/withdrawals")
                .validate()
                .unwrap()
                .withdraw_endpoint
                .as_deref(),
            Some("/api/withdrawals")
        );
        assert_eq!(with("  ").validate().unwrap().withdraw_endpoint, None);
        for bad in ["javascript:alert(1)", "//evil.example", "/a b"] {
            let errors = with(bad).validate().unwrap_err();
            assert_eq!(
                errors,
                [ConfigError::BadUrl {
                    setting: "withdraw-endpoint",
                    value: bad.into()
                }]
            );
            assert_eq!(
                errors[0].to_string(),
                format!("`withdraw-endpoint` \"{bad}\" is not a usable URL: give an https: URL or a path starting with /")
            );
        }
        let json =
            RawConfig::from_json_text(r#"{"withdraw_endpoint": "https://crm.example.vn/w"}"#)
                .unwrap();
        assert_eq!(
            json.withdraw_endpoint.as_deref(),
            Some("https://crm.example.vn/w")
        );
    }

    #[test]
    fn key_sources() {
        let raw = RawConfig {
            secret: Some("whsec_abc".into()),
            ..minimal()
        };
        assert_eq!(
            raw.validate().unwrap_err(),
            vec![ConfigError::TwoKeySources]
        );
        let raw = RawConfig {
            key_url: None,
            secret: Some("abc".into()),
            ..minimal()
        };
        assert_eq!(
            raw.validate().unwrap_err(),
            vec![ConfigError::BadSecret(SecretError::MissingPrefix)]
        );
        // Prefixed, but no base64 key after it: refused here, not at the first submit.
        for (secret, why) in [
            ("whsec_", SecretError::Empty),
            ("whsec_!!!notbase64", SecretError::InvalidBase64),
        ] {
            let raw = RawConfig {
                key_url: None,
                secret: Some(secret.into()),
                ..minimal()
            };
            assert_eq!(
                raw.validate().unwrap_err(),
                vec![ConfigError::BadSecret(why)]
            );
        }
        let raw = RawConfig {
            key_url: None,
            secret: Some("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".into()),
            ..minimal()
        };
        let config = raw.validate().unwrap();
        assert_eq!(format!("{:?}", config.key), "Inline(…)");
    }

    #[test]
    fn fields_can_be_optional_or_hidden_but_not_the_essential_ones() {
        let mut raw = minimal();
        raw.fields.insert(
            "company".into(),
            FieldSettings {
                hidden: Some(true),
                ..Default::default()
            },
        );
        raw.fields.insert(
            "email".into(),
            FieldSettings {
                required: Some(true),
                ..Default::default()
            },
        );
        let config = raw.clone().validate().unwrap();
        assert!(!config.fields.iter().any(|(f, _)| f.as_str() == "company"));
        assert!(config
            .fields
            .iter()
            .any(|(f, r)| f.as_str() == "email" && *r));

        raw.fields.insert(
            "phone".into(),
            FieldSettings {
                hidden: Some(true),
                ..Default::default()
            },
        );
        raw.fields
            .insert("callback_date".into(), FieldSettings::default());
        let errors = raw.validate().unwrap_err();
        assert!(errors.contains(&ConfigError::FieldMustStay("phone".into())));
        assert!(errors.iter().any(
            |e| matches!(e, ConfigError::UnknownField { name, .. } if name == "callback_date")
        ));
    }

    #[test]
    fn consultation_is_always_asked_and_custom_purposes_are_checked() {
        let raw = RawConfig {
            purposes: Some(vec![
                PurposeSetting::Named("marketing".into()),
                PurposeSetting::Custom(CustomPurpose {
                    id: "share_partner".into(),
                    text: "Chia sẻ với đối tác ABC".into(),
                    details: None,
                    data: None,
                    recipients: vec!["ABC".into()],
                    consequences: None,
                    method: None,
                    sensitive: vec!["health".into()],
                }),
            ]),
            ..minimal()
        };
        let ids: Vec<String> = raw
            .validate()
            .unwrap()
            .purposes
            .iter()
            .map(|p| p.id().to_owned())
            .collect();
        assert_eq!(ids, ["consultation", "marketing", "share_partner"]);

        let raw = RawConfig {
            purposes: Some(vec![
                PurposeSetting::Named("marketing".into()),
                PurposeSetting::Named("marketing".into()),
                PurposeSetting::Custom(CustomPurpose {
                    id: "Bad Id".into(),
                    text: "x".into(),
                    details: None,
                    data: None,
                    recipients: vec![],
                    consequences: None,
                    method: None,
                    sensitive: vec![],
                }),
                PurposeSetting::Custom(CustomPurpose {
                    id: "fortune".into(),
                    text: "Xem bói".into(),
                    details: None,
                    data: None,
                    recipients: vec![],
                    consequences: None,
                    method: None,
                    sensitive: vec!["tarot".into()],
                }),
            ]),
            ..minimal()
        };
        let errors = raw.validate().unwrap_err();
        assert!(errors.contains(&ConfigError::DuplicatePurpose("marketing".into())));
        assert!(errors
            .iter()
            .any(|e| matches!(e, ConfigError::BadCustomPurpose(_))));
        assert!(errors.contains(&ConfigError::BadSensitiveCategory("tarot".into())));
    }

    #[test]
    fn overlay_prefers_the_later_source() {
        let base = RawConfig {
            kind: Some("contact".into()),
            endpoint: Some("/a".into()),
            ..Default::default()
        };
        let top = RawConfig {
            kind: Some("callback".into()),
            ..Default::default()
        };
        let merged = base.overlay(top);
        assert_eq!(merged.kind.as_deref(), Some("callback"));
        assert_eq!(merged.endpoint.as_deref(), Some("/a"));
    }

    #[test]
    fn request_timeout_defaults_and_stays_in_range() {
        assert_eq!(minimal().validate().unwrap().timeout_ms, DEFAULT_TIMEOUT_MS);
        let with = |ms| {
            RawConfig {
                timeout_ms: Some(ms),
                ..minimal()
            }
            .validate()
            .unwrap()
            .timeout_ms
        };
        assert_eq!(with(1_500), 1_500);
        assert_eq!(with(0), 100);
        assert_eq!(with(u32::MAX), 600_000);
        let raw = RawConfig::from_json_text(r#"{"timeout_ms": 2000}"#).unwrap();
        assert_eq!(minimal().overlay(raw).validate().unwrap().timeout_ms, 2_000);
    }

    #[test]
    fn json_with_a_typo_is_refused_by_name() {
        let err = RawConfig::from_json_text(r#"{"endpiont": "/x"}"#).unwrap_err();
        assert!(err[0].contains("endpiont"), "{err:?}");
    }

    #[test]
    fn the_typescript_config_keys_are_the_keys_read() {
        // `ConsentFormConfig` in the shipped .d.ts has exactly the keys the JSON reader
        // takes, plus `captcha` (a function: mount()'s object only).
        let dts = include_str!("js/consent-form.d.ts");
        let start = dts
            .find("export interface ConsentFormConfig {")
            .expect("ConsentFormConfig in the .d.ts");
        let body = &dts[start..start + dts[start..].find("\n}").expect("its end")];
        let mut declared: Vec<&str> = body
            .lines()
            .filter_map(|l| l.strip_prefix("  ")?.split_once("?:").map(|(k, _)| k))
            .collect();
        let mut keys: Vec<&str> = crate::config::from_json::KEYS.to_vec();
        keys.push("captcha");
        declared.sort_unstable();
        keys.sort_unstable();
        assert_eq!(declared, keys);
    }
}
