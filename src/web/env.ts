import type { Context } from "hono";
import type { AppEnv, Bindings, Variables } from "../env";
import type { Lang } from "./i18n";
import type { Messages } from "./i18n/zh";

/** The app's environment plus what the staff pages add: the chosen language and its catalogue. */
export type WebEnv = {
  Bindings: Bindings;
  Variables: Variables & { lang: Lang; t: Messages };
};

/**
 * The page's context where shared code (bookEvent, createWithAudit) asks for the app's. It has
 * every variable the app's has and more; TypeScript refuses only because `c.set` is invariant.
 */
export function appContext(c: Context<WebEnv>): Context<AppEnv> {
  return c as unknown as Context<AppEnv>;
}
