//! Writing JSON by hand, byte for byte as serde_json's compact writer
//! (`serde_json::to_string`) writes it: no spaces, members in the order written,
//! strings escaped as serde_json escapes them.
//!
//! Why not serde_json here: its serializer, the `Serialize` impls and their
//! instantiations cost kilobytes of wasm that every visitor downloads. The payload's
//! bytes are what is signed; the tests compare them with serde_json's on many payloads.

/// Something that writes itself as JSON.
pub trait ToJson {
    /// Writes the value to `w`.
    fn write_json(&self, w: &mut Writer);

    /// The value as compact JSON text.
    fn to_json(&self) -> String
    where
        Self: Sized,
    {
        json_text(self)
    }
}

/// `value` as compact JSON text: one copy of this for every type (where a default
/// method's body would be compiled once per type, into every visitor's wasm).
pub fn json_text(value: &dyn ToJson) -> String {
    let mut w = Writer::new();
    value.write_json(&mut w);
    w.finish()
}

impl ToJson for str {
    fn write_json(&self, w: &mut Writer) {
        w.string(self);
    }
}

impl ToJson for String {
    fn write_json(&self, w: &mut Writer) {
        w.string(self);
    }
}

/// Compact JSON being written: open objects and arrays with `begin_…`, write members
/// as [`Writer::key`] then a value, close with `end_…`. Commas are put in by the writer.
#[derive(Debug, Default)]
pub struct Writer {
    out: String,
    /// Whether nothing has been written since the last `{`, `[` or `:` (no comma due).
    fresh: bool,
}

impl Writer {
    /// An empty text.
    pub fn new() -> Writer {
        Writer {
            out: String::new(),
            fresh: true,
        }
    }

    /// The text written.
    pub fn finish(self) -> String {
        self.out
    }

    /// A comma unless this value or key comes first.
    fn next(&mut self) {
        if !self.fresh {
            self.out.push(',');
        }
        self.fresh = false;
    }

    /// Writes `{`.
    pub fn begin_object(&mut self) {
        self.next();
        self.out.push('{');
        self.fresh = true;
    }

    /// Writes `}`.
    pub fn end_object(&mut self) {
        self.out.push('}');
        self.fresh = false;
    }

    /// Writes `[`.
    pub fn begin_array(&mut self) {
        self.next();
        self.out.push('[');
        self.fresh = true;
    }

    /// Writes `]`.
    pub fn end_array(&mut self) {
        self.out.push(']');
        self.fresh = false;
    }

    /// Writes a member's key; write its value next.
    pub fn key(&mut self, key: &str) -> &mut Writer {
        self.next();
        self.quoted(key);
        self.out.push(':');
        self.fresh = true;
        self
    }

    /// Writes a string.
    pub fn string(&mut self, text: &str) {
        self.next();
        self.quoted(text);
    }

    /// Writes a string, or `null` for `None`.
    pub fn optional(&mut self, text: Option<&str>) {
        match text {
            Some(text) => self.string(text),
            None => self.null(),
        }
    }

    /// Writes `true` or `false`.
    pub fn bool(&mut self, value: bool) {
        self.raw(if value { "true" } else { "false" });
    }

    /// Writes `null`.
    pub fn null(&mut self) {
        self.raw("null");
    }

    /// Writes a whole number.
    pub fn number(&mut self, value: u64) {
        self.next();
        self.digits(value);
    }

    /// Writes a float that holds a whole number, as serde_json writes one
    /// (`1732381234567.0`); `null` if it is not finite, as serde_json does. Meant for
    /// times in milliseconds, which `Date.now()` gives whole: a fraction would be
    /// rounded to the nearest whole number.
    pub fn whole_float(&mut self, value: f64) {
        if !value.is_finite() {
            return self.null();
        }
        // Beyond 2^53 a float is whole anyway; `as` saturates far beyond any time.
        let whole = value.round() as i64;
        self.next();
        if value.is_sign_negative() {
            self.out.push('-');
        }
        self.digits(whole.unsigned_abs());
        self.out.push_str(".0");
    }

    /// Writes an array of `items`.
    pub fn array<T: ToJson>(&mut self, items: &[T]) {
        self.begin_array();
        for item in items {
            item.write_json(self);
        }
        self.end_array();
    }

    fn raw(&mut self, text: &str) {
        self.next();
        self.out.push_str(text);
    }

