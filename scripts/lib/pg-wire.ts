/**
 * Just enough of the Postgres wire protocol for the local relay: split each direction's byte
 * stream into messages. Frontend (client) messages start with an untyped startup packet; backend
 * messages are always `type byte + int32 length`.
 */

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

/** A frontend message: its type byte ('Q', 'S', 'X', …) or "startup" for the untyped first packet. */
export type FrontendMessage = { type: string };

/** Splits the client→server stream into messages, across arbitrary chunk boundaries. */
export function createFrontendParser(): (chunk: Buffer) => FrontendMessage[] {
  let pending = Buffer.alloc(0);
  let startupDone = false;
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    const messages: FrontendMessage[] = [];
    for (;;) {
      if (!startupDone) {
        if (pending.length < 8) break;
        const length = pending.readInt32BE(0);
        if (pending.length < length) break;
        const code = pending.readInt32BE(4);
        pending = pending.subarray(length);
        // SSLRequest / GSSENCRequest are answered with one byte and followed by the real startup.
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) messages.push({ type: "negotiate" });
        else {
          startupDone = true;
          messages.push({ type: "startup" });
        }
        continue;
      }
      if (pending.length < 5) break;
      const length = pending.readInt32BE(1);
      if (pending.length < 1 + length) break;
      messages.push({ type: String.fromCharCode(pending[0] ?? 0) });
      pending = pending.subarray(1 + length);
    }
    return messages;
  };
}

/** A backend message: its type byte, and for ReadyForQuery ('Z') the transaction status (I, T, E). */
export type BackendMessage = { type: string; status?: string };

/** Splits the server→client stream into messages; `expectNegotiationByte` skips an SSL answer. */
export function createBackendParser(): {
  parse(chunk: Buffer): BackendMessage[];
  expectNegotiationByte(): void;
} {
  let pending = Buffer.alloc(0);
  let negotiationBytes = 0;
  return {
    expectNegotiationByte() {
      negotiationBytes++;
    },
    parse(chunk) {
      pending = Buffer.concat([pending, chunk]);
      const messages: BackendMessage[] = [];
      while (negotiationBytes > 0 && pending.length > 0) {
        pending = pending.subarray(1);
        negotiationBytes--;
      }
      for (;;) {
        if (pending.length < 5) break;
        const length = pending.readInt32BE(1);
        if (pending.length < 1 + length) break;
        const type = String.fromCharCode(pending[0] ?? 0);
        const status = type === "Z" ? String.fromCharCode(pending[5] ?? 0) : undefined;
        messages.push(status ? { type, status } : { type });
        pending = pending.subarray(1 + length);
      }
      return messages;
    },
  };
}

/** Frontend messages after which the server answers with ReadyForQuery. */
export const SYNC_POINTS = new Set(["startup", "Q", "S"]);
