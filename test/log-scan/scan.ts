/**
 * What must never appear in anything the app logs: full mainland mobile numbers, API tokens,
 * private links (a sign-up's, a lookup's, a request's: any length of token after the path),
 * 43-character feed tokens, and the test run's own secrets.
 */
export interface Leak {
  kind: string;
  where: string;
  excerpt: string;
}

const PATTERNS: [string, RegExp][] = [
  ["mobile number", /(?<![\d*])1[3-9]\d{9}(?!\d)/g],
  ["API token", /sy_[A-Za-z0-9_-]{20,}/g],
  ["private link token", /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_=-])/g],
  ["private link", /\/(signups|find|requests)\/(?!\[redacted\])[A-Za-z0-9_-]{16,}/g],
];

/** Platform request-log lines (wrangler's own access log), not the app's: see README. */
const PLATFORM_LINE = /^\s*\[wrangler:(info|inf)\]\s+(GET|POST|HEAD|PUT|PATCH|DELETE|OPTIONS)\s/;

/**
 * The local sender's lines: `npm run dev` only (DEVELOPMENT=1, which a deployment refuses), where
 * the developer needs each message's link and code in full, as the volunteer's phone would.
 */
const LOCAL_SMS_LINE = /^\s*\[sms\]\s/;

export function findLeaks(text: string, where: string, secrets: string[] = []): Leak[] {
  const leaks: Leak[] = [];
  for (const line of text.split("\n")) {
    if (PLATFORM_LINE.test(line) || LOCAL_SMS_LINE.test(line)) continue;
    for (const [kind, pattern] of PATTERNS)
      for (const match of line.matchAll(pattern))
        leaks.push({ kind, where, excerpt: mask(line, match.index ?? 0, match[0].length) });
    for (const secret of secrets)
      if (secret && line.includes(secret))
        leaks.push({
          kind: "secret",
          where,
          excerpt: mask(line, line.indexOf(secret), secret.length),
        });
  }
  return leaks;
}

/** The excerpt shown in the failure, with the leaked value itself masked. */
function mask(line: string, at: number, length: number): string {
  const start = Math.max(0, at - 40);
  return `${line.slice(start, at)}[${length} chars]${line.slice(at + length, at + length + 40)}`;
}
