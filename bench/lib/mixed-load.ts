/**
 * A closed-loop load generator for a weighted mix of requests in classes (public pages, sign-ups,
 * staff reads): `connections` workers each draw the next request from the mix, wait for the whole
 * response, and draw again until the time is up. Latencies are kept per class and per kind of
 * request; every sign-up's answer is kept too (id, status, waitlist place, code), so the caller
 * can check the database against what the clients were told. Loopback targets only; runs in a
 * worker thread so the client does not share an event loop with the database relay.
 */
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { mulberry32 } from "../../scripts/seed/random";
import { percentile } from "./load";

export const requestClasses = ["page", "signup", "staff"] as const;
export type RequestClass = (typeof requestClasses)[number];

/** A fixed request of the mix, drawn with probability proportional to `weight`. */
export interface MixTemplate {
  cls: Exclude<RequestClass, "signup">;
  /** A short label for the per-kind figures, e.g. "GET /events?city". */
  kind: string;
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  weight: number;
}

/** Sign-ups: each draws an event by weight and the next unused mobile number. */
export interface SignupMix {
  /** Weight of sign-ups in the whole mix (same scale as the templates' weights). */
  weight: number;
  /** Share of sign-ups sent through the HTML form (the rest through the JSON API). */
  formShare: number;
  /** `form: false` keeps an event to the JSON API (whose answers tell the waitlist place). */
  events: { eventId: string; weight: number; form?: boolean }[];
  /** Index of the first mobile number of this run; the n-th sign-up uses mobileStart + n. */
  mobileStart: number;
}

export interface MixOptions {
  baseUrl: string;
  templates: MixTemplate[];
  signups: SignupMix;
  connections: number;
  durationMs: number;
  /** Seed of the draws, so runs are comparable. */
  seed: number;
}

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** What a sign-up request was answered (HTTP status 0: it threw). */
export interface SignupOutcome {
  eventId: string;
  via: "api" | "form";
  mobileIndex: number;
  httpStatus: number;
  /** True when the answer says a new sign-up was stored (API 201; form: 303 to its private page). */
  created: boolean;
  /** The answer says this number was already signed up (API 200 existing, form page 200). */
  existing: boolean;
  signupId?: string;
  signupStatus?: string;
  waitlistPosition?: number | null;
  /** The form's private link token, read from the 303's Location (the page shows the code). */
  manageToken?: string;
}

export interface ErrorSample {
  kind: string;
  status: number | "error";
  detail: string;
}

export interface ClassResult extends LatencySummary {
  /** Responses per HTTP status, `error` for requests that threw. */
  statuses: Record<string, number>;
  errors: number;
}

export interface MixResult {
  connections: number;
  durationMs: number;
  elapsedMs: number;
  requests: number;
  rps: number;
  errors: number;
  statuses: Record<string, number>;
  overall: LatencySummary;
  classes: Record<RequestClass, ClassResult>;
  kinds: Record<string, ClassResult & { cls: RequestClass }>;
  signups: SignupOutcome[];
  /** Mobile numbers used: the next run starts at mobileStart + mobilesUsed. */
  mobilesUsed: number;
  errorSamples: ErrorSample[];
}

const MAX_DURATION_MS = 60_000;
const REQUEST_TIMEOUT_MS = 10_000;
const MAX_ERROR_SAMPLES = 20;

/** Mobile number n: 13 followed by nine digits (a valid mainland number, never a real pattern). */
export function benchMobile(index: number): string {
  return `13${String(index).padStart(9, "0")}`;
}

