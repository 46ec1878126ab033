//! The receiver's configuration: command-line flags, then environment variables, then
//! defaults. Every problem is reported at start, all at once, in words an operator can
//! act on; secrets are never echoed back.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use consent_form::payload::Rfc3339;
use consent_form::signing::Secret;

use crate::captcha::{self, CaptchaSecret};
use crate::chain::ChainKeys;
use crate::keys::KeySecret;
use crate::rate_limit::Rate;
use crate::retention::Period;
use crate::store::DatabaseUrl;
use crate::witness::{self, Witness};

/// The usage text printed by `--help`.
pub const USAGE: &str = "\
receiver — the reference backend of consent-form

Every setting is a flag or an environment variable (the flag wins).

  --listen ADDR          RECEIVER_LISTEN        address to listen on
                                                (default 127.0.0.1:$PORT, PORT default 8080)
  --database URL         DATABASE_URL           sqlite:PATH (default sqlite:receiver.sqlite3;
                                                a bare path works too) or postgres://…
  --owner-token TOKEN    RECEIVER_OWNER_TOKEN   bearer token of the /owner endpoints
                                                (at least 32 characters; unset = endpoints off)
  --owner-token-file F   RECEIVER_OWNER_TOKEN_FILE  the same, read from a file
  --key-secret SECRET    RECEIVER_KEY_SECRET    whsec_… (at least 32 bytes) from which the
                                                per-session keys are derived; unset = random at
                                                each start (keys then die with the process)
  --key-ttl SECONDS      RECEIVER_KEY_TTL       lifetime of an issued key (default 600, 2..=86400)
  --key-grace SECONDS    RECEIVER_KEY_GRACE     how long after expiry a key is still accepted
                                                (default 60, 0..=3600)
  --inline-secret SECRET RECEIVER_INLINE_SECRET the whsec_… a page embeds with the `secret`
                                                attribute (integrity only; used for requests
                                                without a session cookie)
  --allow-origin ORIGIN  RECEIVER_ALLOW_ORIGINS origins allowed by CORS (flag repeatable,
                                                variable comma-separated), e.g. https://vidu.vn
  --rate-limit N/PERIOD  RECEIVER_RATE_LIMIT    requests per client IP to /api and /owner
                                                (default 60/min; PERIOD s|min|h; `off`)
  --trust-proxy          RECEIVER_TRUST_PROXY=1 take the client IP from X-Forwarded-For
                                                (only behind a proxy that sets it)
  --www DIR              RECEIVER_WWW_DIR       serve DIR at / (the demo's www/)
  --pkg DIR              RECEIVER_PKG_DIR       serve DIR at /pkg/ (the built component)
  --insecure-cookie      RECEIVER_INSECURE_COOKIE=1  session cookie without `Secure`
                                                (plain-http development only)
  --captcha-secret SECRET CAPTCHA_SECRET       the captcha provider's secret key: verify each
                                                submission's `captcha` token (unset = off)
  --captcha-verify-url URL CAPTCHA_VERIFY_URL   the provider's siteverify (default Cloudflare
                                                Turnstile's; hCaptcha's and reCAPTCHA's work)
  --retention PERIOD     RECEIVER_RETENTION     erase each record this long after it was
                                                received (24months, 730d, 2y; default off),
                                                at start and every hour
  --chain-key KEYS       RECEIVER_CHAIN_KEY     whsec_… (at least 32 bytes) each new link of the
                                                hash chain gets a MAC with (unset = no MAC);
                                                keep it apart from the database. Several,
                                                space-separated: the first keys, all verify
  --chain-witness URL    RECEIVER_CHAIN_WITNESS where to POST the chain's head, as JSON, at start
                                                and every hour when it changed (another host, a
                                                chat webhook; unset = the head is only logged)
  --chain-witness-every SECONDS RECEIVER_CHAIN_WITNESS_EVERY  how often the head is looked
                                                at (default 3600, 1..=86400)
  --quiet                RECEIVER_QUIET=1       log errors only, not every request
  --help                                        this text

receiver retention [--at TIME] [settings]
  lists the records the retention period would erase (at TIME, RFC 3339, default now)
  and erases nothing; needs DATABASE_URL and RECEIVER_RETENTION (or their flags)

receiver verify-chain [--copied HASH] [settings]
  recomputes the hash chain over the records of DATABASE_URL and names the first link
  that does not match (exit 1); with --copied, a head copied from GET /owner/chain
  earlier, says whether it is one of the verified links (exit 1 if not); with
  RECEIVER_CHAIN_KEY, checks each link's MAC (exit 1 if one is wrong or missing);
  links nothing (it migrates an older database first, as the receiver does at start)
";

/// A checked configuration.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where to listen.
    pub listen: SocketAddr,
    /// Where records are stored.
    pub database: DatabaseUrl,
    /// The owner endpoints' token, if they are on.
    pub owner_token: Option<OwnerToken>,
    /// The secret per-session keys are derived from.
    pub key_secret: KeySecret,
    /// Whether `key_secret` was generated at start (not configured).
    pub key_secret_generated: bool,
    /// How long an issued key lives.
    pub key_ttl: Duration,
    /// How long after expiry a key is still accepted.
    pub key_grace: Duration,
    /// The secret of pages that embed it inline, if accepted.
    pub inline_secret: Option<Secret>,
    /// Origins allowed by CORS.
    pub allow_origins: Vec<String>,
    /// Requests per client IP; `None` = no limit.
    pub rate_limit: Option<Rate>,
    /// Whether the client IP comes from `X-Forwarded-For`.
    pub trust_proxy: bool,
    /// Directory served at `/`.
    pub www_dir: Option<PathBuf>,
    /// Directory served at `/pkg/`.
    pub pkg_dir: Option<PathBuf>,
    /// Whether the session cookie carries `Secure`.
    pub secure_cookie: bool,
    /// Whether to log every request.
    pub log_requests: bool,
    /// The captcha check, if on.
    pub captcha: Option<CaptchaConfig>,
    /// How long records are kept after they were received; `None`: until erased on
    /// request.
    pub retention: Option<Period>,
    /// The keys the chain's links get a MAC with; `None`: no MAC.
    pub chain_keys: Option<ChainKeys>,
    /// Where copies of the chain's head are posted; `None`: only logged.
    pub chain_witness: Option<Witness>,
    /// How often the chain's head is looked at.
    pub chain_witness_every: Duration,
}

