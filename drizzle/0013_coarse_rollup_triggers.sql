-- Hand-written: keeps tally_area, tally_presence and tally_distinct in step with the fine rollups
-- (tally_rollup, tally_social_workers, tally_volunteers), in the same transaction, and rebuilds
-- them with the rest in tally_rebuild(). While tally_rebuild() runs, the row triggers stand aside
-- (setting shuangyi.tally_rebuild) and the coarse tables are rebuilt set-based at its end.

-- Distinct counts: one presence row per (kind, period, key, county). Its first reference adds the
-- key to the county's count, and to the city's, province's and country's when no other county of
-- that region has it in the same period; its last reference takes it away the same way.
CREATE FUNCTION "tally_count_distinct"(p_kind text, p_period text, p_key text, p_county text,
                                       p_delta integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  scope record;
BEGIN
  FOR scope IN
    SELECT * FROM (VALUES ('county', p_county, p_county),
                          ('city', left(p_county, 4), left(p_county, 4) || '00'),
                          ('province', left(p_county, 2), left(p_county, 2) || '0000'),
                          ('country', '', '000000')) AS s(level, prefix, code)
  LOOP
    -- The county always counts its own key; a wider region only when no other county of it has
    -- the key in this period.
    CONTINUE WHEN scope.level <> 'county' AND EXISTS (
      SELECT 1 FROM tally_presence p
       WHERE p.kind = p_kind AND p.period = p_period AND p.key = p_key
         AND p.county_code <> p_county AND starts_with(p.county_code, scope.prefix)
    );
    IF p_delta > 0 THEN
      INSERT INTO tally_distinct AS d (kind, scope_level, scope_code, period, n)
      VALUES (p_kind, scope.level, scope.code, p_period, p_delta)
      ON CONFLICT (scope_level, period, scope_code, kind) DO UPDATE SET n = d.n + EXCLUDED.n;
    ELSE
      -- An UPDATE, not an upsert: a proposed row with a negative count would fail the CHECK
      -- before the conflict is even looked at.
      UPDATE tally_distinct d SET n = d.n + p_delta
       WHERE d.kind = p_kind AND d.scope_level = scope.level AND d.period = p_period
         AND d.scope_code = scope.code;
    END IF;
  END LOOP;
END
$$;
--> statement-breakpoint
CREATE FUNCTION "tally_presence_change"(p_kind text, p_county text, p_month date, p_key text,
                                        p_delta integer) RETURNS void LANGUAGE plpgsql AS $$
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
      IF v_refs = 1 THEN
        PERFORM tally_count_distinct(p_kind, v_period, p_key, p_county, 1);
      END IF;
    ELSE
      UPDATE tally_presence p SET refs = p.refs - 1
       WHERE p.kind = p_kind AND p.period = v_period AND p.key = p_key
         AND p.county_code = p_county AND p.refs > 1;
      IF NOT FOUND THEN
        DELETE FROM tally_presence p
         WHERE p.kind = p_kind AND p.period = v_period AND p.key = p_key
           AND p.county_code = p_county;
        PERFORM tally_count_distinct(p_kind, v_period, p_key, p_county, -1);
      END IF;
    END IF;
  END LOOP;
END
$$;
--> statement-breakpoint
CREATE FUNCTION "tally_rebuilding"() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('shuangyi.tally_rebuild', true), '') = 'on'
$$;
--> statement-breakpoint
-- tally_rollup → tally_area (sums) and community presence (a non-adjustment row with events).
CREATE FUNCTION "tally_rollup_coarse"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  had boolean := TG_OP <> 'INSERT' AND NOT OLD.adjustment AND OLD.events > 0;
  has boolean := TG_OP <> 'DELETE' AND NOT NEW.adjustment AND NEW.events > 0;
