/**
 * The model-based test (issue 11, item 4): random sequences of every state change — sign-ups and
 * cancellations, places and closing times, moves and cancellations, the lead's answer, needs
 * booked and withdrawn, check-in, outcomes and sign-off, closed and reopened months, the Cron job
 * and delivery — each issued through a randomly chosen entry point (JSON API, page form, service
 * call) by an actor allowed to issue it (now and then one who is not), against a small in-memory
 * model of what should be true (test/worker/model/). After every step the world is read back from
 * the database and every invariant checked (model/invariants.ts); at the end of each run the
 * calendar feeds, and at the end of the file the real `tally_rebuild()`.
 *
 * Isolation from the other test files, which share the database: each run has its own community
 * (in 沈阳 counties no other file uses), social workers and teams, and its clock lies in 2023–2025
 * (sent as X-Test-Now), before the real clock and where no other file has events, so the Cron
 * job's reminders and its housekeeping reach only this file's rows. The Cron job runs without
 * retention (see model/commands/time.ts). Delivery sends whatever is pending in any world, so
 * notification statuses are never part of "nothing changed".
 *
 * A failure prints the seed and the path; set REPLAY to them to run that case again.
 */
import { env } from "cloudflare:test";
import fc from "fast-check";
import { beforeAll, describe, it } from "vitest";
import { commandArbitraries, type WorldSpec, worldSpec } from "./model/arbitraries";
import { commandCounts, type Real, verify } from "./model/commands/base";
import { BookNeed, postNeed } from "./model/commands/needs";
import { checkAgainstTallyRebuild, checkFeeds } from "./model/final";
import { emptyModel, HOUR, type Model } from "./model/state";
import { makeShared, makeWorld, type Shared } from "./model/world";

/** Set to a failure's `{ seed, path }` to replay it. */
const REPLAY: { seed: number; path: string } | undefined = undefined;

/** Sequences per run of the suite: a modest number on PGlite, more on real PostgreSQL. */
const RUNS = env.TEST_DATABASE_KIND === "postgres" ? 80 : 50;
/** Commands per sequence: 0 to this many, evenly (about 15 on average). */
const MAX_COMMANDS = 30;
/** A world lasts four days; its needs accept starts in the first three. */
const WORLD_HOURS = 96;
const WINDOW_HOURS = 72;
/** A failure shrinks at most this many times (each attempt builds a world: a second or two). */
const SHRINKS = 60;

let shared: Shared;
const communities: string[] = [];

beforeAll(async () => {
  shared = await makeShared();
});

/** Builds a run's world: its needs posted, those the spec books booked (all checked). */
async function setUp(spec: WorldSpec): Promise<{ model: Model; real: Real }> {
  const t0 = Date.UTC(2023, 0, 1) + spec.day * 24 * HOUR + spec.hour * HOUR;
  const model = emptyModel(t0, t0 + WORLD_HOURS * HOUR);
  const mobiles = spec.mobiles.map((n) => `136${String(n).padStart(8, "0")}`);
  const real: Real = await makeWorld(shared, { ...spec, mobiles, now: t0 });
  communities.push(real.community.id);
  for (const need of spec.needs)
    await postNeed(model, real, { ...need, windowHours: WINDOW_HOURS });
  await verify(model, real, "setup: needs posted", { refused: false });
  for (const [i, need] of spec.needs.entries()) {
    if (!need.book) continue;
    const { worker, team, hoursAhead, capacity } = need.book;
    const book = new BookNeed(
      { at: i, aim: false },
      worker,
      team,
      hoursAhead * 60,
      capacity,
      "api",
    );
    await book.run(model, real);
  }
  return { model, real };
}

describe("every entry point, interleaved", () => {
  it(
    "keeps every invariant after every step of random sequences",
    async () => {
      const runs = fc.limitShrink(
        fc.tuple(
          worldSpec,
          // Unbiased: sequences of every length up to the maximum, not mostly short ones.
          fc.noBias(fc.commands(commandArbitraries, { maxCommands: MAX_COMMANDS, size: "max" })),
        ),
        SHRINKS,
      );
      const property = fc.asyncProperty(runs, async ([spec, commands]) => {
        let world: { model: Model; real: Real } | undefined;
        try {
          await fc.asyncModelRun(async () => {
            world = await setUp(spec);
            return world;
          }, commands);
          if (world) await checkFeeds(world.model, world.real);
        } finally {
          await world?.real.close();
        }
      });
      await fc.assert(property, { numRuns: RUNS, ...(REPLAY ?? {}) });
      await checkAgainstTallyRebuild(communities);
      // What the runs did, so a reader of the log can see the model was not idle.
      const kinds = [...commandCounts]
        .map(([kind, n]) => `${kind} ${n.accepted}/${n.refused}`)
        .sort();
      console.log(`model: ${RUNS} runs; accepted/refused by command: ${kinds.join(", ")}`);
    },
    30 * 60_000,
  );
});
