-- Hand-written: drizzle-orm has no trigger builder.
-- 1. An outcome's copies of its event (community, region, service type, lead, month) come from
--    the event itself, whatever the application sends.
-- 2. Closed months (period_locks) refuse every change to the outcomes they cover.
-- 3. Outcomes are never deleted; adjustments are append-only.
-- 4. The tally rollups are kept in the same transaction as every outcome write, so that every
--    tally equals the sum of the signed-off outcome records it covers.

-- 1 -----------------------------------------------------------------------------------------
CREATE FUNCTION "outcomes_copy_event"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT e.community_id, c.region_code, e.service_type, e.lead_social_worker_id,
         date_trunc('month', e.starts_at AT TIME ZONE 'Asia/Shanghai')::date
    INTO NEW.community_id, NEW.region_code, NEW.service_type, NEW.lead_social_worker_id, NEW.month
    FROM events e JOIN communities c ON c.id = e.community_id
   WHERE e.id = NEW.event_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation',
      CONSTRAINT = 'outcomes_event_id_events_id_fk', MESSAGE = 'outcome of an unknown event';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "outcomes_copy_event" BEFORE INSERT OR UPDATE ON "outcomes"
  FOR EACH ROW EXECUTE FUNCTION "outcomes_copy_event"();
--> statement-breakpoint

-- 2 -----------------------------------------------------------------------------------------
CREATE FUNCTION "period_is_locked"(p_region_code text, p_month date) RETURNS boolean
  LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
    SELECT 1 FROM period_locks l
     WHERE l.month = p_month AND starts_with(p_region_code, l.region_prefix)
  )
$$;
--> statement-breakpoint
CREATE FUNCTION "refuse_closed_period"(p_region_code text, p_month date) RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  IF period_is_locked(p_region_code, p_month) THEN
    RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'outcomes_period_open',
      MESSAGE = format('the month %s is closed for region %s', p_month, p_region_code);
  END IF;
END
$$;
--> statement-breakpoint
CREATE FUNCTION "outcomes_period_open"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION USING ERRCODE = 'restrict_violation', CONSTRAINT = 'outcomes_kept',
      MESSAGE = 'outcomes are never deleted';
  END IF;
  IF TG_OP = 'UPDATE' THEN
    PERFORM refuse_closed_period(OLD.region_code, OLD.month);
  END IF;
  PERFORM refuse_closed_period(NEW.region_code, NEW.month);
  RETURN NEW;
END
$$;
--> statement-breakpoint
-- Named to fire after outcomes_copy_event (BEFORE triggers run in name order).
CREATE TRIGGER "outcomes_period_open" BEFORE INSERT OR UPDATE OR DELETE ON "outcomes"
  FOR EACH ROW EXECUTE FUNCTION "outcomes_period_open"();
--> statement-breakpoint
-- The rows of an outcome (person-times per group, attending volunteers) follow its month's lock.
CREATE FUNCTION "outcome_rows_period_open"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  parent outcomes;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    SELECT * INTO parent FROM outcomes WHERE event_id = OLD.event_id;
    IF FOUND THEN PERFORM refuse_closed_period(parent.region_code, parent.month); END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    SELECT * INTO parent FROM outcomes WHERE event_id = NEW.event_id;
    IF FOUND THEN PERFORM refuse_closed_period(parent.region_code, parent.month); END IF;
    RETURN NEW;
  END IF;
  RETURN OLD;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "outcome_groups_period_open" BEFORE INSERT OR UPDATE OR DELETE ON "outcome_groups"
  FOR EACH ROW EXECUTE FUNCTION "outcome_rows_period_open"();
--> statement-breakpoint
CREATE TRIGGER "outcome_volunteers_period_open" BEFORE INSERT OR UPDATE OR DELETE
  ON "outcome_volunteers" FOR EACH ROW EXECUTE FUNCTION "outcome_rows_period_open"();
--> statement-breakpoint

