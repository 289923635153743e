import pg from "pg";
import type { Browser, Page } from "playwright-core";
import { expectAccessible, expectLightPage, servedDocuments } from "./axe";

/*
 * Arranging data for the staff journeys through the JSON API (what happens before the person
 * under test opens the pages): volunteers signing up, an event booked for the demo social worker.
 */

/** Calls the API of the stack under test; a 429 is waited out (the stack keeps real limits). */
export async function api<T>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; json?: unknown } = {},
): Promise<T> {
  for (let attempt = 0; attempt < 4; attempt++) {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
        ...(options.json !== undefined ? { "Content-Type": "application/json" } : {}),
      },
      body: options.json !== undefined ? JSON.stringify(options.json) : undefined,
    });
    if (response.status === 429) {
      const wait = Number(response.headers.get("Retry-After") ?? "10");
      await new Promise((resolve) => setTimeout(resolve, (wait + 1) * 1000));
      continue;
    }
    if (!response.ok)
      throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }
  throw new Error(`${method} ${path}: still limited`);
}

let mobiles = 0;

/** A volunteer signs up for an event; returns their confirmation code. */
export async function signUpVolunteer(baseUrl: string, eventId: string, name: string) {
  mobiles++;
  const mobile = `137${String((Date.now() % 1e7) * 10 + (mobiles % 10)).padStart(8, "0")}`;
  const body = await api<{ signup: { confirmationCode: string; status: string } }>(
    baseUrl,
    "POST",
    `/api/v1/events/${eventId}/signups`,
    { json: { name, mobile, consent: true } },
  );
  return body.signup;
}

/**
 * Books an event led by the demo social worker (shegong) at 多福社区 through the coordinator's
 * API: a need with one window at `start`, then that worker and a team of their county picked.
 * The lead has not answered yet. Returns the event's id and title.
 */
export async function bookForDemoSocialWorker(
  baseUrl: string,
  tokens: Record<string, string>,
  start: Date,
  minutes = 15,
): Promise<{ id: string; title: string }> {
  const { data: workers } = await api<{ data: { id: string; skills: string[] }[] }>(
    baseUrl,
    "GET",
    "/api/v1/social-workers",
    { token: tokens.socialWorker },
  );
  const worker = workers[0];
  if (!worker) throw new Error("the demo social worker has no record");
  const { data: teams } = await api<{ data: { id: string; size: number; active: boolean }[] }>(
    baseUrl,
    "GET",
    "/api/v1/volunteer-teams?region=210103&limit=50",
    { token: tokens.admin },
  );
  const coordinator = tokens.duofuCoordinator;
  const need = await api<{ id: string }>(baseUrl, "POST", "/api/v1/needs", {
    token: coordinator,
    json: {
      serviceType: worker.skills[0] ?? "counselling",
      targetGroups: ["elderly"],
      expectedPeople: 20,
      windows: [
        {
          start: start.toISOString(),
          end: new Date(start.getTime() + 3_600_000).toISOString(),
        },
      ],
      durationMinutes: minutes,
      volunteersNeeded: 1,
    },
  });
  // A team may already be out at that time: try the next one.
  for (const team of teams.filter((t) => t.active && t.size >= 1)) {
    try {
      return await api<{ id: string; title: string }>(
        baseUrl,
        "POST",
        `/api/v1/needs/${need.id}/accept`,
        {
          token: coordinator,
          json: {
            socialWorkerId: worker.id,
            teamId: team.id,
            start: start.toISOString(),
            capacity: 5,
          },
        },
      );
    } catch (error) {
      if (!String(error).includes(" 409 ")) throw error;
    }
  }
  throw new Error("no team of 沈河区 was free");
}

/**
 * Checks each page `page` is served, by name: under 20 KB of HTML, no script, and no serious or
 * critical axe-core violation (on the HTML as served when JavaScript is off).
 */
export function auditor(browser: Browser, page: Page, javaScript: boolean) {
  const served = servedDocuments(page);
  return async (name: string): Promise<void> => {
    const html = await served();
    expectLightPage(html, name);
    await expectAccessible(page, name, { javaScript, html, browser });
  };
}

/**
 * Moves an event into the past: it ends `hoursAgo` hours ago and lasts an hour (its teams' times
 * follow by trigger). Tests that run side by side pass different hours, so that events sharing a
 * social worker or a team never overlap.
 */
export async function moveIntoThePast(
  databaseUrl: string,
  eventId: string,
  hoursAgo = 1,
): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `update events set starts_at = now() - make_interval(hours => $2 + 1),
         ends_at = now() - make_interval(hours => $2), signup_closes_at = null where id = $1`,
      [eventId, hoursAgo],
    );
  } finally {
    await client.end();
  }
}