BEGIN
  IF tally_rebuilding() THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO tally_area AS a (county_code, month, adjustment, events, person_times,
                                 volunteers_attended, volunteer_hours)
    VALUES (left(OLD.region_code, 6), OLD.month, OLD.adjustment, -OLD.events, -OLD.person_times,
            -OLD.volunteers_attended, -OLD.volunteer_hours)
    ON CONFLICT (county_code, month, adjustment) DO UPDATE
      SET events = a.events + EXCLUDED.events, person_times = a.person_times + EXCLUDED.person_times,
          volunteers_attended = a.volunteers_attended + EXCLUDED.volunteers_attended,
          volunteer_hours = a.volunteer_hours + EXCLUDED.volunteer_hours;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO tally_area AS a (county_code, month, adjustment, events, person_times,
                                 volunteers_attended, volunteer_hours)
    VALUES (left(NEW.region_code, 6), NEW.month, NEW.adjustment, NEW.events, NEW.person_times,
            NEW.volunteers_attended, NEW.volunteer_hours)
    ON CONFLICT (county_code, month, adjustment) DO UPDATE
      SET events = a.events + EXCLUDED.events, person_times = a.person_times + EXCLUDED.person_times,
          volunteers_attended = a.volunteers_attended + EXCLUDED.volunteers_attended,
          volunteer_hours = a.volunteer_hours + EXCLUDED.volunteer_hours;
  END IF;
  IF had AND NOT has THEN
    PERFORM tally_presence_change('community', left(OLD.region_code, 6), OLD.month,
                                  OLD.community_id::text, -1);
  ELSIF has AND NOT had THEN
    PERFORM tally_presence_change('community', left(NEW.region_code, 6), NEW.month,
                                  NEW.community_id::text, 1);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "tally_rollup_coarse" AFTER INSERT OR UPDATE OR DELETE ON "tally_rollup"
  FOR EACH ROW EXECUTE FUNCTION "tally_rollup_coarse"();
--> statement-breakpoint
-- A fine presence row exists exactly while its key has events in that cell.
CREATE FUNCTION "tally_people_coarse"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF tally_rebuilding() THEN
    RETURN NULL;
  END IF;
  -- The key column differs between the two tables, hence one branch per table.
  IF TG_TABLE_NAME = 'tally_volunteers' THEN
    IF TG_OP = 'DELETE' THEN
      PERFORM tally_presence_change('volunteer', left(OLD.region_code, 6), OLD.month,
                                    OLD.volunteer_key, -1);
    ELSE
      PERFORM tally_presence_change('volunteer', left(NEW.region_code, 6), NEW.month,
                                    NEW.volunteer_key, 1);
    END IF;
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM tally_presence_change('social_worker', left(OLD.region_code, 6), OLD.month,
                                  OLD.social_worker_id::text, -1);
  ELSE
    PERFORM tally_presence_change('social_worker', left(NEW.region_code, 6), NEW.month,
                                  NEW.social_worker_id::text, 1);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "tally_volunteers_coarse" AFTER INSERT OR DELETE ON "tally_volunteers"
  FOR EACH ROW EXECUTE FUNCTION "tally_people_coarse"();
--> statement-breakpoint
CREATE TRIGGER "tally_social_workers_coarse" AFTER INSERT OR DELETE ON "tally_social_workers"
  FOR EACH ROW EXECUTE FUNCTION "tally_people_coarse"();
--> statement-breakpoint
-- The coarse tables from the fine ones, set-based.
CREATE FUNCTION "tally_rebuild_coarse"() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM tally_area;
  DELETE FROM tally_presence;
  DELETE FROM tally_distinct;
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
--> statement-breakpoint
-- tally_rebuild() as before (migration 0009), with the coarse tables rebuilt at its end.
ALTER FUNCTION "tally_rebuild"() RENAME TO "tally_rebuild_fine";
--> statement-breakpoint
CREATE FUNCTION "tally_rebuild"() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('shuangyi.tally_rebuild', 'on', true);
  PERFORM tally_rebuild_fine();
  PERFORM tally_rebuild_coarse();
  PERFORM set_config('shuangyi.tally_rebuild', 'off', true);
END
$$;
--> statement-breakpoint
-- Databases migrated before this one already hold fine rollups.
SELECT tally_rebuild_coarse();
