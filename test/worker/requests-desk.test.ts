import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { anonymiseExpiredRequests } from "../../src/requests/retention";
import { requestDimensionLabels, requestFigureLabels } from "../../src/requests/vocabulary";
import { makeActor, makeCommunity, places } from "./factories";
import { asCaller, call, clockAt } from "./helpers";
import { askByForm, askFields, freshMobile, messagesOf, requestByCode } from "./requests-helpers";
import { getPage, makeStaffLogin, postForm, signIn } from "./web-helpers";

/** A county of its own, so the figures count this file's requests alone. */
const COUNTY = "210106";

describe("stations (爱心驿站, 司机之家)", () => {
  it("a coordinator registers a station and gets its poster links", async () => {
    const community = await makeCommunity(COUNTY);
    const coordinator = await makeActor({ role: "coordinator", communityId: community.id });
    const created = await call("POST", "/api/v1/stations", {
      token: coordinator.token,
      json: { kind: "drivers_home", name: "物流园司机之家" },
    });
    expect(created.status).toBe(201);
    const station = (await created.json()) as { id: string; posterUrl: string; qrUrl: string };
    expect(station.posterUrl).toBe(`http://shuangyi.test/ask?s=${station.id}`);
    const listed = await call("GET", "/api/v1/stations", { token: coordinator.token });
    expect(listed.status).toBe(200);
    expect(await listed.text()).toContain(station.id);
    const form = await (await getPage(`/ask?s=${station.id}`)).text();
    expect(form).toContain("司机之家（物流园司机之家）");
  });

  it("refuses a station for another community (404) and one without a name (400)", async () => {
    const community = await makeCommunity(COUNTY);
    const other = await makeCommunity(COUNTY);
    const coordinator = await makeActor({ role: "coordinator", communityId: community.id });
    const foreign = await call("POST", "/api/v1/stations", {
      token: coordinator.token,
      json: { communityId: other.id, kind: "love_station", name: "驿站" },
    });
    expect(foreign.status).toBe(404);
    const unnamed = await call("POST", "/api/v1/stations", {
      token: coordinator.token,
      json: { kind: "love_station", name: " " },
    });
    expect(unnamed.status).toBe(400);
  });
});

describe("the desk's pages", () => {
  it("lists the request, its poster links on their own page, answers it and forwards another from the page", async () => {
    const community = await makeCommunity(COUNTY);
    const other = await makeCommunity(COUNTY);
    const cookie = await signIn(
      await makeStaffLogin({ role: "coordinator", communityId: community.id }),
    );
    const first = await askByForm(askFields({ c: community.id }, { consent: null }));
    const second = await askByForm(askFields({ c: community.id }, { consent: null }));
    const list = await (await getPage("/staff/requests", { cookie })).text();
    expect(list).toContain(first.code);
    expect(list).toContain('href="/staff/requests/posters"');
    const posters = await (await getPage("/staff/requests/posters", { cookie })).text();
    expect(posters).toContain(`/ask/qr.svg?c=${community.id}`);
    const { id } = await requestByCode(first.code);
    const page = await (await getPage(`/staff/requests/${id}`, { cookie })).text();
    expect(page).toContain(`/staff/needs/new?request=${id}`);
    const answered = await postForm(`/staff/requests/${id}/answer`, [["reply", "已联系物业。"]], {
      cookie,
    });
    expect(answered.status).toBe(303);
    expect((await requestByCode(first.code)).status).toBe("answered");
    const empty = await postForm(`/staff/requests/${id}/answer`, [["reply", ""]], { cookie });
    expect(empty.status).toBe(400);
    const secondId = (await requestByCode(second.code)).id;
    const forwarded = await postForm(
      `/staff/requests/${secondId}/forward`,
      [
        ["to", other.id],
        ["reason", "不在本社区"],
      ],
      { cookie },
    );
    expect(forwarded.status).toBe(303);
    expect(forwarded.headers.get("Location")).toBe("/staff/requests?done=1");
    expect((await requestByCode(second.code)).deskCommunityId).toBe(other.id);
  });

  it("turns a request into a need through the need form, prefilled and linked", async () => {
    const community = await makeCommunity(COUNTY);
    const cookie = await signIn(
      await makeStaffLogin({ role: "coordinator", communityId: community.id }),
    );
    const asked = await askByForm(
      askFields({ c: community.id }, { askerKind: "courier", kind: "legal_aid", consent: null }),
    );
    const { id } = await requestByCode(asked.code);
    const form = await (await getPage(`/staff/needs/new?request=${id}`, { cookie })).text();
    expect(form).toContain(`name="requestId" value="${id}"`);
    expect(form).toMatch(/value="legal_aid" selected/);
    const day = "2031-05-06";
    const posted = await postForm(
      "/staff/needs/new",
      [
        ["requestId", id],
        ["serviceType", "legal_aid"],
        ["targetGroups", "courier"],
        ["expectedPeople", "12"],
        ["windowDate", day],
        ["windowFrom", "14:00"],
        ["windowTo", "17:00"],
        ["durationMinutes", "90"],
        ["volunteersNeeded", "2"],
        ["minCertificateLevel", "junior"],
      ],
      { cookie },
    );
    expect(posted.status).toBe(303);
    const stored = await requestByCode(asked.code);
    expect(stored.status).toBe("accepted");
    expect(posted.headers.get("Location")).toBe(`/staff/needs/${stored.needId}`);
  });
});

