import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { signups } from "../../src/db/schema";
import { signUp } from "../../src/signups/service";
import { at, futureDay, makeCommunity, makeEvent, makeSocialWorker, places } from "./factories";
import { asCaller, onItsDay, withDb } from "./helpers";
import { getPage, makeStaffLogin, postForm, signIn } from "./web-helpers";

let communityId: string;
let cookie: string;

beforeAll(async () => {
  communityId = (await makeCommunity(places.shenhe, { isPilot: true })).id;
  cookie = await signIn(await makeStaffLogin({ role: "coordinator", communityId }));
});

async function makeOpenEvent(capacity = 10) {
  const worker = await makeSocialWorker(places.shenhe);
  const day = futureDay();
  return makeEvent({
    communityId,
    socialWorkerId: worker.id,
    start: at(`${day} 09:00`),
    end: at(`${day} 11:00`),
    capacity,
  });
}

async function signUpDirect(eventId: string, name: string) {
  const mobile = `137${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
  const result = await asCaller((caller) =>
    signUp(caller, { eventId, name, mobile, skills: [], consent: true }),
  );
  if (result.existing) throw new Error("unexpected existing sign-up");
  return { ...result.signup, mobile };
}

async function statusOf(id: string) {
  const [row] = await withDb((db) => db.select().from(signups).where(eq(signups.id, id)));
  return row?.status;
}

/** The text of the element with this id (no nested tags expected). */
function textOf(html: string, id: string): string | undefined {
  return new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(html)?.[1];
}

describe("the check-in page", () => {
  it("shows the coordinator the event, the code field, the counts and the list", async () => {
    const event = await makeOpenEvent(1);
    const first = await signUpDirect(event.id, "钱签到");
    const second = await signUpDirect(event.id, "孙候补");
    expect(second.status).toBe("waitlisted");
    const response = await getPage(`/staff/events/${event.id}/checkin`, { cookie });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(event.title);
    expect(html).toContain(`action="/staff/events/${event.id}/checkin"`);
    expect(html).toMatch(/<input[^>]*id="code"[^>]*>/);
    const input = /<input[^>]*id="code"[^>]*>/.exec(html)?.[0] ?? "";
    expect(input).toContain('autocapitalize="characters"');
    expect(input).toContain('inputmode="text"');
    expect(input).toContain('autocomplete="off"');
    expect(html).toContain('<label for="code">确认码</label>');
    expect(html).toContain("钱签到");
    expect(html).toContain("孙候补");
    expect(html).toContain(first.confirmationCode);
    expect(html).toContain(`${first.mobile.slice(0, 3)}****${first.mobile.slice(7)}`);
    expect(html).not.toContain(first.mobile);
    expect(textOf(html, "count-signed-up")).toBe("1");
    expect(textOf(html, "count-attended")).toBe("0");
    expect(textOf(html, "count-waitlisted")).toBe("1");
  });

  it("links each upcoming event on the staff home page to its check-in page", async () => {
    const event = await makeOpenEvent();
    const html = await (await getPage("/staff", { cookie })).text();
    expect(html).toContain(`href="/staff/events/${event.id}/checkin"`);
  });

  it("answers another community's coordinator with the 404 page", async () => {
    const event = await makeOpenEvent();
    const other = await makeCommunity(places.dadong, { isPilot: true });
    const outsider = await signIn(
      await makeStaffLogin({ role: "coordinator", communityId: other.id }),
    );
    const response = await getPage(`/staff/events/${event.id}/checkin`, { cookie: outsider });
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain(event.title);
    const signup = await signUpDirect(event.id, "周外人");
    const posted = await postForm(
      `/staff/events/${event.id}/checkin`,
      [["code", signup.confirmationCode]],
      { headers: onItsDay(event), cookie: outsider },
    );
    expect(posted.status).toBe(404);
    expect(await statusOf(signup.id)).toBe("confirmed");
  });

  it("checks a confirmed volunteer in by code and says so", async () => {
    const event = await makeOpenEvent();
    const signup = await signUpDirect(event.id, "吴到场");
    const typed = ` ${signup.confirmationCode.toLowerCase()} `;
    const response = await postForm(`/staff/events/${event.id}/checkin`, [["code", typed]], {
      headers: onItsDay(event),
      cookie,
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("已签到：吴到场");
    expect(textOf(html, "count-attended")).toBe("1");
    expect(await statusOf(signup.id)).toBe("attended");
  });

  it("shows an unknown code's error beside the field, keeping what was typed", async () => {
    const event = await makeOpenEvent();
    const signup = await signUpDirect(event.id, "郑未签");
    const response = await postForm(`/staff/events/${event.id}/checkin`, [["code", "AAAAAA"]], {
      headers: onItsDay(event),
      cookie,
    });
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain('<p class="field-error" id="code-error">本活动没有使用此确认码的报名');
    const input = /<input[^>]*id="code"[^>]*>/.exec(html)?.[0] ?? "";
    expect(input).toContain('value="AAAAAA"');
    expect(input).toContain('aria-invalid="true"');
    expect(input).toContain("code-error");
    expect(html).toContain(event.title);
    expect(await statusOf(signup.id)).toBe("confirmed");
  });

  it("refuses a waitlisted code beside the field", async () => {
    const event = await makeOpenEvent(1);
    await signUpDirect(event.id, "冯先到");
    const waiting = await signUpDirect(event.id, "陈候补");
    const response = await postForm(
      `/staff/events/${event.id}/checkin`,
      [["code", waiting.confirmationCode]],
      { headers: onItsDay(event), cookie },
    );
    expect(response.status).toBe(409);
    expect(await response.text()).toContain("仍在候补名单中");
    expect(await statusOf(waiting.id)).toBe("waitlisted");
  });

  it("refuses a form posted from another origin", async () => {
    const event = await makeOpenEvent();
    const signup = await signUpDirect(event.id, "褚跨站");
    const response = await postForm(
      `/staff/events/${event.id}/checkin`,
      [["code", signup.confirmationCode]],
      { headers: onItsDay(event), cookie, origin: "https://evil.example" },
    );
    expect(response.status).toBe(403);
    expect(await statusOf(signup.id)).toBe("confirmed");
  });
});

describe("the check-in page for the lead social worker", () => {
  it("lets the event's lead social worker check a volunteer in", async () => {
    const worker = await makeSocialWorker(places.shenhe);
    const day = futureDay();
    const event = await makeEvent({
      communityId,
      socialWorkerId: worker.id,
      start: at(`${day} 09:00`),
      end: at(`${day} 11:00`),
      capacity: 5,
    });
    const volunteer = await signUpDirect(event.id, "周到场");
    const lead = await signIn(
      await makeStaffLogin({ role: "social_worker", socialWorkerId: worker.id }),
    );
    const page = await getPage(`/staff/events/${event.id}/checkin`, { cookie: lead });
    expect(page.status).toBe(200);
    const response = await postForm(
      `/staff/events/${event.id}/checkin`,
      [["code", volunteer.confirmationCode]],
      { headers: onItsDay(event), cookie: lead },
    );
    expect(response.status).toBe(200);
    expect(await statusOf(volunteer.id)).toBe("attended");
  });

  it("answers 404 to a social worker who does not lead the event", async () => {
    const event = await makeOpenEvent(5);
    const other = await makeSocialWorker(places.shenhe);
    const stranger = await signIn(
      await makeStaffLogin({ role: "social_worker", socialWorkerId: other.id }),
    );
    expect((await getPage(`/staff/events/${event.id}/checkin`, { cookie: stranger })).status).toBe(
      404,
    );
  });
});
