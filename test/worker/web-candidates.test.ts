import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { events, needs, socialWorkers } from "../../src/db/schema";
import {
  at,
  futureDay,
  makeCommunity,
  makeEvent,
  makeNeed,
  makeSocialWorker,
  makeTeam,
} from "./factories";
import { withDb } from "./helpers";
import {
  bookingFields,
  candidatePicks,
  confirmPath,
  getPage,
  makeStaffLogin,
  postForm,
  signIn,
} from "./web-helpers";

// Candidates in plain words, each social worker once (their other teams folded under them), and
// a confirmation step before anything is booked.

/** A county (铁岭 清河区) no other test file uses: these workers and teams are its only ones. */
const COUNTY = "211204";

/** Monday 08:00 (Beijing) of the week of a random future day: the pages' clock for the test. */
function mondayOf(day: string): Date {
  const noon = at(`${day} 12:00`);
  const weekday = (new Date(noon.getTime() + 8 * 3_600_000).getUTCDay() + 6) % 7;
  const monday = new Date(noon.getTime() - weekday * 86_400_000);
  return at(`${new Date(monday.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)} 08:00`);
}

const dayAfter = (monday: Date, days: number) =>
  new Date(monday.getTime() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);

let community: { id: string; name: string };
let cookie: string;

beforeAll(async () => {
  community = await makeCommunity(COUNTY, { isPilot: true });
  cookie = await signIn(await makeStaffLogin({ role: "coordinator", communityId: community.id }));
});

/** A legal-aid need on the Wednesday of `monday`'s week: only this file's people can do it. */
async function wednesdayNeed(monday: Date, notes?: string) {
  const wednesday = dayAfter(monday, 2);
  return makeNeed(community.id, {
    serviceType: "legal_aid",
    requiredSkills: ["mediation"],
    minCertificateLevel: "intermediate",
    windows: [{ start: at(`${wednesday} 09:00`), end: at(`${wednesday} 17:00`) }],
    notes,
  });
}

/** The need page's card (one per social worker) that names this worker. */
function cardOf(html: string, name: string): string {
  const cards = html.match(
    /<li class="card cand"[\s\S]*?>选择<\/a>\s*(<details>[\s\S]*?<\/details>\s*)?<\/li>/g,
  );
  return cards?.find((card) => card.includes(name)) ?? "";
}

