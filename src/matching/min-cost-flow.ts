/**
 * Minimum-cost flow by successive shortest paths with Johnson potentials and Dijkstra.
 *
 * Generic and reusable: any directed graph with integer capacities and integer costs (negative
 * costs allowed, negative cycles not). Costs must be integers so that reduced costs are exact;
 * scale and round real-valued costs first.
 *
 * Two modes:
 * - `maxFlow` pushes as much flow as possible (or `maxFlow` units) and, among such flows, finds
 *   one of least cost: classic successive shortest paths from the source.
 * - `minCost` finds a least-cost flow of any value (the right mode for "maximise total score"
 *   with costs = −score). It is min-cost circulation with a free arc sink → source, solved by
 *   successive shortest paths taken one source arc at a time: activating arc source → u, the
 *   cheapest cycle through it is that arc plus the shortest path from u back to the source
 *   (through the sink's free arc, or back through another source arc, which swaps which arc
 *   carries the unit); cancel it while it is negative. Cancelling the cheapest cycle through the
 *   new arc never creates another negative cycle, so after the last arc the circulation is
 *   optimal. Each search starts at one node and stops at the source, so on assignment-shaped
 *   networks it explores a few alternating paths instead of every unassigned node.
 *
 * A solve continues from the flow already in the network. `minCost` and then `maxFlow` gives the
 * least-cost maximum flow with the least-cost flow on the way: the first solve leaves a flow
 * that is cheapest for its value, and successive shortest paths keep it so up to the maximum.
 *
 * Potentials start as minus the shortest distances to the sink (Bellman–Ford on the reversed
 * residual graph), so reduced costs are non-negative from the start; every Dijkstra stops as soon
 * as its target is settled. Nodes that cannot reach the sink (in `minCost` mode: nor the
 * source) are skipped for good: no augmentation can ever connect them.
 */
import { feasiblePotentials, RETURN_ARC, ShortestPaths } from "./shortest-paths";

export type FlowMode = "maxFlow" | "minCost";

export interface FlowResult {
  flow: number;
  cost: number;
}

/** A min-cost flow network over nodes 0..nodeCount−1. */
export class MinCostFlow {
  readonly nodeCount: number;
  private readonly head: Int32Array;
  private next: number[] = [];
  private to: number[] = [];
  private cap: number[] = [];
  private cost: number[] = [];
  private initial?: { cap: number[]; cost: number[] };

  constructor(nodeCount: number) {
    this.nodeCount = nodeCount;
    this.head = new Int32Array(nodeCount).fill(-1);
  }

  /** Adds an arc and its residual twin; returns the arc's id for `flowOn`. */
  addEdge(from: number, to: number, capacity: number, cost: number): number {
    if (!Number.isInteger(cost)) throw new Error(`Edge cost must be an integer, got ${cost}`);
    if (capacity < 0) throw new Error(`Edge capacity must be non-negative, got ${capacity}`);
    const id = this.to.length;
    this.push(from, to, capacity, cost);
    this.push(to, from, 0, -cost);
    return id;
  }

  /**
   * Keeps the current capacities and costs (before any solve) as the state `reset` returns to,
   * so one network can be solved again with a few arcs changed instead of being rebuilt.
   */
  snapshot(): void {
    this.initial = { cap: [...this.cap], cost: [...this.cost] };
  }

  /** Back to the snapshot's capacities and costs: no flow, every `setArc` undone. */
  reset(): void {
    if (!this.initial) throw new Error("reset() needs a snapshot() first");
    const { cap, cost } = this.initial;
    for (let e = 0; e < cap.length; e++) {
      this.cap[e] = cap[e] as number;
      this.cost[e] = cost[e] as number;
    }
  }

  /** Sets an arc's capacity and cost while it carries no flow (after building or a reset). */
  setArc(edge: number, capacity: number, cost: number): void {
    if (!Number.isInteger(cost)) throw new Error(`Edge cost must be an integer, got ${cost}`);
    if (capacity < 0) throw new Error(`Edge capacity must be non-negative, got ${capacity}`);
    if (this.flowOn(edge) !== 0) throw new Error("setArc on an arc that carries flow");
    this.cap[edge] = capacity;
    this.cost[edge] = cost;
    this.cost[edge ^ 1] = -cost;
  }

  /** Flow currently on the arc `edge` (an id returned by addEdge). */
  flowOn(edge: number): number {
    return this.cap[edge ^ 1] as number;
  }

  /**
   * Sends flow from `source` to `sink`, on top of any flow already sent; returns the flow sent
   * by this call and its cost.
   * `maxFlow` caps the units sent (in `minCost` mode it falls back to plain successive shortest
   * paths from the source, which stop at the cap).
   */
  solve(
    source: number,
    sink: number,
    options: { mode?: FlowMode; maxFlow?: number } = {},
  ): FlowResult {
    const mode = options.mode ?? "maxFlow";
    if (mode === "minCost" && options.maxFlow === undefined) return this.circulate(source, sink);
    return this.augment(source, sink, mode, options.maxFlow ?? Number.POSITIVE_INFINITY);
  }

  private push(from: number, to: number, capacity: number, cost: number): void {
    this.next.push(this.head[from] as number);
    this.head[from] = this.to.length;
    this.to.push(to);
    this.cap.push(capacity);
    this.cost.push(cost);
  }

