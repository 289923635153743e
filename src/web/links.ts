import type { Context } from "hono";
import { publicUrl as withOrigin } from "../lib/links";
import type { WebEnv } from "./env";

/**
 * The absolute address of a path of this site, for links people copy, print or scan (sign-up
 * pages, posters, calendar feeds): always the configured public origin, never the Host header.
 */
export function publicUrl(c: Context<WebEnv>, path: string): string {
  return withOrigin(c.var.config.publicOrigin, path);
}

/** The same address for calendar apps that subscribe on `webcal://` (iPhone, Mac, Outlook). */
export function webcalUrl(httpsUrl: string): string {
  return httpsUrl.replace(/^https?:/, "webcal:");
}
