-- Hand-written: distinct counts change by appending to tally_distinct_changes (0017) instead of
-- updating tally_distinct in place. bench/tallies showed why: signing off 10^4 outcomes in one
-- transaction updated the country's, provinces' and cities' count rows tens of thousands of times,
-- and every update in a transaction has to walk past the row versions it left before (164 s, 95×
-- the same inserts without triggers). The count row is still locked first (0014), so changes to
-- one region's count stay in order; locking a row it already holds costs a transaction nothing.
-- Readers use tally_distinct_now; the Cron job folds the changes in (tally_fold_distinct()).
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
    -- Takes the count's row lock, held to commit, making the row at 0 if it is new.
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
    INSERT INTO tally_distinct_changes (kind, scope_level, scope_code, period, delta)
    VALUES (p_kind, scope.level, scope.code, p_period, p_delta);
  END LOOP;
END
$$;
--> statement-breakpoint
-- Every change has its count row (the trigger makes it first, in the same transaction), so the
-- counts as of now are the rows plus their changes: a join, which leaves the rows unaggregated
-- (aggregating the thousands of county rows of an all-counties tally doubled its time).
CREATE VIEW "tally_distinct_now" AS
  SELECT d.kind, d.scope_level, d.scope_code, d.period, d.n + coalesce(c.delta, 0) AS n
    FROM tally_distinct d
    LEFT JOIN (SELECT kind, scope_level, scope_code, period, sum(delta)::integer AS delta
                 FROM tally_distinct_changes
                GROUP BY kind, scope_level, scope_code, period) AS c
      ON c.kind = d.kind AND c.scope_level = d.scope_level AND c.scope_code = d.scope_code
     AND c.period = d.period;
--> statement-breakpoint
-- Moves the committed changes into tally_distinct; returns how many count rows changed. The count
-- rows are locked first in the order a sign-off's triggers lock them (kinds in the order an
-- outcome's rows are written, a month before its year, county before city before province before
-- country), so that folding does not deadlock with one.
CREATE FUNCTION "tally_fold_distinct"() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  v_rows integer;
BEGIN
  CREATE TEMP TABLE tally_fold ON COMMIT DROP AS
    WITH moved AS (DELETE FROM tally_distinct_changes
                   RETURNING kind, scope_level, scope_code, period, delta)
    SELECT kind, scope_level, scope_code, period, sum(delta)::integer AS delta
      FROM moved GROUP BY 1, 2, 3, 4;
  PERFORM 1 FROM tally_distinct d JOIN tally_fold f USING (kind, scope_level, scope_code, period)
   ORDER BY array_position(ARRAY['community', 'social_worker', 'volunteer'], d.kind::text),
            left(d.period, 4), length(d.period) DESC, d.period,
            array_position(ARRAY['county', 'city', 'province', 'country'], d.scope_level::text),
            d.scope_code
     FOR UPDATE OF d;
  UPDATE tally_distinct d SET n = d.n + f.delta
    FROM tally_fold f
   WHERE d.kind = f.kind AND d.scope_level = f.scope_level AND d.scope_code = f.scope_code
     AND d.period = f.period AND f.delta <> 0;
  GET DIAGNOSTICS v_rows = ROW_COUNT;
  DROP TABLE tally_fold;
  RETURN v_rows;
END
$$;
--> statement-breakpoint
-- The rebuild (0013) starts from no changes either.
CREATE OR REPLACE FUNCTION "tally_rebuild_coarse"() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM tally_area;
  DELETE FROM tally_presence;
  DELETE FROM tally_distinct;
  DELETE FROM tally_distinct_changes;
  INSERT INTO tally_area (county_code, month, adjustment, events, person_times,
                          volunteers_attended, volunteer_hours)
  SELECT left(region_code, 6), month, adjustment, sum(events), sum(person_times),
         sum(volunteers_attended), sum(volunteer_hours)
    FROM tally_rollup GROUP BY 1, 2, 3;
  INSERT INTO tally_presence (kind, period, key, county_code, refs)
  SELECT kind, period, key, county_code, count(*) FROM (
    SELECT 'volunteer' AS kind, volunteer_key AS key, left(region_code, 6) AS county_code, month
      FROM tally_volunteers
    UNION ALL
    SELECT 'social_worker', social_worker_id::text, left(region_code, 6), month
      FROM tally_social_workers
    UNION ALL
    SELECT 'community', community_id::text, left(region_code, 6), month
      FROM tally_rollup WHERE NOT adjustment AND events > 0
  ) AS fine
  CROSS JOIN LATERAL (VALUES (to_char(fine.month, 'YYYY-MM')), (to_char(fine.month, 'YYYY')))
    AS p(period)
  GROUP BY 1, 2, 3, 4;
  INSERT INTO tally_distinct (kind, scope_level, scope_code, period, n)
  SELECT kind, 'county', county_code, period, count(*) FROM tally_presence GROUP BY 1, 3, 4
  UNION ALL
  SELECT kind, 'city', left(county_code, 4) || '00', period, count(DISTINCT key)
    FROM tally_presence GROUP BY 1, 3, 4
  UNION ALL
  SELECT kind, 'province', left(county_code, 2) || '0000', period, count(DISTINCT key)
    FROM tally_presence GROUP BY 1, 3, 4
  UNION ALL
  SELECT kind, 'country', '000000', period, count(DISTINCT key)
    FROM tally_presence GROUP BY 1, 3, 4;
END
$$;
