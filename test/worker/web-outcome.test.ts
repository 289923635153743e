import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { outcomes, volunteers } from "../../src/db/schema";
import { encryptPersonal, lookupHash } from "../../src/lib/personal-data";
import {
  at,
  makeCommunity,
  makeEvent,
  makeSocialWorker,
  makeTeam,
  places,
  unique,
} from "./factories";
import { call, clockAt, testKeys, withDb } from "./helpers";
import { getPage, makeStaffLogin, postForm, signIn } from "./web-helpers";

let community: { id: string; regionCode: string };
let coordinatorCookie: string;

beforeAll(async () => {
  community = await makeCommunity(places.zhongshan);
  coordinatorCookie = await signIn(
    await makeStaffLogin({ role: "coordinator", communityId: community.id }),
  );
});

/** A past event with one team of two registered volunteers, and its lead's cookie. */
async function pastEventWithTeam(day: string) {
  const worker = await makeSocialWorker(places.zhongshan);
  const team = await makeTeam(places.zhongshan);
  const keys = await testKeys();
  const members = await withDb(async (db) => {
    const rows = [];
    for (const name of ["王一", "李二"]) {
      const mobile = `137${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
      const [row] = await db
        .insert(volunteers)
        .values({
          teamId: team.id,
          name: `${name}${unique()}`,
          mobileCiphertext: await encryptPersonal(keys, mobile),
          mobileHash: await lookupHash(keys, mobile),
          mobileMasked: `${mobile.slice(0, 3)}****${mobile.slice(7)}`,
        })
        .returning();
      if (row) rows.push(row);
    }
    return rows;
  });
  const event = await makeEvent({
    communityId: community.id,
    socialWorkerId: worker.id,
    teamIds: [team.id],
    start: at(`${day} 14:00`),
    end: at(`${day} 16:00`),
  });
  const leadCookie = await signIn(
    await makeStaffLogin({ role: "social_worker", socialWorkerId: worker.id }),
  );
  return { event, members, leadCookie };
}

describe("the outcome page", () => {
  it("records an outcome from the form, ticking team members, and the lead signs it off", async () => {
    const { event, members, leadCookie } = await pastEventWithTeam("2022-05-14");
    const form = await getPage(`/staff/events/${event.id}/outcome`, { cookie: coordinatorCookie });
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain("尚未填写");
    expect(html).toContain(members[0]?.name);

    const saved = await postForm(
      `/staff/events/${event.id}/outcome`,
      [
        ["pt_elderly", "25"],
        ["pt_children", ""],
        ["volunteerIds", members[0]?.id ?? ""],
        ["volunteerIds", members[1]?.id ?? ""],
        ["note_disputes_mediated", "2"],
        ["remarks", "<b>端午</b>包粽子"],
      ],
      { cookie: coordinatorCookie },
    );
    expect(saved.status).toBe(303);
    expect(saved.headers.get("Location")).toBe(`/staff/events/${event.id}/outcome?saved`);
    const [row] = await withDb((db) =>
      db.select().from(outcomes).where(eq(outcomes.eventId, event.id)),
    );
    expect(row).toMatchObject({ volunteersAttended: 2, volunteerHours: 4, status: "recorded" });
    expect(row?.notes).toEqual([{ kind: "disputes_mediated", count: 2 }]);

    const view = await (
      await getPage(`/staff/events/${event.id}/outcome`, { cookie: leadCookie })
    ).text();
    expect(view).toContain("&lt;b&gt;端午&lt;/b&gt;");
    // Both members stay ticked: the page finds them by their keyed hash.
    expect(view.match(/name="volunteerIds" value="[^"]+" checked/g)?.length).toBe(2);
    expect(view).toContain("签认服务记录");

    const signed = await postForm(`/staff/events/${event.id}/outcome/sign-off`, [], {
      cookie: leadCookie,
    });
    expect(signed.status).toBe(303);
    const after = await (
      await getPage(`/staff/events/${event.id}/outcome`, { cookie: coordinatorCookie })
    ).text();
    expect(after).toContain("已签认");
    // The coordinator can no longer change it: the form's inputs are disabled, no save button.
    expect(after).not.toContain("保存服务记录");
  });

  it("says what is wrong beside the field and keeps what was typed", async () => {
    const { event } = await pastEventWithTeam("2022-05-21");
    const response = await postForm(
      `/staff/events/${event.id}/outcome`,
      [
        ["pt_elderly", "0"],
        ["volunteersAttended", "abc"],
        ["volunteerHours", "2.25"],
      ],
      { cookie: coordinatorCookie },
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain("请至少填写一个服务对象的服务人次");
    expect(html).toContain('id="volunteersAttended-error"');
    expect(html).toContain("请填写以半小时为单位的时长");
    expect(html).toContain('value="abc"');
  });

  it("says a number is too large, beside its own field, rather than 'not a whole number'", async () => {
    const { event } = await pastEventWithTeam("2022-06-04");
    const response = await postForm(
      `/staff/events/${event.id}/outcome`,
      [
        ["pt_elderly", "99999999999"],
        ["volunteersAttended", "2"],
      ],
      { cookie: coordinatorCookie },
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('id="pt-elderly-error">这个数字太大了，请核对后再填写<');
    // The summary's link leads to the field itself.
    expect(html).toContain('<a href="#pt-elderly">这个数字太大了，请核对后再填写</a>');
    expect(html).not.toContain("请填写 0 或正整数");
    expect(html).toContain('value="99999999999"');
  });

  it("refuses more hours than attendance allows, beside the hours", async () => {
    const { event } = await pastEventWithTeam("2022-05-28");
    const response = await postForm(
      `/staff/events/${event.id}/outcome`,
      [
        ["pt_residents", "10"],
        ["volunteersAttended", "2"],
        ["volunteerHours", "7"],
      ],
      { cookie: coordinatorCookie },
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("志愿服务时长超过了人数和活动时长允许的上限");
  });

  it("answers another community's event with the 404 page", async () => {
    const { event } = await pastEventWithTeam("2022-06-04");
    const other = await makeCommunity(places.shenhe);
    const cookie = await signIn(
      await makeStaffLogin({ role: "coordinator", communityId: other.id }),
    );
    const response = await getPage(`/staff/events/${event.id}/outcome`, { cookie });
    expect(response.status).toBe(404);
    const post = await postForm(`/staff/events/${event.id}/outcome`, [["pt_elderly", "5"]], {
      cookie,
    });
    expect(post.status).toBe(404);
    const api = await call("GET", `/api/v1/events/${event.id}/outcome`);
    expect(api.status).toBe(401);
  });
});

describe("the outcome link on the staff home page", () => {
  it("appears once the event has ended, by the request's clock, not while it is on", async () => {
    const { event, leadCookie } = await pastEventWithTeam("2023-03-08");
    const link = `/staff/events/${event.id}/outcome`;
    const home = async (when: string) => {
      const response = await getPage("/staff", {
        cookie: leadCookie,
        headers: clockAt(at(when)),
      });
      expect(response.status).toBe(200);
      return response.text();
    };
    const during = await home("2023-03-08 15:00");
    expect(during).toContain(`/staff/events/${event.id}/checkin`);
    expect(during).not.toContain(link);
    expect(await home("2023-03-08 16:30")).toContain(link);
  });
});

describe("people served by no one, on the page", () => {
  it("asks to confirm an outcome with no volunteers, then saves it once confirmed", async () => {
    const { event } = await pastEventWithTeam("2022-05-20");
    const fields: [string, string][] = [
      ["pt_residents", "12"],
      ["volunteersAttended", ""],
      ["volunteerHours", ""],
    ];
    const asked = await postForm(`/staff/events/${event.id}/outcome`, fields, {
      cookie: coordinatorCookie,
    });
    expect(asked.status).toBe(409);
    const html = await asked.text();
    expect(html).toContain("没有记录志愿者参与人数");
    expect(html).toContain('name="confirmNoVolunteers"');
    expect(
      await withDb((db) => db.select().from(outcomes).where(eq(outcomes.eventId, event.id))),
    ).toEqual([]);

    const saved = await postForm(
      `/staff/events/${event.id}/outcome`,
      [...fields, ["confirmNoVolunteers", "1"]],
      { cookie: coordinatorCookie },
    );
    expect(saved.status).toBe(303);
  });

  it("shows volunteers nobody identified as 未识别", async () => {
    const { event } = await pastEventWithTeam("2022-05-21");
    const saved = await postForm(
      `/staff/events/${event.id}/outcome`,
      [
        ["pt_residents", "12"],
        ["volunteersAttended", "4"],
      ],
      { cookie: coordinatorCookie },
    );
    expect(saved.status).toBe(303);
    const page = await getPage(`/staff/events/${event.id}/outcome`, { cookie: coordinatorCookie });
    expect(await page.text()).toContain("4 人（已识别 0 人，未识别 4 人）");
  });
});
