/**
 * Differencing attacks on small-count suppression, over every view a county department can
 * request (the rule in the README, "Small counts"). A random history of outcomes and adjustments
 * in a county of two streets of two communities over three months and two service types is
 * tallied the way query.ts does, for every region in scope, every level below it, every
 * combination of groupBy and every period; the records are cut as records.ts cuts them. Each
 * number the department is shown is a linear equation in the unknown person-times of each
 * outcome (or adjustment) and target group. Exact elimination then checks that no combination of
 * those equations gives any withheld cell — the plain attacks (a total minus the cells shown, a
 * longer period minus its months) among them, which are also tried by themselves.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Principal } from "../../../src/auth/principal";
import {
  type ServiceType,
  sensitiveTargetGroups,
  type TargetGroup,
  targetGroups,
} from "../../../src/domain/vocabulary";
import type { Tally, TallyDimension, TallyMeasures, TallyRow } from "../../../src/tallies/query";
import {
  type AtomicCell,
  cellKey,
  hiddenCells,
  suppress,
  suppressionApplies,
  withheldGroups,
} from "../../../src/tallies/suppression";
import { type Equation, RowSpace } from "./row-space";

const COUNTY = "210103";
const STREETS = ["210103001", "210103002"];
const COMMUNITIES = ["210103001001", "210103001002", "210103002001", "210103002002"];
const MONTHS = ["2025-01", "2025-02", "2025-03"];
const SERVICES: ServiceType[] = ["lecture", "first_aid"];

/** An outcome or an adjustment: its community, month, service type and person-times. */
interface Contribution {
  region: string;
  month: string;
  serviceType: ServiceType;
  adjustment: boolean;
  personTimes: Record<TargetGroup, number>;
}

const department: Principal = {
  accountId: "a",
  name: "沈河区委社会工作部",
  role: "department",
  scope: { kind: "region", regionCode: COUNTY, prefix: COUNTY },
  tokenId: "t",
};

const variable = (contribution: number, group: TargetGroup) =>
  contribution * targetGroups.length + targetGroups.indexOf(group);

function atomicCells(history: Contribution[]): AtomicCell[] {
  return history.flatMap((c) =>
    targetGroups
      .filter((g) => c.personTimes[g] !== 0)
      .map((g) => ({ ...c, targetGroup: g, personTimes: c.personTimes[g] })),
  );
}

function measures(n: number, adjusted: number): TallyMeasures {
  return {
    events: 0,
    personTimes: n,
    uniqueVolunteers: null,
    volunteersAttended: null,
    volunteerHours: null,
    activeSocialWorkers: null,
    communitiesReached: 0,
    adjustments: { personTimes: adjusted, volunteersAttended: null, volunteerHours: null },
  };
}

interface View {
  region: string;
  level: "street" | "community" | null;
  groupBy: TallyDimension[];
  from: number;
  to: number;
}

/** Every tally the department can request of this little county. */
function views(): View[] {
  const regions = [COUNTY, ...STREETS, ...COMMUNITIES];
  const dims: TallyDimension[] = ["month", "serviceType", "targetGroup", "region"];
  const out: View[] = [];
  for (let mask = 0; mask < 16; mask++) {
    const groupBy = dims.filter((_, i) => mask & (1 << i));
    for (const region of regions) {
      const levels: View["level"][] = !groupBy.includes("region")
        ? [null]
        : region === COUNTY
          ? ["street", "community"]
          : ["community"];
      for (const level of levels)
        for (let from = 0; from < MONTHS.length; from++)
          for (let to = from; to < MONTHS.length; to++)
            out.push({ region, level, groupBy, from, to });
    }
  }
  return out;
}