/// Where and with what secret captcha tokens are verified.
#[derive(Clone, Debug)]
pub struct CaptchaConfig {
    /// The provider's secret key.
    pub secret: CaptchaSecret,
    /// The provider's `siteverify`.
    pub verify_url: reqwest::Url,
}

/// The owner endpoints' bearer token. Its `Debug` hides it.
#[derive(Clone)]
pub struct OwnerToken(String);

impl OwnerToken {
    /// The shortest token accepted.
    pub const MIN_CHARS: usize = 32;

    /// The token's text.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for OwnerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OwnerToken(…)")
    }
}

/// One thing wrong with the configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// A flag this program does not know.
    UnknownFlag(String),
    /// A flag that needs a value got none.
    MissingValue(String),
    /// A setting has an unusable value: which setting, and why.
    Invalid {
        /// The flag or variable.
        setting: String,
        /// What is wrong, without echoing a secret.
        reason: String,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::UnknownFlag(flag) => write!(f, "unknown flag {flag} (see --help)"),
            ConfigError::MissingValue(flag) => write!(f, "{flag} needs a value"),
            ConfigError::Invalid { setting, reason } => write!(f, "{setting}: {reason}"),
        }
    }
}

impl std::error::Error for ConfigError {}

/// What the command line asked for.
#[derive(Debug)]
pub enum Command {
    /// Print the usage and exit.
    Help,
    /// Run with this configuration.
    Run(Box<Config>),
    /// `receiver retention`: list what the retention period would erase at `at`
    /// (default now), erasing nothing.
    Retention {
        /// The configuration (its `retention` is set).
        config: Box<Config>,
        /// When to look from.
        at: Option<Rfc3339>,
    },
    /// `receiver verify-chain`: recompute the hash chain from the database.
    VerifyChain {
        /// The configuration (its database).
        config: Box<Config>,
        /// A head copied earlier, to find among the verified links.
        copied: Option<String>,
    },
}

/// A setting's name as flag and variable.
struct Setting {
    flag: &'static str,
    env: &'static str,
    /// Whether it is a switch (no value).
    switch: bool,
}

