/** Letters and digits that cannot be mistaken for one another (no 0/O, 1/I/L, 5/S, 2/Z, 8/B). */
export const CONFIRMATION_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679";
export const CONFIRMATION_CODE_LENGTH = 6;

/** A short code a volunteer reads out at check-in, e.g. `K7QX3M`. */
export function confirmationCode(): string {
  const alphabet = CONFIRMATION_ALPHABET;
  const bytes = crypto.getRandomValues(new Uint8Array(CONFIRMATION_CODE_LENGTH * 2));
  let code = "";
  for (const byte of bytes) {
    // Rejection sampling keeps every letter equally likely.
    if (byte >= 256 - (256 % alphabet.length)) continue;
    code += alphabet[byte % alphabet.length];
    if (code.length === CONFIRMATION_CODE_LENGTH) return code;
  }
  return confirmationCode();
}

const CODE_SHAPE = new RegExp(`^[${CONFIRMATION_ALPHABET}]{${CONFIRMATION_CODE_LENGTH}}$`);

/** A code as read out at the door: spaces and lower case are forgiven; undefined if malformed. */
export function normaliseConfirmationCode(typed: string): string | undefined {
  const code = typed.replace(/\s/g, "").toUpperCase();
  return CODE_SHAPE.test(code) ? code : undefined;
}
