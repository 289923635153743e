ALTER TABLE "accounts" ADD COLUMN "login_name" varchar(64);--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "password_hash" text;--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_login_name_key" ON "accounts" USING btree ("login_name");