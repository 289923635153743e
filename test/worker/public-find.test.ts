import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { recoveryRequests, signups } from "../../src/db/schema";
import { requestRecoveryCode } from "../../src/signups/recovery";
import { signUp } from "../../src/signups/service";
import { fetchApp, messagesTo } from "./dev-app";
import { places } from "./factories";
import { asCaller, withDb } from "./helpers";
import {
  freshMobile,
  makeAddressedCommunity,
  makePublicEvent,
  signUpByForm,
  signupFields,
} from "./public-helpers";
import { getPage, postForm } from "./web-helpers";

let communityId: string;

beforeAll(async () => {
  communityId = (await makeAddressedCommunity(places.shenhe)).id;
});

async function signedUpTwice(mobile: string) {
  const links: string[] = [];
  for (let i = 0; i < 2; i++) {
    const { event } = await makePublicEvent(communityId, places.shenhe);
    links.push((await signUpByForm(event.id, signupFields({ mobile }))).link);
  }
  return links;
}

/** Asks for a code in development (the local sender records it) and reads it from the SMS. */
async function askForCode(mobile: string) {
  const response = await fetchApp("/find", { form: [["mobile", mobile]] });
  expect(response.status).toBe(303);
  const flow = response.headers.get("Location") ?? "";
  expect(flow).toMatch(/^\/find\/[A-Za-z0-9_-]{20,}$/);
  const code = /验证码是 (\d{6})/.exec(messagesTo(mobile)[0]?.text ?? "")?.[1];
  return { flow, code };
}

describe("finding one's sign-ups by a code", () => {
  it("sends a six-digit code by SMS and stores only a keyed hash of it", async () => {
    const mobile = freshMobile();
    await signedUpTwice(mobile);
    const { flow, code } = await askForCode(mobile);
    expect(code).toMatch(/^\d{6}$/);
    const page = await (await getPage(flow)).text();
    expect(page).toContain(`如果 ${mobile.slice(0, 3)}****${mobile.slice(7)} 有报名记录`);
    const rows = await withDb((db) => db.select().from(recoveryRequests));
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(`"${code}"`);
    expect(stored).not.toContain(mobile);
  });

  it("shows the number's sign-ups with new private links; the old links stop working", async () => {
    const mobile = freshMobile();
    const oldLinks = await signedUpTwice(mobile);
    const { flow, code } = await askForCode(mobile);
    const verified = await postForm(flow, [["code", code ?? ""]]);
    expect(verified.status).toBe(303);
    expect(verified.headers.get("Location")).toBe(flow);
    const list = await getPage(flow);
    expect(list.status).toBe(200);
    const html = await list.text();
    expect(html).toContain("<h1>我的报名</h1>");
    const newLinks = [...html.matchAll(/href="(\/signups\/[A-Za-z0-9_-]+)"/g)].map((m) => m[1]);
    expect(newLinks).toHaveLength(2);
    for (const link of newLinks) expect((await getPage(link ?? "")).status).toBe(200);
    for (const link of oldLinks) expect((await getPage(link)).status).toBe(404);
    // Reloading the list shows the same links (nothing is issued again).
    expect(await (await getPage(flow)).text()).toContain(newLinks[0]);
  });

  it("recovers a sign-up whose answer never arrived (stored under a 503)", async () => {
    const { event } = await makePublicEvent(communityId, places.shenhe);
    const mobile = freshMobile();
    // The sign-up committed, but its token never reached the volunteer.
    await asCaller((caller) =>
      signUp(caller, { eventId: event.id, name: "吴志愿", mobile, skills: [], consent: true }),
    );
    const { flow, code } = await askForCode(mobile);
    await postForm(flow, [["code", code ?? ""]]);
    const html = await (await getPage(flow)).text();
    const link = /href="(\/signups\/[A-Za-z0-9_-]+)"/.exec(html)?.[1] ?? "";
    const page = await (await getPage(link)).text();
    expect(page).toContain(event.title);
    expect(page).toContain("确认取消报名");
  });

  it("answers a number without sign-ups exactly alike, and sends it nothing", async () => {
    const mobile = freshMobile();
    const response = await fetchApp("/find", { form: [["mobile", mobile]] });
    expect(response.status).toBe(303);
    expect(messagesTo(mobile)).toEqual([]);
    const page = await (await getPage(response.headers.get("Location") ?? "")).text();
    expect(page).toContain(`如果 ${mobile.slice(0, 3)}****${mobile.slice(7)} 有报名记录`);
  });

  it("counts wrong codes and spends the request after five", async () => {
    const mobile = freshMobile();
    await signedUpTwice(mobile);
    const { flow, code } = await askForCode(mobile);
    const wrong = code === "000000" ? "111111" : "000000";
    for (const left of [4, 3, 2, 1]) {
      const response = await postForm(flow, [["code", wrong]]);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain(`验证码不正确，还可以再试 ${left} 次`);
    }
    const fifth = await postForm(flow, [["code", wrong]]);
    expect(await fifth.text()).toContain("验证码输错次数过多");
    // Even the right code no longer opens anything.
    const right = await postForm(flow, [["code", code ?? ""]]);
    expect(right.status).toBe(400);
    expect(await (await getPage(flow)).text()).not.toContain("/signups/");
  });

  it("refuses a code after ten minutes", async () => {
    const mobile = freshMobile();
    await signedUpTwice(mobile);
    const sentAt = new Date();
    const asked = await asCaller((caller) => requestRecoveryCode(caller, mobile), sentAt);
    if (!asked.ok || !asked.send) throw new Error("no code was sent");
    const late = new Date(sentAt.getTime() + 10 * 60_000 + 1_000);
    const response = await fetchApp(`/find/${asked.flowToken}`, {
      form: [["code", asked.send.code]],
      // The test suites' environment: requests may name their clock.
      bindings: env,
      now: late,
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("验证码已过期");
  });

  it("sends at most one code a minute to a number, saying when to try again", async () => {
    const mobile = freshMobile();
    await signedUpTwice(mobile);
    expect((await postForm("/find", [["mobile", mobile]])).status).toBe(303);
    const again = await postForm("/find", [["mobile", mobile]]);
    expect(again.status).toBe(429);
    expect(Number(again.headers.get("Retry-After"))).toBeGreaterThan(0);
    const html = await again.text();
    expect(html).toMatch(/请在约 \d+ 秒后再试/);
    expect(html).toContain(`value="${mobile}"`);
  });

  it("refuses a malformed number beside its field", async () => {
    const response = await postForm("/find", [["mobile", "1381234"]]);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("请填写正确的 11 位手机号码");
  });

  it("re-issues only current sign-ups: a cancelled one is not listed", async () => {
    const mobile = freshMobile();
    const [kept, dropped] = await signedUpTwice(mobile);
    await postForm(`${dropped}/cancel`, []);
    const { flow, code } = await askForCode(mobile);
    await postForm(flow, [["code", code ?? ""]]);
    const html = await (await getPage(flow)).text();
    expect(html.match(/href="\/signups\//g)).toHaveLength(1);
    const [row] = await withDb((db) =>
      db
        .select({ hash: signups.manageTokenHash })
        .from(signups)
        .where(eq(signups.mobileMasked, `${mobile.slice(0, 3)}****${mobile.slice(7)}`))
        .limit(1),
    );
    expect(row?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(kept).toBeTruthy();
  });
});
