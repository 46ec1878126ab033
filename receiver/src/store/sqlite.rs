//! SQLite: one writer thread that commits concurrent submissions together (one
//! `fsync` for many), and one reader connection for the owner's queries (WAL mode
//! lets it read while the writer writes).

use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use tokio::sync::oneshot;

use super::{
    row_by_seq, unlinked_rows, AppendError, Erasure, ErasurePlan, ErasurePlanner, EventCheck,
    EventRow, Inserted, Kept, NewEvent, NewSubmission, StoreError, StoredAnswer, SubmissionRow,
    EVENT_COLUMNS, SUBMISSION_COLUMNS,
};
use crate::chain::{
    self, ChainKeys, Chained, ErasureMismatch, Head, LastLink, Link, Stored, Verified, Verifier,
};
use crate::clock;
use crate::lookup::{self, Key};
use crate::records::{self, ERASED};

/// The migrations, in order: (version, name, SQL).
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "init",
        include_str!("../../migrations/sqlite/0001_init.sql"),
    ),
    (
        2,
        "captcha",
        include_str!("../../migrations/sqlite/0002_captcha.sql"),
    ),
    (
        3,
        "erasure",
        include_str!("../../migrations/sqlite/0003_erasure.sql"),
    ),
    (
        4,
        "lookup",
        include_str!("../../migrations/sqlite/0004_lookup.sql"),
    ),
    (
        5,
        "hold",
        include_str!("../../migrations/sqlite/0005_hold.sql"),
    ),
    (
        6,
        "chain",
        include_str!("../../migrations/sqlite/0006_chain.sql"),
    ),
    (
        7,
        "chain key",
        include_str!("../../migrations/sqlite/0007_chain_key.sql"),
    ),
];

/// The most submissions committed in one transaction.
const MAX_BATCH: usize = 128;
/// How long a connection waits for another's lock before it gives up.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// How soon the writer, when idle, tries again to empty a log that still holds erased
/// values.
const CHECKPOINT_RETRY: std::time::Duration = std::time::Duration::from_secs(1);

enum Job {
    Insert(NewSubmission, oneshot::Sender<Result<Inserted, StoreError>>),
    Append(
        NewEvent,
        EventCheck,
        oneshot::Sender<Result<EventRow, AppendError>>,
    ),
    Erase(
        NewEvent,
        ErasurePlanner,
        oneshot::Sender<Result<Erasure, AppendError>>,
    ),
}

/// An SQLite database file.
#[derive(Clone)]
pub struct SqliteStore {
    writer: mpsc::Sender<Job>,
    reader: Arc<Mutex<Connection>>,
    keys: Option<ChainKeys>,
}

fn query_error(e: rusqlite::Error) -> StoreError {
    StoreError::Query(e.to_string())
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // WAL: readers do not block the writer. synchronous=FULL: a 2xx answer means the
    // record is on disk (the browser deletes its copy on a 2xx).
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Erased data is overwritten with zeros, not left in free space.
    conn.pragma_update(None, "secure_delete", "ON")?;
    Ok(())
}

fn migrate(conn: &mut Connection) -> Result<i64, StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(query_error)?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS receiver_migrations (
           version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    )
    .map_err(query_error)?;
    let current: i64 = tx
        .query_row(
            "SELECT COALESCE(MAX(version), 0) FROM receiver_migrations",
            [],
            |r| r.get(0),
        )
        .map_err(query_error)?;
    let known = MIGRATIONS.last().map_or(0, |m| m.0);
    if current > known {
        return Err(StoreError::SchemaTooNew {
            found: current,
            known,
        });
    }
    for (version, name, sql) in MIGRATIONS.iter().filter(|m| m.0 > current) {
        tx.execute_batch(sql)
            .map_err(|e| StoreError::Query(format!("migration {version} ({name}): {e}")))?;
        if *version == 4 {
            fill_lookup(&tx)
                .map_err(|e| StoreError::Query(format!("migration {version} ({name}): {e}")))?;
        }
        if *version == 6 {
            seal(&tx)
                .map_err(|e| StoreError::Query(format!("migration {version} ({name}): {e}")))?;
        }
        tx.execute(
            "INSERT INTO receiver_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
            params![version, name, clock::now_rfc3339()],
        )
        .map_err(query_error)?;
    }
    tx.commit().map_err(query_error)?;
    Ok(known)
}