-- 3 -----------------------------------------------------------------------------------------
-- An adjustment copies its outcome's community, region and service type, and is booked in an
-- open month. Once written it never changes.
CREATE FUNCTION "outcome_adjustments_prepare"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT o.community_id, o.region_code, o.service_type
    INTO NEW.community_id, NEW.region_code, NEW.service_type
    FROM outcomes o WHERE o.event_id = NEW.event_id;
  PERFORM refuse_closed_period(NEW.region_code, NEW.month);
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "outcome_adjustments_prepare" BEFORE INSERT ON "outcome_adjustments"
  FOR EACH ROW EXECUTE FUNCTION "outcome_adjustments_prepare"();
--> statement-breakpoint
CREATE FUNCTION "refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'restrict_violation', CONSTRAINT = TG_TABLE_NAME || '_append_only',
    MESSAGE = TG_TABLE_NAME || ' is append-only';
END
$$;
--> statement-breakpoint
CREATE TRIGGER "outcome_adjustments_append_only" BEFORE UPDATE OR DELETE ON "outcome_adjustments"
  FOR EACH ROW EXECUTE FUNCTION "refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "outcome_adjustment_groups_append_only" BEFORE UPDATE OR DELETE
  ON "outcome_adjustment_groups" FOR EACH ROW EXECUTE FUNCTION "refuse_change"();
--> statement-breakpoint

