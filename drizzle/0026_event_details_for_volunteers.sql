ALTER TABLE "events" ADD COLUMN "description" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "meeting_point" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "contact" text;