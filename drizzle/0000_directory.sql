CREATE TYPE "public"."certificate_level" AS ENUM('junior', 'intermediate', 'senior');--> statement-breakpoint
CREATE TYPE "public"."organisation_kind" AS ENUM('university', 'agency', 'volunteer_org');--> statement-breakpoint
CREATE TYPE "public"."region_level" AS ENUM('province', 'city', 'county', 'street', 'community');--> statement-breakpoint
CREATE TYPE "public"."role" AS ENUM('admin', 'department', 'coordinator', 'social_worker');--> statement-breakpoint
CREATE TYPE "public"."service_type" AS ENUM('lecture', 'neighbourhood_watch', 'mediation', 'first_aid', 'counselling', 'legal_aid', 'elderly_care', 'child_care', 'emergency', 'recreation');--> statement-breakpoint
CREATE TYPE "public"."target_group" AS ENUM('elderly', 'children', 'delivery_rider', 'courier', 'ride_hailing_driver', 'truck_driver', 'disabled', 'residents');--> statement-breakpoint
CREATE TABLE "accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"role" "role" NOT NULL,
	"region_code" varchar(12),
	"community_id" uuid,
	"social_worker_id" uuid,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accounts_scope_matches_role" CHECK (CASE "accounts"."role"
        WHEN 'admin' THEN "accounts"."region_code" IS NULL AND "accounts"."community_id" IS NULL AND "accounts"."social_worker_id" IS NULL
        WHEN 'department' THEN "accounts"."region_code" IS NOT NULL AND "accounts"."community_id" IS NULL AND "accounts"."social_worker_id" IS NULL
        WHEN 'coordinator' THEN "accounts"."community_id" IS NOT NULL AND "accounts"."region_code" IS NULL AND "accounts"."social_worker_id" IS NULL
        WHEN 'social_worker' THEN "accounts"."social_worker_id" IS NOT NULL AND "accounts"."region_code" IS NULL AND "accounts"."community_id" IS NULL
      END)
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"token_hash" varchar(64) NOT NULL,
	"label" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"account_id" uuid,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text,
	"before" jsonb,
	"after" jsonb,
	"request_id" text
);
--> statement-breakpoint
CREATE TABLE "communities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"region_code" varchar(12) NOT NULL,
	"county_code" varchar(6) NOT NULL,
	"name" text NOT NULL,
	"address" text,
	"is_pilot" boolean DEFAULT false NOT NULL,
	"coordinator_name" text,
	"coordinator_phone" varchar(20),
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "communities_county_matches_region" CHECK (left("communities"."region_code", 6) = "communities"."county_code")
);
--> statement-breakpoint
CREATE TABLE "organisations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" "organisation_kind" NOT NULL,
	"region_code" varchar(12),
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "social_workers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"certificate_level" "certificate_level" NOT NULL,
	"skills" "service_type"[] DEFAULT '{}' NOT NULL,
	"home_county_code" varchar(6) NOT NULL,
	"organisation_id" uuid,
	"weekly_capacity" smallint DEFAULT 3 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "social_workers_home_county_is_county" CHECK ("social_workers"."home_county_code" ~ '^[0-9]{4}(0[1-9]|[1-9][0-9])$'),
	CONSTRAINT "social_workers_weekly_capacity_range" CHECK ("social_workers"."weekly_capacity" BETWEEN 1 AND 20)
);
--> statement-breakpoint
CREATE TABLE "volunteer_teams" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"organisation_id" uuid,
	"skills" "service_type"[] DEFAULT '{}' NOT NULL,
	"county_code" varchar(6) NOT NULL,
	"size" integer NOT NULL,
	"leader_name" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "volunteer_teams_county_is_county" CHECK ("volunteer_teams"."county_code" ~ '^[0-9]{4}(0[1-9]|[1-9][0-9])$'),
	CONSTRAINT "volunteer_teams_size_positive" CHECK ("volunteer_teams"."size" BETWEEN 1 AND 10000)
);
--> statement-breakpoint
CREATE TABLE "volunteers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" uuid,
	"name" text NOT NULL,
	"mobile_ciphertext" text NOT NULL,
	"mobile_hash" varchar(64) NOT NULL,
	"mobile_masked" varchar(11) NOT NULL,
	"skills" "service_type"[] DEFAULT '{}' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"anonymised_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "regions" (
	"code" varchar(12) PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"level" "region_level" NOT NULL,
	"parent_code" varchar(12),
	CONSTRAINT "regions_code_matches_level" CHECK (("regions"."level" IN ('province', 'city', 'county') AND "regions"."code" ~ '^[0-9]{6}$')
        OR ("regions"."level" = 'street' AND "regions"."code" ~ '^[0-9]{9}$')
        OR ("regions"."level" = 'community' AND "regions"."code" ~ '^[0-9]{12}$')),
	CONSTRAINT "regions_parent_required" CHECK (("regions"."level" = 'province') = ("regions"."parent_code" IS NULL))
);
--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_social_worker_id_social_workers_id_fk" FOREIGN KEY ("social_worker_id") REFERENCES "public"."social_workers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communities" ADD CONSTRAINT "communities_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communities" ADD CONSTRAINT "communities_county_code_regions_code_fk" FOREIGN KEY ("county_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "social_workers" ADD CONSTRAINT "social_workers_home_county_code_regions_code_fk" FOREIGN KEY ("home_county_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "social_workers" ADD CONSTRAINT "social_workers_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_teams" ADD CONSTRAINT "volunteer_teams_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_teams" ADD CONSTRAINT "volunteer_teams_county_code_regions_code_fk" FOREIGN KEY ("county_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteers" ADD CONSTRAINT "volunteers_team_id_volunteer_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."volunteer_teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "regions" ADD CONSTRAINT "regions_parent_code_regions_code_fk" FOREIGN KEY ("parent_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "api_tokens_account_id_idx" ON "api_tokens" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("entity","entity_id");--> statement-breakpoint
CREATE UNIQUE INDEX "communities_region_code_key" ON "communities" USING btree ("region_code");--> statement-breakpoint
CREATE INDEX "communities_county_code_idx" ON "communities" USING btree ("county_code");--> statement-breakpoint
CREATE UNIQUE INDEX "organisations_name_key" ON "organisations" USING btree ("name");--> statement-breakpoint
CREATE INDEX "social_workers_home_county_code_idx" ON "social_workers" USING btree ("home_county_code");--> statement-breakpoint
CREATE INDEX "volunteer_teams_county_code_idx" ON "volunteer_teams" USING btree ("county_code");--> statement-breakpoint
CREATE UNIQUE INDEX "volunteers_mobile_hash_key" ON "volunteers" USING btree ("mobile_hash");--> statement-breakpoint
CREATE INDEX "volunteers_team_id_idx" ON "volunteers" USING btree ("team_id");--> statement-breakpoint
CREATE INDEX "regions_parent_code_idx" ON "regions" USING btree ("parent_code");