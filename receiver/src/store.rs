//! Where consent records are kept: SQLite (a file, the default) or PostgreSQL, with the
//! same tables, the same behaviour and migrations run at start.
//!
//! Append-only: a submission is stored once, by id, exactly as signed; a later
//! withdrawal or correction is a new row in `events`. The one change is an erasure on
//! request ([`Store::erase`]): an `erased` event, then the body emptied once and the
//! notes and corrected values of its events redacted once — never while the record is
//! on hold (its last `held` or `released` event is `held`). Nothing else updates or
//! deletes a record, and triggers in both databases refuse it.
//!
//! Beside the records, the `lookup` table indexes each submission's phone numbers and
//! e-mail addresses (as sent and as corrected) for [`Store::search`]; it is written in
//! the same transaction as the submission or the correction, and an erasure deletes
//! the submission's rows.

mod postgres;
mod sqlite;

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

/// The columns of a stored submission and of an event, in the order both backends read them.
const SUBMISSION_COLUMNS: &str = "seq, id, received_at, form, submitted_at, locale, body, \
     body_sha256, signature_timestamp, captcha, erased_at, proof";
const EVENT_COLUMNS: &str = "seq, submission_id, kind, purpose, at, recorded_at, actor, detail";

/// The query for the rows of `kind` ([`chain::SUBMISSION`] or [`chain::EVENT`]) not
/// linked to the chain yet, after the `seq` in parameter `after`, `limit` of them in
/// `seq` order; each backend writes its own placeholders.
fn unlinked_rows(kind: &str, after: &str, limit: &str) -> String {
    let (columns, table) = if kind == crate::chain::SUBMISSION {
        (SUBMISSION_COLUMNS, "submissions")
    } else {
        (EVENT_COLUMNS, "events")
    };
    format!(
        "SELECT {columns} FROM {table} r WHERE r.seq > {after} AND NOT EXISTS
           (SELECT 1 FROM chain c WHERE c.row_kind = '{kind}' AND c.row_seq = r.seq)
         ORDER BY seq LIMIT {limit}"
    )
}

/// The query for one row of `kind` ([`chain::SUBMISSION`] or [`chain::EVENT`]) by its
/// `seq`, in parameter `seq`.
fn row_by_seq(kind: &str, seq: &str) -> String {
    let (columns, table) = if kind == crate::chain::SUBMISSION {
        (SUBMISSION_COLUMNS, "submissions")
    } else {
        (EVENT_COLUMNS, "events")
    };
    format!("SELECT {columns} FROM {table} WHERE seq = {seq}")
}

use crate::chain::{ChainKeys, Head, Verified};
use crate::lookup::Key;

pub use postgres::PgStore;
pub use sqlite::SqliteStore;

/// Where the database is, as configured.
#[derive(Clone)]
pub enum DatabaseUrl {
    /// An SQLite file, created on first run.
    Sqlite(PathBuf),
    /// A PostgreSQL server.
    Postgres(Box<tokio_postgres::Config>),
}

