/**
 * The differencing attacks of issue 12 against the API itself: a county department fetches every
 * tally of its county and of each of its communities (every groupBy, every period of two months)
 * and its bulk records, and exact elimination looks for a combination of the numbers it got that
 * equals a cell it was refused. The unit test (test/unit/tallies/suppression-attacks.test.ts)
 * does the same over random histories, streets and adjustments; this one checks that the API
 * shows what that model assumes.
 *
 * Isolation: 旅顺口区 (210212) in 2012, which no other test uses.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { events } from "../../src/db/schema";
import { type ServiceType, type TargetGroup, targetGroups } from "../../src/domain/vocabulary";
import { type Equation, RowSpace } from "../unit/tallies/row-space";
import { type Actor, at, makeActor, makeCommunity, makeSocialWorker, unique } from "./factories";
import { call, withDb } from "./helpers";

const COUNTY = "210212";
const MONTHS = ["2012-01", "2012-02"];
const SERVICES: ServiceType[] = ["lecture", "first_aid"];
const DIMENSIONS = ["month", "serviceType", "targetGroup", "region"] as const;

/** One outcome per community, month and service type, so a record's figure is its cell. */
const plan: {
  community: number;
  day: string;
  service: ServiceType;
  personTimes: Partial<Record<TargetGroup, number>>;
}[] = [
  {
    community: 0,
    day: "2012-01-10",
    service: "lecture",
    personTimes: { elderly: 3, residents: 12 },
  },
  {
    community: 1,
    day: "2012-01-11",
    service: "lecture",
    personTimes: { elderly: 9, children: 6, residents: 20 },
  },
  {
    community: 2,
    day: "2012-01-12",
    service: "lecture",
    personTimes: { courier: 7, residents: 8 },
  },
  {
    community: 0,
    day: "2012-02-10",
    service: "lecture",
    personTimes: { elderly: 15, residents: 10 },
  },
  {
    community: 1,
    day: "2012-02-11",
    service: "first_aid",
    personTimes: { children: 2, disabled: 1, residents: 4 },
  },
  {
    community: 2,
    day: "2012-02-12",
    service: "first_aid",
    personTimes: { children: 8, disabled: 6, delivery_rider: 3 },
  },
  {
    community: 0,
    day: "2012-02-13",
    service: "first_aid",
    personTimes: { elderly: 4, residents: 30 },
  },
];

interface Row {
  personTimes: number | null;
  month?: string;
  serviceType?: string;
  targetGroup?: TargetGroup;
  region?: { code: string };
  suppressed?: string[];
}

interface TallyBody {
  totals: { personTimes: number | null };
  rows: Row[];
  suppression: { applied: boolean };
}

interface RecordBody {
  regionCode: string;
  month: string;
  serviceType: string;
  personTimes: Partial<Record<TargetGroup, number>>;
  suppressed?: string[];
}

let department: Actor;
let codes: string[];

/** The unknown of one cell: community × month × service type × target group. */
function unknown(region: string, month: string, service: string, group: TargetGroup): number {
  return (
    ((codes.indexOf(region) * MONTHS.length + MONTHS.indexOf(month)) * SERVICES.length +
      SERVICES.indexOf(service as ServiceType)) *
      targetGroups.length +
    targetGroups.indexOf(group)
  );
}

const key = (region: string, month: string, service: string, group: string) =>
  `${region}|${month}|${service}|${group}`;

/** The cells a row of a tally of `region` over `months` adds up. */
function cellsOf(row: Row, region: string, months: string[]): Equation {
  const equation: Equation = [];
  for (const code of row.region ? [row.region.code] : codes.filter((c) => c.startsWith(region)))
    for (const month of row.month ? [row.month] : months)
      for (const service of row.serviceType ? [row.serviceType] : SERVICES)
        for (const group of row.targetGroup ? [row.targetGroup] : targetGroups)
          if (SERVICES.includes(service as ServiceType))
            equation.push(unknown(code, month, service, group));
  return equation;
}

async function tally(query: Record<string, string>): Promise<TallyBody> {
  const response = await call("GET", `/api/v1/tallies?${new URLSearchParams(query)}`, {
    token: department.token,
  });
  expect(response.status, `${JSON.stringify(query)} ${await response.clone().text()}`).toBe(200);
  return (await response.json()) as TallyBody;
}

