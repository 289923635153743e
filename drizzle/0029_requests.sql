CREATE TYPE "public"."asker_kind" AS ENUM('resident', 'family_elderly', 'family_child', 'delivery_rider', 'courier', 'ride_hailing_driver', 'truck_driver', 'other');--> statement-breakpoint
CREATE TYPE "public"."request_audience" AS ENUM('requester', 'desk', 'department');--> statement-breakpoint
CREATE TYPE "public"."request_kind" AS ENUM('lecture', 'neighbourhood_watch', 'mediation', 'first_aid', 'counselling', 'legal_aid', 'elderly_care', 'child_care', 'emergency', 'recreation', 'suggestion');--> statement-breakpoint
CREATE TYPE "public"."request_message_kind" AS ENUM('received', 'forwarded', 'accepted', 'answered', 'resolved', 'reminder', 'escalated', 'overdue');--> statement-breakpoint
CREATE TYPE "public"."request_status" AS ENUM('received', 'accepted', 'resolved', 'answered');--> statement-breakpoint
CREATE TYPE "public"."request_step_kind" AS ENUM('received', 'forwarded', 'escalated', 'accepted', 'answered', 'resolved', 'rated');--> statement-breakpoint
CREATE TYPE "public"."station_kind" AS ENUM('love_station', 'drivers_home', 'other');--> statement-breakpoint
CREATE TABLE "request_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"audience" "request_audience" NOT NULL,
	"kind" "request_message_kind" NOT NULL,
	"region_code" varchar(12),
	"text" text NOT NULL,
	"status" "notification_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "request_steps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"kind" "request_step_kind" NOT NULL,
	"desk_name" text,
	"note" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tracking_code" varchar(10) NOT NULL,
	"token_hash" varchar(64) NOT NULL,
	"token_sealed" text,
	"community_id" uuid NOT NULL,
	"station_id" uuid,
	"desk_community_id" uuid,
	"desk_region_code" varchar(12) NOT NULL,
	"county_code" varchar(6) NOT NULL,
	"asker_kind" "asker_kind" NOT NULL,
	"kind" "request_kind" NOT NULL,
	"description" text NOT NULL,
	"mobile_ciphertext" text,
	"mobile_hash" varchar(64),
	"mobile_masked" varchar(11),
	"consent_at" timestamp with time zone,
	"status" "request_status" DEFAULT 'received' NOT NULL,
	"need_id" uuid,
	"reply" text,
	"answer_due_at" timestamp with time zone NOT NULL,
	"resolve_due_at" timestamp with time zone NOT NULL,
	"first_answered_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"reminded_at" timestamp with time zone,
	"escalated_at" timestamp with time zone,
	"rating" smallint,
	"rating_comment" text,
	"rated_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"anonymised_at" timestamp with time zone,
	CONSTRAINT "requests_rating_range" CHECK ("requests"."rating" IS NULL OR ("requests"."rating" BETWEEN 1 AND 5 AND "requests"."rated_at" IS NOT NULL)),
	CONSTRAINT "requests_mobile_with_consent" CHECK ("requests"."mobile_ciphertext" IS NULL OR "requests"."consent_at" IS NOT NULL),
	CONSTRAINT "requests_accepted_has_need" CHECK ("requests"."status" <> 'accepted' OR "requests"."need_id" IS NOT NULL),
	CONSTRAINT "requests_desk_shape" CHECK (("requests"."desk_community_id" IS NULL) = (length("requests"."desk_region_code") = 6))
);
--> statement-breakpoint
CREATE TABLE "stations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"community_id" uuid NOT NULL,
	"kind" "station_kind" NOT NULL,
	"name" text NOT NULL,
	"address" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "request_messages" ADD CONSTRAINT "request_messages_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_steps" ADD CONSTRAINT "request_steps_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests" ADD CONSTRAINT "requests_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests" ADD CONSTRAINT "requests_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests" ADD CONSTRAINT "requests_desk_community_id_communities_id_fk" FOREIGN KEY ("desk_community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests" ADD CONSTRAINT "requests_need_id_needs_id_fk" FOREIGN KEY ("need_id") REFERENCES "public"."needs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stations" ADD CONSTRAINT "stations_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "request_messages_pending_idx" ON "request_messages" USING btree ("created_at") WHERE "request_messages"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "request_messages_request_idx" ON "request_messages" USING btree ("request_id");--> statement-breakpoint
CREATE UNIQUE INDEX "request_messages_once_key" ON "request_messages" USING btree ("request_id","kind","audience") WHERE "request_messages"."kind" IN ('reminder', 'escalated', 'overdue');--> statement-breakpoint
CREATE INDEX "request_steps_request_idx" ON "request_steps" USING btree ("request_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "requests_tracking_code_key" ON "requests" USING btree ("tracking_code");--> statement-breakpoint
CREATE UNIQUE INDEX "requests_token_hash_key" ON "requests" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "requests_desk_idx" ON "requests" USING btree ("desk_community_id","status");--> statement-breakpoint
CREATE INDEX "requests_desk_region_idx" ON "requests" USING btree ("desk_region_code");--> statement-breakpoint
CREATE INDEX "requests_county_created_idx" ON "requests" USING btree ("county_code","created_at");--> statement-breakpoint
CREATE INDEX "requests_need_idx" ON "requests" USING btree ("need_id");--> statement-breakpoint
CREATE INDEX "stations_community_idx" ON "stations" USING btree ("community_id");