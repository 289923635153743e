import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { checkRequestLimits } from "../../src/requests/limits";
import { runScheduledJobs } from "../../src/scheduled";
import { type Actor, makeActor, makeCommunity } from "./factories";
import { asCaller, call, clockAt } from "./helpers";
import { askByForm, askFields, freshMobile, messagesOf, requestByCode } from "./requests-helpers";
import { getPage, makeStaffLogin, signIn } from "./web-helpers";

/** A county no other test file uses, so the department's overdue count is this file's alone. */
const COUNTY = "210105";

/** Monday 7 March 2022, 10:00 in Shanghai: 2 working days end with Wednesday 9 March. */
const ARRIVED = new Date("2022-03-07T10:00:00+08:00");
const shanghai = (text: string) => new Date(`${text}+08:00`);

let community: { id: string };
let department: Actor;
let coordinatorCookie: string;
let departmentCookie: string;

beforeAll(async () => {
  community = await makeCommunity(COUNTY);
  department = await makeActor({ role: "department", regionCode: COUNTY });
  coordinatorCookie = await signIn(
    await makeStaffLogin({ role: "coordinator", communityId: community.id }),
  );
  departmentCookie = await signIn(await makeStaffLogin({ role: "department", regionCode: COUNTY }));
});

async function unansweredRequest() {
  const { code } = await askByForm(
    askFields(
      { c: community.id },
      { askerKind: "family_elderly", kind: "elderly_care", mobile: freshMobile() },
    ),
    clockAt(ARRIVED),
  );
  return requestByCode(code);
}

const kindsOf = async (id: string) =>
  (await messagesOf(id)).map((m) => `${m.audience}:${m.kind}`).sort();

describe("time limits (限时办结), on a fake clock", () => {
  it("sets the limits at 2 and 15 Shanghai working days by default", async () => {
    const row = await unansweredRequest();
    expect(row.answerDueAt).toEqual(shanghai("2022-03-10T00:00:00"));
    expect(row.resolveDueAt).toEqual(shanghai("2022-03-29T00:00:00"));
  });

  it("counts on the State Council's holidays: asked on 30 September 2026, answered by the end of 9 October", async () => {
    const { code } = await askByForm(
      askFields({ c: community.id }, { kind: "elderly_care", consent: null }),
      clockAt(shanghai("2026-09-30T10:00:00")),
    );
    const row = await requestByCode(code);
    // 1–7 October are 国庆 holidays; 8 and 9 October the two working days.
    expect(row.answerDueAt).toEqual(shanghai("2026-10-10T00:00:00"));
    // 15 working days: 8, 9, 10 (调休 Saturday), 12–16, 19–23, 26, 27: the end of Tuesday 27 October.
    expect(row.resolveDueAt).toEqual(shanghai("2026-10-28T00:00:00"));
  });

  it("reminds the desk a day before the first-answer limit, and not earlier", async () => {
    const row = await unansweredRequest();
    await asCaller((caller) => checkRequestLimits(caller), shanghai("2022-03-08T12:00:00"));
    expect(await kindsOf(row.id)).not.toContain("desk:reminder");
    await asCaller((caller) => checkRequestLimits(caller), shanghai("2022-03-09T08:00:00"));
    expect(await kindsOf(row.id)).toContain("desk:reminder");
  });

  it("flags a request past its limit on the coordinator's home, its list and the department's dashboard", async () => {
    const row = await unansweredRequest();
    const late = clockAt(shanghai("2022-03-10T09:00:00"));
    const home = await (
      await getPage("/staff", { cookie: coordinatorCookie, headers: late })
    ).text();
    expect(home).toContain("条需求已超时限");
    const list = await (
      await getPage("/staff/requests?overdue=true", { cookie: coordinatorCookie, headers: late })
    ).text();
    expect(list).toContain(row.trackingCode);
    expect(list).toContain("超过首次答复时限");
    const early = await (
      await getPage("/staff/requests?overdue=true", {
        cookie: coordinatorCookie,
        headers: clockAt(shanghai("2022-03-09T09:00:00")),
      })
    ).text();
    expect(early).not.toContain(row.trackingCode);
    const dashboard = await (
      await getPage("/staff/tallies?from=2022-03&to=2022-03", {
        cookie: departmentCookie,
        headers: late,
      })
    ).text();
    expect(dashboard).toMatch(/[1-9]\d* 条需求已超时限/);
  });

  it("escalates to the county department when the limit passes: reminder and escalation in the outbox, counted overdue", async () => {
    const row = await unansweredRequest();
    const passed = shanghai("2022-03-10T09:00:00");
    const report = await asCaller(
      (caller) =>
        runScheduledJobs(
          caller,
          { async send() {} },
          {
            retentionDays: 3650,
            publicOrigin: env.PUBLIC_ORIGIN,
          },
        ),
      passed,
    );
    expect(report.requestEscalations).toBeGreaterThanOrEqual(1);
    const after = await requestByCode(row.trackingCode);
    expect(after.deskCommunityId).toBeNull();
    expect(after.deskRegionCode).toBe(COUNTY);
    expect(after.escalatedAt).toEqual(passed);
    expect(await kindsOf(row.id)).toEqual([
      "department:escalated",
      "desk:reminder",
      "requester:received",
    ]);
    const overdue = await call("GET", "/api/v1/requests?overdue=true&limit=500", {
      token: department.token,
      headers: clockAt(passed),
    });
    const body = (await overdue.json()) as { data: { id: string; overdue: { answer: boolean } }[] };
    const found = body.data.find((r) => r.id === row.id);
    expect(found?.overdue.answer).toBe(true);
    // Run again: nothing is written twice.
    await asCaller((caller) => checkRequestLimits(caller), shanghai("2022-03-10T09:15:00"));
    expect((await messagesOf(row.id)).length).toBe(3);
  });

  it("tells the department when the resolution limit passes, once", async () => {
    const row = await unansweredRequest();
    await asCaller((caller) => checkRequestLimits(caller), shanghai("2022-03-29T09:00:00"));
    await asCaller((caller) => checkRequestLimits(caller), shanghai("2022-03-29T10:00:00"));
    const kinds = await kindsOf(row.id);
    expect(kinds.filter((kind) => kind === "department:overdue")).toHaveLength(1);
  });

  it("leaves an answered request alone", async () => {
    const row = await unansweredRequest();
    const coordinator = await makeActor({ role: "coordinator", communityId: community.id });
    const answered = await call("POST", `/api/v1/requests/${row.id}/answer`, {
      token: coordinator.token,
      json: { reply: "已安排志愿者上门。" },
      headers: clockAt(shanghai("2022-03-08T10:00:00")),
    });
    expect(answered.status).toBe(200);
    await asCaller((caller) => checkRequestLimits(caller), shanghai("2022-03-30T10:00:00"));
    expect(await kindsOf(row.id)).toEqual(["requester:answered", "requester:received"]);
  });
});
