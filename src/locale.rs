//! The visitor's language: Vietnamese by default, English on request.

use serde::{Deserialize, Serialize};

/// A language the component speaks. Vietnamese is the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    /// Vietnamese (`vi`), the default.
    #[default]
    Vi,
    /// English (`en`).
    En,
}

impl Locale {
    /// Parses a BCP 47 tag loosely: `vi`, `vi-VN`, `en`, `en-US`… (case-insensitive).
    /// Anything else is `None`.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("vi") {
            Some(Locale::Vi)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Locale::En)
        } else {
            None
        }
    }

    /// The BCP 47 tag: `"vi"` or `"en"`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::Vi => "vi",
            Locale::En => "en",
        }
    }

    /// Picks the string for this locale.
    pub fn pick<T>(self, vi: T, en: T) -> T {
        match self {
            Locale::Vi => vi,
            Locale::En => en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags() {
        assert_eq!(Locale::from_tag("vi-VN"), Some(Locale::Vi));
        assert_eq!(Locale::from_tag(" EN_us "), Some(Locale::En));
        assert_eq!(Locale::from_tag("fr"), None);
        assert_eq!(Locale::from_tag(""), None);
        assert_eq!(Locale::default().tag(), "vi");
    }
}
