import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import {
  type Actor,
  at,
  futureDay,
  makeActor,
  makeCommunity,
  makeSocialWorker,
  makeTeam,
  places,
} from "./factories";
import { call, clockAt, errorOf } from "./helpers";
import {
  askByForm,
  askFields,
  freshMobile,
  makeStation,
  messagesOf,
  requestByCode,
} from "./requests-helpers";
import { getPage, postForm } from "./web-helpers";

const COUNTY = places.dadong;

let community: { id: string; regionCode: string };
let other: { id: string };
let coordinator: Actor;
let otherCoordinator: Actor;
let department: Actor;
let admin: Actor;

beforeAll(async () => {
  community = await makeCommunity(COUNTY);
  other = await makeCommunity(COUNTY);
  [coordinator, otherCoordinator, department, admin] = await Promise.all([
    makeActor({ role: "coordinator", communityId: community.id }),
    makeActor({ role: "coordinator", communityId: other.id }),
    makeActor({ role: "department", regionCode: COUNTY }),
    makeActor({ role: "admin" }),
  ]);
});

function needBody(day: string) {
  return {
    serviceType: "first_aid",
    targetGroups: ["delivery_rider"],
    expectedPeople: 20,
    windows: [{ start: `${day}T09:00:00+08:00`, end: `${day}T12:00:00+08:00` }],
    durationMinutes: 90,
    volunteersNeeded: 2,
    requiredSkills: ["first_aid"],
  };
}

async function newRequest(mobile?: string) {
  const station = await makeStation(community.id);
  const asked = await askByForm(
    askFields({ s: station.id }, mobile ? { mobile } : { consent: null }),
  );
  const row = await requestByCode(asked.code);
  return { ...asked, row };
}

describe("routing a request (平台流转)", () => {
  it("lists it at its community's desk and not at another's", async () => {
    const { row } = await newRequest();
    const mine = await call("GET", "/api/v1/requests?status=received&limit=500", {
      token: coordinator.token,
    });
    expect(mine.status).toBe(200);
    const body = (await mine.json()) as { data: { id: string; overdue: object }[] };
    expect(body.data.map((r) => r.id)).toContain(row.id);
    const theirs = await call("GET", `/api/v1/requests/${row.id}`, {
      token: otherCoordinator.token,
    });
    expect(theirs.status).toBe(404);
  });

  it("turns it into a linked need, and the requester is told", async () => {
    const { row, token } = await newRequest(freshMobile());
    const accepted = await call("POST", `/api/v1/requests/${row.id}/accept`, {
      token: coordinator.token,
      json: needBody(futureDay()),
    });
    expect(accepted.status).toBe(201);
    const body = (await accepted.json()) as {
      request: { status: string; needId: string; firstAnsweredAt: string };
      needId: string;
    };
    expect(body.request.status).toBe("accepted");
    expect(body.request.needId).toBe(body.needId);
    const need = await call("GET", `/api/v1/needs/${body.needId}`, { token: coordinator.token });
    expect(need.status).toBe(200);
    expect(((await need.json()) as { communityId: string }).communityId).toBe(community.id);
    expect((await messagesOf(row.id)).map((m) => m.kind)).toEqual(["received", "accepted"]);
    const page = await (await getPage(`/requests/${token}`)).text();
    expect(page).toContain("已受理，转为服务需求");
    const again = await call("POST", `/api/v1/requests/${row.id}/accept`, {
      token: coordinator.token,
      json: needBody(futureDay()),
    });
    expect(again.status).toBe(409);
  });

  it("refuses a department turning a request into a need (403) and a bad need (400)", async () => {
    const { row } = await newRequest();
    const byDepartment = await call("POST", `/api/v1/requests/${row.id}/accept`, {
      token: department.token,
      json: needBody(futureDay()),
    });
    expect(byDepartment.status).toBe(403);
    const bad = await call("POST", `/api/v1/requests/${row.id}/accept`, {
      token: coordinator.token,
      json: { ...needBody(futureDay()), expectedPeople: 0, communityId: other.id },
    });
    expect(bad.status).toBe(400);
  });

  it("answers and closes it with a reply the requester reads", async () => {
    const { row, token } = await newRequest();
    const answered = await call("POST", `/api/v1/requests/${row.id}/answer`, {
      token: coordinator.token,
      json: { reply: "驿站已加装 6 个充电口。" },
    });
    expect(answered.status).toBe(200);
    const body = (await answered.json()) as { status: string; steps: { kind: string }[] };
    expect(body.status).toBe("answered");
    expect(body.steps.map((s) => s.kind)).toEqual(["received", "answered"]);
    const page = await (await getPage(`/requests/${token}`)).text();
    expect(page).toContain("驿站已加装 6 个充电口。");
    const twice = await call("POST", `/api/v1/requests/${row.id}/answer`, {
      token: coordinator.token,
      json: { reply: "again" },
    });
    expect(twice.status).toBe(409);
  });

  it("forwards it to another community with a reason, which then has it", async () => {
    const { row, token } = await newRequest();
    const forwarded = await call("POST", `/api/v1/requests/${row.id}/forward`, {
      token: coordinator.token,
      json: { communityId: other.id, reason: "驿站归属北邻社区" },
    });
    expect(forwarded.status).toBe(200);
    expect(
      (await call("GET", `/api/v1/requests/${row.id}`, { token: otherCoordinator.token })).status,
    ).toBe(200);
    expect(
      (await call("GET", `/api/v1/requests/${row.id}`, { token: coordinator.token })).status,
    ).toBe(404);
    expect(await (await getPage(`/requests/${token}`)).text()).toContain("驿站归属北邻社区");
  });

  it("forwards it to the county department, whose desk then answers it", async () => {
    const { row } = await newRequest();
    const forwarded = await call("POST", `/api/v1/requests/${row.id}/forward`, {
      token: coordinator.token,
      json: { communityId: null, reason: "涉及多个社区" },
    });
    expect(forwarded.status).toBe(200);
    const body = (await forwarded.json()) as { desk: { communityId: null; regionCode: string } };
    expect(body.desk).toMatchObject({ communityId: null, regionCode: COUNTY });
    const answered = await call("POST", `/api/v1/requests/${row.id}/answer`, {
      token: department.token,
      json: { reply: "已协调区交通部门。" },
    });
    expect(answered.status).toBe(200);
  });

  it("audits every routing step", async () => {
    const { row } = await newRequest();
    await call("POST", `/api/v1/requests/${row.id}/answer`, {
      token: coordinator.token,
      json: { reply: "好的" },
    });
    const log = await call("GET", `/api/v1/audit-log?entity=request&entityId=${row.id}`, {
      token: admin.token,
    });
    expect(log.status).toBe(200);
    expect(await log.text()).toContain('"action":"answer"');
  });

  it("answers 400 for a forward without a reason, in the error shape", async () => {
    const { row } = await newRequest();
    const response = await call("POST", `/api/v1/requests/${row.id}/forward`, {
      token: coordinator.token,
      json: { communityId: other.id },
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).issues[0]?.path).toBe("reason");
  });
});

