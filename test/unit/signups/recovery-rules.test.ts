import { describe, expect, it } from "vitest";
import {
  codeWaitSeconds,
  normaliseOneTimeCode,
  oneTimeCode,
  RECOVERY_LIMITS,
  recoveryState,
} from "../../../src/signups/recovery-rules";

const now = new Date("2027-03-05T02:00:00Z");
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

describe("one-time codes", () => {
  it("are six digits", () => {
    for (let i = 0; i < 200; i++) expect(oneTimeCode()).toMatch(/^\d{6}$/);
  });

  it("are read with spaces and full-width digits forgiven", () => {
    expect(normaliseOneTimeCode(" 12 34 56 ")).toBe("123456");
    expect(normaliseOneTimeCode("１２３４５６")).toBe("123456");
    expect(normaliseOneTimeCode("12345")).toBeUndefined();
    expect(normaliseOneTimeCode("12345a")).toBeUndefined();
  });
});

describe("how often a number gets a code", () => {
  it("may get one now when it had none in the last hour", () => {
    expect(codeWaitSeconds([], now)).toBe(0);
    expect(codeWaitSeconds([ago(3_700)], now)).toBe(0);
  });

  it("waits out the minute after the last code", () => {
    expect(codeWaitSeconds([ago(20)], now)).toBe(40);
  });

  it("waits for the oldest of five codes in an hour to be an hour old", () => {
    const five = [ago(3_000), ago(2_000), ago(1_000), ago(500), ago(100)];
    expect(codeWaitSeconds(five, now)).toBe(600);
  });
});

describe("where a request stands", () => {
  const base = { attempts: 0, expiresAt: new Date(now.getTime() + 1), verifiedAt: null };

  it("awaits its code until it expires or the tries run out", () => {
    expect(recoveryState(base, now)).toBe("awaiting_code");
    expect(recoveryState({ ...base, attempts: RECOVERY_LIMITS.maxAttempts }, now)).toBe(
      "exhausted",
    );
    expect(recoveryState({ ...base, expiresAt: now }, now)).toBe("expired");
    expect(recoveryState({ ...base, verifiedAt: now }, now)).toBe("verified");
  });
});
