/**
 * `npm run bench:records [-- --postgres] [--region=210000] [--year=2025]`: the bulk outcome
 * records of a region-year through `wrangler dev` on the demo data: the one-request export
 * (NDJSON and CSV) and the cursor walk (pages of 500), each with its time, bytes, requests and
 * the database sessions and round trips it cost, next to one tally of the same region-year (the
 * ratio is what to compare between machines). Recomputes the tally's totals from the export and
 * prints whether they agree. Never fails on time; exits non-zero when the figures disagree.
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { freePort } from "../scripts/lib/database";
import { startStack } from "../scripts/lib/stack";

const { values } = parseArgs({
  options: {
    postgres: { type: "boolean", default: false },
    region: { type: "string", default: "210000" },
    year: { type: "string", default: "2025" },
  },
});

interface Record {
  record: string;
  status: string;
  month: string;
  communityId: string;
  leadSocialWorkerId: string;
  personTimes: { [group: string]: number };
  volunteersAttended: number;
  volunteerHours: number;
  volunteers: string[];
  adjustments: {
    month: string;
    personTimes: { [group: string]: number };
    volunteersAttendedDelta: number;
    volunteerHoursDelta: number;
  }[];
}

const stack = await startStack({
  port: await freePort(),
  database: values.postgres ? "postgres" : "pglite",
  quiet: true,
});
try {
  const auth = { Authorization: `Bearer ${stack.tokens.admin}` };
  const timed = async (path: string) => {
    const before = stack.relayStats();
    const started = performance.now();
    const response = await fetch(`${stack.url}${path}`, { headers: auth });
    const body = await response.text();
    const ms = performance.now() - started;
    const after = stack.relayStats();
    if (!response.ok) throw new Error(`${path}: ${response.status} ${body.slice(0, 300)}`);
    return {
      body,
      ms,
      bytes: Buffer.byteLength(body),
      sessions: after.connections - before.connections,
      roundTrips: after.roundTrips - before.roundTrips,
    };
  };
  const { region, year } = values;
  const period = `region=${region}&from=${year}-01&to=${year}-12`;
  // Warm-up: the first request builds the isolate and its connection.
  await timed(`/api/v1/tallies?${period}`);

  const tally = await timed(`/api/v1/tallies?${period}`);
  const ndjson = await timed(`/api/v1/outcomes/export?region=${region}&year=${year}`);
  const csv = await timed(`/api/v1/outcomes/export?region=${region}&year=${year}&format=csv`);
  let walk = { ms: 0, bytes: 0, requests: 0, sessions: 0, roundTrips: 0, records: 0 };
  let cursor: string | null = null;
  do {
    const page = await timed(
      `/api/v1/outcomes?${period}&limit=500${cursor ? `&cursor=${cursor}` : ""}`,
    );
    const body = JSON.parse(page.body) as { data: unknown[]; page: { nextCursor: string | null } };
    walk = {
      ms: walk.ms + page.ms,
      bytes: walk.bytes + page.bytes,
      requests: walk.requests + 1,
      sessions: walk.sessions + page.sessions,
      roundTrips: walk.roundTrips + page.roundTrips,
      records: walk.records + body.data.length,
    };
    cursor = body.page.nextCursor;
  } while (cursor);

  const lines = ndjson.body
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as Record);
  const records = lines.filter((line) => line.record === "outcome");
  const inYear = (month: string) => month.startsWith(`${year}-`);
  const held = records.filter((r) => r.status === "signed_off" && inYear(r.month));
  const adjustments = records.flatMap((r) => r.adjustments.filter((a) => inYear(a.month)));
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const groups = (g: { [group: string]: number }) => sum(Object.values(g));
  const recomputed = {
    events: held.length,
    personTimes:
      sum(held.map((r) => groups(r.personTimes))) +
      sum(adjustments.map((a) => groups(a.personTimes))),
    uniqueVolunteers: new Set(held.flatMap((r) => r.volunteers)).size,
    volunteerHours:
      sum(held.map((r) => r.volunteerHours)) + sum(adjustments.map((a) => a.volunteerHoursDelta)),
    activeSocialWorkers: new Set(held.map((r) => r.leadSocialWorkerId)).size,
    communitiesReached: new Set(held.map((r) => r.communityId)).size,
  };
  const totals = (JSON.parse(tally.body) as { totals: typeof recomputed }).totals;
  const published = Object.fromEntries(
    Object.keys(recomputed).map((key) => [key, totals[key as keyof typeof recomputed]]),
  );
  const agree = JSON.stringify(published) === JSON.stringify(recomputed);

  const row = (
    name: string,
    r: { ms: number; bytes: number; sessions: number; roundTrips: number },
    requests = 1,
  ) =>
    `${name.padEnd(22)} ${r.ms.toFixed(0).padStart(7)} ms  ${(r.bytes / 1024).toFixed(0).padStart(6)} KiB  ${String(requests).padStart(3)} req  ${String(r.sessions).padStart(3)} sessions  ${String(r.roundTrips).padStart(4)} round trips  ${(r.ms / tally.ms).toFixed(1).padStart(6)}× a tally`;
  console.log(
    `bulk records of ${region} in ${year} (${values.postgres ? "PostgreSQL + PgBouncer" : "PGlite"}; load ${loadavg()[0]?.toFixed(1)}): ${records.length} outcome records, ${sum(records.map((r) => r.adjustments.length))} adjustments`,
  );
  console.log(row("one tally", tally));
  console.log(row("export, NDJSON", ndjson));
  console.log(row("export, CSV", csv));
  console.log(row("cursor walk (500/page)", walk, walk.requests));
  console.log(`recomputed from the export: ${JSON.stringify(recomputed)}`);
  console.log(`the tally says:             ${JSON.stringify(published)}`);
  console.log(agree ? "AGREE" : "DISAGREE");
  if (!agree || walk.records !== records.length) process.exitCode = 1;
} finally {
  await stack.stop();
}
