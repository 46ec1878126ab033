//! What makes a payload acceptable, and what is wrong with one that is not.

use std::fmt;

use super::{ConsentEntry, Payload, Rfc3339};
use crate::consent::{
    record_id, EventType, Purpose, COLLECTION_METHOD, JURISDICTION, RECORD_SCHEMA_VERSION,
};
use crate::fields::{FieldName, FormKind};
use crate::signing::{is_sha256_hex, sha256_hex};

/// The most consent entries a payload may carry.
pub const MAX_CONSENTS: usize = 16;
/// The longest consent text, in characters.
pub const MAX_CONSENT_TEXT_CHARS: usize = 8000;
/// The longest captcha token, in bytes (providers' tokens are a few hundred to a few
/// thousand).
pub const MAX_CAPTCHA_TOKEN_BYTES: usize = 8192;
/// The longest policy URL, in characters.
const MAX_URL_CHARS: usize = 2048;
/// The longest policy version, in characters.
const MAX_VERSION_CHARS: usize = 100;
/// Vietnam's UTC offset, in which callback dates are given.
const VIETNAM_OFFSET_MINUTES: i32 = 7 * 60;

/// One thing wrong with a payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValidationError {
    /// `form` is neither `contact` nor `callback`.
    UnknownForm(String),
    /// A field the form does not have (nothing is collected that was not shown).
    FieldNotInForm {
        /// The field.
        field: FieldName,
        /// The form.
        form: FormKind,
    },
    /// A parent's or guardian's name or phone without their agreement (`guardian`).
    GuardianFieldWithoutAgreement(FieldName),
    /// A required field is absent.
    MissingField(FieldName),
    /// A field is present but blank; leave it out instead.
    EmptyField(FieldName),
    /// A field is longer than allowed.
    TooLong {
        /// The field.
        field: FieldName,
        /// The limit, in characters.
        max: usize,
        /// Its length, in characters.
        len: usize,
    },
    /// `phone` is not a valid Vietnamese number written in E.164 (`+84902666984`).
    InvalidPhone,
    /// `guardian_phone` is not a valid Vietnamese number written in E.164.
    InvalidGuardianPhone,
    /// `guardian`'s text is empty or too long, or `text_sha256` is not its SHA-256.
    BadGuardianConsent,
    /// `email` is not a valid address.
    InvalidEmail,
    /// `callback_date` is not a real date written `YYYY-MM-DD`.
    InvalidCallbackDate,
    /// `callback_date` is before the day of submission (Vietnam time).
    CallbackDateInPast,
    /// `callback_window` is not `HH:MM-HH:MM` with the start before the end.
    InvalidCallbackWindow,
    /// No entry for a purpose that must be shown (consultation).
    MissingConsent(Purpose),
    /// The consultation consent, without which the form cannot be sent, is not granted.
    ConsultationNotGranted,
    /// Two entries for the same purpose.
    DuplicateConsent(Purpose),
    /// More than [`MAX_CONSENTS`] entries.
    TooManyConsents(usize),
    /// A consent's text is empty.
    EmptyConsentText(Purpose),
    /// A consent's text is longer than [`MAX_CONSENT_TEXT_CHARS`].
    ConsentTextTooLong(Purpose),
    /// `text_sha256` is not the SHA-256 of `text`.
    TextHashMismatch(Purpose),
    /// `policy_url` is empty or too long, or `policy_version` is empty or too long.
    BadPolicy(Purpose),
    /// The marketing consent does not state at least one channel and a frequency.
    MarketingTermsMissing,
    /// A field was collected that the consultation notice does not list among its data
    /// types: the visitor was not told it would be used.
    FieldNotInNotice(FieldName),
    /// `captcha` is not a token: empty, over [`MAX_CAPTCHA_TOKEN_BYTES`], or with a
    /// character other than printable ASCII.
    BadCaptchaToken,
    /// The consent record disagrees with its entry or the payload; says which part.
    RecordMismatch {
        /// The entry's purpose.
        purpose: Purpose,
        /// Which part of the record: `schema_version`, `record_id`, `notice` …
        part: &'static str,
    },
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ValidationError::*;
        match self {
            UnknownForm(form) => {
                write!(
                    f,
                    "form \"{form}\" is unknown; expected \"contact\" or \"callback\""
                )
            }
            FieldNotInForm { field, form } => write!(
                f,
                "field `{}` is not part of the {} form",
                field.as_str(),
                form.as_str()
            ),
            GuardianFieldWithoutAgreement(field) => write!(
                f,
                "field `{}` comes only with `guardian`, the parent's or guardian's agreement",
                field.as_str()
            ),
            MissingField(field) => write!(f, "required field `{}` is missing", field.as_str()),
            EmptyField(field) => write!(f, "field `{}` is blank; omit it instead", field.as_str()),
            TooLong { field, max, len } => write!(
                f,
                "field `{}` has {len} characters, more than {max}",
                field.as_str()
            ),
            InvalidPhone => write!(
                f,
                "`phone` must be a valid Vietnamese number in E.164, like +84902666984"
            ),
            InvalidGuardianPhone => write!(
                f,
                "`guardian_phone` must be a valid Vietnamese number in E.164, like +84902666984"
            ),
            BadGuardianConsent => write!(
                f,
                "`guardian` needs its text (1 to {MAX_CONSENT_TEXT_CHARS} characters) and the \
                 text's SHA-256"
            ),
            InvalidEmail => write!(f, "`email` is not a valid e-mail address"),
            BadCaptchaToken => write!(
                f,
                "`captcha` must be 1 to {MAX_CAPTCHA_TOKEN_BYTES} printable ASCII characters"
            ),
            InvalidCallbackDate => write!(f, "`callback_date` must be a date YYYY-MM-DD"),
            CallbackDateInPast => write!(f, "`callback_date` is before the day of submission"),
            InvalidCallbackWindow => write!(
                f,
                "`callback_window` must be HH:MM-HH:MM with the start before the end"
            ),
            MissingConsent(p) => write!(f, "the `{p}` consent is missing"),
            ConsultationNotGranted => write!(
                f,
                "the `consultation` consent is not granted; the form cannot be sent without it"
            ),
            DuplicateConsent(p) => write!(f, "the `{p}` consent appears more than once"),
            TooManyConsents(n) => write!(f, "{n} consents, more than {MAX_CONSENTS}"),
            EmptyConsentText(p) => write!(f, "the `{p}` consent has no text"),
            ConsentTextTooLong(p) => write!(
                f,
                "the `{p}` consent text is longer than {MAX_CONSENT_TEXT_CHARS} characters"
            ),
            TextHashMismatch(p) => {
                write!(
                    f,
                    "the `{p}` consent's text_sha256 is not the SHA-256 of its text"
                )
            }
            BadPolicy(p) => write!(
                f,
                "the `{p}` consent needs a policy_url (and a non-empty policy_version or null) \
                 of reasonable length"
            ),
            MarketingTermsMissing => write!(
                f,
                "the marketing consent must state its channels and frequency"
            ),
            FieldNotInNotice(field) => write!(
                f,
                "field `{}` is not among the data types of the consultation notice",
                field.as_str()
            ),
            RecordMismatch { purpose, part } => write!(
                f,
                "the `{purpose}` consent record's {part} does not match the payload"
            ),
        }
    }
}

