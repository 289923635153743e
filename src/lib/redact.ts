/** Removes mobile numbers, API tokens and private-link tokens from text bound for logs. */
export function redact(text: string): string {
  return text
    .replace(/(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g, "$1****$2")
    .replace(/\/(signups|find|requests)\/[A-Za-z0-9_-]{16,}/g, "/$1/[redacted]")
    .replace(/sy_[A-Za-z0-9_-]{8,}/g, "sy_[redacted]");
}
