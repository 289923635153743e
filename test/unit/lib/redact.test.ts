import { describe, expect, it } from "vitest";
import { redact } from "../../../src/lib/redact";

describe("redact", () => {
  it("masks mobile numbers and hides tokens", () => {
    expect(redact("user 13812345678 with sy_abcdefghijklmnop failed")).toBe(
      "user 138****5678 with sy_[redacted] failed",
    );
  });

  it("leaves longer digit runs such as region codes alone", () => {
    expect(redact("region 210103005024")).toBe("region 210103005024");
  });
});

describe("redact: private links", () => {
  it("hides the token of a private link and of a recovery address", () => {
    expect(redact("see https://x.test/signups/AbCdEfGhIjKlMnOpQrStUvWxYz012345 now")).toBe(
      "see https://x.test/signups/[redacted] now",
    );
    expect(redact("/find/AbCdEfGhIjKlMnOpQrStUvWxYz012345")).toBe("/find/[redacted]");
  });

  it("hides the token of a requester's progress link (问需)", () => {
    expect(redact("进度查询：http://x.test/requests/kYFsQHBcp_s7Y9jo_5Fv84MiQd4Ndb-j")).toBe(
      "进度查询：http://x.test/requests/[redacted]",
    );
  });
});