impl std::error::Error for ValidationError {}

/// Everything wrong with a payload (at least one thing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationErrors(Vec<ValidationError>);

impl ValidationErrors {
    pub(super) fn one(error: ValidationError) -> ValidationErrors {
        ValidationErrors(vec![error])
    }

    /// The errors, in the order found.
    pub fn errors(&self) -> &[ValidationError] {
        &self.0
    }

    /// Whether `error` is among them.
    pub fn contains(&self, error: &ValidationError) -> bool {
        self.0.contains(error)
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            e.fmt(f)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

/// Whether `token` can be a captcha provider's token: 1 to [`MAX_CAPTCHA_TOKEN_BYTES`]
/// printable ASCII characters (`!` to `~`), as every major provider's are.
pub fn is_captcha_token(token: &str) -> bool {
    (1..=MAX_CAPTCHA_TOKEN_BYTES).contains(&token.len())
        && token.bytes().all(|b| b.is_ascii_graphic())
}

impl Payload {
    /// Checks the content with the default required fields (`name`, `phone`, and on the
    /// callback form `callback_date` and `callback_window`). Lists every problem.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let required: Vec<FieldName> = self
            .form
            .fields()
            .iter()
            .copied()
            .filter(|f| f.required_by_default())
            .collect();
        self.validate_requiring(&required)
    }

    /// Checks the content, requiring the fields in `required` (those the host made
    /// required; fields of another form are ignored). Lists every problem.
    pub fn validate_requiring(&self, required: &[FieldName]) -> Result<(), ValidationErrors> {
        let mut errors = Vec::new();
        self.check_fields(required, &mut errors);
        self.check_consents(&mut errors);
        if let Some(g) = &self.guardian {
            let len = g.text.chars().count();
            if g.text.trim().is_empty()
                || len > MAX_CONSENT_TEXT_CHARS
                || g.text_sha256 != sha256_hex(&g.text)
            {
                errors.push(ValidationError::BadGuardianConsent);
            }
        }
        if self
            .captcha
            .as_deref()
            .is_some_and(|t| !is_captcha_token(t))
        {
            errors.push(ValidationError::BadCaptchaToken);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors(errors))
        }
    }

