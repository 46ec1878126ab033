//! `json::parse` against serde_json on arbitrary text: the same texts accepted and
//! refused, the same values, and an error offset inside the text. The differences
//! are deliberate and checked here: nesting deeper than 64 is refused (serde_json
//! goes to 128), duplicate keys are kept in order (serde_json's map keeps the last),
//! and numbers are read to within a few ulps, so one at the very top of `f64` may be
//! refused as out of range (see the reader's `number`).
#![no_main]

use consent_form::json::{self, json_text, Json};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ours = json::parse(text);
    let theirs = serde_json::from_str::<serde_json::Value>(text);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) => {
            assert!(same(a, b), "{text:?}: {a:?} vs {b:?}");
            // What is read, written back, reads the same.
            let again = text_of(a);
            let back = match json::parse(&again) {
                Ok(back) => back,
                Err(e) if e.what == "number out of range" && has_top_number(b) => return,
                Err(e) => panic!("{again:?}: {e}"),
            };
            assert!(alike(a, &back), "{text:?} written as {again:?}");
        }
        (Err(e), Err(_)) => assert!(e.offset <= text.len(), "{text:?}: {e:?}"),
        (Err(e), Ok(b)) => match e.what {
            "nested too deeply" => assert!(depth_of(b) > 64, "{text:?}"),
            // Read to within a few ulps, a number at the very top of f64 may overflow.
            "number out of range" => assert!(has_top_number(b), "{text:?}: {b:?}"),
            _ => panic!("{text:?}: {e:?}, serde_json read {b:?}"),
        },
        (Ok(a), Err(e)) => panic!("{text:?}: read {a:?}, serde_json refuses: {e}"),
    }
    if let Err(e) = &ours {
        assert!(e.offset <= text.len());
        assert!(!e.in_text(text).is_empty());
    }
});

/// Any value as JSON text: strings by the crate's writer, numbers as Rust prints them.
fn text_of(value: &Json) -> String {
    match value {
        Json::Null => "null".into(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => format!("{n:e}"),
        Json::String(s) => json_text(s),
        Json::Array(items) => {
            let items: Vec<String> = items.iter().map(text_of).collect();
            format!("[{}]", items.join(","))
        }
        Json::Object(members) => {
            let members: Vec<String> = members
                .iter()
                .map(|(k, v)| format!("{}:{}", json_text(k), text_of(v)))
                .collect();
            format!("{{{}}}", members.join(","))
        }
    }
}

/// Equal, numbers to within 20 ulps (each of two readings is within 8 of exact, and
/// printing is exact).
fn alike(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => {
            x.is_sign_negative() == y.is_sign_negative()
                && x.abs().to_bits().abs_diff(y.abs().to_bits()) <= 20
        }
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| alike(x, y))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k, x), (l, y))| k == l && alike(x, y))
        }
        _ => a == b,
    }
}

fn same(ours: &Json, theirs: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (ours, theirs) {
        (Json::Null, Value::Null) => true,
        (Json::Bool(a), Value::Bool(b)) => a == b,
        (Json::Number(a), Value::Number(b)) => close(*a, b.as_f64().unwrap_or(f64::NAN)),
        (Json::String(a), Value::String(b)) => a == b,
        (Json::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
        }
        (Json::Object(a), Value::Object(b)) => {
            // serde_json keeps the last of a repeated key, as `Fields::get` does.
            let mut keys: Vec<&String> = a.iter().map(|(k, _)| k).collect();
            keys.sort();
            keys.dedup();
            keys.len() == b.len()
                && keys.iter().all(|k| {
                    let last = a.iter().rev().find(|(key, _)| key == *k).map(|(_, v)| v);
                    matches!((last, b.get(k.as_str())), (Some(x), Some(y)) if same(x, y))
                })
        }
        _ => false,
    }
}

/// Equal to within 10 ulps: the crate reads to within 8 of the exact value, and
/// serde_json's own default reading is not always exact either.
fn close(a: f64, b: f64) -> bool {
    if a == b {
        return a.is_sign_negative() == b.is_sign_negative() || a != 0.0;
    }
    if !a.is_finite() || !b.is_finite() || a.is_sign_negative() != b.is_sign_negative() {
        return false;
    }
    let (x, y) = (a.abs().to_bits(), b.abs().to_bits());
    x.abs_diff(y) <= 10
}

/// Whether a number in `v` is within 32 ulps of the largest float.
fn has_top_number(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Number(n) => n
            .as_f64()
            .is_some_and(|n| n.abs().to_bits() >= f64::MAX.to_bits() - 32),
        serde_json::Value::Array(a) => a.iter().any(has_top_number),
        serde_json::Value::Object(o) => o.values().any(has_top_number),
        _ => false,
    }
}

fn depth_of(v: &serde_json::Value) -> usize {
    match v {
        serde_json::Value::Array(a) => 1 + a.iter().map(depth_of).max().unwrap_or(0),
        serde_json::Value::Object(o) => 1 + o.values().map(depth_of).max().unwrap_or(0),
        _ => 0,
    }
}
