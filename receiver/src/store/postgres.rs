//! PostgreSQL: a pool of connections; the server commits concurrent submissions
//! together on its own (group commit).

use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio::sync::oneshot;
use tokio_postgres::{NoTls, Row};

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
        include_str!("../../migrations/postgres/0001_init.sql"),
    ),
    (
        2,
        "captcha",
        include_str!("../../migrations/postgres/0002_captcha.sql"),
    ),
    (
        3,
        "erasure",
        include_str!("../../migrations/postgres/0003_erasure.sql"),
    ),
    (
        4,
        "lookup",
        include_str!("../../migrations/postgres/0004_lookup.sql"),
    ),
    (
        5,
        "hold",
        include_str!("../../migrations/postgres/0005_hold.sql"),
    ),
    (
        6,
        "chain",
        include_str!("../../migrations/postgres/0006_chain.sql"),
    ),
    (
        7,
        "chain key",
        include_str!("../../migrations/postgres/0007_chain_key.sql"),
    ),
];

/// Serialises receivers migrating the same database at the same time.
const MIGRATION_LOCK: i64 = 0x0063_6f6e_7365_6e74;

/// Serialises receivers linking rows to the chain.
const CHAIN_LOCK: i64 = 0x0063_6861_696e;
/// Rows read (and linked) at a time.
const CHAIN_PAGE: i64 = 1000;

/// Connections in the pool.
const POOL_SIZE: usize = 16;

/// A PostgreSQL database.
#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
    /// The keys new links get a MAC under, and verify-chain checks them with.
    keys: Option<Arc<ChainKeys>>,
    /// New submissions, to the task that stores them in batches ([`insert_batches`]).
    inserts: tokio::sync::mpsc::UnboundedSender<PendingInsert>,
}

/// A submission waiting to be stored, and where its outcome goes.
type PendingInsert = (NewSubmission, oneshot::Sender<Result<Inserted, StoreError>>);

/// The most submissions stored in one transaction.
const MAX_INSERT_BATCH: usize = 64;

/// The error's text, with the server's message when there is one (never the password:
/// PostgreSQL does not echo it).
fn pg_error(e: &tokio_postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return format!("{}: {}", db.severity(), db.message());
    }
    crate::error::error_chain(e)
}

fn query_error(e: tokio_postgres::Error) -> StoreError {
    StoreError::Query(pg_error(&e))
}

fn pool_error(e: deadpool_postgres::PoolError) -> StoreError {
    match e {
        deadpool_postgres::PoolError::Backend(e) => StoreError::Query(pg_error(&e)),
        other => StoreError::Query(format!("connection pool: {other}")),
    }
}

fn submission(row: &Row) -> Result<SubmissionRow, tokio_postgres::Error> {
    Ok(SubmissionRow {
        seq: row.try_get(0)?,
        id: row.try_get(1)?,
        received_at: row.try_get(2)?,
        form: row.try_get(3)?,
        submitted_at: row.try_get(4)?,
        locale: row.try_get(5)?,
        body: row.try_get(6)?,
        body_sha256: row.try_get(7)?,
        signature_timestamp: row.try_get(8)?,
        captcha: row.try_get(9)?,
        erased_at: row.try_get(10)?,
        proof: row.try_get(11)?,
    })
}

fn event(row: &Row) -> Result<EventRow, tokio_postgres::Error> {
    Ok(EventRow {
        seq: row.try_get(0)?,
        event: NewEvent {
            submission_id: row.try_get(1)?,
            kind: row.try_get(2)?,
            purpose: row.try_get(3)?,
            at: row.try_get(4)?,
            recorded_at: row.try_get(5)?,
            actor: row.try_get(6)?,
            detail: row.try_get(7)?,
        },
    })
}

fn rows<T>(
    rows: Vec<Row>,
    f: fn(&Row) -> Result<T, tokio_postgres::Error>,
) -> Result<Vec<T>, StoreError> {
    rows.iter().map(|r| f(r).map_err(query_error)).collect()
}