    fn check_fields(&self, required: &[FieldName], errors: &mut Vec<ValidationError>) {
        let shown = self.form.fields();
        for &field in required {
            if shown.contains(&field) && !self.fields.contains_key(&field) {
                errors.push(ValidationError::MissingField(field));
            }
        }
        // A guardian's agreement comes with their name and phone, and only with it.
        let guardian = self.guardian.is_some();
        if guardian {
            for field in FieldName::GUARDIAN {
                if !self.fields.contains_key(&field) {
                    errors.push(ValidationError::MissingField(field));
                }
            }
        }
        for (field, value) in self.fields.iter() {
            if FieldName::GUARDIAN.contains(&field) && !guardian {
                errors.push(ValidationError::GuardianFieldWithoutAgreement(field));
                continue;
            }
            if !(shown.contains(&field) || FieldName::GUARDIAN.contains(&field)) {
                errors.push(ValidationError::FieldNotInForm {
                    field,
                    form: self.form,
                });
                continue;
            }
            if value.trim().is_empty() {
                errors.push(ValidationError::EmptyField(field));
                continue;
            }
            let max = field.max_chars();
            let len = value.chars().count();
            if len > max {
                errors.push(ValidationError::TooLong { field, max, len });
                continue;
            }
            match field {
                FieldName::Phone if !is_vietnamese_e164(value) => {
                    errors.push(ValidationError::InvalidPhone)
                }
                FieldName::GuardianPhone if !is_vietnamese_e164(value) => {
                    errors.push(ValidationError::InvalidGuardianPhone)
                }
                FieldName::Email if crate::email::parse(value).is_err() => {
                    errors.push(ValidationError::InvalidEmail)
                }
                FieldName::CallbackDate => {
                    if !is_date(value) {
                        errors.push(ValidationError::InvalidCallbackDate);
                    } else if value.as_str() < vietnam_date(&self.submitted_at).as_str() {
                        errors.push(ValidationError::CallbackDateInPast);
                    }
                }
                FieldName::CallbackWindow if !is_window(value) => {
                    errors.push(ValidationError::InvalidCallbackWindow)
                }
                _ => {}
            }
        }
    }

