-- Hand-written: two races in the coarse rollups (migration 0013), both found by CI, where
-- concurrent outcome writes left tally_presence and tally_distinct off from a rebuild.
--
-- 1. Dropping a reference read refs from the statement's snapshot ("refs > 1" failed on a row
--    that a concurrent transaction was raising from 1 to 2), then deleted the row once that
--    transaction committed: a reference was lost. Now the row is locked first (SELECT … FOR
--    UPDATE waits for the other writer and returns the committed refs), then lowered or deleted.
-- 2. Whether a wider region (city, province, country) counts a key depends on the other
--    counties' presence rows, read before this transaction's own write to tally_distinct: two
--    counties adding the same key at once could both count it for their city. Now the region's
--    tally_distinct row is locked before those rows are read, so changes to one region's count
--    of a kind in a period run one after another, each reading (a new statement, so a new
--    snapshot under READ COMMITTED) what the previous one committed. Row locks, not advisory
--    locks: a transaction that signs off thousands of outcomes would hold one advisory lock per
--    key and run out of the shared lock table; row locks live in the rows.
CREATE OR REPLACE FUNCTION "tally_count_distinct"(p_kind text, p_period text, p_key text,
                                                  p_county text, p_delta integer)
  RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  scope record;
BEGIN
  FOR scope IN
    SELECT * FROM (VALUES ('county', p_county, p_county),
                          ('city', left(p_county, 4), left(p_county, 4) || '00'),
                          ('province', left(p_county, 2), left(p_county, 2) || '0000'),
                          ('country', '', '000000')) AS s(level, prefix, code)
  LOOP
    -- Takes the count's row lock, held to commit, making the row at 0 if it is new. A lock, not
    -- a no-op update: a transaction that changes many keys would leave a row version each time.
    PERFORM 1 FROM tally_distinct d
     WHERE d.kind = p_kind AND d.scope_level = scope.level AND d.period = p_period
       AND d.scope_code = scope.code
       FOR UPDATE;
    IF NOT FOUND THEN
      INSERT INTO tally_distinct (kind, scope_level, scope_code, period, n)
      VALUES (p_kind, scope.level, scope.code, p_period, 0)
      ON CONFLICT (scope_level, period, scope_code, kind) DO NOTHING;
      PERFORM 1 FROM tally_distinct d
       WHERE d.kind = p_kind AND d.scope_level = scope.level AND d.period = p_period
         AND d.scope_code = scope.code
         FOR UPDATE;
    END IF;
    -- The county always counts its own key; a wider region only when no other county of it has
    -- the key in this period.
    CONTINUE WHEN scope.level <> 'county' AND EXISTS (
      SELECT 1 FROM tally_presence p
       WHERE p.kind = p_kind AND p.period = p_period AND p.key = p_key
         AND p.county_code <> p_county AND starts_with(p.county_code, scope.prefix)
    );
    UPDATE tally_distinct d SET n = d.n + p_delta
     WHERE d.kind = p_kind AND d.scope_level = scope.level AND d.period = p_period
       AND d.scope_code = scope.code;
  END LOOP;
END
$$;
--> statement-breakpoint
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
      -- No row would be a reference dropped twice: nothing to take away.
      CONTINUE WHEN v_refs IS NULL;
      IF v_refs > 1 THEN
        UPDATE tally_presence p SET refs = p.refs - 1
         WHERE p.kind = p_kind AND p.period = v_period AND p.key = p_key
           AND p.county_code = p_county;
        CONTINUE;
      END IF;
      DELETE FROM tally_presence p
       WHERE p.kind = p_kind AND p.period = v_period AND p.key = p_key
         AND p.county_code = p_county;
    END IF;
    PERFORM tally_count_distinct(p_kind, v_period, p_key, p_county, sign(p_delta)::integer);
  END LOOP;
END
$$;
