/**
 * A social worker's private calendar feed as iCalendar text (RFC 5545), written by hand:
 * `ics` cannot emit TZID/VTIMEZONE, and `ical-generator` formats a plain Date under a TZID in
 * the runtime's own zone (so 10:00 in Shanghai came out as 02:00 on a UTC host).
 */

export interface CalendarEvent {
  id: string;
  title: string;
  start: Date;
  end: Date;
  location: string;
  description: string;
  status: "scheduled" | "completed" | "cancelled";
  /** Whether the lead social worker has accepted the assignment. */
  accepted: boolean;
  /** Grows with each change, so calendars replace their copy (RFC 5545 §3.8.7.4). */
  sequence: number;
  updatedAt: Date;
}

const TIME_ZONE = "Asia/Shanghai";
// China has kept UTC+8 all year since 1991, so one fixed offset is exact for every event we hold.
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const MAX_LINE_OCTETS = 75;

const SHANGHAI_VTIMEZONE = [
  "BEGIN:VTIMEZONE",
  `TZID:${TIME_ZONE}`,
  "BEGIN:STANDARD",
  "DTSTART:19700101T000000",
  "TZOFFSETFROM:+0800",
  "TZOFFSETTO:+0800",
  "TZNAME:CST",
  "END:STANDARD",
  "END:VTIMEZONE",
];

/** Renders the feed: every event, cancelled ones included so subscribed calendars drop them. */
export function renderCalendar(options: {
  name: string;
  events: CalendarEvent[];
  now: Date;
}): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Shuangyi//Service Events//ZH",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeText(options.name)}`,
    `X-WR-TIMEZONE:${TIME_ZONE}`,
    ...SHANGHAI_VTIMEZONE,
    ...options.events.flatMap((event) => renderEvent(event, options.now)),
    "END:VCALENDAR",
  ];
  return lines.map((line) => `${foldLine(line)}\r\n`).join("");
}

function renderEvent(event: CalendarEvent, now: Date): string[] {
  return [
    "BEGIN:VEVENT",
    `UID:${escapeText(`${event.id}@shuangyi`)}`,
    // For a published feed DTSTAMP is when this copy was made (RFC 5545 §3.8.7.2).
    `DTSTAMP:${formatUtc(now)}`,
    `DTSTART;TZID=${TIME_ZONE}:${formatShanghai(event.start)}`,
    `DTEND;TZID=${TIME_ZONE}:${formatShanghai(event.end)}`,
    `SUMMARY:${escapeText(event.title)}`,
    `LOCATION:${escapeText(event.location)}`,
    `DESCRIPTION:${escapeText(event.description)}`,
    `STATUS:${calendarStatus(event)}`,
    `SEQUENCE:${event.sequence}`,
    `LAST-MODIFIED:${formatUtc(event.updatedAt)}`,
    "END:VEVENT",
  ];
}

function calendarStatus(event: CalendarEvent): "CANCELLED" | "TENTATIVE" | "CONFIRMED" {
  if (event.status === "cancelled") return "CANCELLED";
  if (!event.accepted) return "TENTATIVE";
  return "CONFIRMED";
}

/** `YYYYMMDDTHHMMSSZ`. */
function formatUtc(date: Date): string {
  return `${formatDateTime(date)}Z`;
}

/** Local wall-clock time in Shanghai, `YYYYMMDDTHHMMSS`, to pair with TZID=Asia/Shanghai. */
function formatShanghai(date: Date): string {
  return formatDateTime(new Date(date.getTime() + SHANGHAI_OFFSET_MS));
}

function formatDateTime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError("iCalendar date is invalid");
  // "2026-03-05T02:00:00.000Z" -> "20260305T020000"
  return date.toISOString().slice(0, 19).replace(/[-:]/g, "");
}

/** TEXT escaping (RFC 5545 §3.3.11); other control characters are not allowed in TEXT at all. */
function escapeText(value: string): string {
  return (
    value
      .replace(/[\\;,]/g, (char) => `\\${char}`)
      .replace(/\r\n|\r|\n/g, "\\n")
      // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point here
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "")
  );
}

/**
 * Folds a content line to at most 75 UTF-8 octets per physical line (RFC 5545 §3.1), breaking
 * only between characters; each continuation starts with one space, which counts toward the 75.
 */
function foldLine(line: string): string {
  let folded = "";
  let octets = 0;
  for (const char of line) {
    const size = utf8Length(char.codePointAt(0) ?? 0);
    if (octets + size > MAX_LINE_OCTETS) {
      folded += "\r\n ";
      octets = 1;
    }
    folded += char;
    octets += size;
  }
  return folded;
}

function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3; // a lone surrogate is encoded as U+FFFD, also 3 octets
  return 4;
}
