/** Mainland China mobile numbers: 11 digits starting 13–19. */
const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

/**
 * Normalises what people type (full-width digits from a Chinese keyboard, spaces, dashes, a
 * +86 / 0086 prefix) to 11 digits, or returns undefined when the result is not a mainland
 * mobile number.
 */
export function normaliseMobile(input: string): string | undefined {
  let digits = input.normalize("NFKC").replace(/[\s\-()（）]/g, "");
  if (digits.startsWith("+86")) digits = digits.slice(3);
  else if (digits.startsWith("0086")) digits = digits.slice(4);
  return MAINLAND_MOBILE.test(digits) ? digits : undefined;
}

/** Shows a mobile number as `138****5678`; anything else is fully hidden. */
export function maskMobile(mobile: string): string {
  if (!MAINLAND_MOBILE.test(mobile)) return "***********";
  return `${mobile.slice(0, 3)}****${mobile.slice(7)}`;
}
