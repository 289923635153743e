/** The rules of finding one's sign-ups by a one-time code: pure, so they are tested alone. */

export const RECOVERY_LIMITS = {
  /** A code works this long after it was sent. */
  codeTtlMs: 10 * 60_000,
  /** Once verified, the list with the new links stays viewable this long. */
  listTtlMs: 30 * 60_000,
  /** Wrong codes allowed per request (the table's CHECK holds the same number). */
  maxAttempts: 5,
  /** A new code for one number at most this often… */
  resendAfterMs: 60_000,
  /** …and at most this many per hour. */
  perNumberPerHour: 5,
  /** How many sign-ups one verification lists (the most recent events first). */
  maxSignups: 20,
} as const;

const HOUR_MS = 3_600_000;

/** A one-time code: six decimal digits, every one equally likely. */
export function oneTimeCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let code = "";
  for (const byte of bytes) {
    // Rejection sampling: 250 is the largest multiple of 10 below 256.
    if (byte >= 250) continue;
    code += String(byte % 10);
    if (code.length === 6) return code;
  }
  return oneTimeCode();
}

/** A code as typed: spaces forgiven, full-width digits read; undefined unless six digits. */
export function normaliseOneTimeCode(typed: string): string | undefined {
  const code = typed
    .replace(/\s/g, "")
    .replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0));
  return /^\d{6}$/.test(code) ? code : undefined;
}

/**
 * Seconds to wait before another code may go to a number, given when its recent codes were
 * requested (any order); 0 when one may go now. One a minute, five an hour.
 */
export function codeWaitSeconds(requestedAt: Date[], now: Date): number {
  const { resendAfterMs, perNumberPerHour } = RECOVERY_LIMITS;
  const recent = requestedAt
    .map((at) => at.getTime())
    .filter((at) => at > now.getTime() - HOUR_MS && at <= now.getTime())
    .sort((a, b) => b - a);
  let until = 0;
  const latest = recent[0];
  if (latest !== undefined) until = latest + resendAfterMs;
  const fifth = recent[perNumberPerHour - 1];
  if (fifth !== undefined) until = Math.max(until, fifth + HOUR_MS);
  return Math.max(0, Math.ceil((until - now.getTime()) / 1000));
}

/** Where a request stands: waiting for its code, verified (list shown), or over. */
export type RecoveryState = "awaiting_code" | "verified" | "expired" | "exhausted";

export function recoveryState(
  request: { attempts: number; expiresAt: Date; verifiedAt: Date | null },
  now: Date,
): RecoveryState {
  if (request.expiresAt <= now) return "expired";
  if (request.verifiedAt) return "verified";
  if (request.attempts >= RECOVERY_LIMITS.maxAttempts) return "exhausted";
  return "awaiting_code";
}
