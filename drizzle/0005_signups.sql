CREATE TYPE "public"."signup_status" AS ENUM('confirmed', 'waitlisted', 'cancelled', 'attended');--> statement-breakpoint
CREATE SEQUENCE "public"."signup_waitlist_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "event_signup_counters" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"capacity" integer NOT NULL,
	"confirmed" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "event_signup_counters_within_capacity" CHECK ("event_signup_counters"."confirmed" >= 0 AND "event_signup_counters"."confirmed" <= "event_signup_counters"."capacity")
);
--> statement-breakpoint
CREATE TABLE "signups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"name" text NOT NULL,
	"mobile_ciphertext" text NOT NULL,
	"mobile_hash" varchar(64) NOT NULL,
	"mobile_masked" varchar(11) NOT NULL,
	"skills" "service_type"[] DEFAULT '{}' NOT NULL,
	"status" "signup_status" NOT NULL,
	"waitlist_seq" bigint,
	"confirmation_code" varchar(6) NOT NULL,
	"manage_token_hash" varchar(64) NOT NULL,
	"consent_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "signups_waitlisted_has_seq" CHECK ("signups"."status" <> 'waitlisted' OR "signups"."waitlist_seq" IS NOT NULL),
	CONSTRAINT "signups_cancelled_at_matches_status" CHECK (("signups"."status" = 'cancelled') = ("signups"."cancelled_at" IS NOT NULL))
);
--> statement-breakpoint
ALTER TABLE "event_signup_counters" ADD CONSTRAINT "event_signup_counters_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signups" ADD CONSTRAINT "signups_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "signups_event_mobile_active_key" ON "signups" USING btree ("event_id","mobile_hash") WHERE "signups"."status" <> 'cancelled';--> statement-breakpoint
CREATE UNIQUE INDEX "signups_event_confirmation_code_key" ON "signups" USING btree ("event_id","confirmation_code");--> statement-breakpoint
CREATE UNIQUE INDEX "signups_manage_token_hash_key" ON "signups" USING btree ("manage_token_hash");--> statement-breakpoint
CREATE INDEX "signups_event_waitlist_idx" ON "signups" USING btree ("event_id","waitlist_seq") WHERE "signups"."status" = 'waitlisted';