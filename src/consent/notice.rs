//! What the visitor is told before agreeing to a purpose (SPEC rules 4, 5, 8, 11).

use serde::{Deserialize, Serialize};

use super::Purpose;
use crate::locale::Locale;

/// The notice of one purpose, as shown to the visitor, in one language.
///
/// The form builds it from its configuration and texts; [`Notice::text`] is exactly
/// what the visitor saw for this purpose (the consent sentence and its details), and
/// its hash goes into the consent record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// The purpose.
    pub purpose: Purpose,
    /// The exact text shown for this purpose: the sentence next to the checkbox and
    /// the details (purpose, data, controller, recipients, consequences, retention).
    pub text: String,
    /// The language of `text`.
    pub language: Locale,
    /// The purpose in plain words ("Liên hệ và tư vấn theo yêu cầu của bạn").
    pub description: String,
    /// The kinds of personal data used for this purpose. For data typed into the form,
    /// the field names (`name`, `phone` …); otherwise a short name (`call_audio`).
    pub data_types: Vec<String>,
    /// Whether sensitive personal data is processed (Decree 13/2023 Art. 2.4).
    pub sensitive: bool,
    /// Which kinds of sensitive data, when known.
    pub sensitive_categories: Vec<SensitiveCategory>,
    /// Who decides on the processing.
    pub controller: Controller,
    /// Other organisations that receive the data; empty when none.
    pub recipients: Vec<String>,
    /// Possible harm or unwanted consequences, including of refusing.
    pub consequences: String,
    /// When processing starts and ends; how long data is kept.
    pub retention: String,
    /// How to withdraw consent (as easy as giving it).
    pub withdrawal: String,
    /// For marketing: channels and frequency. `None` for other purposes.
    pub marketing: Option<MarketingTerms>,
}

/// The organisation that controls the data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Controller {
    /// Its name, as on the form's `controller` attribute.
    pub name: String,
    /// How to reach it about personal data (e-mail, address or URL), if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

/// How marketing reaches the person, which the law requires them to know (SPEC rule 11).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarketingTerms {
    /// The channels used, at least one.
    pub channels: Vec<Channel>,
    /// How often, in words ("at most twice a month").
    pub frequency: String,
}

/// A marketing channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// E-mail.
    Email,
    /// Text messages.
    Sms,
    /// Phone calls.
    Phone,
    /// Zalo messages.
    Zalo,
}

impl Channel {
    /// The channel's id: `email`, `sms`, `phone` or `zalo`.
    pub fn id(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::Phone => "phone",
            Channel::Zalo => "zalo",
        }
    }
}

/// A kind of sensitive personal data (Decree 13/2023/ND-CP Art. 2.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SensitiveCategory {
    /// Political or religious views.
    PoliticalOrReligiousViews,
    /// Health and medical records.
    Health,
    /// Racial or ethnic origin.
    RacialOrEthnicOrigin,
    /// Inherited or acquired genetic characteristics.
    Genetic,
    /// Biometric or physical characteristics.
    Biometric,
    /// Sex life or sexual orientation.
    SexLife,
    /// Criminal records.
    CriminalRecord,
    /// Customer data of credit institutions, banks and payment services.
    BankCustomer,
    /// Location identified by location services.
    Location,
    /// Other data the law names as sensitive.
    Other,
}

impl SensitiveCategory {
    /// Every category, in the Decree's order.
    pub const ALL: [SensitiveCategory; 10] = [
        SensitiveCategory::PoliticalOrReligiousViews,
        SensitiveCategory::Health,
        SensitiveCategory::RacialOrEthnicOrigin,
        SensitiveCategory::Genetic,
        SensitiveCategory::Biometric,
        SensitiveCategory::SexLife,
        SensitiveCategory::CriminalRecord,
        SensitiveCategory::BankCustomer,
        SensitiveCategory::Location,
        SensitiveCategory::Other,
    ];

    /// Its name in configuration and payloads: `health`, `bank_customer`…
    pub fn id(self) -> &'static str {
        match self {
            SensitiveCategory::PoliticalOrReligiousViews => "political_or_religious_views",
            SensitiveCategory::Health => "health",
            SensitiveCategory::RacialOrEthnicOrigin => "racial_or_ethnic_origin",
            SensitiveCategory::Genetic => "genetic",
            SensitiveCategory::Biometric => "biometric",
            SensitiveCategory::SexLife => "sex_life",
            SensitiveCategory::CriminalRecord => "criminal_record",
            SensitiveCategory::BankCustomer => "bank_customer",
            SensitiveCategory::Location => "location",
            SensitiveCategory::Other => "other",
        }
    }

    /// The category named `name` (surrounding spaces ignored).
    pub fn parse(name: &str) -> Option<SensitiveCategory> {
        let name = name.trim();
        SensitiveCategory::ALL.into_iter().find(|c| c.id() == name)
    }
}

/// The privacy policy the notice belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Where the full policy is (the form's `policy-url`).
    pub url: String,
    /// Which version of it was in force (the form's `policy-version`), if the host
    /// gave one.
    pub version: Option<String>,
}

#[cfg(test)]
mod sensitive_tests {
    use super::SensitiveCategory;

    #[test]
    fn ids_are_the_serialized_names() {
        for category in SensitiveCategory::ALL {
            assert_eq!(
                serde_json::to_string(&category).unwrap(),
                format!("\"{}\"", category.id())
            );
            assert_eq!(
                SensitiveCategory::parse(&format!(" {} ", category.id())),
                Some(category)
            );
        }
        assert_eq!(SensitiveCategory::parse("Health"), None);
    }
}
