import type { Context } from "hono";

/**
 * The absolute address of a path of this site, for links people copy, print or scan (sign-up
 * pages, posters, calendar feeds). The one place that decides the origin: today the request's;
 * once a configured public origin exists, it belongs here and nowhere else.
 */
export function publicUrl(c: Context, path: string): string {
  return new URL(path, c.req.url).toString();
}

/** The same address for calendar apps that subscribe on `webcal://` (iPhone, Mac, Outlook). */
export function webcalUrl(httpsUrl: string): string {
  return httpsUrl.replace(/^https?:/, "webcal:");
}
