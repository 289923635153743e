import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { figureLabels } from "../../src/tallies/figures";
import { type Actor, at, makeActor, makeCommunity, makeEvent, makeSocialWorker } from "./factories";
import { call } from "./helpers";
import { getPage, makeStaffLogin, signIn } from "./web-helpers";

// 台安县 (鞍山) is this file's alone: every figure below is of the events made here.
const county = "210321";
let community: { id: string; regionCode: string; name: string };
let department: Actor;
let departmentCookie: string;

beforeAll(async () => {
  community = await makeCommunity(county, { isPilot: true });
  department = await makeActor({ role: "department", regionCode: county });
  const coordinator = await makeActor({ role: "coordinator", communityId: community.id });
  const worker = await makeSocialWorker(county);
  const lead = await makeActor({ role: "social_worker", socialWorkerId: worker.id });
  const event = (day: string, status?: "cancelled") =>
    makeEvent({
      communityId: community.id,
      socialWorkerId: worker.id,
      start: at(`${day} 09:00`),
      end: at(`${day} 11:00`),
      status,
    });
  const record = async (id: string) => {
    const put = await call("PUT", `/api/v1/events/${id}/outcome`, {
      token: coordinator.token,
      json: { personTimes: { residents: 20 }, volunteersAttended: 3 },
    });
    if (put.status !== 201) throw new Error(`outcome not recorded: ${put.status}`);
  };
  // Held: recorded and signed off. Then one recorded only, one never recorded, one cancelled.
  const held = await event("2020-04-05");
  await record(held.id);
  await call("POST", `/api/v1/events/${held.id}/outcome/sign-off`, { token: lead.token });
  await record((await event("2020-04-06")).id);
  await event("2020-04-07");
  await event("2020-04-08", "cancelled");
  departmentCookie = await signIn(await makeStaffLogin({ role: "department", regionCode: county }));
});

const april = `region=${county}&from=2020-04&to=2020-04`;

