CREATE TABLE "recovery_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"flow_token_hash" varchar(64) NOT NULL,
	"mobile_hash" varchar(64) NOT NULL,
	"mobile_masked" varchar(11) NOT NULL,
	"code_hash" varchar(64) NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"verified_at" timestamp with time zone,
	"links_sealed" text,
	CONSTRAINT "recovery_requests_attempts_range" CHECK ("recovery_requests"."attempts" BETWEEN 0 AND 5),
	CONSTRAINT "recovery_requests_expires_after_created" CHECK ("recovery_requests"."expires_at" > "recovery_requests"."created_at")
);
--> statement-breakpoint
ALTER TABLE "signups" ADD COLUMN "manage_token_sealed" text;--> statement-breakpoint
CREATE UNIQUE INDEX "recovery_requests_flow_token_hash_key" ON "recovery_requests" USING btree ("flow_token_hash");--> statement-breakpoint
CREATE INDEX "recovery_requests_mobile_created_idx" ON "recovery_requests" USING btree ("mobile_hash","created_at");