/** Calls the API and waits for the work queued after the response (immediate messages). */
async function callAndSettle(
  method: string,
  path: string,
  token: string,
  json: unknown,
  headers: Record<string, string> = {},
) {
  const ctx = createExecutionContext();
  const response = await createApp().fetch(
    new Request(`http://shuangyi.test${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...headers },
      body: JSON.stringify(json),
    }),
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

describe("messages to the requester", () => {
  it("sends the answer right after the response, before any Cron run", async () => {
    const { row } = await newRequest(freshMobile());
    const response = await callAndSettle(
      "POST",
      `/api/v1/requests/${row.id}/answer`,
      coordinator.token,
      {
        reply: "已加装充电口。",
      },
    );
    expect(response.status).toBe(200);
    const answered = (await messagesOf(row.id)).find((m) => m.kind === "answered");
    expect(answered).toMatchObject({ audience: "requester", status: "sent", attempts: 1 });
    expect(answered?.text).toContain("已加装充电口。");
  });
});

describe("feedback (反馈): the whole loop from the request to the rating", () => {
  it("follows the need to its event and signed-off outcome, then takes one rating", async () => {
    const { row, token } = await newRequest(freshMobile());
    const day = futureDay();
    const accepted = await call("POST", `/api/v1/requests/${row.id}/accept`, {
      token: coordinator.token,
      json: needBody(day),
    });
    const { needId } = (await accepted.json()) as { needId: string };
    const worker = await makeSocialWorker(COUNTY, {
      certificateLevel: "senior",
      skills: ["first_aid"],
    });
    const team = await makeTeam(COUNTY, { skills: ["first_aid"] });
    const booked = await call("POST", `/api/v1/needs/${needId}/accept`, {
      token: coordinator.token,
      json: { socialWorkerId: worker.id, teamId: team.id, start: `${day}T09:00:00+08:00` },
    });
    expect(booked.status).toBe(201);
    const event = (await booked.json()) as { id: string };
    expect(await (await getPage(`/requests/${token}`)).text()).toContain("已安排");

    const after = clockAt(at(`${day} 12:00`));
    const recorded = await call("PUT", `/api/v1/events/${event.id}/outcome`, {
      token: coordinator.token,
      json: { personTimes: { delivery_rider: 18 }, volunteersAttended: 2 },
      headers: after,
    });
    expect(recorded.status).toBe(201);
    const lead = await makeActor({ role: "social_worker", socialWorkerId: worker.id });
    const signed = await callAndSettle(
      "POST",
      `/api/v1/events/${event.id}/outcome/sign-off`,
      lead.token,
      {},
      after,
    );
    expect(signed.status).toBe(200);

    expect((await requestByCode(row.trackingCode)).status).toBe("resolved");
    // Told at once, not at the next Cron run.
    const told = (await messagesOf(row.id)).find((m) => m.kind === "resolved");
    expect(told?.status).toBe("sent");
    const page = await (await getPage(`/requests/${token}`)).text();
    expect(page).toContain("服务已完成");
    expect(page).toContain("服务记录已确认");
    expect(page).toContain(`action="/requests/${token}/rating"`);

    const rated = await postForm(`/requests/${token}/rating`, [
      ["rating", "5"],
      ["comment", "培训很实用"],
    ]);
    expect(rated.status).toBe(303);
    const thanked = await (await getPage(`/requests/${token}?rated=1`)).text();
    expect(thanked).toContain("感谢您的评价");
    expect(thanked).not.toContain(`action="/requests/${token}/rating"`);
    const twice = await postForm(`/requests/${token}/rating`, [["rating", "1"]]);
    expect(twice.status).toBe(409);
    const stored = await requestByCode(row.trackingCode);
    expect([stored.rating, stored.ratingComment]).toEqual([5, "培训很实用"]);
  });

  it("refuses a rating before the request is closed (409) and a rating out of 1–5 (400)", async () => {
    const { token } = await newRequest();
    expect((await postForm(`/requests/${token}/rating`, [["rating", "4"]])).status).toBe(409);
    expect((await postForm(`/requests/${token}/rating`, [["rating", "9"]])).status).toBe(400);
  });
});
