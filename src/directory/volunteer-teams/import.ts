import { inArray } from "drizzle-orm";
import { volunteerTeams } from "../../db/schema";
import { normaliseWord } from "../../domain/synonyms";
import { serviceTypes } from "../../domain/vocabulary";
import { arrayLiteral, chunks, updateById } from "../imports/bulk-update";
import { county, text, wholeNumber, words } from "../imports/columns";
import type { Fields, ImportResource } from "../imports/resource";

const str = (value: unknown) => (typeof value === "string" ? value : undefined);

/** 志愿服务队 lists: a team is known by its name within its county (the stable key). */
export const volunteerTeamImport: ImportResource = {
  name: "volunteer-teams",
  entity: "volunteer_team",
  title: { zh: "志愿服务队", en: "Volunteer teams" },
  columns: [
    {
      key: "name",
      header: { zh: "队伍名称", en: "Team name" },
      aliases: ["team_name", "服务队名称", "志愿服务队", "名称"],
      required: true,
      parse: text(100),
      example: "（示例）多福社区邻里守望志愿服务队",
      hint: {
        zh: "必填：同一县区内的队伍名称不重复，再次导入时按名称找到同一支队伍",
        en: "Required: unique within its county; a later import finds the team by it",
      },
      width: 32,
    },
    {
      key: "county_code",
      header: { zh: "所在县区代码", en: "County code" },
      aliases: ["countyCode", "所在县区", "县区代码", "县区", "所在县（市、区）"],
      required: true,
      parse: county,
      list: "county",
      example: "210103",
      hint: {
        zh: "必填：从下拉列表选择，或写县区代码（如 210103）或名称（如 沈河区）",
        en: "Required: pick from the list, or write the code (210103) or name",
      },
      width: 24,
    },
    {
      key: "organisation",
      header: { zh: "所属组织", en: "Organisation" },
      aliases: ["organisation_name", "所属机构", "组织"],
      required: false,
      parse: text(100),
      list: "organisation",
      example: "",
      hint: { zh: "选填：须与目录中的组织名称一致", en: "Optional: as named in the directory" },
      width: 28,
    },
    {
      key: "skills",
      header: { zh: "技能", en: "Skills" },
      aliases: ["服务领域", "服务类型", "专业技能"],
      required: false,
      parse: words("serviceType", serviceTypes.length),
      list: "serviceType",
      multiple: true,
      example: "邻里守望、应急救援",
      hint: {
        zh: "可多项，用顿号（、）或分号分隔",
        en: "Several allowed, separated by 、 or ;",
      },
      width: 24,
    },
    {
      key: "size",
      header: { zh: "人数", en: "Members" },
      aliases: ["队伍人数", "队员人数"],
      required: true,
      parse: wholeNumber(1, 10_000),
      example: "12",
      hint: { zh: "必填：1 到 10000 的整数", en: "Required: 1 to 10,000" },
      width: 10,
    },
    {
      key: "leader_name",
      header: { zh: "队长", en: "Leader" },
      aliases: ["leaderName", "队长姓名", "负责人"],
      required: false,
      parse: text(100),
      example: "刘建国",
      hint: { zh: "选填", en: "Optional" },
      width: 14,
    },
  ],
  fieldOf: {
    county_code: "countyCode",
    organisation: "organisationId",
    leader_name: "leaderName",
  },
  fields: ["name", "countyCode", "organisationId", "skills", "size", "leaderName"],
  defaults: { skills: [], organisationId: null, leaderName: null },
  countyField: "countyCode",
  keyColumn: "name",
  keyOf: (fields) => `${fields.countyCode}|${normaliseWord(String(fields.name))}`,

  async load(db, rows) {
    const counties = [...new Set(rows.map((r) => String(r.countyCode)))];
    if (counties.length === 0) return [];
    const found = await db
      .select({
        id: volunteerTeams.id,
        name: volunteerTeams.name,
        countyCode: volunteerTeams.countyCode,
        organisationId: volunteerTeams.organisationId,
        skills: volunteerTeams.skills,
        size: volunteerTeams.size,
        leaderName: volunteerTeams.leaderName,
        active: volunteerTeams.active,
      })
      .from(volunteerTeams)
      .where(inArray(volunteerTeams.countyCode, counties));
    return found.map(({ id, ...fields }) => ({ id, fields }));
  },

  async insert(tx, rows) {
    const ids: string[] = [];
    for (const chunk of chunks(rows)) {
      const created = await tx
        .insert(volunteerTeams)
        .values(chunk.map(toRow))
        .returning({ id: volunteerTeams.id });
      ids.push(...created.map((row) => row.id));
    }
    return ids;
  },

  update: (tx, rows) =>
    updateById(
      tx,
      "volunteer_teams",
      [
        { column: "name", type: "text", value: (f) => f.name },
        { column: "county_code", type: "text", value: (f) => f.countyCode },
        { column: "organisation_id", type: "uuid", value: (f) => f.organisationId },
        { column: "skills", type: "service_type[]", value: (f) => arrayLiteral(f.skills) },
        { column: "size", type: "integer", value: (f) => f.size },
        { column: "leader_name", type: "text", value: (f) => f.leaderName },
        { column: "active", type: "boolean", value: (f) => f.active },
      ],
      rows,
    ),
};

function toRow(fields: Fields): typeof volunteerTeams.$inferInsert {
  return {
    name: String(fields.name),
    countyCode: String(fields.countyCode),
    organisationId: str(fields.organisationId) ?? null,
    skills: fields.skills as typeof volunteerTeams.$inferInsert.skills,
    size: Number(fields.size),
    leaderName: str(fields.leaderName) ?? null,
    active: true,
  };
}
