DROP INDEX "notifications_reminder_once_key";--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "about_starts_at" timestamp with time zone;--> statement-breakpoint
-- Reminders written before this column existed are about the start in their text.
UPDATE "notifications" SET "about_starts_at" = ("payload"->>'startsAt')::timestamptz;--> statement-breakpoint
ALTER TABLE "signups" ADD COLUMN "arrival_seq" bigint;--> statement-breakpoint
-- Existing sign-ups arrive in the order they were stamped; new ones take the sequence under the lock.
UPDATE "signups" AS s SET "arrival_seq" = o.n
  FROM (SELECT "id", row_number() OVER (ORDER BY "created_at", "id") AS n FROM "signups") AS o
  WHERE o."id" = s."id";--> statement-breakpoint
SELECT setval('signup_waitlist_seq', GREATEST(
  (SELECT coalesce(max("arrival_seq"), 0) FROM "signups"),
  (SELECT "last_value" FROM "signup_waitlist_seq")));--> statement-breakpoint
ALTER TABLE "signups" ALTER COLUMN "arrival_seq" SET DEFAULT nextval('signup_waitlist_seq');--> statement-breakpoint
ALTER TABLE "signups" ALTER COLUMN "arrival_seq" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "signups_event_arrival_idx" ON "signups" USING btree ("event_id","arrival_seq");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_reminder_once_key" ON "notifications" USING btree ("signup_id","about_starts_at") WHERE "notifications"."kind" = 'reminder' AND "notifications"."status" IN ('pending', 'sent', 'failed');
