import { setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import {
  type DetectorOptions,
  detectFromCookie,
  detectFromHeader,
  detectFromQuery,
} from "hono/language";
import type { WebEnv } from "../env";
import { en } from "./en";
import { type Messages, zh } from "./zh";

export const languages = ["zh", "en"] as const;
export type Lang = (typeof languages)[number];

const catalogues: Record<Lang, Messages> = { zh, en };

const detector: DetectorOptions = {
  order: ["querystring", "cookie", "header"],
  lookupQueryString: "lang",
  lookupCookie: "lang",
  lookupFromPathIndex: 0,
  lookupFromHeaderKey: "accept-language",
  caches: false,
  ignoreCase: true,
  fallbackLanguage: "zh",
  supportedLanguages: [...languages],
};

const YEAR_SECONDS = 365 * 86_400;

/**
 * Picks the page language: `?lang=zh|en` (remembered in a `lang` cookie), else that cookie, else
 * Accept-Language, else Chinese. Sets `c.var.lang` and the catalogue `c.var.t`.
 */
export const chooseLanguage = createMiddleware<WebEnv>(async (c, next) => {
  const asked = detectFromQuery(c, detector) as Lang | undefined;
  if (asked) {
    setCookie(c, "lang", asked, {
      path: "/",
      maxAge: YEAR_SECONDS,
      httpOnly: true,
      secure: true,
      sameSite: "Lax",
    });
  }
  const lang = (asked ??
    detectFromCookie(c, detector) ??
    detectFromHeader(c, detector) ??
    "zh") as Lang;
  c.set("lang", lang);
  c.set("t", catalogues[lang]);
  await next();
});
