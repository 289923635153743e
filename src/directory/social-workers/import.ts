import { and, inArray, isNull, or } from "drizzle-orm";
import { socialWorkers } from "../../db/schema";
import { normaliseWord } from "../../domain/synonyms";
import { serviceTypes } from "../../domain/vocabulary";
import { arrayLiteral, chunks, updateById } from "../imports/bulk-update";
import { certificateNumber, county, text, wholeNumber, word, words } from "../imports/columns";
import type { Fields, ImportResource } from "../imports/resource";

const str = (value: unknown) => (typeof value === "string" ? value : undefined);

/**
 * 专业社工 lists: the certificate number (证书编号) is the stable key. A record stored before it
 * had one is found once by name and county, and gets the number.
 */
export const socialWorkerImport: ImportResource = {
  name: "social-workers",
  entity: "social_worker",
  title: { zh: "专业社工", en: "Social workers" },
  columns: [
    {
      key: "name",
      header: { zh: "姓名", en: "Name" },
      aliases: [],
      required: true,
      parse: text(100),
      example: "（示例）王晓梅",
      hint: { zh: "必填", en: "Required" },
      width: 14,
    },
    {
      key: "certificate_number",
      header: { zh: "证书编号", en: "Certificate number" },
      aliases: ["certificateNumber", "证书号", "证书管理号", "管理号", "证书号码"],
      required: true,
      parse: certificateNumber,
      example: "S2024210100123",
      hint: {
        zh: "必填：社会工作者职业水平证书上的编号。再次导入时按它找到同一个人",
        en: "Required: the number on the certificate; a later import finds the same person by it",
      },
      width: 20,
    },
    {
      key: "certificate_level",
      header: { zh: "证书等级", en: "Certificate level" },
      aliases: ["certificateLevel", "等级", "职业水平等级", "证书级别"],
      required: true,
      parse: word("certificateLevel"),
      list: "certificateLevel",
      example: "社会工作师",
      hint: {
        zh: "必填：从下拉列表选择，也可写 初级/中级/高级",
        en: "Required: pick from the list",
      },
      width: 16,
    },
    {
      key: "skills",
      header: { zh: "技能", en: "Skills" },
      aliases: ["服务领域", "专业技能", "擅长领域"],
      required: false,
      parse: words("serviceType", serviceTypes.length),
      list: "serviceType",
      multiple: true,
      example: "心理疏导、法律援助",
      hint: {
        zh: "可多项，用顿号（、）或分号分隔",
        en: "Several allowed, separated by 、 or ;",
      },
      width: 24,
    },
    {
      key: "home_county_code",
      header: { zh: "所在县区代码", en: "County code" },
      aliases: [
        "homeCountyCode",
        "county_code",
        "所在县区",
        "县区代码",
        "县区",
        "所在县（市、区）",
      ],
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
      header: { zh: "所属机构", en: "Organisation" },
      aliases: ["organisation_name", "机构", "所在机构", "工作单位"],
      required: false,
      parse: text(100),
      list: "organisation",
      example: "",
      hint: { zh: "选填：须与目录中的机构名称一致", en: "Optional: as named in the directory" },
      width: 28,
    },
    {
      key: "weekly_capacity",
      header: { zh: "每周可服务场次", en: "Weekly capacity" },
      aliases: ["weeklyCapacity", "每周场次"],
      required: false,
      parse: wholeNumber(1, 20),
      example: "3",
      hint: { zh: "选填：1 到 20 的整数，空着为 3", en: "Optional: 1 to 20 (default 3)" },
      width: 16,
    },
  ],
  fieldOf: {
    certificate_number: "certificateNumber",
    certificate_level: "certificateLevel",
    home_county_code: "homeCountyCode",
    organisation: "organisationId",
    weekly_capacity: "weeklyCapacity",
  },
  fields: [
    "name",
    "certificateNumber",
    "certificateLevel",
    "skills",
    "homeCountyCode",
    "organisationId",
    "weeklyCapacity",
  ],
  defaults: { skills: [], organisationId: null, weeklyCapacity: 3 },
  countyField: "homeCountyCode",
  keyColumn: "certificate_number",
  keyOf: (fields) => str(fields.certificateNumber),
  legacyKeyOf: (fields) => `${fields.homeCountyCode}|${normaliseWord(String(fields.name))}`,

  async load(db, rows) {
    const numbers = rows.map((r) => str(r.certificateNumber)).filter((n) => n !== undefined);
    const counties = [...new Set(rows.map((r) => String(r.homeCountyCode)))];
    const found = await db
      .select({
        id: socialWorkers.id,
        name: socialWorkers.name,
        certificateNumber: socialWorkers.certificateNumber,
        certificateLevel: socialWorkers.certificateLevel,
        skills: socialWorkers.skills,
        homeCountyCode: socialWorkers.homeCountyCode,
        organisationId: socialWorkers.organisationId,
        weeklyCapacity: socialWorkers.weeklyCapacity,
        active: socialWorkers.active,
      })
      .from(socialWorkers)
      .where(
        or(
          numbers.length > 0 ? inArray(socialWorkers.certificateNumber, numbers) : undefined,
          counties.length > 0
            ? and(
                isNull(socialWorkers.certificateNumber),
                inArray(socialWorkers.homeCountyCode, counties),
              )
            : undefined,
        ),
      );
    return found.map(({ id, ...fields }) => ({ id, fields }));
  },

  async insert(tx, rows) {
    const ids: string[] = [];
    for (const chunk of chunks(rows)) {
      const created = await tx
        .insert(socialWorkers)
        .values(chunk.map(toRow))
        .returning({ id: socialWorkers.id });
      ids.push(...created.map((row) => row.id));
    }
    return ids;
  },

  update: (tx, rows) =>
    updateById(
      tx,
      "social_workers",
      [
        { column: "name", type: "text", value: (f) => f.name },
        { column: "certificate_number", type: "text", value: (f) => f.certificateNumber },
        {
          column: "certificate_level",
          type: "certificate_level",
          value: (f) => f.certificateLevel,
        },
        { column: "skills", type: "service_type[]", value: (f) => arrayLiteral(f.skills) },
        { column: "home_county_code", type: "text", value: (f) => f.homeCountyCode },
        { column: "organisation_id", type: "uuid", value: (f) => f.organisationId },
        { column: "weekly_capacity", type: "smallint", value: (f) => f.weeklyCapacity },
        { column: "active", type: "boolean", value: (f) => f.active },
      ],
      rows,
    ),
};

function toRow(fields: Fields): typeof socialWorkers.$inferInsert {
  return {
    name: String(fields.name),
    certificateNumber: str(fields.certificateNumber) ?? null,
    certificateLevel: fields.certificateLevel as typeof socialWorkers.$inferInsert.certificateLevel,
    skills: fields.skills as typeof socialWorkers.$inferInsert.skills,
    homeCountyCode: String(fields.homeCountyCode),
    organisationId: str(fields.organisationId) ?? null,
    weeklyCapacity: Number(fields.weeklyCapacity),
    active: true,
  };
}
