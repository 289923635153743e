-- A request sending its own volunteers' messages claims them until claimed_until (src/notifications/deliver.ts):
-- the Cron job leaves them alone till then and sends them after, should that request have died.
ALTER TABLE "notifications" ADD COLUMN "claimed_until" timestamp with time zone;