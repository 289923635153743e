import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type Actor,
  at,
  makeActor,
  makeCommunity,
  makeEvent,
  makeSocialWorker,
  places,
} from "./factories";
import { call } from "./helpers";
import { getPage, makeStaffLogin, signIn } from "./web-helpers";

// The dashboard reads the rollups through the same functions as the API; these tests check the
// page itself: who may see it, what it shows, that it needs no script, and its CSV downloads.

let community: { id: string; regionCode: string; name: string };
let departmentCookie: string;

beforeAll(async () => {
  community = await makeCommunity(places.dadong, { isPilot: true });
  const coordinator: Actor = await makeActor({ role: "coordinator", communityId: community.id });
  const worker = await makeSocialWorker(places.dadong);
  const lead = await makeActor({ role: "social_worker", socialWorkerId: worker.id });
  const event = await makeEvent({
    communityId: community.id,
    socialWorkerId: worker.id,
    start: at("2023-06-10 09:00"),
    end: at("2023-06-10 11:00"),
  });
  const put = await call("PUT", `/api/v1/events/${event.id}/outcome`, {
    token: coordinator.token,
    json: { personTimes: { elderly: 3, residents: 40 }, volunteersAttended: 5 },
  });
  if (put.status !== 201) throw new Error(`outcome not recorded: ${put.status}`);
  await call("POST", `/api/v1/events/${event.id}/outcome/sign-off`, { token: lead.token });
  departmentCookie = await signIn(
    await makeStaffLogin({ role: "department", regionCode: places.dadong }),
  );
});

const period = "from=2023-06&to=2023-06";

describe("the tallies dashboard", () => {
  it("shows headline figures, SVG charts with tables and no script", async () => {
    const response = await getPage(`/staff/tallies?region=${community.regionCode}&${period}`, {
      cookie: departmentCookie,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(response.headers.get("Content-Security-Policy")).toContain("default-src 'none'");
    const html = await response.text();
    expect(html).not.toContain("<script");
    expect(html).toContain(community.name);
    expect(html).toMatch(/服务群众（人次）<\/dt><dd>43/);
    expect(html.match(/<svg class="chart"[^>]*role="img"/g)?.length).toBe(3);
    expect(html).toContain('<title id="chart-month-title">各月服务人次</title>');
    // A county department looking at its community: the 3 older people are withheld.
    expect(html).toContain("&lt;5");
    expect(html).toContain("少于 5 人次");
    expect(html).toContain("/staff/tallies/export?table=month");
  });

  it("offers each table as a CSV download with a BOM", async () => {
    const response = await getPage(
      `/staff/tallies/export?table=serviceType&region=${community.regionCode}&${period}`,
      { cookie: departmentCookie },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment;/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(new TextDecoder().decode(bytes), { bom: true, columns: true }) as Record<
      string,
      string
    >[];
    const counselling = rows.find((row) => row.服务类型 === "心理疏导");
    expect(counselling?.["服务群众（人次）"]).toBe("43");
    expect(rows.at(-1)?.服务类型).toBe("合计");
  });

  it("answers a region outside the department's county with the 404 page", async () => {
    const response = await getPage(`/staff/tallies?region=${places.shenhe}`, {
      cookie: departmentCookie,
    });
    expect(response.status).toBe(404);
    const other = await getPage(`/staff/tallies/export?table=month&region=${places.shenhe}`, {
      cookie: departmentCookie,
    });
    expect(other.status).toBe(404);
  });

  it("says so when a month is malformed, and shows this year instead", async () => {
    const response = await getPage("/staff/tallies?from=2023-13", { cookie: departmentCookie });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("请按 2025-03 的格式填写月份");
  });

  it("sends someone signed out to the sign-in page", async () => {
    const response = await getPage("/staff/tallies");
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toMatch(/^\/staff\/login/);
  });
});
