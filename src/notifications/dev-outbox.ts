import { maskMobile } from "../domain/mobile";

/** A message as the development sender delivered it: never the full number. */
export interface DevMessage {
  at: Date;
  kind: string;
  toMasked: string;
  text: string;
}

/** How many messages the development page keeps (the newest). */
const KEEP = 100;

const messages: DevMessage[] = [];

/**
 * Remembers a delivered message in this isolate's memory, for the development-only page
 * (`/dev/messages`, like letter_opener or Mailpit for e-mail). `wrangler dev` runs one isolate,
 * so the page sees every message the app and its Cron job sent since the last start.
 */
export function recordDevMessage(message: { kind: string; to: string; text: string }, at: Date) {
  messages.unshift({
    at,
    kind: message.kind,
    toMasked: maskMobile(message.to),
    text: message.text,
  });
  messages.length = Math.min(messages.length, KEEP);
}

/** The remembered messages, newest first. */
export function devMessages(): readonly DevMessage[] {
  return messages;
}
