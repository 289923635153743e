import fc from "fast-check";

/**
 * fast-check arbitraries for the fuzz tests (test/worker/fuzz.test.ts), built from the JSON Schema
 * that hono-openapi derives from each route's own valibot schema (via @valibot/to-json-schema).
 *
 * Three kinds of body per route:
 * - valid: follows the schema (enums, patterns, bounds, required keys), with free text that is
 *   allowed but nasty (SQL, HTML, RTL marks, ZWJ emoji, combining marks, NUL, lone surrogates);
 * - almost valid: a valid body with one thing wrong (a key missing, an extra key, one field
 *   replaced by a wrong or hostile value);
 * - hostile: anything at all where the body or a field should be (wrong types, 100 KB strings,
 *   1000-deep nesting, invalid dates and offsets, numbers at the limits, prototype keys).
 */

/** The subset of JSON Schema (draft-07) that @valibot/to-json-schema emits for these routes. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
}

/** Per-route help: ids that exist (so valid bodies reach the database) and values by field name. */
export interface Hints {
  /** Real ids to mix into every `format: uuid` field. */
  ids?: string[];
  /** A field's arbitrary by property name (e.g. `mobile`, `regionCode`), used for valid bodies. */
  byName?: Record<string, fc.Arbitrary<unknown>>;
}

// ---------------------------------------------------------------------------------------------
// Hostile building blocks
// ---------------------------------------------------------------------------------------------

export const SCRIPT = "<script>alert(1)</script>";

/** Strings that are allowed as free text but are trouble for whatever stores or shows them. */
export const nastyTexts = [
  "'; drop table events; --",
  "' OR '1'='1",
  '" OR ""="',
  "1; select pg_sleep(10); --",
  "$1 $2 %s %d {0} $" + "{x}",
  "%_\\",
  SCRIPT,
  '"><img src=x onerror=alert(1)>',
  "</textarea><script>alert(2)</script>",
  "javascript:alert(1)",
  "&lt;b&gt; &amp; &#x3C;",
  "\u202e\u0645\u0631\u062d\u0628\u0627 abc\u202c", // RTL override + Arabic
  "\u200f\u05e9\u05dc\u05d5\u05dd\u200e", // RTL/LTR marks + Hebrew
  "\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}", // family: ZWJ sequence
  "\u{1F3F3}\uFE0F\u200D\u{1F308}", // rainbow flag
  "e\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308", // stacked combining marks
  "Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357\u0358\u0359\u035a",
  "\ufeff张三\u200b", // BOM and zero-width space
  "\u3000张\u3000三\u3000", // ideographic spaces
  "王\u0000五", // NUL
  "\u0001\u0007\u001b[31m", // control characters, ANSI escape
  "lone \ud800 high",
  "lone \udfff low",
  "\udc00\ud800 reversed pair",
  "\u{10FFFF}\uFFFE\uFFFF", // non-characters
  "𠮷野家 😀",
  "a\r\nb\rc\nd\te",
  "null",
  "undefined",
  "NaN",
  "-0",
  "__proto__",
];

/** Date-times that look plausible and are not: impossible days, hours, offsets, zones, years. */
export const badInstants = [
  "2025-02-30T25:61+25:00",
  "2025-02-30T10:00:00+08:00",
  "2025-02-29T10:00:00+08:00",
  "2025-13-01T00:00:00Z",
  "2025-00-10T00:00:00Z",
  "2025-04-31T10:00+08:00",
  "2025-06-01T24:00:00Z",
  "2025-06-01T23:59:60Z",
  "2025-06-01T10:00:00+24:00",
  "2025-06-01T10:00:00-99:99",
  "2025-06-01T10:00:00",
  "2025-06-01 10:00:00+08:00",
  "2025-06-01T10:00:00+08:00[Asia/Shanghai]",
  "2025-06-01T10:00:00 Asia/Shanghai",
  "2025-06-01T10:00:00.123456789Z",
  "2025-06-01",
  "0000-00-00T00:00Z",
  "1969-12-31T23:59:59Z",
  "2019-12-31T23:59:59+08:00",
  "2101-01-01T00:00:00Z",
  "9999-12-31T23:59:59Z",
  "+275760-09-13T00:00:00Z",
  "2025-W23-1T10:00Z",
  "1e308",
  "",
];