describe("department figures (研判)", () => {
  it("counts received, accepted, resolved within the limit and ratings, by asker, within scope", async () => {
    const community = await makeCommunity(COUNTY);
    const coordinator = await makeActor({ role: "coordinator", communityId: community.id });
    const department = await makeActor({ role: "department", regionCode: COUNTY });
    const elsewhere = await makeActor({ role: "department", regionCode: places.zhongshan });
    const when = clockAt(new Date("2023-05-08T10:00:00+08:00"));
    const a = await askByForm(askFields({ c: community.id }, { consent: null }), when);
    await askByForm(
      askFields(
        { c: community.id },
        { askerKind: "family_elderly", kind: "suggestion", consent: null },
      ),
      when,
    );
    const { id } = await requestByCode(a.code);
    await call("POST", `/api/v1/requests/${id}/answer`, {
      token: coordinator.token,
      json: { reply: "已解决" },
      headers: clockAt(new Date("2023-05-09T10:00:00+08:00")),
    });
    await postForm(`/requests/${a.token}/rating`, [["rating", "4"]]);
    const response = await call(
      "GET",
      `/api/v1/requests/figures?region=${COUNTY}&from=2023-05&to=2023-05&groupBy=askerKind`,
      { token: department.token },
    );
    expect(response.status).toBe(200);
    const figures = (await response.json()) as {
      total: Record<string, number | null>;
      rows: { key: string; received: number }[];
      suggestions: { description: string }[];
    };
    expect(figures.total).toMatchObject({
      received: 2,
      accepted: 1,
      resolved: 1,
      resolvedWithinLimit: 1,
      medianHoursToFirstAnswer: 24,
      averageRating: 4,
      ratings: 1,
    });
    expect(figures.rows.map((row) => [row.key, row.received])).toEqual([
      ["delivery_rider", 1],
      ["family_elderly", 1],
    ]);
    expect(figures.suggestions).toHaveLength(1);
    const outside = await call("GET", `/api/v1/requests/figures?region=${COUNTY}`, {
      token: elsewhere.token,
    });
    expect(outside.status).toBe(404);
    const unknownSplit = await call("GET", "/api/v1/requests/figures?groupBy=colour", {
      token: department.token,
    });
    expect(unknownSplit.status).toBe(400);
  });
});

