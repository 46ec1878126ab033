-- consent-form receiver, SQLite schema 1.
-- Consent records are append-only: a withdrawal or a correction is a new row in
-- `events`; the triggers refuse every UPDATE and DELETE.

CREATE TABLE submissions (
  seq                 INTEGER PRIMARY KEY AUTOINCREMENT,
  -- The payload id (= webhook-id): the idempotency key.
  id                  TEXT    NOT NULL UNIQUE,
  -- When the receiver stored it, RFC 3339 UTC.
  received_at         TEXT    NOT NULL,
  form                TEXT    NOT NULL,
  submitted_at        TEXT    NOT NULL,
  locale              TEXT    NOT NULL,
  -- The exact signed body, byte for byte, and its SHA-256.
  body                TEXT    NOT NULL,
  body_sha256         TEXT    NOT NULL,
  -- The verified webhook-timestamp.
  signature_timestamp INTEGER NOT NULL,
  -- The answer given, repeated to every retry of the same id.
  response_status     INTEGER NOT NULL,
  response_body       TEXT    NOT NULL
);

CREATE TABLE events (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  submission_id TEXT NOT NULL REFERENCES submissions (id),
  kind          TEXT NOT NULL CHECK (kind IN ('withdrawn', 'corrected')),
  -- The purpose withdrawn; NULL for a correction.
  purpose       TEXT,
  -- When it happened (RFC 3339) and when it was recorded (RFC 3339 UTC).
  at            TEXT NOT NULL,
  recorded_at   TEXT NOT NULL,
  actor         TEXT NOT NULL CHECK (actor IN ('principal', 'controller')),
  -- JSON: {"note": …} and for a correction {"fields": {…}}.
  detail        TEXT NOT NULL
);

CREATE INDEX events_by_submission ON events (submission_id, seq);

CREATE TRIGGER submissions_no_update BEFORE UPDATE ON submissions
BEGIN SELECT RAISE(ABORT, 'consent records are append-only: UPDATE on submissions refused'); END;
CREATE TRIGGER submissions_no_delete BEFORE DELETE ON submissions
BEGIN SELECT RAISE(ABORT, 'consent records are append-only: DELETE on submissions refused'); END;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'consent records are append-only: UPDATE on events refused'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'consent records are append-only: DELETE on events refused'); END;
