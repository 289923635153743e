import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { UserConsoleLog } from "vitest";
import type { Reporter } from "vitest/node";
import { findLeaks, type Leak } from "./scan";

/** Where test set-ups drop the output of the stacks they run (wrangler dev: the Worker's logs). */
export const STACK_LOG_DIR = fileURLToPath(new URL("../artifacts/logs/", import.meta.url));

/**
 * Scans everything logged during the whole run — the Worker's console in the Worker tests and
 * the stacks' output in the browser and fault tests — for full mobile numbers, tokens and the
 * run's secrets, and fails the run if it finds any.
 */
export default class LogScanReporter implements Reporter {
  private leaks: Leak[] = [];
  private scanned = 0;

  constructor(private readonly secrets: string[] = []) {}

  onUserConsoleLog(log: UserConsoleLog): void {
    this.scanned += log.content.length;
    this.leaks.push(...findLeaks(log.content, `console of ${log.taskId ?? "setup"}`, this.secrets));
  }

  onTestRunEnd(): void {
    if (existsSync(STACK_LOG_DIR))
      for (const name of readdirSync(STACK_LOG_DIR)) {
        const text = readFileSync(`${STACK_LOG_DIR}${name}`, "utf8");
        this.scanned += text.length;
        this.leaks.push(...findLeaks(text, `test/artifacts/logs/${name}`, this.secrets));
      }
    console.log(
      `log scan: ${this.scanned.toLocaleString("en")} characters of logs, ${this.leaks.length} leaks`,
    );
    if (this.leaks.length === 0) return;
    const report = this.leaks
      .slice(0, 20)
      .map((leak) => `  ${leak.kind} in ${leak.where}: ${leak.excerpt}`)
      .join("\n");
    console.error(
      `\nFAIL log scan: personal data or secrets in the logs (${this.leaks.length}):\n${report}\n`,
    );
    // Reporters cannot fail a test; the run's exit code is what CI reads.
    process.exitCode = 1;
  }
}
