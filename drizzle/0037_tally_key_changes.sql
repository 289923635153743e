-- Hand-written from here (issue 17, item 3): who appears where leaves the write path.
--
-- Signing off one outcome wrote its sums and, for its lead social worker and each volunteer, a row
-- of tally_social_workers or tally_volunteers; for each key new to a cell two references in
-- tally_presence (the month's and the year's); for keys new to the county their lock and the
-- county's distinct counts; and in one more statement the changes above the county. Most of what
-- the rollup triggers added to a request was that (bench/tallies: +1.0 to +1.4 ms per outcome at
-- 10^6). Now the triggers write the sums (tally_county, tally_rollup, tally_group_rollup) and
-- append the rest to tally_key_changes, a heap without an index (no lookup, no lock); and
-- tally_fold_keys() applies the changes in batches:
--   * every tally runs it before it reads (src/tallies/sources.ts), so a tally is as exact as
--     before: everything committed before it is folded in;
--   * the Cron job runs it (through tally_fold_distinct()), so that a tally seldom finds much.
-- One fold at a time (an advisory lock), so no key locks: a fold decides every arrival above the
-- county after it has written its references, and no other transaction writes references.
CREATE TABLE "tally_key_changes" (
	"kind" varchar(16) NOT NULL,
	"key" varchar(64) NOT NULL,
	"community_id" uuid NOT NULL,
	"region_code" varchar(12) NOT NULL,
	"month" date NOT NULL,
	"service_type" "service_type" NOT NULL,
	"delta" integer NOT NULL
);
--> statement-breakpoint
-- The folds' lock, held to the end of the transaction: one fold at a time, and a rebuild (or
-- anything that locks the rollup tables) after the fold that runs. Taken before any table a fold
-- writes, so that no two of them wait for each other.
CREATE FUNCTION "tally_fold_lock"() RETURNS void LANGUAGE sql AS $$
  SELECT pg_advisory_xact_lock(hashtext('shuangyi.tally_keys'), 0);
$$;
--> statement-breakpoint
-- Applies the committed changes; returns how many it took. An empty queue costs one look and no
-- lock. Otherwise one fold at a time: a second waits for the first to commit, and (rows another
-- transaction deletes are waited for, not skipped) finds what the first took gone; so a reader
-- that folds and then reads sees everything committed before its fold.
CREATE FUNCTION "tally_fold_keys"() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  v_moved integer;
  v_gone_workers tally_key_cell[];
  v_gone_volunteers tally_key_cell[];
  v_refs tally_presence_delta[];
  v_county tally_presence_delta[];