/** A view's tally, as query.ts builds it (every combination listed), with each row's unknowns. */
function tallyOf(history: Contribution[], view: View) {
  const months = MONTHS.slice(view.from, view.to + 1);
  const width = view.level === "street" ? 9 : 12;
  const children = view.level === "street" ? STREETS : COMMUNITIES;
  const domains: Record<string, string | undefined>[][] = [];
  if (view.groupBy.includes("month")) domains.push(months.map((month) => ({ month })));
  if (view.groupBy.includes("serviceType"))
    domains.push(SERVICES.map((serviceType) => ({ serviceType })));
  if (view.groupBy.includes("targetGroup"))
    domains.push(targetGroups.map((targetGroup) => ({ targetGroup })));
  if (view.groupBy.includes("region"))
    domains.push(children.filter((c) => c.startsWith(view.region)).map((region) => ({ region })));
  const combos = domains.reduce<Record<string, string | undefined>[]>(
    (acc, domain) => acc.flatMap((a) => domain.map((d) => ({ ...a, ...d }))),
    [{}],
  );
  const inView = (c: Contribution) => c.region.startsWith(view.region) && months.includes(c.month);
  const sumOf = (match: (c: Contribution) => boolean, groups: readonly TargetGroup[]) => {
    const equation: Equation = [];
    const adjusted: Equation = [];
    let [n, a] = [0, 0];
    history.forEach((c, i) => {
      if (!inView(c) || !match(c)) return;
      for (const g of groups) {
        equation.push(variable(i, g));
        n += c.personTimes[g];
        if (c.adjustment) {
          adjusted.push(variable(i, g));
          a += c.personTimes[g];
        }
      }
    });
    return { equation, adjusted, n, a };
  };
  const rows: { row: TallyRow; equation: Equation; adjusted: Equation }[] = combos.map((combo) => {
    const s = sumOf(
      (c) =>
        (!combo.month || c.month === combo.month) &&
        (!combo.serviceType || c.serviceType === combo.serviceType) &&
        (!combo.region || c.region.slice(0, width) === combo.region),
      combo.targetGroup ? [combo.targetGroup as TargetGroup] : targetGroups,
    );
    const row: TallyRow = { ...measures(s.n, s.a) };
    if (combo.month) row.month = combo.month;
    if (combo.serviceType) row.serviceType = combo.serviceType as ServiceType;
    if (combo.targetGroup) row.targetGroup = combo.targetGroup as TargetGroup;
    if (combo.region) row.region = { code: combo.region, name: combo.region };
    return { row, equation: s.equation, adjusted: s.adjusted };
  });
  const total = sumOf(() => true, targetGroups);
  const level =
    view.region.length === 12 ? "community" : view.region.length === 9 ? "street" : "county";
  const tally: Tally = {
    region: { code: view.region, name: view.region, level },
    period: { from: months[0] as string, to: months.at(-1) as string },
    groupBy: view.groupBy,
    level: view.level,
    totals: measures(total.n, total.a),
    rows: rows.map((r) => r.row),
    awaitingSignOff: 0,
    suppression: { applied: false, threshold: 0 },
  };
  return { tally, rows, total, months };
}

/** Everything the department is shown, as equations; and what the service withheld. */
function published(history: Contribution[]) {
  const equations: Equation[] = [];
  const cells = atomicCells(history);
  const hiddenByPeriod = new Map<string, Set<string>>();
  for (const view of views()) {
    const { tally, rows, total, months } = tallyOf(history, view);
    let shown = tally;
    if (suppressionApplies(department, tally)) {
      // As the service does: the cells withheld over the county in the tally's months.
      const period = months.join();
      let hidden = hiddenByPeriod.get(period);
      if (!hidden) {
        hidden = hiddenCells(cells.filter((c) => months.includes(c.month)));
        hiddenByPeriod.set(period, hidden);
      }
      shown = suppress(tally, hidden);
    }
    equations.push(total.equation, total.adjusted);
    shown.rows.forEach((row, i) => {
      const source = rows[i] as (typeof rows)[number];
      if (row.personTimes === null) return;
      expect(row.personTimes).toBe(tally.rows[i]?.personTimes);
      equations.push(source.equation, source.adjusted);
    });
  }
  // The records (and the pilot summary's totals, which the tallies' totals already hold).
  const hidden = hiddenCells(cells);
  history.forEach((c, i) => {
    const withheld = withheldGroups(c.region, c.month, c.serviceType, hidden);
    for (const g of targetGroups) if (!withheld.includes(g)) equations.push([variable(i, g)]);
  });
  return { equations, hidden };
}

/** The unknowns of a withheld cell. */
function cellEquation(history: Contribution[], key: string): Equation {
  const [region, month, serviceType, group] = key.split("|");
  const equation: Equation = [];
  history.forEach((c, i) => {
    if (c.region === region && c.month === month && c.serviceType === serviceType)
      equation.push(variable(i, group as TargetGroup));
  });
  return equation;
}

/**
 * True when nothing can cover the cell: in each part (outcomes, adjustments) its community has
 * in its table, it is the only community with that part — so the county's own figures (and
 * their "of which adjustments") are its figures. The README names this exception.
 */
