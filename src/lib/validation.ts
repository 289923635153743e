import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { ValidationTargets } from "hono";
import { validator } from "hono-openapi";
import * as v from "valibot";
import { AppError, type ErrorIssue } from "./errors";
import { findUnstorable } from "./text";

// valibot's default messages end in `but received "<the input>"`: an error must never echo what
// was sent (a 100 KB string, or HTML), so the defaults say only what was expected.
v.setGlobalMessage((issue) => `Invalid ${issue.kind}: expected ${issue.expected}`);

function pathOf(issue: StandardSchemaV1.Issue): string {
  return (issue.path ?? [])
    .map((segment) => (typeof segment === "object" ? segment.key : segment))
    .map(String)
    .join(".");
}

/** An answer names this many problems at most (a 5,000-item array could have 5,000). */
export const MAX_ISSUES = 20;

/** Converts Standard Schema issues to the API's `{ path, message }`, never echoing the input. */
export function toErrorIssues(issues: readonly StandardSchemaV1.Issue[]): ErrorIssue[] {
  const shown = issues
    .slice(0, MAX_ISSUES)
    .map((issue) => ({ path: pathOf(issue), message: issue.message }));
  if (issues.length > MAX_ISSUES)
    shown.push({ path: "", message: `and ${issues.length - MAX_ISSUES} more problems` });
  return shown;
}

/**
 * The app's one validator: hono-openapi's (so the schema also documents the route) with a hook
 * that turns a failed parse into a 400 in the app's error shape, with field paths.
 */
export function validate<Target extends keyof ValidationTargets, Schema extends StandardSchemaV1>(
  target: Target,
  schema: Schema,
) {
  // The document describes what a client sends (the schema's input), not what it becomes.
  const documented = { options: { typeMode: "input" } } as Parameters<typeof validator>[3];
  return validator(
    target,
    schema,
    (result) => {
      const what = target === "json" ? "request body" : target;
      if (!result.success) {
        throw new AppError("VALIDATION_FAILED", `the ${what} is not valid`, {
          issues: toErrorIssues(result.error),
        });
      }
      // Postgres cannot store NUL or an unpaired surrogate: refused here, naming the field.
      const path = findUnstorable(result.data);
      if (path !== undefined) {
        throw new AppError("VALIDATION_FAILED", `the ${what} is not valid`, {
          issues: [
            {
              path,
              message: "contains a character that cannot be stored (NUL or an unpaired surrogate)",
            },
          ],
        });
      }
    },
    documented,
  );
}

/** Valibot's issues in the API's shape (for input validated outside a route, e.g. CSV rows). */
export function valibotIssues(issues: readonly v.BaseIssue<unknown>[]): ErrorIssue[] {
  return issues.map((issue) => ({ path: v.getDotPath(issue) ?? "", message: issue.message }));
}