/// Adds `keys` of submission `id` to `lookup` (each once).
fn insert_keys(conn: &Connection, id: &str, keys: &[Key]) -> rusqlite::Result<()> {
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO lookup (kind, value, submission_id) VALUES (?1, ?2, ?3)",
    )?;
    for key in keys {
        insert.execute(params![key.kind, key.value, id])?;
    }
    Ok(())
}

/// Fills `lookup` from the submissions not erased and their corrections (migration 4,
/// on a database that has records already).
fn fill_lookup(conn: &Connection) -> rusqlite::Result<()> {
    let mut bodies = conn.prepare("SELECT id, body FROM submissions WHERE erased_at IS NULL")?;
    let mut rows = bodies.query([])?;
    while let Some(row) = rows.next()? {
        let id: String = row.get(0)?;
        let body: String = row.get(1)?;
        insert_keys(conn, &id, &lookup::keys_of_body(&body))?;
    }
    let mut corrections = conn.prepare(
        "SELECT e.submission_id, e.detail FROM events e JOIN submissions s
           ON s.id = e.submission_id
         WHERE e.kind = 'corrected' AND s.erased_at IS NULL",
    )?;
    let mut rows = corrections.query([])?;
    while let Some(row) = rows.next()? {
        let id: String = row.get(0)?;
        let detail: String = row.get(1)?;
        insert_keys(conn, &id, &lookup::keys_of_correction(&detail))?;
    }
    Ok(())
}

fn submission(row: &rusqlite::Row<'_>) -> rusqlite::Result<SubmissionRow> {
    Ok(SubmissionRow {
        seq: row.get(0)?,
        id: row.get(1)?,
        received_at: row.get(2)?,
        form: row.get(3)?,
        submitted_at: row.get(4)?,
        locale: row.get(5)?,
        body: row.get(6)?,
        body_sha256: row.get(7)?,
        signature_timestamp: row.get(8)?,
        captcha: row.get(9)?,
        erased_at: row.get(10)?,
        proof: row.get(11)?,
    })
}

fn event(row: &rusqlite::Row<'_>) -> rusqlite::Result<EventRow> {
    Ok(EventRow {
        seq: row.get(0)?,
        event: NewEvent {
            submission_id: row.get(1)?,
            kind: row.get(2)?,
            purpose: row.get(3)?,
            at: row.get(4)?,
            recorded_at: row.get(5)?,
            actor: row.get(6)?,
            detail: row.get(7)?,
        },
    })
}

/// A row of `kind` ([`chain::SUBMISSION`] or [`chain::EVENT`]), to be linked.
fn to_link(kind: &str, row: &rusqlite::Row<'_>) -> rusqlite::Result<Stored> {
    Ok(if kind == chain::SUBMISSION {
        Stored::Submission(submission(row)?)
    } else {
        Stored::Event(event(row)?)
    })
}

fn get(conn: &Connection, id: &str) -> rusqlite::Result<Option<SubmissionRow>> {
    conn.prepare_cached(&format!(
        "SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE id = ?1"
    ))?
    .query_row([id], submission)
    .optional()
}

fn events(conn: &Connection, ids: &[String]) -> rusqlite::Result<Vec<EventRow>> {
    let mut out = Vec::new();
    // Bounded statements: SQLite limits the number of parameters.
    for chunk in ids.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let mut stmt = conn.prepare(&format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE submission_id IN ({marks}) ORDER BY seq"
        ))?;
        let rows = stmt.query_map(rusqlite::params_from_iter(chunk.iter()), event)?;
        for row in rows {
            out.push(row?);
        }
    }
    out.sort_by_key(|e| e.seq);
    Ok(out)
}