impl PgStore {
    /// Connects (checking the server answers) and migrates.
    /// New links get a MAC under `keys` (verify-chain checks them with these).
    pub async fn open(
        config: &tokio_postgres::Config,
        keys: Option<ChainKeys>,
    ) -> Result<PgStore, StoreError> {
        let manager = Manager::from_config(
            config.clone(),
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(Runtime::Tokio1)
            .create_timeout(Some(Duration::from_secs(10)))
            .wait_timeout(Some(Duration::from_secs(30)))
            .build()
            .map_err(|e| StoreError::Open(e.to_string()))?;
        let mut client = pool.get().await.map_err(|e| match e {
            deadpool_postgres::PoolError::Backend(e) => StoreError::Open(pg_error(&e)),
            deadpool_postgres::PoolError::Timeout(_) => {
                StoreError::Open("no answer from the server within 10 s".into())
            }
            other => StoreError::Open(other.to_string()),
        })?;
        migrate(&mut client).await?;
        let (inserts, pending) = tokio::sync::mpsc::unbounded_channel();
        let keys = keys.map(Arc::new);
        tokio::spawn(insert_batches(pool.clone(), pending, keys.clone()));
        Ok(PgStore {
            pool,
            keys,
            inserts,
        })
    }

    pub(super) async fn schema_version(&self) -> Result<i64, StoreError> {
        let client = self.pool.get().await.map_err(pool_error)?;
        let row = client
            .query_one(
                "SELECT COALESCE(MAX(version), 0) FROM receiver_migrations",
                &[],
            )
            .await
            .map_err(query_error)?;
        row.try_get(0).map_err(query_error)
    }

    pub(super) async fn insert(&self, s: NewSubmission) -> Result<Inserted, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.inserts
            .send((s, reply))
            .map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }

    pub(super) async fn list(
        &self,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<SubmissionRow>, StoreError> {
        let client = self.pool.get().await.map_err(pool_error)?;
        let limit = i64::from(limit);
        let found = client
            .query(
                &format!(
                    "SELECT {SUBMISSION_COLUMNS} FROM submissions
                     WHERE ($1::BIGINT IS NULL OR seq < $1) ORDER BY seq DESC LIMIT $2"
                ),
                &[&before, &limit],
            )
            .await
            .map_err(query_error)?;
        rows(found, submission)
    }

    pub(super) async fn page(
        &self,
        after: i64,
        limit: u32,
    ) -> Result<Vec<SubmissionRow>, StoreError> {
        let client = self.pool.get().await.map_err(pool_error)?;
        let limit = i64::from(limit);
        let found = client
            .query(
                &format!(
                    "SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE seq > $1 ORDER BY seq LIMIT $2"
                ),
                &[&after, &limit],
            )
            .await
            .map_err(query_error)?;
        rows(found, submission)
    }

    pub(super) async fn search(
        &self,
        keys: &[Key],
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<SubmissionRow>, StoreError> {
        let client = self.pool.get().await.map_err(pool_error)?;
        let kinds: Vec<&str> = keys.iter().map(|k| k.kind).collect();
        let values: Vec<&str> = keys.iter().map(|k| k.value.as_str()).collect();
        let limit = i64::from(limit);
        let found = client
            .query(
                &format!(
                    "SELECT {SUBMISSION_COLUMNS} FROM submissions
                     WHERE id IN (SELECT submission_id FROM lookup
                                  WHERE (kind, value) IN
                                    (SELECT * FROM unnest($1::TEXT[], $2::TEXT[])))
                       AND erased_at IS NULL AND ($3::BIGINT IS NULL OR seq < $3)
                     ORDER BY seq DESC LIMIT $4"
                ),
                &[&kinds, &values, &before, &limit],
            )
            .await
            .map_err(query_error)?;
        rows(found, submission)
    }

    pub(super) async fn received_before(
        &self,
        cutoff: &str,
        after: Option<(String, i64)>,
        limit: u32,
    ) -> Result<Vec<Kept>, StoreError> {
        let client = self.pool.get().await.map_err(pool_error)?;
        let (after_at, after_seq) = after.unzip();
        let limit = i64::from(limit);
        let found = client
            .query(
                "SELECT seq, id, received_at FROM submissions
                 WHERE erased_at IS NULL AND received_at < $1
                   AND ($2::TEXT IS NULL OR (received_at, seq) > ($2::TEXT, $3::BIGINT))
                 ORDER BY received_at, seq LIMIT $4",
                &[&cutoff, &after_at, &after_seq, &limit],
            )
            .await
            .map_err(query_error)?;
        rows(found, |r| {
            Ok(Kept {
                seq: r.try_get(0)?,
                id: r.try_get(1)?,
                received_at: r.try_get(2)?,
            })
        })
    }

    pub(super) async fn get(&self, id: &str) -> Result<Option<SubmissionRow>, StoreError> {
        let client = self.pool.get().await.map_err(pool_error)?;
        let found = client
            .query_opt(
                &format!("SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE id = $1"),
                &[&id],
            )
            .await
            .map_err(query_error)?;
        found
            .map(|r| submission(&r).map_err(query_error))
            .transpose()
    }

    pub(super) async fn events(&self, ids: &[String]) -> Result<Vec<EventRow>, StoreError> {
        let client = self.pool.get().await.map_err(pool_error)?;
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let found = client
            .query(
                &format!(
                    "SELECT {EVENT_COLUMNS} FROM events WHERE submission_id = ANY($1) ORDER BY seq"
                ),
                &[&ids],
            )
            .await
            .map_err(query_error)?;
        rows(found, event)
    }

    /// Events whose detail contains `needle` (plain text, no pattern), oldest first.
    pub(super) async fn events_containing(
        &self,
        needle: &str,
    ) -> Result<Vec<EventRow>, StoreError> {
        let client = self.pool.get().await.map_err(pool_error)?;
        let found = client
            .query(
                &format!(
                    "SELECT {EVENT_COLUMNS} FROM events WHERE strpos(detail, $1) > 0 ORDER BY seq"
                ),
                &[&needle],
            )
            .await
            .map_err(query_error)?;
        rows(found, event)
    }

    pub(super) async fn append(
        &self,
        e: NewEvent,
        check: EventCheck,
    ) -> Result<EventRow, AppendError> {
        let store = |e: StoreError| AppendError::Store(e);
        let mut client = self.pool.get().await.map_err(|e| store(pool_error(e)))?;
        let tx = client
            .transaction()
            .await
            .map_err(|e| store(query_error(e)))?;
        // One appender per submission at a time.
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtext($1))",
            &[&e.submission_id],
        )
        .await
        .map_err(|e| store(query_error(e)))?;
        let (submission_row, so_far) = with_events(&tx, &e.submission_id).await?;
        check(&submission_row, &so_far).map_err(AppendError::Refused)?;
        let seq = insert_event(&tx, &e)
            .await
            .map_err(|e| store(query_error(e)))?;
        insert_keys(&tx, &e.submission_id, &lookup::keys_of_event(&e))
            .await
            .map_err(|e| store(query_error(e)))?;
        link_stored(&tx, &[(chain::EVENT, seq)], self.keys.as_deref())
            .await
            .map_err(|e| store(query_error(e)))?;
        tx.commit().await.map_err(|e| store(query_error(e)))?;
        Ok(EventRow { seq, event: e })
    }

