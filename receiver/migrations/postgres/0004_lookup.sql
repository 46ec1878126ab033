-- consent-form receiver, PostgreSQL schema 4 (as SQLite's): finding a person's
-- records, and the retention job.
--
-- `lookup`: the phone numbers (E.164, the visitor's and a guardian's) and e-mail
-- addresses (lower-cased, domain in ASCII) of each submission not erased — as sent
-- and as every correction gave them — so the owner finds a person's records without
-- reading every body. Derived from `submissions` and `events` (the receiver fills it
-- for the records already stored when it applies this migration); an erasure deletes
-- the submission's rows, so it keeps no personal data of an erased record. Not a
-- consent record: no append-only triggers.
CREATE TABLE lookup (
  kind          TEXT NOT NULL CHECK (kind IN ('phone', 'email')),
  value         TEXT NOT NULL,
  submission_id TEXT NOT NULL REFERENCES submissions (id),
  PRIMARY KEY (kind, value, submission_id)
);
CREATE INDEX lookup_by_submission ON lookup (submission_id);

-- The retention job reads the submissions not erased, oldest first.
CREATE INDEX submissions_kept_by_received ON submissions (received_at) WHERE erased_at IS NULL;

-- An erased record takes no new personal data: an event with a note or corrected
-- values on it is refused (the receiver refuses it first, 409 `erased`), since no
-- erasure would redact it later.
CREATE FUNCTION receiver_event_after_erasure() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.detail::jsonb ? 'note' OR NEW.detail::jsonb ? 'fields')
     AND EXISTS (SELECT 1 FROM submissions WHERE id = NEW.submission_id AND erased_at IS NOT NULL)
  THEN
    RAISE EXCEPTION 'personal data refused on an erased record: no note or corrected values';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER events_after_erasure BEFORE INSERT ON events
  FOR EACH ROW EXECUTE FUNCTION receiver_event_after_erasure();
