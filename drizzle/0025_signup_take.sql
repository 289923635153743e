-- Hand-written: a poster crowd signs up at once, so a sign-up is ONE statement (one round trip,
-- its own transaction), not a transaction of nine. The service (src/signups/service.ts) stays its
-- only caller: it validates, seals the mobile, hashes the private link's token and draws the
-- candidate confirmation codes; this function does what needs the database's locks.

-- The one definition of what an outbox message is made from (NotificationPayload in
-- src/notifications/kinds.ts): the event as it is now, its place, the volunteer's code. Instants
-- are written as JavaScript's toISOString() writes them (UTC, milliseconds), which the sender
-- compares against (a reminder for a moved event no longer holds).
CREATE FUNCTION "notification_payload"(
  "title" text,
  "starts_at" timestamptz,
  "ends_at" timestamptz,
  "community_name" text,
  "address" text,
  "confirmation_code" text
) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'eventTitle', "title",
    'startsAt', to_char("starts_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'endsAt', to_char("ends_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'place', CASE WHEN coalesce("address", '') = '' THEN "community_name"
                  ELSE "community_name" || '（' || "address" || '）' END,
    'confirmationCode', "confirmation_code")
$$;
--> statement-breakpoint
-- Takes a sign-up for an event, or says why not: outcome 'missing' (no such event), 'refused'
-- (cancelled, over or closed at p_now; the event's state is returned for the service to say
-- which), 'existing' (this mobile hash already holds a non-cancelled sign-up: it is returned
-- unchanged) or 'created' (confirmed while places are left, else waitlisted in arrival order,
-- with the first free one of p_codes and its outbox message).
-- The locks are the services' own, in their order: the event FOR SHARE (it cannot be cancelled
-- or moved meanwhile), then its counter row FOR UPDATE, which queues every change of the event's
-- places. Each statement of a PL/pgSQL function takes a new snapshot under READ COMMITTED, so
-- what is read after the counter lock includes every sign-up committed before it was granted.
-- The counter's CHECK, the partial unique index and the deferred no-idle-place trigger still
-- guard every write.
CREATE FUNCTION "signup_take"(
  "p_event_id" uuid,
  "p_now" timestamptz,
  "p_name" text,
  "p_mobile_ciphertext" text,
  "p_mobile_hash" varchar,
  "p_mobile_masked" varchar,
  "p_skills" service_type[],
  "p_manage_token_hash" varchar,
  "p_manage_token_sealed" text,
  "p_codes" text[],
  OUT "outcome" text,
  OUT "signup_id" uuid,
  OUT "signup_status" signup_status,
  OUT "signup_code" varchar,
  OUT "waitlist_position" integer,
  OUT "event_status" event_status,
  OUT "event_starts_at" timestamptz,
  OUT "event_ends_at" timestamptz,
  OUT "event_closes_at" timestamptz
) LANGUAGE plpgsql AS $$
DECLARE
  "v_capacity" integer;
  "v_confirmed" integer;
  "v_waitlist_seq" bigint;
BEGIN
  SELECT e."status", e."starts_at", e."ends_at", e."signup_closes_at"
    INTO "event_status", "event_starts_at", "event_ends_at", "event_closes_at"
    FROM "events" AS e WHERE e."id" = "p_event_id" FOR SHARE;
  IF NOT FOUND THEN
    "outcome" := 'missing';
    RETURN;
  END IF;
  -- assertTakingSignUps (src/signups/service.ts) in SQL; the service names the reason.
  IF "event_status" <> 'scheduled' OR "event_ends_at" <= "p_now"
     OR coalesce("event_closes_at", "event_starts_at") <= "p_now" THEN
    "outcome" := 'refused';
    RETURN;
  END IF;

  SELECT c."capacity", c."confirmed" INTO "v_capacity", "v_confirmed"
    FROM "event_signup_counters" AS c WHERE c."event_id" = "p_event_id" FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'event % has no sign-up counter', "p_event_id";
  END IF;

  SELECT s."id", s."status", s."waitlist_seq"
    INTO "signup_id", "signup_status", "v_waitlist_seq"
    FROM "signups" AS s
    WHERE s."event_id" = "p_event_id" AND s."mobile_hash" = "p_mobile_hash"
      AND s."status" <> 'cancelled';
  IF FOUND THEN
    "outcome" := 'existing';
  ELSE
    -- Sign-ups of one event run one at a time (the counter lock), so a free code stays free.
    SELECT c."code" INTO "signup_code"
      FROM unnest("p_codes") WITH ORDINALITY AS c("code", "n")
      WHERE NOT EXISTS (
        SELECT 1 FROM "signups" AS s
        WHERE s."event_id" = "p_event_id" AND s."confirmation_code" = c."code")
      ORDER BY c."n" LIMIT 1;
    IF "signup_code" IS NULL THEN
      RAISE EXCEPTION 'no free confirmation code among % candidates', cardinality("p_codes");
    END IF;
    "signup_status" := CASE WHEN "v_confirmed" < "v_capacity" THEN 'confirmed' ELSE 'waitlisted' END;
    -- arrival_seq takes its default (the same sequence) here, under the lock: arrival order.
    INSERT INTO "signups" ("event_id", "name", "mobile_ciphertext", "mobile_hash",
        "mobile_masked", "skills", "status", "waitlist_seq", "confirmation_code",
        "manage_token_hash", "manage_token_sealed", "consent_at", "created_at", "updated_at")
      VALUES ("p_event_id", "p_name", "p_mobile_ciphertext", "p_mobile_hash", "p_mobile_masked",
        "p_skills", "signup_status",
        CASE WHEN "signup_status" = 'waitlisted' THEN nextval('signup_waitlist_seq') END,
        "signup_code", "p_manage_token_hash", "p_manage_token_sealed", "p_now", "p_now", "p_now")
      RETURNING "id", "waitlist_seq" INTO "signup_id", "v_waitlist_seq";
    "outcome" := 'created';
  END IF;

  -- 1 for the first on the waitlist (waitlistPosition in src/signups/queries.ts).
  IF "signup_status" = 'waitlisted' THEN
    SELECT count(*) INTO "waitlist_position" FROM "signups" AS s
      WHERE s."event_id" = "p_event_id" AND s."status" = 'waitlisted'
        AND s."waitlist_seq" <= "v_waitlist_seq";
  END IF;

  IF "outcome" = 'created' THEN
    INSERT INTO "notifications" ("kind", "signup_id", "event_id", "payload", "about_starts_at")
      SELECT
        CASE WHEN "signup_status" = 'confirmed' THEN 'signup_confirmed' ELSE 'waitlisted' END::notification_kind,
        "signup_id", e."id",
        notification_payload(e."title", e."starts_at", e."ends_at", cm."name", cm."address",
          "signup_code")
          || CASE WHEN "signup_status" = 'waitlisted'
               THEN jsonb_build_object('waitlistPosition', "waitlist_position")
               ELSE '{}'::jsonb END,
        e."starts_at"
      FROM "events" AS e JOIN "communities" AS cm ON cm."id" = e."community_id"
      WHERE e."id" = "p_event_id";
  END IF;
END
$$;