    fn digits(&mut self, mut value: u64) {
        let mut buf = [0u8; 20];
        let mut at = buf.len();
        loop {
            at -= 1;
            buf[at] = b'0' + (value % 10) as u8;
            value /= 10;
            if value == 0 {
                break;
            }
        }
        for &digit in buf.iter().skip(at) {
            self.out.push(char::from(digit));
        }
    }

    /// `text` in double quotes, escaped as serde_json escapes: `"` and `\`, the short
    /// escapes `\b \t \n \f \r`, other control characters below U+0020 as `\u00xx`
    /// (lowercase hex); everything else as it is (DEL, U+2028, non-ASCII included).
    fn quoted(&mut self, text: &str) {
        self.out.push('"');
        let mut start = 0;
        for (at, byte) in text.bytes().enumerate() {
            let short = match byte {
                b'"' => b'"',
                b'\\' => b'\\',
                0x08 => b'b',
                0x09 => b't',
                0x0a => b'n',
                0x0c => b'f',
                0x0d => b'r',
                0x00..=0x1f => b'u',
                _ => continue,
            };
            // `at` is an ASCII byte, so both ends are char boundaries.
            self.out.push_str(text.get(start..at).unwrap_or_default());
            self.out.push('\\');
            self.out.push(char::from(short));
            if short == b'u' {
                self.out.push_str("00");
                crate::signing::push_hex(&mut self.out, &[byte]);
            }
            start = at + 1;
        }
        self.out.push_str(text.get(start..).unwrap_or_default());
        self.out.push('"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(text: &str) -> String {
        let mut w = Writer::new();
        text.write_json(&mut w);
        w.finish()
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut every_ascii = String::new();
        for c in 0u8..0x80 {
            every_ascii.push(char::from(c));
        }
        for text in [
            "",
            "plain",
            every_ascii.as_str(),
            "\"quoted\" \\ back\\slash / slash",
            "Nguyễn Văn Ánh, Đà Nẵng",
            "Ngu\u{0302}\u{0303}n decomposed",
            "line\u{2028}separator\u{2029}paragraph",
            "emoji 😀👨‍👩‍👧 and \u{10FFFF}",
            "\u{7f}\u{80}\u{9f}\u{a0}\u{feff}\u{fffd}",
            "\0\u{1}\u{1f}\u{8}\u{c}\r\n\t",
            "<img src=x onerror=alert(1)></script>",
            "ends with a backslash\\",
            "\"",
        ] {
            assert_eq!(
                quoted(text),
                serde_json::to_string(text).unwrap(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn structure_and_numbers_are_written_as_serde_json_writes_them() {
        let mut w = Writer::new();
        w.begin_object();
        w.key("a").number(0);
        w.key("b").number(u64::MAX);
        w.key("c").bool(true);
        w.key("d").bool(false);
        w.key("e").null();
        w.key("f").optional(None);
        w.key("g").optional(Some("x"));
        w.key("h").begin_array();
        w.end_array();
        w.key("i").begin_object();
        w.end_object();
        w.key("j").array(&["x".to_owned(), "y".to_owned()]);
        w.key("k").begin_array();
        w.begin_object();
        w.end_object();
        w.begin_array();
        w.number(7);
        w.end_array();
        w.number(1);
        w.end_array();
        w.key("k\"ey\n").string("v");
        w.end_object();
        let expected = serde_json::json!({
            "a": 0, "b": u64::MAX, "c": true, "d": false, "e": null, "f": null, "g": "x",
            "h": [], "i": {}, "j": ["x", "y"], "k": [{}, [7], 1], "k\"ey\n": "v"
        });
        // serde_json's Value sorts its keys; these are written in that order.
        assert_eq!(w.finish(), serde_json::to_string(&expected).unwrap());
    }

    #[test]
    fn whole_floats_are_written_as_serde_json_writes_them() {
        for value in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            1_732_381_234_567.0,
            1_795_424_825_123.0,
            9_007_199_254_740_992.0,
            -9_007_199_254_740_992.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            let mut w = Writer::new();
            w.whole_float(value);
            assert_eq!(
                w.finish(),
                serde_json::to_string(&value).unwrap(),
                "{value}"
            );
        }
        let mut w = Writer::new();
        w.whole_float(1_732_381_234_567.4);
        assert_eq!(w.finish(), "1732381234567.0", "a fraction is rounded");
    }

    #[test]
    fn numbers_are_written_in_full() {
        for value in [0, 9, 10, 99, 100, 65_535, 4_294_967_295, 1 << 53, u64::MAX] {
            let mut w = Writer::new();
            w.number(value);
            assert_eq!(w.finish(), value.to_string());
        }
    }
}
