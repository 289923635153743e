/**
 * Encryption and keyed hashing of personal data (SPEC §6). One secret, `DATA_KEY` (32 random bytes,
 * base64), is expanded with HKDF into an AES-GCM key for storage and an HMAC key for look-up, so a
 * leaked hash column cannot be reversed by hashing all 10^10 possible mobile numbers.
 */
export interface PersonalDataKeys {
  encryption: CryptoKey;
  lookup: CryptoKey;
  /** Names stored volunteer keys in bulk records, so an export cannot be joined to the tables. */
  pseudonym: CryptoKey;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function toHex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Derives the encryption and look-up keys from the base64 `DATA_KEY` secret. */
export async function importPersonalDataKeys(dataKey: string): Promise<PersonalDataKeys> {
  const raw = fromBase64(dataKey);
  if (raw.length !== 32) throw new Error("DATA_KEY must be 32 bytes, base64-encoded");
  const master = await crypto.subtle.importKey("raw", raw, "HKDF", false, ["deriveKey"]);
  const derive = (
    info: string,
    algorithm: Parameters<SubtleCrypto["deriveKey"]>[2],
    usages: Parameters<SubtleCrypto["deriveKey"]>[4],
  ) =>
    crypto.subtle.deriveKey(
      { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: encoder.encode(info) },
      master,
      algorithm,
      false,
      usages,
    );
  return {
    encryption: await derive("shuangyi/personal-data/aes-gcm", { name: "AES-GCM", length: 256 }, [
      "encrypt",
      "decrypt",
    ]),
    lookup: await derive(
      "shuangyi/personal-data/hmac",
      { name: "HMAC", hash: "SHA-256", length: 256 },
      ["sign"],
    ),
    pseudonym: await derive(
      "shuangyi/records/pseudonym",
      { name: "HMAC", hash: "SHA-256", length: 256 },
      ["sign"],
    ),
  };
}

/** Encrypts with a fresh 96-bit IV; the result is `v1.<base64 iv+ciphertext>`. */
export async function encryptPersonal(keys: PersonalDataKeys, plaintext: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv },
    keys.encryption,
    encoder.encode(plaintext),
  );
  const out = new Uint8Array(iv.length + sealed.byteLength);
  out.set(iv);
  out.set(new Uint8Array(sealed), iv.length);
  return `v1.${toBase64(out)}`;
}

/** Reverses {@link encryptPersonal}; throws if the ciphertext was tampered with. */
export async function decryptPersonal(keys: PersonalDataKeys, sealed: string): Promise<string> {
  if (!sealed.startsWith("v1.")) throw new Error("unknown ciphertext version");
  const bytes = fromBase64(sealed.slice(3));
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: bytes.subarray(0, 12) },
    keys.encryption,
    bytes.subarray(12),
  );
  return decoder.decode(plain);
}

/** Keyed hash (HMAC-SHA-256, hex) for look-up and de-duplication without decrypting. */
export async function lookupHash(keys: PersonalDataKeys, value: string): Promise<string> {
  return toHex(await crypto.subtle.sign("HMAC", keys.lookup, encoder.encode(value)));
}

/**
 * A volunteer's name in bulk records: a keyed hash (its own key) of the stored surrogate
 * volunteer key, shortened to 96 bits, equal for one person across records (and after retention)
 * and unlike any stored value.
 */
export async function pseudonym(keys: PersonalDataKeys, volunteerKey: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", keys.pseudonym, encoder.encode(volunteerKey));
  return `v_${toHex(mac).slice(0, 24)}`;
}

/** SHA-256 hex of a string; used for API tokens, which are random enough not to need a key. */
export async function sha256Hex(value: string): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", encoder.encode(value)));
}

/** A URL-safe random secret of `bytes` bytes. */
export function randomToken(bytes = 32): string {
  return toBase64(crypto.getRandomValues(new Uint8Array(bytes)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}
