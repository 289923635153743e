CREATE TABLE "request_duration_rollup" (
	"community_id" uuid NOT NULL,
	"region_code" varchar(12) NOT NULL,
	"county_code" varchar(6) NOT NULL,
	"month" date NOT NULL,
	"kind" "request_kind" NOT NULL,
	"asker_kind" "asker_kind" NOT NULL,
	"measure" varchar(12) NOT NULL,
	"tenths" integer NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "request_duration_rollup_community_id_month_kind_asker_kind_measure_tenths_pk" PRIMARY KEY("community_id","month","kind","asker_kind","measure","tenths"),
	CONSTRAINT "request_duration_rollup_measure" CHECK ("request_duration_rollup"."measure" IN ('first_answer', 'resolution'))
);
--> statement-breakpoint
CREATE TABLE "request_rollup" (
	"community_id" uuid NOT NULL,
	"region_code" varchar(12) NOT NULL,
	"county_code" varchar(6) NOT NULL,
	"month" date NOT NULL,
	"kind" "request_kind" NOT NULL,
	"asker_kind" "asker_kind" NOT NULL,
	"received" integer DEFAULT 0 NOT NULL,
	"accepted" integer DEFAULT 0 NOT NULL,
	"turned_into_needs" integer DEFAULT 0 NOT NULL,
	"resolved" integer DEFAULT 0 NOT NULL,
	"resolved_within_limit" integer DEFAULT 0 NOT NULL,
	"ratings" integer DEFAULT 0 NOT NULL,
	"rating_sum" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "request_rollup_community_id_month_kind_asker_kind_pk" PRIMARY KEY("community_id","month","kind","asker_kind")
);
--> statement-breakpoint
CREATE INDEX "request_duration_rollup_region_month_idx" ON "request_duration_rollup" USING btree ("region_code" varchar_pattern_ops,"month");--> statement-breakpoint
CREATE INDEX "request_rollup_region_month_idx" ON "request_rollup" USING btree ("region_code" varchar_pattern_ops,"month");--> statement-breakpoint
-- 研判's figures come from these rollups, kept by one trigger on `requests` in the same transaction
-- as every change of a request (whichever path makes it: the form, the desk, the Cron job,
-- retention), and recomputed from the records by request_rollup_rebuild(). A request counts in the
-- month (Asia/Shanghai) it was received; its durations are counted in tenths of an hour.
CREATE FUNCTION "request_tenths"(p_from timestamptz, p_to timestamptz) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
  SELECT round(extract(epoch from (p_to - p_from)) / 360)::integer