/** A distinct client address per sign-up, so per-client limits never group them. */
function clientAddress(index: number): string {
  return `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
}

function summarise(values: number[]): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  const round = (ms: number) => Math.round(ms * 100) / 100;
  const sum = values.reduce((total, value) => total + value, 0);
  return {
    count: values.length,
    mean: round(values.length ? sum / values.length : Number.NaN),
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
  };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: string; message?: string } | undefined;
  const detail = cause?.code ?? cause?.message;
  return `${error.name}: ${error.message}${detail ? ` (${detail})` : ""}`;
}

function checkOptions(options: MixOptions): void {
  for (const url of [options.baseUrl, ...options.templates.map((t) => t.url)]) {
    const { hostname } = new URL(url);
    if (hostname !== "127.0.0.1") throw new Error(`load targets 127.0.0.1 only, not ${hostname}`);
  }
  if (!(options.connections >= 1 && options.connections <= 256))
    throw new Error("connections must be between 1 and 256");
  if (!(options.durationMs > 0 && options.durationMs <= MAX_DURATION_MS))
    throw new Error(`durationMs must be between 1 and ${MAX_DURATION_MS}`);
  if (options.signups.weight > 0 && options.signups.events.length === 0)
    throw new Error("sign-ups need at least one event");
}

interface Drawn {
  cls: RequestClass;
  kind: string;
  url: string;
  init: RequestInit;
  signup?: { eventId: string; via: "api" | "form"; mobileIndex: number };
}

/** Draws requests from the mix with a seeded generator. */
function drawer(options: MixOptions) {
  const random = mulberry32(options.seed);
  const { templates, signups, baseUrl } = options;
  const total = templates.reduce((sum, t) => sum + t.weight, 0) + signups.weight;
  const eventTotal = signups.events.reduce((sum, e) => sum + e.weight, 0);
  let mobilesUsed = 0;

  const pickEvent = () => {
    let roll = random() * eventTotal;
    for (const event of signups.events) {
      roll -= event.weight;
      if (roll < 0) return event;
    }
    const last = signups.events[signups.events.length - 1];
    if (!last) throw new Error("no sign-up event");
    return last;
  };

  const signUp = (): Drawn => {
    const event = pickEvent();
    const eventId = event.eventId;
    const mobileIndex = signups.mobileStart + mobilesUsed++;
    const mobile = benchMobile(mobileIndex);
    const name = `负载志愿者${mobileIndex % 1000}`;
    const ip = clientAddress(mobileIndex);
    if (random() < signups.formShare && event.form !== false) {
      return {
        cls: "signup",
        kind: "POST /events/:id/signup (form)",
        url: `${baseUrl}/events/${eventId}/signup`,
        init: {
          method: "POST",
          headers: {
            "Content-Type": "application/x-www-form-urlencoded",
            Origin: baseUrl,
            "CF-Connecting-IP": ip,
          },
          body: new URLSearchParams({ name, mobile, consent: "yes" }).toString(),
        },
        signup: { eventId, via: "form", mobileIndex },
      };
    }
    return {
      cls: "signup",
      kind: "POST /api/v1/events/:id/signups",
      url: `${baseUrl}/api/v1/events/${eventId}/signups`,
      init: {
        method: "POST",
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip },
        body: JSON.stringify({ name, mobile, consent: true }),
      },
      signup: { eventId, via: "api", mobileIndex },
    };
  };

  return {
    next(): Drawn {
      let roll = random() * total;
      for (const template of templates) {
        roll -= template.weight;
        if (roll < 0)
          return {
            cls: template.cls,
            kind: template.kind,
            url: template.url,
            init: {
              method: template.method ?? "GET",
              headers: template.headers,
              body: template.body,
            },
          };
      }
      return signUp();
    },
    mobilesUsed: () => mobilesUsed,
  };
}

/** The private page a new form sign-up is sent to (POST → 303 → GET, /signups/<token>?new=1). */
const PRIVATE_PAGE = /\/signups\/([^/?#]+)/;

function readSignup(
  drawn: NonNullable<Drawn["signup"]>,
  status: number,
  text: string,
  location: string | null,
): SignupOutcome {
  const outcome: SignupOutcome = { ...drawn, httpStatus: status, created: false, existing: false };
  if (drawn.via === "api") {
    if (status !== 200 && status !== 201) return outcome;
    const body = JSON.parse(text) as {
      existing: boolean;
      signup: { id?: string; status: string; waitlistPosition: number | null };
    };
    outcome.existing = body.existing;
    outcome.created = status === 201 && !body.existing;
    outcome.signupId = body.signup.id;
    outcome.signupStatus = body.signup.status;
    outcome.waitlistPosition = body.signup.waitlistPosition;
    return outcome;
  }
  if (status === 303) {
    const token = PRIVATE_PAGE.exec(location ?? "")?.[1];
    outcome.created = token !== undefined;
    if (token) outcome.manageToken = decodeURIComponent(token);
  } else outcome.existing = status === 200;
  return outcome;
}

/** Runs the mix in this thread. */
export async function runMix(options: MixOptions): Promise<MixResult> {
  checkOptions(options);
  const draw = drawer(options);
  const latencies: number[] = [];
  const byClass = new Map<RequestClass, number[]>(requestClasses.map((c) => [c, []]));
  const byKind = new Map<string, { cls: RequestClass; latencies: number[] }>();
  const statuses = new Map<string, Record<string, number>>();
  const count = (key: string, status: string) => {
    const table = statuses.get(key) ?? {};
    table[status] = (table[status] ?? 0) + 1;
    statuses.set(key, table);
  };
  const signups: SignupOutcome[] = [];
  const errorSamples: ErrorSample[] = [];
  let requests = 0;

  const started = performance.now();
  const deadline = started + options.durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const drawn = draw.next();
      requests++;
      const kind = byKind.get(drawn.kind) ?? { cls: drawn.cls, latencies: [] };
      byKind.set(drawn.kind, kind);
      const begin = performance.now();
      try {
        const response = await fetch(drawn.url, {
          ...drawn.init,
          redirect: "manual",
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const text = await response.text();
        const ms = performance.now() - begin;
        latencies.push(ms);
        byClass.get(drawn.cls)?.push(ms);
        kind.latencies.push(ms);
        const status = String(response.status);
        for (const key of ["all", drawn.cls, `kind:${drawn.kind}`]) count(key, status);
        if (response.status >= 400 && errorSamples.length < MAX_ERROR_SAMPLES)
          errorSamples.push({
            kind: drawn.kind,
            status: response.status,
            detail: text.slice(0, 300),
          });
        if (drawn.signup)
          signups.push(
            readSignup(drawn.signup, response.status, text, response.headers.get("Location")),
          );
      } catch (error) {
        for (const key of ["all", drawn.cls, `kind:${drawn.kind}`]) count(key, "error");
        if (errorSamples.length < MAX_ERROR_SAMPLES)
          errorSamples.push({ kind: drawn.kind, status: "error", detail: describe(error) });
        if (drawn.signup)
          signups.push({ ...drawn.signup, httpStatus: 0, created: false, existing: false });
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  const elapsedMs = performance.now() - started;

  const errorsIn = (table: Record<string, number> = {}) =>
    Object.entries(table).reduce(
      (sum, [status, n]) => (status === "error" || Number(status) >= 400 ? sum + n : sum),
      0,
    );
  const classResult = (key: string, values: number[]): ClassResult => ({
    ...summarise(values),
    statuses: statuses.get(key) ?? {},
    errors: errorsIn(statuses.get(key)),
  });
  return {
    connections: options.connections,
    durationMs: options.durationMs,
    elapsedMs: Math.round(elapsedMs),
    requests,
    rps: Math.round((requests / (elapsedMs / 1000)) * 10) / 10,
    errors: errorsIn(statuses.get("all")),
    statuses: statuses.get("all") ?? {},
    overall: summarise(latencies),
    classes: Object.fromEntries(
      requestClasses.map((cls) => [cls, classResult(cls, byClass.get(cls) ?? [])]),
    ) as Record<RequestClass, ClassResult>,
    kinds: Object.fromEntries(
      [...byKind].map(([name, kind]) => [
        name,
        { cls: kind.cls, ...classResult(`kind:${name}`, kind.latencies) },
      ]),
    ),
    signups,
    mobilesUsed: draw.mobilesUsed(),
    errorSamples,
  };
}

/** Runs the mix in a worker thread (see the module comment). */
export function runMixInThread(options: MixOptions): Promise<MixResult> {
  checkOptions(options);
  return new Promise((resolve, reject) => {
    const thread = new Worker(new URL(import.meta.url), { workerData: { mix: options } });
    thread.once("message", resolve);
    thread.once("error", reject);
    thread.once("exit", (code) => {
      if (code !== 0) reject(new Error(`load thread exited with code ${code}`));
    });
  });
}

if (!isMainThread && workerData?.mix) {
  parentPort?.postMessage(await runMix(workerData.mix as MixOptions));
}
