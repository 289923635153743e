import { describe, expect, it } from "vitest";
import type { Principal } from "../../../src/auth/principal";
import type { TargetGroup } from "../../../src/domain/vocabulary";
import type { Tally, TallyMeasures, TallyRow } from "../../../src/tallies/query";
import {
  SUPPRESSION_THRESHOLD,
  suppress,
  suppressionApplies,
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

describe("suppress", () => {
  it("uses a threshold of 5", () => {
    expect(SUPPRESSION_THRESHOLD).toBe(5);
  });

  it("withholds sensitive cells from 1 to 4 and shows 0 and 5", () => {
    const tally = suppress(
      makeTally({
        rows: [
          ...unitRows(COMMUNITY_A, { elderly: 4, children: 0, disabled: 1, residents: 30 }),
          ...unitRows(COMMUNITY_B, { elderly: 5, children: 0, residents: 9 }),
        ],
      }),
    );
    expect(tally.suppression).toEqual({ applied: true, threshold: 5 });
    expect(find(tally, COMMUNITY_A.code, "elderly")).toMatchObject({
      personTimes: null,
      suppressed: ["personTimes"],
    });
    expect(find(tally, COMMUNITY_A.code, "disabled")?.personTimes).toBeNull();
    expect(find(tally, COMMUNITY_A.code, "children")?.personTimes).toBe(0);
    expect(find(tally, COMMUNITY_A.code, "children")?.suppressed).toBeUndefined();
    // Two cells withheld in A: no secondary suppression needed.
    expect(find(tally, COMMUNITY_A.code, "residents")?.personTimes).toBe(30);
    // B has nothing small.
    expect(find(tally, COMMUNITY_B.code, "elderly")?.personTimes).toBe(5);
    expect(find(tally, COMMUNITY_B.code, "residents")?.personTimes).toBe(9);
  });

  it("does not withhold small counts of non-sensitive groups by themselves", () => {
    const tally = suppress(
      makeTally({ rows: unitRows(COMMUNITY_A, { courier: 2, residents: 3 }) }),
    );
    expect(find(tally, COMMUNITY_A.code, "courier")?.personTimes).toBe(2);
    expect(find(tally, COMMUNITY_A.code, "residents")?.personTimes).toBe(3);
  });

  it("withholds the smallest other non-zero cell of a unit where only one was withheld", () => {
    const tally = suppress(
      makeTally({
        rows: [
          ...unitRows(COMMUNITY_A, { elderly: 3, children: 0, courier: 7, residents: 10 }),
          ...unitRows(COMMUNITY_B, { elderly: 2, residents: 6 }),
        ],
      }),
    );
    expect(find(tally, COMMUNITY_A.code, "elderly")?.personTimes).toBeNull();
    expect(find(tally, COMMUNITY_A.code, "courier")).toMatchObject({
      personTimes: null,
      suppressed: ["personTimes"],
    });
    expect(find(tally, COMMUNITY_A.code, "residents")?.personTimes).toBe(10);
    expect(find(tally, COMMUNITY_A.code, "children")?.personTimes).toBe(0);
    // Per unit: B's only other cell goes too, A's residents stay.
    expect(find(tally, COMMUNITY_B.code, "residents")?.personTimes).toBeNull();
  });

  it("treats each month (and service type) of a community as its own unit", () => {
    const rows: TallyRow[] = [
      { ...measures(3), month: "2022-01", targetGroup: "children" },
      { ...measures(20), month: "2022-01", targetGroup: "residents" },
      { ...measures(8), month: "2022-02", targetGroup: "children" },
      { ...measures(20), month: "2022-02", targetGroup: "residents" },
    ];
    const tally = suppress(
      makeTally({
        region: { code: COMMUNITY_A.code, name: COMMUNITY_A.name, level: "community" },
        groupBy: ["month", "targetGroup"],
        level: null,
        rows,
      }),
    );
    expect(tally.rows.map((r) => r.personTimes)).toEqual([null, null, 8, 20]);
  });

  it("hides the adjustment part of a withheld cell too, and leaves the input untouched", () => {
    const rows = unitRows(COMMUNITY_A, { elderly: 2, children: 2 });
    const first = rows[0] as TallyRow;
    first.adjustments = { ...first.adjustments, personTimes: 1 };
    const input = makeTally({ rows });
    const tally = suppress(input);
    expect(find(tally, COMMUNITY_A.code, "elderly")?.adjustments.personTimes).toBe(0);
    expect(first.personTimes).toBe(2);
    expect(first.adjustments.personTimes).toBe(1);
    expect(input.suppression.applied).toBe(false);
  });

  it("never leaves a lone withheld cell that the totals give away", () => {
    // One community served 3 older people and nobody else in the period: the region's total is
    // 3, every other cell is a visible 0, so a single withheld cell is total − visible cells.
    const tally = suppress(
      makeTally({
        totals: measures(3, false),
        rows: [
          ...unitRows(COMMUNITY_A, { elderly: 3, children: 0, courier: 0, residents: 0 }),
          ...unitRows(COMMUNITY_B, { elderly: 0, children: 0, courier: 0, residents: 0 }),
        ],
      }),
    );
    const withheld = tally.rows.filter((r) => r.suppressed?.includes("personTimes")).length;
    const totalHidden = tally.totals.personTimes === null;
    expect(withheld >= 2 || totalHidden).toBe(true);
  });
});
