//! The standard base64 alphabet (RFC 4648 §4), written out because the `base64`
//! crate adds about 3.5 KB gzip to the browser build for the few bytes we encode.
//! Cross-checked against that crate in the tests.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Appends the padded base64 encoding of `input` to `out`.
pub(crate) fn encode_into(input: &[u8], out: &mut String) {
    out.reserve(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b0 = chunk.first().copied().unwrap_or(0);
        let b1 = chunk.get(1).copied().unwrap_or(0);
        let b2 = chunk.get(2).copied().unwrap_or(0);
        let n = (u32::from(b0) << 16) | (u32::from(b1) << 8) | u32::from(b2);
        // A chunk of k bytes gives k + 1 significant characters, then padding.
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 0x3f) as usize]));
            } else {
                out.push('=');
            }
        }
    }
}

/// The padded base64 encoding of `input`.
#[cfg(test)]
pub(crate) fn encode(input: &[u8]) -> String {
    let mut out = String::new();
    encode_into(input, &mut out);
    out
}

fn value(c: u8) -> Option<u32> {
    let v = match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

/// Decodes standard base64, with or without `=` padding. `None` for any character
/// outside the alphabet, misplaced padding or an impossible length.
pub(crate) fn decode(input: &str) -> Option<Vec<u8>> {
    let bytes = input.as_bytes();
    let padding = bytes.iter().rev().take_while(|&&c| c == b'=').count();
    if padding > 2 || (padding > 0 && !bytes.len().is_multiple_of(4)) {
        return None;
    }
    let data = bytes.get(..bytes.len() - padding)?;
    if data.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(data.len() / 4 * 3 + 2);
    for chunk in data.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= value(c)? << (18 - 6 * i);
        }
        out.push((n >> 16) as u8);
        if chunk.len() > 2 {
            out.push((n >> 8) as u8);
        }
        if chunk.len() > 3 {
            out.push(n as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, coded) in cases {
            assert_eq!(encode(plain.as_bytes()), coded);
            assert_eq!(decode(coded).as_deref(), Some(plain.as_bytes()));
            assert_eq!(
                decode(coded.trim_end_matches('=')).as_deref(),
                Some(plain.as_bytes()),
                "unpadded {coded}"
            );
        }
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "Zg=", "Z", "Zm9vY", "Zm9v!", "Zm 9v", "=Zm9", "Zg==Zg==", "Zm-_", "Zg===", "é",
        ] {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn agrees_with_the_base64_crate() {
        use ::base64::Engine as _;
        let engine = ::base64::engine::general_purpose::STANDARD;
        // Every length up to 200 and every byte value at every position class.
        let mut data = Vec::new();
        for len in 0..200usize {
            data.clear();
            data.extend((0..len).map(|i| (i.wrapping_mul(151).wrapping_add(len * 7)) as u8));
            let ours = encode(&data);
            assert_eq!(ours, engine.encode(&data), "len {len}");
            assert_eq!(decode(&ours).as_deref(), Some(&data[..]));
        }
        let all: Vec<u8> = (0..=255u8).collect();
        assert_eq!(encode(&all), engine.encode(&all));
    }
}
