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
-- 研判's figures come from these rollups, kept by triggers on `requests` in the same transaction
-- as every change of a request (whichever path makes it: the form, the desk, the Cron job,
-- retention), and recomputed from the records by request_rollup_rebuild(). A request counts in the
-- month (Asia/Shanghai) it was received; its durations are counted in tenths of an hour.
CREATE FUNCTION "request_tenths"(p_from timestamptz, p_to timestamptz) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
  SELECT round(extract(epoch from (p_to - p_from)) / 360)::integer
$$;
--> statement-breakpoint
-- Adds (s = 1) or takes away (s = -1) what some request rows count, set-based: one statement per
-- rollup table whatever the number of rows (the demo's year of requests is one statement).
CREATE FUNCTION "request_rollup_apply"(p_rows "requests"[], s integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(cardinality(p_rows), 0) = 0 THEN RETURN; END IF;
  INSERT INTO request_rollup AS t (community_id, region_code, county_code, month, kind, asker_kind,
    received, accepted, turned_into_needs, resolved, resolved_within_limit, ratings, rating_sum)
  SELECT r.community_id, c.region_code, r.county_code,
    (date_trunc('month', r.created_at AT TIME ZONE 'Asia/Shanghai'))::date, r.kind, r.asker_kind,
    s * count(*), s * count(r.first_answered_at), s * count(r.need_id), s * count(r.resolved_at),
    s * count(*) FILTER (WHERE r.resolved_at <= r.resolve_due_at), s * count(r.rating),
    s * coalesce(sum(r.rating), 0)
  FROM unnest(p_rows) r JOIN communities c ON c.id = r.community_id
  GROUP BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (community_id, month, kind, asker_kind) DO UPDATE SET
    received = t.received + excluded.received,
    accepted = t.accepted + excluded.accepted,
    turned_into_needs = t.turned_into_needs + excluded.turned_into_needs,
    resolved = t.resolved + excluded.resolved,
    resolved_within_limit = t.resolved_within_limit + excluded.resolved_within_limit,
    ratings = t.ratings + excluded.ratings,
    rating_sum = t.rating_sum + excluded.rating_sum;
  INSERT INTO request_duration_rollup AS t (community_id, region_code, county_code, month, kind,
    asker_kind, measure, tenths, requests)
  SELECT r.community_id, c.region_code, r.county_code,
    (date_trunc('month', r.created_at AT TIME ZONE 'Asia/Shanghai'))::date, r.kind, r.asker_kind,
    d.measure, d.tenths, s * count(*)
  FROM unnest(p_rows) r JOIN communities c ON c.id = r.community_id
  CROSS JOIN LATERAL (VALUES
    ('first_answer', request_tenths(r.created_at, r.first_answered_at)),
    ('resolution', request_tenths(r.created_at, r.resolved_at))) AS d(measure, tenths)
  WHERE d.tenths IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
  ON CONFLICT (community_id, month, kind, asker_kind, measure, tenths) DO UPDATE SET
    requests = t.requests + excluded.requests;
  IF s < 0 THEN
    -- A cell or a duration nobody is counted in any more is gone, as after a rebuild.
    DELETE FROM request_rollup t USING unnest(p_rows) r
    WHERE t.received = 0 AND t.community_id = r.community_id AND t.kind = r.kind
      AND t.asker_kind = r.asker_kind
      AND t.month = (date_trunc('month', r.created_at AT TIME ZONE 'Asia/Shanghai'))::date;
    DELETE FROM request_duration_rollup t USING unnest(p_rows) r
    WHERE t.requests = 0 AND t.community_id = r.community_id AND t.kind = r.kind
      AND t.asker_kind = r.asker_kind
      AND t.month = (date_trunc('month', r.created_at AT TIME ZONE 'Asia/Shanghai'))::date;
  END IF;
END
$$;
--> statement-breakpoint
-- One trigger per statement: what the statement changed, from its transition tables. An update
-- moves the rollups only for the rows where something the figures count changed (not forwarding,
-- reminders or retention's anonymising).
CREATE FUNCTION "request_rollup_trigger"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM request_rollup_apply(ARRAY(SELECT ROW(n.*)::requests FROM new_rows n), 1);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM request_rollup_apply(ARRAY(SELECT ROW(o.*)::requests FROM old_rows o), -1);
  ELSE
    PERFORM request_rollup_apply(ARRAY(
      SELECT ROW(o.*)::requests FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (o.community_id, o.county_code, o.kind, o.asker_kind, o.created_at,
             o.first_answered_at, o.need_id, o.resolved_at, o.resolve_due_at, o.rating)
            IS DISTINCT FROM
            (n.community_id, n.county_code, n.kind, n.asker_kind, n.created_at,
             n.first_answered_at, n.need_id, n.resolved_at, n.resolve_due_at, n.rating)), -1);
    PERFORM request_rollup_apply(ARRAY(
      SELECT ROW(n.*)::requests FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (o.community_id, o.county_code, o.kind, o.asker_kind, o.created_at,
             o.first_answered_at, o.need_id, o.resolved_at, o.resolve_due_at, o.rating)
            IS DISTINCT FROM
            (n.community_id, n.county_code, n.kind, n.asker_kind, n.created_at,
             n.first_answered_at, n.need_id, n.resolved_at, n.resolve_due_at, n.rating)), 1);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "request_rollup_insert" AFTER INSERT ON "requests"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION request_rollup_trigger();
--> statement-breakpoint
CREATE TRIGGER "request_rollup_update" AFTER UPDATE ON "requests"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION request_rollup_trigger();
--> statement-breakpoint
CREATE TRIGGER "request_rollup_delete" AFTER DELETE ON "requests"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION request_rollup_trigger();
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