async function json<T>(path: string): Promise<T> {
  const response = await call("GET", path, { token: department.token });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

interface Totals {
  events: number;
  personTimes: number;
  uniqueVolunteers: number;
  volunteerHours: number;
  activeSocialWorkers: number;
}

describe("one definition per figure", () => {
  it("counts in coverage the events held, as the tallies do, and the others under their own name", async () => {
    const tally = await json<{ totals: Totals }>(`/api/v1/tallies?${april}`);
    const coverage = await json<{
      counties: {
        code: string;
        events: number;
        eventsNotYetHeld: number;
        activeSocialWorkers: number;
        pilotCommunities: { id: string; events: number; eventsNotYetHeld: number }[];
        gaps: string[];
      }[];
    }>(`/api/v1/tallies/coverage?${april}`);
    const row = coverage.counties.find((c) => c.code === county);
    expect(tally.totals.events).toBe(1);
    expect(row?.events).toBe(tally.totals.events);
    expect(row?.activeSocialWorkers).toBe(tally.totals.activeSocialWorkers);
    expect(row?.eventsNotYetHeld).toBe(2);
    expect(row?.gaps).not.toContain("no_event");
    expect(row?.pilotCommunities.find((p) => p.id === community.id)).toMatchObject({
      events: 1,
      eventsNotYetHeld: 2,
    });
  });

  it("counts a county with only scheduled events as without an event held", async () => {
    const may = `region=${county}&from=2020-05&to=2020-05`;
    const worker = await makeSocialWorker(county);
    await makeEvent({
      communityId: community.id,
      socialWorkerId: worker.id,
      start: at("2020-05-03 09:00"),
      end: at("2020-05-03 10:00"),
    });
    const tally = await json<{ totals: Totals }>(`/api/v1/tallies?${may}`);
    const coverage = await json<{
      counties: { code: string; events: number; eventsNotYetHeld: number; gaps: string[] }[];
    }>(`/api/v1/tallies/coverage?${may}`);
    const row = coverage.counties.find((c) => c.code === county);
    expect(tally.totals.events).toBe(0);
    expect(row).toMatchObject({ events: 0, eventsNotYetHeld: 1 });
    expect(row?.gaps).toContain("no_event");
  });

  it("gives the pilot summary the tallies' figures for the same region and year", async () => {
    const tally = await json<{ totals: Totals }>(
      `/api/v1/tallies?region=${county}&from=2020-01&to=2020-12`,
    );
    const summary = await json<{
      events: number;
      personTimes: number;
      volunteers: number;
      volunteerHours: number;
      socialWorkers: number;
    }>(`/api/v1/tallies/pilot-summary?region=${county}&year=2020`);
    expect(summary).toMatchObject({
      events: tally.totals.events,
      personTimes: tally.totals.personTimes,
      volunteers: tally.totals.uniqueVolunteers,
      volunteerHours: tally.totals.volunteerHours,
      socialWorkers: tally.totals.activeSocialWorkers,
    });
  });

  it("labels a figure the same on the dashboard, in the tally CSV and in the summary CSV", async () => {
    const page = await getPage(`/staff/tallies?${april}`, { cookie: departmentCookie });
    const html = await page.text();
    const tallyCsv = await (
      await call("GET", `/api/v1/tallies?${april}&format=csv`, { token: department.token })
    ).text();
    const summaryCsv = await (
      await call("GET", `/api/v1/tallies/pilot-summary?region=${county}&year=2020&format=csv`, {
        token: department.token,
      })
    ).text();
    const shared = [
      "events",
      "personTimes",
      "uniqueVolunteers",
      "volunteerHours",
      "activeSocialWorkers",
    ] as const;
    for (const figure of shared) {
      const label = figureLabels[figure].zh;
      expect(html, `dashboard: ${figure}`).toContain(`<dt>${label}</dt>`);
      expect((parse(tallyCsv) as string[][])[0], `tally CSV: ${figure}`).toContain(label);
      expect(
        (parse(summaryCsv) as string[][]).map((line) => line[0]),
        `summary CSV: ${figure}`,
      ).toContain(label);
    }
    expect(html).toContain(figureLabels.eventsNotYetHeld.zh);
  });
});

/** The first sheet of an .xlsx response, read by a real spreadsheet library. */
async function sheetOf(response: Response) {
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toBe(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  );
  expect(response.headers.get("Content-Disposition")).toMatch(/\.xlsx"/);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(await response.arrayBuffer());
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error("no sheet");
  const rows: unknown[][] = [];
  sheet.eachRow((row) => {
    rows.push((row.values as unknown[]).slice(1));
  });
  return rows;
}

describe("a period with nothing held", () => {
  it("points the dashboard to the latest month an event was held, and to its year", async () => {
    const html = await (
      await getPage(`/staff/tallies?region=${county}&from=2021-01&to=2021-12`, {
        cookie: departmentCookie,
      })
    ).text();
    expect(html).toContain("本期没有已办结的服务活动。最近一次在 2020 年 4 月：");
    expect(html).toContain(
      `<a href="?region=${county}&amp;from=2020-01&amp;to=2020-12">查看 2020 年</a>`,
    );
    // A period that holds the event says nothing of the kind.
    const april2020 = await (
      await getPage(`/staff/tallies?${april}`, { cookie: departmentCookie })
    ).text();
    expect(april2020).not.toContain("本期没有已办结的服务活动");
  });
});

describe("spreadsheet-safe downloads (.xlsx)", () => {
  it("keeps months and region codes as text and figures as numbers, with a 合计 line", async () => {
    const csv = await (
      await call("GET", `/api/v1/tallies?${april}&groupBy=month,region&format=csv`, {
        token: department.token,
      })
    ).text();
    const rows = await sheetOf(
      await call("GET", `/api/v1/tallies?${april}&groupBy=month,region&format=xlsx`, {
        token: department.token,
      }),
    );
    const header = rows[0] as string[];
    // The same labels as the CSV, in the same order.
    expect(header).toEqual((parse(csv) as string[][])[0]);
    const body = rows.slice(1, -1);
    expect(body.length).toBeGreaterThan(0);
    for (const line of body) {
      expect(line[0]).toBe("2020-04");
      expect(typeof line[1]).toBe("string");
      expect(line[1]).toMatch(/^\d{9,12}$/);
      expect(typeof line[header.indexOf(figureLabels.events.zh)]).toBe("number");
      expect(typeof line[header.indexOf(figureLabels.volunteerHours.zh)]).toBe("number");
    }
    const total = rows.at(-1) as unknown[];
    expect(total[0]).toBe("合计");
    expect(total[header.indexOf(figureLabels.events.zh)]).toBe(1);
    expect(total[header.indexOf(figureLabels.personTimes.zh)]).toBe(20);
  });

  it("writes coverage with its county codes as text and a 合计 line", async () => {
    const rows = await sheetOf(
      await call("GET", `/api/v1/tallies/coverage?${april}&format=xlsx`, {
        token: department.token,
      }),
    );
    const mine = rows.find((line) => line[0] === county);
    expect(mine?.[2]).toBe(1);
    expect(mine?.[3]).toBe(2);
    expect(rows.at(-1)?.[0]).toBe("合计");
    expect(typeof rows.at(-1)?.[2]).toBe("number");
  });

  it("writes the pilot summary's figures as numbers", async () => {
    const rows = await sheetOf(
      await call("GET", `/api/v1/tallies/pilot-summary?region=${county}&year=2020&format=xlsx`, {
        token: department.token,
      }),
    );
    const value = (label: string) => rows.find((line) => line[0] === label)?.[1];
    expect(value(figureLabels.events.zh)).toBe(1);
    expect(value("年度")).toBe(2020);
  });

  it("offers every dashboard table as .xlsx beside the CSV", async () => {
    const page = await getPage(`/staff/tallies?${april}`, { cookie: departmentCookie });
    const html = await page.text();
    const links = [...html.matchAll(/href="(\/staff\/tallies\/export\?[^"]+)"/g)].map((m) =>
      (m[1] ?? "").replaceAll("&amp;", "&"),
    );
    const xlsx = links.filter((link) => link.includes("format=xlsx"));
    expect(xlsx.length).toBeGreaterThan(0);
    expect(xlsx.length).toBe(links.length - xlsx.length);
    for (const link of xlsx) {
      const rows = await sheetOf(await getPage(link, { cookie: departmentCookie }));
      expect(rows.length, link).toBeGreaterThan(1);
    }
    const byMonth = await sheetOf(
      await getPage(`/staff/tallies/export?table=month&${april}&format=xlsx`, {
        cookie: departmentCookie,
      }),
    );
    expect(byMonth[1]?.[0]).toBe("2020-04");
    expect(byMonth.at(-1)?.[0]).toBe("合计");
  });
});
