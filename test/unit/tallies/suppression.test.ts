import { describe, expect, it } from "vitest";
import type { Principal } from "../../../src/auth/principal";
import type { TargetGroup } from "../../../src/domain/vocabulary";
import type { Tally, TallyMeasures, TallyRow } from "../../../src/tallies/query";
import {
  type AtomicCell,
  cellKey,
  hiddenCells,
  SUPPRESSION_THRESHOLD,
  suppress,
  suppressionApplies,
  withheldGroups,
} from "../../../src/tallies/suppression";

function measures(personTimes: number | null, byGroup = true): TallyMeasures {
  return {
    events: personTimes ? 1 : 0,
    personTimes,
    uniqueVolunteers: byGroup ? null : 0,
    volunteersAttended: byGroup ? null : 0,
    volunteerHours: byGroup ? null : 0,
    activeSocialWorkers: byGroup ? null : 0,
    communitiesReached: personTimes ? 1 : 0,
    adjustments: {
      personTimes: 0,
      volunteersAttended: byGroup ? null : 0,
      volunteerHours: byGroup ? null : 0,
    },
  };
}

const COMMUNITY_A = { code: "210103001001", name: "甲社区" };
const COMMUNITY_B = { code: "210103001002", name: "乙社区" };

/** Rows of one community (unit) by target group. */
function unitRows(
  region: { code: string; name: string },
  cells: Partial<Record<TargetGroup, number>>,
): TallyRow[] {
  return Object.entries(cells).map(([targetGroup, n]) => ({
    ...measures(n ?? 0),
    targetGroup: targetGroup as TargetGroup,
    region,
  }));
}

function makeTally(overrides: Partial<Tally> = {}): Tally {
  return {
    region: { code: "210103", name: "沈河区", level: "county" },
    period: { from: "2022-01", to: "2022-01" },
    groupBy: ["targetGroup", "region"],
    level: "community",
    totals: measures(0, false),
    rows: [],
    awaitingSignOff: 0,
    suppression: { applied: false, threshold: 0 },
    ...overrides,
  };
}

function department(regionCode: string): Principal {
  const level = regionCode.length === 6 ? regionCode.replace(/0+$/, "") : regionCode;
  return {
    accountId: "a",
    name: "department",
    role: "department",
    scope: { kind: "region", regionCode, prefix: level },
    tokenId: "t",
  };
}

const admin: Principal = {
  accountId: "a",
  name: "admin",
  role: "admin",
  scope: { kind: "all" },
  tokenId: "t",
};

const find = (tally: Tally, code: string, group: TargetGroup) =>
  tally.rows.find((r) => r.region?.code === code && r.targetGroup === group);

describe("suppressionApplies", () => {
  it("applies to a county department breaking target groups down to communities", () => {
    expect(suppressionApplies(department("210103"), makeTally())).toBe(true);
  });

  it("applies to a county department tallying one community by target group", () => {
    const tally = makeTally({
      region: { code: COMMUNITY_A.code, name: COMMUNITY_A.name, level: "community" },
      groupBy: ["targetGroup"],
      level: null,
    });
    expect(suppressionApplies(department("210103"), tally)).toBe(true);
  });

  it("applies when the county department breaks down to streets", () => {
    expect(suppressionApplies(department("210103"), makeTally({ level: "street" }))).toBe(true);
  });

  it("does not apply without a target-group breakdown", () => {
    expect(suppressionApplies(department("210103"), makeTally({ groupBy: ["region"] }))).toBe(
      false,
    );
  });

  it("does not apply to county-level units (a county department's own county by group)", () => {
    const tally = makeTally({ groupBy: ["targetGroup"], level: null });
    expect(suppressionApplies(department("210103"), tally)).toBe(false);
  });

  it("does not apply to an admin or to a city department", () => {
    expect(suppressionApplies(admin, makeTally())).toBe(false);
    expect(suppressionApplies(department("210100"), makeTally())).toBe(false);
    expect(suppressionApplies(department("210000"), makeTally())).toBe(false);
  });

  it("does not apply to a coordinator (its own community)", () => {
    const coordinator: Principal = {
      ...admin,
      role: "coordinator",
      scope: { kind: "community", communityId: "c", regionCode: COMMUNITY_A.code },
    };
    expect(suppressionApplies(coordinator, makeTally())).toBe(false);
  });
});

