-- Hand-written: drizzle-orm has no range type and no EXCLUDE builder.
-- Invariant: no social worker and no volunteer team is ever in two overlapping non-cancelled
-- events, whatever the application does. Ranges are half-open, so back-to-back events are fine.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "during" tstzrange
  GENERATED ALWAYS AS (tstzrange("starts_at", "ends_at", '[)')) STORED;
--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_lead_no_overlap"
  EXCLUDE USING gist ("lead_social_worker_id" WITH =, "during" WITH &&)
  WHERE ("status" <> 'cancelled');
--> statement-breakpoint
ALTER TABLE "event_teams" ADD COLUMN "during" tstzrange
  GENERATED ALWAYS AS (tstzrange("starts_at", "ends_at", '[)')) STORED;
--> statement-breakpoint
ALTER TABLE "event_teams" ADD CONSTRAINT "event_teams_team_no_overlap"
  EXCLUDE USING gist ("team_id" WITH =, "during" WITH &&)
  WHERE ("active");
--> statement-breakpoint
-- event_teams carries copies of its event's time and status (the constraint needs them in the
-- row); these triggers make the copies impossible to get wrong.
CREATE FUNCTION "event_teams_copy_event"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT e.starts_at, e.ends_at, e.status <> 'cancelled'
    INTO NEW.starts_at, NEW.ends_at, NEW.active
    FROM events e WHERE e.id = NEW.event_id;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "event_teams_copy_event" BEFORE INSERT OR UPDATE ON "event_teams"
  FOR EACH ROW EXECUTE FUNCTION "event_teams_copy_event"();
--> statement-breakpoint
CREATE FUNCTION "events_sync_teams"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Touching the rows is enough: event_teams_copy_event copies the new values in.
  UPDATE event_teams SET active = active WHERE event_id = NEW.id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "events_sync_teams" AFTER UPDATE OF "starts_at", "ends_at", "status" ON "events"
  FOR EACH ROW EXECUTE FUNCTION "events_sync_teams"();
