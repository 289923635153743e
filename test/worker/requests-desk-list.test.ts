import { describe, expect, it } from "vitest";
import { requests } from "../../src/db/schema";
import { makeCommunity, places } from "./factories";
import { withDb } from "./helpers";
import { makeStation } from "./requests-helpers";
import { getPage, makeStaffLogin, signIn } from "./web-helpers";

const COUNTY = places.dadong;
const DAY = 86_400_000;
/** The longest description the form takes: 500 characters, three bytes each in UTF-8. */
const LONGEST = "楼道灯坏了需要维修，".repeat(50);

function randomCode(): string {
  const letters = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = crypto.getRandomValues(new Uint8Array(7));
  return `Q${Array.from(bytes, (byte) => letters[byte % letters.length]).join("")}`;
}

type Community = Awaited<ReturnType<typeof makeCommunity>>;

/**
 * Requests at a community's desk, stored as they would be, each created on its given date, at
 * a station with the longest name a station may have (100 characters).
 */
async function storeRequests(
  community: Community,
  list: { createdAt: Date; status: "received" | "answered"; dueInDays?: number }[],
) {
  const station = await makeStation(community.id, "骑手之家".repeat(25));
  const rows = list.map((item) => {
    const answerDueAt = new Date(item.createdAt.getTime() + (item.dueInDays ?? 3) * DAY);
    const closed = item.status === "answered";
    return {
      trackingCode: randomCode(),
      tokenHash: crypto.randomUUID().replaceAll("-", "").padEnd(64, "0"),
      communityId: community.id,
      stationId: station.id,
      deskCommunityId: community.id,
      deskRegionCode: community.regionCode,
      countyCode: COUNTY,
      askerKind: "resident" as const,
      kind: "elderly_care" as const,
      description: LONGEST,
      status: item.status,
      reply: closed ? "已处理。" : null,
      firstAnsweredAt: closed ? new Date(item.createdAt.getTime() + DAY) : null,
      resolvedAt: closed ? new Date(item.createdAt.getTime() + DAY) : null,
      answerDueAt,
      resolveDueAt: new Date(answerDueAt.getTime() + 20 * DAY),
      createdAt: item.createdAt,
      updatedAt: item.createdAt,
    };
  });
  await withDb((db) => db.insert(requests).values(rows));
  return rows.map((row) => row.trackingCode);
}

/** The tracking codes a desk list shows, top to bottom. */
function codesOf(html: string): string[] {
  return Array.from(html.matchAll(/>(Q[A-Z0-9]{7}) · /g), (match) => match[1] ?? "");
}

const size = (html: string) => new TextEncoder().encode(html).length;

async function coordinatorOf(community: Community) {
  return signIn(await makeStaffLogin({ role: "coordinator", communityId: community.id }));
}

