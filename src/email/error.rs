//! Why an e-mail address was refused, in words a visitor understands.

use std::fmt;

use crate::locale::Locale;

/// Why [`super::parse`] refused an address. Positions count characters (not bytes)
/// from 0 in the address after trimming (see [`super::parse`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum EmailError {
    /// Nothing but white space was typed.
    Empty,
    /// Longer than 254 octets in all (in the ASCII form of its domain).
    TooLong,
    /// There is no `@`.
    MissingAt,
    /// There is more than one `@`.
    MultipleAt,
    /// Nothing before the `@`.
    EmptyLocal,
    /// More than 64 octets before the `@`.
    LocalTooLong,
    /// A character that is not allowed before the `@` (a space, an accented letter, a
    /// comma…).
    InvalidLocalChar {
        /// The character.
        ch: char,
        /// Its position, counted in characters from 0.
        position: usize,
    },
    /// Nothing after the `@`.
    EmptyDomain,
    /// A character that is not allowed in the domain (a space, `_`, a comma, a symbol…).
    InvalidDomainChar {
        /// The character (lower-cased).
        ch: char,
        /// Its position, counted in characters from 0.
        position: usize,
    },
    /// The domain starts or ends with a dot, or has two dots in a row.
    EmptyLabel,
    /// A part of the domain between dots is over 63 octets (in its ASCII form).
    LabelTooLong,
    /// A part of the domain starts or ends with a hyphen.
    LabelHyphen {
        /// That part, lower-cased.
        label: String,
    },
    /// The domain has no dot (`ban@localhost`, `ban@gmail`): a departure from the HTML
    /// rule, which accepts it, because no visitor's mailbox lives there.
    SingleLabel,
    /// The domain ends in digits only (`ban@1.2.3.4`): no such top-level domain exists.
    NumericTld,
}

