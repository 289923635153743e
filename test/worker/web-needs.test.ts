import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { events, needs } from "../../src/db/schema";
import {
  futureDay,
  makeCommunity,
  makeNeed,
  makeSocialWorker,
  makeTeam,
  places,
} from "./factories";
import { withDb } from "./helpers";
import {
  bookingFields,
  candidatePicks,
  confirmPath,
  getPage,
  makeStaffLogin,
  needFormFields,
  postForm,
  signIn,
} from "./web-helpers";

const NEED_PATH = /^\/staff\/needs\/([0-9a-f-]{36})$/;

describe("coordinator need pages", () => {
  let community: { id: string; name: string };
  let cookie: string;
  let accountId: string;
  beforeAll(async () => {
    community = await makeCommunity(places.shenhe, { isPilot: true });
    const login = await makeStaffLogin({ role: "coordinator", communityId: community.id });
    accountId = login.accountId;
    cookie = await signIn(login);
    // Enough people in the county that a need has several candidates.
    for (const level of ["junior", "intermediate", "senior"] as const) {
      await makeSocialWorker(places.shenhe, {
        certificateLevel: level,
        skills: ["elderly_care", "first_aid"],
      });
      await makeTeam(places.shenhe, { skills: ["elderly_care", "first_aid"], size: 12 });
    }
  });

  it("shows the need form with a label for every control", async () => {
    const response = await getPage("/staff/needs/new", { cookie });
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const id of [
      "serviceType",
      "expectedPeople",
      "window-0-date",
      "window-0-from",
      "window-0-to",
      "durationMinutes",
      "volunteersNeeded",
      "minCertificateLevel",
      "notes",
    ]) {
      expect(html, id).toContain(`<label for="${id}">`);
      expect(html, id).toContain(`id="${id}"`);
    }
    expect(html).toContain("<legend>服务对象（可多选）</legend>");
    expect(html).toContain('<option value="elderly_care">养老照护</option>');
  });

  it("posts a valid form as a need of the coordinator's community, windows in Beijing time", async () => {
    const day = futureDay();
    const response = await postForm("/staff/needs/new", needFormFields(day), { cookie });
    expect(response.status).toBe(303);
    const id = NEED_PATH.exec(response.headers.get("Location") ?? "")?.[1];
    expect(id).toBeDefined();
    const [need] = await withDb((db) =>
      db
        .select()
        .from(needs)
        .where(eq(needs.id, id ?? "")),
    );
    expect(need).toMatchObject({
      communityId: community.id,
      serviceType: "elderly_care",
      targetGroups: ["elderly", "residents"],
      expectedPeople: 40,
      durationMinutes: 90,
      requiredSkills: ["first_aid"],
      status: "open",
      createdBy: accountId,
    });
    expect(need?.windowStart.toISOString()).toBe(new Date(`${day}T09:00:00+08:00`).toISOString());
    expect(need?.windowEnd.toISOString()).toBe(new Date(`${day}T11:30:00+08:00`).toISOString());
  });

  it("re-renders the form with each error beside its field and the input kept", async () => {
    const fields = needFormFields(futureDay(), {
      serviceType: "",
      expectedPeople: "abc",
      notes: "保留我",
    });
    const response = await postForm(
      "/staff/needs/new",
      fields.map(([name, value]) =>
        name === "windowTo" && value ? [name, "08:00"] : [name, value],
      ),
      { cookie },
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain('aria-describedby="expectedPeople-error"');
    expect(html).toContain(
      '<p class="field-error" id="expectedPeople-error">请输入 1 到 100000 之间的整数</p>',
    );
    expect(html).toContain('<p class="field-error" id="serviceType-error">请选择服务类型</p>');
    expect(html).toContain(
      '<p class="field-error" id="window-0-error">最晚开始时间须晚于最早开始时间</p>',
    );
    expect(html).toContain('href="#expectedPeople"');
    expect(html).toContain('value="abc"');
    expect(html).toContain("保留我</textarea>");
    expect(html).toMatch(/value="residents" checked=""|value="residents" checked/);
  });

  it("asks for at least one window when none is given", async () => {
    const fields = needFormFields(futureDay()).filter(([name]) => !name.startsWith("window"));
    const response = await postForm("/staff/needs/new", fields, { cookie });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('id="windows-error">请至少填写一个完整的时间段</p>');
  });

  it("adds a window row without JavaScript, keeping what was typed", async () => {
    const fields = needFormFields(futureDay(), { notes: "第二个时间段" });
    const response = await postForm("/staff/needs/new", [...fields, ["intent", "add-window"]], {
      cookie,
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('id="window-2-date"');
    expect(html).not.toContain('role="alert"');
    expect(html).toContain("第二个时间段</textarea>");
  });

  it("renders a script tag in the notes as inert text", async () => {
    const payload = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    const posted = await postForm(
      "/staff/needs/new",
      needFormFields(futureDay(), { notes: payload }),
      { cookie },
    );
    const response = await getPage(posted.headers.get("Location") ?? "", { cookie });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Security-Policy")).toContain("default-src 'none'");
    const html = await response.text();
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
  });

  it("shows ranked candidates, the exclusions by reason, and each score's parts on confirming", async () => {
    const posted = await postForm(
      "/staff/needs/new",
      needFormFields(futureDay(), { minCertificateLevel: "intermediate" }),
      { cookie },
    );
    const needPath = posted.headers.get("Location") ?? "";
    const html = await (await getPage(needPath, { cookie })).text();
    expect(html).toContain("推荐人选");
    expect(candidatePicks(html).length).toBeGreaterThan(1);
    expect(html).toContain("社工证书等级低于要求");
    expect(html).not.toContain("共评估");
    const [pick] = candidatePicks(html);
    const confirm = await (
      await getPage(
        confirmPath(
          needPath,
          pick ?? {
            socialWorkerId: "",
            teamId: "",
            start: "",
          },
        ),
        { cookie },
      )
    ).text();
    for (const part of ["技能匹配", "证书等级", "距离远近", "时间合适", "当前负荷", "以往服务"])
      expect(confirm).toContain(part);
  });

  it("books the second social worker after the confirmation step and opens the event page", async () => {
    const posted = await postForm("/staff/needs/new", needFormFields(futureDay()), { cookie });
    const needPath = posted.headers.get("Location") ?? "";
    const forms = candidatePicks(await (await getPage(needPath, { cookie })).text());
    const second = forms.find((form) => form.socialWorkerId !== forms[0]?.socialWorkerId);
    expect(second).toBeDefined();
    const accepted = await postForm(`${needPath}/accept`, bookingFields(second), { cookie });
    expect(accepted.status).toBe(303);
    const location = accepted.headers.get("Location") ?? "";
    const eventId = /^\/staff\/events\/([0-9a-f-]{36})\?done=booked$/.exec(location)?.[1] ?? "";
    const [event] = await withDb((db) => db.select().from(events).where(eq(events.id, eventId)));
    expect(event).toMatchObject({
      leadSocialWorkerId: second?.socialWorkerId,
      communityId: community.id,
      title: "重阳节敬老活动",
      capacity: 5,
    });
    const page = await (await getPage(location, { cookie })).text();
    expect(page).toContain("已创建活动");
    const home = await (await getPage("/staff", { cookie })).text();
    expect(home).toContain(`id="event-${eventId}"`);
  });

  it("shows the overlap on the need page (409) when the pair is already booked then", async () => {
    const day = futureDay();
    const first = await postForm("/staff/needs/new", needFormFields(day), { cookie });
    const firstPath = first.headers.get("Location") ?? "";
    const pick = candidatePicks(await (await getPage(firstPath, { cookie })).text())[0];
    expect((await postForm(`${firstPath}/accept`, bookingFields(pick), { cookie })).status).toBe(
      303,
    );
    const second = await postForm("/staff/needs/new", needFormFields(day), { cookie });
    const secondPath = second.headers.get("Location") ?? "";
    const clash = await postForm(`${secondPath}/accept`, bookingFields(pick), { cookie });
    expect(clash.status).toBe(409);
    expect(await clash.text()).toContain("所选社工或服务队在该时间已有其他活动");
  });

  it("answers 404 for another community's need, to look and to accept", async () => {
    const other = await makeCommunity(places.shenhe);
    const theirs = await makeNeed(other.id);
    const page = await getPage(`/staff/needs/${theirs.id}`, { cookie });
    expect(page.status).toBe(404);
    expect(await page.text()).toContain("未找到页面");
    const accept = await postForm(
      `/staff/needs/${theirs.id}/accept`,
      [["socialWorkerId", crypto.randomUUID()]],
      { cookie },
    );
    expect(accept.status).toBe(404);
    expect((await getPage("/staff/needs/not-a-uuid", { cookie })).status).toBe(404);
  });

  it("refuses a need form posted from another origin (CSRF) and stores nothing", async () => {
    const day = futureDay();
    const response = await postForm("/staff/needs/new", needFormFields(day), {
      cookie,
      origin: "https://evil.example",
    });
    expect(response.status).toBe(403);
    const rows = await withDb((db) =>
      db
        .select({ id: needs.id })
        .from(needs)
        .where(eq(needs.windowStart, new Date(`${day}T09:00:00+08:00`))),
    );
    expect(rows).toHaveLength(0);
  });

  it("shows English labels after the switch", async () => {
    const html = await (await getPage("/staff/needs/new?lang=en", { cookie })).text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<option value="elderly_care">Elderly care</option>');
    expect(html).toContain("Post the need");
  });
});
