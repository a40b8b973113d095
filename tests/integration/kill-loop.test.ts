/**
 * The kill loop (issue 10, item 1): real server processes, one per carrier adapter, each sending through
 * the stateful fake of its carrier's API (server/carriers/fakes), are killed with SIGKILL at random
 * moments while short workflows run, including two and three steps on the same channel, and restarted
 * on the same database, on SQLite and on PostgreSQL. The fakes hold each answer back a little, so kills
 * land between "the carrier accepted" and "the database recorded it", and between a claim and its
 * hand-over. Afterwards every step must have gone out exactly once: for each number and channel the fake
 * holds as many sends as the verification has steps, and each step is recorded with a send of its own.
 * KILL_LOOP_KILLS (default 2) sets the kills per adapter and database, KILL_LOOP_PARALLEL (default 2) how
 * many adapters' servers run at once (each restart costs seconds of CPU); the figures are printed.
 * @see issue 10
 */
import { afterEach, expect, it } from "vitest";
import { type FakeCarrier, startFakeCarrier } from "../../server/carriers/fake-server.ts";
import type { StatefulFake } from "../../server/carriers/fakes/stateful.ts";
import { eachConcurrently } from "../../server/verification/send-pacer.ts";
import type { Channel } from "../../server/verification/types.ts";
import { CARRIERS } from "../helpers/carrier-fakes.ts";
import { withDb } from "../helpers/direct-db.ts";
import { uniquePhone } from "../helpers/phones.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { databaseVariants, describeEachDatabase } from "../helpers/services.ts";

const variants = await databaseVariants();

const KILLS = Number(process.env.KILL_LOOP_KILLS ?? 2);
const PARALLEL = Number(process.env.KILL_LOOP_PARALLEL ?? 2);
/** Kills land this long (at random) after a round's first create was answered: mid-create to after the last step. */
const KILL_WITHIN_MS = 1500;
/** Carrier answers to sends are held back up to this long (at random). */
const ANSWER_WITHIN_MS = 80;
const SETTLE_TIMEOUT_MS = 60_000;

type Step = { channel: Channel; afterSeconds: number };
const sms = (afterSeconds: number): Step => ({ channel: "sms", afterSeconds });
const call = (afterSeconds: number): Step => ({ channel: "voice", afterSeconds });

/** Each round starts two of each: the three workflows where there is voice; steps 1 and 2 due together. */
const WORKFLOWS: Record<"voice" | "smsOnly", Step[][]> = {
  voice: [
    [sms(0), call(1), call(0)],
    [sms(0), sms(1), call(0)],
    [call(0), call(1)],
  ],
  smsOnly: [
    [sms(0), sms(1), sms(0)],
    [sms(0), sms(1)],
  ],
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const random = (max: number) => Math.floor(Math.random() * max);

interface Figures {
  carrier: string;
  kills: number;
  steps: number;
  lost: number;
  doubled: number;
  stuck: number;
  /** Steps claimed more than once: taken over after a kill (or retried), so the recovery paths did run. */
  reclaimed: number;
  /** Steps recorded as sent with a carrier id the fake does not hold for that number and channel, or that another step also holds. */
  misattributed: number;
  problems: string[];
}

/** Counts, per number and channel, the steps in the database against the sends the fake holds. */
async function tally(server: TestServer, fake: StatefulFake, carrier: string, kills: number): Promise<Figures> {
  const rows = await withDb(server, (db) =>
    db.all(`SELECT d.id, d.channel, d.status, d.carrier_message_id, d.tries, v."to" FROM deliveries d JOIN verifications v ON v.id = d.verification_id`),
  );
  const key = (to: string, channel: string) => `${to} ${channel}`;
  const steps = new Map<string, number>();
  for (const r of rows) steps.set(key(r.to as string, r.channel as string), (steps.get(key(r.to as string, r.channel as string)) ?? 0) + 1);
  const sends = new Map<string, Set<string>>();
  for (const s of fake.sends) sends.set(key(s.to, s.channel), (sends.get(key(s.to, s.channel)) ?? new Set()).add(s.id));
  let lost = 0;
  let doubled = 0;
  for (const k of new Set([...steps.keys(), ...sends.keys()])) {
    const expected = steps.get(k) ?? 0;
    const actual = sends.get(k)?.size ?? 0;
    lost += Math.max(expected - actual, 0);
    doubled += Math.max(actual - expected, 0);
  }
  const used = new Set<string>();
  let misattributed = 0;
  for (const r of rows) {
    const id = r.carrier_message_id as string | null;
    if (!["sent", "delivered"].includes(r.status as string)) continue;
    if (!id || used.has(id) || !sends.get(key(r.to as string, r.channel as string))?.has(id)) misattributed++;
    if (id) used.add(id);
  }
  const stuck = rows.filter((r) => r.status === "scheduled" || r.status === "sending").length;
  const reclaimed = rows.filter((r) => Number(r.tries) > 1).length;
  return { carrier, kills, steps: rows.length, lost, doubled, stuck, reclaimed, misattributed, problems: fake.problems };
}

async function waitUntilSettled(server: TestServer): Promise<void> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const [row] = await withDb(server, (db) => db.all(`SELECT COUNT(*) AS n FROM deliveries WHERE status IN ('scheduled', 'sending')`));
    if (Number(row?.n) === 0) return;
    await sleep(200);
  }
}

