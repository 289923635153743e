import { describe, expect, it } from "vitest";
import { anonymiseExpiredRequests } from "../../src/requests/retention";
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
  it("lists the request with its poster links, answers it and forwards another from the page", async () => {
    const community = await makeCommunity(COUNTY);
    const other = await makeCommunity(COUNTY);
    const cookie = await signIn(
      await makeStaffLogin({ role: "coordinator", communityId: community.id }),
    );
    const first = await askByForm(askFields({ c: community.id }, { consent: null }));
    const second = await askByForm(askFields({ c: community.id }, { consent: null }));
    const list = await (await getPage("/staff/requests", { cookie })).text();
    expect(list).toContain(first.code);
    expect(list).toContain(`/ask/qr.svg?c=${community.id}`);
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