impl DatabaseUrl {
    /// Reads `sqlite:PATH`, `sqlite://PATH`, a bare path, or `postgres://…` /
    /// `postgresql://…`. The error never contains a password.
    pub fn parse(text: &str) -> Result<DatabaseUrl, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("empty; give sqlite:PATH or postgres://…".into());
        }
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            let config = tokio_postgres::Config::from_str(text)
                .map_err(|e| format!("not a valid PostgreSQL URL ({e})"))?;
            if matches!(
                config.get_ssl_mode(),
                tokio_postgres::config::SslMode::Require
            ) {
                return Err("sslmode=require: this receiver does not speak TLS to \
                            PostgreSQL; connect over a private network or a Unix socket \
                            (host=/var/run/postgresql) with sslmode=disable"
                    .into());
            }
            if config.get_hosts().is_empty() {
                return Err("the PostgreSQL URL names no host".into());
            }
            return Ok(DatabaseUrl::Postgres(Box::new(config)));
        }
        let path = if let Some(rest) = text.strip_prefix("sqlite://") {
            rest
        } else if let Some(rest) = text.strip_prefix("sqlite:") {
            rest
        } else if text.contains("://") {
            let scheme = text.split("://").next().unwrap_or_default();
            return Err(format!(
                "unknown database scheme \"{scheme}\"; give sqlite:PATH or postgres://…"
            ));
        } else {
            text
        };
        if path.is_empty() || path == ":memory:" {
            return Err("give the SQLite file's path, e.g. sqlite:data/receiver.sqlite3".into());
        }
        Ok(DatabaseUrl::Sqlite(PathBuf::from(path)))
    }

    /// The URL without its password, for logs.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(path) => format!("sqlite:{}", path.display()),
            DatabaseUrl::Postgres(config) => {
                let user = config.get_user().unwrap_or("");
                let host = match config.get_hosts().first() {
                    Some(tokio_postgres::config::Host::Tcp(h)) => h.clone(),
                    Some(tokio_postgres::config::Host::Unix(p)) => p.display().to_string(),
                    None => String::new(),
                };
                let port = config.get_ports().first().copied().unwrap_or(5432);
                let db = config.get_dbname().unwrap_or("");
                format!("postgres://{user}@{host}:{port}/{db}")
            }
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// A failure of the database.
#[derive(Debug, Clone)]
pub enum StoreError {
    /// Cannot open or reach the database (at start: a configuration problem).
    Open(String),
    /// The schema is newer than this program knows.
    SchemaTooNew {
        /// The database's version.
        found: i64,
        /// The newest this program knows.
        known: i64,
    },
    /// A query failed.
    Query(String),
    /// The store's worker is gone (the process is shutting down).
    Closed,
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Open(why) => write!(f, "cannot open the database: {why}"),
            StoreError::SchemaTooNew { found, known } => write!(
                f,
                "the database has schema version {found}, newer than this receiver knows \
                 ({known}); run a newer receiver"
            ),
            StoreError::Query(why) => write!(f, "database error: {why}"),
            StoreError::Closed => write!(f, "the database worker has stopped"),
        }
    }
}

impl std::error::Error for StoreError {}

/// A verified, valid submission to store.
#[derive(Clone, Debug)]
pub struct NewSubmission {
    /// The payload id.
    pub id: String,
    /// When the receiver got it, RFC 3339 UTC.
    pub received_at: String,
    /// `contact` or `callback`.
    pub form: String,
    /// The payload's `submitted_at`.
    pub submitted_at: String,
    /// The payload's `locale`.
    pub locale: String,
    /// The exact signed body.
    pub body: String,
    /// SHA-256 of the body, hex.
    pub body_sha256: String,
    /// The verified `webhook-timestamp`.
    pub signature_timestamp: i64,
    /// The captcha check's outcome (JSON), when the receiver verifies captchas.
    pub captcha: Option<String>,
    /// The answer to give now and to every retry.
    pub response_status: u16,
    /// Its body.
    pub response_body: String,
    /// The phone numbers and e-mail addresses it is found by
    /// ([`crate::lookup::keys_of_payload`]).
    pub lookup: Vec<Key>,
}

/// The answer stored with a submission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredAnswer {
    /// SHA-256 of the stored body: a retry sends the same bytes.
    pub body_sha256: String,
    /// The HTTP status given.
    pub status: u16,
    /// The body given.
    pub body: String,
}

/// What storing a submission did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inserted {
    /// Stored now.
    New,
    /// The id was already stored: here is what was answered then.
    Existing(StoredAnswer),
}

/// A stored submission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubmissionRow {
    /// Storage order.
    pub seq: i64,
    /// The payload id.
    pub id: String,
    /// When it was received, RFC 3339 UTC.
    pub received_at: String,
    /// `contact` or `callback`.
    pub form: String,
    /// The payload's `submitted_at`.
    pub submitted_at: String,
    /// The payload's `locale`.
    pub locale: String,
    /// The exact signed body.
    pub body: String,
    /// SHA-256 of the body, hex.
    pub body_sha256: String,
    /// The verified `webhook-timestamp`.
    pub signature_timestamp: i64,
    /// The captcha check's outcome (JSON), when the receiver verified one.
    pub captcha: Option<String>,
    /// When the person's data was erased (then `body` is empty); `None` if it was not.
    pub erased_at: Option<String>,
    /// What an erasure kept (JSON, [`crate::records::Proof`]); `None` if not erased.
    pub proof: Option<String>,
}

/// A submission not erased, as the retention job reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kept {
    /// Storage order.
    pub seq: i64,
    /// The payload id.
    pub id: String,
    /// When it was received, RFC 3339 UTC.
    pub received_at: String,
}