fn insert_batch(
    conn: &mut Connection,
    batch: &[NewSubmission],
    keys: Option<&ChainKeys>,
) -> rusqlite::Result<Vec<Inserted>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut out = Vec::with_capacity(batch.len());
    let mut stored = Vec::with_capacity(batch.len());
    {
        let mut insert = tx.prepare_cached(
            "INSERT INTO submissions (id, received_at, form, submitted_at, locale, body,
               body_sha256, signature_timestamp, response_status, response_body, captcha)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT (id) DO NOTHING",
        )?;
        let mut existing = tx.prepare_cached(
            "SELECT body_sha256, response_status, response_body FROM submissions WHERE id = ?1",
        )?;
        for s in batch {
            let n = insert.execute(params![
                s.id,
                s.received_at,
                s.form,
                s.submitted_at,
                s.locale,
                s.body,
                s.body_sha256,
                s.signature_timestamp,
                s.response_status,
                s.response_body,
                s.captcha
            ])?;
            if n == 1 {
                insert_keys(&tx, &s.id, &s.lookup)?;
                stored.push((chain::SUBMISSION, tx.last_insert_rowid()));
                out.push(Inserted::New);
            } else {
                let answer = existing.query_row([&s.id], |r| {
                    Ok(StoredAnswer {
                        body_sha256: r.get(0)?,
                        status: r.get(1)?,
                        body: r.get(2)?,
                    })
                })?;
                out.push(Inserted::Existing(answer));
            }
        }
    }
    link_stored(&tx, &stored, keys)?;
    tx.commit()?;
    Ok(out)
}

/// Submission `id` and its events so far, read inside an append's transaction.
fn with_events(conn: &Connection, id: &str) -> Result<(SubmissionRow, Vec<EventRow>), AppendError> {
    let sql = |e: rusqlite::Error| AppendError::Store(query_error(e));
    let submission = get(conn, id).map_err(sql)?.ok_or(AppendError::NotFound)?;
    let so_far = events(conn, &[id.to_owned()]).map_err(sql)?;
    Ok((submission, so_far))
}

