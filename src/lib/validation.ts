import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { ValidationTargets } from "hono";
import { validator } from "hono-openapi";
import * as v from "valibot";
import { AppError, type ErrorIssue } from "./errors";
import { findUnstorable } from "./text";

// valibot's default messages end in `but received "<the input>"`: an error must never echo what
// was sent (a 100 KB string, or HTML), so the defaults say only what was expected, in words.
v.setGlobalMessage(defaultMessage);

/** What a schema without a message of its own says: what is wrong, never what was sent. */
export function defaultMessage(issue: v.BaseIssue<unknown>): string {
  const expected = issue.expected ?? "";
  const bound = expected.replace(/^[<>]=?/, "");
  switch (issue.type) {
    case "strict_object":
    case "object":
    case "loose_object":
      if (expected === "never") return "is not a field of this request";
      if (issue.received === "undefined") return "is required";
      return "must be a JSON object";
    case "string":
    case "number":
    case "boolean":
    case "array":
      if (issue.received === "undefined") return "is required";
      return `must be ${issue.type === "array" ? "an array" : `a ${issue.type}`}`;
    case "picklist":
    case "enum":
      return `must be one of: ${expected
        .replace(/^\((.*)\)$/, "$1")
        .replaceAll('"', "")
        .split(" | ")
        .join(", ")}`;
    case "integer":
      return "must be a whole number";
    case "min_value":
      return `must be ${bound} or more`;
    case "max_value":
      return `must be ${bound} or less`;
    case "min_length":
      return `must have at least ${bound} ${Array.isArray(issue.input) ? "items" : "characters"}`;
    case "max_length":
      return `must have at most ${bound} ${Array.isArray(issue.input) ? "items" : "characters"}`;
    case "regex":
      return "is not in the expected format";
    case "uuid":
      return "must be a UUID";
    case "iso_timestamp":
      return "must be a date and time such as 2026-12-06T09:00:00+08:00";
  }
  return `Invalid ${issue.kind}: expected ${expected}`;
}

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
        // An array passes for an object with every field missing: say what is wrong with it.
        const issues =
          target === "json" && Array.isArray(result.data)
            ? [{ path: "", message: "must be a JSON object" }]
            : toErrorIssues(result.error);
        throw new AppError("VALIDATION_FAILED", `the ${what} is not valid`, { issues });
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
