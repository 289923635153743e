-- Hand-written: two races in tally_presence_change (migration 0013), both found by CI, where
-- concurrent outcome writes left tally_presence and tally_distinct off from a rebuild.
--
-- 1. Dropping a reference read refs from the statement's snapshot ("refs > 1" failed on a row
--    that a concurrent transaction was raising from 1 to 2), then deleted the row once that
--    transaction committed: a reference was lost. Now the row is locked first (SELECT … FOR
--    UPDATE waits for the other writer and returns the committed refs), then lowered or deleted.
-- 2. Whether a wider region (city, province, country) counts a key depends on the other
--    counties' presence rows, read before this transaction's own write to tally_distinct: two
--    counties adding the same key at once could both count it for their city. Now every change
--    that adds a key to a county or takes it away takes a transaction-scoped advisory lock on
--    (kind, period, key) first, so such changes to one key run one after another, each seeing
--    what the previous one committed. Changes that only move refs take no lock.
CREATE OR REPLACE FUNCTION "tally_presence_change"(p_kind text, p_county text, p_month date,
                                                   p_key text, p_delta integer)
  RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_period text;
  v_refs integer;
BEGIN
  FOREACH v_period IN ARRAY ARRAY[to_char(p_month, 'YYYY-MM'), to_char(p_month, 'YYYY')] LOOP
    IF p_delta > 0 THEN
      INSERT INTO tally_presence AS p (kind, period, key, county_code, refs)
      VALUES (p_kind, v_period, p_key, p_county, 1)
      ON CONFLICT (kind, period, key, county_code) DO UPDATE SET refs = p.refs + 1
      RETURNING p.refs INTO v_refs;
      CONTINUE WHEN v_refs > 1;
    ELSE
      SELECT p.refs INTO v_refs FROM tally_presence p
       WHERE p.kind = p_kind AND p.period = v_period AND p.key = p_key
         AND p.county_code = p_county
         FOR UPDATE;
      IF v_refs > 1 THEN
        UPDATE tally_presence p SET refs = p.refs - 1
         WHERE p.kind = p_kind AND p.period = v_period AND p.key = p_key
           AND p.county_code = p_county;
        CONTINUE;
      END IF;
      -- No row at all would be a reference dropped twice: nothing to take away.
      CONTINUE WHEN v_refs IS NULL;
      DELETE FROM tally_presence p
       WHERE p.kind = p_kind AND p.period = v_period AND p.key = p_key
         AND p.county_code = p_county;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtextextended(p_kind || '|' || v_period || '|' || p_key, 0));
    PERFORM tally_count_distinct(p_kind, v_period, p_key, p_county, sign(p_delta)::integer);
  END LOOP;
END
$$;
