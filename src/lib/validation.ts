import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { ValidationTargets } from "hono";
import { validator } from "hono-openapi";
import * as v from "valibot";
import { AppError, type ErrorIssue } from "./errors";

function pathOf(issue: StandardSchemaV1.Issue): string {
  return (issue.path ?? [])
    .map((segment) => (typeof segment === "object" ? segment.key : segment))
    .map(String)
    .join(".");
}

/** Converts Standard Schema issues to the API's `{ path, message }`, never echoing the input. */
export function toErrorIssues(issues: readonly StandardSchemaV1.Issue[]): ErrorIssue[] {
  return issues.map((issue) => ({ path: pathOf(issue), message: issue.message }));
}

/**
 * The app's one validator: hono-openapi's (so the schema also documents the route) with a hook
 * that turns a failed parse into a 400 in the app's error shape, with field paths.
 */
export function validate<Target extends keyof ValidationTargets, Schema extends StandardSchemaV1>(
  target: Target,
  schema: Schema,
) {
  return validator(target, schema, (result) => {
    if (!result.success) {
      throw new AppError(
        "VALIDATION_FAILED",
        `the ${target === "json" ? "request body" : target} is not valid`,
        {
          issues: toErrorIssues(result.error),
        },
      );
    }
  });
}

/** Valibot's issues in the API's shape (for input validated outside a route, e.g. CSV rows). */
export function valibotIssues(issues: readonly v.BaseIssue<unknown>[]): ErrorIssue[] {
  return issues.map((issue) => ({ path: v.getDotPath(issue) ?? "", message: issue.message }));
}
