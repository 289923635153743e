import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Queryable } from "../db/client";
import { events, requestMessages, requests } from "../db/schema";
import { publicUrl } from "../lib/links";
import { decryptPersonal, type PersonalDataKeys } from "../lib/personal-data";
import { redact } from "../lib/redact";
import type { NotificationSender } from "../notifications/sender";
import { formatDeadline } from "../web/format";
import type { RequestAudience, RequestMessageKind } from "./vocabulary";

/** The path of a requester's private progress link. */
export function requestLinkPath(token: string): string {
  return `/requests/${token}`;
}

/** The Chinese texts of the requests' messages (SMS-length, signed 【双翼】). */
export const requestText = {
  received: (code: string, desk: string) =>
    `【双翼】您的诉求已收到（查询码 ${code}），已转${desk}办理，我们会尽快答复。`,
  forwarded: (code: string, desk: string) =>
    `【双翼】您的诉求（查询码 ${code}）已转至${desk}办理。`,
  accepted: (code: string) =>
    `【双翼】您的诉求（查询码 ${code}）已受理，已转为服务需求，正在安排社工和志愿者。`,
  answered: (code: string, reply: string) =>
    `【双翼】您的诉求（查询码 ${code}）已办结。答复：${reply.slice(0, 120)}`,
  resolved: (code: string, title: string) =>
    `【双翼】您的诉求（查询码 ${code}）对应的服务「${title}」已完成，欢迎评价。`,
  reminder: (code: string, due: Date) =>
    `【双翼】诉求 ${code} 尚未答复，请于${formatDeadline(due, "zh")}首次答复。`,
  escalated: (code: string) =>
    `【双翼】诉求 ${code} 超过首次答复时限未答复，已升级至县区社会工作部。`,
  overdue: (code: string) => `【双翼】诉求 ${code} 已超过办结时限，请督办。`,
};

/**
 * Writes one outbox row in `tx`. Messages to the requester are written only when a mobile was
 * given; a reminder, escalation or overdue notice only once per request (unique index). Returns
 * whether a row was written.
 */
export async function enqueueRequestMessage(
  tx: Queryable,
  requestId: string,
  audience: RequestAudience,
  kind: RequestMessageKind,
  now: Date,
  message: { text: string; regionCode?: string },
): Promise<boolean> {
  if (audience === "requester") {
    const [row] = await tx
      .select({ mobile: requests.mobileCiphertext })
      .from(requests)
      .where(eq(requests.id, requestId));
    if (!row?.mobile) return false;
  }
  const written = await tx
    .insert(requestMessages)
    .values({
      requestId,
      audience,
      kind,
      text: message.text,
      regionCode: message.regionCode ?? null,
      createdAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: requestMessages.id });
  return written.length > 0;
}

/**
 * A text closed with a full stop unless it already ends a sentence: a reply need not, and the
 * link follows on the same line (a line break would split the SMS's log line).
 */
export function endSentence(text: string): string {
  return /[。！？!?]$/.test(text.trimEnd()) ? text.trimEnd() : `${text.trimEnd()}。`;
}

const MAX_ATTEMPTS = 5;

/**
 * Sends pending request messages, oldest first (only those of `requestIds` if given). To the
 * requester: an SMS to the decrypted mobile, ending with the private link. To staff desks: they
 * are shown on the desk's pages, so delivery marks them sent (an SMS or WeChat message to staff
 * would plug in here). Claimed FOR UPDATE SKIP LOCKED, like the sign-ups' outbox.
 */
export async function deliverRequestMessages(
  db: Queryable,
  keys: PersonalDataKeys,
  sender: NotificationSender,
  options: {
    now: Date;
    publicOrigin?: string;
    requestIds?: string[];
    /** Only the messages of requests accepted into this event's need (after its sign-off). */
    eventId?: string;
    limit?: number;
  },
) {
  const report = { sent: 0, failed: 0 };
  if (options.requestIds?.length === 0) return report;
  return db.transaction(async (tx) => {
    const claimed = await tx
      .select({
        id: requestMessages.id,
        audience: requestMessages.audience,
        text: requestMessages.text,
        attempts: requestMessages.attempts,
        mobileCiphertext: requests.mobileCiphertext,
        tokenSealed: requests.tokenSealed,
      })
      .from(requestMessages)
      .innerJoin(requests, eq(requests.id, requestMessages.requestId))
      .where(
        and(
          eq(requestMessages.status, "pending"),
          options.requestIds ? inArray(requestMessages.requestId, options.requestIds) : undefined,
          options.eventId
            ? sql`${requests.needId} = (select ${events.needId} from ${events} where ${events.id} = ${options.eventId})`
            : undefined,
        ),
      )
      .orderBy(asc(requestMessages.createdAt), asc(requestMessages.id))
      .limit(options.limit ?? 100)
      .for("update", { of: requestMessages, skipLocked: true });
    for (const row of claimed) {
      const mark = (status: "sent" | "failed" | "pending", attempts = row.attempts + 1) =>
        tx
          .update(requestMessages)
          .set({ status, attempts, sentAt: status === "sent" ? options.now : null })
          .where(eq(requestMessages.id, row.id));
      if (row.audience !== "requester") {
        await mark("sent");
        report.sent++;
        continue;
      }
      // Retention removed the mobile since: nobody left to tell.
      if (!row.mobileCiphertext) {
        await mark("failed");
        report.failed++;
        continue;
      }
      try {
        const to = await decryptPersonal(keys, row.mobileCiphertext);
        const link =
          row.tokenSealed && options.publicOrigin
            ? publicUrl(
                options.publicOrigin,
                requestLinkPath(await decryptPersonal(keys, row.tokenSealed)),
              )
            : undefined;
        const text = link ? `${endSentence(row.text)}进度查询：${link}` : row.text;
        await sender.send({ kind: "request_update", to, text });
        await mark("sent");
        report.sent++;
      } catch (error) {
        const attempts = row.attempts + 1;
        await mark(attempts >= MAX_ATTEMPTS ? "failed" : "pending", attempts);
        if (attempts >= MAX_ATTEMPTS) report.failed++;
        const reason = error instanceof Error ? error.message : String(error);
        console.error(`request message ${row.id} attempt ${attempts} failed: ${redact(reason)}`);
      }
    }
    return report;
  });
}

/** Pending messages to requesters (tests and the dev page read the outbox through this). */
export const pendingToRequesters = sql`${requestMessages.status} = 'pending' and ${requestMessages.audience} = 'requester'`;
