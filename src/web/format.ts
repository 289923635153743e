import type { Lang } from "./i18n";

/** Everything staff see is in Beijing time, whatever the server's or the phone's zone. */
const TIME_ZONE = "Asia/Shanghai";
/** China has kept UTC+8 without daylight saving since 1991, so local times convert exactly. */
const SHANGHAI_OFFSET = "+08:00";

const locales: Record<Lang, string> = { zh: "zh-CN", en: "en-GB" };
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

function formatter(lang: Lang, kind: "dateTime" | "date" | "time"): Intl.DateTimeFormat {
  const key = `${lang}:${kind}`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    const date = { year: "numeric", month: "short", day: "numeric", weekday: "short" } as const;
    const time = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" } as const;
    format = new Intl.DateTimeFormat(locales[lang], {
      timeZone: TIME_ZONE,
      ...(kind === "time" ? {} : date),
      ...(kind === "date" ? {} : time),
    });
    dateTimeFormats.set(key, format);
  }
  return format;
}

/** `2027年3月5日周五 10:00` / `Fri 5 Mar 2027, 10:00`, in Beijing time. */
export function formatDateTime(at: Date | string, lang: Lang): string {
  return formatter(lang, "dateTime").format(new Date(at));
}

/**
 * A time limit stored as the instant its last day ends (the next Beijing day's 00:00), written as
 * that last day: `2026年12月8日周二 24:00 前` / `by the end of Tue 8 Dec 2026`. Any other instant
 * is written as it is, with 前 / by.
 */
export function formatDeadline(due: Date | string, lang: Lang): string {
  const at = new Date(due);
  if (shanghaiTime(at) !== "00:00") {
    return lang === "zh" ? `${formatDateTime(at, lang)} 前` : `by ${formatDateTime(at, lang)}`;
  }
  const lastDay = formatter(lang, "date").format(new Date(at.getTime() - 1));
  return lang === "zh" ? `${lastDay} 24:00 前` : `by the end of ${lastDay.replace(",", "")}`;
}

/** The calendar day of an instant in Beijing time, as `YYYY-MM-DD`. */
export function shanghaiDay(at: Date | string): string {
  return new Date(new Date(at).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** A time range, naming the day once when both ends fall on it. */
export function formatRange(start: Date | string, end: Date | string, lang: Lang): string {
  if (shanghaiDay(start) !== shanghaiDay(end)) {
    return `${formatDateTime(start, lang)} – ${formatDateTime(end, lang)}`;
  }
  return `${formatDateTime(start, lang)}–${formatter(lang, "time").format(new Date(end))}`;
}

/** A date and a time typed on the form (`2027-03-05`, `09:30`) as an instant in Beijing time. */
export function shanghaiInstant(date: string, time: string): string {
  return `${date}T${time}:00${SHANGHAI_OFFSET}`;
}

/** Points with one decimal: `24.5`. */
export function formatPoints(points: number): string {
  return (Math.round(points * 10) / 10).toFixed(1);
}

/** The clock time of an instant in Beijing time, as `HH:MM` (what a time input holds). */
export function shanghaiTime(at: Date | string): string {
  return new Date(new Date(at).getTime() + 8 * 3_600_000).toISOString().slice(11, 16);
}

/** A text's first `max` characters and an ellipsis when longer (a list shows the start). */
export function shortened(text: string, max: number): string {
  const characters = Array.from(text);
  if (characters.length <= max) return text;
  return `${characters.slice(0, max).join("")}…`;
}
