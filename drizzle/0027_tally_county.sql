CREATE TABLE "tally_county" (
	"period" varchar(7) NOT NULL,
	"county_code" varchar(6) NOT NULL,
	"events" integer DEFAULT 0 NOT NULL,
	"person_times" bigint DEFAULT 0 NOT NULL,
	"volunteers_attended" bigint DEFAULT 0 NOT NULL,
	"volunteer_hours" numeric(14, 1) DEFAULT 0 NOT NULL,
	"adjusted_person_times" bigint DEFAULT 0 NOT NULL,
	"adjusted_volunteers_attended" bigint DEFAULT 0 NOT NULL,
	"adjusted_volunteer_hours" numeric(14, 1) DEFAULT 0 NOT NULL,
	"volunteers" integer DEFAULT 0 NOT NULL,
	"social_workers" integer DEFAULT 0 NOT NULL,
	"communities" integer DEFAULT 0 NOT NULL,
	"awaiting" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "tally_county_period_county_code_pk" PRIMARY KEY("period","county_code")
);
--> statement-breakpoint
CREATE TABLE "tally_key_locks" (
	"kind" varchar(16) NOT NULL,
	"key" varchar(64) NOT NULL,
	CONSTRAINT "tally_key_locks_kind_key_pk" PRIMARY KEY("kind","key")
);
--> statement-breakpoint
ALTER TABLE "tally_area" DISABLE ROW LEVEL SECURITY;--> statement-breakpoint
DROP TABLE "tally_area" CASCADE;--> statement-breakpoint
ALTER TABLE "tally_presence" DROP CONSTRAINT "tally_presence_refs_positive";--> statement-breakpoint
ALTER TABLE "tally_presence" DROP CONSTRAINT "tally_presence_kind_period_key_county_code_pk";--> statement-breakpoint
ALTER TABLE "tally_presence" ADD CONSTRAINT "tally_presence_key_kind_period_county_code_pk" PRIMARY KEY("key","kind","period","county_code");--> statement-breakpoint
CREATE INDEX "tally_county_period_prefix_idx" ON "tally_county" USING btree ("period","county_code" varchar_pattern_ops);--> statement-breakpoint
ALTER TABLE "tally_presence" ADD CONSTRAINT "tally_presence_refs_not_negative" CHECK ("tally_presence"."refs" >= 0);