CREATE TABLE "tally_distinct_changes" (
	"kind" varchar(16) NOT NULL,
	"scope_level" varchar(8) NOT NULL,
	"scope_code" varchar(6) NOT NULL,
	"period" varchar(7) NOT NULL,
	"delta" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "tally_distinct_changes_key_idx" ON "tally_distinct_changes" USING btree ("scope_level","period","scope_code","kind");