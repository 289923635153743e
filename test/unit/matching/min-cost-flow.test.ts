import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type FlowMode, MinCostFlow } from "../../../src/matching/min-cost-flow";

interface Arc {
  from: number;
  to: number;
  capacity: number;
  cost: number;
}

interface Network {
  nodes: number;
  arcs: Arc[];
}

/** Every integer flow of value ≥ 0 on the arcs, by exhaustive search; the best for the mode. */
function bruteForce(network: Network, mode: FlowMode): { flow: number; cost: number } {
  const sink = network.nodes - 1;
  const balance = new Array<number>(network.nodes).fill(0);
  let best = { flow: -1, cost: 0 };
  const visit = (index: number, cost: number) => {
    if (index === network.arcs.length) {
      for (let v = 1; v < sink; v++) if (balance[v] !== 0) return;
      const flow = 0 - (balance[0] as number);
      if (flow < 0) return; // flow values are never negative
      const better =
        mode === "maxFlow"
          ? flow > best.flow || (flow === best.flow && cost < best.cost)
          : best.flow < 0 || cost < best.cost;
      if (better) best = { flow, cost };
      return;
    }
    const arc = network.arcs[index] as Arc;
    for (let units = 0; units <= arc.capacity; units++) {
      balance[arc.from] = (balance[arc.from] as number) - units;
      balance[arc.to] = (balance[arc.to] as number) + units;
      visit(index + 1, cost + units * arc.cost);
      balance[arc.from] = (balance[arc.from] as number) + units;
      balance[arc.to] = (balance[arc.to] as number) - units;
    }
  };
  visit(0, 0);
  return best;
}

function solve(network: Network, mode: FlowMode) {
  const graph = new MinCostFlow(network.nodes);
  const ids = network.arcs.map((arc) => graph.addEdge(arc.from, arc.to, arc.capacity, arc.cost));
  const result = graph.solve(0, network.nodes - 1, { mode });
  return { ...result, flows: ids.map((id) => graph.flowOn(id)) };
}

/** Acyclic networks (arcs go from a lower to a higher node), where costs may be negative. */
const acyclicNetwork = fc.integer({ min: 2, max: 5 }).chain((nodes) =>
  fc.record({
    nodes: fc.constant(nodes),
    arcs: fc.array(
      fc
        .record({
          a: fc.integer({ min: 0, max: nodes - 1 }),
          b: fc.integer({ min: 0, max: nodes - 1 }),
          capacity: fc.integer({ min: 0, max: 2 }),
          cost: fc.integer({ min: -6, max: 6 }),
        })
        .filter(({ a, b }) => a !== b)
        .map(({ a, b, capacity, cost }) => ({
          from: Math.min(a, b),
          to: Math.max(a, b),
          capacity,
          cost,
        })),
      { maxLength: 7 },
    ),
  }),
);

/** Networks with cycles and parallel arcs, with non-negative costs (so no negative cycle). */
const cyclicNetwork = fc.integer({ min: 2, max: 5 }).chain((nodes) =>
  fc.record({
    nodes: fc.constant(nodes),
    arcs: fc.array(
      fc
        .record({
          from: fc.integer({ min: 0, max: nodes - 1 }),
          to: fc.integer({ min: 0, max: nodes - 1 }),
          capacity: fc.integer({ min: 0, max: 2 }),
          cost: fc.integer({ min: 0, max: 6 }),
        })
        .filter(({ from, to }) => from !== to),
      { maxLength: 7 },
    ),
  }),
);

/**
 * Networks with cycles, parallel arcs, arcs into the source and out of the sink, and negative
 * costs, but no negative cycle: cost = base ≥ 0 + φ(to) − φ(from) for random node prices φ.
 */
