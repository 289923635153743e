CREATE INDEX "regions_level_code_idx" ON "regions" USING btree ("level","code" varchar_pattern_ops,"name");--> statement-breakpoint
-- Hand-written from here (issue 17): the write path in fewer statements, and the rebuild writing
-- tally_county in key order.
--
-- Signing off one outcome ran five statements in three functions besides the transition-table
-- scans: tally_awaiting() updated the county's month and year rows for the outcome that stopped
-- waiting, tally_outcomes() gathered the outcome's rows into arrays and tally_apply() updated the
-- same county rows again before the fine rollups. Now the trigger gathers the arrays itself and
-- tally_apply() takes the outcomes that begin or stop waiting (p_awaiting) into its first
-- statement: one function call, each county row written once per statement.
DROP FUNCTION "tally_apply"(tally_cell[], tally_group_cell[], tally_key_cell[], tally_key_cell[]);
--> statement-breakpoint
CREATE FUNCTION "tally_apply"(p_cells tally_cell[], p_groups tally_group_cell[],
                              p_workers tally_key_cell[], p_volunteers tally_key_cell[],
                              p_awaiting tally_awaiting[] DEFAULT NULL)
  RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_county tally_presence_delta[];
  v_departed tally_presence_delta[];
  v_losing boolean;
  v_fine boolean;
