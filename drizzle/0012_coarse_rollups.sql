CREATE TABLE "tally_area" (
	"county_code" varchar(6) NOT NULL,
	"month" date NOT NULL,
	"adjustment" boolean NOT NULL,
	"events" integer DEFAULT 0 NOT NULL,
	"person_times" bigint DEFAULT 0 NOT NULL,
	"volunteers_attended" bigint DEFAULT 0 NOT NULL,
	"volunteer_hours" numeric(14, 1) DEFAULT 0 NOT NULL,
	CONSTRAINT "tally_area_county_code_month_adjustment_pk" PRIMARY KEY("county_code","month","adjustment")
);
--> statement-breakpoint
CREATE TABLE "tally_distinct" (
	"kind" varchar(16) NOT NULL,
	"scope_level" varchar(8) NOT NULL,
	"scope_code" varchar(6) NOT NULL,
	"period" varchar(7) NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "tally_distinct_scope_level_period_scope_code_kind_pk" PRIMARY KEY("scope_level","period","scope_code","kind"),
	CONSTRAINT "tally_distinct_scope_level" CHECK ("tally_distinct"."scope_level" IN ('country', 'province', 'city', 'county')),
	CONSTRAINT "tally_distinct_n_not_negative" CHECK ("tally_distinct"."n" >= 0)
);
--> statement-breakpoint
CREATE TABLE "tally_presence" (
	"kind" varchar(16) NOT NULL,
	"period" varchar(7) NOT NULL,
	"key" varchar(64) NOT NULL,
	"county_code" varchar(6) NOT NULL,
	"refs" integer NOT NULL,
	CONSTRAINT "tally_presence_kind_period_key_county_code_pk" PRIMARY KEY("kind","period","key","county_code"),
	CONSTRAINT "tally_presence_refs_positive" CHECK ("tally_presence"."refs" > 0)
);
--> statement-breakpoint
DROP INDEX "outcomes_awaiting_sign_off_idx";--> statement-breakpoint
CREATE INDEX "tally_area_prefix_month_idx" ON "tally_area" USING btree ("county_code" varchar_pattern_ops,"month");--> statement-breakpoint
CREATE INDEX "tally_area_month_idx" ON "tally_area" USING btree ("month");--> statement-breakpoint
CREATE INDEX "outcomes_awaiting_sign_off_idx" ON "outcomes" USING btree ("region_code" varchar_pattern_ops,"month") WHERE "outcomes"."status" = 'recorded';