/** Numbers where arithmetic, JSON and Postgres integers have their edges. */
export const edgeNumbers: unknown[] = [
  0,
  -0,
  -1,
  1,
  0.5,
  0.25,
  -0.5,
  1e-308,
  5e-324,
  1e308,
  -1e308,
  Number.MAX_VALUE,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 - 1,
  2 ** 53 + 1,
  -(2 ** 53) - 1,
  Number.MAX_SAFE_INTEGER,
  "NaN",
  "Infinity",
  "-Infinity",
  "1e308",
  "0x10",
  "1_000",
  "12",
  " 3 ",
];

/** `[[[…]]]` or `{"a":{"a":…}}`, `depth` levels deep. */
export function deeplyNested(depth: number, kind: "array" | "object"): unknown {
  let value: unknown = "bottom";
  for (let i = 0; i < depth; i++) value = kind === "array" ? [value] : { a: value };
  return value;
}

const HUGE = 100 * 1024;

/** Values of any wrong kind: where a field or the whole body should be. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { depthSize: "small", withCrossShrink: true },
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    [],
    {},
    [null],
    [{}],
    { __proto__: { polluted: true } },
    JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}'),
    "x".repeat(HUGE),
    `${SCRIPT}`.repeat(Math.ceil(HUGE / SCRIPT.length)),
    "张".repeat(HUGE / 3),
    "\u{1F468}\u200D\u{1F469}\u200D\u{1F467}".repeat(HUGE / 8),
    deeplyNested(1000, "array"),
    deeplyNested(1000, "object"),
    Array.from({ length: 5000 }, (_, i) => i),
    Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i])),
  ),
  fc.constantFrom(...nastyTexts),
  fc.constantFrom(...badInstants),
  fc.constantFrom(...edgeNumbers),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 40, unit: "binary" }),
  fc.jsonValue({ maxDepth: 3 }),
);

// ---------------------------------------------------------------------------------------------
// Valid values from a JSON Schema
// ---------------------------------------------------------------------------------------------

const INSTANT_PATTERN =
  "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2})$";

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, "0");

/**
 * A real instant between 2020 and 2100 with an offset, in the forms the Instant schema allows,
 * biased to the next few years (where fixtures live), plus a share of plausible-looking bad ones.
 */
export const instant: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: instantBetween(Date.UTC(2020, 0, 1), Date.UTC(2100, 11, 31)) },
  {
    weight: 6,
    arbitrary: instantBetween(Date.now() - 30 * 86_400_000, Date.now() + 730 * 86_400_000),
  },
  { weight: 1, arbitrary: fc.constantFrom(...badInstants) },
);

