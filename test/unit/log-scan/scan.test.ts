import { describe, expect, it } from "vitest";
import { findLeaks } from "../../log-scan/scan";

describe("the log scan", () => {
  it("finds full mobile numbers, API tokens, link tokens and given secrets", () => {
    const text = [
      "sign-up from 13812345678 failed",
      "Authorization: Bearer sy_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
      "GET /signups/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE ok",
      "查看或取消：http://shuangyi.test/signups/IDXZBUXOpndkj6wR1WuFaxKIhTAwyBPi",
      "key=the-secret-value",
    ].join("\n");
    const kinds = findLeaks(text, "test", ["the-secret-value"]).map((leak) => leak.kind);
    expect(kinds).toEqual([
      "mobile number",
      "API token",
      "private link token",
      "private link",
      "private link",
      "secret",
    ]);
  });

  it("lets masked numbers, ids, hashes and the platform's own request lines pass", () => {
    const text = [
      "[notification:dev] signup_confirmed to 138****5678: 您已报名",
      "request 6df1ead7-5c6e-4e18-b08d-b008d21986f6 took 12 ms",
      `hash ${"ab12".repeat(16)}`,
      "sy_[redacted] refused",
      "查看或取消：http://shuangyi.test/signups/[redacted]",
      "[sms] signup_confirmed to 138****5678: 查看或取消：http://127.0.0.1:8787/signups/IDXZBUXOpndkj6wR1WuFaxKIhTAwyBPi",
      "[wrangler:info] GET /signups/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE 200 OK (5ms)",
    ].join("\n");
    expect(findLeaks(text, "test")).toEqual([]);
  });

  it("never repeats the leaked value in its own report", () => {
    const [leak] = findLeaks("number 13812345678 here", "test");
    expect(leak?.excerpt).not.toContain("13812345678");
    expect(leak?.excerpt).toContain("[11 chars]");
  });
});
