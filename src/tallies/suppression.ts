import type { Principal } from "../auth/principal";
import { regionLevelOf, regionPrefix } from "../domain/regions";
import { sensitiveTargetGroups, type TargetGroup, targetGroups } from "../domain/vocabulary";
import type { Tally, TallyMeasures, TallyRow } from "./query";

/**
 * Small-count suppression (SPEC §5; the rule in the README, "Small counts"): person-times of a
 * sensitive target group (older people, children, people with disabilities) from 1 to
 * SUPPRESSION_THRESHOLD − 1 are withheld (shown as `<5`) when a county-level (or lower)
 * department looks at units below the county split by target group, so that no individual can
 * be singled out. Zero is shown: it identifies nobody.
 *
 * The rule holds across every view such a department can request. Its atomic cells are the
 * person-times of one community, month, service type and target group. Besides the cells it is
 * shown, it can combine (a) its county's figures by target group (month by month, any period),
 * (b) any unit's figures without the target-group split, and (c) sums of shown cells (other
 * periods, streets, service types). So each month × service type of a county is a table of
 * communities × target groups whose row and column sums are published. Withheld cells are chosen
 * per such table (see {@link hiddenCells}) so that each lies on a cycle of withheld cells, which
 * no combination of row sums, column sums and shown cells can resolve; and a figure below the
 * county by target group that adds up several cells (a period, a street, all service types) is
 * shown only if every cell it adds up is shown, so it gives away nothing the cells do not.
 */
export const SUPPRESSION_THRESHOLD = 5;

const SUB_COUNTY = new Set(["street", "community"]);

/**
 * The county whose figures are suppressed for this caller: a department of a county or of a
 * street or community in it; undefined for everyone else (admins, city and province departments,
 * coordinators with their own community).
 */
export function suppressionCounty(principal: Principal): string | undefined {
  if (principal.role !== "department" || principal.scope.kind !== "region") return undefined;
  const code = principal.scope.regionCode;
  const level = regionLevelOf(code);
  if (!level || !["county", "street", "community"].includes(level)) return undefined;
  return code.slice(0, 6);
}

/** True when this caller's view of this tally must be suppressed. */
export function suppressionApplies(principal: Principal, tally: Tally): boolean {
  if (!suppressionCounty(principal)) return false;
  if (!tally.groupBy.includes("targetGroup")) return false;
  const unitLevel = tally.groupBy.includes("region") ? tally.level : tally.region.level;
  return unitLevel !== null && SUB_COUNTY.has(unitLevel);
}

/**
 * Person-times of one community, month (`YYYY-MM`), service type and target group, from its
 * outcomes or (`adjustment`) from the adjustments booked there: the two parts the tallies
 * publish sums of separately ("of which adjustments").
 */
export interface AtomicCell {
  region: string;
  month: string;
  serviceType: string;
  targetGroup: TargetGroup;
  adjustment: boolean;
  personTimes: number;
}

/** The key of an atomic cell in the set {@link hiddenCells} returns. */
export const cellKey = (region: string, month: string, serviceType: string, group: string) =>
  `${region}|${month}|${serviceType}|${group}`;

const isSensitive = (group: TargetGroup) => sensitiveTargetGroups.includes(group);
const small = (n: number) => n > 0 && n < SUPPRESSION_THRESHOLD;

type Edge = [string, TargetGroup];

/** One month × service type of a county: totals by community and group, and who has which part. */
interface Table {
  totals: Map<string, Map<TargetGroup, number>>;
  /** Communities with outcomes, and with adjustments, in this table. */
  parts: [Set<string>, Set<string>];
}

/**
 * The atomic cells to withhold, by {@link cellKey}. Per month and service type, on the table of
 * communities (rows) × target groups (columns), whose row sums (figures without the split) and
 * column sums (the county's figures) are published, for the outcomes and for the adjustments
 * apart: first every small sensitive cell; then, until every withheld cell lies on a cycle of
 * withheld cells (alternately sharing a row and a column) among the communities with outcomes
 * (or among those with adjustments) — the cells no combination of the sums and the shown cells
 * resolves — one more: a second cell in a row or a column that holds only one, or the corner
 * that closes a rectangle around a cell on no cycle. A community without that part is known to
 * hold 0 in every cell of it, so it gives no cover. Companions are the smallest non-zero cells
 * first, then zeros; ties go to the lower code and the vocabulary's order. A small cell of the
 * only community with any part in its table has no cover: its figures are the county's own,
 * which the county department is shown. Depends on nothing but the table, so every view of a
 * month shows the same cells.
 */