/// Inserts `e`; its `seq`.
fn insert_event(conn: &Connection, e: &NewEvent) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO events (submission_id, kind, purpose, at, recorded_at, actor, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            e.submission_id,
            e.kind,
            e.purpose,
            e.at,
            e.recorded_at,
            e.actor,
            e.detail
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

fn append(
    conn: &mut Connection,
    e: NewEvent,
    check: EventCheck,
    keys: Option<&ChainKeys>,
) -> Result<EventRow, AppendError> {
    let sql = |e: rusqlite::Error| AppendError::Store(query_error(e));
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(sql)?;
    let (submission, so_far) = with_events(&tx, &e.submission_id)?;
    check(&submission, &so_far).map_err(AppendError::Refused)?;
    let seq = insert_event(&tx, &e).map_err(sql)?;
    insert_keys(&tx, &e.submission_id, &lookup::keys_of_event(&e)).map_err(sql)?;
    link_stored(&tx, &[(chain::EVENT, seq)], keys).map_err(sql)?;
    tx.commit().map_err(sql)?;
    Ok(EventRow { seq, event: e })
}

fn erase(
    conn: &mut Connection,
    e: NewEvent,
    plan: ErasurePlanner,
    keys: Option<&ChainKeys>,
) -> Result<Erasure, AppendError> {
    let sql = |e: rusqlite::Error| AppendError::Store(query_error(e));
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(sql)?;
    let (submission, so_far) = with_events(&tx, &e.submission_id)?;
    if let Some(first) = so_far.iter().find(|x| x.event.kind == ERASED) {
        if submission.erased_at.is_none() {
            // The data is back after its erasure (a backup restored): erased again,
            // as of the first erasure.
            let plan = plan(&submission, &so_far).map_err(AppendError::Refused)?;
            empty(&tx, &e.submission_id, &first.event.at, &plan).map_err(sql)?;
            tx.commit().map_err(sql)?;
        }
        return Ok(Erasure::Before(first.clone()));
    }
    if let Some(held) = records::current_hold(&so_far) {
        return Ok(Erasure::Held(held.clone()));
    }
    let plan = plan(&submission, &so_far).map_err(AppendError::Refused)?;
    // The event first: the triggers let a body be emptied only after it.
    let seq = insert_event(&tx, &e).map_err(sql)?;
    empty(&tx, &e.submission_id, &e.at, &plan).map_err(sql)?;
    link_stored(&tx, &[(chain::EVENT, seq)], keys).map_err(sql)?;
    tx.commit().map_err(sql)?;
    Ok(Erasure::Now(EventRow { seq, event: e }))
}

/// Empties submission `id`'s body as erased at `at`, keeping `plan.proof`, redacts its
/// events as `plan` says and deletes its search keys.
fn empty(conn: &Connection, id: &str, at: &str, plan: &ErasurePlan) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE submissions SET body = '', erased_at = ?1, proof = ?2 WHERE id = ?3",
        params![at, plan.proof, id],
    )?;
    for (event_seq, detail) in &plan.redactions {
        conn.execute(
            "UPDATE events SET detail = ?1 WHERE seq = ?2",
            params![detail, event_seq],
        )?;
    }
    conn.execute("DELETE FROM lookup WHERE submission_id = ?1", [id])?;
    Ok(())
}

/// Rows read (and linked) at a time.
const CHAIN_PAGE: usize = 1000;

/// Links every submission and event not linked yet to the chain, submissions first,
/// each in `seq` order.
fn seal(conn: &Connection) -> rusqlite::Result<()> {
    let mut previous = last_hash(conn)?;
    for kind in [chain::SUBMISSION, chain::EVENT] {
        let mut rows = conn.prepare_cached(&unlinked_rows(kind, "?1", &CHAIN_PAGE.to_string()))?;
        // Each page after the last row of the one before: rows linked are not read again.
        let mut after = 0i64;
        loop {
            let links = rows
                .query_map([after], |row| {
                    let link = to_link(kind, row)?.link(&previous);
                    previous = link.hash.clone();
                    Ok(link)
                })?
                .collect::<rusqlite::Result<Vec<Link>>>()?;
            after = links.last().map_or(after, |l| l.row_seq);
            insert_links(conn, &links, None)?;
            if links.len() < CHAIN_PAGE {
                break;
            }
        }
    }
    Ok(())
}