const cell = (
  region: { code: string },
  targetGroup: TargetGroup,
  personTimes: number,
  extra: Partial<AtomicCell> = {},
): AtomicCell => ({
  region: region.code,
  month: "2022-01",
  serviceType: "lecture",
  targetGroup,
  adjustment: false,
  personTimes,
  ...extra,
});

const key = (region: { code: string }, group: TargetGroup, month = "2022-01") =>
  cellKey(region.code, month, "lecture", group);

describe("hiddenCells", () => {
  it("uses a threshold of 5", () => {
    expect(SUPPRESSION_THRESHOLD).toBe(5);
  });

  it("withholds sensitive cells from 1 to 4, and no small cell of another group by itself", () => {
    const hidden = hiddenCells([
      cell(COMMUNITY_A, "elderly", 4),
      cell(COMMUNITY_A, "disabled", 1),
      cell(COMMUNITY_A, "courier", 2),
      cell(COMMUNITY_A, "residents", 30),
      cell(COMMUNITY_B, "elderly", 5),
      cell(COMMUNITY_B, "children", 2),
      cell(COMMUNITY_B, "residents", 9),
    ]);
    expect(hidden.has(key(COMMUNITY_A, "elderly"))).toBe(true);
    expect(hidden.has(key(COMMUNITY_A, "disabled"))).toBe(true);
    expect(hidden.has(key(COMMUNITY_B, "children"))).toBe(true);
    // A's couriers (2) are not sensitive; residents have no small cell: both shown.
    expect(hidden.has(key(COMMUNITY_A, "courier"))).toBe(false);
    expect(hidden.has(key(COMMUNITY_A, "residents"))).toBe(false);
    expect(hidden.has(key(COMMUNITY_B, "residents"))).toBe(false);
  });

  it("pairs a lone withheld cell in its row and in its column: a rectangle of four", () => {
    // A's 3 older people: the county's 12 minus B's 9 would give them, and so would A's total
    // minus its other cells.
    const hidden = hiddenCells([
      cell(COMMUNITY_A, "elderly", 3),
      cell(COMMUNITY_A, "residents", 12),
      cell(COMMUNITY_B, "elderly", 9),
      cell(COMMUNITY_B, "children", 6),
      cell(COMMUNITY_B, "residents", 20),
    ]);
    expect([...hidden].sort()).toEqual(
      [
        key(COMMUNITY_A, "elderly"),
        key(COMMUNITY_A, "residents"),
        key(COMMUNITY_B, "elderly"),
        key(COMMUNITY_B, "residents"),
      ].sort(),
    );
  });

  it("prefers the smallest non-zero companion, and a zero of the same community to none", () => {
    const hidden = hiddenCells([
      cell(COMMUNITY_A, "children", 2),
      cell(COMMUNITY_A, "courier", 7),
      cell(COMMUNITY_A, "residents", 10),
      cell(COMMUNITY_B, "residents", 40),
    ]);
    expect(hidden.has(key(COMMUNITY_A, "courier"))).toBe(true);
    expect(hidden.has(key(COMMUNITY_A, "residents"))).toBe(false);
    // B served no children: its 0 is the only cover in that column, and B served someone.
    expect(hidden.has(key(COMMUNITY_B, "children"))).toBe(true);
    expect(hidden.size).toBe(4);
  });

  it("treats each month and service type as its own table", () => {
    const hidden = hiddenCells([
      cell(COMMUNITY_A, "children", 3),
      cell(COMMUNITY_A, "residents", 20),
      cell(COMMUNITY_B, "residents", 20),
      cell(COMMUNITY_A, "children", 8, { month: "2022-02" }),
      cell(COMMUNITY_A, "residents", 20, { month: "2022-02" }),
      cell(COMMUNITY_B, "residents", 20, { month: "2022-02" }),
    ]);
    expect([...hidden].every((k) => k.includes("|2022-01|"))).toBe(true);
  });

  it("cannot cover the only community with figures in its table (they are the county's own)", () => {
    const hidden = hiddenCells([
      cell(COMMUNITY_A, "elderly", 3),
      cell(COMMUNITY_A, "residents", 5),
    ]);
    expect([...hidden].sort()).toEqual([
      key(COMMUNITY_A, "elderly"),
      key(COMMUNITY_A, "residents"),
    ]);
  });
});