beforeAll(async () => {
  department = await makeActor({ role: "department", regionCode: COUNTY });
  const communities = [];
  for (let i = 0; i < 3; i++) communities.push(await makeCommunity(COUNTY));
  codes = communities.map((c) => c.regionCode);
  for (const entry of plan) {
    const community = communities[entry.community] as (typeof communities)[number];
    const worker = await makeSocialWorker(COUNTY);
    const lead = await makeActor({ role: "social_worker", socialWorkerId: worker.id });
    const start = at(`${entry.day} 09:00`);
    const event = await withDb(async (db) => {
      const [row] = await db
        .insert(events)
        .values({
          communityId: community.id,
          serviceType: entry.service,
          title: unique("活动-"),
          leadSocialWorkerId: worker.id,
          startsAt: start,
          endsAt: new Date(start.getTime() + 7_200_000),
          capacity: 10,
        })
        .returning();
      if (!row) throw new Error("no event");
      return row;
    });
    const path = `/api/v1/events/${event.id}/outcome`;
    const put = await call("PUT", path, {
      token: lead.token,
      json: { confirmNoVolunteers: true, personTimes: entry.personTimes },
    });
    expect(put.status, await put.clone().text()).toBe(201);
    const signed = await call("POST", `${path}/sign-off`, { token: lead.token });
    expect(signed.status, await signed.clone().text()).toBe(200);
  }
});

describe("a county department's every view of its county (旅顺口区 2012)", () => {
  it("recovers no withheld cell by any combination of what it is shown", async () => {
    const equations: Equation[] = [];
    const periods = [[MONTHS[0]], [MONTHS[1]], MONTHS] as string[][];
    const regions = [COUNTY, ...codes];
    let withheldRows = 0;
    for (const region of regions)
      for (let mask = 0; mask < 16; mask++) {
        const groupBy = DIMENSIONS.filter((_, i) => mask & (1 << i));
        if (region !== COUNTY && groupBy.includes("region")) continue;
        for (const months of periods) {
          const body = await tally({
            region,
            from: months[0] as string,
            to: months.at(-1) as string,
            ...(groupBy.length ? { groupBy: groupBy.join(",") } : {}),
          });
          equations.push(cellsOf({ personTimes: 0 }, region, months));
          for (const row of body.rows) {
            if (row.personTimes === null) withheldRows++;
            else equations.push(cellsOf(row, region, months));
          }
        }
      }
    // The bulk records (a list by cursor; the export takes years from 2020).
    const records = await call(
      "GET",
      `/api/v1/outcomes?region=${COUNTY}&from=${MONTHS[0]}&to=${MONTHS[1]}&limit=500`,
      { token: department.token },
    );
    expect(records.status, await records.clone().text()).toBe(200);
    const page = (await records.json()) as { data: RecordBody[] };
    expect(page.data).toHaveLength(plan.length);
    for (const record of page.data) {
      for (const group of targetGroups)
        if (!record.suppressed?.includes(`personTimes.${group}`))
          equations.push([unknown(record.regionCode, record.month, record.serviceType, group)]);
    }

    const space = new RowSpace(codes.length * MONTHS.length * SERVICES.length * 8);
    for (const equation of equations) space.add(equation);
    const cells = await tally({
      region: COUNTY,
      from: MONTHS[0] as string,
      to: MONTHS[1] as string,
      groupBy: "month,serviceType,targetGroup,region",
    });
    const withheld = cells.rows
      .filter((row) => row.suppressed)
      .map((row) =>
        key(row.region?.code ?? "", row.month ?? "", row.serviceType ?? "", row.targetGroup ?? ""),
      );
    // January's lecture: A's 3 older people and their cover; February's first aid: B's children
    // and people with disabilities and theirs.
    expect(withheld).toContain(key(codes[0] as string, "2012-01", "lecture", "elderly"));
    expect(withheld).toContain(key(codes[1] as string, "2012-02", "first_aid", "disabled"));
    expect(withheldRows).toBeGreaterThan(withheld.length);
    const recovered = withheld.filter((cell) => {
      const [region, month, service, group] = cell.split("|") as [string, string, string, string];
      return space.spans([unknown(region, month, service, group as TargetGroup)]);
    });
    expect(recovered).toEqual([]);
  });
});