export function hiddenCells(cells: AtomicCell[]): Set<string> {
  const tables = new Map<string, Table>();
  for (const cell of cells) {
    const slice = `${cell.month}|${cell.serviceType}`;
    const table = tables.get(slice) ?? { totals: new Map(), parts: [new Set(), new Set()] };
    tables.set(slice, table);
    const row = table.totals.get(cell.region) ?? new Map<TargetGroup, number>();
    table.totals.set(cell.region, row);
    row.set(cell.targetGroup, (row.get(cell.targetGroup) ?? 0) + cell.personTimes);
    table.parts[cell.adjustment ? 1 : 0].add(cell.region);
  }
  const hidden = new Set<string>();
  for (const [slice, table] of tables) {
    const [month, serviceType] = slice.split("|") as [string, string];
    for (const [region, group] of protectTable(table))
      hidden.add(cellKey(region, month, serviceType, group));
  }
  return hidden;
}

function protectTable({ totals, parts }: Table): Edge[] {
  const value = (region: string, group: TargetGroup) => totals.get(region)?.get(group) ?? 0;
  const withheld = new Set<string>();
  const edges: Edge[] = [];
  const isHidden = (edge: Edge) => withheld.has(edgeKey(edge));
  const hide = (edge: Edge) => {
    withheld.add(edgeKey(edge));
    edges.push(edge);
  };
  const rank = ([region, group]: Edge): (number | string)[] => {
    const n = value(region, group);
    return [
      n > 0 ? 0 : 1,
      Math.abs(n),
      isSensitive(group) ? 0 : 1,
      region,
      targetGroups.indexOf(group),
    ];
  };
  const best = (candidates: Edge[]): Edge | undefined =>
    candidates.filter((edge) => !isHidden(edge)).sort((a, b) => compare(rank(a), rank(b)))[0];

  // In code and vocabulary order, not the order rows came in: every view must get the same cells.
  for (const region of [...totals.keys()].sort())
    for (const group of targetGroups)
      if (isSensitive(group) && small(value(region, group))) hide([region, group]);
  const hopeless = new Set<Edge>();
  for (;;) {
    const bridges = parts.map((part) => bridgesOf(inPart(part)));
    const exposed = edges.find(
      (edge) =>
        !hopeless.has(edge) &&
        parts.every((part, i) => !part.has(edge[0]) || bridges[i]?.has(edgeKey(edge))),
    );
    if (!exposed) return edges;
    const next = parts
      .filter((part) => part.has(exposed[0]))
      .map((part) => best(cover(exposed, inPart(part), [...part])))
      .find((edge) => edge !== undefined);
    if (next) hide(next);
    else hopeless.add(exposed);
  }

  function inPart(part: Set<string>): Edge[] {
    return edges.filter(([region]) => part.has(region));
  }
}

/**
 * The cells that would put `edge` on a cycle, or nearer one, among `edges` (withheld cells of
 * the communities `regions`): any other cell of its row if it is alone there; else another
 * community's cell of its column if it is alone there; else the corners that close a rectangle.
 */
function cover(edge: Edge, edges: Edge[], regions: string[]): Edge[] {
  const [region, group] = edge;
  const groupsOfRow = edges.filter(([r, g]) => r === region && g !== group).map(([, g]) => g);
  if (groupsOfRow.length === 0)
    return targetGroups.filter((g) => g !== group).map((g): Edge => [region, g]);
  const rowsOfGroup = edges.filter(([r, g]) => g === group && r !== region).map(([r]) => r);
  if (rowsOfGroup.length === 0)
    return regions.filter((r) => r !== region).map((r): Edge => [r, group]);
  return rowsOfGroup.flatMap((r) => groupsOfRow.map((g): Edge => [r, g]));
}

