//! `json::parse` on hostile text, from what fuzzing found (fuzz/fuzz_targets/json.rs,
//! docs/fuzzing.md): each case is read as serde_json reads it, or refused with a
//! position inside the text.

use consent_form::json::{self, Json};

/// Refused by both, at a position inside the text.
fn refused(text: &str) -> json::ParseError {
    assert!(
        serde_json::from_str::<serde_json::Value>(text).is_err(),
        "serde_json reads {text:?}"
    );
    let e = json::parse(text).expect_err(text);
    assert!(e.offset <= text.len(), "{text:?}: {e:?}");
    e
}

#[test]
fn numbers_beyond_f64_are_refused_not_infinite() {
    // Found by the fuzzer: read as `inf`, which serde_json refuses.
    for text in ["6e666666666600", "1e309", "-1e309", "[1e400]", "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792"] {
        let e = refused(text);
        assert_eq!(e.what, "number out of range", "{text}");
    }
}

#[test]
fn a_zero_with_a_huge_exponent_is_zero() {
    // 0 × 10^400 was NaN (0 × inf).
    for text in ["0e400", "0.000e99999", "-0E+400"] {
        let read = json::parse(text).unwrap();
        let Json::Number(n) = read else {
            panic!("{read:?}")
        };
        assert_eq!(n, 0.0, "{text}");
        assert_eq!(serde_json::from_str::<f64>(text).unwrap(), 0.0);
    }
}

#[test]
fn a_megabyte_of_nesting_is_refused_without_overflowing_the_stack() {
    for open in ["[", "{\"a\":", "[{\"\":"] {
        let deep = open.repeat((1 << 20) / open.len());
        assert_eq!(refused(&deep).what, "nested too deeply");
    }
}

#[test]
fn numbers_are_read_to_within_8_ulps() {
    // Found by the fuzzer: 7 ulps from exact, where the target allowed 4.
    for text in [
        "6222222222222222226E222",
        "6.222222222222226e240",
        "104124596081820479e281",
    ] {
        let Json::Number(n) = json::parse(text).unwrap() else {
            panic!()
        };
        let exact: f64 = text.parse().unwrap();
        assert!(
            n.to_bits().abs_diff(exact.to_bits()) <= 8,
            "{text}: {n} vs {exact}"
        );
    }
    // Exact where it matters: whole numbers to 2^53, millisecond times, short decimals.
    for text in [
        "9007199254740993",
        "1795575600123",
        "1795575600123.0",
        "0.1",
        "2.5e-3",
    ] {
        let Json::Number(n) = json::parse(text).unwrap() else {
            panic!()
        };
        assert_eq!(n, text.parse::<f64>().unwrap(), "{text}");
    }
}
