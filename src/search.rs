//! Finding a piece of text in another, the plain way.
//!
//! `str::contains("…")` and `split_once("…")` bring in the standard library's Two-Way
//! searcher, about 0.6 KB gzip of wasm; the few short searches the form does need none
//! of its speed.

/// Where `needle` first starts in `haystack`; an empty needle is found at 0.
pub(crate) fn find(haystack: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
}

/// Whether `needle` occurs in `haystack`.
pub(crate) fn contains(haystack: &str, needle: &str) -> bool {
    find(haystack, needle).is_some()
}

/// The text before and after the first `needle`.
pub(crate) fn split_once<'a>(haystack: &'a str, needle: &str) -> Option<(&'a str, &'a str)> {
    let at = find(haystack, needle)?;
    // Both ends are character boundaries: `needle` is whole UTF-8 text.
    Some((haystack.get(..at)?, haystack.get(at + needle.len()..)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_str_finds() {
        let hay = "0902 666 984 hoặc 024 3825 1234";
        for needle in ["", "0", " hoặc ", "ặ", "1234", "12345", "x", hay] {
            assert_eq!(find(hay, needle), hay.find(needle), "{needle:?}");
            assert_eq!(
                split_once(hay, needle),
                hay.split_once(needle),
                "{needle:?}"
            );
            assert_eq!(contains(hay, needle), hay.contains(needle), "{needle:?}");
        }
        assert_eq!(find("", "a"), None);
        assert_eq!(split_once("a/b/c", "/"), Some(("a", "b/c")));
    }
}