    fn check_consents(&self, errors: &mut Vec<ValidationError>) {
        if self.consents.len() > MAX_CONSENTS {
            errors.push(ValidationError::TooManyConsents(self.consents.len()));
            return;
        }
        for (i, entry) in self.consents.iter().enumerate() {
            let earlier = self.consents.get(..i).unwrap_or_default();
            if earlier.iter().any(|e| e.purpose == entry.purpose) {
                errors.push(ValidationError::DuplicateConsent(entry.purpose.clone()));
            }
        }
        match self.consent(&Purpose::Consultation) {
            None => errors.push(ValidationError::MissingConsent(Purpose::Consultation)),
            Some(c) if !c.granted => errors.push(ValidationError::ConsultationNotGranted),
            Some(c) => {
                for field in self.fields.keys() {
                    if !c
                        .record
                        .processing
                        .data_types
                        .iter()
                        .any(|d| d == field.as_str())
                    {
                        errors.push(ValidationError::FieldNotInNotice(field));
                    }
                }
            }
        }
        for entry in &self.consents {
            self.check_entry(entry, errors);
        }
    }

    fn check_entry(&self, entry: &ConsentEntry, errors: &mut Vec<ValidationError>) {
        let purpose = &entry.purpose;
        if entry.text.trim().is_empty() {
            errors.push(ValidationError::EmptyConsentText(purpose.clone()));
        } else if entry.text.chars().count() > MAX_CONSENT_TEXT_CHARS {
            errors.push(ValidationError::ConsentTextTooLong(purpose.clone()));
        }
        if !is_sha256_hex(&entry.text_sha256) || entry.text_sha256 != sha256_hex(&entry.text) {
            errors.push(ValidationError::TextHashMismatch(purpose.clone()));
        }
        let url_ok = !entry.policy_url.trim().is_empty()
            && entry.policy_url.chars().count() <= MAX_URL_CHARS;
        let version_ok = entry
            .policy_version
            .as_ref()
            .is_none_or(|v| !v.trim().is_empty() && v.chars().count() <= MAX_VERSION_CHARS);
        if !url_ok || !version_ok {
            errors.push(ValidationError::BadPolicy(purpose.clone()));
        }

        let record = &entry.record;
        let p = &record.processing;
        if *purpose == Purpose::Marketing {
            let stated = p
                .marketing
                .as_ref()
                .is_some_and(|m| !m.channels.is_empty() && !m.frequency.trim().is_empty());
            if !stated {
                errors.push(ValidationError::MarketingTermsMissing);
            }
        }

        let mut mismatch = |part: &'static str| {
            errors.push(ValidationError::RecordMismatch {
                purpose: purpose.clone(),
                part,
            })
        };
        if record.schema_version != RECORD_SCHEMA_VERSION {
            mismatch("schema_version");
        }
        if record.record_id != record_id(&self.id, purpose) {
            mismatch("record_id");
        }
        if record
            .principal_id
            .as_ref()
            .is_some_and(|p| p != self.id.as_str())
        {
            mismatch("principal_id");
        }
        if record.collection_method != COLLECTION_METHOD {
            mismatch("collection_method");
        }
        let n = &p.notice;
        if n.text != entry.text || n.text_sha256 != entry.text_sha256 {
            mismatch("notice text");
        }
        if n.policy_url != entry.policy_url || n.policy_version != entry.policy_version {
            mismatch("notice policy");
        }
        if n.language != self.locale {
            mismatch("notice language");
        }
        match p.purposes.as_slice() {
            [only] if only.id == *purpose && only.required == purpose.is_required() => {}
            _ => mismatch("purposes"),
        }
        if p.controllers.is_empty() || p.controllers.iter().any(|c| c.name.trim().is_empty()) {
            mismatch("controllers");
        }
        if p.jurisdiction != JURISDICTION || p.legal_basis != "consent" {
            mismatch("jurisdiction");
        }
        if !p.sensitive_categories.is_empty() && !p.sensitive {
            mismatch("sensitive");
        }
        if p.withdrawal_method.trim().is_empty() || p.retention.trim().is_empty() {
            mismatch("withdrawal_method or retention");
        }
        let expected = if entry.granted {
            EventType::Given
        } else {
            EventType::Refused
        };
        match record.events.as_slice() {
            [event]
                if event.event_type == expected
                    && event.state == expected.resulting_state()
                    && event.time.unix_millis() == self.submitted_at.unix_millis() => {}
            _ => mismatch("events"),
        }
        // `state` must follow from `type` in any case.
        if record
            .events
            .iter()
            .any(|e| e.state != e.event_type.resulting_state())
        {
            mismatch("event state");
        }
    }
}