describe("candidates in plain words", () => {
  it("says 同在…, the certificate against the requirement, and the room left in the week", async () => {
    const monday = mondayOf(futureDay());
    const worker = await makeSocialWorker(COUNTY, {
      certificateLevel: "intermediate",
      skills: ["legal_aid", "mediation"],
      weeklyCapacity: 3,
    });
    await makeTeam(COUNTY, { skills: ["legal_aid"], size: 12 });
    // One event already that week (Tuesday): two of three left.
    const tuesday = dayAfter(monday, 1);
    await makeEvent({
      communityId: community.id,
      socialWorkerId: worker.id,
      start: at(`${tuesday} 09:00`),
      end: at(`${tuesday} 11:00`),
    });
    const need = await wednesdayNeed(monday);
    const response = await getPage(`/staff/needs/${need.id}`, {
      cookie,
      headers: { "X-Test-Now": monday.toISOString() },
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(new TextEncoder().encode(html).length).toBeLessThan(20_000);
    const card = cardOf(html, worker.name);
    expect(card).toContain("<li>同在清河区</li>");
    expect(card).toContain("<li>持中级证书，满足要求</li>");
    expect(card).toContain("<li>本周还可接 2 场</li>");
    expect(card).toContain("<li>首次来本社区服务</li>");
    expect(card).toContain("<li>具备所需技能：法律援助、信访矛盾化解</li>");
    expect(card).toContain("<li>服务队同在清河区，12 人</li>");
    // The points stay available, on the confirmation page.
    const pick = candidatePicks(card)[0];
    if (!pick) throw new Error("no 选择 on the card");
    const confirm = await (
      await getPage(confirmPath(`/staff/needs/${need.id}`, pick), { cookie })
    ).text();
    expect(confirm).toMatch(/<details><summary>得分明细（总分 [\d.]+）<\/summary>/);
  });

  it("lists each social worker once, their other teams folded under them", async () => {
    const monday = mondayOf(futureDay());
    const senior = await makeSocialWorker(COUNTY, {
      certificateLevel: "senior",
      skills: ["legal_aid", "mediation"],
    });
    for (let i = 0; i < 3; i++) await makeTeam(COUNTY, { skills: ["legal_aid"], size: 12 });
    const need = await wednesdayNeed(monday);
    const html = await (await getPage(`/staff/needs/${need.id}`, { cookie })).text();
    const headings = html.match(/<h3 id="candidate-\d+">[^<]*<\/h3>/g) ?? [];
    expect(headings.filter((h) => h.includes(senior.name))).toHaveLength(1);
    const workers = new Set(candidatePicks(html).map((form) => form.socialWorkerId));
    expect(headings).toHaveLength(workers.size);
    expect(cardOf(html, senior.name)).toMatch(/同一社工还可搭配 \d 支其他服务队/);
  });
});

describe("the confirmation step before booking", () => {
  it("books nothing on 选择: the confirmation page shows the pair and the event's details", async () => {
    const monday = mondayOf(futureDay());
    await makeSocialWorker(COUNTY, { skills: ["legal_aid", "mediation"] });
    await makeTeam(COUNTY, { skills: ["legal_aid"] });
    const need = await wednesdayNeed(monday, "请带宣传册");
    const needPath = `/staff/needs/${need.id}`;
    const [pick] = candidatePicks(await (await getPage(needPath, { cookie })).text());
    if (!pick) throw new Error("no candidate");
    const response = await getPage(confirmPath(needPath, pick), { cookie });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("确认预约");
    expect(html).toContain(`action="${needPath}/accept"`);
    // Switching language keeps the choice: the same confirmation, in English.
    const english = /<a href="([^"]+)" hreflang="en"/.exec(html)?.[1]?.replaceAll("&amp;", "&");
    expect(english).toContain(`socialWorkerId=${pick.socialWorkerId}`);
    const switched = await getPage(english ?? "", { cookie });
    expect(switched.status).toBe(200);
    expect(await switched.text()).toContain('<html lang="en">');
    // The need's notes start the description volunteers will read.
    expect(html).toContain("请带宣传册</textarea>");
    const booked = await withDb((db) => db.select().from(events).where(eq(events.needId, need.id)));
    expect(booked).toHaveLength(0);
    const [row] = await withDb((db) => db.select().from(needs).where(eq(needs.id, need.id)));
    expect(row?.status).toBe("open");
  });

  it("books with the details typed on the confirmation page", async () => {
    const monday = mondayOf(futureDay());
    await makeSocialWorker(COUNTY, { skills: ["legal_aid", "mediation"] });
    await makeTeam(COUNTY, { skills: ["legal_aid"] });
    const need = await wednesdayNeed(monday);
    const needPath = `/staff/needs/${need.id}`;
    const [pick] = candidatePicks(await (await getPage(needPath, { cookie })).text());
    const response = await postForm(
      `${needPath}/accept`,
      bookingFields(pick, { meetingPoint: "北门", contact: "李老师", description: "普法讲座" }),
      { cookie },
    );
    expect(response.status).toBe(303);
    const [event] = await withDb((db) =>
      db.select().from(events).where(eq(events.needId, need.id)),
    );
    expect(event).toMatchObject({
      meetingPoint: "北门",
      contact: "李老师",
      description: "普法讲座",
      capacity: 5,
    });
  });

  it("keeps the pick and says what is wrong when the event's details are refused (400)", async () => {
    const monday = mondayOf(futureDay());
    await makeSocialWorker(COUNTY, { skills: ["legal_aid", "mediation"] });
    await makeTeam(COUNTY, { skills: ["legal_aid"] });
    const need = await wednesdayNeed(monday);
    const needPath = `/staff/needs/${need.id}`;
    const [pick] = candidatePicks(await (await getPage(needPath, { cookie })).text());
    const response = await postForm(
      `${needPath}/accept`,
      bookingFields(pick, { title: "", capacity: "0" }),
      { cookie },
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('id="book-title-error">请填写活动名称');
    expect(html).toContain('id="book-capacity-error">请输入 1 到 10000 之间的整数');
    expect(html).toContain(`name="socialWorkerId" value="${pick?.socialWorkerId}"`);
    const booked = await withDb((db) => db.select().from(events).where(eq(events.needId, need.id)));
    expect(booked).toHaveLength(0);
  });

  it("sends the coordinator back to choose again when the pick no longer fits (409)", async () => {
    const monday = mondayOf(futureDay());
    const worker = await makeSocialWorker(COUNTY, { skills: ["legal_aid", "mediation"] });
    await makeTeam(COUNTY, { skills: ["legal_aid"] });
    const need = await wednesdayNeed(monday);
    const needPath = `/staff/needs/${need.id}`;
    const pick = candidatePicks(await (await getPage(needPath, { cookie })).text()).find(
      (form) => form.socialWorkerId === worker.id,
    );
    if (!pick) throw new Error("the worker should be a candidate");
    await withDb((db) =>
      db.update(socialWorkers).set({ active: false }).where(eq(socialWorkers.id, worker.id)),
    );
    const response = await getPage(confirmPath(needPath, pick), { cookie });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain("这组人选已不再符合条件，请返回重新选择");
  });
});

describe("the need page's budget", () => {
  it("stays under the page budget with the fullest list: six social workers, two more teams each", async () => {
    // On a shared PostgreSQL every other file's workers and teams are candidates too, so the
    // page must fit its budget at the most it ever shows, not only with this file's few.
    const monday = mondayOf(futureDay());
    for (let i = 0; i < 8; i++) {
      await makeSocialWorker(COUNTY, {
        name: `满额社工${"甲乙丙丁戊己庚辛"[i]}长名字测试`,
        certificateLevel: "senior",
        skills: ["legal_aid", "mediation"],
      });
    }
    for (let i = 0; i < 4; i++) {
      await makeTeam(COUNTY, {
        name: `满额服务队${i}号志愿服务分队`,
        skills: ["legal_aid"],
        size: 12,
      });
    }
    const need = await wednesdayNeed(monday, "请带宣传册和登记表，提前十分钟到达社区服务站");
    const html = await (await getPage(`/staff/needs/${need.id}`, { cookie })).text();
    const headings = html.match(/<h3 id="candidate-\d+">/g) ?? [];
    expect(headings).toHaveLength(6);
    expect(html.match(/同一社工还可搭配 2 支其他服务队/g)).toHaveLength(6);
    expect(new TextEncoder().encode(html).length).toBeLessThan(20_000);
  });
});
