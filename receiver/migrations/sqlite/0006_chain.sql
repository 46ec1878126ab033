-- consent-form receiver, SQLite schema 6: tamper evidence across records. One link
-- per submission and per event, in the order the receiver links them, each
-- `hash = SHA-256(previous hash ‖ digest)` over the row's canonical digest (see
-- receiver/src/chain.rs): a submission's holds its body's SHA-256, not the body; an
-- event's the SHA-256 of its detail when linked (`detail_sha256`), so an erasure on
-- request leaves the chain whole. The receiver links the rows stored before this
-- migration when it applies it. Append-only like the records.
CREATE TABLE chain (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  row_kind      TEXT NOT NULL CHECK (row_kind IN ('submission', 'event')),
  -- The row's seq in `submissions` or `events`.
  row_seq       INTEGER NOT NULL,
  -- An event's detail's SHA-256 when it was linked; NULL for a submission.
  detail_sha256 TEXT,
  digest        TEXT NOT NULL,
  hash          TEXT NOT NULL,
  -- When it was linked, RFC 3339 UTC.
  linked_at     TEXT NOT NULL,
  UNIQUE (row_kind, row_seq)
);

CREATE TRIGGER chain_no_update BEFORE UPDATE ON chain
BEGIN SELECT RAISE(ABORT, 'consent records are append-only: UPDATE on chain refused'); END;
CREATE TRIGGER chain_no_delete BEFORE DELETE ON chain
BEGIN SELECT RAISE(ABORT, 'consent records are append-only: DELETE on chain refused'); END;
