/**
 * Dijkstra on reduced costs for MinCostFlow: one reusable search over the network's arrays, with
 * a binary heap on typed arrays, early exit at the target, and the potential update that keeps
 * every reduced cost non-negative for the next search; and the Bellman–Ford that starts them.
 */

/** Marks the sink → source free arc in a search's path. */
export const RETURN_ARC = -2;

/** The network's arrays, shared with (and mutated by) MinCostFlow. */
export interface Arcs {
  head: Int32Array;
  next: number[];
  to: number[];
  cap: number[];
  cost: number[];
}

/** Dijkstra on reduced costs with a reusable binary heap; updates the potentials after each run. */
export class ShortestPaths {
  readonly viaEdge: Int32Array;
  private readonly arcs: Arcs;
  private readonly dist: Float64Array;
  private readonly settledAt: Int32Array;
  private readonly touched: Int32Array;
  private heapKeys: Float64Array;
  private heapNodes: Int32Array;
  private round = 0;

  constructor(nodeCount: number, arcs: Arcs) {
    this.arcs = arcs;
    this.viaEdge = new Int32Array(nodeCount).fill(-1);
    this.dist = new Float64Array(nodeCount).fill(Number.POSITIVE_INFINITY);
    this.settledAt = new Int32Array(nodeCount);
    this.touched = new Int32Array(nodeCount);
    this.heapKeys = new Float64Array(arcs.to.length + 2);
    this.heapNodes = new Int32Array(arcs.to.length + 2);
  }

  /**
   * Shortest path from → target on reduced costs; false when the target is unreachable. When
   * `returnFrom` ≥ 0, a free arc returnFrom → target (cost 0, unbounded) is part of the graph.
   * Potentials of nodes settled before the target move by (their distance − the target's
   * distance), which keeps every reduced cost the search can use non-negative (the usual +d for
   * all nodes, minus a common constant).
   */
  run(potential: Float64Array, from: number, target: number, returnFrom: number): boolean {
    const { head, next, to, cap, cost } = this.arcs;
    const round = ++this.round;
    const { dist, viaEdge, settledAt, touched } = this;
    let touchedCount = 0;
    let size = 0;
    dist[from] = 0;
    touched[touchedCount++] = from;
    size = this.heapPush(size, 0, from);
    let reached = false;
    search: while (size > 0) {
      const d = this.heapKeys[0] as number;
      const u = this.heapNodes[0] as number;
      size = this.heapPop(size);
      if (settledAt[u] === round || d > (dist[u] as number)) continue;
      settledAt[u] = round;
      if (u === target) {
        reached = true;
        break;
      }
      const base = d + (potential[u] as number);
      if (u === returnFrom) {
        const candidate = base - (potential[target] as number);
        if (candidate < (dist[target] as number)) {
          if (dist[target] === Number.POSITIVE_INFINITY) touched[touchedCount++] = target;
          dist[target] = candidate;
          viaEdge[target] = RETURN_ARC;
          size = this.heapPush(size, candidate, target);
        }
      }
      // Nothing left can be closer than d: a target reached at distance d is settled already.
      if (dist[target] === d) {
        settledAt[target] = round;
        reached = true;
        break;
      }
      for (let e = head[u] as number; e !== -1; e = next[e] as number) {
        if ((cap[e] as number) <= 0) continue;
        const v = to[e] as number;
        const pv = potential[v] as number;
        if (pv === Number.NEGATIVE_INFINITY) continue; // cannot reach the sink
        const candidate = base + (cost[e] as number) - pv;
        if (candidate < (dist[v] as number)) {
          if (dist[v] === Number.POSITIVE_INFINITY) touched[touchedCount++] = v;
          dist[v] = candidate;
          viaEdge[v] = e;
          if (v === target && candidate === d) {
            settledAt[target] = round;
            reached = true;
            break search;
          }
          size = this.heapPush(size, candidate, v);
        }
      }
    }
    const targetDistance = dist[target] as number;
    for (let i = 0; i < touchedCount; i++) {
      const v = touched[i] as number;
      if (reached && settledAt[v] === round) {
        potential[v] = (potential[v] as number) + (dist[v] as number) - targetDistance;
      }
      dist[v] = Number.POSITIVE_INFINITY;
    }
    return reached;
  }

  private heapPush(size: number, key: number, node: number): number {
    if (size === this.heapKeys.length) {
      const keys = new Float64Array(size * 2);
      const nodes = new Int32Array(size * 2);
      keys.set(this.heapKeys);
      nodes.set(this.heapNodes);
      this.heapKeys = keys;
      this.heapNodes = nodes;
    }
    const keys = this.heapKeys;
    const nodes = this.heapNodes;
    let i = size;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((keys[parent] as number) <= key) break;
      keys[i] = keys[parent] as number;
      nodes[i] = nodes[parent] as number;
      i = parent;
    }
    keys[i] = key;
    nodes[i] = node;
    return size + 1;
  }

  private heapPop(size: number): number {
    const keys = this.heapKeys;
    const nodes = this.heapNodes;
    const last = size - 1;
    const key = keys[last] as number;
    const node = nodes[last] as number;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      if (child + 1 < last && (keys[child + 1] as number) < (keys[child] as number)) child++;
      if ((keys[child] as number) >= key) break;
      keys[i] = keys[child] as number;
      nodes[i] = nodes[child] as number;
      i = child;
    }
    keys[i] = key;
    nodes[i] = node;
    return last;
  }
}

/**
 * Feasible potentials: minus the shortest residual distance from each node to any of `targets`
 * (Bellman–Ford on the reversed graph, ignoring arcs out of `inactiveTail`); −∞ for nodes that
 * reach none of them. Throws on a negative cycle.
 */
export function feasiblePotentials(
  nodeCount: number,
  arcs: Arcs,
  targets: number[],
  inactiveTail: number,
): Float64Array {
  const { head, next, to, cap, cost } = arcs;
  const n = nodeCount;
  const dist = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const queued = new Uint8Array(n);
  // Arcs on the current shortest path from each node; n or more means a negative cycle.
  const hops = new Int32Array(n);
  const queue: number[] = [];
  for (const target of targets) {
    dist[target] = 0;
    queued[target] = 1;
    queue.push(target);
  }
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q] as number;
    queued[v] = 0;
    // Arcs u → v with residual capacity are the twins of the arcs stored at v.
    for (let e = head[v] as number; e !== -1; e = next[e] as number) {
      const twin = e ^ 1;
      const u = to[e] as number;
      if ((cap[twin] as number) <= 0 || u === inactiveTail) continue;
      const candidate = (dist[v] as number) + (cost[twin] as number);
      if (candidate < (dist[u] as number)) {
        dist[u] = candidate;
        hops[u] = (hops[v] as number) + 1;
        if ((hops[u] as number) >= n) throw new Error("Negative-cost cycle in the network");
        if (!queued[u]) {
          queued[u] = 1;
          queue.push(u);
        }
      }
    }
  }
  for (let v = 0; v < n; v++) dist[v] = -(dist[v] as number);
  return dist;
}
