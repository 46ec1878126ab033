//! A small, strict JSON reader for what the component reads back: the host's
//! configuration, and the outbox and draft it keeps in browser storage. Reading is by
//! hand, key by key, with messages that name the key at fault
//! (`` `fields.phone.required`: expected true or false, found a string ``).
//!
//! Why not serde here: serde's deserializers (serde_wasm_bindgen's, and the float
//! formatting its error messages bring) cost about 20 KB gzip of wasm that every visitor
//! downloads; this module costs a fraction of that. Writing is by hand too
//! ([`Writer`], [`ToJson`]), byte for byte as serde_json writes.

use std::fmt;

mod write;

pub use write::{json_text, ToJson, Writer};

/// A JSON value. Object members keep their order.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object, members in order.
    Object(Vec<(String, Json)>),
}

/// Why a text is not JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset where reading stopped.
    pub offset: usize,
    /// What was wrong there.
    pub what: &'static str,
}

/// Where a typographic quote stopped the reading: pasted through a word processor or a
/// chat app, straight quotes come back curly.
const CURLY_QUOTE: &str = "a curly quote (“ ” ‘ ’): JSON needs straight double quotes (\")";
/// Where a single quote stopped the reading (JavaScript's strings, not JSON's).
const SINGLE_QUOTE: &str = "a single quote: JSON needs double quotes (\")";

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.what, self.offset)
    }
}

impl std::error::Error for ParseError {}

impl ParseError {
    /// What was wrong, and where in `text` as an editor counts: line and column (in
    /// characters, not the bytes of UTF-8 that Vietnamese letters take two or three of).
    pub fn in_text(&self, text: &str) -> String {
        let (mut line, mut column) = (1, 1);
        for b in text.bytes().take(self.offset) {
            if b == b'\n' {
                (line, column) = (line + 1, 1);
            } else if b & 0xC0 != 0x80 {
                // Not a continuation byte: a character starts here.
                column += 1;
            }
        }
        format!("{} at line {line}, column {column}", self.what)
    }
}

/// Nesting deeper than this is refused (no configuration needs it; it keeps a hostile
/// text from exhausting the stack).
const MAX_DEPTH: usize = 64;

/// Parses `text` as one JSON value (RFC 8259), surrounded by optional whitespace.
pub fn parse(text: &str) -> Result<Json, ParseError> {
    let mut parser = Parser {
        bytes: text.as_bytes(),
        at: 0,
    };
    let value = parser.value(0)?;
    parser.space();
    if parser.at < parser.bytes.len() {
        return Err(parser.error("unexpected text after the value"));
    }
    Ok(value)
}

struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    /// Stopped here for `what`, unless the text there says why better: quotes a
    /// word processor or chat app typed (“ ” ‘ ’), or a single quote, where JSON has `"`.
    fn error(&self, what: &'static str) -> ParseError {
        let what = match self.bytes.get(self.at..) {
            Some([0xE2, 0x80, 0x98..=0x9D, ..]) => CURLY_QUOTE,
            Some([b'\'', ..]) => SINGLE_QUOTE,
            _ => what,
        };
        ParseError {
            offset: self.at,
            what,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.at += 1;
        }
        found
    }

    fn word(&mut self, word: &[u8], value: Json) -> Result<Json, ParseError> {
        if self.bytes[self.at..].starts_with(word) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.error("unexpected character"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, ParseError> {
        self.space();
        match self.peek() {
            None => Err(self.error("unexpected end")),
            Some(b'n') => self.word(b"null", Json::Null),
            Some(b't') => self.word(b"true", Json::Bool(true)),
            Some(b'f') => self.word(b"false", Json::Bool(false)),
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => self.number().map(Json::Number),
            Some(b'[') if depth < MAX_DEPTH => {
                self.at += 1;
                let mut items = Vec::new();
                self.space();
                if self.eat(b']') {
                    return Ok(Json::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.space();
                    if self.eat(b']') {
                        return Ok(Json::Array(items));
                    }
                    if !self.eat(b',') {
                        return Err(self.error("expected , or ]"));
                    }
                }
            }
            Some(b'{') if depth < MAX_DEPTH => {
                self.at += 1;
                let mut members = Vec::new();
                self.space();
                if self.eat(b'}') {
                    return Ok(Json::Object(members));
                }
                loop {
                    self.space();
                    if self.peek() != Some(b'"') {
                        return Err(self.error("expected a key in double quotes"));
                    }
                    let key = self.string()?;
                    self.space();
                    if !self.eat(b':') {
                        return Err(self.error("expected :"));
                    }
                    members.push((key, self.value(depth + 1)?));
                    self.space();
                    if self.eat(b'}') {
                        return Ok(Json::Object(members));
                    }
                    if !self.eat(b',') {
                        return Err(self.error("expected , or }"));
                    }
                }
            }
            Some(b'[' | b'{') => Err(self.error("nested too deeply")),
            Some(_) => Err(self.error("unexpected character")),
        }
    }

    /// A string; the opening quote is at `self.at`.
    fn string(&mut self) -> Result<String, ParseError> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let start = self.at;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.at += 1;
            }
            // The input is a &str and the run stops only at ASCII bytes: a char boundary.
            out.push_str(std::str::from_utf8(&self.bytes[start..self.at]).unwrap_or_default());
            match self.peek() {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let escaped = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.at += 1;
                            let unit = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&unit) {
                                if !self.bytes[self.at..].starts_with(b"\\u") {
                                    return Err(self.error("lone surrogate in \\u escape"));
                                }
                                self.at += 2;
                                let low = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&low) {
                                    return Err(self.error("lone surrogate in \\u escape"));
                                }
                                0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                unit
                            };
                            out.push(
                                char::from_u32(code)
                                    .ok_or_else(|| self.error("lone surrogate in \\u escape"))?,
                            );
                            continue;
                        }
                        _ => return Err(self.error("unknown escape")),
                    };
                    self.at += 1;
                    out.push(escaped);
                }
                Some(_) => return Err(self.error("control character in a string")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let mut value = 0;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return Err(self.error("expected four hex digits")),
            };
            value = value * 16 + u32::from(digit);
            self.at += 1;
        }
        Ok(value)
    }

    /// A number. Exact for integers up to 2^53 and for decimals with few digits (the
    /// sizes and timestamps kept here); others are read to within 8 ulps (the worst seen
    /// in 3 million random decimals was 7). A number beyond `f64`, or within those ulps
    /// of its largest, is refused as out of range, as serde_json refuses the former.
    fn number(&mut self) -> Result<f64, ParseError> {
        let negative = self.eat(b'-');
        let mut digits: u64 = 0;
        let mut scale: i32 = 0;
        let mut any = false;
        if self.eat(b'0') {
            any = true;
        } else {
            while let Some(d @ b'0'..=b'9') = self.peek() {
                push_digit(&mut digits, &mut scale, d - b'0', false);
                self.at += 1;
                any = true;
            }
        }
        if !any {
            return Err(self.error("expected a digit"));
        }
        if self.eat(b'.') {
            let mut fraction = false;
            while let Some(d @ b'0'..=b'9') = self.peek() {
                push_digit(&mut digits, &mut scale, d - b'0', true);
                self.at += 1;
                fraction = true;
            }
            if !fraction {
                return Err(self.error("expected a digit after the decimal point"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            let minus = self.eat(b'-');
            if !minus {
                self.eat(b'+');
            }
            let mut exponent: i32 = 0;
            let mut any = false;
            while let Some(d @ b'0'..=b'9') = self.peek() {
                exponent = exponent
                    .saturating_mul(10)
                    .saturating_add(i32::from(d - b'0'));
                self.at += 1;
                any = true;
            }
            if !any {
                return Err(self.error("expected a digit in the exponent"));
            }
            scale = scale.saturating_add(if minus { -exponent } else { exponent });
        }
        let mut value = digits as f64;
        if digits == 0 {
            // Zero whatever the exponent (0 × 10^400 would be NaN).
        } else if scale > 0 {
            value *= 10f64.powi(scale.min(400));
        } else if scale < 0 {
            // Dividing by an exact power of ten rounds once (exact powers up to 1e22).
            // Past 10^-400 any value here (below 2^64) is zero: an exponent of minus two
            // billion takes 19 divisions, not 97 million (a fuzzed input of 1.6 KB took
            // 2.4 s to read before).
            let mut left = scale.saturating_neg().min(400);
            while left > 0 {
                let step = left.min(22);
                value /= 10f64.powi(step);
                left -= step;
            }
        }
        if !value.is_finite() {
            // As serde_json: no infinity from a number too large for a float.
            return Err(self.error("number out of range"));
        }
        Ok(if negative { -value } else { value })
    }
}

/// Adds decimal digit `d` to `digits`; past 19 significant digits only the scale moves.
fn push_digit(digits: &mut u64, scale: &mut i32, d: u8, fraction: bool) {
    if *digits < 1_000_000_000_000_000_000 {
        *digits = *digits * 10 + u64::from(d);
        if fraction {
            *scale -= 1;
        }
    } else if !fraction {
        *scale += 1;
    }
}

impl Json {
    /// What kind of value it is, for messages: "a string", "an object"…
    pub fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "true or false",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }

    /// The string, if it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// Reads it as an object found at `path` (for messages; "" for the top level).
    pub fn object<'a>(&'a self, path: &str) -> Result<Fields<'a>, String> {
        match self {
            Json::Object(members) => Ok(Fields::new(path.to_owned(), members)),
            other => Err(wrong_type(path, "an object", other)),
        }
    }
}

