-- consent-form receiver, PostgreSQL schema 5 (as SQLite's): a hold on a record (a
-- dispute, a complaint to the authority, a court's request). The owner puts a record
-- on hold and lifts it with dated `held` and `released` events ({"reason": …});
-- while held, the record is not erased, neither on request nor by the retention
-- period. The append-only triggers of schemas 3 and 4 stay as they are: a hold's or
-- a release's reason is neither a note nor corrected values, so it is never changed.

ALTER TABLE events DROP CONSTRAINT events_kind_check,
  ADD CONSTRAINT events_kind_check
    CHECK (kind IN ('withdrawn', 'corrected', 'erased', 'held', 'released'));

-- A record is held when its last `held` or `released` event is `held`. No erasure
-- while held (the receiver answers 409 `held` first); `held` only on a record neither
-- held nor erased, `released` only on a held one.
CREATE FUNCTION receiver_event_hold() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last_hold TEXT;
BEGIN
  SELECT kind INTO last_hold FROM events
    WHERE submission_id = NEW.submission_id AND kind IN ('held', 'released')
    ORDER BY seq DESC LIMIT 1;
  IF NEW.kind = 'erased' AND last_hold = 'held' THEN
    RAISE EXCEPTION 'held record: no erasure while it is held; release the hold first';
  END IF;
  IF NEW.kind = 'held' AND (last_hold = 'held' OR EXISTS (
       SELECT 1 FROM submissions WHERE id = NEW.submission_id AND erased_at IS NOT NULL))
  THEN
    RAISE EXCEPTION 'held record: a hold on a record held already or erased refused';
  END IF;
  IF NEW.kind = 'released' AND last_hold IS DISTINCT FROM 'held' THEN
    RAISE EXCEPTION 'held record: a release of a record not held refused';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER events_hold BEFORE INSERT ON events
  FOR EACH ROW WHEN (NEW.kind IN ('erased', 'held', 'released'))
  EXECUTE FUNCTION receiver_event_hold();
