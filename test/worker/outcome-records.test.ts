/**
 * Bulk outcome records (GET /api/v1/outcomes and /outcomes/export): every published figure can be
 * recomputed from them alone. Outcomes go in through the API (some signed off, one left unsigned,
 * one corrected after its month was closed, a directory volunteer at two events), then the
 * tallies and the pilot summary are recomputed from the export and compared.
 *
 * Isolation from the other test files (which share the database): everything lies in 连山区
 * (211402), which no other test uses, in 2024 (events) and in the month the adjustment is booked
 * (the request's clock, fixed at 2025-06 here).
 */
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { outcomeVolunteers, volunteers } from "../../src/db/schema";
import type { TargetGroup } from "../../src/domain/vocabulary";
import { encryptPersonal, lookupHash } from "../../src/lib/personal-data";
import {
  type Actor,
  at,
  makeActor,
  makeCommunity,
  makeEvent,
  makeSocialWorker,
  makeTeam,
  unique,
} from "./factories";
import { call, clockAt, testKeys, withDb } from "./helpers";

const COUNTY = "211402";
const OTHER_COUNTY = "211403";
/** The clock of every request here: adjustments are booked in 2025-06. */
const NOW = clockAt(at("2025-06-15 10:00"));

interface RecordBody {
  record?: string;
  eventId: string;
  communityId: string;
  leadSocialWorkerId: string;
  month: string;
  status: "recorded" | "signed_off";
  personTimes: Partial<Record<TargetGroup, number>>;
  peopleServed?: number | null;
  suppressed?: string[];
  volunteersAttended: number;
  volunteerHours: number;
  volunteers: string[];
  adjustments: {
    month: string;
    personTimes: Partial<Record<TargetGroup, number>>;
    volunteersAttendedDelta: number;
    volunteerHoursDelta: number;
  }[];
}

let admin: Actor;
let department: Actor;
let lead: Actor;
let leadId: string;
let otherLead: Actor;
let coordinator: Actor;
let firstCoordinator: Actor;
let firstCommunity: string;
let teamId: string;

async function member(teamId: string) {
  const keys = await testKeys();
  const mobile = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
  return withDb(async (db) => {
    const [row] = await db
      .insert(volunteers)
      .values({
        teamId,
        name: unique("志愿者"),
        mobileCiphertext: await encryptPersonal(keys, mobile),
        mobileHash: await lookupHash(keys, mobile),
        mobileMasked: `${mobile.slice(0, 3)}****${mobile.slice(7)}`,
      })
      .returning({ id: volunteers.id });
    if (!row) throw new Error("no volunteer");
    return row.id;
  });
}

async function record(
  eventId: string,
  body: Record<string, unknown>,
  by: Actor,
  signer: Actor | undefined,
): Promise<void> {
  const put = await call("PUT", `/api/v1/events/${eventId}/outcome`, {
    token: by.token,
    // Some records have no volunteer on purpose: confirmed, as the API asks.
    json: { confirmNoVolunteers: true, ...body },
    headers: NOW,
  });
  expect(put.status, await put.clone().text()).toBe(201);
  if (signer) {
    const signed = await call("POST", `/api/v1/events/${eventId}/outcome/sign-off`, {
      token: signer.token,
      json: {},
      headers: NOW,
    });
    expect(signed.status, await signed.clone().text()).toBe(200);
  }
}

