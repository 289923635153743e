import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { needs } from "../../src/db/schema";
import { futureDay, makeCommunity, makeNeed, places } from "./factories";
import { withDb } from "./helpers";
import { getPage, makeStaffLogin, needFormFields, postForm, signIn } from "./web-helpers";

describe("staff pages for an admin", () => {
  let cookie: string;
  let pilot: { id: string; name: string };
  beforeAll(async () => {
    pilot = await makeCommunity(places.zhongshan, { isPilot: true });
    cookie = await signIn(await makeStaffLogin({ role: "admin" }));
  });

  it("offers the pilot communities to post for, and requires one", async () => {
    const form = await (await getPage("/staff/needs/new", { cookie })).text();
    expect(form).toContain('<label for="communityId">社区</label>');
    expect(form).toContain(`<option value="${pilot.id}">`);
    const missing = await postForm("/staff/needs/new", needFormFields(futureDay()), { cookie });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('id="communityId-error">请选择社区</p>');
  });

  it("posts a need for the chosen community", async () => {
    const fields = needFormFields(futureDay(), { communityId: pilot.id });
    const response = await postForm("/staff/needs/new", fields, { cookie });
    expect(response.status).toBe(303);
    const id = (response.headers.get("Location") ?? "").split("/").at(-1) ?? "";
    const [need] = await withDb((db) => db.select().from(needs).where(eq(needs.id, id)));
    expect(need?.communityId).toBe(pilot.id);
  });

  it("opens any community's need", async () => {
    const other = await makeCommunity(places.shenhe);
    const need = await makeNeed(other.id);
    expect((await getPage(`/staff/needs/${need.id}`, { cookie })).status).toBe(200);
  });
});

describe("returning after sign-in", () => {
  it("comes back to the page that asked for a session", async () => {
    const community = await makeCommunity(places.shenhe, { isPilot: true });
    const need = await makeNeed(community.id);
    const login = await makeStaffLogin({ role: "coordinator", communityId: community.id });
    const redirect = await getPage(`/staff/needs/${need.id}`);
    const location = redirect.headers.get("Location") ?? "";
    expect(location).toBe(`/staff/login?next=${encodeURIComponent(`/staff/needs/${need.id}`)}`);
    const form = await (await getPage(location)).text();
    expect(form).toContain(`name="next" value="/staff/needs/${need.id}"`);
    const response = await postForm("/staff/login", [
      ["loginName", login.loginName],
      ["password", login.password],
      ["next", `/staff/needs/${need.id}`],
    ]);
    expect(response.headers.get("Location")).toBe(`/staff/needs/${need.id}`);
  });

  it("never leaves the site, whatever `next` says", async () => {
    const community = await makeCommunity(places.shenhe);
    const login = await makeStaffLogin({ role: "coordinator", communityId: community.id });
    for (const next of ["https://evil.example/", "//evil.example", "/api/v1/accounts"]) {
      const response = await postForm("/staff/login", [
        ["loginName", login.loginName],
        ["password", login.password],
        ["next", next],
      ]);
      expect(response.headers.get("Location"), next).toBe("/staff");
    }
  });
});