function uncoverable(history: Contribution[], key: string): boolean {
  const [region, month, serviceType] = key.split("|");
  const here = history.filter((c) => c.month === month && c.serviceType === serviceType);
  return [false, true]
    .filter((part) => here.some((c) => c.region === region && c.adjustment === part))
    .every((part) => here.filter((c) => c.adjustment === part).every((c) => c.region === region));
}

const count = fc.oneof(
  { weight: 4, arbitrary: fc.constant(0) },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 4 }) },
  { weight: 2, arbitrary: fc.integer({ min: 5, max: 30 }) },
);

/** An outcome, or one time in six an adjustment (person-times may then be negative). */
const contribution: fc.Arbitrary<Contribution> = fc
  .record({
    region: fc.constantFrom(...COMMUNITIES),
    month: fc.constantFrom(...MONTHS),
    serviceType: fc.constantFrom(...SERVICES),
    adjustment: fc.integer({ min: 0, max: 5 }).map((k) => k === 0),
    personTimes: fc.record(
      Object.fromEntries(targetGroups.map((g) => [g, count])) as Record<
        TargetGroup,
        fc.Arbitrary<number>
      >,
    ),
  })
  .map((c) =>
    c.adjustment
      ? { ...c, personTimes: { ...c.personTimes, residents: -c.personTimes.residents } }
      : c,
  );

const history = fc.array(contribution, { minLength: 1, maxLength: 9 });

function attack(h: Contribution[]) {
  const { equations, hidden } = published(h);
  const space = new RowSpace(h.length * targetGroups.length);
  const unique = new Map(equations.map((e) => [[...e].sort((a, b) => a - b).join(","), e]));
  for (const equation of unique.values()) space.add(equation);
  const recovered = [...hidden].filter(
    (key) => !uncoverable(h, key) && space.spans(cellEquation(h, key)),
  );
  return { hidden, recovered, space };
}

describe("suppression across every view a county department can request", () => {
  it("lets no combination of published figures give a withheld cell", () => {
    let withheld = 0;
    fc.assert(
      fc.property(history, (h) => {
        const { hidden, recovered } = attack(h);
        withheld += hidden.size;
        expect(recovered).toEqual([]);
      }),
      { seed: 20261206, numRuns: 60 },
    );
    // The histories do withhold cells (the property is not vacuous).
    expect(withheld).toBeGreaterThan(60);
  });

  it("withholds every small sensitive cell of a community", () => {
    fc.assert(
      fc.property(history, (h) => {
        const hidden = hiddenCells(atomicCells(h));
        const totals = new Map<string, number>();
        for (const cell of atomicCells(h)) {
          const key = cellKey(cell.region, cell.month, cell.serviceType, cell.targetGroup);
          totals.set(key, (totals.get(key) ?? 0) + cell.personTimes);
        }
        for (const [key, n] of totals) {
          const group = key.split("|")[3] as TargetGroup;
          if (sensitiveTargetGroups.includes(group) && n > 0 && n < 5)
            expect(hidden.has(key), key).toBe(true);
        }
      }),
      { seed: 20261206, numRuns: 100 },
    );
  });
});

describe("one choice for every view", () => {
  it("withholds the same cells whatever order the rollup rows come in, and whatever months are asked", () => {
    fc.assert(
      fc.property(history, (h) => {
        const cells = atomicCells(h);
        const all = [...hiddenCells(cells)].sort();
        expect([...hiddenCells([...cells].reverse())].sort()).toEqual(all);
        const january = [...hiddenCells(cells.filter((c) => c.month === "2025-01"))].sort();
        expect(january).toEqual(all.filter((k) => k.includes("|2025-01|")));
      }),
      { seed: 20261206, numRuns: 100 },
    );
  });
});

