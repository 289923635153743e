-- Hand-written: closing a month is serialised with every write to that month's outcomes.
-- Before, refuse_closed_period read period_locks under READ COMMITTED: an outcome written while a
-- month was being closed saw no lock (not yet committed), the close saw no outcome (not yet
-- committed), both committed, and the outcome landed in the closed month.
-- Now every check takes a SHARED transaction-level advisory lock on the month before it reads
-- period_locks, and closing (or reopening) a month takes the EXCLUSIVE one first (periods/service.ts):
-- a close waits for the writes in flight to commit and then sees them; a write that comes during
-- a close waits for it and then sees the lock. One key per month, not per region: closing is rare
-- and short, and a transaction touching thousands of outcomes holds one lock per month it touches.
-- The two-integer key space never meets the one-bigint keys used elsewhere (hashtext(...)).
CREATE FUNCTION "period_lock_key"(p_month date) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT (extract(year FROM p_month)::integer * 12 + extract(month FROM p_month)::integer - 1)
$$;
--> statement-breakpoint
CREATE FUNCTION "lock_period_month"(p_month date, p_exclusive boolean) RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  IF p_exclusive THEN
    PERFORM pg_advisory_xact_lock(hashtext('shuangyi.period_lock'), period_lock_key(p_month));
  ELSE
    PERFORM pg_advisory_xact_lock_shared(hashtext('shuangyi.period_lock'), period_lock_key(p_month));
  END IF;
END
$$;
--> statement-breakpoint
-- The check runs in a VOLATILE function: its query takes a fresh snapshot after the lock is held,
-- so it sees a close that committed while it waited.
CREATE OR REPLACE FUNCTION "refuse_closed_period"(p_region_code text, p_month date) RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM lock_period_month(p_month, false);
  IF period_is_locked(p_region_code, p_month) THEN
    RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'outcomes_period_open',
      MESSAGE = format('the month %s is closed for region %s', p_month, p_region_code);
  END IF;
END
$$;