BEGIN
  v_fine := coalesce(cardinality(p_cells), 0) + coalesce(cardinality(p_groups), 0)
            + coalesce(cardinality(p_workers), 0) + coalesce(cardinality(p_volunteers), 0) > 0;
  IF NOT v_fine THEN
    -- Outcomes recorded (or corrected) without a sign-off: only their counties' waiting counts,
    -- in a statement of one sum (the one below, with every sum, cost three times as much).
    INSERT INTO tally_county AS t (period, county_code, awaiting)
    SELECT p.period, left(a.region_code, 6), sum(a.delta)
      FROM unnest(p_awaiting) a
     CROSS JOIN LATERAL (VALUES (to_char(a.month, 'YYYY')), (to_char(a.month, 'YYYY-MM')))
           AS p(period)
     GROUP BY 1, 2
     ORDER BY 1, 2
    ON CONFLICT (period, county_code) DO UPDATE SET awaiting = t.awaiting + EXCLUDED.awaiting;
    RETURN;
  END IF;

  -- 1. The counties' rows, sums per month and year. Their row locks are the first a call takes
  -- (the year's before the month's), so two transactions writing tallies of one county and year
  -- run one after the other from there on: every other row a call locks lies in that county (the
  -- key locks aside), and none is locked before. Without that, a transaction of several
  -- statements (an admin's correction) and a sign-off could each hold what the other waits for.
  -- Every county the call touches gets its rows, sums or not; the outcomes that begin or stop
  -- waiting for sign-off (p_awaiting) count in the same rows, in the same statement.
  WITH c AS (
    SELECT c.region_code, c.month, c.adjustment, c.events, c.person_times,
           c.volunteers_attended, c.volunteer_hours, 0 AS awaiting
      FROM unnest(p_cells) c
    UNION ALL
    SELECT g.region_code, g.month, false, 0, 0, 0, 0, 0 FROM unnest(p_groups) g
    UNION ALL
    SELECT w.region_code, w.month, false, 0, 0, 0, 0, 0 FROM unnest(p_workers) w
    UNION ALL
    SELECT v.region_code, v.month, false, 0, 0, 0, 0, 0 FROM unnest(p_volunteers) v
    UNION ALL
    SELECT a.region_code, a.month, false, 0, 0, 0, 0, a.delta FROM unnest(p_awaiting) a
  )
  INSERT INTO tally_county AS t (period, county_code, events, person_times, volunteers_attended,
                                 volunteer_hours, adjusted_person_times,
                                 adjusted_volunteers_attended, adjusted_volunteer_hours, awaiting)
  SELECT p.period, left(c.region_code, 6),
         coalesce(sum(c.events) FILTER (WHERE NOT c.adjustment), 0), sum(c.person_times),
         sum(c.volunteers_attended), sum(c.volunteer_hours),
         coalesce(sum(c.person_times) FILTER (WHERE c.adjustment), 0),
         coalesce(sum(c.volunteers_attended) FILTER (WHERE c.adjustment), 0),
         coalesce(sum(c.volunteer_hours) FILTER (WHERE c.adjustment), 0), sum(c.awaiting)
    FROM c
   CROSS JOIN LATERAL (VALUES (to_char(c.month, 'YYYY')), (to_char(c.month, 'YYYY-MM')))
         AS p(period)
   GROUP BY 1, 2
   ORDER BY 1, 2
  ON CONFLICT (period, county_code) DO UPDATE
    SET events = t.events + EXCLUDED.events,
        person_times = t.person_times + EXCLUDED.person_times,
        volunteers_attended = t.volunteers_attended + EXCLUDED.volunteers_attended,
        volunteer_hours = t.volunteer_hours + EXCLUDED.volunteer_hours,
        adjusted_person_times = t.adjusted_person_times + EXCLUDED.adjusted_person_times,
        adjusted_volunteers_attended =
          t.adjusted_volunteers_attended + EXCLUDED.adjusted_volunteers_attended,
        adjusted_volunteer_hours = t.adjusted_volunteer_hours + EXCLUDED.adjusted_volunteer_hours,
        awaiting = t.awaiting + EXCLUDED.awaiting;

  -- 2. Fine rollups and references, for everything that gains. (Every data-modifying WITH runs,
  -- read or not.) A community is present in a cell
  -- while its row (not the adjustments') has events; a social worker or volunteer while it has a
  -- row (rows of keys that lose events are step 3's). The row lock of each upsert orders two
  -- transactions changing one row, and each sees what the other committed, so exactly one of
  -- them sees a first fine row, or a first reference.
  WITH cells AS (
    SELECT c.community_id, min(c.region_code) AS region_code, c.month, c.service_type,
           c.adjustment, sum(c.events)::integer AS events, sum(c.person_times) AS person_times,
           sum(c.volunteers_attended) AS volunteers_attended,
           sum(c.volunteer_hours) AS volunteer_hours
      FROM unnest(p_cells) c
     GROUP BY c.community_id, c.month, c.service_type, c.adjustment
    HAVING sum(c.events) <> 0 OR sum(c.person_times) <> 0 OR sum(c.volunteers_attended) <> 0
        OR sum(c.volunteer_hours) <> 0
  ), cells_written AS (
    INSERT INTO tally_rollup AS r (community_id, region_code, month, service_type, adjustment,
                                   events, person_times, volunteers_attended, volunteer_hours)
    SELECT * FROM cells ORDER BY community_id, month, service_type, adjustment
    ON CONFLICT (community_id, month, service_type, adjustment) DO UPDATE
      SET events = r.events + EXCLUDED.events,
          person_times = r.person_times + EXCLUDED.person_times,
          volunteers_attended = r.volunteers_attended + EXCLUDED.volunteers_attended,
          volunteer_hours = r.volunteer_hours + EXCLUDED.volunteer_hours
    RETURNING r.community_id, r.region_code, r.month, r.service_type, r.adjustment, r.events
  ), groups_written AS (
    INSERT INTO tally_group_rollup AS r (community_id, region_code, month, service_type,
                                         target_group, adjustment, events, person_times)
    SELECT g.community_id, min(g.region_code), g.month, g.service_type, g.target_group,
           g.adjustment, sum(g.events), sum(g.person_times)
      FROM unnest(p_groups) g
     GROUP BY g.community_id, g.month, g.service_type, g.target_group, g.adjustment
    HAVING sum(g.events) <> 0 OR sum(g.person_times) <> 0
     ORDER BY 1, 3, 4, 5, 6
    ON CONFLICT (community_id, month, service_type, target_group, adjustment) DO UPDATE
      SET events = r.events + EXCLUDED.events, person_times = r.person_times + EXCLUDED.person_times
  ), workers AS (
    SELECT w.community_id, min(w.region_code) AS region_code, w.month, w.service_type,
           w.key::uuid AS social_worker_id, sum(w.events)::integer AS events
      FROM unnest(p_workers) w
     GROUP BY w.community_id, w.month, w.service_type, w.key
    HAVING sum(w.events) <> 0
  ), workers_written AS (
    INSERT INTO tally_social_workers AS r (community_id, region_code, month, service_type,
                                           social_worker_id, events)
    SELECT * FROM workers WHERE events > 0
     ORDER BY community_id, month, service_type, social_worker_id
    ON CONFLICT (community_id, month, service_type, social_worker_id) DO UPDATE
      SET events = r.events + EXCLUDED.events
    RETURNING r.community_id, r.region_code, r.month, r.service_type, r.social_worker_id, r.events
  ), volunteers AS (
    SELECT v.community_id, min(v.region_code) AS region_code, v.month, v.service_type,
           v.key AS volunteer_key, sum(v.events)::integer AS events
      FROM unnest(p_volunteers) v
     GROUP BY v.community_id, v.month, v.service_type, v.key
    HAVING sum(v.events) <> 0
  ), volunteers_written AS (
    INSERT INTO tally_volunteers AS r (community_id, region_code, month, service_type,
                                       volunteer_key, events)
    SELECT * FROM volunteers WHERE events > 0
     ORDER BY community_id, month, service_type, volunteer_key
    ON CONFLICT (community_id, month, service_type, volunteer_key) DO UPDATE
      SET events = r.events + EXCLUDED.events
    RETURNING r.community_id, r.region_code, r.month, r.service_type, r.volunteer_key, r.events
  ), fine AS (
    -- Communities: present or not, either way; the others: new rows only.
    SELECT 'community' AS kind, left(x.region_code, 6) AS county_code, x.month,
           x.community_id::text AS key, CASE WHEN x.events > 0 THEN 1 ELSE -1 END AS delta
      FROM cells_written x JOIN cells d USING (community_id, month, service_type, adjustment)
     WHERE NOT x.adjustment AND (x.events > 0) <> (x.events - d.events > 0)
    UNION ALL
    SELECT 'social_worker', left(x.region_code, 6), x.month, x.social_worker_id::text, 1
      FROM workers_written x JOIN workers d USING (community_id, month, service_type,
                                                   social_worker_id)
     WHERE x.events = d.events
    UNION ALL
    SELECT 'volunteer', left(x.region_code, 6), x.month, x.volunteer_key, 1
      FROM volunteers_written x JOIN volunteers d USING (community_id, month, service_type,
                                                         volunteer_key)
     WHERE x.events = d.events
  ), refs AS (
    SELECT f.kind, p.period, f.key, f.county_code, sum(f.delta)::integer AS delta
      FROM fine f
     CROSS JOIN LATERAL (VALUES (to_char(f.month, 'YYYY-MM')), (to_char(f.month, 'YYYY')))
           AS p(period)
     GROUP BY 1, 2, 3, 4
    HAVING sum(f.delta) <> 0
  ), refs_added AS (
    INSERT INTO tally_presence AS p (kind, period, key, county_code, refs)
    SELECT * FROM refs WHERE delta > 0 ORDER BY key, kind, period, county_code
    ON CONFLICT (kind, period, key, county_code) DO UPDATE SET refs = p.refs + EXCLUDED.refs
    RETURNING p.kind, p.period, p.key, p.county_code, p.refs
  ), refs_taken AS (
    -- A community whose cell emptied: its reference row exists.
    UPDATE tally_presence p SET refs = p.refs + d.delta
      FROM refs d
     WHERE d.delta < 0 AND p.kind = d.kind AND p.period = d.period AND p.key = d.key
       AND p.county_code = d.county_code
    RETURNING p.kind, p.period, p.key, p.county_code, p.refs
  )
  SELECT (SELECT array_agg(ROW(x.kind, x.county_code, x.period, x.key,
                               CASE WHEN x.refs > 0 THEN 1 ELSE -1 END)::tally_presence_delta)
            FROM (SELECT * FROM refs_added UNION ALL SELECT * FROM refs_taken) x
            JOIN refs d USING (kind, period, key, county_code)
           WHERE (x.refs > 0) <> (x.refs - d.delta > 0)),
         EXISTS (SELECT 1 FROM workers WHERE events < 0)
           OR EXISTS (SELECT 1 FROM volunteers WHERE events < 0)
    INTO v_county, v_losing;

  -- 3. Keys that lose events (corrections): their fine rows, then their references.
  IF v_losing THEN
    WITH workers AS (
      SELECT w.community_id, w.month, w.service_type, w.key::uuid AS social_worker_id,
             sum(w.events)::integer AS events
        FROM unnest(p_workers) w
       GROUP BY w.community_id, w.month, w.service_type, w.key
      HAVING sum(w.events) < 0
    ), workers_taken AS (
      UPDATE tally_social_workers r SET events = r.events + d.events
        FROM workers d
       WHERE r.community_id = d.community_id AND r.month = d.month
         AND r.service_type = d.service_type AND r.social_worker_id = d.social_worker_id
      RETURNING r.region_code, r.month, r.social_worker_id::text AS key, r.events
    ), volunteers AS (
      SELECT v.community_id, v.month, v.service_type, v.key AS volunteer_key,
             sum(v.events)::integer AS events
        FROM unnest(p_volunteers) v
       GROUP BY v.community_id, v.month, v.service_type, v.key
      HAVING sum(v.events) < 0
    ), volunteers_taken AS (
      UPDATE tally_volunteers r SET events = r.events + d.events
        FROM volunteers d
       WHERE r.community_id = d.community_id AND r.month = d.month
         AND r.service_type = d.service_type AND r.volunteer_key = d.volunteer_key
      RETURNING r.region_code, r.month, r.volunteer_key AS key, r.events
    ), refs AS (
      SELECT f.kind, p.period, f.key, f.county_code, count(*)::integer AS taken
        FROM (SELECT 'social_worker' AS kind, left(region_code, 6) AS county_code, month, key
                FROM workers_taken WHERE events = 0
              UNION ALL
              SELECT 'volunteer', left(region_code, 6), month, key
                FROM volunteers_taken WHERE events = 0) f
       CROSS JOIN LATERAL (VALUES (to_char(f.month, 'YYYY-MM')), (to_char(f.month, 'YYYY')))
             AS p(period)
       GROUP BY 1, 2, 3, 4
    ), refs_taken AS (
      UPDATE tally_presence p SET refs = p.refs - d.taken
        FROM refs d
       WHERE p.kind = d.kind AND p.period = d.period AND p.key = d.key
         AND p.county_code = d.county_code
      RETURNING p.kind, p.period, p.key, p.county_code, p.refs
    )
    SELECT array_agg(ROW(x.kind, x.county_code, x.period, x.key, -1)::tally_presence_delta)
      INTO v_departed
      FROM refs_taken x WHERE x.refs = 0;
    v_county := coalesce(v_county, '{}') || coalesce(v_departed, '{}');
    DELETE FROM tally_social_workers r USING unnest(p_workers) w
     WHERE w.events < 0 AND r.community_id = w.community_id AND r.month = w.month
       AND r.service_type = w.service_type AND r.social_worker_id = w.key::uuid AND r.events = 0;
    DELETE FROM tally_volunteers r USING unnest(p_volunteers) v
     WHERE v.events < 0 AND r.community_id = v.community_id AND r.month = v.month
       AND r.service_type = v.service_type AND r.volunteer_key = v.key AND r.events = 0;
  END IF;

  IF coalesce(cardinality(v_county), 0) = 0 THEN
    RETURN;
  END IF;

  -- 4. A key arriving in or leaving a county changes the county's count, and its city's,
  -- province's and the country's unless another county of that region has it. Two transactions
  -- bringing one key into two counties of a city must not both count it: each locks the key's row
  -- in tally_key_locks first (ON CONFLICT DO UPDATE locks a row it does not update) and looks at
  -- the other counties after, in a new statement, so under READ COMMITTED in a new snapshot that
  -- holds what the other committed. One row per key, not per region: no transaction waits for
  -- another that merely counts other keys of the same region.
  INSERT INTO tally_key_locks AS k (kind, key)
  SELECT DISTINCT t.kind, t.key FROM unnest(v_county) t ORDER BY 2, 1
  ON CONFLICT (kind, key) DO UPDATE SET kind = EXCLUDED.kind WHERE false;
  WITH counties AS (
    -- Their rows exist and are this transaction's (step 1).
    UPDATE tally_county t
       SET volunteers = t.volunteers + d.volunteers,
           social_workers = t.social_workers + d.social_workers,
           communities = t.communities + d.communities
      FROM (SELECT c.period, c.county_code,
                   coalesce(sum(c.delta) FILTER (WHERE c.kind = 'volunteer'), 0) AS volunteers,
                   coalesce(sum(c.delta) FILTER (WHERE c.kind = 'social_worker'), 0)
                     AS social_workers,
                   coalesce(sum(c.delta) FILTER (WHERE c.kind = 'community'), 0) AS communities
              FROM unnest(v_county) c GROUP BY 1, 2) d
     WHERE t.period = d.period AND t.county_code = d.county_code
  ), regions AS (
    SELECT t.kind, t.period, t.key, r.level, r.code, r.prefix,
           (bool_or(t.delta > 0))::integer - (bool_or(t.delta < 0))::integer AS change,
           array_agg(t.county_code) FILTER (WHERE t.delta > 0) AS arrived
      FROM unnest(v_county) t
     CROSS JOIN LATERAL (VALUES ('city', left(t.county_code, 4) || '00', left(t.county_code, 4)),
                                ('province', left(t.county_code, 2) || '0000',
                                 left(t.county_code, 2)),
                                ('country', '000000', '')) AS r(level, code, prefix)
     GROUP BY 1, 2, 3, 4, 5, 6
  )
  INSERT INTO tally_distinct_changes (kind, scope_level, scope_code, period, delta)
  SELECT s.kind, s.level, s.code, s.period, sum(s.change)::integer
    FROM regions s
   WHERE s.change <> 0
     AND NOT EXISTS (
       SELECT 1 FROM tally_presence p
        WHERE p.key = s.key AND p.kind = s.kind AND p.period = s.period AND p.refs > 0
          AND starts_with(p.county_code, s.prefix)
          AND p.county_code <> ALL (coalesce(s.arrived, '{}'))
     )
   GROUP BY 1, 2, 3, 4;
END
$$;
--> statement-breakpoint
ALTER FUNCTION "tally_apply"(tally_cell[], tally_group_cell[], tally_key_cell[], tally_key_cell[],
                             tally_awaiting[])
  SET plan_cache_mode = force_generic_plan;
--> statement-breakpoint
-- Outcomes added or taken away (signed-off ones only count) and outcomes that begin or stop
-- waiting for sign-off, gathered from the statement's transition tables, then handed to
-- tally_apply() in one call. The cells, target groups, lead social worker and volunteers of the
-- outcomes are read from their current rows in one statement over the array (not over the
-- transition tables: the plan is kept for the session, and a join planned for a bulk statement
-- would read every outcome_groups row for a request's one). The row triggers of 0009 telescoped
-- the same way: whichever of an outcome and its rows changes first, in separate statements, the
-- rollups end equal to the sum over the outcomes as they are at commit.
CREATE OR REPLACE FUNCTION "tally_outcomes_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_outcomes tally_outcome[];
  v_awaiting tally_awaiting[];
  v_cells tally_cell[];
  v_groups tally_group_cell[];
  v_workers tally_key_cell[];
  v_volunteers tally_key_cell[];
BEGIN
  -- Each branch reads only the transition tables its trigger defines.
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(ROW(n.event_id, n.community_id, n.region_code, n.month, n.service_type,
                         n.lead_social_worker_id, n.volunteers_attended, n.volunteer_hours,
                         1)::tally_outcome) FILTER (WHERE n.status = 'signed_off'),
           array_agg(ROW(n.region_code, n.month, 1)::tally_awaiting)
             FILTER (WHERE n.status = 'recorded')
      INTO v_outcomes, v_awaiting
      FROM new_rows n;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(ROW(o.event_id, o.community_id, o.region_code, o.month, o.service_type,
                         o.lead_social_worker_id, o.volunteers_attended, o.volunteer_hours,
                         -1)::tally_outcome) FILTER (WHERE o.status = 'signed_off'),
           array_agg(ROW(o.region_code, o.month, -1)::tally_awaiting)
             FILTER (WHERE o.status = 'recorded')
      INTO v_outcomes, v_awaiting
      FROM old_rows o;
  ELSE
    -- Only rows whose counted columns changed: an edit of the notes leaves the rollups alone.
    WITH changed AS (
      SELECT o.event_id AS old_id, n.event_id AS new_id, o.status AS old_status,
             n.status AS new_status, o.community_id AS old_community, n.community_id,
             o.region_code AS old_region, n.region_code, o.month AS old_month, n.month,
             o.service_type AS old_service, n.service_type, o.lead_social_worker_id AS old_lead,
             n.lead_social_worker_id, o.volunteers_attended AS old_attended,
             n.volunteers_attended, o.volunteer_hours AS old_hours, n.volunteer_hours
        FROM old_rows o FULL JOIN new_rows n ON n.event_id = o.event_id
       WHERE (o.status, o.community_id, o.region_code, o.month, o.service_type,
              o.lead_social_worker_id, o.volunteers_attended, o.volunteer_hours)
             IS DISTINCT FROM
             (n.status, n.community_id, n.region_code, n.month, n.service_type,
              n.lead_social_worker_id, n.volunteers_attended, n.volunteer_hours)
    )
    SELECT (SELECT array_agg(x) FROM (
              SELECT ROW(c.old_id, c.old_community, c.old_region, c.old_month, c.old_service,
                         c.old_lead, c.old_attended, c.old_hours, -1)::tally_outcome AS x
                FROM changed c WHERE c.old_status = 'signed_off'
              UNION ALL
              SELECT ROW(c.new_id, c.community_id, c.region_code, c.month, c.service_type,
                         c.lead_social_worker_id, c.volunteers_attended, c.volunteer_hours,
                         1)::tally_outcome
                FROM changed c WHERE c.new_status = 'signed_off') s),
           (SELECT array_agg(x) FROM (
              SELECT ROW(c.old_region, c.old_month, -1)::tally_awaiting AS x
                FROM changed c WHERE c.old_status = 'recorded'
              UNION ALL
              SELECT ROW(c.region_code, c.month, 1)::tally_awaiting
                FROM changed c WHERE c.new_status = 'recorded') s)
      INTO v_outcomes, v_awaiting;
  END IF;
  IF v_outcomes IS NOT NULL THEN
    WITH o AS MATERIALIZED (SELECT * FROM unnest(v_outcomes))
    SELECT (SELECT array_agg(ROW(o.community_id, o.region_code, o.month, o.service_type, false,
                                 o.sign, o.sign * coalesce(g.total, 0),
                                 o.sign * o.volunteers_attended,
                                 o.sign * o.volunteer_hours)::tally_cell)
              FROM o LEFT JOIN LATERAL (SELECT sum(g.person_times) AS total FROM outcome_groups g
                                         WHERE g.event_id = o.event_id) g ON true),
           (SELECT array_agg(ROW(o.community_id, o.region_code, o.month, o.service_type,
                                 g.target_group, false, o.sign * (g.person_times > 0)::integer,
                                 o.sign * g.person_times)::tally_group_cell)
              FROM o JOIN outcome_groups g ON g.event_id = o.event_id),
           (SELECT array_agg(ROW(o.community_id, o.region_code, o.month, o.service_type,
                                 o.lead_social_worker_id::text, o.sign)::tally_key_cell)
              FROM o),
           (SELECT array_agg(ROW(o.community_id, o.region_code, o.month, o.service_type,
                                 v.volunteer_key, o.sign)::tally_key_cell)
              FROM o JOIN outcome_volunteers v ON v.event_id = o.event_id)
      INTO v_cells, v_groups, v_workers, v_volunteers;
  END IF;
  IF v_outcomes IS NOT NULL OR v_awaiting IS NOT NULL THEN
    PERFORM tally_apply(v_cells, v_groups, v_workers, v_volunteers, v_awaiting);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- CREATE OR REPLACE drops the SET of 0028: one plan per statement and session, made once.
ALTER FUNCTION "tally_outcomes_changed"() SET plan_cache_mode = force_generic_plan;
--> statement-breakpoint
DROP FUNCTION "tally_outcomes"(tally_outcome[]);
--> statement-breakpoint
DROP FUNCTION "tally_awaiting"(tally_awaiting[]);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "tally_rebuild_coarse"() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE tally_presence, tally_county, tally_distinct, tally_distinct_changes;
  -- References per month: one per fine row; per year: the months' summed. Written in key order,
  -- so that the primary key grows at its end and the counts above the county read it in order.
  INSERT INTO tally_presence (kind, period, key, county_code, refs)
  WITH months AS MATERIALIZED (
    SELECT kind, to_char(month, 'YYYY-MM') AS period, key, county_code, count(*)::integer AS refs
      FROM (SELECT 'volunteer' AS kind, volunteer_key AS key, left(region_code, 6) AS county_code,
                   month
              FROM tally_volunteers
            UNION ALL
            SELECT 'social_worker', social_worker_id::text, left(region_code, 6), month
              FROM tally_social_workers
            UNION ALL
            SELECT 'community', community_id::text, left(region_code, 6), month
              FROM tally_rollup WHERE NOT adjustment AND events > 0) AS fine
     GROUP BY kind, month, key, county_code
  )
  SELECT * FROM (SELECT * FROM months
                 UNION ALL
                 SELECT kind, left(period, 4), key, county_code, sum(refs)::integer
                   FROM months GROUP BY kind, left(period, 4), key, county_code) AS p
   ORDER BY key, kind, period, county_code;
  ANALYZE tally_presence;
  INSERT INTO tally_county (period, county_code, events, person_times, volunteers_attended,
                            volunteer_hours, adjusted_person_times, adjusted_volunteers_attended,
                            adjusted_volunteer_hours, volunteers, social_workers, communities,
                            awaiting)
  SELECT period, county_code, sum(events), sum(person_times), sum(volunteers_attended),
         sum(volunteer_hours), sum(adjusted_person_times), sum(adjusted_volunteers_attended),
         sum(adjusted_volunteer_hours), sum(volunteers), sum(social_workers), sum(communities),
         sum(awaiting)
    FROM (
      SELECT p.period, r.county_code,
             coalesce(sum(r.events) FILTER (WHERE NOT r.adjustment), 0) AS events,
             sum(r.person_times) AS person_times, sum(r.volunteers_attended) AS volunteers_attended,
             sum(r.volunteer_hours) AS volunteer_hours,
             coalesce(sum(r.person_times) FILTER (WHERE r.adjustment), 0) AS adjusted_person_times,
             coalesce(sum(r.volunteers_attended) FILTER (WHERE r.adjustment), 0)
               AS adjusted_volunteers_attended,
             coalesce(sum(r.volunteer_hours) FILTER (WHERE r.adjustment), 0)
               AS adjusted_volunteer_hours,
             0 AS volunteers, 0 AS social_workers, 0 AS communities, 0 AS awaiting
        FROM (SELECT left(region_code, 6) AS county_code, month, adjustment, sum(events) AS events,
                     sum(person_times) AS person_times,
                     sum(volunteers_attended) AS volunteers_attended,
                     sum(volunteer_hours) AS volunteer_hours
                FROM tally_rollup GROUP BY 1, 2, 3) r
       CROSS JOIN LATERAL (VALUES (to_char(r.month, 'YYYY-MM')), (to_char(r.month, 'YYYY')))
             AS p(period)
       GROUP BY 1, 2
      UNION ALL
      SELECT period, county_code, 0, 0, 0, 0, 0, 0, 0,
             count(*) FILTER (WHERE kind = 'volunteer'),
             count(*) FILTER (WHERE kind = 'social_worker'),
             count(*) FILTER (WHERE kind = 'community'), 0
        FROM tally_presence WHERE refs > 0 GROUP BY 1, 2
      UNION ALL
      -- From the records: the rollups hold signed-off outcomes only.
      SELECT p.period, left(o.region_code, 6), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, count(*)
        FROM outcomes o
       CROSS JOIN LATERAL (VALUES (to_char(o.month, 'YYYY-MM')), (to_char(o.month, 'YYYY')))
             AS p(period)
       WHERE o.status = 'recorded'
       GROUP BY 1, 2
    ) AS c
   GROUP BY 1, 2
   -- In key order: a period's rows lie together, so that a tally of all counties for a year
   -- reads a few dozen pages, not one page per county.
   ORDER BY 1, 2;
  -- Above the county: the keys in a region are its counties' keys without repeats. Presence in
  -- key order lists a key's counties one after another, so a county is the first of its city
  -- (province, the country) to have the key when the one before it is not in the same region.
  INSERT INTO tally_distinct (kind, scope_level, scope_code, period, n)
  SELECT kind, level, code, period, n FROM (
    SELECT kind, period,
           CASE WHEN grouping(city) = 0 THEN 'city'
                WHEN grouping(province) = 0 THEN 'province' ELSE 'country' END AS level,
           CASE WHEN grouping(city) = 0 THEN city || '00'
                WHEN grouping(province) = 0 THEN province || '0000' ELSE '000000' END AS code,
           CASE WHEN grouping(city) = 0 THEN sum(first_of_city)
                WHEN grouping(province) = 0 THEN sum(first_of_province)
                ELSE sum(first_of_country) END::integer AS n
      FROM (
        SELECT kind, period, left(county_code, 4) AS city, left(county_code, 2) AS province,
               (prev IS NULL OR left(prev, 4) <> left(county_code, 4))::integer AS first_of_city,
               (prev IS NULL OR left(prev, 2) <> left(county_code, 2))::integer
                 AS first_of_province,
               (prev IS NULL)::integer AS first_of_country
          FROM (SELECT kind, period, county_code,
                       lag(county_code) OVER (PARTITION BY key, kind, period ORDER BY county_code)
                         AS prev
                  FROM tally_presence) AS p
      ) AS f
     GROUP BY GROUPING SETS ((kind, period, city), (kind, period, province), (kind, period))
  ) AS counts;
END
$$;
--> statement-breakpoint
-- The counties' rows of each period together from now on (a rebuild keeps them so).
CLUSTER "tally_county" USING "tally_county_period_county_code_pk";
