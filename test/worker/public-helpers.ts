import { eq } from "drizzle-orm";
import { communities } from "../../src/db/schema";
import { at, futureDay, makeCommunity, makeEvent, makeSocialWorker, makeTeam } from "./factories";
import { call, withDb } from "./helpers";
import { getPage, postForm } from "./web-helpers";

/** A community with a street address, as the public pages show it. */
export async function makeAddressedCommunity(countyCode: string) {
  const community = await makeCommunity(countyCode);
  const address = `和平大街 ${Math.floor(Math.random() * 900) + 100} 号`;
  await withDb((db) =>
    db.update(communities).set({ address }).where(eq(communities.id, community.id)),
  );
  return { ...community, address };
}

/** A scheduled event with its own social worker and team, so events never overlap. */
export async function makePublicEvent(
  communityId: string,
  countyCode: string,
  values: { capacity?: number; status?: "cancelled" | "completed"; start?: Date; end?: Date } = {},
) {
  const worker = await makeSocialWorker(countyCode, { certificateLevel: "senior" });
  const team = await makeTeam(countyCode);
  const day = futureDay();
  const event = await makeEvent({
    communityId,
    socialWorkerId: worker.id,
    teamIds: [team.id],
    start: values.start ?? at(`${day} 09:00`),
    end: values.end ?? at(`${day} 11:00`),
    capacity: values.capacity,
    status: values.status,
  });
  return { event, worker, team };
}

/** Starts an hour or so from now: among the first the public list shows. */
export function soon(): { start: Date; end: Date } {
  const start = new Date(Date.now() + (60 + Math.floor(Math.random() * 600)) * 60_000);
  return { start, end: new Date(start.getTime() + 2 * 3_600_000) };
}

/** A distinct mainland mobile number per call. */
export function freshMobile(): string {
  return `139${String(Math.floor(Math.random() * 100_000_000)).padStart(8, "0")}`;
}

/** Signs up through the JSON API (the pages' own form is what the tests exercise). */
export async function signUpByApi(eventId: string, mobile = freshMobile()) {
  const response = await call("POST", `/api/v1/events/${eventId}/signups`, {
    json: { name: "张志愿", mobile, consent: true },
  });
  if (response.status !== 201) throw new Error(`sign-up failed: ${response.status}`);
  return (await response.json()) as { manageToken: string };
}

/** The public sign-up form's fields, with overrides (`consent: null` leaves it unticked). */
export function signupFields(
  overrides: { name?: string; mobile?: string; consent?: string | null; skills?: string[] } = {},
): [string, string][] {
  const fields: [string, string][] = [
    ["name", overrides.name ?? "李志愿"],
    ["mobile", overrides.mobile ?? freshMobile()],
  ];
  for (const skill of overrides.skills ?? []) fields.push(["skills", skill]);
  const consent = overrides.consent === undefined ? "yes" : overrides.consent;
  if (consent !== null) fields.push(["consent", consent]);
  return fields;
}

/** POSTs the sign-up form of an event from this site. */
export function submitSignup(
  eventId: string,
  fields: [string, string][],
  options: { origin?: string | null } = {},
) {
  return postForm(`/events/${eventId}/signup`, fields, options);
}

/** The private link's path on a private page (it shows its own address as the link to keep). */
export function manageLinkOf(html: string): string {
  const match = /href="http:\/\/shuangyi\.test(\/signups\/[A-Za-z0-9_-]+)"/.exec(html);
  if (!match?.[1]) throw new Error("no private link on the page");
  return match[1];
}

/**
 * Submits the sign-up form and follows its 303 to the private page (the confirmation).
 * Returns the redirect, the private link's path and the page.
 */
export async function signUpByForm(eventId: string, fields: [string, string][]) {
  const response = await submitSignup(eventId, fields);
  if (response.status !== 303) throw new Error(`sign-up form answered ${response.status}`);
  const location = response.headers.get("Location") ?? "";
  const url = new URL(location);
  const page = await getPage(`${url.pathname}${url.search}`);
  return { response, location, link: url.pathname, html: await page.text(), page };
}
