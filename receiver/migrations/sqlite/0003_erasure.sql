-- consent-form receiver, SQLite schema 3: erasure on request. The person's data goes,
-- the proof stays: an `erased` event is appended, then the submission's body is
-- emptied once, with when (`erased_at`) and what is kept (`proof`, JSON: each consent
-- as sent — purpose, granted, text hash, policy —, the guardian's text hash, the names
-- of the fields sent); the notes and corrected values in its events are redacted
-- once. The triggers allow exactly that and refuse every other UPDATE and DELETE.

ALTER TABLE submissions ADD COLUMN erased_at TEXT;
ALTER TABLE submissions ADD COLUMN proof TEXT;

-- `kind` may now be `erased`: SQLite cannot change a CHECK, so `events` is rebuilt
-- (same columns and rows, same seq).
DROP TRIGGER events_no_update;
DROP TRIGGER events_no_delete;
CREATE TABLE events_new (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  submission_id TEXT NOT NULL REFERENCES submissions (id),
  kind          TEXT NOT NULL CHECK (kind IN ('withdrawn', 'corrected', 'erased')),
  -- The purpose withdrawn; NULL for a correction or an erasure.
  purpose       TEXT,
  -- When it happened (RFC 3339) and when it was recorded (RFC 3339 UTC).
  at            TEXT NOT NULL,
  recorded_at   TEXT NOT NULL,
  actor         TEXT NOT NULL CHECK (actor IN ('principal', 'controller')),
  -- JSON: {"note": …}, a correction's {"fields": {…}}, an erasure's {"reason": …};
  -- once erased, {"redacted": true, "fields": [names]} without note or values.
  detail        TEXT NOT NULL
);
INSERT INTO events_new (seq, submission_id, kind, purpose, at, recorded_at, actor, detail)
  SELECT seq, submission_id, kind, purpose, at, recorded_at, actor, detail FROM events;
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;
CREATE INDEX events_by_submission ON events (submission_id, seq);

-- A submission changes once: its body emptied, with the marker and the proof, after
-- its `erased` event; every other column as it was.
DROP TRIGGER submissions_no_update;
CREATE TRIGGER submissions_no_update BEFORE UPDATE ON submissions
WHEN NOT (
  OLD.erased_at IS NULL AND NEW.erased_at IS NOT NULL AND NEW.body = ''
  AND json_valid(NEW.proof)
  AND NEW.seq = OLD.seq AND NEW.id = OLD.id AND NEW.received_at = OLD.received_at
  AND NEW.form = OLD.form AND NEW.submitted_at = OLD.submitted_at
  AND NEW.locale = OLD.locale AND NEW.body_sha256 = OLD.body_sha256
  AND NEW.signature_timestamp = OLD.signature_timestamp
  AND NEW.response_status = OLD.response_status AND NEW.response_body = OLD.response_body
  AND NEW.captcha IS OLD.captcha
  AND EXISTS (SELECT 1 FROM events WHERE submission_id = OLD.id AND kind = 'erased'))
BEGIN SELECT RAISE(ABORT, 'consent records are append-only: UPDATE on submissions refused (only an erasure empties a body, once)'); END;

-- An event of an erased submission that holds a note or corrected values loses them,
-- once; every other column as it was, and never the `erased` event.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
WHEN NOT (
  OLD.kind <> 'erased' AND NEW.seq = OLD.seq AND NEW.submission_id = OLD.submission_id
  AND NEW.kind = OLD.kind AND NEW.purpose IS OLD.purpose AND NEW.at = OLD.at
  AND NEW.recorded_at = OLD.recorded_at AND NEW.actor = OLD.actor
  AND json_valid(NEW.detail) AND json_extract(NEW.detail, '$.redacted') = 1
  AND json_type(NEW.detail, '$.note') IS NULL
  AND json_type(NEW.detail, '$.fields') IS NOT 'object'
  AND json_extract(OLD.detail, '$.redacted') IS NULL
  AND (json_type(OLD.detail, '$.note') IS NOT NULL OR json_type(OLD.detail, '$.fields') IS NOT NULL)
  AND EXISTS (SELECT 1 FROM submissions WHERE id = OLD.submission_id AND erased_at IS NOT NULL))
BEGIN SELECT RAISE(ABORT, 'consent records are append-only: UPDATE on events refused (only an erasure redacts an event, once)'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'consent records are append-only: DELETE on events refused'); END;
