import { describe, expect, it } from "vitest";
import {
  at,
  futureDay,
  makeActor,
  makeCommunity,
  makeEvent,
  makeNeed,
  makeSocialWorker,
  makeTeam,
  places,
} from "./factories";
import { call, errorOf } from "./helpers";

// The description, meeting point and contact volunteers read: set when a candidate is picked,
// changed with PATCH, shown on the public event page.

async function setup() {
  const community = await makeCommunity(places.dadong);
  const coordinator = await makeActor({ role: "coordinator", communityId: community.id });
  return { community, coordinator };
}

describe("an event's details for volunteers", () => {
  it("are taken when a candidate is picked and returned with the event", async () => {
    const { community, coordinator } = await setup();
    const worker = await makeSocialWorker(places.dadong, { skills: ["counselling"] });
    const team = await makeTeam(places.dadong, { skills: ["counselling"] });
    const day = futureDay();
    const need = await makeNeed(community.id, {
      windows: [{ start: at(`${day} 09:00`), end: at(`${day} 12:00`) }],
    });
    const response = await call("POST", `/api/v1/needs/${need.id}/accept`, {
      token: coordinator.token,
      json: {
        socialWorkerId: worker.id,
        teamId: team.id,
        start: at(`${day} 09:00`).toISOString(),
        description: " 心理疏导讲座 ",
        meetingPoint: "社区活动室",
        contact: "",
      },
    });
    expect(response.status).toBe(201);
    const event = (await response.json()) as Record<string, unknown>;
    expect(event).toMatchObject({
      description: "心理疏导讲座",
      meetingPoint: "社区活动室",
      contact: null,
    });
  });

  it("change with PATCH (null or blank clears one) and refuse text that is too long", async () => {
    const { community, coordinator } = await setup();
    const worker = await makeSocialWorker(places.dadong);
    const day = futureDay();
    const event = await makeEvent({
      communityId: community.id,
      socialWorkerId: worker.id,
      start: at(`${day} 09:00`),
      end: at(`${day} 11:00`),
    });
    const patch = (json: unknown) =>
      call("PATCH", `/api/v1/events/${event.id}`, { token: coordinator.token, json });
    const set = await patch({ meetingPoint: "东门", contact: "赵老师", description: "带水杯" });
    expect(set.status).toBe(200);
    expect(await set.json()).toMatchObject({ meetingPoint: "东门", contact: "赵老师" });
    const cleared = await patch({ contact: null, description: "  " });
    expect(await cleared.json()).toMatchObject({
      meetingPoint: "东门",
      contact: null,
      description: null,
    });
    const tooLong = await patch({ meetingPoint: "门".repeat(201) });
    expect(tooLong.status).toBe(400);
    expect((await errorOf(tooLong)).issues[0]?.path).toBe("meetingPoint");
  });

  it("show on the public event page, escaped", async () => {
    const { community, coordinator } = await setup();
    const worker = await makeSocialWorker(places.dadong);
    const day = futureDay();
    const event = await makeEvent({
      communityId: community.id,
      socialWorkerId: worker.id,
      start: at(`${day} 09:00`),
      end: at(`${day} 11:00`),
    });
    await call("PATCH", `/api/v1/events/${event.id}`, {
      token: coordinator.token,
      json: {
        meetingPoint: "<b>北门</b>",
        contact: "钱老师 024-1234",
        description: "第一行\n第二行",
      },
    });
    const html = await (await call("GET", `/events/${event.id}`)).text();
    expect(html).toContain("<dt>集合地点</dt><dd>&lt;b&gt;北门&lt;/b&gt;</dd>");
    expect(html).toContain("<dt>联系方式</dt><dd>钱老师 024-1234</dd>");
    expect(html).toContain('<dt>活动介绍</dt><dd class="pre">第一行\n第二行</dd>');
  });
});
