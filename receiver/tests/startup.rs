//! Starting the receiver: bad configuration stops it with a clear message (exit 2),
//! an unreachable database with another (exit 1); neither echoes a secret.

mod common;

use common::*;

fn env_with<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut env = vec![("PORT", "0"), ("RECEIVER_INSECURE_COOKIE", "1")];
    env.extend_from_slice(extra);
    env
}

#[test]
fn help_lists_every_setting() {
    let (code, out, _) = run_to_exit(&["--help"], &[]);
    assert_eq!(code, Some(0));
    for name in [
        "RECEIVER_LISTEN",
        "DATABASE_URL",
        "RECEIVER_OWNER_TOKEN",
        "RECEIVER_KEY_SECRET",
        "RECEIVER_KEY_TTL",
        "RECEIVER_KEY_GRACE",
        "RECEIVER_ALLOW_ORIGINS",
        "RECEIVER_RATE_LIMIT",
        "RECEIVER_WWW_DIR",
        "RECEIVER_PKG_DIR",
        "CAPTCHA_SECRET",
        "CAPTCHA_VERIFY_URL",
        "RECEIVER_RETENTION",
        "receiver retention",
    ] {
        assert!(out.contains(name), "{name} in --help");
    }
}

#[test]
fn bad_configuration_is_reported_all_at_once() {
    let (code, out, err) = run_to_exit(
        &["--key-ttl", "0", "--frobnicate"],
        &env_with(&[
            ("DATABASE_URL", "mysql://root:hunter2@db/leads"),
            ("RECEIVER_OWNER_TOKEN", "too-short-token"),
            ("RECEIVER_KEY_SECRET", "whsec_c2hvcnQ="),
            ("RECEIVER_ALLOW_ORIGINS", "*"),
            ("RECEIVER_RATE_LIMIT", "lots"),
        ]),
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(out.is_empty(), "nothing listens: {out}");
    for needle in [
        "configuration errors",
        "unknown flag --frobnicate",
        "--key-ttl",
        "DATABASE_URL: unknown database scheme \"mysql\"",
        "RECEIVER_OWNER_TOKEN: the token must have at least 32 characters",
        "RECEIVER_KEY_SECRET: has 5 bytes, at least 32",
        "RECEIVER_ALLOW_ORIGINS",
        "RECEIVER_RATE_LIMIT",
        "--help",
    ] {
        assert!(err.contains(needle), "{needle:?} missing in:\n{err}");
    }
    for secret in ["hunter2", "too-short-token", "c2hvcnQ"] {
        assert!(!err.contains(secret), "{secret} echoed:\n{err}");
    }
}

#[test]
fn an_unreachable_database_is_a_clear_error() {
    // Nothing listens on port 1.
    let (code, _, err) = run_to_exit(
        &[],
        &env_with(&[("DATABASE_URL", "postgres://app:hunter2@127.0.0.1:1/leads")]),
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("cannot open the database"), "{err}");
    assert!(err.contains("postgres://app@127.0.0.1:1/leads"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");

    let (code, _, err) = run_to_exit(
        &[],
        &env_with(&[("DATABASE_URL", "sqlite:/proc/no/such/dir/r.sqlite3")]),
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("cannot open the database") || err.contains("cannot create"),
        "{err}"
    );
}

#[test]
fn the_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let db = format!(
        "sqlite:{}/receiver-tests/port-{}.sqlite3",
        env!("CARGO_TARGET_TMPDIR"),
        std::process::id()
    );
    let (code, _, err) = run_to_exit(&["--listen", &addr], &env_with(&[("DATABASE_URL", &db)]));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains(&format!("cannot listen on {addr}")), "{err}");
}

#[test]
fn an_sqlite_file_is_created_on_first_run() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("first-run-{}", new_id()))
        .join("nested");
    let file = dir.join("r.sqlite3");
    assert!(!dir.exists());
    let server = Server::start_on(&format!("sqlite:{}", file.display()), &[]);
    assert!(file.exists());
    server.wait_for_log("(schema 7)");
}
