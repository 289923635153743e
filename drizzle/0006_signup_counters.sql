-- Hand-written: drizzle-orm has no trigger builder.
-- Invariant: confirmed sign-ups of an event never exceed its capacity, whatever the application
-- does. event_signup_counters holds one row per event; these triggers keep its `capacity` equal
-- to the event's and its `confirmed` equal to the event's confirmed + attended sign-ups, so its
-- CHECK (confirmed <= capacity) refuses any write that would overbook (SQLSTATE 23514).
CREATE FUNCTION "events_make_signup_counter"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO event_signup_counters (event_id, capacity) VALUES (NEW.id, NEW.capacity);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "events_make_signup_counter" AFTER INSERT ON "events"
  FOR EACH ROW EXECUTE FUNCTION "events_make_signup_counter"();
--> statement-breakpoint
-- Lowering an event's capacity below its confirmed sign-ups fails the counter's CHECK.
CREATE FUNCTION "events_copy_capacity"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE event_signup_counters SET capacity = NEW.capacity WHERE event_id = NEW.id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "events_copy_capacity" AFTER UPDATE OF "capacity" ON "events"
  FOR EACH ROW WHEN (OLD.capacity IS DISTINCT FROM NEW.capacity)
  EXECUTE FUNCTION "events_copy_capacity"();
--> statement-breakpoint
-- A sign-up holds a place while confirmed or attended.
CREATE FUNCTION "signups_count_places"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  held_before boolean := TG_OP <> 'INSERT' AND OLD.status IN ('confirmed', 'attended');
  held_after boolean := TG_OP <> 'DELETE' AND NEW.status IN ('confirmed', 'attended');
BEGIN
  IF held_before AND held_after AND OLD.event_id = NEW.event_id THEN
    RETURN NULL;
  END IF;
  IF held_before THEN
    UPDATE event_signup_counters SET confirmed = confirmed - 1 WHERE event_id = OLD.event_id;
  END IF;
  IF held_after THEN
    UPDATE event_signup_counters SET confirmed = confirmed + 1 WHERE event_id = NEW.event_id;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "signups_count_places" AFTER INSERT OR DELETE OR UPDATE OF "status", "event_id"
  ON "signups" FOR EACH ROW EXECUTE FUNCTION "signups_count_places"();
--> statement-breakpoint
INSERT INTO "event_signup_counters" ("event_id", "capacity")
  SELECT "id", "capacity" FROM "events"
  ON CONFLICT ("event_id") DO NOTHING;
