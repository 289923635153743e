import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Reporter, TestModule } from "vitest/node";

const WORKER_TESTS = fileURLToPath(new URL("../worker/", import.meta.url));

declare module "vitest" {
  interface TaskMeta {
    contract?: { seen: Record<string, number[]>; documented: string[] };
  }
}

/**
 * Sums up which documented operations the Worker tests met (test/worker/contract-setup.ts) and,
 * when every Worker test file ran, fails the run unless every operation was met at least once.
 */
export default class ContractReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const workerModules = testModules.filter((m) => m.project.name === "worker");
    if (workerModules.length === 0) return;
    const seen = new Map<string, Set<number>>();
    const documented = new Set<string>();
    for (const module of workerModules) {
      const meta = module.meta().contract;
      if (!meta) continue;
      for (const key of meta.documented) documented.add(key);
      for (const [key, statuses] of Object.entries(meta.seen)) {
        const set = seen.get(key) ?? new Set<number>();
        for (const status of statuses) set.add(status);
        seen.set(key, set);
      }
    }
    const unmet = [...documented].filter((key) => !seen.has(key)).sort();
    const succeeded = [...seen].filter(([, statuses]) => [...statuses].some((s) => s < 300));
    const answers = [...seen.values()].reduce((sum, s) => sum + s.size, 0);
    console.log(
      `contract: ${seen.size} of ${documented.size} documented operations met ` +
        `(${succeeded.length} with a success), ${answers} operation × status pairs checked`,
    );
    const files = readdirSync(WORKER_TESTS).filter((name) => name.endsWith(".test.ts"));
    const complete = workerModules.length >= files.length;
    if (unmet.length === 0 || !complete) return;
    console.error(
      `\nFAIL contract coverage: never met ${unmet.length}:\n  ${unmet.join("\n  ")}\n`,
    );
    // Reporters cannot fail a test; the run's exit code is what CI reads.
    process.exitCode = 1;
  }
}
