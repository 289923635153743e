import type { Principal } from "../auth/principal";
import { regionLevelOf } from "../domain/regions";
import { sensitiveTargetGroups } from "../domain/vocabulary";
import type { Tally, TallyRow } from "./query";

/**
 * Small-count suppression (SPEC §5): person-times of a sensitive target group (older people,
 * children, people with disabilities) from 1 to SUPPRESSION_THRESHOLD − 1 are withheld (shown
 * as `<5`) when a county-level (or lower) department exports figures for units below the county,
 * so that no individual can be singled out. Zero is shown: it identifies nobody.
 */
export const SUPPRESSION_THRESHOLD = 5;

const SUB_COUNTY = new Set(["street", "community"]);

/** True when this caller's export of this tally must be suppressed. */
export function suppressionApplies(principal: Principal, tally: Tally): boolean {
  if (principal.role !== "department" || principal.scope.kind !== "region") return false;
  const callerLevel = regionLevelOf(principal.scope.regionCode);
  if (!callerLevel || !["county", "street", "community"].includes(callerLevel)) return false;
  if (!tally.groupBy.includes("targetGroup")) return false;
  const unitLevel = tally.groupBy.includes("region") ? tally.level : tally.region.level;
  return unitLevel !== null && SUB_COUNTY.has(unitLevel);
}

const small = (n: number | null) => n !== null && n > 0 && n < SUPPRESSION_THRESHOLD;

/**
 * Withholds small sensitive cells, then (secondary suppression) one more cell in any unit where
 * only one was withheld, so that it cannot be worked out from the unit's total: the smallest
 * other non-zero cell of that unit, or a zero cell when there is none. A unit is a row's values
 * apart from its target group.
 */
export function suppress(tally: Tally): Tally {
  const rows: TallyRow[] = tally.rows.map((row) => ({ ...row }));
  const withhold = (row: TallyRow) => {
    row.personTimes = null;
    row.adjustments = { ...row.adjustments, personTimes: 0 };
    row.suppressed = ["personTimes"];
  };
  const units = new Map<string, TallyRow[]>();
  for (const row of rows) {
    const unit = [row.month, row.serviceType, row.region?.code].join("|");
    units.set(unit, [...(units.get(unit) ?? []), row]);
  }
  for (const unitRows of units.values()) {
    let withheld = 0;
    for (const row of unitRows) {
      if (
        row.targetGroup &&
        sensitiveTargetGroups.includes(row.targetGroup) &&
        small(row.personTimes)
      ) {
        withhold(row);
        withheld++;
      }
    }
    if (withheld === 1) {
      // The smallest other non-zero cell; failing that a zero one (a sensitive group's first),
      // since with every other cell a visible 0 the unit's total would give the withheld one away.
      const rank = (row: TallyRow) => [
        (row.personTimes ?? 0) > 0 ? 0 : 1,
        row.targetGroup && sensitiveTargetGroups.includes(row.targetGroup) ? 0 : 1,
        row.personTimes ?? 0,
      ];
      const next = unitRows
        .filter((row) => !row.suppressed)
        .sort((a, b) => {
          const [x, y] = [rank(a), rank(b)];
          for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
          return 0;
        })[0];
      if (next) withhold(next);
    }
  }
  return { ...tally, rows, suppression: { applied: true, threshold: SUPPRESSION_THRESHOLD } };
}
