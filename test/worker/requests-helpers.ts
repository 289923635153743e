import { eq } from "drizzle-orm";
import { requestMessages, requests, stations } from "../../src/db/schema";
import { withDb } from "./helpers";
import { freshMobile } from "./public-helpers";
import { getPage, postForm } from "./web-helpers";

export { freshMobile };

/** A 爱心驿站 of a community. */
export async function makeStation(communityId: string, name = "骑手驿站") {
  return withDb(async (db) => {
    const [row] = await db
      .insert(stations)
      .values({ communityId, kind: "love_station", name })
      .returning();
    if (!row) throw new Error("no station");
    return row;
  });
}

/** The request form's fields, with overrides (`consent: null` leaves it unticked). */
export function askFields(
  place: { c?: string; s?: string },
  overrides: {
    askerKind?: string;
    kind?: string;
    description?: string;
    mobile?: string;
    consent?: string | null;
  } = {},
): [string, string][] {
  const fields: [string, string][] = [];
  if (place.c) fields.push(["c", place.c]);
  if (place.s) fields.push(["s", place.s]);
  fields.push(["askerKind", overrides.askerKind ?? "delivery_rider"]);
  fields.push(["kind", overrides.kind ?? "first_aid"]);
  fields.push([
    "description",
    overrides.description ?? "驿站想组织一次急救培训，骑手路上常遇到意外。",
  ]);
  fields.push(["mobile", overrides.mobile ?? ""]);
  const consent = overrides.consent === undefined ? "yes" : overrides.consent;
  if (consent !== null) fields.push(["consent", consent]);
  return fields;
}

/**
 * Submits the request form (as of `now`, if given) and follows its 303 to the progress page.
 * Returns the private link's path, its token and the page.
 */
export async function askByForm(fields: [string, string][], headers: Record<string, string> = {}) {
  const response = await postForm("/ask", fields, { headers });
  if (response.status !== 303)
    throw new Error(`request form answered ${response.status}: ${await response.text()}`);
  const url = new URL(response.headers.get("Location") ?? "");
  const page = await getPage(`${url.pathname}${url.search}`, { headers });
  const token = url.pathname.split("/").at(-1) ?? "";
  const html = await page.text();
  const code = /<strong class="score">(Q[A-Z0-9]{7})<\/strong>/.exec(html)?.[1] ?? "";
  return { response, link: url.pathname, token, page, html, code };
}

/** The stored request with a tracking code. */
export async function requestByCode(code: string) {
  return withDb(async (db) => {
    const [row] = await db.select().from(requests).where(eq(requests.trackingCode, code));
    if (!row) throw new Error(`no request ${code}`);
    return row;
  });
}

/** The outbox rows of a request, oldest first. */
export async function messagesOf(requestId: string) {
  return withDb((db) =>
    db
      .select()
      .from(requestMessages)
      .where(eq(requestMessages.requestId, requestId))
      .orderBy(requestMessages.createdAt),
  );
}