BEGIN
  IF NOT EXISTS (SELECT 1 FROM tally_key_changes) THEN
    RETURN 0;
  END IF;
  PERFORM tally_fold_lock();
  -- 1. The changes, moved out. Social workers' and volunteers' events, summed per cell, into
  -- their rows: a row that is new, or whose events reach 0, is a key arriving in or leaving the
  -- cell; with the communities' own arrivals and departures, the references to change, summed per
  -- key, county and period (its month and its year).
  WITH moved AS (
    DELETE FROM tally_key_changes
    RETURNING kind, key, community_id, region_code, month, service_type, delta
  ), keyed AS (
    SELECT m.kind, m.key, m.community_id, min(m.region_code) AS region_code, m.month,
           m.service_type, sum(m.delta)::integer AS delta
      FROM moved m WHERE m.kind <> 'community'
     GROUP BY m.kind, m.key, m.community_id, m.month, m.service_type
    HAVING sum(m.delta) <> 0
  ), workers_added AS (
    INSERT INTO tally_social_workers AS r (community_id, region_code, month, service_type,
                                           social_worker_id, events)
    SELECT d.community_id, d.region_code, d.month, d.service_type, d.key::uuid, d.delta
      FROM keyed d WHERE d.kind = 'social_worker' AND d.delta > 0
     ORDER BY 1, 3, 4, 5
    ON CONFLICT (community_id, month, service_type, social_worker_id) DO UPDATE
      SET events = r.events + EXCLUDED.events
    RETURNING r.community_id, r.region_code, r.month, r.service_type,
              r.social_worker_id::text AS key, r.events
  ), workers_taken AS (
    UPDATE tally_social_workers r SET events = r.events + d.delta
      FROM keyed d
     WHERE d.kind = 'social_worker' AND d.delta < 0 AND r.community_id = d.community_id
       AND r.month = d.month AND r.service_type = d.service_type
       AND r.social_worker_id = d.key::uuid
    RETURNING r.community_id, r.region_code, r.month, r.service_type,
              r.social_worker_id::text AS key, r.events
  ), volunteers_added AS (
    INSERT INTO tally_volunteers AS r (community_id, region_code, month, service_type,
                                       volunteer_key, events)
    SELECT d.community_id, d.region_code, d.month, d.service_type, d.key, d.delta
      FROM keyed d WHERE d.kind = 'volunteer' AND d.delta > 0
     ORDER BY 1, 3, 4, 5
    ON CONFLICT (community_id, month, service_type, volunteer_key) DO UPDATE
      SET events = r.events + EXCLUDED.events
    RETURNING r.community_id, r.region_code, r.month, r.service_type,
              r.volunteer_key::text AS key, r.events
  ), volunteers_taken AS (
    UPDATE tally_volunteers r SET events = r.events + d.delta
      FROM keyed d
     WHERE d.kind = 'volunteer' AND d.delta < 0 AND r.community_id = d.community_id
       AND r.month = d.month AND r.service_type = d.service_type AND r.volunteer_key = d.key
    RETURNING r.community_id, r.region_code, r.month, r.service_type,
              r.volunteer_key::text AS key, r.events
  ), written AS (
    SELECT 'social_worker' AS kind, x.* FROM workers_added x
    UNION ALL SELECT 'social_worker', x.* FROM workers_taken x
    UNION ALL SELECT 'volunteer', x.* FROM volunteers_added x
    UNION ALL SELECT 'volunteer', x.* FROM volunteers_taken x
  ), presence AS (
    SELECT m.kind, left(m.region_code, 6) AS county_code, m.month, m.key, m.delta
      FROM moved m WHERE m.kind = 'community'
    UNION ALL
    SELECT w.kind, left(w.region_code, 6), w.month, w.key,
           CASE WHEN w.events = 0 THEN -1 ELSE 1 END
      FROM written w JOIN keyed d
        ON d.kind = w.kind AND d.key = w.key AND d.community_id = w.community_id
       AND d.month = w.month AND d.service_type = w.service_type
     WHERE w.events = 0 OR w.events = d.delta
  ), refs AS (
    SELECT p.kind, p.county_code, r.period, p.key, sum(p.delta)::integer AS delta
      FROM presence p
     CROSS JOIN LATERAL (VALUES (to_char(p.month, 'YYYY-MM')), (to_char(p.month, 'YYYY')))
           AS r(period)
     GROUP BY 1, 2, 3, 4
    HAVING sum(p.delta) <> 0
  )
  SELECT (SELECT count(*) FROM moved),
         (SELECT array_agg(ROW(w.community_id, w.region_code, w.month, w.service_type, w.key,
                               0)::tally_key_cell)
            FROM written w WHERE w.events = 0 AND w.kind = 'social_worker'),
         (SELECT array_agg(ROW(w.community_id, w.region_code, w.month, w.service_type, w.key,
                               0)::tally_key_cell)
            FROM written w WHERE w.events = 0 AND w.kind = 'volunteer'),
         (SELECT array_agg(ROW(r.kind, r.county_code, r.period, r.key, r.delta)
                             ::tally_presence_delta) FROM refs r)
    INTO v_moved, v_gone_workers, v_gone_volunteers, v_refs;
  -- Rows of keys whose events all went (by their keys: the rows' own index).
  IF v_gone_workers IS NOT NULL THEN
    DELETE FROM tally_social_workers r USING unnest(v_gone_workers) g
     WHERE r.community_id = g.community_id AND r.month = g.month
       AND r.service_type = g.service_type AND r.social_worker_id = g.key::uuid
       AND r.events = 0;
  END IF;
  IF v_gone_volunteers IS NOT NULL THEN
    DELETE FROM tally_volunteers r USING unnest(v_gone_volunteers) g
     WHERE r.community_id = g.community_id AND r.month = g.month
       AND r.service_type = g.service_type AND r.volunteer_key = g.key AND r.events = 0;
  END IF;
  IF v_refs IS NULL THEN
    RETURN v_moved;
  END IF;
  -- 2. The references, in key order; a key whose first reference in a county and period arrives
  -- (or whose last leaves) changes the county's count there.
  WITH added AS (
    INSERT INTO tally_presence AS p (kind, period, key, county_code, refs)
    SELECT r.kind, r.period, r.key, r.county_code, r.delta
      FROM unnest(v_refs) r WHERE r.delta > 0
     ORDER BY r.key, r.kind, r.period, r.county_code
    ON CONFLICT (kind, period, key, county_code) DO UPDATE SET refs = p.refs + EXCLUDED.refs
    RETURNING p.kind, p.period, p.key, p.county_code, p.refs
  ), taken AS (
    UPDATE tally_presence p SET refs = p.refs + r.delta
      FROM unnest(v_refs) r
     WHERE r.delta < 0 AND p.kind = r.kind AND p.period = r.period AND p.key = r.key
       AND p.county_code = r.county_code
    RETURNING p.kind, p.period, p.key, p.county_code, p.refs
  )
  SELECT array_agg(ROW(x.kind, x.county_code, x.period, x.key,
                       CASE WHEN x.refs > 0 THEN 1 ELSE -1 END)::tally_presence_delta)
    INTO v_county
    FROM (SELECT * FROM added UNION ALL SELECT * FROM taken) x
    JOIN unnest(v_refs) d
      ON d.kind = x.kind AND d.period = x.period AND d.key = x.key
     AND d.county_code = x.county_code
   WHERE (x.refs > 0) <> (x.refs - d.delta > 0);
  IF v_county IS NULL THEN
    RETURN v_moved;
  END IF;
  -- 3. The counties' counts. Their rows are locked in key order first, as every writer of
  -- tally_county locks them (tally_apply() and the one-outcome path alike), so that a fold and a
  -- writer touching two counties never each hold what the other waits for.
  PERFORM 1 FROM tally_county t
    WHERE (t.period, t.county_code) IN (SELECT c.period, c.county_code FROM unnest(v_county) c)
    ORDER BY t.period, t.county_code
    FOR NO KEY UPDATE;
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
   WHERE t.period = d.period AND t.county_code = d.county_code;
  -- 4. Above the county a key counts once per region: a change of the city's, province's or
  -- country's count unless another county of that region has the key (step 2's references are
  -- this transaction's, and no other fold runs).
  WITH regions AS (
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
  RETURN v_moved;
END
$$;
--> statement-breakpoint
-- tally_apply() as in 0034 with steps 1 and 2's sums; the rest of step 2, and steps 3 and 4, are
-- the fold's.
CREATE OR REPLACE FUNCTION "tally_apply"(p_cells tally_cell[], p_groups tally_group_cell[],
                              p_workers tally_key_cell[], p_volunteers tally_key_cell[],
                              p_awaiting tally_awaiting[] DEFAULT NULL)
  RETURNS void LANGUAGE plpgsql AS $$
DECLARE
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

  -- 2. The fine sums (every data-modifying WITH runs, read or not), and the changes of who
  -- appears where, appended for tally_fold_keys(): a community is present in a cell while its
  -- row (not the adjustments') has events, which the row lock of its upsert decides (of two
  -- transactions changing one cell each sees what the other committed, so exactly one sees the
  -- cell's first events); social workers' and volunteers' events per cell as they are.
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
  )
  INSERT INTO tally_key_changes (kind, key, community_id, region_code, month, service_type, delta)
  SELECT 'community', x.community_id::text, x.community_id, x.region_code, x.month, x.service_type,
         CASE WHEN x.events > 0 THEN 1 ELSE -1 END
    FROM cells_written x JOIN cells d USING (community_id, month, service_type, adjustment)
   WHERE NOT x.adjustment AND (x.events > 0) <> (x.events - d.events > 0)
  UNION ALL
  SELECT 'social_worker', w.key, w.community_id, w.region_code, w.month, w.service_type, w.events
    FROM unnest(p_workers) w WHERE w.events <> 0
  UNION ALL
  SELECT 'volunteer', v.key, v.community_id, v.region_code, v.month, v.service_type, v.events
    FROM unnest(p_volunteers) v WHERE v.events <> 0;
END
$$;
--> statement-breakpoint
-- The one-outcome path of 0035: the county's rows and the fine sums; the keys are the fold's.
CREATE OR REPLACE FUNCTION "tally_outcomes_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_one tally_outcome;
  v_pt bigint;
  v_county_code text;
  v_year text;
  v_month text;
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
  -- One outcome starting or stopping to wait for sign-off, and nothing else (recording one).
  IF v_outcomes IS NULL AND cardinality(v_awaiting) = 1 THEN
    INSERT INTO tally_county AS t (period, county_code, awaiting)
    VALUES (to_char(v_awaiting[1].month, 'YYYY'), left(v_awaiting[1].region_code, 6),
            v_awaiting[1].delta),
           (to_char(v_awaiting[1].month, 'YYYY-MM'), left(v_awaiting[1].region_code, 6),
            v_awaiting[1].delta)
    ON CONFLICT (period, county_code) DO UPDATE SET awaiting = t.awaiting + EXCLUDED.awaiting;
    RETURN NULL;
  END IF;
  -- One outcome coming to count (signing one off), with at most a change of waiting in its own
  -- county and month: what tally_apply() would write for it, in keyed statements.
  IF cardinality(v_outcomes) = 1 AND v_outcomes[1].sign = 1
     AND (v_awaiting IS NULL
          OR (cardinality(v_awaiting) = 1 AND v_awaiting[1].month = v_outcomes[1].month
              AND left(v_awaiting[1].region_code, 6) = left(v_outcomes[1].region_code, 6))) THEN
    v_one := v_outcomes[1];
    v_county_code := left(v_one.region_code, 6);
    v_year := to_char(v_one.month, 'YYYY');
    v_month := to_char(v_one.month, 'YYYY-MM');
    -- 1. The county's rows, the year's first (tally_apply()'s order of locks).
    WITH g AS (
      SELECT coalesce(sum(g.person_times), 0)::bigint AS person_times
        FROM outcome_groups g WHERE g.event_id = v_one.event_id
    ), county AS (
      INSERT INTO tally_county AS t (period, county_code, events, person_times,
                                     volunteers_attended, volunteer_hours, awaiting)
      SELECT p.period, v_county_code, 1, g.person_times, v_one.volunteers_attended,
             v_one.volunteer_hours, coalesce(v_awaiting[1].delta, 0)
        FROM g CROSS JOIN (VALUES (v_year), (v_month)) AS p(period)
       ORDER BY 1
      ON CONFLICT (period, county_code) DO UPDATE
        SET events = t.events + EXCLUDED.events,
            person_times = t.person_times + EXCLUDED.person_times,
            volunteers_attended = t.volunteers_attended + EXCLUDED.volunteers_attended,
            volunteer_hours = t.volunteer_hours + EXCLUDED.volunteer_hours,
            awaiting = t.awaiting + EXCLUDED.awaiting
    )
    SELECT g.person_times INTO v_pt FROM g;
    -- 2. The fine sums, and for tally_fold_keys() the community's arrival in its cell (when the
    -- cell's events go from 0 to 1) and an event more for the lead social worker and each
    -- volunteer in the cell.
    WITH cell AS (
      INSERT INTO tally_rollup AS r (community_id, region_code, month, service_type, adjustment,
                                     events, person_times, volunteers_attended, volunteer_hours)
      VALUES (v_one.community_id, v_one.region_code, v_one.month, v_one.service_type, false, 1,
              v_pt, v_one.volunteers_attended, v_one.volunteer_hours)
      ON CONFLICT (community_id, month, service_type, adjustment) DO UPDATE
        SET events = r.events + EXCLUDED.events,
            person_times = r.person_times + EXCLUDED.person_times,
            volunteers_attended = r.volunteers_attended + EXCLUDED.volunteers_attended,
            volunteer_hours = r.volunteer_hours + EXCLUDED.volunteer_hours
      RETURNING r.events
    ), groups AS (
      INSERT INTO tally_group_rollup AS r (community_id, region_code, month, service_type,
                                           target_group, adjustment, events, person_times)
      SELECT v_one.community_id, v_one.region_code, v_one.month, v_one.service_type,
             g.target_group, false, 1, g.person_times
        FROM outcome_groups g
       WHERE g.event_id = v_one.event_id AND g.person_times > 0
       ORDER BY g.target_group
      ON CONFLICT (community_id, month, service_type, target_group, adjustment) DO UPDATE
        SET events = r.events + EXCLUDED.events,
            person_times = r.person_times + EXCLUDED.person_times
    )
    INSERT INTO tally_key_changes (kind, key, community_id, region_code, month, service_type,
                                   delta)
    SELECT 'community', v_one.community_id::text, v_one.community_id, v_one.region_code,
           v_one.month, v_one.service_type, 1
      FROM cell WHERE cell.events = 1
    UNION ALL
    SELECT 'social_worker', v_one.lead_social_worker_id::text, v_one.community_id,
           v_one.region_code, v_one.month, v_one.service_type, 1
    UNION ALL
    SELECT 'volunteer', v.volunteer_key, v_one.community_id, v_one.region_code, v_one.month,
           v_one.service_type, 1
      FROM outcome_volunteers v WHERE v.event_id = v_one.event_id;
    RETURN NULL;
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
-- The Cron job's fold: the keys' changes first, then the counts above the county.
CREATE OR REPLACE FUNCTION "tally_fold_distinct"() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  v_rows integer;
BEGIN
  PERFORM tally_fold_keys();
  CREATE TEMP TABLE tally_fold ON COMMIT DROP AS
    WITH moved AS (DELETE FROM tally_distinct_changes
                   RETURNING kind, scope_level, scope_code, period, delta)
    SELECT kind, scope_level, scope_code, period, sum(delta)::integer AS delta
      FROM moved GROUP BY 1, 2, 3, 4;
  -- A count's first fold makes its row (at 0: the CHECK would refuse a negative proposal).
  INSERT INTO tally_distinct (kind, scope_level, scope_code, period, n)
  SELECT kind, scope_level, scope_code, period, 0 FROM tally_fold ORDER BY 2, 4, 3, 1
  ON CONFLICT (scope_level, period, scope_code, kind) DO NOTHING;
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
CREATE OR REPLACE FUNCTION "tally_rebuild_fine"() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  -- The changes waiting for a fold are in the records this rebuild reads. After a fold that runs
  -- (its lock first, then its tables in the order it takes them, so the two never deadlock).
  PERFORM tally_fold_lock();
  TRUNCATE tally_key_changes, tally_rollup, tally_group_rollup, tally_social_workers,
           tally_volunteers;
  -- Person-times per target group first: tally_rollup sums them per cell from there, rather than
  -- joining the outcomes to their groups a second time.
  INSERT INTO tally_group_rollup (community_id, region_code, month, service_type, target_group,
                                  adjustment, events, person_times)
  SELECT o.community_id, min(o.region_code), o.month, o.service_type, g.target_group, false,
         count(*) FILTER (WHERE g.person_times > 0), sum(g.person_times)
    FROM outcomes o JOIN outcome_groups g ON g.event_id = o.event_id
   WHERE o.status = 'signed_off'
   GROUP BY o.community_id, o.month, o.service_type, g.target_group
  UNION ALL
  SELECT a.community_id, min(a.region_code), a.month, a.service_type, g.target_group, true, 0,
         sum(g.person_times_delta)
    FROM outcome_adjustments a JOIN outcome_adjustment_groups g ON g.adjustment_id = a.id
   GROUP BY a.community_id, a.month, a.service_type, g.target_group;
  INSERT INTO tally_rollup (community_id, region_code, month, service_type, adjustment,
                            events, person_times, volunteers_attended, volunteer_hours)
  SELECT c.community_id, c.region_code, c.month, c.service_type, c.adjustment, c.events,
         coalesce(g.person_times, 0), c.volunteers_attended, c.volunteer_hours
    FROM (SELECT o.community_id, min(o.region_code) AS region_code, o.month, o.service_type,
                 false AS adjustment, count(*) AS events,
                 sum(o.volunteers_attended) AS volunteers_attended,
                 sum(o.volunteer_hours) AS volunteer_hours
            FROM outcomes o WHERE o.status = 'signed_off'
           GROUP BY o.community_id, o.month, o.service_type
          UNION ALL
          SELECT a.community_id, min(a.region_code), a.month, a.service_type, true, 0,
                 sum(a.volunteers_attended_delta), sum(a.volunteer_hours_delta)
            FROM outcome_adjustments a
           GROUP BY a.community_id, a.month, a.service_type) c
    LEFT JOIN (SELECT community_id, month, service_type, adjustment,
                      sum(person_times) AS person_times
                 FROM tally_group_rollup GROUP BY 1, 2, 3, 4) g
      ON g.community_id = c.community_id AND g.month = c.month
     AND g.service_type = c.service_type AND g.adjustment = c.adjustment;
  INSERT INTO tally_social_workers (community_id, region_code, month, service_type,
                                    social_worker_id, events)
  SELECT o.community_id, min(o.region_code), o.month, o.service_type, o.lead_social_worker_id,
         count(*)
    FROM outcomes o WHERE o.status = 'signed_off'
   GROUP BY o.community_id, o.month, o.service_type, o.lead_social_worker_id;
  INSERT INTO tally_volunteers (community_id, region_code, month, service_type, volunteer_key,
                                events)
  SELECT o.community_id, min(o.region_code), o.month, o.service_type, v.volunteer_key, count(*)
    FROM outcomes o JOIN outcome_volunteers v ON v.event_id = o.event_id
   WHERE o.status = 'signed_off'
   GROUP BY o.community_id, o.month, o.service_type, v.volunteer_key;
END
$$;
--> statement-breakpoint
ALTER FUNCTION "tally_apply"(tally_cell[], tally_group_cell[], tally_key_cell[], tally_key_cell[],
                             tally_awaiting[])
  SET plan_cache_mode = force_generic_plan;
--> statement-breakpoint
ALTER FUNCTION "tally_outcomes_changed"() SET plan_cache_mode = force_generic_plan;
--> statement-breakpoint
DROP TABLE "tally_key_locks";
