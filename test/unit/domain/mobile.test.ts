import { describe, expect, it } from "vitest";
import { maskMobile, normaliseMobile } from "../../../src/domain/mobile";

describe("mobile numbers", () => {
  it.each([
    ["13812345678", "13812345678"],
    ["138 1234 5678", "13812345678"],
    ["138-1234-5678", "13812345678"],
    ["+86 138 1234 5678", "13812345678"],
    ["008613812345678", "13812345678"],
    // A Chinese keyboard in full-width mode types these.
    ["１３８１２３４５６７８", "13812345678"],
    ["＋８６ １３８－１２３４－５６７８", "13812345678"],
  ])("normalises %s", (input, expected) => {
    expect(normaliseMobile(input)).toBe(expected);
  });

  it.each([
    "12812345678",
    "1381234567",
    "138123456789",
    "024-23456789",
    "１２８１２３４５６７８",
    "١٣٨١٢٣٤٥٦٧٨",
    "",
    "abc",
  ])("refuses %s", (input) => {
    expect(normaliseMobile(input)).toBeUndefined();
  });

  it("masks the middle four digits", () => {
    expect(maskMobile("13812345678")).toBe("138****5678");
  });

  it("hides anything that is not a mobile number entirely", () => {
    expect(maskMobile("12345")).toBe("***********");
  });
});