function instantBetween(min: number, max: number): fc.Arbitrary<string> {
  return fc
    .record({
      ms: fc.integer({ min, max }),
      offsetMinutes: fc.constantFrom(0, 480, -300, 330, 840, -720, 525),
      zulu: fc.boolean(),
      precision: fc.constantFrom("minutes", "seconds", "millis"),
    })
    .map(({ ms, offsetMinutes, zulu, precision }) => {
      const offset = zulu ? 0 : offsetMinutes;
      const local = new Date(ms + offset * 60_000);
      const date = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
      let time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
      if (precision !== "minutes") time += `:${pad(local.getUTCSeconds())}`;
      if (precision === "millis") time += `.${pad(local.getUTCMilliseconds(), 3)}`;
      const zone = zulu
        ? "Z"
        : `${offset < 0 ? "-" : "+"}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
      return `${date}T${time}${zone}`;
    });
}

const cjk = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((cp) => String.fromCodePoint(cp));
const plainText = (minLength: number, maxLength: number) =>
  fc.string({
    minLength,
    maxLength,
    unit: fc.oneof(cjk, fc.constantFrom(..."abcXYZ 019-_.·（）")),
  });

/** Free text within the schema's bounds: ordinary, or one of the nasty texts, cut to fit. */
function text(schema: JsonSchema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = Math.min(schema.maxLength ?? 60, 60);
  return fc.oneof(
    plainText(Math.max(min, 1), Math.max(max, min, 1)),
    fc
      .constantFrom(...nastyTexts)
      .map((s) => (s.length > (schema.maxLength ?? Infinity) ? s.slice(0, schema.maxLength) : s)),
    fc.string({ minLength: min, maxLength: Math.max(max, min), unit: "binary-ascii" }),
  );
}

function numberOf(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? -1e6;
  const max = schema.maximum ?? 1e6;
  const ints = fc.oneof(
    fc.integer({ min: Math.ceil(min), max: Math.floor(max) }),
    fc.constantFrom(Math.ceil(min), Math.floor(max)),
  );
  if (integer) return ints;
  // Hours and deltas come in halves; give mostly halves, some arbitrary doubles.
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .integer({ min: Math.ceil(min * 2), max: Math.floor(max * 2) })
        .map((n) => n / 2),
    },
    { weight: 1, arbitrary: fc.double({ min, max, noNaN: true, noDefaultInfinity: true }) },
  );
}

/** An arbitrary for values the schema accepts (mostly: patterns and checks are approximated). */
export function validFrom(
  schema: JsonSchema,
  hints: Hints = {},
  name?: string,
): fc.Arbitrary<unknown> {
  const byName = name ? hints.byName?.[name] : undefined;
  if (byName) return byName;
  if ("const" in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return fc.oneof(...union.map((s) => validFrom(s, hints, name)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "object":
      return objectFrom(schema, hints);
    case "array":
      return arrayFrom(schema, hints, name);
    case "string":
      return stringFrom(schema, hints);
    case "integer":
      return numberOf(schema, true);
    case "number":
      return numberOf(schema, false);
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectFrom(schema: JsonSchema, hints: Hints): fc.Arbitrary<Record<string, unknown>> {
  if (schema.properties) {
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [key, property] of Object.entries(schema.properties)) {
      model[key] = validFrom(property, hints, key);
    }
    return fc.record(model, { requiredKeys: schema.required ?? [] }) as fc.Arbitrary<
      Record<string, unknown>
    >;
  }
  // A record such as personTimes: keys from an enum, values from additionalProperties.
  const keys = schema.propertyNames?.enum ?? ["a", "b"];
  const value =
    typeof schema.additionalProperties === "object"
      ? validFrom(schema.additionalProperties, hints)
      : fc.jsonValue({ maxDepth: 1 });
  return fc.dictionary(fc.constantFrom(...(keys as string[])), value, {
    minKeys: 1,
    maxKeys: keys.length,
  });
}

function arrayFrom(schema: JsonSchema, hints: Hints, name?: string): fc.Arbitrary<unknown[]> {
  const item = schema.items ?? {};
  const minLength = schema.minItems ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 5, 5));
  const itemArbitrary = validFrom(item, hints, name ? `${name}[]` : undefined);
  // Enumerations (skills, target groups) and ids must not repeat.
  if (item.enum || item.format === "uuid") {
    return fc.uniqueArray(itemArbitrary, { minLength, maxLength });
  }
  return fc.array(itemArbitrary, { minLength, maxLength });
}

function stringFrom(schema: JsonSchema, hints: Hints): fc.Arbitrary<string> {
  if (schema.format === "uuid") {
    const ids = hints.ids ?? [];
    return ids.length > 0
      ? fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom(...ids) },
          { weight: 1, arbitrary: fc.uuid() },
        )
      : fc.uuid();
  }
  if (schema.pattern === INSTANT_PATTERN) return instant;
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
  return text(schema);
}

// ---------------------------------------------------------------------------------------------
// Almost valid and hostile bodies
// ---------------------------------------------------------------------------------------------

/** The object schema(s) a body schema is made of (one, or the options of a variant). */
function objectSchemas(schema: JsonSchema): JsonSchema[] {
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return union.flatMap(objectSchemas);
  return schema.properties ? [schema] : [];
}

/** A wrong value for one field: the wrong type, out of bounds, or hostile. */
function wrongFor(schema: JsonSchema): fc.Arbitrary<unknown> {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const outOfBounds: fc.Arbitrary<unknown>[] = [];
  if (type === "integer" || type === "number") {
    if (schema.maximum !== undefined) outOfBounds.push(fc.constant(schema.maximum + 1));
    if (schema.minimum !== undefined) outOfBounds.push(fc.constant(schema.minimum - 1));
    outOfBounds.push(fc.constant(String(schema.minimum ?? 1)));
    if (type === "integer") outOfBounds.push(fc.constant((schema.minimum ?? 0) + 0.5));
  }
  if (type === "string" && schema.maxLength !== undefined) {
    outOfBounds.push(fc.constant("长".repeat(schema.maxLength + 1)));
  }
  if (type === "string" && schema.minLength) outOfBounds.push(fc.constantFrom("", "   ", "\t\n"));
  if (schema.enum)
    outOfBounds.push(
      fc.constantFrom(`${String(schema.enum[0])} `, String(schema.enum[0]).toUpperCase(), "其他"),
    );
  if (type === "array") {
    outOfBounds.push(fc.constant([]));
    const item = schema.items;
    if (item?.enum) outOfBounds.push(fc.constant([item.enum[0], item.enum[0]]));
  }
  return outOfBounds.length > 0 ? fc.oneof(fc.oneof(...outOfBounds), hostileValue) : hostileValue;
}

type Body = Record<string, unknown>;

/** One thing wrong with an otherwise valid body. */
export function almostValidFrom(schema: JsonSchema, hints: Hints = {}): fc.Arbitrary<unknown> {
  const objects = objectSchemas(schema);
  if (objects.length === 0) return hostileValue;
  return fc.oneof(
    ...objects.map((object) => {
      const properties = Object.entries(object.properties ?? {});
      const required = object.required ?? [];
      const base = validFrom(object, hints) as fc.Arbitrary<Body>;
      const mutations: fc.Arbitrary<(body: Body) => Body>[] = [
        // An extra key (mass assignment): status, id, createdAt, or a prototype key.
        fc
          .tuple(
            fc.constantFrom(
              "id",
              "status",
              "createdAt",
              "accountId",
              "role",
              "mobileHash",
              "__proto__",
              "constructor",
              "额外",
            ),
            hostileValue,
          )
          .map(([key, value]) => (body: Body) => {
            const copy = { ...body };
            Object.defineProperty(copy, key, {
              value,
              enumerable: true,
              writable: true,
              configurable: true,
            });
            return copy;
          }),
      ];
      if (required.length > 0) {
        mutations.push(
          fc.constantFrom(...required).map((key) => (body: Body) => {
            const { [key]: _dropped, ...rest } = body;
            return rest;
          }),
        );
      }
      if (properties.length > 0) {
        mutations.push(
          fc
            .constantFrom(...properties)
            .chain(([key, property]) => wrongFor(property).map((value) => ({ key, value })))
            .map(({ key, value }) => (body: Body) => ({ ...body, [key]: value })),
        );
      }
      return fc.tuple(base, fc.oneof(...mutations)).map(([body, mutate]) => mutate(body));
    }),
  );
}

/** A body that is hostile as a whole, or a valid-looking body with hostile values in it. */
export function hostileFrom(schema: JsonSchema, hints: Hints = {}): fc.Arbitrary<unknown> {
  const objects = objectSchemas(schema);
  const hostileFields = objects.map((object) =>
    fc.dictionary(fc.constantFrom(...Object.keys(object.properties ?? { x: {} })), hostileValue, {
      minKeys: 1,
    }),
  );
  return fc.oneof(hostileValue, ...hostileFields, ...objects.map((o) => almostValidFrom(o, hints)));
}

/** Hostile path segments for `:id`-style parameters. */
export const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "00000000-0000-0000-0000-000000000000",
    "not-a-uuid",
    "1",
    "-1",
    "NaN",
    "%00",
    "%27%3B%20drop%20table%20events%3B%20--",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "..%2F..%2Fetc%2Fpasswd",
    "%E2%80%AE",
    "%F0%9F%91%A8%E2%80%8D%F0%9F%91%A9",
    "%ED%A0%80", // an encoded lone surrogate: not valid UTF-8
    "x".repeat(5000),
    "12345678-1234-1234-1234-1234567890ab",
    "ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ",
  ),
  fc.uuid(),
  fc.string({ minLength: 1, maxLength: 30 }).map(encodeURIComponent),
);