describe("the issue's differencing attacks", () => {
  const zero = () =>
    Object.fromEntries(targetGroups.map((g) => [g, 0])) as Record<TargetGroup, number>;
  const outcome = (
    region: string,
    month: string,
    counts: Partial<Record<TargetGroup, number>>,
  ) => ({
    region,
    month,
    serviceType: "lecture" as ServiceType,
    adjustment: false,
    personTimes: { ...zero(), ...counts },
  });
  const [a, b, c] = COMMUNITIES as [string, string, string];
  const h: Contribution[] = [
    outcome(a, "2025-01", { elderly: 3, residents: 12 }),
    outcome(b, "2025-01", { elderly: 9, children: 6, residents: 20 }),
    outcome(c, "2025-01", { courier: 7, residents: 8 }),
    outcome(a, "2025-02", { elderly: 15, residents: 10 }),
  ];

  it("does not give a cell as the county's figure minus the communities' cells shown", () => {
    const { hidden, recovered } = attack(h);
    expect(hidden.has(cellKey(a, "2025-01", "lecture", "elderly"))).toBe(true);
    const county = tallyOf(h, {
      region: COUNTY,
      level: null,
      groupBy: ["month", "targetGroup"],
      from: 0,
      to: 0,
    });
    const byCommunity = tallyOf(h, {
      region: COUNTY,
      level: "community",
      groupBy: ["month", "targetGroup", "region"],
      from: 0,
      to: 0,
    });
    const shown = suppress(byCommunity.tally, hidden);
    const elderly = shown.rows.filter((r) => r.targetGroup === "elderly");
    // The county's 12 older people are shown; at least two communities' shares are not.
    expect(county.tally.rows.find((r) => r.targetGroup === "elderly")?.personTimes).toBe(12);
    expect(elderly.filter((r) => r.personTimes === null).length).toBeGreaterThanOrEqual(2);
    expect(recovered).toEqual([]);
  });

  it("does not give a month as a longer period minus the other months", () => {
    const { hidden } = attack(h);
    const quarter = suppress(
      tallyOf(h, { region: a, level: null, groupBy: ["targetGroup"], from: 0, to: 1 }).tally,
      hidden,
    );
    const february = suppress(
      tallyOf(h, { region: a, level: null, groupBy: ["targetGroup"], from: 1, to: 1 }).tally,
      hidden,
    );
    const elderly = (t: Tally) => t.rows.find((r) => r.targetGroup === "elderly")?.personTimes;
    expect(february.suppression.applied).toBe(true);
    expect(elderly(february)).toBe(15);
    // January–February adds up January's withheld 3: withheld too, not 18.
    expect(elderly(quarter)).toBeNull();
  });

  it("finds the leak the old rule (one unit at a time) left: B's share shown", () => {
    // The old rule's choice for this history: A's older people and its residents withheld, the
    // county's figure by group shown. Then the county's older people minus B's is A's.
    const equations = published(h).equations;
    const space = new RowSpace(h.length * targetGroups.length);
    for (const e of equations) space.add(e);
    space.add(cellEquation(h, cellKey(b, "2025-01", "lecture", "elderly")));
    expect(space.spans(cellEquation(h, cellKey(a, "2025-01", "lecture", "elderly")))).toBe(true);
  });
});

describe("cells on no cycle", () => {
  it("closes a rectangle around a cell that joins two cycles (every row and column holds two)", () => {
    const [a, b, c, d] = COMMUNITIES as [string, string, string, string];
    const zero = Object.fromEntries(targetGroups.map((g) => [g, 0])) as Record<TargetGroup, number>;
    const outcome = (region: string, counts: Partial<Record<TargetGroup, number>>) => ({
      region,
      month: "2025-01",
      serviceType: "lecture" as ServiceType,
      adjustment: false,
      personTimes: { ...zero, ...counts },
    });
    // A and B: older people and children (a cycle); C and D: people with disabilities and
    // residents (another); A's people with disabilities join the two and lie on neither.
    const h = [
      outcome(a, { elderly: 2, children: 2, disabled: 3, residents: 10 }),
      outcome(b, { elderly: 2, children: 2, residents: 10 }),
      outcome(c, { disabled: 2, residents: 6 }),
      outcome(d, { disabled: 2, residents: 7 }),
    ];
    const { hidden, recovered } = attack(h);
    expect(hidden.has(cellKey(a, "2025-01", "lecture", "disabled"))).toBe(true);
    expect(hidden.size).toBe(10);
    expect(recovered).toEqual([]);
  });
});

describe("the elimination the attacks rest on", () => {
  it("resolves a cell alone in its row but not one on a cycle of row and column sums", () => {
    // x0 x1 / x2 x3 with every row and column sum known.
    const space = new RowSpace(4);
    for (const e of [
      [0, 1],
      [2, 3],
      [0, 2],
      [1, 3],
    ])
      space.add(e);
    expect(space.spans([0])).toBe(false);
    expect(space.spans([0, 1, 2, 3])).toBe(true);
    space.add([1]);
    expect(space.spans([0])).toBe(true);
    expect(space.spans([3])).toBe(true);
  });
});