describeEachDatabase(variants, "kill loop through every carrier adapter", (database) => {
  const running: { server?: TestServer; http?: FakeCarrier }[] = [];
  afterEach(async () => {
    await Promise.allSettled(running.map(async (r) => (await r.server?.stop(), await r.http?.close())));
    running.length = 0;
  });

  /** One adapter's loop: start, then KILLS times request verifications, SIGKILL at a random moment, restart. */
  async function killLoop(id: string): Promise<Figures> {
    const c = CARRIERS[id] as (typeof CARRIERS)[string];
    const slot: { server?: TestServer; http?: FakeCarrier } = {};
    running.push(slot);
    const fake = c.fake(() => new Date());
    slot.http = await startFakeCarrier(fake.handle, { answerAfterMs: (r) => (r.method === "POST" ? random(ANSWER_WITHIN_MS) : 0) });
    const voice = c.channels.includes("voice");
    const server = await startServer({
      database,
      env: {
        SERVE_PAGES: "false",
        SCHEDULER_INTERVAL_MS: "50",
        SMS_CARRIERS: id,
        VOICE_CARRIERS: voice ? id : "sandbox",
        ...c.env(slot.http.url),
        [`${id.toUpperCase()}_TIMEOUT_MS`]: "5000",
      },
    });
    slot.server = server;
    const workflows = voice ? WORKFLOWS.voice : WORKFLOWS.smsOnly;
    for (let kill = 0; kill < KILLS; kill++) {
      const requests = [...workflows, ...workflows].map((workflow) =>
        server.request("POST", "/api/v1/verifications", { json: { to: uniquePhone(), workflow, validFor: 900 } }).catch(() => null),
      );
      // Timed from the first answer, so a slow machine still kills while this round's steps are going out.
      await Promise.race([...requests, sleep(10_000)]);
      await sleep(random(KILL_WITHIN_MS));
      await server.kill("SIGKILL");
      await Promise.allSettled(requests);
      // The leases of what it was sending would run out 30 s later; end them now instead of waiting.
      await withDb(server, (db) => db.run(`UPDATE deliveries SET lease_until = ? WHERE status = 'sending'`, [new Date(Date.now() - 1000).toISOString()]));
      await server.restart();
    }
    await waitUntilSettled(server);
    return tally(server, fake, id, KILLS);
  }

  it(`${KILLS} SIGKILLs per adapter: no step lost, none sent twice`, async () => {
    const figures: Figures[] = [];
    await eachConcurrently(Object.keys(CARRIERS), PARALLEL, async (id) => void figures.push(await killLoop(id)));
    console.log(`kill loop [${database}]\n${figures.map((f) => JSON.stringify(f)).join("\n")}`);
    for (const f of figures) {
      expect(f, f.carrier).toMatchObject({ kills: KILLS, lost: 0, doubled: 0, stuck: 0, misattributed: 0, problems: [] });
      expect(f.steps, `${f.carrier}: steps were sent`).toBeGreaterThan(0);
    }
  }, 120_000 + (KILLS * 60_000 * 5) / PARALLEL);
});
