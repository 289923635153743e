/**
 * Absolute links the app hands out. Every one starts with the configured public origin
 * (`PUBLIC_ORIGIN`), never with the request's Host header, which a client or a proxy chooses.
 */

/** `origin` + a path that starts with `/`. */
export function publicUrl(origin: string, path: string): string {
  if (!path.startsWith("/")) throw new Error(`not an absolute path: ${path}`);
  return `${origin}${path}`;
}

/** The path of a volunteer's private link. */
export function privateLinkPath(token: string): string {
  return `/signups/${token}`;
}

/** The path of an event's public page. */
export function eventPath(eventId: string): string {
  return `/events/${eventId}`;
}
