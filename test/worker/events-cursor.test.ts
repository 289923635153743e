/**
 * GET /api/v1/events by cursor: in creation order a walk sees every event that existed when it
 * began exactly once, whatever is rescheduled between pages; cursors are checked.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  type Actor,
  at,
  futureDay,
  makeActor,
  makeCommunity,
  makeEvent,
  makeSocialWorker,
  places,
} from "./factories";
import { call } from "./helpers";

interface EventsPage {
  data: { id: string; startsAt: string }[];
  page: { limit: number; offset: number; total: number; nextCursor: string | null };
}

let coordinator: Actor;
let communityId: string;
const ids: string[] = [];
const day = futureDay();

beforeAll(async () => {
  const community = await makeCommunity(places.zhongshan);
  communityId = community.id;
  coordinator = await makeActor({ role: "coordinator", communityId });
  for (const hour of [9, 11, 13, 15, 17]) {
    const worker = await makeSocialWorker(places.zhongshan);
    const event = await makeEvent({
      communityId,
      socialWorkerId: worker.id,
      start: at(`${day} ${String(hour).padStart(2, "0")}:00`),
      end: at(`${day} ${String(hour).padStart(2, "0")}:30`),
    });
    ids.push(event.id);
  }
});

async function page(query: string): Promise<EventsPage> {
  const response = await call("GET", `/api/v1/events?communityId=${communityId}&${query}`, {
    token: coordinator.token,
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as EventsPage;
}

describe("events by cursor", () => {
  it("walks in creation order to every event once, while events are moved between pages", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const body = await page(`sort=created&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...body.data.map((e) => e.id));
      cursor = body.page.nextCursor;
      pages++;
      if (pages === 1) {
        // The last-created event moves to the earliest start, the first-created to the latest:
        // a walk by start would now see one twice and miss another.
        for (const [id, hour] of [
          [ids[4], 7],
          [ids[0], 19],
        ] as const) {
          const moved = await call("POST", `/api/v1/events/${id}/reschedule`, {
            token: coordinator.token,
            json: {
              start: at(`${day} ${String(hour).padStart(2, "0")}:00`).toISOString(),
              reason: "场地调整",
            },
          });
          expect(moved.status, await moved.clone().text()).toBe(200);
        }
      }
    } while (cursor && pages < 10);
    expect(seen).toEqual(ids);
    expect(pages).toBe(3);
  });

  it("walks by start too, and counts what is left from the cursor on", async () => {
    const first = await page("limit=2");
    expect(first.page.total).toBe(5);
    expect(first.page.nextCursor).not.toBeNull();
    const second = await page(`limit=2&cursor=${first.page.nextCursor}`);
    expect(second.page.total).toBe(3);
    const starts = [...first.data, ...second.data].map((e) => e.startsAt);
    expect(starts).toEqual([...starts].sort());
    const last = await page(`limit=2&offset=4`);
    expect(last.data).toHaveLength(1);
    expect(last.page.nextCursor).toBeNull();
  });

  it("refuses a cursor it did not give, one of the other order, and a cursor with an offset (400)", async () => {
    const byStart = (await page("limit=1")).page.nextCursor;
    for (const query of [
      "cursor=bm9wZQ",
      `sort=created&cursor=${byStart}`,
      `cursor=${byStart}&offset=3`,
    ]) {
      const response = await call("GET", `/api/v1/events?${query}`, { token: coordinator.token });
      expect(response.status, query).toBe(400);
    }
  });
});
