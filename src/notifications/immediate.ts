import type { Variables } from "../env";
import { afterResponse } from "../middleware/database";
import { deliverRequestMessages } from "../requests/messages";
import { deliverPending } from "./deliver";
import { type OutgoingMessage, senderFor } from "./sender";

/**
 * Messages a volunteer is waiting for — their confirmation or waitlist place, a promotion —
 * leave as soon as the change has committed, not at the next Cron run: right after the response,
 * only the pending outbox rows of these sign-ups. The rows stay in the outbox until sent, so if
 * this delivery fails (or the isolate dies first) the Cron job sends them instead.
 */
type Ctx = { var: Pick<Variables, "afterResponse" | "db" | "personalDataKeys" | "config"> };

export function deliverSoon(c: Ctx, signupIds: (string | null | undefined)[]): void {
  const ids = signupIds.filter((id): id is string => typeof id === "string");
  if (ids.length === 0) return;
  const { db, personalDataKeys: keys, config } = c.var;
  afterResponse(c, async () => {
    await deliverPending(db, keys, senderFor(config), {
      signupIds: ids,
      publicOrigin: config.publicOrigin,
    });
  });
}

/** Sends a message with no outbox row (a one-time code) right after the response. */
export function sendSoon(c: Ctx, message: OutgoingMessage): void {
  const sender = senderFor(c.var.config);
  afterResponse(c, () => sender.send(message));
}

/**
 * A requester's message (问需: received, accepted, answered, forwarded) leaves right after the
 * response; the Cron job sends it if this fails.
 */
export function deliverRequestSoon(
  c: Ctx & { var: { now: Date } },
  which: { requestId: string } | { eventId: string },
): void {
  const { db, personalDataKeys: keys, config, now } = c.var;
  afterResponse(c, async () => {
    await deliverRequestMessages(db, keys, senderFor(config), {
      now,
      publicOrigin: config.publicOrigin,
      ...("requestId" in which ? { requestIds: [which.requestId] } : { eventId: which.eventId }),
    });
  });
}
