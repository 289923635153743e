import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  decryptPersonal,
  encryptPersonal,
  importPersonalDataKeys,
  lookupHash,
  randomToken,
} from "../../../src/lib/personal-data";

const key = () => randomBytes(32).toString("base64");

describe("personal data encryption", () => {
  it("round-trips a mobile number and never stores it in the clear", async () => {
    const keys = await importPersonalDataKeys(key());
    const sealed = await encryptPersonal(keys, "13812345678");
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain("13812345678");
    expect(await decryptPersonal(keys, sealed)).toBe("13812345678");
  });

  it("uses a fresh IV each time", async () => {
    const keys = await importPersonalDataKeys(key());
    expect(await encryptPersonal(keys, "13812345678")).not.toBe(
      await encryptPersonal(keys, "13812345678"),
    );
  });

  it("refuses a tampered ciphertext", async () => {
    const keys = await importPersonalDataKeys(key());
    const sealed = await encryptPersonal(keys, "13812345678");
    const last = sealed.at(-2) === "A" ? "B" : "A";
    await expect(
      decryptPersonal(keys, `${sealed.slice(0, -2)}${last}${sealed.at(-1)}`),
    ).rejects.toThrow();
  });

  it("hashes deterministically per key, differently across keys", async () => {
    const a = await importPersonalDataKeys(key());
    const b = await importPersonalDataKeys(key());
    expect(await lookupHash(a, "13812345678")).toBe(await lookupHash(a, "13812345678"));
    expect(await lookupHash(a, "13812345678")).not.toBe(await lookupHash(b, "13812345678"));
  });

  it("refuses a key that is not 32 bytes", async () => {
    await expect(importPersonalDataKeys(randomBytes(16).toString("base64"))).rejects.toThrow(
      /32 bytes/,
    );
  });

  it("makes URL-safe random tokens", () => {
    expect(randomToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