describe("department figures (研判) as downloads", () => {
  it("gives the figures as CSV and xlsx with the page's labels, codes and months as text, a 合计 line", async () => {
    const community = await makeCommunity(COUNTY);
    const department = await makeActor({ role: "department", regionCode: COUNTY });
    const june = clockAt(new Date("2023-06-12T10:00:00+08:00"));
    await askByForm(askFields({ c: community.id }, { consent: null }), june);
    await askByForm(askFields({ c: community.id }, { consent: null }), june);
    await askByForm(
      askFields({ c: community.id }, { askerKind: "family_elderly", consent: null }),
      june,
    );
    const june2023 = `region=${COUNTY}&from=2023-06&to=2023-06`;
    const csv = await call("GET", `/api/v1/requests/figures?${june2023}&groupBy=month&format=csv`, {
      token: department.token,
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("Content-Type")).toContain("text/csv");
    expect(csv.headers.get("Content-Disposition")).toContain(
      `requests-month-${COUNTY}-2023-06.csv`,
    );
    const lines = parse((await csv.text()).replace(/^\uFEFF/, "")) as string[][];
    const header = lines[0] ?? [];
    expect(header).toEqual([
      requestDimensionLabels.month.zh,
      ...Object.values(requestFigureLabels).map((label) => label.zh),
    ]);
    expect(lines.slice(1)).toHaveLength(2);
    expect(lines[1]?.slice(0, 2)).toEqual(["2023-06", "3"]);
    expect(lines[2]?.slice(0, 2)).toEqual(["合计", "3"]);
    // No answer yet: the medians are empty cells, not a made-up 0.
    expect(lines[1]?.[header.indexOf(requestFigureLabels.medianHoursToFirstAnswer.zh)]).toBe("");

    const xlsx = await call(
      "GET",
      `/api/v1/requests/figures?${june2023}&groupBy=region&format=xlsx`,
      { token: department.token },
    );
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get("Content-Type")).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const rows: unknown[][] = [];
    workbook.worksheets[0]?.eachRow((row) => {
      rows.push((row.values as unknown[]).slice(1));
    });
    expect(rows[0]?.slice(0, 3)).toEqual([
      requestDimensionLabels.regionCode.zh,
      requestDimensionLabels.region.zh,
      requestFigureLabels.received.zh,
    ]);
    const mine = rows.find((row) => row[0] === community.regionCode);
    expect(typeof mine?.[0]).toBe("string");
    expect(mine?.[2]).toBe(3);
    expect(rows.at(-1)?.[0]).toBe("合计");
    expect(rows.at(-1)?.[2]).toBe(3);

    // The same figures in English on request; an unknown format is a 400 that says so.
    const english = await call(
      "GET",
      `/api/v1/requests/figures?${june2023}&groupBy=askerKind&format=csv&lang=en`,
      { token: department.token },
    );
    expect((await english.text()).split("\r\n")[0]).toContain("Who asked,Received");
    const wrong = await call("GET", `/api/v1/requests/figures?${june2023}&format=pdf`, {
      token: department.token,
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("must be json, csv or xlsx");
  });

  it("offers the dashboard's request figures as a download, within the caller's scope", async () => {
    const community = await makeCommunity(COUNTY);
    await askByForm(
      askFields({ c: community.id }, { consent: null }),
      clockAt(new Date("2023-07-03T10:00:00+08:00")),
    );
    const cookie = await signIn(await makeStaffLogin({ role: "department", regionCode: COUNTY }));
    const july = `region=${COUNTY}&from=2023-07&to=2023-07`;
    const html = await (await getPage(`/staff/tallies?${july}`, { cookie })).text();
    const link = /href="(\/staff\/tallies\/export\?table=requests[^"]+format=xlsx[^"]*)"/.exec(
      html,
    )?.[1];
    expect(link).toBeDefined();
    const csv = await getPage(`/staff/tallies/export?table=requests&${july}`, { cookie });
    expect(csv.status).toBe(200);
    const lines = parse((await csv.text()).replace(/^\uFEFF/, "")) as string[][];
    expect(lines[0]?.[0]).toBe(requestDimensionLabels.askerKind.zh);
    expect(lines.at(-1)?.slice(0, 2)).toEqual(["合计", "1"]);
    const outsider = await signIn(
      await makeStaffLogin({ role: "department", regionCode: places.zhongshan }),
    );
    const refused = await getPage(`/staff/tallies/export?table=requests&${july}`, {
      cookie: outsider,
    });
    expect(refused.status).toBe(404);
  });
});

describe("retention", () => {
  it("removes a requester's mobile and link copy after the retention period, keeping the request", async () => {
    const community = await makeCommunity(COUNTY);
    const coordinator = await makeActor({ role: "coordinator", communityId: community.id });
    const asked = await askByForm(
      askFields({ c: community.id }, { mobile: freshMobile() }),
      clockAt(new Date("2019-06-03T10:00:00+08:00")),
    );
    const { id } = await requestByCode(asked.code);
    await call("POST", `/api/v1/requests/${id}/answer`, {
      token: coordinator.token,
      json: { reply: "好" },
      headers: clockAt(new Date("2019-06-04T10:00:00+08:00")),
    });
    const removed = await asCaller(
      (caller) => anonymiseExpiredRequests(caller, 30),
      new Date("2019-07-20T00:00:00+08:00"),
    );
    expect(removed).toBeGreaterThanOrEqual(1);
    const row = await requestByCode(asked.code);
    expect([row.mobileCiphertext, row.mobileHash, row.mobileMasked, row.tokenSealed]).toEqual([
      null,
      null,
      null,
      null,
    ]);
    expect(row.anonymisedAt).not.toBeNull();
    expect((await messagesOf(id)).every((m) => m.status !== "pending")).toBe(true);
    const page = await (await getPage(`/requests/${asked.token}`)).text();
    expect(page).toContain("已答复办结");
  });
});
