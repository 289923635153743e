import { beforeAll, describe, expect, it } from "vitest";
import { type Actor, at, makeActor, makeCommunity, makeEvent, makeSocialWorker } from "./factories";
import { call } from "./helpers";
import { getPage, makeStaffLogin, signIn } from "./web-helpers";

// The dashboard's navigation: period presets, drill-down from any region row and the way back
// up, the prompt about outcomes awaiting sign-off, the print view, focusable scrolling tables.

/** 大连 甘井子区: a county no other test file uses, so its figures are this file's alone. */
const COUNTY = "210211";
const CITY = "210200";

let community: { id: string; regionCode: string; name: string };
let countyCookie: string;
let cityCookie: string;

async function recordOutcome(coordinator: Actor, signOff: Actor | undefined, day: string) {
  const worker = await makeSocialWorker(COUNTY);
  const event = await makeEvent({
    communityId: community.id,
    socialWorkerId: worker.id,
    start: at(`${day} 09:00`),
    end: at(`${day} 11:00`),
  });
  const put = await call("PUT", `/api/v1/events/${event.id}/outcome`, {
    token: coordinator.token,
    json: { personTimes: { residents: 30 }, volunteersAttended: 4 },
  });
  if (put.status !== 201) throw new Error(`outcome not recorded: ${put.status}`);
  if (!signOff) return;
  const lead = await makeActor({ role: "social_worker", socialWorkerId: worker.id });
  await call("POST", `/api/v1/events/${event.id}/outcome/sign-off`, { token: lead.token });
}

beforeAll(async () => {
  community = await makeCommunity(COUNTY, { isPilot: true });
  const coordinator = await makeActor({ role: "coordinator", communityId: community.id });
  await recordOutcome(coordinator, coordinator, "2019-04-10");
  await recordOutcome(coordinator, undefined, "2019-05-10");
  await recordOutcome(coordinator, undefined, "2019-05-20");
  countyCookie = await signIn(await makeStaffLogin({ role: "department", regionCode: COUNTY }));
  cityCookie = await signIn(await makeStaffLogin({ role: "department", regionCode: CITY }));
});

/** Where the link whose text is exactly `text` leads, from the dashboard (links are `?query`). */
function hrefOf(html: string, text: string): string | undefined {
  const link = new RegExp(`<a href="([^"]+)"[^>]*>${text}</a>`).exec(html)?.[1];
  const href = link?.replaceAll("&amp;", "&");
  return href?.startsWith("?") ? `/staff/tallies${href}` : href;
}

describe("the dashboard's period presets", () => {
  const may2026 = { "X-Test-Now": "2026-05-14T10:00:00+08:00" };

  it("offer this month, last month, this quarter, this year and 2025 as links", async () => {
    const html = await (
      await getPage(`/staff/tallies?region=${COUNTY}`, { cookie: countyCookie, headers: may2026 })
    ).text();
    const period = (text: string) => {
      const params = new URL(hrefOf(html, text) ?? "/", "http://x").searchParams;
      return `${params.get("region")} ${params.get("from")}..${params.get("to")}`;
    };
    expect(period("本月")).toBe(`${COUNTY} 2026-05..2026-05`);
    expect(period("上月")).toBe(`${COUNTY} 2026-04..2026-04`);
    expect(period("本季度")).toBe(`${COUNTY} 2026-04..2026-05`);
    expect(period("今年")).toBe(`${COUNTY} 2026-01..2026-05`);
    expect(period("2025 年")).toBe(`${COUNTY} 2025-01..2025-12`);
    // The default period is this year so far: its chip is the current one.
    expect(html).toMatch(/aria-current="true">今年<\/a>/);
  });

  it("mark the preset the period matches", async () => {
    const html = await (
      await getPage(`/staff/tallies?region=${COUNTY}&from=2025-01&to=2025-12`, {
        cookie: countyCookie,
        headers: may2026,
      })
    ).text();
    expect(html).toMatch(/aria-current="true">2025 年<\/a>/);
    expect(html).not.toMatch(/aria-current="true">今年<\/a>/);
  });
});

describe("drilling down from a region row", () => {
  const period = "from=2019-01&to=2019-12";

  it("links each county of a city to its own dashboard, for the same period, and back up", async () => {
    const html = await (
      await getPage(`/staff/tallies?region=${CITY}&${period}`, { cookie: cityCookie })
    ).text();
    const down = hrefOf(html, "甘井子区");
    expect(down).toBe(`/staff/tallies?region=${COUNTY}&from=2019-01&to=2019-12`);
    const county = await (await getPage(down ?? "", { cookie: cityCookie })).text();
    expect(county).toContain("<h1>甘井子区</h1>");
    expect(hrefOf(county, "大连市")).toBe(`/staff/tallies?region=${CITY}&from=2019-01&to=2019-12`);
    // …and on to the community, whose figures are there.
    const again = hrefOf(county, community.name);
    expect(again).toBe(`/staff/tallies?region=${community.regionCode}&from=2019-01&to=2019-12`);
    const page = await (await getPage(again ?? "", { cookie: cityCookie })).text();
    expect(page).toMatch(/服务群众（人次）<\/dt><dd>30/);
  });

  it("keeps a county department inside its county: no way up past it", async () => {
    const html = await (
      await getPage(`/staff/tallies?region=${community.regionCode}&${period}`, {
        cookie: countyCookie,
      })
    ).text();
    expect(hrefOf(html, "甘井子区")).toBeDefined();
    expect(hrefOf(html, "大连市")).toBeUndefined();
  });
});

describe("the dashboard's prompt, print view and tables", () => {
  it("says how many outcomes still wait for sign-off, left out of the figures", async () => {
    const html = await (
      await getPage(`/staff/tallies?region=${COUNTY}&from=2019-01&to=2019-12`, {
        cookie: countyCookie,
      })
    ).text();
    expect(html).toContain('<p class="prompt" role="status">有 2 条服务记录还在等带队社工签认');
    expect(html).toMatch(/服务群众（人次）<\/dt><dd>30/);
  });

  it("makes every scrolling table a focusable region named by its caption", async () => {
    const html = await (
      await getPage(`/staff/tallies?region=${COUNTY}&from=2019-01&to=2019-12`, {
        cookie: countyCookie,
      })
    ).text();
    const regions = html.match(/<section class="scroll" tabindex="0" aria-labelledby="[\w-]+">/g);
    const tables = html.match(/<table class="data"/g);
    expect(regions?.length).toBe(tables?.length);
    expect(html).toContain('aria-labelledby="region-table-caption"');
  });

  it("offers a print view: every table, no form, links back", async () => {
    const html = await (
      await getPage(`/staff/tallies?region=${COUNTY}&from=2019-01&to=2019-12&print=1`, {
        cookie: countyCookie,
      })
    ).text();
    expect(html).not.toContain('action="/staff/tallies"');
    expect(html).not.toContain('class="chips"');
    expect(html).not.toContain("/staff/tallies/export");
    for (const table of ["month-table", "type-table", "group-table", "region-table"])
      expect(html).toContain(`<table class="data" id="${table}">`);
    expect(html).toContain("@media print");
    expect(hrefOf(html, "← 返回统计页")).toBe(
      `/staff/tallies?region=${COUNTY}&from=2019-01&to=2019-12`,
    );
    const normal = await (
      await getPage(`/staff/tallies?region=${COUNTY}&from=2019-01&to=2019-12`, {
        cookie: countyCookie,
      })
    ).text();
    expect(hrefOf(normal, "数据表与打印版")).toBe(
      `/staff/tallies?region=${COUNTY}&from=2019-01&to=2019-12&print=1`,
    );
  });
});