/// Something that happened to a stored submission after it arrived.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEvent {
    /// The submission.
    pub submission_id: String,
    /// `withdrawn` or `corrected`.
    pub kind: String,
    /// The purpose withdrawn.
    pub purpose: Option<String>,
    /// When it happened, RFC 3339.
    pub at: String,
    /// When it was recorded, RFC 3339 UTC.
    pub recorded_at: String,
    /// `principal` or `controller`.
    pub actor: String,
    /// JSON details.
    pub detail: String,
}

/// A stored event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventRow {
    /// Storage order.
    pub seq: i64,
    /// The event.
    pub event: NewEvent,
}

/// Decides, under the store's lock, whether an event may be appended given the
/// submission and its events so far; `Err` says why not.
pub type EventCheck =
    Box<dyn FnOnce(&SubmissionRow, &[EventRow]) -> Result<(), String> + Send + 'static>;

/// What an erasure changes, decided under the store's lock from the submission and
/// its events so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErasurePlan {
    /// What is kept of the submission (JSON), stored in its `proof` column.
    pub proof: String,
    /// The events whose detail holds personal data: (`seq`, the redacted detail).
    pub redactions: Vec<(i64, String)>,
}

/// Plans an erasure given the submission and its events; `Err` says why it cannot be.
pub type ErasurePlanner =
    Box<dyn FnOnce(&SubmissionRow, &[EventRow]) -> Result<ErasurePlan, String> + Send + 'static>;

/// What [`Store::erase`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Erasure {
    /// Erased now: the `erased` event appended.
    Now(EventRow),
    /// Erased before: the `erased` event appended then (nothing changed now).
    Before(EventRow),
    /// Not erased: the record is on hold (its `held` event).
    Held(EventRow),
}

/// Why an event was not appended.
#[derive(Debug)]
pub enum AppendError {
    /// No submission with that id.
    NotFound,
    /// The check refused it.
    Refused(String),
    /// The database failed.
    Store(StoreError),
}

/// The database, either kind.
#[derive(Clone)]
pub enum Store {
    /// SQLite.
    Sqlite(SqliteStore),
    /// PostgreSQL.
    Postgres(PgStore),
}

impl Store {
    /// Opens (creating an SQLite file if needed) and migrates. New links get a MAC
    /// under `keys`, and [`Store::verify_chain`] checks the MACs with them.
    pub async fn open(url: &DatabaseUrl, keys: Option<ChainKeys>) -> Result<Store, StoreError> {
        match url {
            DatabaseUrl::Sqlite(path) => {
                Ok(Store::Sqlite(SqliteStore::open(path.clone(), keys).await?))
            }
            DatabaseUrl::Postgres(config) => {
                Ok(Store::Postgres(PgStore::open(config, keys).await?))
            }
        }
    }