    pub(super) async fn erase(
        &self,
        e: NewEvent,
        plan: ErasurePlanner,
    ) -> Result<Erasure, AppendError> {
        let store = |e: tokio_postgres::Error| AppendError::Store(query_error(e));
        let mut client = self
            .pool
            .get()
            .await
            .map_err(|e| AppendError::Store(pool_error(e)))?;
        let tx = client.transaction().await.map_err(store)?;
        // The same lock as appends to this submission.
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtext($1))",
            &[&e.submission_id],
        )
        .await
        .map_err(store)?;
        let (submission_row, so_far) = with_events(&tx, &e.submission_id).await?;
        if let Some(first) = so_far.iter().find(|x| x.event.kind == ERASED) {
            if submission_row.erased_at.is_none() {
                // The data is back after its erasure (a backup restored): erased again,
                // as of the first erasure.
                let plan = plan(&submission_row, &so_far).map_err(AppendError::Refused)?;
                empty(&tx, &e.submission_id, &first.event.at, &plan)
                    .await
                    .map_err(store)?;
                tx.commit().await.map_err(store)?;
            }
            return Ok(Erasure::Before(first.clone()));
        }
        if let Some(held) = records::current_hold(&so_far) {
            return Ok(Erasure::Held(held.clone()));
        }
        let plan = plan(&submission_row, &so_far).map_err(AppendError::Refused)?;
        // The event first: the triggers let a body be emptied only after it.
        let seq = insert_event(&tx, &e).await.map_err(store)?;
        empty(&tx, &e.submission_id, &e.at, &plan)
            .await
            .map_err(store)?;
        link_stored(&tx, &[(chain::EVENT, seq)], self.keys.as_deref())
            .await
            .map_err(store)?;
        tx.commit().await.map_err(store)?;
        Ok(Erasure::Now(EventRow { seq, event: e }))
    }

    pub(super) async fn head(&self) -> Result<Head, StoreError> {
        let mut client = self.pool.get().await.map_err(pool_error)?;
        // The count and the last link from one snapshot.
        let tx = snapshot(&mut client).await?;
        let head = head(&tx).await.map_err(query_error)?;
        tx.commit().await.map_err(query_error)?;
        Ok(head)
    }

    pub(super) async fn verify_chain(&self) -> Result<Verified, StoreError> {
        let mut client = self.pool.get().await.map_err(pool_error)?;
        // One snapshot for the whole check.
        let tx = snapshot(&mut client).await?;
        let keys = self.keys.as_deref().cloned();
        let verified = verify(&tx, keys).await.map_err(query_error)?;
        tx.commit().await.map_err(query_error)?;
        Ok(verified)
    }

    pub(super) async fn count(&self) -> Result<i64, StoreError> {
        let client = self.pool.get().await.map_err(pool_error)?;
        let row = client
            .query_one("SELECT COUNT(*) FROM submissions", &[])
            .await
            .map_err(query_error)?;
        row.try_get(0).map_err(query_error)
    }
}

async fn migrate(client: &mut deadpool_postgres::Object) -> Result<i64, StoreError> {
    let tx = client.transaction().await.map_err(query_error)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await
        .map_err(query_error)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS receiver_migrations (
           version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    )
    .await
    .map_err(query_error)?;
    let current: i64 = tx
        .query_one(
            "SELECT COALESCE(MAX(version), 0) FROM receiver_migrations",
            &[],
        )
        .await
        .map_err(query_error)?
        .try_get(0)
        .map_err(query_error)?;
    let known = MIGRATIONS.last().map_or(0, |m| m.0);
    if current > known {
        return Err(StoreError::SchemaTooNew {
            found: current,
            known,
        });
    }
    for (version, name, sql) in MIGRATIONS.iter().filter(|m| m.0 > current) {
        tx.batch_execute(sql).await.map_err(|e| {
            StoreError::Query(format!("migration {version} ({name}): {}", pg_error(&e)))
        })?;
        if *version == 4 {
            fill_lookup(&tx).await.map_err(|e| {
                StoreError::Query(format!("migration {version} ({name}): {}", pg_error(&e)))
            })?;
        }
        if *version == 6 {
            seal(&tx).await.map_err(|e| {
                StoreError::Query(format!("migration {version} ({name}): {}", pg_error(&e)))
            })?;
        }
        tx.execute(
            "INSERT INTO receiver_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            &[version, name, &clock::now_rfc3339()],
        )
        .await
        .map_err(query_error)?;
    }
    tx.commit().await.map_err(query_error)?;
    Ok(known)
}

/// Submission `id` and its events so far, read inside an append's transaction.
async fn with_events(
    tx: &deadpool_postgres::Transaction<'_>,
    id: &str,
) -> Result<(SubmissionRow, Vec<EventRow>), AppendError> {
    let store = |e: tokio_postgres::Error| AppendError::Store(query_error(e));
    let found = tx
        .query_opt(
            &format!("SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE id = $1"),
            &[&id],
        )
        .await
        .map_err(store)?
        .ok_or(AppendError::NotFound)?;
    let submission_row = submission(&found).map_err(store)?;
    let so_far = tx
        .query(
            &format!("SELECT {EVENT_COLUMNS} FROM events WHERE submission_id = $1 ORDER BY seq"),
            &[&id],
        )
        .await
        .map_err(store)?;
    let so_far = rows(so_far, event).map_err(AppendError::Store)?;
    Ok((submission_row, so_far))
}

