import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { events, requests } from "../../src/db/schema";
import { makeCommunity, makeEvent, makeNeed, makeSocialWorker } from "./factories";
import { withDb } from "./helpers";
import { getPage, makeStaffLogin, signIn } from "./web-helpers";

/** 皇姑区: a county of its own, so its events and needs are this file's alone. */
const COUNTY = "210105";
const DAY = 86_400_000;
const LONG_TITLE = "社区长者心理健康讲座与一对一咨询服务".repeat(5);
const size = (html: string) => new TextEncoder().encode(html).length;

type Community = Awaited<ReturnType<typeof makeCommunity>>;
type SocialWorker = Awaited<ReturnType<typeof makeSocialWorker>>;

/** A busy community: events to come and held, needs open and many ended, requests waiting. */
async function busyCommunity(): Promise<{ community: Community; lead: SocialWorker }> {
  const community = await makeCommunity(COUNTY);
  const lead = await makeSocialWorker(COUNTY);
  const now = Date.now();
  const hours = (at: number) => ({ start: new Date(at), end: new Date(at + 2 * 3_600_000) });
  for (let i = 0; i < 40; i++) await makeNeed(community.id, { status: "closed" });
  // Open needs with the most windows a need may have (20), each a morning a week apart.
  const windows = Array.from({ length: 20 }, (_, i) => hours(now + (30 + 7 * i) * DAY));
  for (let i = 0; i < 15; i++) await makeNeed(community.id, { status: "open", windows });
  const made: { id: string }[] = [];
  for (let i = 1; i <= 15; i++)
    made.push(
      await makeEvent({
        communityId: community.id,
        socialWorkerId: lead.id,
        ...hours(now + i * DAY),
      }),
    );
  for (let i = 1; i <= 8; i++)
    made.push(
      await makeEvent({
        communityId: community.id,
        socialWorkerId: lead.id,
        ...hours(now - i * DAY),
        status: "completed",
      }),
    );
  await withDb(async (db) => {
    for (const event of made)
      await db.update(events).set({ title: LONG_TITLE }).where(eq(events.id, event.id));
    await db.insert(requests).values(
      Array.from({ length: 5 }, (_, i) => ({
        trackingCode: `QH${crypto.randomUUID().slice(0, 6).toUpperCase()}`,
        tokenHash: crypto.randomUUID().replaceAll("-", "").padEnd(64, String(i)),
        communityId: community.id,
        deskCommunityId: community.id,
        deskRegionCode: community.regionCode,
        countyCode: COUNTY,
        askerKind: "resident" as const,
        kind: "elderly_care" as const,
        description: "楼道灯坏了需要维修，".repeat(50),
        answerDueAt: new Date(now + 2 * DAY),
        resolveDueAt: new Date(now + 20 * DAY),
        createdAt: new Date(now - i * 3_600_000),
        updatedAt: new Date(now - i * 3_600_000),
      })),
    );
  });
  return { community, lead };
}

let busy: { community: Community; lead: SocialWorker };

beforeAll(async () => {
  busy = await busyCommunity();
});

describe("the staff home", () => {
  it("puts events to come and needs to work on before the ended needs, folded, the latest five", async () => {
    const cookie = await signIn(
      await makeStaffLogin({ role: "coordinator", communityId: busy.community.id }),
    );
    const html = await (await getPage("/staff", { cookie })).text();
    expect(size(html)).toBeLessThan(20_000);
    const upcoming = html.indexOf("即将开展的服务活动");
    const pending = html.indexOf("本社区的服务需求");
    const ended = html.indexOf("<details><summary>已结束或撤回的服务需求（40）</summary>");
    expect(upcoming).toBeGreaterThan(0);
    expect(pending).toBeGreaterThan(upcoming);
    expect(ended).toBeGreaterThan(pending);
    const folded = html.slice(ended, html.indexOf("</details>", ended));
    expect(folded.match(/href="\/staff\/needs\//g)).toHaveLength(5);
    expect(folded).toContain("另有 35 个未列出。");
    expect(html.slice(0, ended)).not.toContain("已结束</span>");
    expect(html).toContain("另有 10 个未列出。");
    expect(html).toContain("另有 18 个时段");
  });

  it("stays under 20 KB for an admin, who sees every community", async () => {
    const cookie = await signIn(await makeStaffLogin({ role: "admin" }));
    const html = await (await getPage("/staff", { cookie })).text();
    expect(size(html)).toBeLessThan(20_000);
    expect(html).toContain("<details><summary>已结束或撤回的服务需求（");
  });

  it("stays under 20 KB for a social worker who leads many events", async () => {
    const cookie = await signIn(
      await makeStaffLogin({ role: "social_worker", socialWorkerId: busy.lead.id }),
    );
    const html = await (await getPage("/staff", { cookie })).text();
    expect(size(html)).toBeLessThan(20_000);
    expect(html).toContain("另有 10 个未列出。");
  });
});
