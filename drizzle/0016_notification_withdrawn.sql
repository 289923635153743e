ALTER TYPE "public"."notification_status" ADD VALUE 'withdrawn';--> statement-breakpoint
DROP INDEX "notifications_reminder_once_key";--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_reminder_once_key" ON "notifications" USING btree ("signup_id") WHERE "notifications"."kind" = 'reminder' AND "notifications"."status" IN ('pending', 'sent', 'failed');