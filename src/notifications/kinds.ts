/** What a notification tells a volunteer; each kind has its own Chinese text (render.ts). */
export const notificationKinds = [
  "signup_confirmed",
  "waitlisted",
  "promoted",
  "event_changed",
  "event_cancelled",
  "reminder",
] as const;

export type NotificationKind = (typeof notificationKinds)[number];

/**
 * What a sender delivers: an outbox notification, or a one-time code for finding one's sign-ups
 * (sent straight from its request: a code is useless after 10 minutes, so it has no outbox row).
 */
export type MessageKind = NotificationKind | "recovery_code" | "request_update";

/**
 * pending until sent; failed after the last attempt (or when the recipient is gone); withdrawn,
 * unsent, when by send time it no longer holds (a reminder for a sign-up since cancelled or an
 * event since moved; a confirmation for a sign-up since cancelled).
 */
export const notificationStatuses = ["pending", "sent", "failed", "withdrawn"] as const;

export type NotificationStatus = (typeof notificationStatuses)[number];

/**
 * What the text is made from. Never the mobile number: the sender decrypts it from the sign-up
 * at send time, so retention (which clears the sign-up) also leaves nothing here to reach.
 */
export interface NotificationPayload {
  eventTitle: string;
  startsAt: string;
  endsAt: string;
  place: string;
  confirmationCode: string;
  waitlistPosition?: number | null;
  /** event_changed: when it was going to start. */
  previousStartsAt?: string;
  /** event_cancelled: the reason staff gave. */
  reason?: string | null;
}
