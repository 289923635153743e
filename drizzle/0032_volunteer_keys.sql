CREATE TABLE "volunteer_keys" (
	"key" varchar(64) PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"mobile_hash" varchar(64),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"forgotten_at" timestamp with time zone,
	CONSTRAINT "volunteer_keys_linked_or_forgotten" CHECK (("volunteer_keys"."mobile_hash" IS NULL) = ("volunteer_keys"."forgotten_at" IS NOT NULL))
);
--> statement-breakpoint
ALTER TABLE "signups" ADD COLUMN "volunteer_key" varchar(64);--> statement-breakpoint
CREATE UNIQUE INDEX "volunteer_keys_mobile_hash_key" ON "volunteer_keys" USING btree ("mobile_hash");--> statement-breakpoint
ALTER TABLE "signups" ADD CONSTRAINT "signups_volunteer_key_volunteer_keys_key_fk" FOREIGN KEY ("volunteer_key") REFERENCES "public"."volunteer_keys"("key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Hand-written from here: the backfill. Until now outcome_volunteers, tally_volunteers,
-- tally_presence and tally_key_locks held the keyed hash of the mobile (HMAC with DATA_KEY) as the
-- volunteer's key, forever: anyone with DATA_KEY could test a number against them. Each distinct
-- hash gets one random surrogate key, the tables are rewritten to it (a one-to-one change, so every
-- distinct count stays what it was), checked-in sign-ups keep their key for later re-recording,
-- and the link is dropped at once for every hash no live sign-up or directory volunteer holds.
INSERT INTO "volunteer_keys" ("mobile_hash")
SELECT "volunteer_key" FROM "outcome_volunteers"
UNION SELECT "volunteer_key" FROM "tally_volunteers"
UNION SELECT "key" FROM "tally_presence" WHERE "kind" = 'volunteer'
UNION SELECT "key" FROM "tally_key_locks" WHERE "kind" = 'volunteer'
UNION SELECT "mobile_hash" FROM "signups" WHERE "status" = 'attended' AND "anonymised_at" IS NULL;
--> statement-breakpoint
UPDATE "signups" s SET "volunteer_key" = k."key"
  FROM "volunteer_keys" k
 WHERE k."mobile_hash" = s."mobile_hash" AND s."status" = 'attended' AND s."anonymised_at" IS NULL;
--> statement-breakpoint
-- Checked-in sign-ups already anonymised hold a random hash: each takes one of its outcome's keys
-- that no live sign-up and no directory volunteer accounts for (which one does not matter, they
-- are anonymous), so that re-recording the outcome counts the same keys.
WITH "spare" AS (
  SELECT v."event_id", v."volunteer_key" AS "hash",
         row_number() OVER (PARTITION BY v."event_id" ORDER BY v."volunteer_key") AS "n"
    FROM "outcome_volunteers" v
   WHERE NOT EXISTS (SELECT 1 FROM "signups" s
                      WHERE s."event_id" = v."event_id" AND s."status" = 'attended'
                        AND s."anonymised_at" IS NULL AND s."mobile_hash" = v."volunteer_key")
     AND NOT EXISTS (SELECT 1 FROM "volunteers" d WHERE d."mobile_hash" = v."volunteer_key")
), "gone" AS (
  SELECT s."id", s."event_id",
         row_number() OVER (PARTITION BY s."event_id" ORDER BY s."id") AS "n"
    FROM "signups" s
   WHERE s."status" = 'attended' AND s."anonymised_at" IS NOT NULL
)
UPDATE "signups" s SET "volunteer_key" = k."key"
  FROM "gone" g
  JOIN "spare" p ON p."event_id" = g."event_id" AND p."n" = g."n"
  JOIN "volunteer_keys" k ON k."mobile_hash" = p."hash"
 WHERE s."id" = g."id";
--> statement-breakpoint
-- The rest (no outcome yet, or more check-ins than it counted) are new people, already forgotten.
WITH "fresh" AS MATERIALIZED (
  SELECT "id", gen_random_uuid()::text AS "key" FROM "signups"
   WHERE "status" = 'attended' AND "anonymised_at" IS NOT NULL AND "volunteer_key" IS NULL
), "made" AS (
  INSERT INTO "volunteer_keys" ("key", "mobile_hash", "forgotten_at")
  SELECT "key", NULL, now() FROM "fresh"
)
UPDATE "signups" s SET "volunteer_key" = f."key" FROM "fresh" f WHERE s."id" = f."id";
--> statement-breakpoint
-- Rewritten in place: old hashes (64 hex digits) and new keys (uuid text) never collide. The
-- outcome_volunteers triggers (closed months, rollups) stand aside: the rollups are rewritten below.
ALTER TABLE "outcome_volunteers" DISABLE TRIGGER USER;
--> statement-breakpoint
UPDATE "outcome_volunteers" v SET "volunteer_key" = k."key"
  FROM "volunteer_keys" k WHERE k."mobile_hash" = v."volunteer_key";
--> statement-breakpoint
ALTER TABLE "outcome_volunteers" ENABLE TRIGGER USER;
--> statement-breakpoint
UPDATE "tally_volunteers" t SET "volunteer_key" = k."key"
  FROM "volunteer_keys" k WHERE k."mobile_hash" = t."volunteer_key";
--> statement-breakpoint
UPDATE "tally_presence" p SET "key" = k."key"
  FROM "volunteer_keys" k WHERE p."kind" = 'volunteer' AND k."mobile_hash" = p."key";
--> statement-breakpoint
UPDATE "tally_key_locks" l SET "key" = k."key"
  FROM "volunteer_keys" k WHERE l."kind" = 'volunteer' AND k."mobile_hash" = l."key";
--> statement-breakpoint
-- What retention does from now on (signups/retention.ts), once for what it already anonymised.
UPDATE "volunteer_keys" k SET "mobile_hash" = NULL, "forgotten_at" = now()
 WHERE k."mobile_hash" IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM "signups" s
                    WHERE s."mobile_hash" = k."mobile_hash" AND s."anonymised_at" IS NULL)
   AND NOT EXISTS (SELECT 1 FROM "volunteers" d WHERE d."mobile_hash" = k."mobile_hash");
