import { beforeAll, describe, expect, it } from "vitest";
import { type Actor, at, futureDay, makeActor, makeCommunity, makeNeed, places } from "./factories";
import { call, errorOf } from "./helpers";

type Need = {
  id: string;
  communityId: string;
  status: string;
  windows: { start: string; end: string }[];
};

function needBody(day = futureDay()) {
  return {
    serviceType: "elderly_care",
    targetGroups: ["elderly"],
    expectedPeople: 40,
    windows: [{ start: `${day}T09:00:00+08:00`, end: `${day}T12:00:00+08:00` }],
    durationMinutes: 90,
    volunteersNeeded: 5,
    requiredSkills: ["first_aid"],
    minCertificateLevel: "intermediate",
    notes: "重阳节敬老活动",
  };
}

describe("/api/v1/needs", () => {
  let community: { id: string };
  let coordinator: Actor;
  beforeAll(async () => {
    community = await makeCommunity(places.shenhe, { isPilot: true });
    coordinator = await makeActor({ role: "coordinator", communityId: community.id });
  });

  it("lets a coordinator post a need for their own community", async () => {
    const response = await call("POST", "/api/v1/needs", {
      token: coordinator.token,
      json: needBody(),
    });
    expect(response.status).toBe(201);
    const need = (await response.json()) as Need;
    expect(need).toMatchObject({ communityId: community.id, status: "open" });
  });

  it("answers 404 when a coordinator posts for another community", async () => {
    const other = await makeCommunity(places.shenhe);
    const response = await call("POST", "/api/v1/needs", {
      token: coordinator.token,
      json: { ...needBody(), communityId: other.id },
    });
    expect(response.status).toBe(404);
  });

  it("answers 403 when a department posts", async () => {
    const department = await makeActor({ role: "department", regionCode: places.shenhe });
    const response = await call("POST", "/api/v1/needs", {
      token: department.token,
      json: { ...needBody(), communityId: community.id },
    });
    expect(response.status).toBe(403);
  });

  it("answers 400 with paths for windows without an offset, reversed or missing", async () => {
    const day = futureDay();
    const naive = await call("POST", "/api/v1/needs", {
      token: coordinator.token,
      json: {
        ...needBody(),
        windows: [{ start: `${day}T09:00:00`, end: `${day}T12:00:00+08:00` }],
      },
    });
    expect(naive.status).toBe(400);
    expect((await errorOf(naive)).issues.map((i) => i.path)).toContain("windows.0.start");
    const reversed = await call("POST", "/api/v1/needs", {
      token: coordinator.token,
      json: {
        ...needBody(),
        windows: [{ start: `${day}T12:00:00+08:00`, end: `${day}T09:00:00+08:00` }],
      },
    });
    expect(reversed.status).toBe(400);
    const none = await call("POST", "/api/v1/needs", {
      token: coordinator.token,
      json: { ...needBody(), windows: [] },
    });
    expect((await errorOf(none)).issues.map((i) => i.path)).toContain("windows");
  });

  it("lists only the coordinator's community, and filters by period", async () => {
    const other = await makeCommunity(places.shenhe);
    const mine = await makeNeed(community.id, {
      windows: [{ start: at("2031-05-01 09:00"), end: at("2031-05-01 12:00") }],
    });
    const theirs = await makeNeed(other.id, {
      windows: [{ start: at("2031-05-01 09:00"), end: at("2031-05-01 12:00") }],
    });
    const response = await call(
      "GET",
      "/api/v1/needs?from=2031-05-01T00:00:00%2B08:00&to=2031-05-02T00:00:00%2B08:00&limit=500",
      {
        token: coordinator.token,
      },
    );
    const ids = ((await response.json()) as { data: Need[] }).data.map((n) => n.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
    expect(
      (await call("GET", `/api/v1/needs/${theirs.id}`, { token: coordinator.token })).status,
    ).toBe(404);
  });

  it("answers 404 when a county department reads another county's need", async () => {
    const dalian = await makeCommunity(places.zhongshan);
    const need = await makeNeed(dalian.id);
    const department = await makeActor({ role: "department", regionCode: places.shenhe });
    expect(
      (await call("GET", `/api/v1/needs/${need.id}`, { token: department.token })).status,
    ).toBe(404);
    const cityDepartment = await makeActor({ role: "department", regionCode: places.dalian });
    expect(
      (await call("GET", `/api/v1/needs/${need.id}`, { token: cityDepartment.token })).status,
    ).toBe(200);
  });

  it("withdraws a need and refuses to change it afterwards", async () => {
    const need = await makeNeed(community.id);
    const withdrawn = await call("POST", `/api/v1/needs/${need.id}/withdraw`, {
      token: coordinator.token,
    });
    expect(withdrawn.status).toBe(200);
    expect(((await withdrawn.json()) as Need).status).toBe("withdrawn");
    const change = await call("PATCH", `/api/v1/needs/${need.id}`, {
      token: coordinator.token,
      json: { expectedPeople: 10 },
    });
    expect(change.status).toBe(409);
  });
});
