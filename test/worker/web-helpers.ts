import { hashPassword } from "../../src/auth/passwords";
import { accounts } from "../../src/db/schema";
import { fetchWorker } from "./contract-setup";
import { unique } from "./factories";
import { withDb } from "./helpers";

/** The origin the Worker under test sees; forms posted from it pass the CSRF check. */
export const ORIGIN = "http://shuangyi.test";

export const SESSION_COOKIE = "__Secure-sy_staff";

export interface StaffLogin {
  accountId: string;
  loginName: string;
  password: string;
}

/** A staff account with a login name and a PBKDF2 password, as an admin would create it. */
export async function makeStaffLogin(
  scope:
    | { role: "admin" }
    | { role: "coordinator"; communityId: string }
    | { role: "department"; regionCode: string }
    | { role: "social_worker"; socialWorkerId: string },
): Promise<StaffLogin> {
  const loginName = unique("staff-");
  const password = unique("pw-");
  const passwordHash = await hashPassword(password);
  return withDb(async (db) => {
    const [row] = await db
      .insert(accounts)
      .values({ name: unique("员工-"), loginName, passwordHash, ...scope })
      .returning({ id: accounts.id });
    if (!row) throw new Error("no account");
    return { accountId: row.id, loginName, password };
  });
}

/** GET a page without following redirects. */
export function getPage(
  path: string,
  options: { cookie?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers = new Headers(options.headers);
  if (options.cookie) headers.set("Cookie", options.cookie);
  return fetchWorker(`${ORIGIN}${path}`, { headers, redirect: "manual" });
}

/** POST a form (urlencoded, repeated names allowed) from this site's origin unless told otherwise. */
export function postForm(
  path: string,
  fields: [string, string][],
  options: { cookie?: string; origin?: string | null; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers = new Headers({
    "Content-Type": "application/x-www-form-urlencoded",
    ...options.headers,
  });
  if (options.origin !== null) headers.set("Origin", options.origin ?? ORIGIN);
  if (options.cookie) headers.set("Cookie", options.cookie);
  return fetchWorker(`${ORIGIN}${path}`, {
    method: "POST",
    headers,
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
}

/** The whole Set-Cookie line for a cookie name, if the response sets it. */
export function setCookieLine(response: Response, name: string): string | undefined {
  return response.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
}

/** The `name=value` part of a Set-Cookie line, for sending back as a Cookie header. */
export function cookiePair(response: Response, name: string): string | undefined {
  return setCookieLine(response, name)?.split(";")[0];
}

/** Signs in through the form; returns the session cookie to send back. */
export async function signIn(login: StaffLogin): Promise<string> {
  const response = await postForm("/staff/login", [
    ["loginName", login.loginName],
    ["password", login.password],
  ]);
  const cookie = cookiePair(response, SESSION_COOKIE);
  if (response.status !== 303 || !cookie) throw new Error(`sign-in failed: ${response.status}`);
  return cookie;
}

/** A valid need form for the given Shanghai day, as [name, value] pairs. */
export function needFormFields(
  day: string,
  overrides: Record<string, string> = {},
): [string, string][] {
  const fields: Record<string, string | string[]> = {
    serviceType: "elderly_care",
    targetGroups: ["elderly", "residents"],
    expectedPeople: "40",
    windowDate: [day, ""],
    windowFrom: ["09:00", ""],
    windowTo: ["11:30", ""],
    durationMinutes: "90",
    volunteersNeeded: "5",
    requiredSkills: ["first_aid"],
    minCertificateLevel: "junior",
    notes: "重阳节敬老活动",
    ...overrides,
  };
  return Object.entries(fields).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).map((item): [string, string] => [name, item]),
  );
}

/** The pick in each candidate's 选择 link on a need page, in the page's order. */
export function candidatePicks(
  html: string,
): { socialWorkerId: string; teamId: string; start: string }[] {
  const links =
    html.match(/<a class="button[^"]*" href="\/staff\/needs\/[^"?]+\/confirm\?[^"]+"/g) ?? [];
  return links.map((link) => {
    const query = new URLSearchParams(
      (/\?([^"]+)"/.exec(link)?.[1] ?? "").replaceAll("&amp;", "&"),
    );
    return {
      socialWorkerId: query.get("socialWorkerId") ?? "",
      teamId: query.get("teamId") ?? "",
      start: query.get("start") ?? "",
    };
  });
}

/** The confirmation page's address for a pick (what 选择 opens). */
export function confirmPath(
  needPath: string,
  pick: { socialWorkerId: string; teamId: string; start: string },
): string {
  return `${needPath}/confirm?${new URLSearchParams(pick)}`;
}

/** The booking form's fields for a pick: the pick and the event's title and places. */
export function bookingFields(
  pick: { socialWorkerId: string; teamId: string; start: string } | undefined,
  overrides: Record<string, string> = {},
): [string, string][] {
  return Object.entries({ ...pick, title: "重阳节敬老活动", capacity: "5", ...overrides });
}
