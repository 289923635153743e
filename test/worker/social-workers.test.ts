import { beforeAll, describe, expect, it } from "vitest";
import { type Actor, makeActor, makeSocialWorker, places } from "./factories";
import { call, errorOf } from "./helpers";

type Worker = {
  id: string;
  name: string;
  homeCountyCode: string;
  certificateLevel: string;
  active: boolean;
};
type WorkerPage = { data: Worker[]; page: { total: number } };

describe("/api/v1/social-workers", () => {
  let admin: Actor;
  beforeAll(async () => {
    admin = await makeActor({ role: "admin" });
  });

  describe("create", () => {
    it("creates a social worker and answers 201 with it", async () => {
      const response = await call("POST", "/api/v1/social-workers", {
        token: admin.token,
        json: {
          name: "王晓梅",
          certificateLevel: "senior",
          skills: ["counselling", "mediation"],
          homeCountyCode: places.shenhe,
        },
      });
      expect(response.status).toBe(201);
      const body = (await response.json()) as Worker & { weeklyCapacity: number };
      expect(body).toMatchObject({
        name: "王晓梅",
        certificateLevel: "senior",
        homeCountyCode: "210103",
        weeklyCapacity: 3,
        active: true,
      });
    });

    it("answers 400 with each failing field's path", async () => {
      const response = await call("POST", "/api/v1/social-workers", {
        token: admin.token,
        json: {
          name: "",
          certificateLevel: "expert",
          skills: ["knitting"],
          homeCountyCode: "210100",
          weeklyCapacity: 0,
        },
      });
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(error.code).toBe("VALIDATION_FAILED");
      expect(error.issues.map((issue) => issue.path).sort()).toEqual(
        ["certificateLevel", "homeCountyCode", "name", "skills.0", "weeklyCapacity"].sort(),
      );
      expect(JSON.stringify(error)).not.toContain("knitting");
    });

    it("rejects unknown fields instead of ignoring them", async () => {
      const response = await call("POST", "/api/v1/social-workers", {
        token: admin.token,
        json: {
          name: "李强",
          certificateLevel: "junior",
          homeCountyCode: places.shenhe,
          salary: 9000,
        },
      });
      expect(response.status).toBe(400);
      expect((await errorOf(response)).issues.map((i) => i.path)).toContain("salary");
    });

    it("answers 400 naming the field when the county code does not exist", async () => {
      const response = await call("POST", "/api/v1/social-workers", {
        token: admin.token,
        json: { name: "李强", certificateLevel: "junior", homeCountyCode: "219901" },
      });
      expect(response.status).toBe(400);
      expect((await errorOf(response)).issues).toEqual([
        { path: "homeCountyCode", message: "no county-level region has this code" },
      ]);
    });

    it("answers 403 when a department tries to write", async () => {
      const department = await makeActor({ role: "department", regionCode: places.shenyang });
      const response = await call("POST", "/api/v1/social-workers", {
        token: department.token,
        json: { name: "李强", certificateLevel: "junior", homeCountyCode: places.shenhe },
      });
      expect(response.status).toBe(403);
      expect((await errorOf(response)).code).toBe("FORBIDDEN");
    });
  });

  describe("list filters by region at any level", () => {
    let shenhe: Worker;
    let dadong: Worker;
    let zhongshan: Worker;
    beforeAll(async () => {
      shenhe = (await makeSocialWorker(places.shenhe, { certificateLevel: "senior" })) as Worker;
      dadong = (await makeSocialWorker(places.dadong)) as Worker;
      zhongshan = (await makeSocialWorker(places.zhongshan)) as Worker;
    });

    /** Every matching id, page by page: other files add social workers to the same regions. */
    async function idsFor(query: string): Promise<string[]> {
      const ids: string[] = [];
      for (let offset = 0; ; offset += 500) {
        const response = await call(
          "GET",
          `/api/v1/social-workers?limit=500&offset=${offset}&${query}`,
          { token: admin.token },
        );
        expect(response.status).toBe(200);
        const page = (await response.json()) as WorkerPage;
        ids.push(...page.data.map((w) => w.id));
        if (offset + page.data.length >= page.page.total || page.data.length === 0) return ids;
      }
    }

    it("includes every county of a city for a city code", async () => {
      const ids = await idsFor("region=210100");
      expect(ids).toEqual(expect.arrayContaining([shenhe.id, dadong.id]));
      expect(ids).not.toContain(zhongshan.id);
    });

    it("includes only that county for a county code", async () => {
      const ids = await idsFor("region=210104");
      expect(ids).toContain(dadong.id);
      expect(ids).not.toContain(shenhe.id);
    });

    it("includes all cities for the province code", async () => {
      const ids = await idsFor("region=210000");
      expect(ids).toEqual(expect.arrayContaining([shenhe.id, dadong.id, zhongshan.id]));
    });

    it("combines the region with other filters", async () => {
      const ids = await idsFor("region=210100&certificateLevel=senior");
      expect(ids).toContain(shenhe.id);
      expect(ids).not.toContain(dadong.id);
    });

    it("pages with limit and offset and reports the total", async () => {
      const first = (await (
        await call("GET", "/api/v1/social-workers?region=210100&limit=1", { token: admin.token })
      ).json()) as WorkerPage;
      const second = (await (
        await call("GET", "/api/v1/social-workers?region=210100&limit=1&offset=1", {
          token: admin.token,
        })
      ).json()) as WorkerPage;
      expect(first.data).toHaveLength(1);
      expect(first.page.total).toBeGreaterThanOrEqual(2);
      expect(second.data[0]?.id).not.toBe(first.data[0]?.id);
    });
  });

  describe("scope isolation", () => {
    it("answers 404 when a county department asks for another county's social worker", async () => {
      const other = await makeSocialWorker(places.zhongshan);
      const department = await makeActor({ role: "department", regionCode: places.shenhe });
      const response = await call("GET", `/api/v1/social-workers/${other.id}`, {
        token: department.token,
      });
      expect(response.status).toBe(404);
      const missing = await call("GET", `/api/v1/social-workers/${crypto.randomUUID()}`, {
        token: department.token,
      });
      expect(await errorOf(response)).toMatchObject({
        code: "NOT_FOUND",
        message: (await errorOf(missing)).message,
      });
    });

    it("lets a county department read its own county's social worker", async () => {
      const own = await makeSocialWorker(places.shenhe);
      const department = await makeActor({ role: "department", regionCode: places.shenhe });
      const response = await call("GET", `/api/v1/social-workers/${own.id}`, {
        token: department.token,
      });
      expect(response.status).toBe(200);
    });

    it("lists only the department's region", async () => {
      await makeSocialWorker(places.zhongshan);
      const department = await makeActor({ role: "department", regionCode: places.shenhe });
      const response = await call("GET", "/api/v1/social-workers?limit=500", {
        token: department.token,
      });
      const body = (await response.json()) as WorkerPage;
      expect(body.data.length).toBeGreaterThan(0);
      expect(body.data.every((w) => w.homeCountyCode === places.shenhe)).toBe(true);
    });

    it("shows a social worker only themself", async () => {
      const me = await makeSocialWorker(places.shenhe);
      const colleague = await makeSocialWorker(places.shenhe);
      const actor = await makeActor({ role: "social_worker", socialWorkerId: me.id });
      const list = (await (
        await call("GET", "/api/v1/social-workers", { token: actor.token })
      ).json()) as WorkerPage;
      expect(list.data.map((w) => w.id)).toEqual([me.id]);
      expect(
        (await call("GET", `/api/v1/social-workers/${colleague.id}`, { token: actor.token }))
          .status,
      ).toBe(404);
    });

    it("answers 403 when a read-only department tries to update, whatever the id", async () => {
      const department = await makeActor({ role: "department", regionCode: places.shenhe });
      const response = await call("PATCH", `/api/v1/social-workers/${crypto.randomUUID()}`, {
        token: department.token,
        json: { name: "x" },
      });
      expect(response.status).toBe(403);
    });
  });

  describe("update and deactivate", () => {
    it("changes only the fields sent and records the change in the audit log", async () => {
      const worker = await makeSocialWorker(places.shenhe, { weeklyCapacity: 2 });
      const response = await call("PATCH", `/api/v1/social-workers/${worker.id}`, {
        token: admin.token,
        json: { weeklyCapacity: 5 },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        id: worker.id,
        name: worker.name,
        weeklyCapacity: 5,
      });
    });

    it("answers 400 for an empty change", async () => {
      const worker = await makeSocialWorker(places.shenhe);
      const response = await call("PATCH", `/api/v1/social-workers/${worker.id}`, {
        token: admin.token,
        json: {},
      });
      expect(response.status).toBe(400);
    });

    it("deactivates instead of deleting, so history keeps its references", async () => {
      const worker = await makeSocialWorker(places.shenhe);
      const response = await call("DELETE", `/api/v1/social-workers/${worker.id}`, {
        token: admin.token,
      });
      expect(response.status).toBe(200);
      const after = (await (
        await call("GET", `/api/v1/social-workers/${worker.id}`, { token: admin.token })
      ).json()) as Worker;
      expect(after.active).toBe(false);
    });

    it("answers 404 for an id that does not exist", async () => {
      const response = await call("DELETE", `/api/v1/social-workers/${crypto.randomUUID()}`, {
        token: admin.token,
      });
      expect(response.status).toBe(404);
    });

    it("answers 400 for an id that is not a UUID", async () => {
      const response = await call("GET", "/api/v1/social-workers/not-a-uuid", {
        token: admin.token,
      });
      expect(response.status).toBe(400);
    });
  });
});