/// Adds `keys` of submission `id` to `lookup` (each once).
async fn insert_keys(
    tx: &deadpool_postgres::Transaction<'_>,
    id: &str,
    keys: &[Key],
) -> Result<(), tokio_postgres::Error> {
    for key in keys {
        tx.execute(
            "INSERT INTO lookup (kind, value, submission_id) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
            &[&key.kind, &key.value, &id],
        )
        .await?;
    }
    Ok(())
}

/// Fills `lookup` from the submissions not erased and their corrections (migration 4,
/// on a database that has records already).
async fn fill_lookup(tx: &deadpool_postgres::Transaction<'_>) -> Result<(), tokio_postgres::Error> {
    // A page at a time: the bodies may not fit in memory all at once.
    let mut after = 0i64;
    loop {
        let bodies = tx
            .query(
                "SELECT seq, id, body FROM submissions WHERE erased_at IS NULL AND seq > $1
                 ORDER BY seq LIMIT 1000",
                &[&after],
            )
            .await?;
        for row in &bodies {
            after = row.try_get(0)?;
            let id: String = row.try_get(1)?;
            let body: String = row.try_get(2)?;
            insert_keys(tx, &id, &lookup::keys_of_body(&body)).await?;
        }
        if bodies.len() < 1000 {
            break;
        }
    }
    let corrections = tx
        .query(
            "SELECT e.submission_id, e.detail FROM events e JOIN submissions s
               ON s.id = e.submission_id
             WHERE e.kind = 'corrected' AND s.erased_at IS NULL",
            &[],
        )
        .await?;
    for row in corrections {
        let id: String = row.try_get(0)?;
        let detail: String = row.try_get(1)?;
        insert_keys(tx, &id, &lookup::keys_of_correction(&detail)).await?;
    }
    Ok(())
}

/// Inserts `e`; its `seq`.
async fn insert_event(
    tx: &deadpool_postgres::Transaction<'_>,
    e: &NewEvent,
) -> Result<i64, tokio_postgres::Error> {
    tx.query_one(
        "INSERT INTO events (submission_id, kind, purpose, at, recorded_at, actor, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING seq",
        &[
            &e.submission_id,
            &e.kind,
            &e.purpose,
            &e.at,
            &e.recorded_at,
            &e.actor,
            &e.detail,
        ],
    )
    .await?
    .try_get(0)
}

/// A read-only transaction whose queries all see one snapshot.
async fn snapshot(
    client: &mut deadpool_postgres::Object,
) -> Result<deadpool_postgres::Transaction<'_>, StoreError> {
    client
        .build_transaction()
        .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await
        .map_err(query_error)
}

/// Stores the submissions sent on `pending`, those waiting together in one transaction
/// ([`insert_batch`]): chaining each submission as it is stored serialises commits
/// (the chain's lock is held until then), so one commit for many keeps the rate up.
async fn insert_batches(
    pool: Pool,
    mut pending: tokio::sync::mpsc::UnboundedReceiver<PendingInsert>,
    keys: Option<Arc<ChainKeys>>,
) {
    let mut batch = Vec::with_capacity(MAX_INSERT_BATCH);
    while pending.recv_many(&mut batch, MAX_INSERT_BATCH).await > 0 {
        let (submissions, replies): (Vec<_>, Vec<_>) = batch.drain(..).unzip();
        match insert_batch(&pool, &submissions, keys.as_deref()).await {
            Ok(results) => {
                for (reply, result) in replies.into_iter().zip(results) {
                    let _ = reply.send(Ok(result));
                }
            }
            Err(e) => {
                for reply in replies {
                    let _ = reply.send(Err(e.clone()));
                }
            }
        }
    }
}

