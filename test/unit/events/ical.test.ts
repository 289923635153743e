import ICAL from "ical.js";
import { afterEach, describe, expect, it } from "vitest";
import { type CalendarEvent, renderCalendar } from "../../../src/events/ical";

const NOW = new Date("2026-03-01T08:30:15.000Z");

function makeEvent(overrides: Partial<CalendarEvent> = {}): CalendarEvent {
  return {
    id: crypto.randomUUID(),
    title: "长者健康讲座",
    start: new Date("2026-03-05T02:00:00Z"),
    end: new Date("2026-03-05T04:00:00Z"),
    location: "沈阳市和平区南湖社区服务中心",
    description: "请提前十分钟到场。",
    status: "scheduled",
    accepted: true,
    sequence: 0,
    updatedAt: new Date("2026-02-20T01:02:03Z"),
    ...overrides,
  };
}

function render(events: CalendarEvent[], name = "王社工的服务日程"): string {
  return renderCalendar({ name, events, now: NOW });
}

/** Parses with ical.js, resolving TZIDs only through the feed's own VTIMEZONE blocks. */
function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const zone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(zone);
  }
  const events = calendar.getAllSubcomponents("vevent").map((vevent) => new ICAL.Event(vevent));
  return { calendar, events };
}

function parseOne(event: CalendarEvent) {
  const [parsed] = parse(render([event])).events;
  if (!parsed) throw new Error("no VEVENT in the feed");
  return parsed;
}

/** The feed's physical lines as raw bytes, split at CRLF (the final empty chunk dropped). */
function physicalLines(text: string): Uint8Array[] {
  const bytes = new TextEncoder().encode(text);
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length - 1; i++) {
    if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) {
      lines.push(bytes.subarray(start, i));
      start = i + 2;
    }
  }
  return lines;
}

function unfold(text: string): string[] {
  return text.replace(/\r\n /g, "").split("\r\n");
}

afterEach(() => ICAL.TimezoneService.reset());

describe("renderCalendar, parsed back by ical.js", () => {
  it("lists one VEVENT per event, with UID <event id>@shuangyi", () => {
    const events = [makeEvent(), makeEvent(), makeEvent({ status: "cancelled" })];
    const parsed = parse(render(events)).events;
    expect(parsed.map((event) => event.uid)).toEqual(events.map((e) => `${e.id}@shuangyi`));
  });

  it("writes start and end as Shanghai wall-clock time that round-trips to the same instants", () => {
    const event = makeEvent();
    const text = render([event]);
    expect(unfold(text)).toContain("DTSTART;TZID=Asia/Shanghai:20260305T100000");
    expect(unfold(text)).toContain("DTEND;TZID=Asia/Shanghai:20260305T120000");
    const parsed = parseOne(event);
    expect(parsed.startDate.zone?.tzid).toBe("Asia/Shanghai");
    expect(parsed.startDate.toJSDate().toISOString()).toBe("2026-03-05T02:00:00.000Z");
    expect(parsed.endDate.toJSDate().toISOString()).toBe("2026-03-05T04:00:00.000Z");
  });

  it("moves an evening event past midnight UTC onto the next Shanghai day", () => {
    const event = makeEvent({ start: new Date("2026-03-05T16:30:00Z") });
    expect(unfold(render([event]))).toContain("DTSTART;TZID=Asia/Shanghai:20260306T003000");
    expect(parseOne(event).startDate.toJSDate().toISOString()).toBe("2026-03-05T16:30:00.000Z");
  });

  it("round-trips Chinese text with commas, semicolons, backslashes and newlines exactly", () => {
    const event = makeEvent({
      title: "助老服务，第一期;报名\\签到",
      location: "大连市中山区，桃源街道;二楼\n活动室",
      description: "流程：\r\n1. 签到, 量血压;\n2. 讲座\\问答",
    });
    const parsed = parseOne(event);
    expect(parsed.summary).toBe(event.title);
    expect(parsed.location).toBe(event.location);
    expect(parsed.description).toBe("流程：\n1. 签到, 量血压;\n2. 讲座\\问答");
  });

  it("keeps a cancelled event in the feed with STATUS:CANCELLED, even if never accepted", () => {
    const parsed = parseOne(makeEvent({ status: "cancelled", accepted: false }));
    expect(parsed.component.getFirstPropertyValue("status")).toBe("CANCELLED");
  });

  it("marks an assignment not yet accepted TENTATIVE", () => {
    const parsed = parseOne(makeEvent({ accepted: false }));
    expect(parsed.component.getFirstPropertyValue("status")).toBe("TENTATIVE");
  });

  it("marks an accepted event CONFIRMED, completed ones included", () => {
    const parsed = parse(render([makeEvent(), makeEvent({ status: "completed" })])).events;
    const statuses = parsed.map((event) => event.component.getFirstPropertyValue("status"));
    expect(statuses).toEqual(["CONFIRMED", "CONFIRMED"]);
  });

  it("takes SEQUENCE and LAST-MODIFIED from the input", () => {
    const updatedAt = new Date("2026-02-28T23:59:58Z");
    const parsed = parseOne(makeEvent({ sequence: 7, updatedAt }));
    expect(parsed.sequence).toBe(7);
    const lastModified = parsed.component.getFirstPropertyValue("last-modified");
    expect(lastModified instanceof ICAL.Time && lastModified.toJSDate()).toEqual(updatedAt);
  });

  it("renders a calendar with no events", () => {
    expect(parse(render([])).events).toHaveLength(0);
  });
});

