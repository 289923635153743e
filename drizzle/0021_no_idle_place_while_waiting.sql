-- Hand-written: drizzle-orm has no trigger builder.
-- Invariant: while an event is scheduled, no place stays free while a volunteer waits for one.
-- Whatever path frees or adds a place (a cancellation, a raised capacity), the same transaction
-- must promote the first waitlisted volunteers; checked at commit (DEFERRABLE INITIALLY DEFERRED),
-- so a transaction may free a place and fill it in either order. It reads no clock: after an event
-- has ended the services refuse every change to its sign-ups and capacity instead.
CREATE FUNCTION "signups_no_idle_place"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1
    FROM "event_signup_counters" AS c
    JOIN "events" AS e ON e."id" = c."event_id"
    WHERE c."event_id" = NEW."event_id"
      AND c."confirmed" < c."capacity"
      AND e."status" = 'scheduled'
      AND EXISTS (
        SELECT 1 FROM "signups" AS s
        WHERE s."event_id" = NEW."event_id" AND s."status" = 'waitlisted'
      )
  ) THEN
    RAISE EXCEPTION 'a place of an event is free while volunteers wait for one'
      USING ERRCODE = '23514', CONSTRAINT = 'signups_no_idle_place';
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "signups_no_idle_place" AFTER INSERT OR UPDATE OF "status" ON "signups"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "signups_no_idle_place"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "event_signup_counters_no_idle_place" AFTER UPDATE ON "event_signup_counters"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "signups_no_idle_place"();
