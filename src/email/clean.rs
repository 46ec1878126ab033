//! From what the visitor typed or pasted to the text that is checked.
//!
//! Surrounding white space of any kind (spaces, tabs, NBSP, ideographic space) is
//! trimmed; invisible characters (zero-width spaces and joiners, bidi marks, BOM, soft
//! hyphen) and line breaks are dropped wherever they are, as the browser drops line
//! breaks from an `<input type="email">`; full-width forms (`ｂａｎ＠ｇｍａｉｌ．ｃｏｍ`) and
//! ideographic full stops become their ASCII equivalents; a leading `mailto:` is removed.

/// The cleaned text; empty when nothing but white space was typed.
pub(crate) fn clean(input: &str) -> String {
    let mapped: String = input.chars().filter_map(map).collect();
    let trimmed = mapped.trim();
    let without_scheme = match trimmed.get(..7) {
        Some(scheme) if scheme.eq_ignore_ascii_case("mailto:") => trimmed.get(7..).unwrap_or(""),
        _ => trimmed,
    };
    without_scheme.trim().to_owned()
}

/// Whether `c` is a character the visitor cannot see (or a line break).
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\u{AD}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// What one typed character becomes: `None` to drop it.
fn map(c: char) -> Option<char> {
    if is_invisible(c) {
        return None;
    }
    Some(match c {
        // Full-width ASCII (U+FF01–U+FF5E) → ASCII.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        // Ideographic and half-width ideographic full stops.
        '\u{3002}' | '\u{FF61}' => '.',
        _ => c,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_maps() {
        assert_eq!(
            clean(" \u{a0}\u{200b}ban@gmail.com\u{feff}\t\u{3000}"),
            "ban@gmail.com"
        );
        assert_eq!(clean("ｂａｎ＠ｇｍａｉｌ．ｃｏｍ"), "ban@gmail.com");
        assert_eq!(clean("MailTo: ban@x.vn"), "ban@x.vn");
        assert_eq!(clean("ban@gm\r\nail\u{200e}.com"), "ban@gmail.com");
        assert_eq!(clean("ban @x.vn"), "ban @x.vn");
        assert_eq!(clean(" \u{200b} "), "");
    }
}