describe("suppress", () => {
  const rows = (cells: [typeof COMMUNITY_A, Partial<Record<TargetGroup, number>>][]) =>
    cells.flatMap(([region, counts]) => unitRows(region, counts));

  it("withholds every row that adds up a withheld cell: person-times, events, communities", () => {
    const input = makeTally({
      rows: rows([
        [COMMUNITY_A, { elderly: 3, residents: 12 }],
        [COMMUNITY_B, { elderly: 9, residents: 20 }],
      ]),
    });
    const tally = suppress(
      input,
      new Set([key(COMMUNITY_A, "elderly"), key(COMMUNITY_B, "elderly")]),
    );
    expect(tally.suppression).toEqual({ applied: true, threshold: 5 });
    expect(find(tally, COMMUNITY_A.code, "elderly")).toMatchObject({
      events: null,
      personTimes: null,
      communitiesReached: null,
      suppressed: ["events", "personTimes", "communitiesReached"],
    });
    expect(find(tally, COMMUNITY_A.code, "residents")?.personTimes).toBe(12);
    expect(find(tally, COMMUNITY_B.code, "elderly")?.personTimes).toBeNull();
    expect(input.rows[0]?.personTimes).toBe(3);
    expect(input.suppression.applied).toBe(false);
  });

  it("withholds a street's or a period's figure that adds up a withheld cell", () => {
    const street = { code: "210103001", name: "街道" };
    const tally = suppress(
      makeTally({
        period: { from: "2022-01", to: "2022-03" },
        level: "street",
        rows: rows([[street, { elderly: 40, children: 7 }]]),
      }),
      new Set([key(COMMUNITY_A, "elderly", "2022-02")]),
    );
    expect(find(tally, street.code, "elderly")?.personTimes).toBeNull();
    expect(find(tally, street.code, "children")?.personTimes).toBe(7);
  });

  it("ignores withheld cells outside the tally's period or region", () => {
    const tally = suppress(
      makeTally({ rows: rows([[COMMUNITY_A, { elderly: 3 }]]) }),
      new Set([
        key(COMMUNITY_A, "elderly", "2021-12"),
        cellKey("210104001001", "2022-01", "lecture", "elderly"),
      ]),
    );
    expect(find(tally, COMMUNITY_A.code, "elderly")?.personTimes).toBe(3);
  });

  it("hides the adjustment part of a withheld row too", () => {
    const input = makeTally({ rows: rows([[COMMUNITY_A, { elderly: 2 }]]) });
    const first = input.rows[0] as TallyRow;
    first.adjustments = { ...first.adjustments, personTimes: 1 };
    const tally = suppress(input, new Set([key(COMMUNITY_A, "elderly")]));
    expect(find(tally, COMMUNITY_A.code, "elderly")?.adjustments.personTimes).toBe(0);
    expect(first.adjustments.personTimes).toBe(1);
  });
});

describe("withheldGroups (the bulk records)", () => {
  it("withholds every sensitive group, and another group only where its cell is withheld", () => {
    const hidden = new Set([key(COMMUNITY_A, "courier")]);
    expect(withheldGroups(COMMUNITY_A.code, "2022-01", "lecture", hidden)).toEqual([
      "elderly",
      "children",
      "courier",
      "disabled",
    ]);
    expect(withheldGroups(COMMUNITY_B.code, "2022-01", "lecture", hidden)).toEqual([
      "elderly",
      "children",
      "disabled",
    ]);
  });
});