beforeAll(async () => {
  admin = await makeActor({ role: "admin" });
  department = await makeActor({ role: "department", regionCode: COUNTY });
  const community = await makeCommunity(COUNTY, { isPilot: true });
  const second = await makeCommunity(COUNTY, { isPilot: true });
  firstCommunity = community.id;
  firstCoordinator = await makeActor({ role: "coordinator", communityId: community.id });
  coordinator = await makeActor({ role: "coordinator", communityId: second.id });
  const worker = await makeSocialWorker(COUNTY);
  const otherWorker = await makeSocialWorker(COUNTY);
  leadId = worker.id;
  lead = await makeActor({ role: "social_worker", socialWorkerId: worker.id });
  otherLead = await makeActor({ role: "social_worker", socialWorkerId: otherWorker.id });
  const team = await makeTeam(COUNTY);
  teamId = team.id;
  const [wang, li, zhao] = [await member(team.id), await member(team.id), await member(team.id)];

  const event = async (communityId: string, socialWorkerId: string, start: string) => {
    const row = await makeEvent({
      communityId,
      socialWorkerId,
      teamIds: [team.id],
      start: at(start),
      end: new Date(at(start).getTime() + 2 * 3_600_000),
    });
    return row.id;
  };
  // 2024-03: signed off, two volunteers; its month is then closed and corrected in 2025-06.
  const march = await event(community.id, worker.id, "2024-03-10 09:00");
  await record(
    march,
    { personTimes: { elderly: 12, residents: 30 }, volunteerIds: [wang, li], volunteerHours: 5 },
    firstCoordinator,
    lead,
  );
  // 2024-07: signed off, one volunteer again (distinct counts him once), one unidentified.
  const july = await event(community.id, worker.id, "2024-07-02 14:00");
  await record(
    july,
    {
      personTimes: { children: 8 },
      volunteerIds: [wang],
      volunteersAttended: 2,
      volunteerHours: 3,
    },
    firstCoordinator,
    lead,
  );
  // 2024-12-31 23:00 in Beijing: December 2024, though it is still the 31st in UTC… and later.
  const lateDecember = await event(second.id, otherWorker.id, "2024-12-31 21:30");
  await record(
    lateDecember,
    { personTimes: { courier: 6 }, volunteerIds: [zhao, li] },
    coordinator,
    otherLead,
  );
  // 2024-11: recorded, never signed off: listed, but counted in no figure.
  const unsigned = await event(second.id, otherWorker.id, "2024-11-20 09:00");
  await record(
    unsigned,
    { personTimes: { residents: 50 }, volunteerIds: [zhao] },
    coordinator,
    undefined,
  );

  const lock = await call("POST", "/api/v1/period-locks", {
    token: department.token,
    json: { region: COUNTY, month: "2024-03" },
    headers: NOW,
  });
  expect(lock.status).toBe(201);
  const adjusted = await call("POST", `/api/v1/events/${march}/outcome/adjustments`, {
    token: admin.token,
    json: {
      personTimes: { elderly: 3 },
      volunteersAttendedDelta: 1,
      volunteerHoursDelta: 1.5,
      reason: "补录漏记的三位老人",
    },
    headers: NOW,
  });
  expect(adjusted.status, await adjusted.clone().text()).toBe(201);
});

