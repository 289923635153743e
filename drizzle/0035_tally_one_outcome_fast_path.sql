-- Hand-written (issue 17, item 3): one outcome, the request's case, written by keyed statements.
--
-- Recording and signing off one outcome cost +1.3 to +2.1 ms per request with the rollup
-- triggers (bench/tallies). Much of it was not the rows written but the statements writing them:
-- tally_apply()'s statements are made for arrays of any size (unnest, GROUP BY, sorts, hash joins
-- and a dozen CTEs in one plan), and setting up and tearing down such a plan costs more than
-- running it for one outcome's handful of rows. Now tally_outcomes_changed() writes the common
-- cases itself, in plain keyed statements:
--   * one outcome starting (or stopping) to wait for sign-off, and nothing else (recording one):
--     the county's year and month rows, one VALUES statement;
--   * one outcome coming to count (signing one off, or inserting it signed off), with at most a
--     change of waiting in its own county and month: (1) the county's rows; (2) in one statement
--     the fine rows, the references of keys new to a fine cell, and for keys new to the county
--     (arrivals) their locks and the county's distinct counts; (3) only when keys arrived, the
--     counts of the city, province and country.
-- Everything else (several outcomes in a statement, an outcome that stops counting, one moved to
-- another county or month, rows of outcome_groups and outcome_volunteers of a signed-off outcome)
-- goes through tally_apply() as before. Both paths write the same rows, taking row locks in the
-- same order (the county's year row, its month row, rows of that county, then key locks), so the
-- rollups stay equal to tally_rebuild() whichever path a statement takes.
CREATE OR REPLACE FUNCTION "tally_outcomes_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_one tally_outcome;
  v_pt bigint;
  v_county_code text;
  v_year text;
  v_month text;
  v_county tally_presence_delta[];
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
    -- 2. The fine rows; for keys new to a fine cell, a reference in the county's month and year;
    -- for keys whose first reference there that is (an arrival), the key's lock and the county's
    -- distinct counts. A community arrives in its cell when the cell's events go from 0 to 1; a
    -- social worker or volunteer when its row is new (events 1: rows at 0 are deleted).
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
    ), worker AS (
      INSERT INTO tally_social_workers AS r (community_id, region_code, month, service_type,
                                             social_worker_id, events)
      VALUES (v_one.community_id, v_one.region_code, v_one.month, v_one.service_type,
              v_one.lead_social_worker_id, 1)
      ON CONFLICT (community_id, month, service_type, social_worker_id) DO UPDATE
        SET events = r.events + EXCLUDED.events
      RETURNING r.events
    ), volunteers AS (
      INSERT INTO tally_volunteers AS r (community_id, region_code, month, service_type,
                                         volunteer_key, events)
      SELECT v_one.community_id, v_one.region_code, v_one.month, v_one.service_type,
             v.volunteer_key, 1
        FROM outcome_volunteers v
       WHERE v.event_id = v_one.event_id
       ORDER BY v.volunteer_key
      ON CONFLICT (community_id, month, service_type, volunteer_key) DO UPDATE
        SET events = r.events + EXCLUDED.events
      RETURNING r.volunteer_key, r.events
    ), keys AS (
      SELECT 'community' AS kind, v_one.community_id::text AS key FROM cell WHERE cell.events = 1
      UNION ALL
      SELECT 'social_worker', v_one.lead_social_worker_id::text FROM worker WHERE worker.events = 1
      UNION ALL
      SELECT 'volunteer', v.volunteer_key FROM volunteers v WHERE v.events = 1
    ), refs AS (
      INSERT INTO tally_presence AS p (kind, period, key, county_code, refs)
      SELECT k.kind, p.period, k.key, v_county_code, 1
        FROM keys k CROSS JOIN (VALUES (v_month), (v_year)) AS p(period)
       ORDER BY 3, 1, 2
      ON CONFLICT (kind, period, key, county_code) DO UPDATE SET refs = p.refs + EXCLUDED.refs
      RETURNING p.kind, p.period, p.key, p.refs
    ), arrived AS (
      SELECT r.kind, r.period, r.key FROM refs r WHERE r.refs = 1
    ), locks AS (
      -- As in tally_apply() (step 4): the key's lock, so that of two transactions bringing it
      -- into two counties of a region the second sees the first's presence (statement 3).
      INSERT INTO tally_key_locks AS k (kind, key)
      SELECT DISTINCT a.kind, a.key FROM arrived a ORDER BY 2, 1
      ON CONFLICT (kind, key) DO UPDATE SET kind = EXCLUDED.kind WHERE false
    ), counties AS (
      UPDATE tally_county t
         SET volunteers = t.volunteers + d.volunteers,
             social_workers = t.social_workers + d.social_workers,
             communities = t.communities + d.communities
        FROM (SELECT a.period, count(*) FILTER (WHERE a.kind = 'volunteer') AS volunteers,
                     count(*) FILTER (WHERE a.kind = 'social_worker') AS social_workers,
                     count(*) FILTER (WHERE a.kind = 'community') AS communities
                FROM arrived a GROUP BY 1) d
       WHERE t.period = d.period AND t.county_code = v_county_code
    )
    SELECT array_agg(ROW(a.kind, v_county_code, a.period, a.key, 1)::tally_presence_delta)
      INTO v_county
      FROM arrived a;
    -- 3. The counts of the county's city, province and the country, for the keys no other county
    -- of that region has (in a new statement: after the key's lock, in a snapshot that holds what
    -- another transaction bringing the key elsewhere committed). tally_apply()'s step 4 for
    -- arrivals in one county.
    IF v_county IS NOT NULL THEN
      -- Each key's references in the county's other counties in one look (its rows lie
      -- together in tally_presence's key), then the regions no other county of theirs shares.
      INSERT INTO tally_distinct_changes (kind, scope_level, scope_code, period, delta)
      SELECT a.kind, r.level, r.code, a.period, count(*)::integer
        FROM unnest(v_county) a
       CROSS JOIN LATERAL (
               SELECT coalesce(bool_or(starts_with(p.county_code, left(v_county_code, 4))), false)
                        AS in_city,
                      coalesce(bool_or(starts_with(p.county_code, left(v_county_code, 2))), false)
                        AS in_province,
                      count(*) > 0 AS in_country
                 FROM tally_presence p
                WHERE p.key = a.key AND p.kind = a.kind AND p.period = a.period AND p.refs > 0
                  AND p.county_code <> v_county_code) o
       CROSS JOIN LATERAL (VALUES ('city', left(v_county_code, 4) || '00', o.in_city),
                                  ('province', left(v_county_code, 2) || '0000', o.in_province),
                                  ('country', '000000', o.in_country)) AS r(level, code, elsewhere)
       WHERE NOT r.elsewhere
       GROUP BY 1, 2, 3, 4;
    END IF;
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
-- CREATE OR REPLACE drops the SET of 0034: one plan per statement and session, made once.
ALTER FUNCTION "tally_outcomes_changed"() SET plan_cache_mode = force_generic_plan;
