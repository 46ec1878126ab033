-- consent-form receiver, PostgreSQL schema 1 (same tables as the SQLite one).
-- Consent records are append-only: a withdrawal or a correction is a new row in
-- `events`; the triggers refuse every UPDATE, DELETE and TRUNCATE.

CREATE TABLE submissions (
  seq                 BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id                  TEXT    NOT NULL UNIQUE,
  received_at         TEXT    NOT NULL,
  form                TEXT    NOT NULL,
  submitted_at        TEXT    NOT NULL,
  locale              TEXT    NOT NULL,
  body                TEXT    NOT NULL,
  body_sha256         TEXT    NOT NULL,
  signature_timestamp BIGINT  NOT NULL,
  response_status     INTEGER NOT NULL,
  response_body       TEXT    NOT NULL
);

CREATE TABLE events (
  seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  submission_id TEXT   NOT NULL REFERENCES submissions (id),
  kind          TEXT   NOT NULL CHECK (kind IN ('withdrawn', 'corrected')),
  purpose       TEXT,
  at            TEXT   NOT NULL,
  recorded_at   TEXT   NOT NULL,
  actor         TEXT   NOT NULL CHECK (actor IN ('principal', 'controller')),
  detail        TEXT   NOT NULL
);

CREATE INDEX events_by_submission ON events (submission_id, seq);

CREATE FUNCTION receiver_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'consent records are append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END
$$;

CREATE TRIGGER submissions_append_only BEFORE UPDATE OR DELETE ON submissions
  FOR EACH ROW EXECUTE FUNCTION receiver_append_only();
CREATE TRIGGER submissions_no_truncate BEFORE TRUNCATE ON submissions
  FOR EACH STATEMENT EXECUTE FUNCTION receiver_append_only();
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION receiver_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION receiver_append_only();