-- 4 -----------------------------------------------------------------------------------------
-- Adds (sign = 1) or removes (sign = -1) everything a signed-off outcome contributes, reading
-- its current group and volunteer rows. The row triggers below are written so that the deltas
-- telescope: whichever of an outcome and its rows changes first, the rollups end equal to the
-- sum over the outcomes as they are at commit.
CREATE FUNCTION "tally_outcome"(o outcomes, sign integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  person_times_total bigint;
BEGIN
  IF o.status <> 'signed_off' THEN
    RETURN;
  END IF;
  SELECT coalesce(sum(g.person_times), 0) INTO person_times_total
    FROM outcome_groups g WHERE g.event_id = o.event_id;
  INSERT INTO tally_rollup AS r (community_id, region_code, month, service_type, adjustment,
                                 events, person_times, volunteers_attended, volunteer_hours)
  VALUES (o.community_id, o.region_code, o.month, o.service_type, false,
          sign, sign * person_times_total, sign * o.volunteers_attended, sign * o.volunteer_hours)
  ON CONFLICT (community_id, month, service_type, adjustment) DO UPDATE
    SET events = r.events + EXCLUDED.events,
        person_times = r.person_times + EXCLUDED.person_times,
        volunteers_attended = r.volunteers_attended + EXCLUDED.volunteers_attended,
        volunteer_hours = r.volunteer_hours + EXCLUDED.volunteer_hours;
  INSERT INTO tally_group_rollup AS r (community_id, region_code, month, service_type,
                                       target_group, adjustment, events, person_times)
  SELECT o.community_id, o.region_code, o.month, o.service_type, g.target_group, false,
         sign * (g.person_times > 0)::int, sign * g.person_times
    FROM outcome_groups g WHERE g.event_id = o.event_id
  ON CONFLICT (community_id, month, service_type, target_group, adjustment) DO UPDATE
    SET events = r.events + EXCLUDED.events, person_times = r.person_times + EXCLUDED.person_times;
  INSERT INTO tally_social_workers AS r (community_id, region_code, month, service_type,
                                         social_worker_id, events)
  VALUES (o.community_id, o.region_code, o.month, o.service_type, o.lead_social_worker_id, sign)
  ON CONFLICT (community_id, month, service_type, social_worker_id) DO UPDATE
    SET events = r.events + EXCLUDED.events;
  DELETE FROM tally_social_workers
   WHERE community_id = o.community_id AND month = o.month AND service_type = o.service_type
     AND social_worker_id = o.lead_social_worker_id AND events = 0;
  INSERT INTO tally_volunteers AS r (community_id, region_code, month, service_type,
                                     volunteer_key, events)
  SELECT o.community_id, o.region_code, o.month, o.service_type, v.volunteer_key, sign
    FROM outcome_volunteers v WHERE v.event_id = o.event_id
  ON CONFLICT (community_id, month, service_type, volunteer_key) DO UPDATE
    SET events = r.events + EXCLUDED.events;
  DELETE FROM tally_volunteers t
   WHERE t.community_id = o.community_id AND t.month = o.month
     AND t.service_type = o.service_type AND t.events = 0
     AND t.volunteer_key IN (SELECT v.volunteer_key FROM outcome_volunteers v
                              WHERE v.event_id = o.event_id);
END
$$;
--> statement-breakpoint
CREATE FUNCTION "outcomes_tally"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM tally_outcome(OLD, -1); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM tally_outcome(NEW, 1); END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "outcomes_tally" AFTER INSERT OR UPDATE OR DELETE ON "outcomes"
  FOR EACH ROW EXECUTE FUNCTION "outcomes_tally"();
--> statement-breakpoint
-- One group row of a signed-off outcome, added or removed.
CREATE FUNCTION "tally_outcome_group"(p_event_id uuid, p_target_group target_group,
                                      p_person_times integer, sign integer)
  RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  o outcomes;
BEGIN
  SELECT * INTO o FROM outcomes WHERE event_id = p_event_id;
  IF NOT FOUND OR o.status <> 'signed_off' THEN
    RETURN;
  END IF;
  UPDATE tally_rollup SET person_times = person_times + sign * p_person_times
   WHERE community_id = o.community_id AND month = o.month AND service_type = o.service_type
     AND NOT adjustment;
  INSERT INTO tally_group_rollup AS r (community_id, region_code, month, service_type,
                                       target_group, adjustment, events, person_times)
  VALUES (o.community_id, o.region_code, o.month, o.service_type, p_target_group, false,
          sign * (p_person_times > 0)::int, sign * p_person_times)
  ON CONFLICT (community_id, month, service_type, target_group, adjustment) DO UPDATE
    SET events = r.events + EXCLUDED.events, person_times = r.person_times + EXCLUDED.person_times;
END
$$;
--> statement-breakpoint
CREATE FUNCTION "outcome_groups_tally"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM tally_outcome_group(OLD.event_id, OLD.target_group, OLD.person_times, -1);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM tally_outcome_group(NEW.event_id, NEW.target_group, NEW.person_times, 1);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "outcome_groups_tally" AFTER INSERT OR UPDATE OR DELETE ON "outcome_groups"
  FOR EACH ROW EXECUTE FUNCTION "outcome_groups_tally"();
--> statement-breakpoint
CREATE FUNCTION "tally_outcome_volunteer"(p_event_id uuid, p_volunteer_key text, sign integer)
  RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  o outcomes;
BEGIN
  SELECT * INTO o FROM outcomes WHERE event_id = p_event_id;
  IF NOT FOUND OR o.status <> 'signed_off' THEN
    RETURN;
  END IF;
  INSERT INTO tally_volunteers AS r (community_id, region_code, month, service_type,
                                     volunteer_key, events)
  VALUES (o.community_id, o.region_code, o.month, o.service_type, p_volunteer_key, sign)
  ON CONFLICT (community_id, month, service_type, volunteer_key) DO UPDATE
    SET events = r.events + EXCLUDED.events;
  DELETE FROM tally_volunteers
   WHERE community_id = o.community_id AND month = o.month AND service_type = o.service_type
     AND volunteer_key = p_volunteer_key AND events = 0;
END
$$;
--> statement-breakpoint
CREATE FUNCTION "outcome_volunteers_tally"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM tally_outcome_volunteer(OLD.event_id, OLD.volunteer_key, -1); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM tally_outcome_volunteer(NEW.event_id, NEW.volunteer_key, 1); END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "outcome_volunteers_tally" AFTER INSERT OR UPDATE OR DELETE ON "outcome_volunteers"
  FOR EACH ROW EXECUTE FUNCTION "outcome_volunteers_tally"();
--> statement-breakpoint
-- Adjustments are booked in their own month as `adjustment` rows: no events, only corrections.
CREATE FUNCTION "outcome_adjustments_tally"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO tally_rollup AS r (community_id, region_code, month, service_type, adjustment,
                                 events, person_times, volunteers_attended, volunteer_hours)
  VALUES (NEW.community_id, NEW.region_code, NEW.month, NEW.service_type, true,
          0, 0, NEW.volunteers_attended_delta, NEW.volunteer_hours_delta)
  ON CONFLICT (community_id, month, service_type, adjustment) DO UPDATE
    SET volunteers_attended = r.volunteers_attended + EXCLUDED.volunteers_attended,
        volunteer_hours = r.volunteer_hours + EXCLUDED.volunteer_hours;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "outcome_adjustments_tally" AFTER INSERT ON "outcome_adjustments"
  FOR EACH ROW EXECUTE FUNCTION "outcome_adjustments_tally"();
--> statement-breakpoint
CREATE FUNCTION "outcome_adjustment_groups_tally"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  a outcome_adjustments;
BEGIN
  SELECT * INTO a FROM outcome_adjustments WHERE id = NEW.adjustment_id;
  PERFORM refuse_closed_period(a.region_code, a.month);
  UPDATE tally_rollup SET person_times = person_times + NEW.person_times_delta
   WHERE community_id = a.community_id AND month = a.month AND service_type = a.service_type
     AND adjustment;
  INSERT INTO tally_group_rollup AS r (community_id, region_code, month, service_type,
                                       target_group, adjustment, events, person_times)
  VALUES (a.community_id, a.region_code, a.month, a.service_type, NEW.target_group, true,
          0, NEW.person_times_delta)
  ON CONFLICT (community_id, month, service_type, target_group, adjustment) DO UPDATE
    SET person_times = r.person_times + EXCLUDED.person_times;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "outcome_adjustment_groups_tally" AFTER INSERT ON "outcome_adjustment_groups"
  FOR EACH ROW EXECUTE FUNCTION "outcome_adjustment_groups_tally"();
--> statement-breakpoint
-- Rebuilds every rollup from the records in one pass (bulk loads, or a check that the
-- incrementally kept rollups have not drifted: tests compare both).
CREATE FUNCTION "tally_rebuild"() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM tally_rollup;
  DELETE FROM tally_group_rollup;
  DELETE FROM tally_social_workers;
  DELETE FROM tally_volunteers;
  INSERT INTO tally_rollup (community_id, region_code, month, service_type, adjustment,
                            events, person_times, volunteers_attended, volunteer_hours)
  SELECT o.community_id, min(o.region_code), o.month, o.service_type, false, count(*),
         coalesce(sum(g.total), 0), sum(o.volunteers_attended), sum(o.volunteer_hours)
    FROM outcomes o
    LEFT JOIN (SELECT event_id, sum(person_times) AS total FROM outcome_groups GROUP BY event_id) g
      ON g.event_id = o.event_id
   WHERE o.status = 'signed_off'
   GROUP BY o.community_id, o.month, o.service_type;
  INSERT INTO tally_rollup (community_id, region_code, month, service_type, adjustment,
                            events, person_times, volunteers_attended, volunteer_hours)
  SELECT a.community_id, min(a.region_code), a.month, a.service_type, true, 0,
         coalesce(sum(g.total), 0), sum(a.volunteers_attended_delta), sum(a.volunteer_hours_delta)
    FROM outcome_adjustments a
    LEFT JOIN (SELECT adjustment_id, sum(person_times_delta) AS total
                 FROM outcome_adjustment_groups GROUP BY adjustment_id) g
      ON g.adjustment_id = a.id
   GROUP BY a.community_id, a.month, a.service_type;
  INSERT INTO tally_group_rollup (community_id, region_code, month, service_type, target_group,
                                  adjustment, events, person_times)
  SELECT o.community_id, min(o.region_code), o.month, o.service_type, g.target_group, false,
         count(*) FILTER (WHERE g.person_times > 0), sum(g.person_times)
    FROM outcomes o JOIN outcome_groups g ON g.event_id = o.event_id
   WHERE o.status = 'signed_off'
   GROUP BY o.community_id, o.month, o.service_type, g.target_group;
  INSERT INTO tally_group_rollup (community_id, region_code, month, service_type, target_group,
                                  adjustment, events, person_times)
  SELECT a.community_id, min(a.region_code), a.month, a.service_type, g.target_group, true, 0,
         sum(g.person_times_delta)
    FROM outcome_adjustments a JOIN outcome_adjustment_groups g ON g.adjustment_id = a.id
   GROUP BY a.community_id, a.month, a.service_type, g.target_group;
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
