-- consent-form receiver, PostgreSQL schema 6 (as SQLite's): tamper evidence across
-- records. One link per submission and per event, in the order the receiver links
-- them, each `hash = SHA-256(previous hash ‖ digest)` over the row's canonical digest
-- (see receiver/src/chain.rs): a submission's holds its body's SHA-256, not the body;
-- an event's the SHA-256 of its detail when linked (`detail_sha256`), so an erasure
-- on request leaves the chain whole. The receiver links the rows stored before this
-- migration when it applies it. Append-only like the records.
CREATE TABLE chain (
  seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  row_kind      TEXT   NOT NULL CHECK (row_kind IN ('submission', 'event')),
  row_seq       BIGINT NOT NULL,
  detail_sha256 TEXT,
  digest        TEXT   NOT NULL,
  hash          TEXT   NOT NULL,
  linked_at     TEXT   NOT NULL,
  UNIQUE (row_kind, row_seq)
);

CREATE TRIGGER chain_append_only BEFORE UPDATE OR DELETE ON chain
  FOR EACH ROW EXECUTE FUNCTION receiver_append_only();
CREATE TRIGGER chain_no_truncate BEFORE TRUNCATE ON chain
  FOR EACH STATEMENT EXECUTE FUNCTION receiver_append_only();