/// Stores `batch` in one transaction, each submission with its search keys and its
/// link, or none of them; for each, whether it is new or was stored before.
async fn insert_batch(
    pool: &Pool,
    batch: &[NewSubmission],
    keys: Option<&ChainKeys>,
) -> Result<Vec<Inserted>, StoreError> {
    let mut client = pool.get().await.map_err(pool_error)?;
    let tx = client.transaction().await.map_err(query_error)?;
    // One statement each: the submission and its lookup keys, or neither.
    let insert = tx
        .prepare_cached(
            "WITH stored AS (
               INSERT INTO submissions (id, received_at, form, submitted_at, locale, body,
                 body_sha256, signature_timestamp, response_status, response_body, captcha)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
               ON CONFLICT (id) DO NOTHING RETURNING id, seq),
             keys AS (
               INSERT INTO lookup (kind, value, submission_id)
               SELECT k.kind, k.value, stored.id
               FROM stored, unnest($12::TEXT[], $13::TEXT[]) AS k (kind, value)
               ON CONFLICT DO NOTHING)
             SELECT seq FROM stored",
        )
        .await
        .map_err(query_error)?;
    let mut out = Vec::with_capacity(batch.len());
    let mut stored = Vec::with_capacity(batch.len());
    for s in batch {
        let status = i32::from(s.response_status);
        let kinds: Vec<&str> = s.lookup.iter().map(|k| k.kind).collect();
        let values: Vec<&str> = s.lookup.iter().map(|k| k.value.as_str()).collect();
        let seq = tx
            .query_opt(
                &insert,
                &[
                    &s.id,
                    &s.received_at,
                    &s.form,
                    &s.submitted_at,
                    &s.locale,
                    &s.body,
                    &s.body_sha256,
                    &s.signature_timestamp,
                    &status,
                    &s.response_body,
                    &s.captcha,
                    &kinds,
                    &values,
                ],
            )
            .await
            .and_then(|row| row.map(|r| r.try_get::<_, i64>(0)).transpose())
            .map_err(query_error)?;
        if let Some(seq) = seq {
            stored.push((chain::SUBMISSION, seq));
            out.push(Inserted::New);
            continue;
        }
        let row = tx
            .query_one(
                "SELECT body_sha256, response_status, response_body FROM submissions WHERE id = $1",
                &[&s.id],
            )
            .await
            .map_err(query_error)?;
        let status: i32 = row.try_get(1).map_err(query_error)?;
        out.push(Inserted::Existing(StoredAnswer {
            body_sha256: row.try_get(0).map_err(query_error)?,
            status: u16::try_from(status).unwrap_or(500),
            body: row.try_get(2).map_err(query_error)?,
        }));
    }
    link_stored(&tx, &stored, keys).await.map_err(query_error)?;
    tx.commit().await.map_err(query_error)?;
    Ok(out)
}

/// Empties submission `id`'s body as erased at `at`, keeping `plan.proof`, redacts its
/// events as `plan` says and deletes its search keys.
async fn empty(
    tx: &deadpool_postgres::Transaction<'_>,
    id: &str,
    at: &str,
    plan: &ErasurePlan,
) -> Result<(), tokio_postgres::Error> {
    tx.execute(
        "UPDATE submissions SET body = '', erased_at = $1, proof = $2 WHERE id = $3",
        &[&at, &plan.proof, &id],
    )
    .await?;
    for (event_seq, detail) in &plan.redactions {
        tx.execute(
            "UPDATE events SET detail = $1 WHERE seq = $2",
            &[detail, event_seq],
        )
        .await?;
    }
    tx.execute("DELETE FROM lookup WHERE submission_id = $1", &[&id])
        .await?;
    Ok(())
}

/// Links every submission and event not linked yet to the chain, submissions first,
/// each in `seq` order, under a lock that serialises receivers doing the same.
async fn seal(tx: &deadpool_postgres::Transaction<'_>) -> Result<(), tokio_postgres::Error> {
    let mut previous = lock_chain(tx).await?;
    for kind in [chain::SUBMISSION, chain::EVENT] {
        // Each page after the last row of the one before: rows linked are not read again.
        let mut after = 0i64;
        loop {
            let found = tx
                .query(&unlinked_rows(kind, "$1", "$2"), &[&after, &CHAIN_PAGE])
                .await?;
            let mut links: Vec<Link> = Vec::with_capacity(found.len());
            for row in &found {
                let link = to_link(kind, row)?.link(&previous);
                previous = link.hash.clone();
                links.push(link);
            }
            after = links.last().map_or(after, |l| l.row_seq);
            insert_links(tx, &links, None).await?;
            if (links.len() as i64) < CHAIN_PAGE {
                break;
            }
        }
    }
    Ok(())
}