fn wrong_type(path: &str, expected: &str, found: &Json) -> String {
    if path.is_empty() {
        format!("expected {expected}, found {}", found.kind())
    } else {
        format!("`{path}`: expected {expected}, found {}", found.kind())
    }
}

/// An object being read key by key; every message names the key with its path.
pub struct Fields<'a> {
    path: String,
    members: &'a [(String, Json)],
}

impl<'a> Fields<'a> {
    /// The object with `members`, found at `path` ("" for the top level).
    pub fn new(path: String, members: &'a [(String, Json)]) -> Fields<'a> {
        Fields { path, members }
    }

    /// The full path of `key` in this object, for messages: `fields.phone.required`.
    pub fn path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The members, in order.
    pub fn members(&self) -> &'a [(String, Json)] {
        self.members
    }

    /// The value of `key`; `null` counts as absent.
    pub fn get(&self, key: &str) -> Option<&'a Json> {
        self.members
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
            .filter(|v| **v != Json::Null)
    }

    /// A message for each key not in `known`, and for each key given twice.
    pub fn unknown_keys(&self, known: &[&str], out: &mut Vec<String>) {
        self.repeated_keys(out);
        for (key, _) in self.members {
            if !known.contains(&key.as_str()) {
                out.push(format!(
                    "unknown key `{}`, expected one of {}",
                    self.path(key),
                    known.join(", ")
                ));
            }
        }
    }

    /// A message for each key given more than once (JSON allows it; only the last
    /// would count, which is rarely what the writer meant).
    pub fn repeated_keys(&self, out: &mut Vec<String>) {
        for (i, (key, _)) in self.members.iter().enumerate() {
            let earlier = self.members.get(..i).unwrap_or_default();
            if earlier.iter().any(|(k, _)| k == key) {
                out.push(format!("key `{}` is given more than once", self.path(key)));
            }
        }
    }

    fn read<T>(
        &self,
        key: &str,
        expected: &str,
        read: impl FnOnce(&'a Json) -> Option<T>,
    ) -> Result<Option<T>, String> {
        match self.get(key) {
            None => Ok(None),
            Some(value) => read(value)
                .map(Some)
                .ok_or_else(|| wrong_type(&self.path(key), expected, value)),
        }
    }

    /// A string that must be there: `None` if it is absent or not a string (the same as
    /// `string(key).ok()??`, without building the message it drops).
    pub fn text(&self, key: &str) -> Option<String> {
        self.get(key)?.as_str().map(str::to_owned)
    }

    /// A string.
    pub fn string(&self, key: &str) -> Result<Option<String>, String> {
        self.read(key, "a string", |v| v.as_str().map(str::to_owned))
    }

    /// `true` or `false`.
    pub fn bool(&self, key: &str) -> Result<Option<bool>, String> {
        self.read(key, "true or false", |v| match v {
            Json::Bool(b) => Some(*b),
            _ => None,
        })
    }

    /// Any number.
    pub fn number(&self, key: &str) -> Result<Option<f64>, String> {
        self.read(key, "a number", |v| match v {
            Json::Number(n) => Some(*n),
            _ => None,
        })
    }

    /// A whole number from 0 to `max`.
    pub fn whole(&self, key: &str, max: u32) -> Result<Option<u32>, String> {
        // Matched here rather than through `read`, so the message is only built on failure.
        match self.get(key) {
            None => Ok(None),
            Some(Json::Number(n)) if n.fract() == 0.0 && *n >= 0.0 && *n <= f64::from(max) => {
                Ok(Some(*n as u32))
            }
            Some(other) => Err(wrong_type(
                &self.path(key),
                &format!("a whole number from 0 to {max}"),
                other,
            )),
        }
    }

    /// An array of strings, none blank (a template's empty variable: a recipient or an
    /// option of no words).
    pub fn strings(&self, key: &str) -> Result<Option<Vec<String>>, String> {
        self.read(
            key,
            "an array of strings, none of them empty",
            |v| match v {
                Json::Array(items) => items
                    .iter()
                    .map(|i| {
                        i.as_str()
                            .filter(|s| !s.trim().is_empty())
                            .map(str::to_owned)
                    })
                    .collect(),
                _ => None,
            },
        )
    }

    /// An array.
    pub fn array(&self, key: &str) -> Result<Option<&'a [Json]>, String> {
        self.read(key, "an array", |v| match v {
            Json::Array(items) => Some(&items[..]),
            _ => None,
        })
    }

    /// An object.
    pub fn object(&self, key: &str) -> Result<Option<Fields<'a>>, String> {
        match self.get(key) {
            None => Ok(None),
            Some(value) => value.object(&self.path(key)).map(Some),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_says_its_line_and_column_in_characters() {
        let text = "{\n  \"a\": \"Sản xuất\",]\n}";
        let err = parse(text).unwrap_err();
        assert_eq!(
            err.in_text(text),
            format!("{} at line 2, column 19", err.what)
        );
        assert_eq!(
            parse("[1,]").unwrap_err().in_text("[1,]"),
            "unexpected character at line 1, column 4"
        );
        // An offset past the text or inside a character is no panic.
        let odd = ParseError {
            offset: 99,
            what: "x",
        };
        assert_eq!(odd.in_text("ắ\nb"), "x at line 2, column 2");
        let odd = ParseError {
            offset: 1,
            what: "x",
        };
        assert!(odd.in_text("ắ").starts_with("x at line 1, column "));
    }

    #[test]
    fn curly_and_single_quotes_are_named() {
        for text in [
            "{“kind”: \"contact\"}",
            "{\"kind\": “contact”}",
            "{\"kind\": \"contact\", ‘a’: 1}",
            "[\"a\", ”b”]",
        ] {
            let err = parse(text).unwrap_err();
            assert_eq!(err.what, CURLY_QUOTE, "{text}");
        }
        let text = "{\n  'kind': 'contact'\n}";
        assert_eq!(
            parse(text).unwrap_err().in_text(text),
            format!("{SINGLE_QUOTE} at line 2, column 3")
        );
        // Inside a string they are text like any other.
        assert!(parse("{\"a\": \"“b” 'c'\"}").is_ok());
        // Elsewhere the reason stays what it was.
        assert_eq!(parse("[1,]").unwrap_err().what, "unexpected character");
    }

    /// serde_json's reading of the same text, as a [`Json`].
    fn oracle(text: &str) -> Option<Json> {
        fn convert(v: serde_json::Value) -> Json {
            match v {
                serde_json::Value::Null => Json::Null,
                serde_json::Value::Bool(b) => Json::Bool(b),
                serde_json::Value::Number(n) => Json::Number(n.as_f64().unwrap()),
                serde_json::Value::String(s) => Json::String(s),
                serde_json::Value::Array(a) => Json::Array(a.into_iter().map(convert).collect()),
                serde_json::Value::Object(o) => {
                    Json::Object(o.into_iter().map(|(k, v)| (k, convert(v))).collect())
                }
            }
        }
        serde_json::from_str(text).ok().map(convert).map(sorted)
    }

    /// Object members sorted by key (serde_json's map sorts them).
    fn sorted(v: Json) -> Json {
        match v {
            Json::Array(a) => Json::Array(a.into_iter().map(sorted).collect()),
            Json::Object(o) => {
                let mut o: Vec<_> = o.into_iter().map(|(k, v)| (k, sorted(v))).collect();
                o.sort_by(|a, b| a.0.cmp(&b.0));
                Json::Object(o)
            }
            other => other,
        }
    }

    #[test]
    fn reads_what_serde_json_reads() {
        for text in [
            r#"{"a": [1, -2.5, 3e2, 0.125, 1E-3, true, false, null], "b": {"c": "d\n\"é\" \u00e9 \ud83d\ude00"}}"#,
            "  [ ]  ",
            "{}",
            r#""\/\\\b\f\r\t""#,
            "1732381234567.0",
            "-0",
            "123456789012345678901234567890",
            r#"{"kind": "contact", "fields": {"phone": {"required": true}}, "timeout_ms": 2000}"#,
        ] {
            assert_eq!(parse(text).ok().map(sorted), oracle(text), "{text}");
        }
    }

    #[test]
    fn refuses_what_is_not_json() {
        for text in [
            "",
            "{",
            r#"{"a": 1,}"#,
            r#"["marketing",]"#,
            "[1 2]",
            "{'a': 1}",
            "{a: 1}",
            "01",
            "1.",
            "-",
            "1e",
            ".5",
            "nul",
            "truex",
            "\"a\nb\"",
            r#""\x""#,
            r#""\ud800""#,
            r#""\udc00""#,
            "\"open",
            "[] []",
        ] {
            assert!(parse(text).is_err(), "{text:?} was accepted");
            assert!(oracle(text).is_none(), "oracle accepts {text:?}");
        }
    }

    #[test]
    fn hostile_nesting_is_refused_without_overflow() {
        let deep = "[".repeat(100_000);
        assert_eq!(parse(&deep).unwrap_err().what, "nested too deeply");
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn integers_and_short_decimals_are_exact() {
        for n in [
            0u64,
            1,
            9_007_199_254_740_992,
            1_732_381_234_567,
            4_294_967_295,
        ] {
            assert_eq!(parse(&n.to_string()).unwrap(), Json::Number(n as f64));
            assert_eq!(parse(&format!("{n}.0")).unwrap(), Json::Number(n as f64));
        }
        for text in ["0.1", "2.5", "1732381234567.25", "1e3", "12.5e-1"] {
            assert_eq!(
                parse(text).unwrap(),
                Json::Number(text.parse().unwrap()),
                "{text}"
            );
        }
    }

    #[test]
    fn tiny_exponents_read_as_zero_like_serde_json() {
        for text in [
            "1e-400",
            "18446744073709551615e-343",
            "3333333.3333333333333333333e-6833333333",
            "-1e-99999999999",
            "0.5e-2147483648",
        ] {
            let theirs: f64 = serde_json::from_str(text).unwrap();
            let ours = parse(text).unwrap();
            assert_eq!(ours, Json::Number(theirs), "{text}");
            let Json::Number(n) = ours else {
                unreachable!()
            };
            assert_eq!(n.is_sign_negative(), text.starts_with('-'), "{text}");
        }
        // Just above where any value becomes zero, still read.
        assert_eq!(parse("1e-320").unwrap(), Json::Number(1e-320));
    }

    #[test]
    fn fields_name_the_key_at_fault() {
        let value = parse(
            r#"{"fields": {"phone": {"required": "yes", "requried": true}}, "n": 1.5, "s": null}"#,
        )
        .unwrap();
        let top = value.object("").unwrap();
        let phone = top
            .object("fields")
            .unwrap()
            .unwrap()
            .object("phone")
            .unwrap()
            .unwrap();
        assert_eq!(
            phone.bool("required").unwrap_err(),
            "`fields.phone.required`: expected true or false, found a string"
        );
        let mut unknown = Vec::new();
        phone.unknown_keys(&["required", "hidden"], &mut unknown);
        assert_eq!(
            unknown,
            ["unknown key `fields.phone.requried`, expected one of required, hidden"]
        );
        assert_eq!(
            top.whole("n", 10).unwrap_err(),
            "`n`: expected a whole number from 0 to 10, found a number"
        );
        assert_eq!(top.string("s"), Ok(None), "null is absent");
        assert_eq!(top.string("missing"), Ok(None));
        assert_eq!(
            Json::Array(vec![]).object("").err().unwrap(),
            "expected an object, found an array"
        );
    }
}