async function exported(
  year: number,
  token = admin.token,
): Promise<{ records: RecordBody[]; end: unknown }> {
  const response = await call("GET", `/api/v1/outcomes/export?region=${COUNTY}&year=${year}`, {
    token,
    headers: NOW,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toContain("application/x-ndjson");
  const lines = (await response.text()).trimEnd().split("\n");
  const parsed = lines.map((line) => JSON.parse(line) as RecordBody);
  return { records: parsed.slice(0, -1), end: parsed.at(-1) };
}

/** The figures of a tally, recomputed from records alone (held = signed off in the period). */
function recompute(records: RecordBody[], from: string, to: string) {
  const inPeriod = (month: string) => month >= from && month <= to;
  const held = records.filter((r) => r.status === "signed_off" && inPeriod(r.month));
  const adjustments = records.flatMap((r) => r.adjustments.filter((a) => inPeriod(a.month)));
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const personTimes = (groups: Partial<Record<string, number>>) =>
    sum(Object.values(groups).map((n) => n ?? 0));
  const adjusted = {
    personTimes: sum(adjustments.map((a) => personTimes(a.personTimes))),
    volunteersAttended: sum(adjustments.map((a) => a.volunteersAttendedDelta)),
    volunteerHours: sum(adjustments.map((a) => a.volunteerHoursDelta)),
  };
  return {
    events: held.length,
    personTimes: sum(held.map((r) => personTimes(r.personTimes))) + adjusted.personTimes,
    uniqueVolunteers: new Set(held.flatMap((r) => r.volunteers)).size,
    volunteersAttended: sum(held.map((r) => r.volunteersAttended)) + adjusted.volunteersAttended,
    volunteerHours: sum(held.map((r) => r.volunteerHours)) + adjusted.volunteerHours,
    activeSocialWorkers: new Set(held.map((r) => r.leadSocialWorkerId)).size,
    communitiesReached: new Set(held.map((r) => r.communityId)).size,
    adjustments: adjusted,
  };
}

describe("bulk outcome records", () => {
  it("recompute the tallies and the pilot summary of a year exactly, from one request", async () => {
    for (const year of [2024, 2025]) {
      const { records, end } = await exported(year);
      expect(end).toEqual({ record: "end", outcomes: records.length });
      const figures = recompute(records, `${year}-01`, `${year}-12`);
      const tally = await call(
        "GET",
        `/api/v1/tallies?region=${COUNTY}&from=${year}-01&to=${year}-12`,
        { token: admin.token, headers: NOW },
      );
      expect(tally.status).toBe(200);
      expect(((await tally.json()) as { totals: unknown }).totals).toEqual(figures);

      const summary = await call(
        "GET",
        `/api/v1/tallies/pilot-summary?region=${COUNTY}&year=${year}`,
        { token: admin.token, headers: NOW },
      );
      const body = (await summary.json()) as Record<string, number>;
      expect({
        events: body.events,
        personTimes: body.personTimes,
        volunteers: body.volunteers,
        volunteerHours: body.volunteerHours,
        socialWorkers: body.socialWorkers,
        pilotCommunitiesWithEvents: body.pilotCommunitiesWithEvents,
        adjustedPersonTimes: body.adjustedPersonTimes,
      }).toEqual({
        events: figures.events,
        personTimes: figures.personTimes,
        volunteers: figures.uniqueVolunteers,
        volunteerHours: figures.volunteerHours,
        socialWorkers: figures.activeSocialWorkers,
        pilotCommunitiesWithEvents: figures.communitiesReached,
        adjustedPersonTimes: figures.adjustments.personTimes,
      });
    }
    // The data is what the test says it is: 3 held in 2024, the fourth unsigned; 2025 only the
    // outcome corrected then, counting its adjustment and nothing else.
    const y2024 = recompute((await exported(2024)).records, "2024-01", "2024-12");
    expect(y2024).toMatchObject({ events: 3, uniqueVolunteers: 3, activeSocialWorkers: 2 });
    const y2025 = await exported(2025);
    expect(y2025.records.map((r) => r.month)).toEqual(["2024-03"]);
    expect(recompute(y2025.records, "2025-01", "2025-12")).toMatchObject({
      events: 0,
      personTimes: 3,
      volunteerHours: 1.5,
    });
  });

  it("puts the last evening of December in December (Asia/Shanghai), and lists the unsigned", async () => {
    const { records } = await exported(2024);
    expect(records.map((r) => [r.month, r.status])).toEqual([
      ["2024-03", "signed_off"],
      ["2024-07", "signed_off"],
      ["2024-11", "recorded"],
      ["2024-12", "signed_off"],
    ]);
  });

  it("name volunteers by pseudonyms equal across records and unlike anything stored", async () => {
    const { records } = await exported(2024);
    const [march, july] = records;
    expect(march?.volunteers).toHaveLength(2);
    expect(july?.volunteers).toHaveLength(1);
    expect(march?.volunteers).toContain(july?.volunteers[0]);
    const stored = await withDb((db) =>
      db.select({ key: outcomeVolunteers.volunteerKey }).from(outcomeVolunteers),
    );
    const text = JSON.stringify(records);
    expect(stored.length).toBeGreaterThan(0);
    for (const { key } of stored) expect(text).not.toContain(key);
  });

  it("walk page by page with a cursor to the same records, none twice, despite a write between pages", async () => {
    const { records } = await exported(2024);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query = `region=${COUNTY}&from=2024-01&to=2024-12&limit=1${cursor ? `&cursor=${cursor}` : ""}`;
      const response = await call("GET", `/api/v1/outcomes?${query}`, {
        token: department.token,
        headers: NOW,
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        data: RecordBody[];
        page: { limit: number; nextCursor: string | null };
      };
      seen.push(...body.data.map((r) => r.eventId));
      cursor = body.page.nextCursor;
      pages++;
      if (pages === 2) {
        // A write while the walk is under way: a new outcome, in a month the walk has passed.
        const january = await makeEvent({
          communityId: firstCommunity,
          socialWorkerId: leadId,
          teamIds: [teamId],
          start: at("2024-01-05 09:00"),
          end: at("2024-01-05 11:00"),
        });
        await record(january.id, { personTimes: { residents: 4 } }, firstCoordinator, lead);
      }
    } while (cursor && pages < 20);
    expect(seen).toEqual(records.map((r) => r.eventId));
    expect(pages).toBe(records.length);
  });

  it("filter by status, and refuse a cursor they did not give out (400)", async () => {
    const signed = await call(
      "GET",
      `/api/v1/outcomes?region=${COUNTY}&from=2024-01&to=2024-12&status=recorded`,
      { token: admin.token, headers: NOW },
    );
    expect(
      ((await signed.json()) as { data: RecordBody[] }).data.map((r: RecordBody) => r.month),
    ).toEqual(["2024-11"]);
    const bad = await call("GET", "/api/v1/outcomes?cursor=bm90LWEtY3Vyc29y", {
      token: admin.token,
      headers: NOW,
    });
    expect(bad.status).toBe(400);
    expect(
      ((await bad.json()) as { error: { issues: { path: string }[] } }).error.issues[0]?.path,
    ).toBe("cursor");
  });

  it("are scoped like the tallies: another county 404, a social worker 403, no token 401", async () => {
    const outsider = await makeActor({ role: "department", regionCode: OTHER_COUNTY });
    for (const path of [
      `/api/v1/outcomes?region=${COUNTY}`,
      `/api/v1/outcomes/export?region=${COUNTY}&year=2024`,
    ]) {
      expect((await call("GET", path, { token: outsider.token })).status).toBe(404);
      expect((await call("GET", path, { token: lead.token })).status).toBe(403);
      expect((await call("GET", path)).status).toBe(401);
    }
    // Its own region by default: nothing of 连山区.
    const own = await call("GET", "/api/v1/outcomes/export?year=2024", { token: outsider.token });
    expect(own.status).toBe(200);
    expect(await own.text()).not.toContain(leadId);
    // A coordinator sees its own community only.
    const mine = await call("GET", "/api/v1/outcomes?from=2024-01&to=2024-12", {
      token: coordinator.token,
      headers: NOW,
    });
    const months = ((await mine.json()) as { data: RecordBody[] }).data.map(
      (r: RecordBody) => r.month,
    );
    expect(months).toEqual(["2024-11", "2024-12"]);
  });

  it("export CSV a spreadsheet reads: a row per outcome and per adjustment, numbers as numbers", async () => {
    const response = await call(
      "GET",
      `/api/v1/outcomes/export?region=${COUNTY}&year=2024&format=csv`,
      { token: admin.token, headers: NOW },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("text/csv");
    expect(response.headers.get("Content-Disposition")).toContain("outcomes-211402-2024.csv");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    const { records } = await exported(2024);
    expect(rows.filter((r) => r.记录 === "服务记录").map((r) => r.活动编号)).toEqual(
      records.map((r) => r.eventId),
    );
    const adjustments = rows.filter((r) => r.记录 === "调整");
    expect(adjustments).toHaveLength(1);
    const adjustment = adjustments[0] as Record<string, string>;
    expect(adjustment.计入月份).toBe("2025-06");
    expect(adjustment["服务人次：老年人"]).toBe("3");
    expect(adjustment["志愿服务时长（小时）"]).toBe("1.5");
    const march = rows.find((r) => r.计入月份 === "2024-03" && r.记录 === "服务记录");
    expect(march?.["到场志愿者（化名）"]?.split(" ")).toHaveLength(2);
    expect(march?.["服务人次：老年人"]).toBe("12");
  });
});

describe("the outcome records for a county department (small-count suppression)", () => {
  it("withholds every sensitive group's person-times and the people served, naming them", async () => {
    const { records } = await exported(2024, department.token);
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) {
      expect(Object.keys(record.personTimes)).not.toContain("elderly");
      expect(Object.keys(record.personTimes)).not.toContain("children");
      expect(record.suppressed).toEqual(
        expect.arrayContaining([
          "personTimes.elderly",
          "personTimes.children",
          "personTimes.disabled",
          "peopleServed",
        ]),
      );
      expect(record.peopleServed).toBeNull();
    }
    // The admin's records of the same year show them.
    const full = await exported(2024);
    expect(full.records.some((r) => (r.personTimes.elderly ?? 0) > 0)).toBe(true);
  });

  it("shows them as <5 in the CSV", async () => {
    const response = await call(
      "GET",
      `/api/v1/outcomes/export?region=${COUNTY}&year=2024&format=csv`,
      { token: department.token, headers: NOW },
    );
    expect(response.status).toBe(200);
    const rows = parse(await response.text(), { columns: true, bom: true }) as Record<
      string,
      string
    >[];
    const outcomes = rows.filter((r) => r.记录 === "服务记录");
    expect(outcomes.length).toBeGreaterThan(0);
    expect(outcomes.every((r) => r["服务人次：老年人"] === "<5")).toBe(true);
  });
});

describe("the outcome records as a workbook", () => {
  async function workbookRows(year: number) {
    const response = await call(
      "GET",
      `/api/v1/outcomes/export?region=${COUNTY}&year=${year}&format=xlsx`,
      { token: admin.token, headers: NOW },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const rows: unknown[][] = [];
    workbook.worksheets[0]?.eachRow((row) => {
      rows.push((row.values as unknown[]).slice(1));
    });
    return rows;
  }

  it("keeps months, codes and ids as text, figures as numbers, and totals what the tallies count", async () => {
    for (const year of [2024, 2025]) {
      const rows = await workbookRows(year);
      const header = rows[0] as string[];
      const csv = await call(
        "GET",
        `/api/v1/outcomes/export?region=${COUNTY}&year=${year}&format=csv`,
        { token: admin.token, headers: NOW },
      );
      expect(header).toEqual((parse(await csv.text()) as string[][])[0]);
      const month = header.indexOf("计入月份");
      const region = header.indexOf("地区代码");
      const hours = header.indexOf("志愿服务时长（小时）");
      const body = rows.slice(1, -1);
      expect(body.length).toBeGreaterThan(0);
      for (const line of body) {
        expect(line[month]).toMatch(/^\d{4}-\d{2}$/);
        expect(line[region]).toMatch(/^211402\d{6}$/);
        expect(typeof line[hours]).toBe("number");
      }
      const total = rows.at(-1) as unknown[];
      expect(total[0]).toBe("合计（计入本年统计）");
      const people = header
        .map((label, column) => (label.startsWith("服务人次：") ? Number(total[column] ?? 0) : 0))
        .reduce((a, b) => a + b, 0);
      const tally = await call(
        "GET",
        `/api/v1/tallies?region=${COUNTY}&from=${year}-01&to=${year}-12`,
        { token: admin.token, headers: NOW },
      );
      const totals = (
        (await tally.json()) as { totals: { personTimes: number; volunteerHours: number } }
      ).totals;
      expect(people, `person-times ${year}`).toBe(totals.personTimes);
      expect(Number(total[hours] ?? 0), `hours ${year}`).toBe(totals.volunteerHours);
    }
  });
});