/// A row of `kind` ([`chain::SUBMISSION`] or [`chain::EVENT`]), to be linked.
fn to_link(kind: &str, row: &Row) -> Result<Stored, tokio_postgres::Error> {
    Ok(if kind == chain::SUBMISSION {
        Stored::Submission(submission(row)?)
    } else {
        Stored::Event(event(row)?)
    })
}

/// Takes the lock that serialises appends to the chain (until the transaction ends);
/// the hash of the chain's last link then ("" when there is none).
async fn lock_chain(
    tx: &deadpool_postgres::Transaction<'_>,
) -> Result<String, tokio_postgres::Error> {
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&CHAIN_LOCK])
        .await?;
    Ok(tx
        .query_opt("SELECT hash FROM chain ORDER BY seq DESC LIMIT 1", &[])
        .await?
        .map(|r| r.try_get(0))
        .transpose()?
        .unwrap_or_default())
}

/// Appends `links`, in their order, to the chain.
async fn insert_links(
    tx: &deadpool_postgres::Transaction<'_>,
    links: &[Link],
    keys: Option<&ChainKeys>,
) -> Result<(), tokio_postgres::Error> {
    let kinds: Vec<&str> = links.iter().map(|l| l.row_kind.as_str()).collect();
    let seqs: Vec<i64> = links.iter().map(|l| l.row_seq).collect();
    let details: Vec<Option<&str>> = links.iter().map(|l| l.detail_sha256.as_deref()).collect();
    let digests: Vec<&str> = links.iter().map(|l| l.digest.as_str()).collect();
    let hashes: Vec<&str> = links.iter().map(|l| l.hash.as_str()).collect();
    let now = clock::now_rfc3339();
    let mut values: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
        vec![&kinds, &seqs, &details, &digests, &hashes, &now];
    let macs: Vec<String>;
    // In their order: unnest keeps it, and the identity follows the rows. Without a
    // key the `mac` column is not named: migration 6 links the rows stored before it,
    // and the column comes with migration 7.
    let sql = if let Some(keys) = keys {
        macs = links.iter().map(|l| keys.mac(&l.hash)).collect();
        values.push(&macs);
        "INSERT INTO chain (row_kind, row_seq, detail_sha256, digest, hash, linked_at, mac)
         SELECT k, s, d, g, h, $6, m FROM unnest($1::TEXT[], $2::BIGINT[], $3::TEXT[],
           $4::TEXT[], $5::TEXT[], $7::TEXT[]) WITH ORDINALITY AS l (k, s, d, g, h, m, n)
         ORDER BY n"
    } else {
        "INSERT INTO chain (row_kind, row_seq, detail_sha256, digest, hash, linked_at)
         SELECT k, s, d, g, h, $6 FROM unnest($1::TEXT[], $2::BIGINT[], $3::TEXT[],
           $4::TEXT[], $5::TEXT[]) WITH ORDINALITY AS l (k, s, d, g, h, n)
         ORDER BY n"
    };
    tx.execute(sql, &values).await?;
    Ok(())
}

/// Links the rows this transaction stored (`kind`, `seq`), in their order, after the
/// chain's last link:
/// a row is chained when it is stored, not later. Call it last in the transaction: the
/// chain's lock is held until the commit, and taking no lock after it keeps appends
/// from waiting on each other in a circle.
async fn link_stored(
    tx: &deadpool_postgres::Transaction<'_>,
    stored: &[(&str, i64)],
    keys: Option<&ChainKeys>,
) -> Result<(), tokio_postgres::Error> {
    if stored.is_empty() {
        return Ok(());
    }
    // The rows are read before the lock is taken, to hold it as briefly as can be.
    let mut rows = Vec::with_capacity(stored.len());
    for &(kind, seq) in stored {
        let row = tx.query_one(&row_by_seq(kind, "$1"), &[&seq]).await?;
        rows.push(to_link(kind, &row)?);
    }
    let mut previous = lock_chain(tx).await?;
    let mut links = Vec::with_capacity(rows.len());
    for row in &rows {
        let link = row.link(&previous);
        previous = link.hash.clone();
        links.push(link);
    }
    insert_links(tx, &links, keys).await
}

