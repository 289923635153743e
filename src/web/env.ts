import type { Bindings, Variables } from "../env";
import type { Lang } from "./i18n";
import type { Messages } from "./i18n/zh";

/** The app's environment plus what the staff pages add: the chosen language and its catalogue. */
export type WebEnv = {
  Bindings: Bindings;
  Variables: Variables & { lang: Lang; t: Messages };
};