const SETTINGS: &[Setting] = &[
    Setting {
        flag: "--listen",
        env: "RECEIVER_LISTEN",
        switch: false,
    },
    Setting {
        flag: "--database",
        env: "DATABASE_URL",
        switch: false,
    },
    Setting {
        flag: "--owner-token",
        env: "RECEIVER_OWNER_TOKEN",
        switch: false,
    },
    Setting {
        flag: "--owner-token-file",
        env: "RECEIVER_OWNER_TOKEN_FILE",
        switch: false,
    },
    Setting {
        flag: "--key-secret",
        env: "RECEIVER_KEY_SECRET",
        switch: false,
    },
    Setting {
        flag: "--key-ttl",
        env: "RECEIVER_KEY_TTL",
        switch: false,
    },
    Setting {
        flag: "--key-grace",
        env: "RECEIVER_KEY_GRACE",
        switch: false,
    },
    Setting {
        flag: "--inline-secret",
        env: "RECEIVER_INLINE_SECRET",
        switch: false,
    },
    Setting {
        flag: "--allow-origin",
        env: "RECEIVER_ALLOW_ORIGINS",
        switch: false,
    },
    Setting {
        flag: "--rate-limit",
        env: "RECEIVER_RATE_LIMIT",
        switch: false,
    },
    Setting {
        flag: "--trust-proxy",
        env: "RECEIVER_TRUST_PROXY",
        switch: true,
    },
    Setting {
        flag: "--www",
        env: "RECEIVER_WWW_DIR",
        switch: false,
    },
    Setting {
        flag: "--pkg",
        env: "RECEIVER_PKG_DIR",
        switch: false,
    },
    Setting {
        flag: "--insecure-cookie",
        env: "RECEIVER_INSECURE_COOKIE",
        switch: true,
    },
    Setting {
        flag: "--captcha-secret",
        env: "CAPTCHA_SECRET",
        switch: false,
    },
    Setting {
        flag: "--captcha-verify-url",
        env: "CAPTCHA_VERIFY_URL",
        switch: false,
    },
    Setting {
        flag: "--quiet",
        env: "RECEIVER_QUIET",
        switch: true,
    },
    Setting {
        flag: "--retention",
        env: "RECEIVER_RETENTION",
        switch: false,
    },
    Setting {
        flag: "--chain-key",
        env: "RECEIVER_CHAIN_KEY",
        switch: false,
    },
    Setting {
        flag: "--chain-witness",
        env: "RECEIVER_CHAIN_WITNESS",
        switch: false,
    },
    Setting {
        flag: "--chain-witness-every",
        env: "RECEIVER_CHAIN_WITNESS_EVERY",
        switch: false,
    },
];

/// The raw values of one setting: where they came from (flag or variable name, for
/// error messages) and the values, in the order given.
struct RawValue {
    flag: &'static str,
    source: String,
    values: Vec<String>,
}

/// Every setting given.
struct Raw(Vec<RawValue>);

impl Raw {
    /// All values given for `flag`, with the name to blame.
    fn all(&self, flag: &str) -> Option<(&str, &[String])> {
        self.0
            .iter()
            .find(|r| r.flag == flag)
            .map(|r| (r.source.as_str(), r.values.as_slice()))
    }

    /// The last value given for `flag`, with the name to blame.
    fn one(&self, flag: &str) -> Option<(String, String)> {
        let (source, values) = self.all(flag)?;
        values.last().map(|v| (source.to_owned(), v.clone()))
    }
}

