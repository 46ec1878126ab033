-- consent-form receiver, PostgreSQL schema 3 (as SQLite's): erasure on request. The
-- person's data goes, the proof stays: an `erased` event is appended, then the
-- submission's body is emptied once, with when (`erased_at`) and what is kept
-- (`proof`, JSON: each consent as sent — purpose, granted, text hash, policy —, the
-- guardian's text hash, the names of the fields sent); the notes and corrected values
-- in its events are redacted once. The triggers allow exactly that and refuse every
-- other UPDATE, DELETE and TRUNCATE.

ALTER TABLE submissions ADD COLUMN erased_at TEXT, ADD COLUMN proof TEXT;

ALTER TABLE events DROP CONSTRAINT events_kind_check,
  ADD CONSTRAINT events_kind_check CHECK (kind IN ('withdrawn', 'corrected', 'erased'));

-- A submission changes once: its body emptied, with the marker and the proof, after
-- its `erased` event; every other column as it was.
CREATE FUNCTION receiver_submission_erasure() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.erased_at IS NULL AND NEW.erased_at IS NOT NULL AND NEW.body = ''
       AND NEW.proof IS NOT NULL AND (NEW.proof::jsonb IS NOT NULL)
       AND ROW(NEW.seq, NEW.id, NEW.received_at, NEW.form, NEW.submitted_at, NEW.locale,
               NEW.body_sha256, NEW.signature_timestamp, NEW.response_status,
               NEW.response_body, NEW.captcha)
           IS NOT DISTINCT FROM
           ROW(OLD.seq, OLD.id, OLD.received_at, OLD.form, OLD.submitted_at, OLD.locale,
               OLD.body_sha256, OLD.signature_timestamp, OLD.response_status,
               OLD.response_body, OLD.captcha)
       AND EXISTS (SELECT 1 FROM events WHERE submission_id = OLD.id AND kind = 'erased')
    THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'consent records are append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END
$$;

-- An event of an erased submission that holds a note or corrected values loses them,
-- once; every other column as it was, and never the `erased` event.
CREATE FUNCTION receiver_event_erasure() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_detail jsonb;
  new_detail jsonb;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.kind <> 'erased' THEN
    old_detail := OLD.detail::jsonb;
    new_detail := NEW.detail::jsonb;
    IF ROW(NEW.seq, NEW.submission_id, NEW.kind, NEW.purpose, NEW.at, NEW.recorded_at,
           NEW.actor)
       IS NOT DISTINCT FROM
       ROW(OLD.seq, OLD.submission_id, OLD.kind, OLD.purpose, OLD.at, OLD.recorded_at,
           OLD.actor)
       AND new_detail -> 'redacted' = 'true'::jsonb
       AND NOT new_detail ? 'note'
       AND jsonb_typeof(new_detail -> 'fields') IS DISTINCT FROM 'object'
       AND NOT old_detail ? 'redacted'
       AND (old_detail ? 'note' OR old_detail ? 'fields')
       AND EXISTS (SELECT 1 FROM submissions
                   WHERE id = OLD.submission_id AND erased_at IS NOT NULL)
    THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'consent records are append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END
$$;

DROP TRIGGER submissions_append_only ON submissions;
CREATE TRIGGER submissions_append_only BEFORE UPDATE OR DELETE ON submissions
  FOR EACH ROW EXECUTE FUNCTION receiver_submission_erasure();
DROP TRIGGER events_append_only ON events;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION receiver_event_erasure();