    /// The schema version after migrations.
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        match self {
            Store::Sqlite(s) => s.schema_version().await,
            Store::Postgres(s) => s.schema_version().await,
        }
    }

    /// Stores `submission` unless its id is stored already.
    pub async fn insert(&self, submission: NewSubmission) -> Result<Inserted, StoreError> {
        match self {
            Store::Sqlite(s) => s.insert(submission).await,
            Store::Postgres(s) => s.insert(submission).await,
        }
    }

    /// Up to `limit` submissions, newest first, stored before `before` (a `seq`).
    pub async fn list(
        &self,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<SubmissionRow>, StoreError> {
        match self {
            Store::Sqlite(s) => s.list(before, limit).await,
            Store::Postgres(s) => s.list(before, limit).await,
        }
    }

    /// Up to `limit` submissions, oldest first, stored after `after` (a `seq`).
    pub async fn page(&self, after: i64, limit: u32) -> Result<Vec<SubmissionRow>, StoreError> {
        match self {
            Store::Sqlite(s) => s.page(after, limit).await,
            Store::Postgres(s) => s.page(after, limit).await,
        }
    }

    /// Up to `limit` submissions not erased, newest first, stored before `before` (a
    /// `seq`), that were sent or corrected with one of `keys` (the `lookup` table).
    pub async fn search(
        &self,
        keys: &[Key],
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<SubmissionRow>, StoreError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        match self {
            Store::Sqlite(s) => s.search(keys.to_vec(), before, limit).await,
            Store::Postgres(s) => s.search(keys, before, limit).await,
        }
    }

    /// Up to `limit` submissions not erased that were received before `cutoff` (RFC
    /// 3339 UTC as the receiver writes it: `received_at` compares as text), oldest
    /// first, after `after` (the `received_at` and `seq` of the last one read).
    pub async fn received_before(
        &self,
        cutoff: &str,
        after: Option<(String, i64)>,
        limit: u32,
    ) -> Result<Vec<Kept>, StoreError> {
        match self {
            Store::Sqlite(s) => s.received_before(cutoff.to_owned(), after, limit).await,
            Store::Postgres(s) => s.received_before(cutoff, after, limit).await,
        }
    }

    /// One submission.
    pub async fn get(&self, id: &str) -> Result<Option<SubmissionRow>, StoreError> {
        match self {
            Store::Sqlite(s) => s.get(id.to_owned()).await,
            Store::Postgres(s) => s.get(id).await,
        }
    }

    /// The events of the given submissions, oldest first.
    pub async fn events(&self, ids: &[String]) -> Result<Vec<EventRow>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        match self {
            Store::Sqlite(s) => s.events(ids.to_vec()).await,
            Store::Postgres(s) => s.events(ids).await,
        }
    }

    /// The events a visitor's withdrawal message `message_id` appended, to whichever
    /// submission (its detail's `message_id`), oldest first.
    pub async fn events_of_message(&self, message_id: &str) -> Result<Vec<EventRow>, StoreError> {
        let needle = format!("\"message_id\":{}", serde_json::Value::from(message_id));
        match self {
            Store::Sqlite(s) => s.events_containing(needle).await,
            Store::Postgres(s) => s.events_containing(&needle).await,
        }
    }

    /// Appends `event` if `check` agrees, atomically with respect to other appends to
    /// the same submission.
    pub async fn append(
        &self,
        event: NewEvent,
        check: EventCheck,
    ) -> Result<EventRow, AppendError> {
        match self {
            Store::Sqlite(s) => s.append(event, check).await,
            Store::Postgres(s) => s.append(event, check).await,
        }
    }

    /// Erases the personal data of submission `event.submission_id`: appends `event`
    /// (an `erased` event), empties the body with `erased_at` = `event.at` and the
    /// planned proof, and redacts the planned events — in one transaction, under the
    /// same lock as appends. A submission erased already, or on hold, is left as it is.
    pub async fn erase(
        &self,
        event: NewEvent,
        plan: ErasurePlanner,
    ) -> Result<Erasure, AppendError> {
        match self {
            Store::Sqlite(s) => s.erase(event, plan).await,
            Store::Postgres(s) => s.erase(event, plan).await,
        }
    }

    /// The chain's head ([`crate::chain`]). Each row is linked in the transaction that
    /// stores it, so the head covers every row stored so far.
    pub async fn head(&self) -> Result<Head, StoreError> {
        match self {
            Store::Sqlite(s) => s.head().await,
            Store::Postgres(s) => s.head().await,
        }
    }

    /// Recomputes the chain from the database, up to the first link that does not
    /// match; writes nothing.
    pub async fn verify_chain(&self) -> Result<Verified, StoreError> {
        match self {
            Store::Sqlite(s) => s.verify_chain().await,
            Store::Postgres(s) => s.verify_chain().await,
        }
    }

    /// How many submissions are stored.
    pub async fn count(&self) -> Result<i64, StoreError> {
        match self {
            Store::Sqlite(s) => s.count().await,
            Store::Postgres(s) => s.count().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls() {
        let sqlite = |t: &str| match DatabaseUrl::parse(t) {
            Ok(DatabaseUrl::Sqlite(p)) => p,
            other => panic!("{t}: {other:?}"),
        };
        assert_eq!(sqlite("sqlite:data/r.db"), PathBuf::from("data/r.db"));
        assert_eq!(
            sqlite("sqlite:///var/lib/r.db"),
            PathBuf::from("/var/lib/r.db")
        );
        assert_eq!(sqlite("r.sqlite3"), PathBuf::from("r.sqlite3"));
        for bad in ["", "sqlite:", "sqlite::memory:", "mysql://x/y"] {
            assert!(DatabaseUrl::parse(bad).is_err(), "{bad}");
        }
        let pg = DatabaseUrl::parse("postgres://app:hunter2@db.internal:5433/leads").unwrap();
        assert_eq!(pg.redacted(), "postgres://app@db.internal:5433/leads");
        assert!(!format!("{pg:?}").contains("hunter2"));
        let e = DatabaseUrl::parse("postgres://app:hunter2@db/leads?sslmode=require").unwrap_err();
        assert!(e.contains("TLS") && !e.contains("hunter2"), "{e}");
        let e = DatabaseUrl::parse("postgres://app:hunter2@db/leads?port=x").unwrap_err();
        assert!(!e.contains("hunter2"), "{e}");
    }
}