describe("the desk's list of requests", () => {
  it("shows 20 a page under 20 KB: waiting ones first, then closed ones newest first; page 2 the rest", async () => {
    const community = await makeCommunity(COUNTY);
    const now = Date.now();
    // Closed ones from January 2025 on, one a fortnight, stored oldest first.
    const closed = await storeRequests(
      community,
      Array.from({ length: 30 }, (_, i) => ({
        createdAt: new Date(Date.UTC(2025, 0, 2) + i * 14 * DAY),
        status: "answered" as const,
      })),
    );
    const waiting = await storeRequests(
      community,
      Array.from({ length: 5 }, (_, i) => ({
        createdAt: new Date(now - (i + 1) * 3_600_000),
        status: "received" as const,
        dueInDays: 3 + i,
      })),
    );
    const cookie = await coordinatorOf(community);
    const first = await getPage("/staff/requests", { cookie });
    expect(first.status).toBe(200);
    const html = await first.text();
    expect(size(html)).toBeLessThan(20_000);
    const newestFirst = [...closed].reverse();
    expect(codesOf(html)).toEqual([...waiting, ...newestFirst.slice(0, 15)]);
    expect(html).toContain('href="/staff/requests?page=2" rel="next"');
    expect(html).toContain("第 1 / 2 页");
    const second = await (await getPage("/staff/requests?page=2", { cookie })).text();
    expect(size(second)).toBeLessThan(20_000);
    expect(codesOf(second)).toEqual(newestFirst.slice(15));
    expect(second).toContain('href="/staff/requests" rel="prev"');
    expect(second).not.toContain('rel="next"');
  });

  it("keeps overdue=true in the links to the other pages", async () => {
    const community = await makeCommunity(COUNTY);
    const overdue = await storeRequests(
      community,
      Array.from({ length: 22 }, (_, i) => ({
        createdAt: new Date(Date.UTC(2026, 0, 5) + i * DAY),
        status: "received" as const,
      })),
    );
    const cookie = await coordinatorOf(community);
    const html = await (await getPage("/staff/requests?overdue=true", { cookie })).text();
    expect(codesOf(html)).toEqual(overdue.slice(0, 20));
    expect(html).toContain('href="/staff/requests?overdue=true&amp;page=2" rel="next"');
    const second = await (await getPage("/staff/requests?overdue=true&page=2", { cookie })).text();
    expect(codesOf(second)).toEqual(overdue.slice(20));
    expect(second).toContain('href="/staff/requests?overdue=true" rel="prev"');
    // A page past the end (an old link, a typed number) leads to the last page there is.
    const past = await getPage("/staff/requests?overdue=true&page=9", { cookie });
    expect(past.status).toBe(303);
    expect(past.headers.get("Location")).toBe("/staff/requests?overdue=true&page=2");
  });

  it("stays under 20 KB for an admin, who sees every desk", async () => {
    const community = await makeCommunity(COUNTY);
    await storeRequests(
      community,
      Array.from({ length: 21 }, (_, i) => ({
        createdAt: new Date(Date.UTC(2025, 5, 1) + i * DAY),
        status: "answered" as const,
      })),
    );
    const cookie = await signIn(await makeStaffLogin({ role: "admin" }));
    const html = await (await getPage("/staff/requests", { cookie })).text();
    expect(codesOf(html)).toHaveLength(20);
    expect(size(html)).toBeLessThan(20_000);
  });
});

describe("finding a request by its tracking code (查询码) at the desk", () => {
  it("finds one of the desk's requests by its code, typed in any case", async () => {
    const community = await makeCommunity(COUNTY);
    const [code, other] = await storeRequests(community, [
      { createdAt: new Date(Date.UTC(2025, 2, 3)), status: "answered" },
      { createdAt: new Date(Date.UTC(2025, 2, 4)), status: "answered" },
    ]);
    const cookie = await coordinatorOf(community);
    const html = await (
      await getPage(`/staff/requests?code=${(code ?? "").toLowerCase()}`, { cookie })
    ).text();
    expect(codesOf(html)).toEqual([code]);
    expect(html).not.toContain(other);
    expect(html).toContain(`value="${code}"`);
    // As people copy it: with a dash or a space in the middle, or in full-width letters.
    const typed = code ?? "";
    const fullWidth = [...typed]
      .map((ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0))
      .join("");
    for (const variant of [
      `${typed.slice(0, 4)}-${typed.slice(4)}`,
      `${typed.slice(0, 4)} ${typed.slice(4)}`,
      fullWidth,
    ]) {
      const found = await (
        await getPage(`/staff/requests?code=${encodeURIComponent(variant)}`, { cookie })
      ).text();
      expect(codesOf(found), variant).toEqual([code]);
    }
  });

  it("does not find another desk's request by its code", async () => {
    const mine = await makeCommunity(COUNTY);
    const theirs = await makeCommunity(COUNTY);
    const [code] = await storeRequests(theirs, [
      { createdAt: new Date(Date.UTC(2025, 2, 3)), status: "answered" },
    ]);
    const cookie = await coordinatorOf(mine);
    const response = await getPage(`/staff/requests?code=${code}`, { cookie });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(codesOf(html)).toEqual([]);
    expect(html).toContain(`没有找到查询码为 ${code} 的需求。`);
  });
});
