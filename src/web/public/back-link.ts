/** Where a volunteer's error page leads back to. */
export type BackTarget = "event" | "signup" | "find" | "list" | "home";

const EVENT = /^\/events\/([0-9a-fA-F-]{36})(\/|$)/;
const SIGNUP = /^\/signups\/([A-Za-z0-9_-]{20,80})(\/|$)/;

/**
 * The page a volunteer came from, worked out from the address that failed (the Referer is not
 * sent: every page says `Referrer-Policy: no-referrer`). Never the staff sign-in.
 */
export function backLinkFor(path: string): { href: string; target: BackTarget } {
  const event = EVENT.exec(path)?.[1];
  if (event) return { href: `/events/${event}`, target: "event" };
  const signup = SIGNUP.exec(path)?.[1];
  if (signup) return { href: `/signups/${signup}`, target: "signup" };
  if (path === "/find" || path.startsWith("/find/")) return { href: "/find", target: "find" };
  if (path === "/events" || path.startsWith("/events/")) return { href: "/events", target: "list" };
  return { href: "/", target: "home" };
}
