import { SELF } from "cloudflare:test";
import { afterAll } from "vitest";
import { checkContract, documentedOperations, seen } from "./contract";

declare module "vitest" {
  interface TaskMeta {
    contract?: { seen: Record<string, number[]>; documented: string[] };
  }
}

/*
 * Every answer the Worker tests receive goes through `fetchWorker` and is checked against
 * /openapi.json (test/worker/contract.ts); what each file met is handed to the contract reporter
 * (test/contract/reporter.ts) when the file is done.
 */
const fetchDocument = () => SELF.fetch("http://shuangyi.test/openapi.json");

/** SELF.fetch, with the answer checked against the API's contract. */
export async function fetchWorker(input: RequestInfo | URL, init?: RequestInit) {
  const method = init?.method ?? (input instanceof Request ? input.method : "GET");
  const url = input instanceof Request ? input.url : String(input);
  const response = await SELF.fetch(input, init);
  await checkContract(fetchDocument, method, url, response);
  return response;
}

// biome-ignore lint/correctness/noEmptyPattern: vitest passes fixtures first and needs a pattern.
afterAll(async ({}, suite) => {
  suite.meta.contract = {
    seen: Object.fromEntries([...seen].map(([key, statuses]) => [key, [...statuses]])),
    documented: await documentedOperations(),
  };
});