describe("renderCalendar, raw format", () => {
  const long = (prefix: string) => `${prefix}${"沈阳社区服务🌱, ".repeat(30)}`;
  const text = render([
    makeEvent({ title: long(""), location: long("a"), description: long("ab") }),
    makeEvent({ title: "x".repeat(200) }),
  ]);

  it("ends every line, the last included, with CRLF and has no bare CR or LF", () => {
    expect(text.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  });

  it("keeps every physical line within 75 octets, filling ASCII lines to exactly 75", () => {
    const lengths = physicalLines(text).map((line) => line.length);
    expect(Math.max(...lengths)).toBe(75);
    expect(unfold(text).find((line) => line.startsWith("SUMMARY:x"))).toBe(
      `SUMMARY:${"x".repeat(200)}`,
    );
  });

  it("folds with CRLF and a single space, never splitting a UTF-8 character", () => {
    const decoder = new TextDecoder("utf-8", { fatal: true });
    const lines = physicalLines(text).map((line) => decoder.decode(line));
    expect(lines.filter((line) => line.startsWith(" ")).length).toBeGreaterThan(10);
    expect(lines.every((line) => /^( |[A-Z-]+[:;])/.test(line))).toBe(true);
    // Removing exactly CRLF + one space must give back the content line unchanged.
    expect(unfold(text)).toContain(`SUMMARY:${long("").replace(/,/g, "\\,")}`);
  });

  it("escapes backslash, semicolon, comma and newline in TEXT", () => {
    const event = makeEvent({ title: "a\\b;c,d\ne" });
    expect(unfold(render([event]))).toContain("SUMMARY:a\\\\b\\;c\\,d\\ne");
  });

  it("drops control characters that TEXT does not allow, keeping tabs", () => {
    const event = makeEvent({ title: "签到\u0000表\u0007\t二" });
    expect(unfold(render([event]))).toContain("SUMMARY:签到表\t二");
  });

  // ical.js leaves x-properties raw, so this is checked on the text: RFC 5545 §3.8.8.2 makes
  // TEXT their default value type, hence escaped like SUMMARY.
  it("escapes the calendar name as TEXT", () => {
    expect(unfold(render([], "李社工, 鞍山;日程"))).toContain("X-WR-CALNAME:李社工\\, 鞍山\\;日程");
  });

  it("stamps each event with DTSTAMP in UTC from now", () => {
    const stamps = unfold(text).filter((line) => line.startsWith("DTSTAMP"));
    expect(stamps).toEqual(["DTSTAMP:20260301T083015Z", "DTSTAMP:20260301T083015Z"]);
  });

  it("declares a published Gregorian calendar named for the feed, in Asia/Shanghai", () => {
    const lines = unfold(render([], "王社工的服务日程"));
    expect(lines.slice(0, 8)).toEqual([
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//Shuangyi//Service Events//ZH",
      "CALSCALE:GREGORIAN",
      "METHOD:PUBLISH",
      "X-WR-CALNAME:王社工的服务日程",
      "X-WR-TIMEZONE:Asia/Shanghai",
      "BEGIN:VTIMEZONE",
    ]);
  });

  it("includes a VTIMEZONE for Asia/Shanghai at a fixed +0800 (CST)", () => {
    const lines = unfold(render([]));
    const block = lines.slice(lines.indexOf("BEGIN:VTIMEZONE"), lines.indexOf("END:VTIMEZONE") + 1);
    expect(block).toEqual([
      "BEGIN:VTIMEZONE",
      "TZID:Asia/Shanghai",
      "BEGIN:STANDARD",
      "DTSTART:19700101T000000",
      "TZOFFSETFROM:+0800",
      "TZOFFSETTO:+0800",
      "TZNAME:CST",
      "END:STANDARD",
      "END:VTIMEZONE",
    ]);
  });
});