/// The chain's last link and length.
async fn head(tx: &deadpool_postgres::Transaction<'_>) -> Result<Head, tokio_postgres::Error> {
    let count: i64 = tx
        .query_one("SELECT COUNT(*) FROM chain", &[])
        .await?
        .try_get(0)?;
    let last = tx
        .query_opt(
            "SELECT seq, row_kind, row_seq, hash FROM chain ORDER BY seq DESC LIMIT 1",
            &[],
        )
        .await?;
    Ok(match last {
        Some(r) => Head {
            count,
            hash: r.try_get(3)?,
            last: Some(LastLink {
                seq: r.try_get(0)?,
                row_kind: r.try_get(1)?,
                row_seq: r.try_get(2)?,
            }),
        },
        None => Head {
            count,
            hash: String::new(),
            last: None,
        },
    })
}

/// Recomputes the chain from the database: every link against its row and the links
/// before it, up to the first that does not match.
async fn verify(
    tx: &deadpool_postgres::Transaction<'_>,
    keys: Option<ChainKeys>,
) -> Result<Verified, tokio_postgres::Error> {
    let mut verifier = Verifier::with_keys(keys);
    let mut mismatch = None;
    let mut after = 0i64;
    'pages: loop {
        let found = tx
            .query(
                "SELECT seq, row_kind, row_seq, detail_sha256, digest, hash, mac FROM chain
                 WHERE seq > $1 ORDER BY seq LIMIT $2",
                &[&after, &CHAIN_PAGE],
            )
            .await?;
        let mut page = Vec::with_capacity(found.len());
        for r in &found {
            page.push(Link {
                seq: r.try_get(0)?,
                row_kind: r.try_get(1)?,
                row_seq: r.try_get(2)?,
                detail_sha256: r.try_get(3)?,
                digest: r.try_get(4)?,
                hash: r.try_get(5)?,
                mac: r.try_get(6)?,
            });
        }
        let wanted = |kind: &str| -> Vec<i64> {
            page.iter()
                .filter(|l| l.row_kind == kind)
                .map(|l| l.row_seq)
                .collect()
        };
        let mut submissions = std::collections::HashMap::new();
        for r in tx
            .query(
                &format!("SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE seq = ANY($1)"),
                &[&wanted(chain::SUBMISSION)],
            )
            .await?
        {
            let row = submission(&r)?;
            submissions.insert(row.seq, row);
        }
        let mut events = std::collections::HashMap::new();
        for r in tx
            .query(
                "SELECT e.seq, e.submission_id, e.kind, e.purpose, e.at, e.recorded_at,
                        e.actor, e.detail, s.erased_at IS NOT NULL
                 FROM events e LEFT JOIN submissions s ON s.id = e.submission_id
                 WHERE e.seq = ANY($1)",
                &[&wanted(chain::EVENT)],
            )
            .await?
        {
            let row = event(&r)?;
            let erased: Option<bool> = r.try_get(8)?;
            events.insert(row.seq, (row, erased.unwrap_or(false)));
        }
        for l in &page {
            let row = if l.row_kind == chain::SUBMISSION {
                submissions.get(&l.row_seq).map(Chained::Submission)
            } else {
                events
                    .get(&l.row_seq)
                    .map(|(e, erased)| Chained::Event(e, *erased))
            };
            if let Err(why) = verifier.check(l, row) {
                mismatch = Some(why);
                break 'pages;
            }
            after = l.seq;
        }
        if (page.len() as i64) < CHAIN_PAGE {
            break;
        }
    }
    let unlinked: i64 = tx
        .query_one(
            "SELECT (SELECT COUNT(*) FROM submissions s WHERE NOT EXISTS
                      (SELECT 1 FROM chain c WHERE c.row_kind = 'submission' AND c.row_seq = s.seq))
                  + (SELECT COUNT(*) FROM events e WHERE NOT EXISTS
                      (SELECT 1 FROM chain c WHERE c.row_kind = 'event' AND c.row_seq = e.seq))",
            &[],
        )
        .await?
        .try_get(0)?;
    let mut erasures = Vec::new();
    for r in tx.query(chain::ERASURE_MISMATCHES, &[]).await? {
        erasures.push(ErasureMismatch {
            id: r.try_get(0)?,
            erased_at: r.try_get(1)?,
            event_at: r.try_get(2)?,
        });
    }
    Ok(verifier.verified(mismatch, unlinked, erasures))
}