const edgeKey = ([region, group]: Edge) => `${region}|${group}`;

/**
 * The edges on no cycle (bridges) of the bipartite graph of communities and groups that `edges`
 * make: Tarjan's low-link search, linear in the size of the graph.
 */
function bridgesOf(edges: Edge[]): Set<string> {
  const next = new Map<string, [string, number][]>();
  edges.forEach(([region, group], i) => {
    const [a, b] = [`r:${region}`, `g:${group}`];
    next.set(a, [...(next.get(a) ?? []), [b, i]]);
    next.set(b, [...(next.get(b) ?? []), [a, i]]);
  });
  const found = new Map<string, number>();
  const low = new Map<string, number>();
  const out = new Set<string>();
  const visit = (node: string, via: number) => {
    found.set(node, found.size);
    low.set(node, found.get(node) ?? 0);
    for (const [other, i] of next.get(node) ?? []) {
      if (i === via) continue;
      if (!found.has(other)) {
        visit(other, i);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(other) ?? 0));
        if ((low.get(other) ?? 0) > (found.get(node) ?? 0)) out.add(edgeKey(edges[i] as Edge));
      } else low.set(node, Math.min(low.get(node) ?? 0, found.get(other) ?? 0));
    }
  };
  for (const node of next.keys()) if (!found.has(node)) visit(node, -1);
  return out;
}

function compare(x: (number | string)[], y: (number | string)[]): number {
  for (let i = 0; i < x.length; i++) {
    const [a, b] = [x[i] as number | string, y[i] as number | string];
    if (a !== b) return a < b ? -1 : 1;
  }
  return 0;
}

/**
 * What a withheld row does not show: its person-times, and its events and communities reached,
 * which would tell a withheld zero (no event served the group) from a withheld count.
 */
const WITHHELD: (keyof TallyMeasures)[] = ["events", "personTimes", "communitiesReached"];

/**
 * Withholds every row of a suppressed tally that adds up at least one withheld atomic cell
 * (`hidden`, from {@link hiddenCells} over the caller's county and the tally's months): its
 * person-times, events and communities reached become null and its adjustment part 0. Rows and totals without the target-group
 * split are never passed here; the tally's totals stay (a published unit's figure).
 */
export function suppress(tally: Tally, hidden: Set<string>): Tally {
  const dims = new Set(tally.groupBy);
  const prefix = tally.region.code ? regionPrefix(tally.region.code) : "";
  const { from, to } = tally.period;
  const width = tally.level === "street" ? 9 : tally.level === "county" ? 6 : 12;
  const rowKey = (month?: string, service?: string, group?: string, region?: string) =>
    [
      dims.has("month") ? month : "",
      dims.has("serviceType") ? service : "",
      dims.has("targetGroup") ? group : "",
      dims.has("region") ? region?.slice(0, width) : "",
    ].join("|");
  const covered = new Set<string>();
  for (const key of hidden) {
    const [region, month, service, group] = key.split("|") as [string, string, string, string];
    if (month < from || month > to || !region.startsWith(prefix ?? "")) continue;
    covered.add(rowKey(month, service, group, region));
  }
  const rows: TallyRow[] = tally.rows.map((row) => {
    const key = rowKey(row.month, row.serviceType, row.targetGroup, row.region?.code);
    if (!covered.has(key)) return { ...row };
    return {
      ...row,
      events: null,
      personTimes: null,
      communitiesReached: null,
      adjustments: { ...row.adjustments, personTimes: 0 },
      suppressed: WITHHELD,
    };
  });
  return { ...tally, rows, suppression: { applied: true, threshold: SUPPRESSION_THRESHOLD } };
}

/**
 * The target groups a single outcome record (or adjustment) of a community, month and service
 * type may not show to a suppressed caller: every sensitive group (one event's count of older
 * people or children is the small count itself, and records are finer than any tally) and any
 * other group whose atomic cell is withheld (the records would add it up).
 */
export function withheldGroups(
  region: string,
  month: string,
  serviceType: string,
  hidden: Set<string>,
): TargetGroup[] {
  return targetGroups.filter(
    (group) => isSensitive(group) || hidden.has(cellKey(region, month, serviceType, group)),
  );
}
