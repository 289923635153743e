CREATE TYPE "public"."outcome_status" AS ENUM('recorded', 'signed_off');--> statement-breakpoint
CREATE TABLE "outcome_adjustment_groups" (
	"adjustment_id" uuid NOT NULL,
	"target_group" "target_group" NOT NULL,
	"person_times_delta" integer NOT NULL,
	CONSTRAINT "outcome_adjustment_groups_adjustment_id_target_group_pk" PRIMARY KEY("adjustment_id","target_group")
);
--> statement-breakpoint
CREATE TABLE "outcome_adjustments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"community_id" uuid NOT NULL,
	"region_code" varchar(12) NOT NULL,
	"service_type" "service_type" NOT NULL,
	"month" date NOT NULL,
	"volunteers_attended_delta" integer DEFAULT 0 NOT NULL,
	"volunteer_hours_delta" numeric(12, 1) DEFAULT 0 NOT NULL,
	"reason" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outcome_adjustments_month_is_first_day" CHECK (extract(day from "outcome_adjustments"."month") = 1)
);
--> statement-breakpoint
CREATE TABLE "outcome_groups" (
	"event_id" uuid NOT NULL,
	"target_group" "target_group" NOT NULL,
	"person_times" integer NOT NULL,
	CONSTRAINT "outcome_groups_event_id_target_group_pk" PRIMARY KEY("event_id","target_group"),
	CONSTRAINT "outcome_groups_person_times_range" CHECK ("outcome_groups"."person_times" BETWEEN 0 AND 1000000)
);
--> statement-breakpoint
CREATE TABLE "outcome_volunteers" (
	"event_id" uuid NOT NULL,
	"volunteer_key" varchar(64) NOT NULL,
	CONSTRAINT "outcome_volunteers_event_id_volunteer_key_pk" PRIMARY KEY("event_id","volunteer_key")
);
--> statement-breakpoint
CREATE TABLE "outcomes" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"community_id" uuid NOT NULL,
	"region_code" varchar(12) NOT NULL,
	"service_type" "service_type" NOT NULL,
	"lead_social_worker_id" uuid NOT NULL,
	"month" date NOT NULL,
	"people_served" integer,
	"volunteers_attended" integer NOT NULL,
	"volunteer_hours" numeric(12, 1) NOT NULL,
	"notes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"remarks" text,
	"status" "outcome_status" DEFAULT 'recorded' NOT NULL,
	"recorded_by" uuid,
	"signed_off_by" uuid,
	"signed_off_at" timestamp with time zone,
	"revision" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outcomes_people_served_range" CHECK ("outcomes"."people_served" BETWEEN 0 AND 1000000),
	CONSTRAINT "outcomes_volunteers_range" CHECK ("outcomes"."volunteers_attended" BETWEEN 0 AND 10000),
	CONSTRAINT "outcomes_hours_range" CHECK ("outcomes"."volunteer_hours" >= 0 AND "outcomes"."volunteer_hours" <= "outcomes"."volunteers_attended" * 24),
	CONSTRAINT "outcomes_signed_off_at_matches_status" CHECK (("outcomes"."status" = 'signed_off') = ("outcomes"."signed_off_at" IS NOT NULL)),
	CONSTRAINT "outcomes_month_is_first_day" CHECK (extract(day from "outcomes"."month") = 1)
);
--> statement-breakpoint
CREATE TABLE "period_locks" (
	"region_code" varchar(12) NOT NULL,
	"region_prefix" varchar(12) NOT NULL,
	"month" date NOT NULL,
	"locked_by" uuid,
	"locked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "period_locks_region_code_month_pk" PRIMARY KEY("region_code","month"),
	CONSTRAINT "period_locks_month_is_first_day" CHECK (extract(day from "period_locks"."month") = 1),
	CONSTRAINT "period_locks_prefix_of_code" CHECK (starts_with("period_locks"."region_code", "period_locks"."region_prefix"))
);
--> statement-breakpoint
CREATE TABLE "tally_group_rollup" (
	"community_id" uuid NOT NULL,
	"region_code" varchar(12) NOT NULL,
	"month" date NOT NULL,
	"service_type" "service_type" NOT NULL,
	"target_group" "target_group" NOT NULL,
	"adjustment" boolean NOT NULL,
	"events" integer DEFAULT 0 NOT NULL,
	"person_times" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "tally_group_rollup_community_id_month_service_type_target_group_adjustment_pk" PRIMARY KEY("community_id","month","service_type","target_group","adjustment")
);
--> statement-breakpoint
CREATE TABLE "tally_rollup" (
	"community_id" uuid NOT NULL,
	"region_code" varchar(12) NOT NULL,
	"month" date NOT NULL,
	"service_type" "service_type" NOT NULL,
	"adjustment" boolean NOT NULL,
	"events" integer DEFAULT 0 NOT NULL,
	"person_times" bigint DEFAULT 0 NOT NULL,
	"volunteers_attended" bigint DEFAULT 0 NOT NULL,
	"volunteer_hours" numeric(12, 1) DEFAULT 0 NOT NULL,
	CONSTRAINT "tally_rollup_community_id_month_service_type_adjustment_pk" PRIMARY KEY("community_id","month","service_type","adjustment")
);
--> statement-breakpoint
CREATE TABLE "tally_social_workers" (
	"community_id" uuid NOT NULL,
	"region_code" varchar(12) NOT NULL,
	"month" date NOT NULL,
	"service_type" "service_type" NOT NULL,
	"social_worker_id" uuid NOT NULL,
	"events" integer NOT NULL,
	CONSTRAINT "tally_social_workers_community_id_month_service_type_social_worker_id_pk" PRIMARY KEY("community_id","month","service_type","social_worker_id")
);
--> statement-breakpoint
CREATE TABLE "tally_volunteers" (
	"community_id" uuid NOT NULL,
	"region_code" varchar(12) NOT NULL,
	"month" date NOT NULL,
	"service_type" "service_type" NOT NULL,
	"volunteer_key" varchar(64) NOT NULL,
	"events" integer NOT NULL,
	CONSTRAINT "tally_volunteers_community_id_month_service_type_volunteer_key_pk" PRIMARY KEY("community_id","month","service_type","volunteer_key")
);
--> statement-breakpoint
ALTER TABLE "outcome_adjustment_groups" ADD CONSTRAINT "outcome_adjustment_groups_adjustment_id_outcome_adjustments_id_fk" FOREIGN KEY ("adjustment_id") REFERENCES "public"."outcome_adjustments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcome_adjustments" ADD CONSTRAINT "outcome_adjustments_event_id_outcomes_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."outcomes"("event_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcome_adjustments" ADD CONSTRAINT "outcome_adjustments_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcome_adjustments" ADD CONSTRAINT "outcome_adjustments_created_by_accounts_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcome_groups" ADD CONSTRAINT "outcome_groups_event_id_outcomes_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."outcomes"("event_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcome_volunteers" ADD CONSTRAINT "outcome_volunteers_event_id_outcomes_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."outcomes"("event_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_lead_social_worker_id_social_workers_id_fk" FOREIGN KEY ("lead_social_worker_id") REFERENCES "public"."social_workers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_recorded_by_accounts_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_signed_off_by_accounts_id_fk" FOREIGN KEY ("signed_off_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "period_locks" ADD CONSTRAINT "period_locks_locked_by_accounts_id_fk" FOREIGN KEY ("locked_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outcome_adjustments_event_id_idx" ON "outcome_adjustments" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "outcomes_region_month_idx" ON "outcomes" USING btree ("region_code" varchar_pattern_ops,"month");--> statement-breakpoint
CREATE INDEX "outcomes_month_idx" ON "outcomes" USING btree ("month");--> statement-breakpoint
CREATE INDEX "outcomes_awaiting_sign_off_idx" ON "outcomes" USING btree ("month") WHERE "outcomes"."status" = 'recorded';--> statement-breakpoint
CREATE INDEX "period_locks_month_idx" ON "period_locks" USING btree ("month");--> statement-breakpoint
CREATE INDEX "tally_group_rollup_region_month_idx" ON "tally_group_rollup" USING btree ("region_code" varchar_pattern_ops,"month");--> statement-breakpoint
CREATE INDEX "tally_group_rollup_month_idx" ON "tally_group_rollup" USING btree ("month");--> statement-breakpoint
CREATE INDEX "tally_rollup_region_month_idx" ON "tally_rollup" USING btree ("region_code" varchar_pattern_ops,"month");--> statement-breakpoint
CREATE INDEX "tally_rollup_month_idx" ON "tally_rollup" USING btree ("month");--> statement-breakpoint
CREATE INDEX "tally_social_workers_region_month_idx" ON "tally_social_workers" USING btree ("region_code" varchar_pattern_ops,"month");--> statement-breakpoint
CREATE INDEX "tally_social_workers_month_idx" ON "tally_social_workers" USING btree ("month");--> statement-breakpoint
CREATE INDEX "tally_volunteers_region_month_idx" ON "tally_volunteers" USING btree ("region_code" varchar_pattern_ops,"month");--> statement-breakpoint
CREATE INDEX "tally_volunteers_month_idx" ON "tally_volunteers" USING btree ("month");