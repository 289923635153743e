import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { paginationQuery } from "../../../src/lib/pagination";
import "../../../src/lib/validation";

/** The messages of a parse, by path. */
function messages(schema: v.GenericSchema, input: unknown): Record<string, string> {
  const result = v.safeParse(schema, input);
  if (result.success) return {};
  return Object.fromEntries(
    result.issues.map((issue) => [v.getDotPath(issue) ?? "", issue.message]),
  );
}

const Body = v.strictObject({
  serviceType: v.picklist(["counselling", "legal_aid"]),
  volunteersNeeded: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(200)),
  skills: v.optional(v.pipe(v.array(v.string()), v.maxLength(3))),
  notes: v.optional(v.pipe(v.string(), v.maxLength(5))),
  when: v.optional(v.pipe(v.string(), v.isoTimestamp())),
});

describe("the API's default messages say what is wrong, in words, never echoing the input", () => {
  it("names an unknown field, a missing one and a wrong type", () => {
    expect(
      messages(Body, { serviceType: "counselling", volunteersNeeded: 2, colour: "red" }),
    ).toEqual({
      colour: "is not a field of this request",
    });
    expect(messages(Body, { volunteersNeeded: "2" })).toEqual({
      serviceType: "is required",
      volunteersNeeded: "must be a number",
    });
    expect(messages(Body, null)).toEqual({ "": "must be a JSON object" });
  });

  it("says the allowed values and the bounds", () => {
    const said = messages(Body, {
      serviceType: "<script>",
      volunteersNeeded: 1.5,
      skills: ["a", "b", "c", "d"],
      notes: "toolong",
      when: "tomorrow",
    });
    expect(said).toEqual({
      serviceType: "must be one of: counselling, legal_aid",
      volunteersNeeded: "must be a whole number",
      skills: "must have at most 3 items",
      notes: "must have at most 5 characters",
      when: "must be a date and time such as 2026-12-06T09:00:00+08:00",
    });
    expect(JSON.stringify(said)).not.toContain("<script>");
    expect(messages(Body, { serviceType: "legal_aid", volunteersNeeded: 0 })).toEqual({
      volunteersNeeded: "must be 1 or more",
    });
    expect(messages(Body, { serviceType: "legal_aid", volunteersNeeded: 201 })).toEqual({
      volunteersNeeded: "must be 200 or less",
    });
  });

  it("says the range of a page's limit and offset", () => {
    const query = v.object(paginationQuery);
    expect(messages(query, { limit: "100000" })).toEqual({
      limit: "limit must be a whole number from 1 to 500",
    });
    expect(messages(query, { offset: "-1" })).toEqual({
      offset: "offset must be a whole number from 0 to 1000000",
    });
  });
});
