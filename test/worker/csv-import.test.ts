import { count, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { socialWorkers, volunteerTeams } from "../../src/db/schema";
import { type Actor, makeActor, makeOrganisation, unique } from "./factories";
import { call, errorOf, withDb } from "./helpers";

async function countNamed(
  table: typeof socialWorkers | typeof volunteerTeams,
  prefix: string,
): Promise<number> {
  return withDb(async (db) => {
    const [row] = await db
      .select({ n: count() })
      .from(table)
      .where(like(table.name, `${prefix}%`));
    return row?.n ?? 0;
  });
}

describe("CSV import", () => {
  let admin: Actor;
  let agencyName: string;
  beforeAll(async () => {
    admin = await makeActor({ role: "admin" });
    agencyName = (await makeOrganisation("agency")).name;
  });

  describe("social workers", () => {
    it("stores every row of a valid sheet with Chinese headers, labels and a BOM", async () => {
      const tag = unique("导入");
      const csv = [
        "\uFEFF姓名,证书等级,技能,所在县区代码,所属机构,每周可服务场次",
        `${tag}甲,社会工作师,心理疏导、法律援助,210103,${agencyName},4`,
        `${tag}乙,senior,"mediation;first_aid",210202,,`,
        `"${tag}丙, 小",助理社会工作师,,211481,,2`,
      ].join("\r\n");
      const response = await call("POST", "/api/v1/social-workers/import", {
        token: admin.token,
        csv,
      });
      expect(response.status).toBe(201);
      expect(await response.json()).toMatchObject({ imported: 3 });
      expect(await countNamed(socialWorkers, tag)).toBe(3);
    });

    it("stores nothing when one row is bad, and reports each problem by row and column", async () => {
      const tag = unique("坏");
      const csv = [
        "name,certificate_level,skills,home_county_code,organisation,weekly_capacity",
        `${tag}1,junior,counselling,210103,,3`,
        `${tag}2,master,counselling,210103,,3`,
        `${tag}3,junior,juggling,210100,,99`,
        `,junior,,210103,不存在的机构,3`,
      ].join("\n");
      const response = await call("POST", "/api/v1/social-workers/import", {
        token: admin.token,
        csv,
      });
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(error.message).toContain("nothing was stored");
      const cells = error.issues.map((issue) => `${issue.row}:${issue.path}`);
      expect(cells).toEqual(
        expect.arrayContaining([
          "3:certificate_level",
          "4:skills.0",
          "4:home_county_code",
          "4:weekly_capacity",
          "5:name",
        ]),
      );
      expect(cells).not.toContain("2:name");
      expect(await countNamed(socialWorkers, tag)).toBe(0);
    });

    it("checks counties and organisations against the directory before storing anything", async () => {
      const tag = unique("参照");
      const csv = [
        "name,certificate_level,home_county_code,organisation",
        `${tag}1,junior,219901,`,
        `${tag}2,junior,210103,没有这个机构`,
      ].join("\n");
      const response = await call("POST", "/api/v1/social-workers/import", {
        token: admin.token,
        csv,
      });
      expect(response.status).toBe(400);
      expect((await errorOf(response)).issues).toEqual([
        { row: 2, path: "home_county_code", message: "no county-level region has this code" },
        { row: 3, path: "organisation", message: "no organisation has this name" },
      ]);
      expect(await countNamed(socialWorkers, tag)).toBe(0);
    });

    it("rejects an unknown column instead of dropping it", async () => {
      const csv =
        "name,certificate_level,home_county_code,id_card\n张三,junior,210103,210103199001011234";
      const response = await call("POST", "/api/v1/social-workers/import", {
        token: admin.token,
        csv,
      });
      expect(response.status).toBe(400);
      expect((await errorOf(response)).issues[0]).toMatchObject({
        row: 1,
        path: "id_card",
        message: "unknown column",
      });
    });

    it("answers 415 when the body is not text/csv", async () => {
      const response = await call("POST", "/api/v1/social-workers/import", {
        token: admin.token,
        json: [],
      });
      expect(response.status).toBe(415);
    });

    it("answers 403 for a department", async () => {
      const department = await makeActor({ role: "department", regionCode: "210100" });
      const response = await call("POST", "/api/v1/social-workers/import", {
        token: department.token,
        csv: "name\nx",
      });
      expect(response.status).toBe(403);
    });
  });

  describe("volunteer teams", () => {
    it("stores a valid sheet in one go", async () => {
      const tag = unique("队");
      const csv = [
        "队伍名称,技能,所在县区代码,人数,队长",
        `${tag}甲,卫生救护;应急救援,210103,12,刘队长`,
        `${tag}乙,文体活动,210202,8,`,
      ].join("\n");
      const response = await call("POST", "/api/v1/volunteer-teams/import", {
        token: admin.token,
        csv,
      });
      expect(response.status).toBe(201);
      expect(await countNamed(volunteerTeams, tag)).toBe(2);
    });

    it("stores nothing when one row is bad", async () => {
      const tag = unique("队坏");
      const csv = [
        "name,skills,county_code,size",
        `${tag}1,first_aid,210103,10`,
        `${tag}2,first_aid,210103,0`,
      ].join("\n");
      const response = await call("POST", "/api/v1/volunteer-teams/import", {
        token: admin.token,
        csv,
      });
      expect(response.status).toBe(400);
      expect((await errorOf(response)).issues.map((i) => `${i.row}:${i.path}`)).toEqual(["3:size"]);
      expect(await countNamed(volunteerTeams, tag)).toBe(0);
    });
  });
});
