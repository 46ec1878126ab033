//! The two forms and their fields. A field's name is part of the public contract: it is
//! the input's `name` and the key in the payload's `fields`.

use serde::{Deserialize, Serialize};

mod values;

pub use values::{FieldSet, FieldValues};

/// Which form is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FormKind {
    /// A consultation request: company, name, industry, need, phone, email.
    Contact,
    /// A callback request: name, phone, a date and time window, topic.
    Callback,
}

impl FormKind {
    /// Reads `contact` or `callback` (case-insensitive, trimmed).
    pub fn parse(text: &str) -> Option<FormKind> {
        match text.trim().to_ascii_lowercase().as_str() {
            "contact" => Some(FormKind::Contact),
            "callback" => Some(FormKind::Callback),
            _ => None,
        }
    }

    /// `"contact"` or `"callback"`.
    pub fn as_str(self) -> &'static str {
        match self {
            FormKind::Contact => "contact",
            FormKind::Callback => "callback",
        }
    }

    /// The form's fields, in the order shown.
    pub fn fields(self) -> &'static [FieldName] {
        use FieldName::*;
        match self {
            FormKind::Contact => &[Company, Name, Industry, Need, Phone, Email],
            FormKind::Callback => &[Name, Phone, CallbackDate, CallbackWindow, Topic],
        }
    }
}

/// A field of one of the forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldName {
    /// The visitor's company.
    Company,
    /// The visitor's name.
    Name,
    /// The company's line of business (a select).
    Industry,
    /// What the visitor needs (free text).
    Need,
    /// The phone number (stored as E.164).
    Phone,
    /// The e-mail address.
    Email,
    /// The day to call back (`YYYY-MM-DD`, Asia/Ho_Chi_Minh).
    CallbackDate,
    /// The time window to call back (`HH:MM-HH:MM`, Asia/Ho_Chi_Minh).
    CallbackWindow,
    /// What the call is about.
    Topic,
    /// The name of the parent or guardian of a visitor under 16 (`minors: "guardian"`).
    GuardianName,
    /// The phone number of that parent or guardian (stored as E.164).
    GuardianPhone,
}

/// How a field is entered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    /// A one-line text input.
    Text,
    /// A multi-line text area.
    TextArea,
    /// A phone number input.
    Tel,
    /// An e-mail input.
    Email,
    /// A choice from a list.
    Select,
}

impl FieldName {
    /// Every field, in declaration order (which is also their sort order).
    pub const ALL: [FieldName; 11] = [
        FieldName::Company,
        FieldName::Name,
        FieldName::Industry,
        FieldName::Need,
        FieldName::Phone,
        FieldName::Email,
        FieldName::CallbackDate,
        FieldName::CallbackWindow,
        FieldName::Topic,
        FieldName::GuardianName,
        FieldName::GuardianPhone,
    ];

    /// The fields of a parent or guardian, asked for on either form when the host asks
    /// for a guardian's consent and the visitor says they are under 16.
    pub const GUARDIAN: [FieldName; 2] = [FieldName::GuardianName, FieldName::GuardianPhone];

    /// The name in HTML and in the payload.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldName::Company => "company",
            FieldName::Name => "name",
            FieldName::Industry => "industry",
            FieldName::Need => "need",
            FieldName::Phone => "phone",
            FieldName::Email => "email",
            FieldName::CallbackDate => "callback_date",
            FieldName::CallbackWindow => "callback_window",
            FieldName::Topic => "topic",
            FieldName::GuardianName => "guardian_name",
            FieldName::GuardianPhone => "guardian_phone",
        }
    }

    /// Reads a field name.
    pub fn parse(name: &str) -> Option<FieldName> {
        FieldName::ALL.into_iter().find(|f| f.as_str() == name)
    }

    /// How the field is entered.
    pub fn control(self) -> Control {
        match self {
            FieldName::Company | FieldName::Name | FieldName::Topic | FieldName::GuardianName => {
                Control::Text
            }
            FieldName::Need => Control::TextArea,
            FieldName::Phone | FieldName::GuardianPhone => Control::Tel,
            FieldName::Email => Control::Email,
            FieldName::Industry | FieldName::CallbackDate | FieldName::CallbackWindow => {
                Control::Select
            }
        }
    }

    /// The `autocomplete` token that lets browsers fill it in.
    pub fn autocomplete(self) -> &'static str {
        match self {
            FieldName::Company => "organization",
            FieldName::Name => "name",
            FieldName::Phone => "tel",
            FieldName::Email => "email",
            _ => "off",
        }
    }

    /// The most characters accepted (the payload's limit; the form counts down to it and
    /// never cuts what was typed or pasted).
    pub fn max_chars(self) -> usize {
        match self {
            FieldName::Need => 2000,
            FieldName::Topic => 500,
            FieldName::Email => 254,
            FieldName::Phone | FieldName::GuardianPhone => 40,
            FieldName::CallbackWindow => 11,
            FieldName::CallbackDate => 10,
            _ => 200,
        }
    }

    /// Whether the field is required when the host says nothing.
    pub fn required_by_default(self) -> bool {
        matches!(
            self,
            FieldName::Name
                | FieldName::Phone
                | FieldName::CallbackDate
                | FieldName::CallbackWindow
        )
    }

    /// Whether the form is useless without it, so the host cannot hide it.
    pub fn essential(self) -> bool {
        matches!(
            self,
            FieldName::Phone | FieldName::CallbackDate | FieldName::CallbackWindow
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in [FormKind::Contact, FormKind::Callback] {
            assert_eq!(FormKind::parse(kind.as_str()), Some(kind));
            for &field in kind.fields() {
                assert_eq!(FieldName::parse(field.as_str()), Some(field));
                assert_eq!(
                    serde_json::to_string(&field).unwrap(),
                    format!("\"{}\"", field.as_str())
                );
            }
        }
        assert_eq!(FormKind::parse(" Callback "), Some(FormKind::Callback));
        assert_eq!(FormKind::parse("newsletter"), None);
    }

    #[test]
    fn the_contract_field_names() {
        let names = |k: FormKind| k.fields().iter().map(|f| f.as_str()).collect::<Vec<_>>();
        assert_eq!(
            names(FormKind::Contact),
            ["company", "name", "industry", "need", "phone", "email"]
        );
        assert_eq!(
            names(FormKind::Callback),
            ["name", "phone", "callback_date", "callback_window", "topic"]
        );
    }
}
