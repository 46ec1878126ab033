//! Punycode (RFC 3492): the `xn--` form of a non-ASCII domain label.
//!
//! Only the encoder is needed: it measures a Unicode label's length as mail servers and
//! DNS count it (in octets of the A-label) and gives servers the ASCII form of a domain.

const BASE: u32 = 36;
const T_MIN: u32 = 1;
const T_MAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 0x80;

/// The ACE prefix that marks an encoded label.
pub(crate) const PREFIX: &str = "xn--";

/// Longest label we encode, in code points. A longer label cannot fit in 63 octets
/// (every code point costs at least one octet of output).
const MAX_POINTS: usize = 63;

/// Encodes `label` (without the `xn--` prefix) into `out`, and returns the number of
/// bytes written. `None` when the encoding would be longer than `out` (or the label has
/// more than 63 code points): the label is too long for DNS.
pub(crate) fn encode(label: &str, out: &mut [u8]) -> Option<usize> {
    let mut points = [0u32; MAX_POINTS];
    let mut len = 0;
    for c in label.chars() {
        *points.get_mut(len)? = c as u32;
        len += 1;
    }
    let points = points.get(..len)?;

    let mut written = 0;
    let mut push = |byte: u8| -> Option<()> {
        *out.get_mut(written)? = byte;
        written += 1;
        Some(())
    };

    let mut basic = 0u32;
    for &p in points {
        if p < INITIAL_N {
            push(p as u8)?;
            basic += 1;
        }
    }
    if basic > 0 {
        push(b'-')?;
    }

    let total = len as u32;
    let mut handled = basic;
    let mut n = INITIAL_N;
    let mut delta: u32 = 0;
    let mut bias = INITIAL_BIAS;
    while handled < total {
        // The smallest code point not handled yet.
        let m = points.iter().copied().filter(|&p| p >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &p in points {
            if p < n {
                delta = delta.checked_add(1)?;
            } else if p == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        T_MIN
                    } else if k >= bias + T_MAX {
                        T_MAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    push(digit(t + (q - t) % (BASE - t)))?;
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                push(digit(q))?;
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta = delta.checked_add(1)?;
        n = n.checked_add(1)?;
    }
    Some(written)
}

/// The bias adaptation function of RFC 3492 §6.1.
fn adapt(delta: u32, points: u32, first: bool) -> u32 {
    let mut delta = if first { delta / DAMP } else { delta / 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((BASE - T_MIN) * T_MAX) / 2 {
        delta /= BASE - T_MIN;
        k += BASE;
    }
    k + (BASE - T_MIN + 1) * delta / (delta + SKEW)
}

/// The lower-case basic code point for a digit value 0..36.
fn digit(d: u32) -> u8 {
    if d < 26 {
        b'a' + d as u8
    } else {
        b'0' + (d as u8).wrapping_sub(26)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(label: &str) -> Option<String> {
        let mut buf = [0u8; 59];
        let n = encode(label, &mut buf)?;
        Some(String::from_utf8_lossy(&buf[..n]).into_owned())
    }

    #[test]
    fn rfc_3492_samples() {
        // §7.1 (B) and (D), the latter with its basic letters lower-cased.
        assert_eq!(
            enc("他们为什么不说中文").as_deref(),
            Some("ihqwcrb4cv8a8dqg056pqjye")
        );
        assert_eq!(
            enc("tạisaohọkhôngthểchỉnóitiếngviệt").as_deref(),
            Some("tisaohkhngthchnitingvit-kjcr8268qyxafd2f1b9g")
        );
        assert_eq!(enc("ví-dụ").as_deref(), Some("v-d-rma6749a"));
    }

    #[test]
    fn too_long_is_none() {
        assert_eq!(enc(&"ạ".repeat(60)), None);
        assert_eq!(enc(&"a".repeat(64)), None);
        let mut small = [0u8; 3];
        assert_eq!(encode("ví", &mut small), None);
    }
}