impl Config {
    /// Reads the command line (without the program name) and the environment.
    ///
    /// `env` looks up a variable; tests pass their own.
    pub fn parse(
        args: &[String],
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Command, Vec<ConfigError>> {
        if let Some(rest) = args.strip_prefix(&["retention".to_owned()]) {
            return Config::parse_retention(rest, env);
        }
        if let Some(rest) = args.strip_prefix(&["verify-chain".to_owned()]) {
            return Config::parse_verify_chain(rest, env);
        }
        let mut errors = Vec::new();
        let mut raw = Raw(Vec::new());
        let mut i = 0;
        while i < args.len() {
            let arg = &args[i];
            i += 1;
            if arg == "--help" || arg == "-h" {
                return Ok(Command::Help);
            }
            let (name, inline) = match arg.split_once('=') {
                Some((n, v)) if n.starts_with("--") => (n, Some(v.to_owned())),
                _ => (arg.as_str(), None),
            };
            let Some(setting) = SETTINGS.iter().find(|s| s.flag == name) else {
                errors.push(ConfigError::UnknownFlag(name.to_owned()));
                continue;
            };
            let value = if setting.switch {
                inline.unwrap_or_else(|| "1".to_owned())
            } else if let Some(v) = inline {
                v
            } else if let Some(v) = args.get(i) {
                i += 1;
                v.clone()
            } else {
                errors.push(ConfigError::MissingValue(name.to_owned()));
                continue;
            };
            match raw.0.iter_mut().find(|r| r.flag == setting.flag) {
                Some(r) => r.values.push(value),
                None => raw.0.push(RawValue {
                    flag: setting.flag,
                    source: setting.flag.to_owned(),
                    values: vec![value],
                }),
            }
        }
        // Variables fill in what the flags left.
        for setting in SETTINGS {
            if raw.0.iter().any(|r| r.flag == setting.flag) {
                continue;
            }
            if let Some(value) = env(setting.env) {
                raw.0.push(RawValue {
                    flag: setting.flag,
                    source: setting.env.to_owned(),
                    values: vec![value],
                });
            }
        }
        let config = Config::check(&raw, env, &mut errors);
        match config {
            Some(config) if errors.is_empty() => Ok(Command::Run(Box::new(config))),
            _ => Err(errors),
        }
    }

    /// The settings of a subcommand that has one option of its own, `NAME VALUE` or
    /// `NAME=VALUE` (`name` with its dashes), each value given to `take` (`Err`: why it
    /// is refused): `Ok` to go on, or `Err` with what the subcommand answers (the help,
    /// or every error found).
    fn subcommand(
        args: &[String],
        env: &dyn Fn(&str) -> Option<String>,
        name: &str,
        mut take: impl FnMut(&str) -> Result<(), String>,
    ) -> Result<Box<Config>, Result<Command, Vec<ConfigError>>> {
        let mut errors = Vec::new();
        let mut rest = Vec::new();
        let with_value = format!("{name}=");
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            let text = if arg == name {
                match it.next() {
                    Some(v) => v,
                    None => {
                        errors.push(ConfigError::MissingValue(name.into()));
                        continue;
                    }
                }
            } else if let Some(v) = arg.strip_prefix(&with_value) {
                v
            } else {
                rest.push(arg.clone());
                continue;
            };
            if let Err(reason) = take(text) {
                errors.push(ConfigError::Invalid {
                    setting: name.into(),
                    reason,
                });
            }
        }
        match Config::parse(&rest, env) {
            Ok(Command::Run(config)) if errors.is_empty() => Ok(config),
            Ok(Command::Help) => Err(Ok(Command::Help)),
            Ok(_) => Err(Err(errors)),
            Err(more) => {
                errors.extend(more);
                Err(Err(errors))
            }
        }
    }

    /// `receiver verify-chain [--copied HASH] [settings]`.
    fn parse_verify_chain(
        args: &[String],
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Command, Vec<ConfigError>> {
        let mut copied = None;
        let config = Config::subcommand(args, env, "--copied", |text| {
            let hash = text.trim().to_ascii_lowercase();
            if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) {
                copied = Some(hash);
                Ok(())
            } else {
                Err("give the 64 hex digits of a `hash` from GET /owner/chain".into())
            }
        });
        match config {
            Ok(config) => Ok(Command::VerifyChain { config, copied }),
            Err(answer) => answer,
        }
    }

