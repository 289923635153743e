import { describe, expect, it } from "vitest";
import { createTerminateDetector } from "../../../scripts/lib/ws-proxy";

function startup(): Buffer {
  const body = Buffer.from("user\0postgres\0\0");
  const header = Buffer.alloc(8);
  header.writeInt32BE(8 + body.length, 0);
  header.writeInt32BE(196608, 4);
  return Buffer.concat([header, body]);
}

function message(type: string, payload: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, "ascii");
  header.writeInt32BE(4 + payload.length, 1);
  return Buffer.concat([header, payload]);
}

const terminate = message("X", Buffer.alloc(0));

describe("the relay's Terminate detector", () => {
  it("sees Terminate after the startup packet and a query", () => {
    const seen = createTerminateDetector();
    expect(seen(startup())).toBe(false);
    expect(seen(message("Q", Buffer.from("select 1\0")))).toBe(false);
    expect(seen(terminate)).toBe(true);
  });

  it("is not fooled by an X byte inside a query", () => {
    const seen = createTerminateDetector();
    seen(startup());
    expect(
      seen(
        message(
          "Q",
          Buffer.concat([Buffer.from("select 'X"), Buffer.from([0, 0, 0, 4]), Buffer.from("'\0")]),
        ),
      ),
    ).toBe(false);
  });

  it("follows messages split across chunks", () => {
    const seen = createTerminateDetector();
    const stream = Buffer.concat([startup(), message("Q", Buffer.from("select 1\0")), terminate]);
    let result = false;
    for (const byte of stream) result = seen(Buffer.from([byte])) || result;
    expect(result).toBe(true);
  });
});

describe("the relay's session lock", () => {
  it("hands the session to waiting connections one at a time, in arrival order", async () => {
    const { SessionLock } = await import("../../../scripts/lib/ws-proxy");
    const lock = new SessionLock();
    const [a, b, c] = [Symbol("a"), Symbol("b"), Symbol("c")];
    const order: string[] = [];
    await lock.acquire(a);
    const waitB = lock.acquire(b).then(() => order.push("b"));
    const waitC = lock.acquire(c).then(() => order.push("c"));
    expect(lock.holds(a)).toBe(true);
    lock.release(a);
    await waitB;
    expect(lock.holds(b)).toBe(true);
    expect(order).toEqual(["b"]);
    lock.release(b);
    await waitC;
    expect(order).toEqual(["b", "c"]);
  });

  it("forgets a connection that leaves while still waiting", async () => {
    const { SessionLock } = await import("../../../scripts/lib/ws-proxy");
    const lock = new SessionLock();
    const [a, b, c] = [Symbol("a"), Symbol("b"), Symbol("c")];
    await lock.acquire(a);
    void lock.acquire(b);
    const waitC = lock.acquire(c);
    lock.release(b);
    lock.release(a);
    await waitC;
    expect(lock.holds(c)).toBe(true);
  });
});

describe("the backend parser", () => {
  it("reads the transaction status from ReadyForQuery, after an SSL answer byte", async () => {
    const { createBackendParser } = await import("../../../scripts/lib/pg-wire");
    const parser = createBackendParser();
    parser.expectNegotiationByte();
    const ready = Buffer.from([0x5a, 0, 0, 0, 5, 0x54]);
    expect(parser.parse(Buffer.concat([Buffer.from("N"), ready]))).toEqual([
      { type: "Z", status: "T" },
    ]);
  });
});
