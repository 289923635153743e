CREATE TABLE "period_lock_exclusions" (
	"region_code" varchar(12) NOT NULL,
	"month" date NOT NULL,
	"event_id" uuid NOT NULL,
	CONSTRAINT "period_lock_exclusions_region_code_month_event_id_pk" PRIMARY KEY("region_code","month","event_id")
);
--> statement-breakpoint
ALTER TABLE "period_lock_exclusions" ADD CONSTRAINT "period_lock_exclusions_event_id_outcomes_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."outcomes"("event_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "period_lock_exclusions" ADD CONSTRAINT "period_lock_exclusions_lock_fk" FOREIGN KEY ("region_code","month") REFERENCES "public"."period_locks"("region_code","month") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "period_lock_exclusions_event_id_idx" ON "period_lock_exclusions" USING btree ("event_id");