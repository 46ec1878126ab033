//! Hostile input costs nothing: huge or pathological strings are refused at once.
#![cfg(not(target_arch = "wasm32"))]

use std::time::{Duration, Instant};

use consent_form::email::{parse, suggest, EmailError};

/// The fastest of a few runs, so that a busy machine does not make the test flaky.
fn fastest(f: impl Fn()) -> Duration {
    (0..20)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

#[test]
fn a_megabyte_is_refused_in_well_under_a_millisecond() {
    let mb = 1 << 20;
    let inputs = [
        "a".repeat(mb),
        " ".repeat(mb),
        "@".repeat(mb),
        format!("ban@{}.com", "g".repeat(mb)),
        format!("{}@gmail.com", "\u{200b}".repeat(mb / 3)),
        "ạ".repeat(mb / 3),
        "a\u{301}".repeat(mb / 3),
    ];
    for input in &inputs {
        assert!(input.len() >= mb - 4, "{}", input.len());
        assert_eq!(parse(input), Err(EmailError::TooLong));
        assert_eq!(suggest(input), None);
        let took = fastest(|| {
            let _ = parse(input);
            let _ = suggest(input);
        });
        eprintln!(
            "1 MB {:?}…: parse + suggest in {took:?}",
            input.chars().take(4).collect::<String>()
        );
        assert!(took < Duration::from_micros(100), "{took:?}");
    }
}

#[test]
fn the_longest_input_that_is_read_is_cheap_too() {
    // Just under the cut-off: everything is read, cleaned and checked.
    let inputs = [
        format!("{}@{}", "a".repeat(64), vec!["ạ".repeat(19); 9].join(".")),
        format!("{}@gmail.com", "\u{200b}".repeat(660)),
        format!("ban@{}.vn", "a\u{301}".repeat(600)),
        format!("ban@{}", "gmial.".repeat(340)),
        "@.".repeat(1020),
    ];
    for input in &inputs {
        assert!(input.len() <= 2048, "{}", input.len());
        let took = fastest(|| {
            let _ = parse(input);
            let _ = suggest(input);
        });
        let start: String = input.chars().take(6).collect();
        eprintln!(
            "{} bytes {start:?}…: parse + suggest in {took:?}",
            input.len()
        );
        assert!(took < Duration::from_millis(1), "{took:?}");
    }
}
