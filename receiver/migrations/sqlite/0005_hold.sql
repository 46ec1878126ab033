-- consent-form receiver, SQLite schema 5: a hold on a record (a dispute, a complaint
-- to the authority, a court's request). The owner puts a record on hold and lifts it
-- with dated `held` and `released` events ({"reason": …}); while held, the record is
-- not erased, neither on request nor by the retention period.

-- `kind` may now be `held` or `released`: SQLite cannot change a CHECK, so `events`
-- is rebuilt (same columns and rows, same seq), and its triggers with it, as schema 3
-- and 4 made them. The submissions' trigger reads `events`: dropped first, made again.
DROP TRIGGER submissions_no_update;
CREATE TABLE events_new (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  submission_id TEXT NOT NULL REFERENCES submissions (id),
  kind          TEXT NOT NULL
                CHECK (kind IN ('withdrawn', 'corrected', 'erased', 'held', 'released')),
  -- The purpose withdrawn; NULL for the other kinds.
  purpose       TEXT,
  -- When it happened (RFC 3339) and when it was recorded (RFC 3339 UTC).
  at            TEXT NOT NULL,
  recorded_at   TEXT NOT NULL,
  actor         TEXT NOT NULL CHECK (actor IN ('principal', 'controller')),
  -- JSON: {"note": …}, a correction's {"fields": {…}}, an erasure's, a hold's or a
  -- release's {"reason": …}; once erased, {"redacted": true, "fields": [names]}
  -- without note or values.
  detail        TEXT NOT NULL
);
INSERT INTO events_new (seq, submission_id, kind, purpose, at, recorded_at, actor, detail)
  SELECT seq, submission_id, kind, purpose, at, recorded_at, actor, detail FROM events;
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;
CREATE INDEX events_by_submission ON events (submission_id, seq);

-- As schema 3: a submission changes once, its body emptied, with the marker and the
-- proof, after its `erased` event; every other column as it was.
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

-- As schema 3: an event of an erased submission that holds a note or corrected
-- values loses them, once; every other column as it was, and never the `erased`
-- event. (A hold's or a release's reason is neither: never changed.)
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

-- As schema 4: an erased record takes no new note or corrected values.
CREATE TRIGGER events_no_personal_data_after_erasure BEFORE INSERT ON events
WHEN (json_type(NEW.detail, '$.note') IS NOT NULL OR json_type(NEW.detail, '$.fields') IS NOT NULL)
  AND EXISTS (SELECT 1 FROM submissions WHERE id = NEW.submission_id AND erased_at IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'personal data refused on an erased record: no note or corrected values'); END;

-- A record is held when its last `held` or `released` event is `held`. No erasure
-- while held (the receiver answers 409 `held` first); `held` only on a record neither
-- held nor erased, `released` only on a held one.
CREATE TRIGGER events_hold BEFORE INSERT ON events
WHEN NEW.kind IN ('erased', 'held', 'released')
BEGIN
  SELECT RAISE(ABORT, 'held record: no erasure while it is held; release the hold first')
  WHERE NEW.kind = 'erased'
    AND (SELECT kind FROM events WHERE submission_id = NEW.submission_id
           AND kind IN ('held', 'released') ORDER BY seq DESC LIMIT 1) IS 'held';
  SELECT RAISE(ABORT, 'held record: a hold on a record held already or erased refused')
  WHERE NEW.kind = 'held'
    AND ((SELECT kind FROM events WHERE submission_id = NEW.submission_id
            AND kind IN ('held', 'released') ORDER BY seq DESC LIMIT 1) IS 'held'
         OR EXISTS (SELECT 1 FROM submissions WHERE id = NEW.submission_id
                      AND erased_at IS NOT NULL));
  SELECT RAISE(ABORT, 'held record: a release of a record not held refused')
  WHERE NEW.kind = 'released'
    AND (SELECT kind FROM events WHERE submission_id = NEW.submission_id
           AND kind IN ('held', 'released') ORDER BY seq DESC LIMIT 1) IS NOT 'held';
END;
