"""The batch run's flow subproblem solved by SciPy, for bench/matching.ts's outside check.

Reads {"needs": n, "capacity": [units per (worker, week)], "arcs": [[need, node, score], ...]}
on stdin and prints, as JSON, the most needs served and the best total score among plans that
serve that many, by two SciPy solvers: each (worker, week) with capacity c becomes c slot
columns, and each need gets a private "unserved" column. Weights: an arc 101 - score (scores are
0..100), the need's own unserved column M + 101 with M = 100 n + 1, so that one more need served
outweighs any difference in score, and every weight is positive (LAPJVsp needs non-zero weights).
"""

import json
import sys
import time

import numpy as np
import scipy
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_array
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

DENSE_MAX_CELLS = 20_000_000


def main() -> None:
    problem = json.load(sys.stdin)
    n = problem["needs"]
    capacity = problem["capacity"]
    first_slot = np.concatenate(([0], np.cumsum(capacity)))
    slots = int(first_slot[-1])
    big = 100.0 * n + 1.0
    rows, cols, weights = [], [], []
    for need, node, score in problem["arcs"]:
        for slot in range(int(first_slot[node]), int(first_slot[node + 1])):
            rows.append(need)
            cols.append(slot)
            weights.append(101.0 - score)
    rows += list(range(n))
    cols += [slots + need for need in range(n)]
    weights += [big + 101.0] * n
    shape = (n, slots + n)
    result = {"scipy": scipy.__version__, "slots": slots}

    started = time.perf_counter()
    graph = coo_array((weights, (rows, cols)), shape=shape).tocsr()
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    result["sparse"] = summary(row_ind, col_ind, slots, graph, time.perf_counter() - started)

    if n * (slots + n) <= DENSE_MAX_CELLS:
        started = time.perf_counter()
        dense = np.full(shape, np.inf)
        dense[rows, cols] = weights
        row_ind, col_ind = linear_sum_assignment(dense)
        result["dense"] = summary(row_ind, col_ind, slots, dense, time.perf_counter() - started)
    else:
        result["dense"] = None
    json.dump(result, sys.stdout)


def summary(row_ind, col_ind, slots, weights, seconds):
    served = col_ind < slots
    values = 101.0 - np.asarray(weights[row_ind[served], col_ind[served]]).ravel()
    return {"matched": int(served.sum()), "score": float(values.sum()), "ms": seconds * 1000}


if __name__ == "__main__":
    main()
