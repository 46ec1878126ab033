//! The reference receiver of consent-form: issues short-lived per-session signing keys,
//! verifies signed submissions with the official `standardwebhooks` crate, validates
//! them with the component's own rules (`consent_form::payload`), stores them
//! append-only in SQLite or PostgreSQL, and gives the site owner lists, exports and
//! printable receipts. See `docs/receiver.md`.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod app;
pub mod captcha;
pub mod chain;
pub mod clock;
pub mod config;
pub mod erasure;
pub mod error;
pub mod export;
pub mod hold;
pub mod issue;
pub mod keys;
pub mod leads;
pub mod lookup;
pub mod outbound;
pub mod owner;
pub mod rate_limit;
pub mod receipt;
pub mod records;
pub mod retention;
pub mod serve;
pub mod store;
pub mod withdrawals;
pub mod witness;

use std::io::Write as _;
use std::sync::Arc;

use config::Config;
use store::Store;

/// Opens the store, binds, prints `listening on http://ADDR` on stdout and serves
/// until SIGINT or SIGTERM. Errors are meant for the operator, as they are.
pub async fn run(config: Config) -> Result<(), String> {
    let store = Store::open(&config.database, config.chain_keys.clone())
        .await
        .map_err(|e| format!("{} ({})", e, config.database.redacted()))?;
    let schema = store.schema_version().await.map_err(|e| e.to_string())?;
    let head = store.head().await.map_err(|e| e.to_string())?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot read the bound address: {e}"))?;

    let store_for_retention = store.clone();
    let state = Arc::new(app::AppState::new(&config, store)?);
    let router = app::router(&config, state);

    eprintln!(
        "receiver: database {} (schema {schema}); owner endpoints {}; keys live {} s \
         (+{} s grace){}; rate limit {}; CORS {}; static {}; captcha {}",
        config.database.redacted(),
        if config.owner_token.is_some() {
            "on"
        } else {
            "off (no RECEIVER_OWNER_TOKEN)"
        },
        config.key_ttl.as_secs(),
        config.key_grace.as_secs(),
        if config.key_secret_generated {
            ", key secret random at start (set RECEIVER_KEY_SECRET to keep keys across restarts)"
        } else {
            ""
        },
        match config.rate_limit {
            Some(r) => format!("{}/{} s per IP", r.requests, r.period.as_secs()),
            None => "off".into(),
        },
        if config.allow_origins.is_empty() {
            "same origin only".to_owned()
        } else {
            config.allow_origins.join(" ")
        },
        match (&config.www_dir, &config.pkg_dir) {
            (None, None) => "none".to_owned(),
            (www, pkg) => format!(
                "/ → {}, /pkg/ → {}",
                www.as_ref().map_or("-".into(), |p| p.display().to_string()),
                pkg.as_ref().map_or("-".into(), |p| p.display().to_string())
            ),
        },
        match &config.captcha {
            Some(c) => format!("verified with {}", c.verify_url),
            None => "not verified (no CAPTCHA_SECRET)".into(),
        },
    );
    match config.retention {
        Some(period) => eprintln!(
            "receiver: retention: records are erased {period} after receipt (checked now \
             and every hour)"
        ),
        None => eprintln!(
            "receiver: retention: off (records are kept until erased on request; set \
             RECEIVER_RETENTION)"
        ),
    }
    eprintln!(
        "receiver: chain: {} links, head {}, {} (GET /owner/chain; receiver verify-chain)",
        head.count,
        if head.hash.is_empty() {
            "(empty)"
        } else {
            &head.hash
        },
        match &config.chain_keys {
            Some(keys) => format!("new links keyed with key {}", keys.id()),
            None => "new links not keyed (set RECEIVER_CHAIN_KEY)".to_owned(),
        }
    );
    if !config.secure_cookie {
        eprintln!(
            "receiver: warning: the session cookie is not Secure (plain-http development only)"
        );
    }
    witness::spawn(
        store_for_retention.clone(),
        config.chain_witness.clone(),
        config.chain_witness_every,
    );
    if let Some(period) = config.retention {
        retention::spawn(
            store_for_retention,
            period,
            Arc::new(clock::SystemClock),
            retention::EVERY,
        );
    }
    println!("listening on http://{addr}");
    let _ = std::io::stdout().flush();

    serve::serve(listener, router, shutdown()).await;
    eprintln!("receiver: stopped");
    Ok(())
}

/// `receiver verify-chain [--copied HASH]`: recomputes the hash chain from the
/// database ([`chain`]); the report, and whether every link matched (and the head
/// copied earlier is one of them).
pub async fn verify_chain(
    config: Config,
    copied: Option<String>,
) -> Result<(String, bool), String> {
    let store = Store::open(&config.database, config.chain_keys.clone())
        .await
        .map_err(|e| format!("{} ({})", e, config.database.redacted()))?;
    let verified = store.verify_chain().await.map_err(|e| e.to_string())?;
    let copied = copied.as_deref();
    Ok((verified.report(copied), verified.ok(copied)))
}

/// `receiver retention`: what the retention period would erase at `at` (default now),
/// one line per record and a summary; erases nothing.
pub async fn retention_dry_run(
    config: Config,
    at: Option<consent_form::payload::Rfc3339>,
) -> Result<String, String> {
    let period = config
        .retention
        .ok_or("no retention period: set RECEIVER_RETENTION")?;
    let store = Store::open(&config.database, config.chain_keys.clone())
        .await
        .map_err(|e| format!("{} ({})", e, config.database.redacted()))?;
    retention::dry_run(&store, period, at).await
}

async fn shutdown() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}