const pricedNetwork = fc.integer({ min: 2, max: 5 }).chain((nodes) =>
  fc
    .record({
      prices: fc.array(fc.integer({ min: -5, max: 5 }), { minLength: nodes, maxLength: nodes }),
      arcs: fc.array(
        fc
          .record({
            from: fc.integer({ min: 0, max: nodes - 1 }),
            to: fc.integer({ min: 0, max: nodes - 1 }),
            capacity: fc.integer({ min: 0, max: 2 }),
            base: fc.integer({ min: 0, max: 4 }),
          })
          .filter(({ from, to }) => from !== to),
        { maxLength: 7 },
      ),
    })
    .map(({ prices, arcs }) => ({
      nodes,
      arcs: arcs.map(({ from, to, capacity, base }) => ({
        from,
        to,
        capacity,
        cost: base + (prices[to] as number) - (prices[from] as number),
      })),
    })),
);

describe("MinCostFlow", () => {
  it("finds the maximum flow of least cost on acyclic networks, as brute force does", () => {
    fc.assert(
      fc.property(acyclicNetwork, (network) => {
        const { flow, cost } = solve(network, "maxFlow");
        expect({ flow, cost }).toEqual(bruteForce(network, "maxFlow"));
      }),
      { numRuns: 400 },
    );
  });

  it("finds the least-cost flow of any value on acyclic networks, as brute force does", () => {
    fc.assert(
      fc.property(acyclicNetwork, (network) => {
        expect(solve(network, "minCost").cost).toBe(bruteForce(network, "minCost").cost);
      }),
      { numRuns: 400 },
    );
  });

  it("finds the maximum flow of least cost on networks with cycles, as brute force does", () => {
    fc.assert(
      fc.property(cyclicNetwork, (network) => {
        const { flow, cost } = solve(network, "maxFlow");
        expect({ flow, cost }).toEqual(bruteForce(network, "maxFlow"));
      }),
      { numRuns: 400 },
    );
  });

  it("finds the least-cost flow of any value with negative costs and cycles, as brute force does", () => {
    fc.assert(
      fc.property(pricedNetwork, (network) => {
        expect(solve(network, "minCost").cost).toBe(bruteForce(network, "minCost").cost);
      }),
      { numRuns: 400 },
    );
  });

  it("finds the maximum flow of least cost with negative costs and cycles, as brute force does", () => {
    fc.assert(
      fc.property(pricedNetwork, (network) => {
        const { flow, cost } = solve(network, "maxFlow");
        expect({ flow, cost }).toEqual(bruteForce(network, "maxFlow"));
      }),
      { numRuns: 400 },
    );
  });

  it("reaches the maximum flow of least cost when maxFlow continues from a minCost solve", () => {
    fc.assert(
      fc.property(fc.oneof(acyclicNetwork, pricedNetwork), (network) => {
        const graph = new MinCostFlow(network.nodes);
        for (const arc of network.arcs) graph.addEdge(arc.from, arc.to, arc.capacity, arc.cost);
        const sink = network.nodes - 1;
        const first = graph.solve(0, sink, { mode: "minCost" });
        expect(first.cost).toBe(bruteForce(network, "minCost").cost);
        const more = graph.solve(0, sink, { mode: "maxFlow" });
        const total = { flow: first.flow + more.flow, cost: first.cost + more.cost };
        expect(total).toEqual(bruteForce(network, "maxFlow"));
      }),
      { numRuns: 600 },
    );
  });

  it("solves again after a reset and changed arcs as a network built that way would", () => {
    const change = fc.record({
      index: fc.nat(),
      capacity: fc.integer({ min: 0, max: 2 }),
      base: fc.integer({ min: 0, max: 4 }),
    });
    fc.assert(
      fc.property(pricedNetwork, fc.array(change, { maxLength: 3 }), (network, changes) => {
        const graph = new MinCostFlow(network.nodes);
        const ids = network.arcs.map((a) => graph.addEdge(a.from, a.to, a.capacity, a.cost));
        graph.snapshot();
        const sink = network.nodes - 1;
        graph.solve(0, sink, { mode: "minCost" });
        graph.reset();
        // Costs only go up, so the network stays free of negative cycles.
        const changed = network.arcs.map((arc) => ({ ...arc }));
        for (const { index, capacity, base } of changes) {
          const i = index % Math.max(1, changed.length);
          const arc = changed[i];
          if (!arc) continue;
          changed[i] = { ...arc, capacity, cost: arc.cost + base };
          graph.setArc(ids[i] as number, capacity, arc.cost + base);
        }
        const { flow, cost } = graph.solve(0, sink, { mode: "maxFlow" });
        expect({ flow, cost }).toEqual(bruteForce({ ...network, arcs: changed }, "maxFlow"));
      }),
      { numRuns: 400 },
    );
  });

  it("reports arc flows that conserve flow and respect capacities", () => {
    fc.assert(
      fc.property(pricedNetwork, fc.constantFrom<FlowMode>("maxFlow", "minCost"), (net, mode) => {
        const { flow, cost, flows } = solve(net, mode);
        const balance = new Array<number>(net.nodes).fill(0);
        let total = 0;
        net.arcs.forEach((arc, i) => {
          const units = flows[i] as number;
          expect(units).toBeGreaterThanOrEqual(0);
          expect(units).toBeLessThanOrEqual(arc.capacity);
          balance[arc.from] = (balance[arc.from] as number) - units;
          balance[arc.to] = (balance[arc.to] as number) + units;
          total += units * arc.cost;
        });
        expect(balance.slice(1, -1).every((b) => b === 0)).toBe(true);
        expect(balance[net.nodes - 1]).toBe(flow);
        expect(total).toBe(cost);
      }),
      { numRuns: 300 },
    );
  });

  it("solves an assignment optimally where taking the cheapest arc first would not", () => {
    // source 0, jobs 1–3, workers 4–5, sink 6; worker 4 takes two jobs, worker 5 one.
    const graph = new MinCostFlow(7);
    for (const job of [1, 2, 3]) graph.addEdge(0, job, 1, 0);
    const arcs = [
      graph.addEdge(1, 4, 1, -9),
      graph.addEdge(1, 5, 1, -8),
      graph.addEdge(2, 4, 1, -7),
      graph.addEdge(2, 5, 1, -1),
      graph.addEdge(3, 4, 1, -6),
      graph.addEdge(3, 5, 1, -4),
    ];
    graph.addEdge(4, 6, 2, 0);
    graph.addEdge(5, 6, 1, 0);
    expect(graph.solve(0, 6, { mode: "minCost" })).toEqual({ flow: 3, cost: -21 });
    expect(arcs.map((arc) => graph.flowOn(arc))).toEqual([0, 1, 1, 0, 1, 0]);
  });

  it("stops in minCost mode when another unit would raise the cost", () => {
    const graph = new MinCostFlow(3);
    graph.addEdge(0, 1, 2, -4);
    graph.addEdge(1, 2, 1, 0);
    graph.addEdge(1, 2, 1, 5);
    expect(graph.solve(0, 2, { mode: "minCost" })).toEqual({ flow: 1, cost: -4 });
  });

  it("sends at most maxFlow units when asked", () => {
    const graph = new MinCostFlow(2);
    graph.addEdge(0, 1, 5, 1);
    expect(graph.solve(0, 1, { maxFlow: 3 })).toEqual({ flow: 3, cost: 3 });
  });

  it("sends nothing when the sink is unreachable", () => {
    const graph = new MinCostFlow(3);
    graph.addEdge(0, 1, 1, -1);
    expect(graph.solve(0, 2)).toEqual({ flow: 0, cost: 0 });
  });

  it("rejects a non-integer cost", () => {
    expect(() => new MinCostFlow(2).addEdge(0, 1, 1, 0.5)).toThrow(/integer/);
  });

  it("rejects a negative-cost cycle", () => {
    const graph = new MinCostFlow(3);
    graph.addEdge(0, 1, 1, 0);
    graph.addEdge(1, 2, 1, -2);
    graph.addEdge(2, 1, 1, 1);
    expect(() => graph.solve(0, 2)).toThrow(/cycle/);
  });
});
