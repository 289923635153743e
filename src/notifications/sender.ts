import { maskMobile } from "../domain/mobile";
import type { Config } from "../env";
import { redact } from "../lib/redact";
import { recordDevMessage } from "./dev-outbox";
import type { MessageKind } from "./kinds";

/** One message to one volunteer: the full mobile number, decrypted just before sending. */
export interface OutgoingMessage {
  kind: MessageKind;
  to: string;
  text: string;
}

/**
 * Delivers one message or throws. An SMS provider (e.g. Aliyun or Tencent Cloud SMS, with its
 * template ids and a secret binding) plugs in behind this same interface, in {@link senderFor},
 * with nothing else changing.
 */
export interface NotificationSender {
  send(message: OutgoingMessage): Promise<void>;
}

/**
 * Until an SMS provider is configured: logs one line per message, the mobile masked, private
 * links redacted and a one-time code's text left out, so no log holds what opens a sign-up.
 */
export const developmentSender: NotificationSender = {
  async send(message) {
    const text = message.kind === "recovery_code" ? "(one-time code)" : redact(message.text);
    console.log(`[notification:dev] ${message.kind} to ${maskMobile(message.to)}: ${text}`);
  },
};

/**
 * `npm run dev`: every message in full (codes and links included, the number masked) in the
 * terminal and on the development-only page /dev/messages.
 */
export const localSender: NotificationSender = {
  async send(message) {
    recordDevMessage(message, new Date());
    console.log(`[sms] ${message.kind} to ${maskMobile(message.to)}: ${message.text}`);
  },
};

/** The sender for this deployment: the local one in development, else the logging stand-in. */
export function senderFor(config: Pick<Config, "development">): NotificationSender {
  return config.development ? localSender : developmentSender;
}
