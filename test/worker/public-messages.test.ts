import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { notifications } from "../../src/db/schema";
import { runScheduledJobs } from "../../src/scheduled";
import { signUp } from "../../src/signups/service";
import { developmentEnv, fetchApp, messagesTo } from "./dev-app";
import { places } from "./factories";
import { asCaller, withDb } from "./helpers";
import {
  freshMobile,
  makeAddressedCommunity,
  makePublicEvent,
  signupFields,
} from "./public-helpers";

let communityId: string;

beforeAll(async () => {
  communityId = (await makeAddressedCommunity(places.shenhe)).id;
});

function outboxOf(eventId: string) {
  return withDb((db) => db.select().from(notifications).where(eq(notifications.eventId, eventId)));
}

describe("messages a volunteer is waiting for", () => {
  it("sends the confirmation right after the sign-up, with the private link, before any Cron run", async () => {
    const { event } = await makePublicEvent(communityId, places.shenhe);
    const mobile = freshMobile();
    const response = await fetchApp(`/events/${event.id}/signup`, {
      form: signupFields({ mobile }),
    });
    expect(response.status).toBe(303);
    const link = (response.headers.get("Location") ?? "").replace(/\?new=1$/, "");
    const [row] = await outboxOf(event.id);
    expect(row).toMatchObject({ kind: "signup_confirmed", status: "sent", attempts: 1 });
    const [sms] = messagesTo(mobile);
    expect(sms?.kind).toBe("signup_confirmed");
    expect(sms?.text).toContain("报名成功");
    expect(sms?.text).toContain(`查看或取消：${link}`);
    expect(link).toMatch(/^http:\/\/shuangyi\.test\/signups\/[A-Za-z0-9_-]{20,}$/);
  });

  it("tells the first on the waitlist at once when a place is given up, with their link", async () => {
    const { event } = await makePublicEvent(communityId, places.shenhe, { capacity: 1 });
    const leaver = freshMobile();
    const waiting = freshMobile();
    const first = await fetchApp(`/events/${event.id}/signup`, {
      form: signupFields({ mobile: leaver }),
    });
    await fetchApp(`/events/${event.id}/signup`, { form: signupFields({ mobile: waiting }) });
    expect(messagesTo(waiting)[0]?.text).toContain("候补名单第 1 位");
    const leaverLink = new URL(first.headers.get("Location") ?? "").pathname;
    const cancelled = await fetchApp(`${leaverLink}/cancel`, { form: [] });
    expect(cancelled.status).toBe(200);
    const [promoted] = messagesTo(waiting);
    expect(promoted?.kind).toBe("promoted");
    expect(promoted?.text).toMatch(/查看或取消：http:\/\/shuangyi\.test\/signups\/[\w-]{20,}$/);
    const rows = await outboxOf(event.id);
    expect(rows.filter((row) => row.kind === "promoted").map((row) => row.status)).toEqual([
      "sent",
    ]);
  });

  it("leaves what the request could not send to the Cron job, which sends it with the link", async () => {
    const { event } = await makePublicEvent(communityId, places.shenhe);
    const mobile = freshMobile();
    // Signed up with no request around it (as if the isolate died before its delivery).
    await asCaller((caller) =>
      signUp(caller, { eventId: event.id, name: "周志愿", mobile, skills: [], consent: true }),
    );
    expect((await outboxOf(event.id)).map((row) => row.status)).toEqual(["pending"]);
    const texts: string[] = [];
    const sender = {
      async send(message: { to: string; text: string }) {
        if (message.to === mobile) texts.push(message.text);
      },
    };
    for (let run = 0; run < 20 && texts.length === 0; run++)
      await asCaller((caller) =>
        runScheduledJobs(caller, sender, { retentionDays: 30, publicOrigin: env.PUBLIC_ORIGIN }),
      );
    expect(texts[0]).toMatch(/查看或取消：http:\/\/shuangyi\.test\/signups\/[\w-]{20,}$/);
  });
});

describe("the development message list", () => {
  it("lists each delivered SMS with the number masked and the text in full", async () => {
    const { event } = await makePublicEvent(communityId, places.shenhe);
    const mobile = freshMobile();
    await fetchApp(`/events/${event.id}/signup`, { form: signupFields({ mobile }) });
    const response = await fetchApp("/dev/messages");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(`${mobile.slice(0, 3)}****${mobile.slice(7)}`);
    expect(html).not.toContain(mobile);
    expect(html).toMatch(/报名成功：「[^」]+」.*查看或取消：http:\/\/shuangyi\.test\/signups\//);
    expect(html.toLowerCase()).not.toContain("<script");
  });

  for (const environment of ["production", "test", undefined]) {
    it(`does not exist when ENVIRONMENT is ${environment ?? "unset"}`, async () => {
      const bindings = { ...developmentEnv, ENVIRONMENT: environment };
      const response = await fetchApp("/dev/messages", { bindings });
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain("****");
    });
  }
});
