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
