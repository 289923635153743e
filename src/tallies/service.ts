import type { Principal } from "../auth/principal";
import { tallyRegionFor } from "../auth/scope";
import type { Queryable } from "../db/client";
import { monthsBetween, shanghaiMonth } from "../domain/months";
import type { RegionLevel } from "../domain/vocabulary";
import { AppError, notFound } from "../lib/errors";
import { coverage } from "./coverage";
import {
  describeRegion,
  isBelow,
  type Tally,
  type TallyDimension,
  type TallyRequest,
  tally,
} from "./query";
import { pilotSummary } from "./summary";
import {
  SUPPRESSION_THRESHOLD,
  suppress,
  suppressionApplies,
  suppressionCounty,
} from "./suppression";
import { withheldCells } from "./withheld";

/** The longest period one tally covers. */
export const MAX_PERIOD_MONTHS = 120;

/**
 * The region a caller may tally (the scope policy's {@link tallyRegionFor}), with its name. Any
 * other region is a 404, exactly like a region that does not exist.
 */
export async function resolveRegion(
  db: Queryable,
  principal: Principal,
  requested: string | undefined,
): Promise<{ code: string | undefined; info: Tally["region"] }> {
  const code = tallyRegionFor(principal, requested);
  const info = await describeRegion(db, code);
  if (!info) throw notFound("region");
  return { code, info };
}

/** `from`/`to` with defaults (this year so far, Asia/Shanghai) and limits. */
export function resolvePeriod(
  from: string | undefined,
  to: string | undefined,
  now = new Date(),
): { from: string; to: string } {
  const current = shanghaiMonth(now);
  const end = to ?? (from && from > current ? from : current);
  const start = from ?? `${end.slice(0, 4)}-01`;
  const span = monthsBetween(start, end).length;
  if (span === 0)
    throw new AppError("VALIDATION_FAILED", "the period ends before it starts", {
      issues: [{ path: "to", message: "must be the same month as `from` or later" }],
    });
  if (span > MAX_PERIOD_MONTHS)
    throw new AppError("VALIDATION_FAILED", "the period is too long", {
      issues: [{ path: "from", message: `a tally covers at most ${MAX_PERIOD_MONTHS} months` }],
    });
  return { from: start, to: end };
}

/** Resolves, checks and runs a tally for a caller, with small-count suppression applied. */
export async function tallyFor(
  db: Queryable,
  principal: Principal,
  query: {
    region?: string;
    from?: string;
    to?: string;
    groupBy: TallyDimension[];
    level?: RegionLevel;
  },
  now = new Date(),
): Promise<Tally> {
  const { code, info } = await resolveRegion(db, principal, query.region);
  const period = resolvePeriod(query.from, query.to, now);
  if (query.level && !isBelow(code, query.level))
    throw new AppError("VALIDATION_FAILED", "the level must lie below the region", {
      issues: [{ path: "level", message: `${query.level} is not below ${info.name}` }],
    });
  const request: TallyRequest = {
    region: code,
    ...period,
    groupBy: query.groupBy,
    level: query.level,
  };
  const result = await tally(db, request, info);
  const county = suppressionCounty(principal);
  if (county && suppressionApplies(principal, result))
    return suppress(result, await withheldCells(db, county, period));
  return { ...result, suppression: { applied: false, threshold: SUPPRESSION_THRESHOLD } };
}

/** Coverage of a region and period the caller may see (defaults as for tallies). */
export async function coverageFor(
  db: Queryable,
  principal: Principal,
  query: { region?: string; from?: string; to?: string },
  now = new Date(),
) {
  const { code, info } = await resolveRegion(db, principal, query.region);
  const period = resolvePeriod(query.from, query.to, now);
  return { region: info, ...(await coverage(db, code, period)) };
}

/** The pilot summary of a region the caller may see, for a year. */
export async function pilotSummaryFor(
  db: Queryable,
  principal: Principal,
  query: { region?: string; year: number },
) {
  const { code, info } = await resolveRegion(db, principal, query.region);
  return { region: info, ...(await pilotSummary(db, code, query.year)) };
}