$$;
--> statement-breakpoint
CREATE FUNCTION "request_rollup_add"(r "requests", s integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_region varchar(12);
  v_month date := (date_trunc('month', r.created_at AT TIME ZONE 'Asia/Shanghai'))::date;
  v_measure text;
  v_tenths integer;
BEGIN
  SELECT c.region_code INTO v_region FROM communities c WHERE c.id = r.community_id;
  INSERT INTO request_rollup AS t (community_id, region_code, county_code, month, kind, asker_kind,
    received, accepted, turned_into_needs, resolved, resolved_within_limit, ratings, rating_sum)
  VALUES (r.community_id, v_region, r.county_code, v_month, r.kind, r.asker_kind, s,
    s * (r.first_answered_at IS NOT NULL)::int,
    s * (r.need_id IS NOT NULL)::int,
    s * (r.resolved_at IS NOT NULL)::int,
    s * coalesce(r.resolved_at <= r.resolve_due_at, false)::int,
    s * (r.rating IS NOT NULL)::int,
    s * coalesce(r.rating, 0))
  ON CONFLICT (community_id, month, kind, asker_kind) DO UPDATE SET
    received = t.received + excluded.received,
    accepted = t.accepted + excluded.accepted,
    turned_into_needs = t.turned_into_needs + excluded.turned_into_needs,
    resolved = t.resolved + excluded.resolved,
    resolved_within_limit = t.resolved_within_limit + excluded.resolved_within_limit,
    ratings = t.ratings + excluded.ratings,
    rating_sum = t.rating_sum + excluded.rating_sum;
  IF s < 0 THEN
    DELETE FROM request_rollup t WHERE t.community_id = r.community_id AND t.month = v_month
      AND t.kind = r.kind AND t.asker_kind = r.asker_kind AND t.received = 0;
  END IF;
  FOREACH v_measure IN ARRAY ARRAY['first_answer', 'resolution'] LOOP
    v_tenths := CASE v_measure
      WHEN 'first_answer' THEN request_tenths(r.created_at, r.first_answered_at)
      ELSE request_tenths(r.created_at, r.resolved_at) END;
    CONTINUE WHEN v_tenths IS NULL;
    INSERT INTO request_duration_rollup AS t (community_id, region_code, county_code, month, kind,
      asker_kind, measure, tenths, requests)
    VALUES (r.community_id, v_region, r.county_code, v_month, r.kind, r.asker_kind, v_measure,
      v_tenths, s)
    ON CONFLICT (community_id, month, kind, asker_kind, measure, tenths) DO UPDATE SET
      requests = t.requests + excluded.requests;
    IF s < 0 THEN
      DELETE FROM request_duration_rollup t WHERE t.community_id = r.community_id
        AND t.month = v_month AND t.kind = r.kind AND t.asker_kind = r.asker_kind
        AND t.measure = v_measure AND t.tenths = v_tenths AND t.requests = 0;
    END IF;
  END LOOP;
END
$$;
--> statement-breakpoint
CREATE FUNCTION "request_rollup_trigger"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM request_rollup_add(OLD, -1); END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN PERFORM request_rollup_add(NEW, 1); END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "request_rollup_insert_delete" AFTER INSERT OR DELETE ON "requests"
  FOR EACH ROW EXECUTE FUNCTION request_rollup_trigger();
--> statement-breakpoint
-- Only a change of what the figures count moves the rollups (not forwarding, reminders or
-- retention's anonymising).
CREATE TRIGGER "request_rollup_update" AFTER UPDATE ON "requests" FOR EACH ROW
  WHEN ((OLD.community_id, OLD.county_code, OLD.kind, OLD.asker_kind, OLD.created_at,
         OLD.first_answered_at, OLD.need_id, OLD.resolved_at, OLD.resolve_due_at, OLD.rating)
        IS DISTINCT FROM
        (NEW.community_id, NEW.county_code, NEW.kind, NEW.asker_kind, NEW.created_at,
         NEW.first_answered_at, NEW.need_id, NEW.resolved_at, NEW.resolve_due_at, NEW.rating))
  EXECUTE FUNCTION request_rollup_trigger();
--> statement-breakpoint
-- What an operator runs after a fix (and the tests' oracle): every rollup from the records, one
-- statement per table.
CREATE FUNCTION "request_rollup_rebuild"() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM request_rollup;
  DELETE FROM request_duration_rollup;
  INSERT INTO request_rollup (community_id, region_code, county_code, month, kind, asker_kind,
    received, accepted, turned_into_needs, resolved, resolved_within_limit, ratings, rating_sum)
  SELECT r.community_id, c.region_code, r.county_code,
    (date_trunc('month', r.created_at AT TIME ZONE 'Asia/Shanghai'))::date, r.kind, r.asker_kind,
    count(*), count(r.first_answered_at), count(r.need_id), count(r.resolved_at),
    count(*) FILTER (WHERE r.resolved_at <= r.resolve_due_at), count(r.rating),
    coalesce(sum(r.rating), 0)
  FROM requests r JOIN communities c ON c.id = r.community_id
  GROUP BY 1, 2, 3, 4, 5, 6;
  INSERT INTO request_duration_rollup (community_id, region_code, county_code, month, kind,
    asker_kind, measure, tenths, requests)
  SELECT r.community_id, c.region_code, r.county_code,
    (date_trunc('month', r.created_at AT TIME ZONE 'Asia/Shanghai'))::date, r.kind, r.asker_kind,
    d.measure, d.tenths, count(*)
  FROM requests r JOIN communities c ON c.id = r.community_id
  CROSS JOIN LATERAL (VALUES
    ('first_answer', request_tenths(r.created_at, r.first_answered_at)),
    ('resolution', request_tenths(r.created_at, r.resolved_at))) AS d(measure, tenths)
  WHERE d.tenths IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
END
$$;
--> statement-breakpoint
SELECT request_rollup_rebuild();
