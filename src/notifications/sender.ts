import { maskMobile } from "../domain/mobile";
import { redact } from "../lib/redact";
import type { NotificationKind } from "./kinds";

/** One message to one volunteer: the full mobile number, decrypted just before sending. */
export interface OutgoingMessage {
  kind: NotificationKind;
  to: string;
  text: string;
}

/**
 * Delivers one message or throws. The development sender below only logs; an SMS provider
 * (e.g. Aliyun or Tencent Cloud SMS, with its template ids and a secret binding) plugs in later
 * behind this same interface, chosen in scheduled.ts, with nothing else changing.
 */
export interface NotificationSender {
  send(message: OutgoingMessage): Promise<void>;
}

/** Logs one line per message, with the mobile masked; the full number never reaches a log. */
export const developmentSender: NotificationSender = {
  async send(message) {
    console.log(
      `[notification:dev] ${message.kind} to ${maskMobile(message.to)}: ${redact(message.text)}`,
    );
  },
};