/// The hash of the chain's last link ("" when there is none).
fn last_hash(conn: &Connection) -> rusqlite::Result<String> {
    Ok(conn
        .query_row(
            "SELECT hash FROM chain ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_default())
}

/// Appends `links`, in their order, to the chain, each with its MAC under `keys`.
fn insert_links(
    conn: &Connection,
    links: &[Link],
    keys: Option<&ChainKeys>,
) -> rusqlite::Result<()> {
    let now = clock::now_rfc3339();
    // Without a key the `mac` column is not named: migration 6 links the rows stored
    // before it, and the column comes with migration 7.
    let mut insert = conn.prepare_cached(if keys.is_some() {
        "INSERT INTO chain (row_kind, row_seq, detail_sha256, digest, hash, linked_at, mac)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    } else {
        "INSERT INTO chain (row_kind, row_seq, detail_sha256, digest, hash, linked_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    })?;
    for link in links {
        let mac = keys.map(|k| k.mac(&link.hash));
        let mut values: Vec<&dyn rusqlite::ToSql> = vec![
            &link.row_kind,
            &link.row_seq,
            &link.detail_sha256,
            &link.digest,
            &link.hash,
            &now,
        ];
        if let Some(mac) = &mac {
            values.push(mac);
        }
        insert.execute(values.as_slice())?;
    }
    Ok(())
}

/// Links the rows this transaction stored (`kind`, `seq`), in their order, after the
/// chain's last link: a row is chained when it is stored, not later.
fn link_stored(
    conn: &Connection,
    stored: &[(&str, i64)],
    keys: Option<&ChainKeys>,
) -> rusqlite::Result<()> {
    let mut previous = last_hash(conn)?;
    let mut links = Vec::with_capacity(stored.len());
    for &(kind, seq) in stored {
        let link = conn
            .prepare_cached(&row_by_seq(kind, "?1"))?
            .query_row([seq], |row| Ok(to_link(kind, row)?.link(&previous)))?;
        previous = link.hash.clone();
        links.push(link);
    }
    insert_links(conn, &links, keys)
}

/// The chain's last link and length.
fn head(conn: &Connection) -> rusqlite::Result<Head> {
    let count: i64 = conn.query_row("SELECT COUNT(*) FROM chain", [], |r| r.get(0))?;
    let last = conn
        .query_row(
            "SELECT seq, row_kind, row_seq, hash FROM chain ORDER BY seq DESC LIMIT 1",
            [],
            |r| {
                Ok((
                    LastLink {
                        seq: r.get(0)?,
                        row_kind: r.get(1)?,
                        row_seq: r.get(2)?,
                    },
                    r.get::<_, String>(3)?,
                ))
            },
        )
        .optional()?;
    Ok(match last {
        Some((last, hash)) => Head {
            count,
            hash,
            last: Some(last),
        },
        None => Head {
            count,
            hash: String::new(),
            last: None,
        },
    })
}

/// `f` on `conn` inside one read transaction, so that its queries see one snapshot.
fn in_one_snapshot<T>(
    conn: &Connection,
    f: impl FnOnce(&Connection) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    let tx = conn.unchecked_transaction()?;
    let out = f(&tx)?;
    tx.commit()?;
    Ok(out)
}

fn link(row: &rusqlite::Row<'_>) -> rusqlite::Result<Link> {
    Ok(Link {
        seq: row.get(0)?,
        row_kind: row.get(1)?,
        row_seq: row.get(2)?,
        detail_sha256: row.get(3)?,
        digest: row.get(4)?,
        hash: row.get(5)?,
        mac: row.get(6)?,
    })
}

/// Recomputes the chain from the database: every link against its row and the links
/// before it, up to the first that does not match.
fn verify(conn: &Connection, keys: Option<ChainKeys>) -> rusqlite::Result<Verified> {
    let mut verifier = Verifier::with_keys(keys);
    let mut mismatch = None;
    let mut links = conn.prepare(
        "SELECT seq, row_kind, row_seq, detail_sha256, digest, hash, mac FROM chain
         WHERE seq > ?1 ORDER BY seq LIMIT 1000",
    )?;
    let mut one_submission = conn.prepare(&format!(
        "SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE seq = ?1"
    ))?;
    let mut one_event = conn.prepare(
        "SELECT e.seq, e.submission_id, e.kind, e.purpose, e.at, e.recorded_at, e.actor,
                e.detail, s.erased_at IS NOT NULL
         FROM events e LEFT JOIN submissions s ON s.id = e.submission_id WHERE e.seq = ?1",
    )?;
    let mut after = 0i64;
    'pages: loop {
        let page = links
            .query_map([after], link)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for l in &page {
            let checked = if l.row_kind == chain::SUBMISSION {
                let row = one_submission
                    .query_row([l.row_seq], submission)
                    .optional()?;
                verifier.check(l, row.as_ref().map(Chained::Submission))
            } else {
                let row = one_event
                    .query_row([l.row_seq], |r| Ok((event(r)?, r.get::<_, bool>(8)?)))
                    .optional()?;
                verifier.check(
                    l,
                    row.as_ref().map(|(e, erased)| Chained::Event(e, *erased)),
                )
            };
            if let Err(why) = checked {
                mismatch = Some(why);
                break 'pages;
            }
            after = l.seq;
        }
        if page.len() < 1000 {
            break;
        }
    }
    let unlinked: i64 = conn.query_row(
        "SELECT (SELECT COUNT(*) FROM submissions s WHERE NOT EXISTS
                  (SELECT 1 FROM chain c WHERE c.row_kind = 'submission' AND c.row_seq = s.seq))
              + (SELECT COUNT(*) FROM events e WHERE NOT EXISTS
                  (SELECT 1 FROM chain c WHERE c.row_kind = 'event' AND c.row_seq = e.seq))",
        [],
        |r| r.get(0),
    )?;
    let erasures = conn
        .prepare(chain::ERASURE_MISMATCHES)?
        .query_map([], |r| {
            Ok(ErasureMismatch {
                id: r.get(0)?,
                erased_at: r.get(1)?,
                event_at: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(verifier.verified(mismatch, unlinked, erasures))
}

/// Copies the write-ahead log into the database file and empties it, so that erased
/// values are no longer in either; true when done. It does not wait: while a reader is
/// in the middle of a query the log cannot be emptied, and waiting (up to the busy
/// timeout) would hold up every submission behind it, so the writer tries again later.
fn checkpoint(conn: &Connection) -> bool {
    let _ = conn.busy_timeout(std::time::Duration::ZERO);
    // One row: busy (1 if it could not finish), pages in the log, pages copied.
    let done = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| {
        row.get::<_, i64>(0)
    });
    let _ = conn.busy_timeout(BUSY_TIMEOUT);
    match done {
        Ok(busy) => busy == 0,
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::DatabaseBusy =>
        {
            false
        }
        Err(why) => {
            eprintln!(
                "{} checkpoint after an erasure: {why}",
                clock::now_rfc3339()
            );
            false
        }
    }
}

/// The writer thread: takes every job waiting, commits the submissions among them in
/// one transaction, then the events one by one.
fn writer(mut conn: Connection, jobs: mpsc::Receiver<Job>, keys: Option<ChainKeys>) {
    // Whether the write-ahead log may still hold erased values.
    let mut erased_in_log = false;
    loop {
        let first = if erased_in_log {
            match jobs.recv_timeout(CHECKPOINT_RETRY) {
                Ok(job) => job,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    erased_in_log = !checkpoint(&conn);
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        } else {
            match jobs.recv() {
                Ok(job) => job,
                Err(_) => break,
            }
        };
        let mut inserts = Vec::new();
        let mut appends = Vec::new();
        let mut erasures = Vec::new();
        let mut taken = 0;
        let mut next = Some(first);
        while let Some(job) = next.take() {
            match job {
                Job::Insert(s, reply) => inserts.push((s, reply)),
                Job::Append(e, check, reply) => appends.push((e, check, reply)),
                Job::Erase(e, plan, reply) => erasures.push((e, plan, reply)),
            }
            taken += 1;
            if taken < MAX_BATCH {
                next = jobs.try_recv().ok();
            }
        }
        if !inserts.is_empty() {
            let batch: Vec<NewSubmission> = inserts.iter().map(|(s, _)| s.clone()).collect();
            match insert_batch(&mut conn, &batch, keys.as_ref()) {
                Ok(results) => {
                    for ((_, reply), result) in inserts.into_iter().zip(results) {
                        let _ = reply.send(Ok(result));
                    }
                }
                Err(e) => {
                    let why = e.to_string();
                    for (_, reply) in inserts {
                        let _ = reply.send(Err(StoreError::Query(why.clone())));
                    }
                }
            }
        }
        for (e, check, reply) in appends {
            let _ = reply.send(append(&mut conn, e, check, keys.as_ref()));
        }
        // Erasures answer once the log is emptied too, when it can be at once.
        let erased: Vec<_> = erasures
            .into_iter()
            .map(|(e, plan, reply)| (erase(&mut conn, e, plan, keys.as_ref()), reply))
            .collect();
        erased_in_log |= erased.iter().any(|(r, _)| matches!(r, Ok(Erasure::Now(_))));
        if erased_in_log {
            erased_in_log = !checkpoint(&conn);
        }
        for (result, reply) in erased {
            let _ = reply.send(result);
        }
    }
}

impl SqliteStore {
    /// Opens `path`, creating it (and its directory) on first run, and migrates.
    /// New links get a MAC under `keys` (verify-chain checks them with these).
    pub async fn open(path: PathBuf, keys: Option<ChainKeys>) -> Result<SqliteStore, StoreError> {
        tokio::task::spawn_blocking(move || SqliteStore::open_blocking(path, keys))
            .await
            .map_err(|e| StoreError::Open(e.to_string()))?
    }

    fn open_blocking(path: PathBuf, keys: Option<ChainKeys>) -> Result<SqliteStore, StoreError> {
        let shown = path.display().to_string();
        let open = |e: rusqlite::Error| StoreError::Open(format!("{shown}: {e}"));
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Open(format!("cannot create {}: {e}", dir.display())))?;
        }
        let mut conn = Connection::open(&path).map_err(open)?;
        configure(&conn).map_err(open)?;
        migrate(&mut conn)?;
        let reader = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(open)?;
        reader.busy_timeout(BUSY_TIMEOUT).map_err(open)?;
        let (tx, rx) = mpsc::channel();
        let for_writer = keys.clone();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || writer(conn, rx, for_writer))
            .map_err(|e| StoreError::Open(format!("cannot start the writer thread: {e}")))?;
        Ok(SqliteStore {
            writer: tx,
            reader: Arc::new(Mutex::new(reader)),
            keys,
        })
    }

    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T, StoreError> {
        let reader = Arc::clone(&self.reader);
        tokio::task::spawn_blocking(move || {
            let conn = match reader.lock() {
                Ok(c) => c,
                Err(poisoned) => poisoned.into_inner(),
            };
            f(&conn).map_err(query_error)
        })
        .await
        .map_err(|e| StoreError::Query(e.to_string()))?
    }

    pub(super) async fn schema_version(&self) -> Result<i64, StoreError> {
        self.read(|c| {
            c.query_row(
                "SELECT COALESCE(MAX(version), 0) FROM receiver_migrations",
                [],
                |r| r.get(0),
            )
        })
        .await
    }

    pub(super) async fn insert(&self, s: NewSubmission) -> Result<Inserted, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.writer
            .send(Job::Insert(s, reply))
            .map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }

    pub(super) async fn append(
        &self,
        e: NewEvent,
        check: EventCheck,
    ) -> Result<EventRow, AppendError> {
        let (reply, answer) = oneshot::channel();
        self.writer
            .send(Job::Append(e, check, reply))
            .map_err(|_| AppendError::Store(StoreError::Closed))?;
        answer
            .await
            .map_err(|_| AppendError::Store(StoreError::Closed))?
    }

    pub(super) async fn erase(
        &self,
        e: NewEvent,
        plan: ErasurePlanner,
    ) -> Result<Erasure, AppendError> {
        let (reply, answer) = oneshot::channel();
        self.writer
            .send(Job::Erase(e, plan, reply))
            .map_err(|_| AppendError::Store(StoreError::Closed))?;
        answer
            .await
            .map_err(|_| AppendError::Store(StoreError::Closed))?
    }

    pub(super) async fn list(
        &self,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<SubmissionRow>, StoreError> {
        self.read(move |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {SUBMISSION_COLUMNS} FROM submissions
                 WHERE (?1 IS NULL OR seq < ?1) ORDER BY seq DESC LIMIT ?2"
            ))?;
            let rows = stmt.query_map(params![before, limit], submission)?;
            rows.collect()
        })
        .await
    }

    pub(super) async fn page(
        &self,
        after: i64,
        limit: u32,
    ) -> Result<Vec<SubmissionRow>, StoreError> {
        self.read(move |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE seq > ?1 ORDER BY seq LIMIT ?2"
            ))?;
            let rows = stmt.query_map(params![after, limit], submission)?;
            rows.collect()
        })
        .await
    }

    pub(super) async fn search(
        &self,
        keys: Vec<Key>,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<SubmissionRow>, StoreError> {
        self.read(move |c| {
            let wanted = vec!["(kind = ? AND value = ?)"; keys.len()].join(" OR ");
            let mut stmt = c.prepare(&format!(
                "SELECT {SUBMISSION_COLUMNS} FROM submissions
                 WHERE id IN (SELECT submission_id FROM lookup WHERE {wanted})
                   AND erased_at IS NULL AND (? IS NULL OR seq < ?)
                 ORDER BY seq DESC LIMIT ?"
            ))?;
            let mut values: Vec<rusqlite::types::Value> = Vec::new();
            for key in &keys {
                values.push(key.kind.to_owned().into());
                values.push(key.value.clone().into());
            }
            values.push(before.into());
            values.push(before.into());
            values.push(i64::from(limit).into());
            let rows = stmt.query_map(rusqlite::params_from_iter(values), submission)?;
            rows.collect()
        })
        .await
    }

    pub(super) async fn received_before(
        &self,
        cutoff: String,
        after: Option<(String, i64)>,
        limit: u32,
    ) -> Result<Vec<Kept>, StoreError> {
        let (after_at, after_seq) = after.unzip();
        self.read(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT seq, id, received_at FROM submissions
                 WHERE erased_at IS NULL AND received_at < ?1
                   AND (?2 IS NULL OR (received_at, seq) > (?2, ?3))
                 ORDER BY received_at, seq LIMIT ?4",
            )?;
            let rows = stmt.query_map(params![cutoff, after_at, after_seq, limit], |r| {
                Ok(Kept {
                    seq: r.get(0)?,
                    id: r.get(1)?,
                    received_at: r.get(2)?,
                })
            })?;
            rows.collect()
        })
        .await
    }

    pub(super) async fn get(&self, id: String) -> Result<Option<SubmissionRow>, StoreError> {
        self.read(move |c| get(c, &id)).await
    }

    pub(super) async fn events(&self, ids: Vec<String>) -> Result<Vec<EventRow>, StoreError> {
        self.read(move |c| events(c, &ids)).await
    }

    /// Events whose detail contains `needle` (plain text, no pattern), oldest first.
    pub(super) async fn events_containing(
        &self,
        needle: String,
    ) -> Result<Vec<EventRow>, StoreError> {
        self.read(move |c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {EVENT_COLUMNS} FROM events WHERE instr(detail, ?1) > 0 ORDER BY seq"
            ))?;
            let rows = stmt.query_map([&needle], event)?;
            rows.collect()
        })
        .await
    }

    pub(super) async fn head(&self) -> Result<Head, StoreError> {
        self.read(|c| in_one_snapshot(c, head)).await
    }

    pub(super) async fn verify_chain(&self) -> Result<Verified, StoreError> {
        let keys = self.keys.clone();
        self.read(move |c| in_one_snapshot(c, |c| verify(c, keys)))
            .await
    }

    pub(super) async fn count(&self) -> Result<i64, StoreError> {
        self.read(|c| c.query_row("SELECT COUNT(*) FROM submissions", [], |r| r.get(0)))
            .await
    }
}