    /// `receiver retention [--at TIME] [settings]`.
    fn parse_retention(
        args: &[String],
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Command, Vec<ConfigError>> {
        let mut at = None;
        let config = Config::subcommand(args, env, "--at", |text| {
            let t = Rfc3339::parse(text.trim()).map_err(|e| {
                format!(
                    "\"{}\" is not a time such as 2027-01-01T00:00:00+07:00 ({e})",
                    text.escape_debug()
                )
            })?;
            at = Some(t);
            Ok(())
        });
        let config = match config {
            Ok(config) => config,
            Err(answer) => return answer,
        };
        if config.retention.is_none() {
            return Err(vec![ConfigError::Invalid {
                setting: "--retention".into(),
                reason: "`receiver retention` lists what the retention period \
                         would erase: give the period with --retention or \
                         RECEIVER_RETENTION (e.g. 24months)"
                    .into(),
            }]);
        }
        Ok(Command::Retention { config, at })
    }

    fn check(
        raw: &Raw,
        env: &dyn Fn(&str) -> Option<String>,
        errors: &mut Vec<ConfigError>,
    ) -> Option<Config> {
        let value = |flag: &str| raw.one(flag);
        let mut bad = |setting: String, reason: String| {
            errors.push(ConfigError::Invalid { setting, reason });
        };

        let listen = match value("--listen") {
            Some((name, v)) => v
                .parse::<SocketAddr>()
                .map_err(|_| {
                    bad(
                        name,
                        format!("\"{v}\" is not an address like 127.0.0.1:8080"),
                    )
                })
                .ok(),
            None => match env("PORT") {
                Some(port) => match port.trim().parse::<u16>() {
                    Ok(port) => Some(SocketAddr::from(([127, 0, 0, 1], port))),
                    Err(_) => {
                        bad("PORT".into(), format!("\"{port}\" is not a port number"));
                        None
                    }
                },
                None => Some(SocketAddr::from(([127, 0, 0, 1], 8080))),
            },
        };

        let database = match value("--database") {
            Some((name, v)) => DatabaseUrl::parse(&v)
                .map_err(|reason| bad(name, reason))
                .ok(),
            None => DatabaseUrl::parse("sqlite:receiver.sqlite3").ok(),
        };

        let token_text = match (value("--owner-token"), value("--owner-token-file")) {
            (Some(_), Some((name, _))) => {
                bad(
                    name,
                    "give the owner token or a file with it, not both".into(),
                );
                None
            }
            (Some((name, v)), None) => Some((name, v)),
            (None, Some((name, path))) => match std::fs::read_to_string(&path) {
                Ok(text) => Some((name, text.trim().to_owned())),
                Err(e) => {
                    bad(name, format!("cannot read {path}: {e}"));
                    None
                }
            },
            (None, None) => None,
        };
        let owner_token = token_text.and_then(|(name, token)| {
            let token = token.trim().to_owned();
            if token.chars().count() < OwnerToken::MIN_CHARS {
                bad(
                    name,
                    format!(
                        "the token must have at least {} characters",
                        OwnerToken::MIN_CHARS
                    ),
                );
                None
            } else if !token.chars().all(|c| c.is_ascii_graphic()) {
                bad(
                    name,
                    "the token must be printable ASCII without spaces".into(),
                );
                None
            } else {
                Some(OwnerToken(token))
            }
        });

        let (key_secret, key_secret_generated) = match value("--key-secret") {
            Some((name, v)) => match KeySecret::parse(&v) {
                Ok(k) => (Some(k), false),
                Err(reason) => {
                    bad(name, reason);
                    (None, false)
                }
            },
            None => match KeySecret::random() {
                Ok(k) => (Some(k), true),
                Err(reason) => {
                    bad("--key-secret".into(), reason);
                    (None, true)
                }
            },
        };

        let mut seconds = |flag: &str, default: u64, min: u64, max: u64| -> Option<Duration> {
            match value(flag) {
                None => Some(Duration::from_secs(default)),
                Some((name, v)) => match v.trim().parse::<u64>() {
                    Ok(n) if (min..=max).contains(&n) => Some(Duration::from_secs(n)),
                    _ => {
                        bad(
                            name,
                            format!("\"{v}\" is not a number of seconds in {min}..={max}"),
                        );
                        None
                    }
                },
            }
        };
        let key_ttl = seconds("--key-ttl", 600, 2, 86_400);
        let key_grace = seconds("--key-grace", 60, 0, 3_600);
        let chain_witness_every =
            seconds("--chain-witness-every", witness::EVERY.as_secs(), 1, 86_400);

        let inline_secret = match value("--inline-secret") {
            Some((name, v)) => match Secret::parse(&v) {
                Ok(s) => Some(s),
                Err(e) => {
                    bad(name, format!("not a whsec_… secret: {e}"));
                    None
                }
            },
            None => None,
        };

        let mut allow_origins = Vec::new();
        if let Some((name, values)) = raw.all("--allow-origin") {
            for v in values {
                for origin in v.split(',').map(str::trim).filter(|o| !o.is_empty()) {
                    match check_origin(origin) {
                        Ok(o) => allow_origins.push(o),
                        Err(reason) => bad(name.to_owned(), reason),
                    }
                }
            }
        }

        let rate_limit = match value("--rate-limit") {
            None => Some(Rate::per_minute(60)),
            Some((name, v)) => match Rate::parse(&v) {
                Ok(rate) => rate,
                Err(reason) => {
                    bad(name, reason);
                    None
                }
            },
        };

        let mut switch = |flag: &str| -> bool {
            match value(flag) {
                None => false,
                Some((name, v)) => match v.trim().to_ascii_lowercase().as_str() {
                    "1" | "true" | "yes" | "on" => true,
                    "0" | "false" | "no" | "off" | "" => false,
                    _ => {
                        bad(
                            name,
                            format!("\"{v}\" is not 1/0, true/false, yes/no or on/off"),
                        );
                        false
                    }
                },
            }
        };
        let trust_proxy = switch("--trust-proxy");
        let insecure_cookie = switch("--insecure-cookie");
        let quiet = switch("--quiet");

        let mut dir = |flag: &str| -> Option<PathBuf> {
            let (name, v) = value(flag)?;
            let path = PathBuf::from(&v);
            if path.is_dir() {
                Some(path)
            } else {
                bad(name, format!("{v} is not a directory"));
                None
            }
        };
        let www_dir = dir("--www");
        let pkg_dir = dir("--pkg");

        let captcha_secret = value("--captcha-secret").and_then(|(name, v)| {
            CaptchaSecret::parse(&v)
                .map_err(|reason| bad(name, reason))
                .ok()
        });
        let chain_witness = value("--chain-witness")
            .and_then(|(name, v)| Witness::new(&v).map_err(|reason| bad(name, reason)).ok());
        let verify_url = match value("--captcha-verify-url") {
            Some((name, v)) => captcha::check_verify_url(&v)
                .map_err(|reason| bad(name.clone(), reason))
                .ok()
                .map(|url| (name, url)),
            None => reqwest::Url::parse(captcha::TURNSTILE_VERIFY_URL)
                .ok()
                .map(|url| (String::new(), url)),
        };
        let captcha = match (captcha_secret, verify_url) {
            (Some(secret), Some((_, verify_url))) => Some(CaptchaConfig { secret, verify_url }),
            (None, Some((name, _))) if !name.is_empty() && value("--captcha-secret").is_none() => {
                bad(
                    name,
                    "set CAPTCHA_SECRET too: without it captcha tokens are not verified".into(),
                );
                None
            }
            _ => None,
        };

        let retention = match value("--retention") {
            None => None,
            Some((name, v)) => Period::parse(&v)
                .map_err(|reason| bad(name, reason))
                .ok()
                .flatten(),
        };

        let chain_keys = value("--chain-key").and_then(|(name, v)| {
            ChainKeys::parse(&v)
                .map_err(|reason| bad(name, reason))
                .ok()
        });

        Some(Config {
            retention,
            chain_keys,
            chain_witness,
            chain_witness_every: chain_witness_every?,
            listen: listen?,
            database: database?,
            owner_token,
            key_secret: key_secret?,
            key_secret_generated,
            key_ttl: key_ttl?,
            key_grace: key_grace?,
            inline_secret,
            allow_origins,
            rate_limit,
            trust_proxy,
            www_dir,
            pkg_dir,
            secure_cookie: !insecure_cookie,
            log_requests: !quiet,
            captcha,
        })
    }
}

/// Checks a CORS origin: `scheme://host[:port]`, nothing else.
fn check_origin(origin: &str) -> Result<String, String> {
    if origin == "*" || origin == "null" {
        return Err(format!(
            "\"{origin}\" is not allowed; list the exact origins"
        ));
    }
    let rest = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .ok_or_else(|| format!("\"{origin}\" must start with https:// (or http://)"))?;
    let host_ok = !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !host_ok {
        return Err(format!(
            "\"{origin}\" must be scheme://host[:port] with no path, e.g. https://vidu.vn"
        ));
    }
    Ok(origin.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str], env: &[(&str, &str)]) -> Result<Command, Vec<ConfigError>> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::parse(&args, &move |name| {
            env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })
    }

    fn config(args: &[&str], env: &[(&str, &str)]) -> Config {
        match parse(args, env) {
            Ok(Command::Run(c)) => *c,
            other => panic!("expected a config, got {other:?}"),
        }
    }

    fn errors(args: &[&str], env: &[(&str, &str)]) -> Vec<String> {
        match parse(args, env) {
            Err(e) => e.iter().map(|e| e.to_string()).collect(),
            Ok(c) => panic!("expected errors, got {c:?}"),
        }
    }

    #[test]
    fn defaults() {
        let c = config(&[], &[]);
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert!(
            matches!(c.database, DatabaseUrl::Sqlite(ref p) if p.ends_with("receiver.sqlite3"))
        );
        assert!(c.owner_token.is_none());
        assert!(c.key_secret_generated);
        assert_eq!(c.key_ttl, Duration::from_secs(600));
        assert_eq!(c.key_grace, Duration::from_secs(60));
        assert_eq!(c.rate_limit, Some(Rate::per_minute(60)));
        assert!(c.secure_cookie && c.log_requests && !c.trust_proxy);
        assert!(c.allow_origins.is_empty());
        assert!(c.captcha.is_none());
    }

    #[test]
    fn captcha() {
        let c = config(&[], &[("CAPTCHA_SECRET", "0x4AAAAAAAtopsecret")]);
        let captcha = c.captcha.expect("on with a secret");
        assert_eq!(
            captcha.verify_url.as_str(),
            "https://challenges.cloudflare.com/turnstile/v0/siteverify"
        );
        assert!(!format!("{captcha:?}").contains("topsecret"));
        let c = config(
            &[
                "--captcha-verify-url",
                "https://api.hcaptcha.com/siteverify",
            ],
            &[("CAPTCHA_SECRET", "0xabc")],
        );
        assert_eq!(
            c.captcha.unwrap().verify_url.as_str(),
            "https://api.hcaptcha.com/siteverify"
        );
        let e = errors(
            &[],
            &[(
                "CAPTCHA_VERIFY_URL",
                "https://www.google.com/recaptcha/api/siteverify",
            )],
        )
        .join("\n");
        assert!(
            e.contains("CAPTCHA_VERIFY_URL") && e.contains("CAPTCHA_SECRET"),
            "{e}"
        );
        let e = errors(
            &[
                "--captcha-secret",
                "has space",
                "--captcha-verify-url",
                "ftp://x",
            ],
            &[],
        )
        .join("\n");
        assert!(
            e.contains("--captcha-secret") && e.contains("--captcha-verify-url"),
            "{e}"
        );
        assert!(!e.contains("has space"), "{e}");
    }

    #[test]
    fn chain_key() {
        assert!(config(&[], &[]).chain_keys.is_none());
        let key = "whsec_Y2hhaW4ga2V5IGZvciB0aGUgdGVzdHMsIDMyIGJ5dGVzIQ==";
        let c = config(&[], &[("RECEIVER_CHAIN_KEY", key)]);
        let keys = c.chain_keys.expect("keyed");
        assert!(!format!("{keys:?}").contains("Y2hh"));
        // Too short, not base64, nothing: named, never echoed.
        for bad in ["whsec_c2hvcnQ=", "whsec_not base64!", " , "] {
            let e = errors(&["--chain-key", bad], &[]).join("\n");
            assert!(e.contains("--chain-key"), "{e}");
            assert!(bad.trim() == "," || !e.contains(bad), "{e}");
        }
        let e = errors(
            &[],
            &[("RECEIVER_CHAIN_KEY", &format!("{key} whsec_c2hvcnQ="))],
        );
        assert!(
            e.join("\n")
                .contains("RECEIVER_CHAIN_KEY: key 2: has 5 bytes"),
            "{e:?}"
        );
    }

    #[test]
    fn chain_witness() {
        let c = config(&[], &[]);
        assert!(c.chain_witness.is_none());
        assert_eq!(c.chain_witness_every, Duration::from_secs(3600));
        let c = config(
            &["--chain-witness", "https://chat.example/hooks/T0/s3cret"],
            &[("RECEIVER_CHAIN_WITNESS_EVERY", "600")],
        );
        let w = c.chain_witness.expect("a witness");
        assert_eq!(format!("{w:?}"), "Witness(chat.example)");
        assert_eq!(c.chain_witness_every, Duration::from_secs(600));
        for bad in ["ftp://x/s3cret", "https://u:p@x/s3cret", "not a url/s3cret"] {
            let e = errors(&["--chain-witness", bad], &[]).join("\n");
            assert!(e.contains("--chain-witness"), "{bad}: {e}");
            assert!(!e.contains("s3cret"), "{bad}: {e}");
        }
        let e = errors(&[], &[("RECEIVER_CHAIN_WITNESS_EVERY", "0")]).join("\n");
        assert!(e.contains("RECEIVER_CHAIN_WITNESS_EVERY"), "{e}");
    }

    #[test]
    fn flags_beat_variables_and_port_is_honoured() {
        let c = config(&[], &[("PORT", "9001")]);
        assert_eq!(c.listen.to_string(), "127.0.0.1:9001");
        let c = config(
            &["--listen", "0.0.0.0:7000", "--key-ttl=120", "--quiet"],
            &[
                ("RECEIVER_LISTEN", "127.0.0.1:1"),
                ("RECEIVER_KEY_TTL", "5"),
                ("PORT", "9"),
            ],
        );
        assert_eq!(c.listen.to_string(), "0.0.0.0:7000");
        assert_eq!(c.key_ttl, Duration::from_secs(120));
        assert!(!c.log_requests);
        let c = config(
            &[
                "--allow-origin",
                "https://a.vn",
                "--allow-origin=https://B.vn:8443",
            ],
            &[],
        );
        assert_eq!(c.allow_origins, ["https://a.vn", "https://b.vn:8443"]);
        let c = config(
            &[],
            &[(
                "RECEIVER_ALLOW_ORIGINS",
                "https://a.vn, http://localhost:3000",
            )],
        );
        assert_eq!(c.allow_origins, ["https://a.vn", "http://localhost:3000"]);
        let c = config(&[], &[("RECEIVER_RATE_LIMIT", "off")]);
        assert_eq!(c.rate_limit, None);
    }

    #[test]
    fn every_error_is_reported_and_names_its_setting() {
        let e = errors(
            &[
                "--bogus",
                "--listen",
                "nowhere",
                "--key-ttl",
                "1",
                "--allow-origin",
                "*",
            ],
            &[
                ("DATABASE_URL", "mysql://x"),
                ("RECEIVER_OWNER_TOKEN", "short"),
                ("RECEIVER_RATE_LIMIT", "lots"),
            ],
        );
        let all = e.join("\n");
        for needle in [
            "unknown flag --bogus",
            "--listen: \"nowhere\"",
            "--key-ttl",
            "--allow-origin",
            "DATABASE_URL",
            "RECEIVER_OWNER_TOKEN: the token must have at least 32",
            "RECEIVER_RATE_LIMIT",
        ] {
            assert!(all.contains(needle), "missing {needle:?} in:\n{all}");
        }
        assert!(!all.contains("short"), "the token is not echoed: {all}");
        assert_eq!(errors(&["--database"], &[]), ["--database needs a value"]);
    }

    #[test]
    fn secrets_are_not_echoed() {
        let e = errors(&["--key-secret", "whsec_c2hvcnQ="], &[]).join("\n");
        assert!(e.contains("--key-secret") && !e.contains("c2hvcnQ"), "{e}");
        let e = errors(&["--inline-secret", "sk_live_oops"], &[]).join("\n");
        assert!(
            e.contains("--inline-secret") && !e.contains("sk_live_oops"),
            "{e}"
        );
        let e = errors(&["--database", "postgres://u:hunter2@[::1/x"], &[]).join("\n");
        assert!(!e.contains("hunter2"), "{e}");
        let token = "x".repeat(40);
        let c = config(&["--owner-token", &token], &[]);
        assert!(!format!("{c:?}").contains(&token));
    }

    #[test]
    fn retention() {
        assert_eq!(config(&[], &[]).retention, None);
        let c = config(&[], &[("RECEIVER_RETENTION", "24months")]);
        assert_eq!(c.retention, Some(Period::Months(24)));
        let e = errors(&["--retention", "forever"], &[]).join("\n");
        assert!(e.contains("--retention") && e.contains("24months"), "{e}");
        match parse(
            &["retention", "--at", "2027-01-01T00:00:00+07:00"],
            &[("RECEIVER_RETENTION", "730d")],
        ) {
            Ok(Command::Retention { config, at }) => {
                assert_eq!(config.retention, Some(Period::Days(730)));
                assert_eq!(at.unwrap().as_str(), "2027-01-01T00:00:00+07:00");
            }
            other => panic!("{other:?}"),
        }
        let e = errors(&["retention"], &[]).join("\n");
        assert!(e.contains("RECEIVER_RETENTION"), "{e}");
        let e = errors(&["retention", "--at", "tomorrow", "--bogus"], &[]).join("\n");
        assert!(e.contains("--at") && e.contains("--bogus"), "{e}");
    }

    #[test]
    fn help() {
        assert!(matches!(
            parse(&["--listen", "x", "--help"], &[]),
            Ok(Command::Help)
        ));
    }
}
