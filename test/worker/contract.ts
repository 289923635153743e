import { Validator } from "@cfworker/json-schema";

/*
 * The API as a contract: every answer a Worker test receives from a documented operation is
 * checked against /openapi.json — the status must be documented, the media type one of those
 * documented for it, and a JSON body must match the documented schema. A divergence throws at
 * the call, so the test that met it fails. Which operations were met is kept per test file and
 * summed up by test/worker/contract-reporter.ts, which fails a full run under 100 % coverage.
 */

const DOCUMENT_URL = "https://shuangyi.test/openapi.json";

interface Operation {
  key: string;
  pattern: RegExp;
  method: string;
  pointer: string;
  responses: Record<string, { content?: Record<string, unknown>; $ref?: string }>;
}

interface Contract {
  operations: Operation[];
  components: Record<string, Record<string, { content?: Record<string, unknown> }>>;
  validator: (pointer: string) => Validator;
}

let contract: Promise<Contract> | undefined;
const validators = new Map<string, Validator>();

/** Operations met by this file's tests (`GET /api/v1/events/{id}` → statuses seen). */
export const seen = new Map<string, Set<number>>();

const escapePointer = (part: string) => part.replaceAll("~", "~0").replaceAll("/", "~1");

function compile(document: Record<string, unknown>): Contract {
  const paths = document.paths as Record<string, Record<string, Operation["responses"]>>;
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(paths)) {
    const pattern = new RegExp(
      `^${path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}$`,
    );
    for (const [method, operation] of Object.entries(methods)) {
      const responses = (operation as { responses?: Operation["responses"] }).responses ?? {};
      operations.push({
        key: `${method.toUpperCase()} ${path}`,
        pattern,
        method: method.toUpperCase(),
        pointer: `#/paths/${escapePointer(path)}/${method}/responses`,
        responses,
      });
    }
  }
  const components = (document.components ?? {}) as Contract["components"];
  return {
    operations,
    components,
    validator(pointer) {
      let validator = validators.get(pointer);
      if (!validator) {
        validator = new Validator({ $ref: `${DOCUMENT_URL}${pointer}` }, "2020-12", false);
        validator.addSchema({ ...document, $id: DOCUMENT_URL });
        validators.set(pointer, validator);
      }
      return validator;
    },
  };
}

/** The documented operation a request is for, or undefined (pages, unknown routes). */
function operationOf(operations: Operation[], method: string, path: string) {
  const candidates = operations.filter((op) => op.method === method && op.pattern.test(path));
  // A literal path (`/import/template`) wins over a parameter (`/{id}`).
  return candidates.sort(
    (a, b) => (a.key.match(/\{/g)?.length ?? 0) - (b.key.match(/\{/g)?.length ?? 0),
  )[0];
}

/**
 * Checks one answer against the document (fetched once through `fetchDocument`). Throws with what
 * diverged; records the operation and status as met.
 */
export async function checkContract(
  fetchDocument: () => Promise<Response>,
  method: string,
  url: string,
  response: Response,
): Promise<void> {
  const path = new URL(url).pathname;
  if (path === "/openapi.json" || path === "/docs") return;
  contract ??= fetchDocument().then(async (r) =>
    compile((await r.json()) as Record<string, unknown>),
  );
  const { operations, components, validator } = await contract;
  const operation = operationOf(operations, method.toUpperCase(), path);
  if (!operation) return;
  const status = response.status;
  const statuses = seen.get(operation.key) ?? new Set<number>();
  statuses.add(status);
  seen.set(operation.key, statuses);
  const where = `${operation.key} answered ${status}`;
  let documented = operation.responses[String(status)];
  let pointer = `${operation.pointer}/${status}`;
  if (!documented) throw new Error(`contract: ${where}, which is not documented`);
  if (documented.$ref) {
    const name = documented.$ref.split("/").pop() ?? "";
    documented = components.responses?.[name] ?? {};
    pointer = `#/components/responses/${escapePointer(name)}`;
  }
  const content = documented.content ?? {};
  const mediaTypes = Object.keys(content);
  const received = (response.headers.get("Content-Type") ?? "").split(";")[0]?.trim() ?? "";
  if (mediaTypes.length === 0) {
    if (status !== 204 && (await response.clone().text()) !== "")
      throw new Error(`contract: ${where} with a body, but documents none`);
    return;
  }
  if (!mediaTypes.includes(received))
    throw new Error(`contract: ${where} as "${received}", documented: ${mediaTypes.join(", ")}`);
  if (received !== "application/json") return;
  const body = await response.clone().json();
  const result = validator(`${pointer}/content/application~1json/schema`).validate(body);
  if (!result.valid) {
    const problems = result.errors
      .slice(0, 5)
      .map((e) => `${e.instanceLocation}: ${e.error}`)
      .join("; ");
    throw new Error(`contract: ${where} with a body that does not match its schema: ${problems}`);
  }
}

/** Every documented operation (for the coverage report). */
export async function documentedOperations(): Promise<string[]> {
  return contract ? (await contract).operations.map((op) => op.key) : [];
}