/// A valid Vietnamese number (as [`crate::phone::parse`] says) written exactly in its
/// E.164 form.
fn is_vietnamese_e164(text: &str) -> bool {
    is_e164(text) && crate::phone::parse(text).is_ok_and(|n| n.e164() == text)
}

/// `+`, a non-zero digit, then 7 to 14 more digits (E.164 numbers have at most 15).
fn is_e164(text: &str) -> bool {
    let Some(digits) = text.strip_prefix('+') else {
        return false;
    };
    (8..=15).contains(&digits.len())
        && digits.bytes().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0')
}

/// A real date written `YYYY-MM-DD`.
fn is_date(text: &str) -> bool {
    text.len() == 10 && Rfc3339::parse(&format!("{text}T00:00:00Z")).is_ok()
}

/// `HH:MM-HH:MM`, both real times of day, start before end (`24:00` may end a window).
fn is_window(text: &str) -> bool {
    fn minutes(t: &str) -> Option<u32> {
        let b = t.as_bytes();
        if b.len() != 5 || b.get(2) != Some(&b':') {
            return None;
        }
        let num = |i: usize| -> Option<u32> {
            let d = b.get(i..i + 2)?;
            d.iter()
                .all(u8::is_ascii_digit)
                .then(|| d.iter().fold(0, |n, &c| n * 10 + u32::from(c - b'0')))
        };
        let (h, m) = (num(0)?, num(3)?);
        (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
    }
    match text.split_once('-') {
        Some((start, end)) => match (minutes(start), minutes(end)) {
            (Some(s), Some(e)) => s < e && s < 24 * 60,
            _ => false,
        },
        None => false,
    }
}

/// The calendar day in Vietnam at `at`, `YYYY-MM-DD`.
fn vietnam_date(at: &Rfc3339) -> String {
    Rfc3339::from_unix_millis(at.unix_millis(), VIETNAM_OFFSET_MINUTES)
        .map(|t| t.local_date().to_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e164() {
        assert!(is_e164("+84902666984"));
        assert!(is_e164("+842838221234"));
        assert!(is_e164("+12025550123"));
        for bad in [
            "84902666984",
            "+0902666984",
            "+84 902666984",
            "+8490",
            "+1234567890123456",
            "+８４902666984",
            "",
        ] {
            assert!(!is_e164(bad), "{bad}");
        }
    }

    #[test]
    fn vietnamese_numbers_only_in_e164() {
        assert!(is_vietnamese_e164("+84902666984"));
        assert!(is_vietnamese_e164("+842838221234"));
        // Well-formed E.164, but not a valid Vietnamese number or not canonical.
        for bad in [
            "+12025550123",
            "+84123456789",
            "+8401621234567",
            "+840902666984",
            "0902666984",
        ] {
            assert!(!is_vietnamese_e164(bad), "{bad}");
        }
    }

    #[test]
    fn dates_and_windows() {
        assert!(is_date("2026-11-23"));
        assert!(is_date("2028-02-29"));
        for bad in [
            "2026-02-29",
            "2026-11-23T",
            "23/11/2026",
            "2026-1-23",
            "2026-11-23Z",
            "",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
        assert!(is_window("08:00-09:30"));
        assert!(is_window("23:00-24:00"));
        for bad in [
            "09:30-08:00",
            "09:00-09:00",
            "9:00-10:00",
            "08:00–09:00",
            "08:00 - 09:00",
            "24:00-24:30",
            "08:60-09:00",
            "08:00",
            "",
        ] {
            assert!(!is_window(bad), "{bad}");
        }
    }

    #[test]
    fn vietnam_day() {
        // 2023-11-14T22:13:20Z is already the 15th in Vietnam.
        let t = Rfc3339::parse("2023-11-14T22:13:20Z").unwrap();
        assert_eq!(vietnam_date(&t), "2023-11-15");
    }
}