impl EmailError {
    /// The name of every text [`EmailError::text_name`] gives, one per distinct message.
    pub const TEXT_NAMES: &'static [&'static str] = &[
        "email_empty",
        "email_too_long",
        "email_missing_at",
        "email_multiple_at",
        "email_empty_local",
        "email_local_too_long",
        "email_local_space",
        "email_local_accent",
        "email_local_char",
        "email_empty_domain",
        "email_domain_space",
        "email_domain_comma",
        "email_domain_char",
        "email_empty_label",
        "email_label_too_long",
        "email_label_hyphen",
        "email_single_label",
        "email_numeric_tld",
    ];

    /// The name of this error's message among the form's texts (`email_missing_at` …),
    /// by which a host overrides it: one name per distinct message.
    pub fn text_name(&self) -> &'static str {
        let i = match self {
            EmailError::Empty => 0,
            EmailError::TooLong => 1,
            EmailError::MissingAt => 2,
            EmailError::MultipleAt => 3,
            EmailError::EmptyLocal => 4,
            EmailError::LocalTooLong => 5,
            EmailError::InvalidLocalChar { ch, .. } if ch.is_whitespace() => 6,
            EmailError::InvalidLocalChar { ch, .. } if !ch.is_ascii() => 7,
            EmailError::InvalidLocalChar { .. } => 8,
            EmailError::EmptyDomain => 9,
            EmailError::InvalidDomainChar { ch, .. } if ch.is_whitespace() => 10,
            EmailError::InvalidDomainChar { ch: ',', .. } => 11,
            EmailError::InvalidDomainChar { .. } => 12,
            EmailError::EmptyLabel => 13,
            EmailError::LabelTooLong => 14,
            EmailError::LabelHyphen { .. } => 15,
            EmailError::SingleLabel => 16,
            EmailError::NumericTld => 17,
        };
        Self::TEXT_NAMES.get(i).copied().unwrap_or_default()
    }

    /// The values a host's text for this error may hold in braces: `{ch}` the
    /// character (`U+0303` when it would not show) and `{n}` its position from 1,
    /// `{label}` the part of the domain.
    pub fn placeholders(&self) -> Vec<(&'static str, String)> {
        match self {
            EmailError::InvalidLocalChar { ch, position }
            | EmailError::InvalidDomainChar { ch, position } => {
                vec![
                    ("ch", shown(*ch)),
                    ("n", position.saturating_add(1).to_string()),
                ]
            }
            EmailError::LabelHyphen { label } => vec![("label", label.clone())],
            _ => Vec::new(),
        }
    }

    /// A precise, friendly sentence saying what is wrong, in Vietnamese or English.
    pub fn message(&self, locale: Locale) -> String {
        let vi = locale == Locale::Vi;
        let pick = |v: &str, e: &str| if vi { v.to_owned() } else { e.to_owned() };
        match self {
            EmailError::Empty => pick(
                "Vui lòng nhập địa chỉ email.",
                "Please enter an email address.",
            ),
            EmailError::TooLong => pick(
                "Địa chỉ email quá dài: tối đa 254 ký tự.",
                "This email address is too long: 254 characters at most.",
            ),
            EmailError::MissingAt => pick(
                "Địa chỉ email cần có ký tự @, ví dụ: ten@gmail.com.",
                "An email address needs an @, for example name@gmail.com.",
            ),
            EmailError::MultipleAt => pick(
                "Địa chỉ email chỉ được có một ký tự @.",
                "An email address can have only one @.",
            ),
            EmailError::EmptyLocal => pick(
                "Thiếu phần tên trước ký tự @, ví dụ: ten@gmail.com.",
                "The name before the @ is missing, for example name@gmail.com.",
            ),
            EmailError::LocalTooLong => pick(
                "Phần tên trước ký tự @ quá dài: tối đa 64 ký tự.",
                "The name before the @ is too long: 64 characters at most.",
            ),
            EmailError::InvalidLocalChar { ch, position } => {
                let (c, n) = (shown(*ch), position + 1);
                if ch.is_whitespace() {
                    if vi {
                        format!("Địa chỉ email không được có dấu cách (ký tự thứ {n}).")
                    } else {
                        format!("An email address can't contain spaces (character {n}).")
                    }
                } else if !ch.is_ascii() {
                    if vi {
                        format!(
                            "Phần trước ký tự @ phải viết không dấu: không dùng được “{c}” (ký tự thứ {n})."
                        )
                    } else {
                        format!(
                            "The part before the @ takes unaccented letters only: “{c}” (character {n}) isn't allowed."
                        )
                    }
                } else if vi {
                    format!("Phần trước ký tự @ không được chứa “{c}” (ký tự thứ {n}).")
                } else {
                    format!("The part before the @ can't contain “{c}” (character {n}).")
                }
            }
            EmailError::EmptyDomain => pick(
                "Thiếu tên miền sau ký tự @, ví dụ: gmail.com.",
                "The domain after the @ is missing, for example gmail.com.",
            ),
            EmailError::InvalidDomainChar { ch, position } => {
                let (c, n) = (shown(*ch), position + 1);
                if ch.is_whitespace() {
                    if vi {
                        format!("Tên miền không được có dấu cách (ký tự thứ {n}).")
                    } else {
                        format!("The domain can't contain spaces (character {n}).")
                    }
                } else if *ch == ',' {
                    if vi {
                        format!("Tên miền dùng dấu chấm, không dùng dấu phẩy (ký tự thứ {n}).")
                    } else {
                        format!("Use a dot, not a comma, in the domain (character {n}).")
                    }
                } else if vi {
                    format!("Tên miền không được chứa “{c}” (ký tự thứ {n}).")
                } else {
                    format!("The domain can't contain “{c}” (character {n}).")
                }
            }
            EmailError::EmptyLabel => pick(
                "Tên miền có dấu chấm thừa: ở đầu, ở cuối hoặc hai dấu chấm liền nhau.",
                "The domain has a stray dot: at the start, at the end, or two dots in a row.",
            ),
            EmailError::LabelTooLong => pick(
                "Một phần của tên miền (giữa hai dấu chấm) quá dài: tối đa 63 ký tự.",
                "A part of the domain (between two dots) is too long: 63 characters at most.",
            ),
            EmailError::LabelHyphen { label } => {
                if vi {
                    format!(
                        "Phần “{label}” của tên miền không được bắt đầu hay kết thúc bằng dấu gạch ngang."
                    )
                } else {
                    format!("The domain part “{label}” can't start or end with a hyphen.")
                }
            }
            EmailError::SingleLabel => pick(
                "Tên miền chưa đầy đủ, còn thiếu phần đuôi như .com hay .vn (ví dụ: gmail.com).",
                "The domain is incomplete: it lacks an ending such as .com or .vn (for example gmail.com).",
            ),
            EmailError::NumericTld => pick(
                "Phần đuôi của tên miền không thể chỉ gồm chữ số; phần đuôi thường là .com hay .vn.",
                "The ending of the domain can't be digits only; it is usually .com or .vn.",
            ),
        }
    }
}

/// The character as the message shows it: itself, or `U+XXXX` when it would not be
/// visible (controls, white space other than the space, combining marks).
fn shown(ch: char) -> String {
    let hidden = ch.is_control()
        || (ch.is_whitespace() && ch != ' ')
        || matches!(ch as u32,
            0x300..=0x36F | 0xFE00..=0xFE0F | 0xE000..=0xF8FF | 0xFFF0..=0xFFFF | 0xE0000..);
    if hidden {
        format!("U+{:04X}", ch as u32)
    } else {
        ch.to_string()
    }
}

impl fmt::Display for EmailError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Locale::En))
    }
}

impl std::error::Error for EmailError {}