  /** Successive shortest source → sink paths, until `limit` units or no (profitable) path. */
  private augment(source: number, sink: number, mode: FlowMode, limit: number): FlowResult {
    const potential = this.potentials([sink], -1);
    if (potential[source] === Number.NEGATIVE_INFINITY) return { flow: 0, cost: 0 };
    const search = this.newSearch();
    let flow = 0;
    let total = 0;
    while (flow < limit) {
      if (!search.run(potential, source, sink, -1)) break;
      const path = this.trace(search, source, sink, -1);
      if (mode === "minCost" && path.cost >= 0) break;
      const units = Math.min(path.bottleneck, limit - flow);
      this.apply(search, source, sink, -1, units);
      flow += units;
      total += units * path.cost;
    }
    return { flow, cost: total };
  }

  /** Least-cost circulation with a free sink → source arc, one source arc at a time. */
  private circulate(source: number, sink: number): FlowResult {
    // Source arcs are inactive at first: only their targets' distances to {sink, source} count.
    const potential = this.potentials([sink, source], source);
    const search = this.newSearch();
    const arcs: number[] = [];
    for (let e = this.head[source] as number; e !== -1; e = this.next[e] as number) {
      const u = this.to[e] as number;
      if (
        (e & 1) === 0 &&
        (this.cap[e] as number) > 0 &&
        potential[u] !== Number.NEGATIVE_INFINITY
      ) {
        arcs.push(e);
      }
    }
    const reduced = (e: number) =>
      (this.cost[e] as number) - (potential[this.to[e] as number] as number);
    arcs.sort((a, b) => reduced(a) - reduced(b) || a - b);
    let flow = 0;
    let total = 0;
    for (const arc of arcs) {
      const u = this.to[arc] as number;
      while ((this.cap[arc] as number) > 0) {
        const direct = this.directCycle(arc, source, sink, potential);
        if (direct < 0) {
          flow++;
          total += direct;
          continue;
        }
        if (!search.run(potential, u, source, sink)) break;
        const path = this.trace(search, u, source, sink);
        const cycleCost = (this.cost[arc] as number) + path.cost;
        if (cycleCost >= 0) break;
        const units = Math.min(path.bottleneck, this.cap[arc] as number);
        this.cap[arc] = (this.cap[arc] as number) - units;
        this.cap[arc ^ 1] = (this.cap[arc ^ 1] as number) + units;
        this.apply(search, u, source, sink, units);
        if (path.throughReturn) flow += units;
        total += units * cycleCost;
      }
    }
    return { flow, cost: total };
  }

  /**
   * Sends one unit around source → u → v → sink → source when that path has reduced cost zero
   * (v may be the sink itself) and the cycle a negative cost; returns the cost, or 0 when there
   * is no such path. Reduced costs are never negative, so the path is a shortest one, and taking
   * it leaves the potentials as a search would (it settles only nodes at distance zero, which
   * move by zero). In an assignment most needs first reach a node with room this way, with no
   * search at all.
   */
  private directCycle(arc: number, source: number, sink: number, potential: Float64Array): number {
    const { head, next, to, cap, cost } = this;
    if (potential[sink] !== potential[source]) return 0;
    const u = to[arc] as number;
    const pu = potential[u] as number;
    for (let e = head[u] as number; e !== -1; e = next[e] as number) {
      const v = to[e] as number;
      if ((cap[e] as number) <= 0 || v === source) continue;
      if ((cost[e] as number) + pu - (potential[v] as number) !== 0) continue;
      let last = -1;
      if (v !== sink) {
        for (let f = head[v] as number; f !== -1 && last < 0; f = next[f] as number) {
          if (to[f] !== sink || (cap[f] as number) <= 0) continue;
          if ((cost[f] as number) + (potential[v] as number) - (potential[sink] as number) === 0) {
            last = f;
          }
        }
        if (last < 0) continue;
      }
      const cycle =
        (cost[arc] as number) + (cost[e] as number) + (last < 0 ? 0 : (cost[last] as number));
      if (cycle >= 0) continue;
      for (const edge of last < 0 ? [arc, e] : [arc, e, last]) {
        cap[edge] = (cap[edge] as number) - 1;
        cap[edge ^ 1] = (cap[edge ^ 1] as number) + 1;
      }
      return cycle;
    }
    return 0;
  }

  /** Cost and bottleneck of the path the last search found from `from` to `to`. */
  private trace(search: ShortestPaths, from: number, to: number, returnFrom: number) {
    let bottleneck = Number.POSITIVE_INFINITY;
    let cost = 0;
    let throughReturn = false;
    for (let v = to; v !== from; ) {
      const edge = search.viaEdge[v] as number;
      if (edge === RETURN_ARC) {
        throughReturn = true;
        v = returnFrom;
        continue;
      }
      bottleneck = Math.min(bottleneck, this.cap[edge] as number);
      cost += this.cost[edge] as number;
      v = this.to[edge ^ 1] as number;
    }
    return { bottleneck, cost, throughReturn };
  }

  /** Pushes `units` along the path the last search found. */
  private apply(
    search: ShortestPaths,
    from: number,
    to: number,
    returnFrom: number,
    units: number,
  ) {
    for (let v = to; v !== from; ) {
      const edge = search.viaEdge[v] as number;
      if (edge === RETURN_ARC) {
        v = returnFrom;
        continue;
      }
      this.cap[edge] = (this.cap[edge] as number) - units;
      this.cap[edge ^ 1] = (this.cap[edge ^ 1] as number) + units;
      v = this.to[edge ^ 1] as number;
    }
  }

  /** Feasible potentials for the network as it is now (see shortest-paths.ts). */
  private potentials(targets: number[], inactiveTail: number): Float64Array {
    const { head, next, to, cap, cost } = this;
    return feasiblePotentials(this.nodeCount, { head, next, to, cap, cost }, targets, inactiveTail);
  }

  private newSearch(): ShortestPaths {
    const { head, next, to, cap, cost } = this;
    return new ShortestPaths(this.nodeCount, { head, next, to, cap, cost });
  }
}
