/**
 * The low-conversion alarm (server/owners/conversion-alarms.ts) through the scheduler on a real database:
 * verifications to GB numbers that are mostly never approved raise one `conversion.low` (outbox and bus)
 * and one text per owner; the next checks text nothing; the conversion coming back writes
 * `conversion.recovered` and re-arms it. Two textgate instances on one database checking at once text
 * once, and a node that died holding the owners' text leaves it to the next check after its lease.
 * PostgreSQL runs skip locally without a server and fail with CI=true (helpers/databases.ts).
 */
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../server/logger.ts";
import { NOTIFY_LEASE_MS } from "../../server/owners/conversion-alarms.ts";
import { createTextgate, type Textgate } from "../../server/textgate.ts";
import { providersUnderTest } from "../helpers/databases.ts";
import { startTestRuntime, type TestRuntime } from "../helpers/runtime.ts";

const providers = await providersUnderTest();
const OWNER = "+12125550199";
const ENV = { OWNER_PHONES: OWNER, CONVERSION_ALARM_THRESHOLD: "0.5", CONVERSION_ALARM_MIN_STARTED: "10", CONVERSION_ALARM_CHECK_SECONDS: "60" };

let nextNumber = 100;
/** Starts `started` verifications to GB mobiles and approves `approved` of them; also 20 approved US ones, so the carrier's conversion stays high. */
async function seed(t: TestRuntime, started: number, approved: number): Promise<void> {
  for (let i = 0; i < started; i++) {
    const { verification: { id } } = await t.runtime.engine.create({ to: `+4474001${String(nextNumber++).padStart(5, "0")}` });
    if (i < approved) await t.runtime.engine.approve(id);
  }
  for (let i = 0; i < 20; i++) {
    const { verification: { id } } = await t.runtime.engine.create({ to: `+1212555${String(nextNumber++).padStart(4, "0")}` });
    await t.runtime.engine.approve(id);
  }
}

async function outbox(t: TestRuntime): Promise<{ type: string; data: Record<string, unknown> }[]> {
  const rows = await t.runtime.sql.all<{ type: string; data: string }>(`SELECT type, data FROM events WHERE type LIKE 'conversion.%' ORDER BY seq`);
  return rows.map((r) => ({ type: r.type, data: JSON.parse(r.data) as Record<string, unknown> }));
}

describe.each(providers)("low-conversion alarm on %s", (provider) => {
  let t: TestRuntime;
  let other: Textgate | undefined;
  afterEach(async () => {
    await other?.close();
    other = undefined;
    await t?.stop();
  });

  it("texts the owners once and emits one event, nothing on the next runs, and re-arms after recovery", async () => {
    t = await startTestRuntime(provider, ENV);
    const published: string[] = [];
    t.runtime.events.subscribe("*", (e) => void (e.type.startsWith("conversion.") && published.push(`${e.type} ${(e.data as { key: string }).key}`)));
    await seed(t, 10, 2);
    await t.runtime.scheduler.tick();
    const texts = await t.sent(OWNER);
    expect(texts).toEqual([{ channel: "sms", body: expect.stringMatching(/^textgate: only 20% of codes to GB were approved in the last hour \(2 of 10\)/) }]);
    expect(await outbox(t)).toEqual([
      { type: "conversion.low", data: { scope: "country", key: "GB", started: 10, approved: 2, conversion: 0.2, threshold: 0.5, windowSeconds: 3600 } },
    ]);
    expect(published).toEqual(["conversion.low GB"]);

    // Still low a minute later, and after a restart (a fresh instance on the same database): nothing more.
    t.clock.advance(61);
    await t.runtime.scheduler.tick();
    other = await createTextgate(t.runtime.config, { clock: t.clock.now, startScheduler: false, logger: createLogger("silent"), defaultMetrics: false });
    await other.owners.conversionAlarms.check();
    expect(await t.sent(OWNER)).toHaveLength(1);
    expect((await outbox(t)).map((e) => e.type)).toEqual(["conversion.low"]);

    // An hour later the old verifications left the window; GB converts again: recovered.
    t.clock.advance(3600);
    await seed(t, 10, 9);
    t.clock.advance(61);
    await t.runtime.scheduler.tick();
    expect((await outbox(t)).map((e) => `${e.type} ${e.data.key}`)).toEqual(["conversion.low GB", "conversion.recovered GB"]);
    expect(published).toEqual(["conversion.low GB", "conversion.recovered GB"]);
    expect(await t.sent(OWNER)).toHaveLength(1);

    // And low again the hour after: raised and texted again.
    t.clock.advance(3600);
    await seed(t, 10, 1);
    t.clock.advance(61);
    await t.runtime.scheduler.tick();
    expect((await outbox(t)).map((e) => e.type)).toEqual(["conversion.low", "conversion.recovered", "conversion.low"]);
    expect(await t.sent(OWNER)).toHaveLength(2);
  });

  // Several nodes share PostgreSQL; SQLite is one node's (docs/architecture.md), so there two checks of one instance race.
  it("two instances on one database checking at once text once", async () => {
    t = await startTestRuntime(provider, ENV);
    if (provider === "postgresql") {
      other = await createTextgate(t.runtime.config, { clock: t.clock.now, startScheduler: false, logger: createLogger("silent"), defaultMetrics: false });
    }
    const second = other ?? t.runtime;
    await seed(t, 12, 0);
    await Promise.all([t.runtime.owners.conversionAlarms.check(), second.owners.conversionAlarms.check(), t.runtime.owners.conversionAlarms.check()]);
    expect(await t.sent(OWNER)).toHaveLength(1);
    expect((await outbox(t)).map((e) => e.type)).toEqual(["conversion.low"]);
  });

  it("a node killed holding the owners' text leaves it to the next check once its lease runs out", async () => {
    t = await startTestRuntime(provider, ENV);
    // What a node leaves when killed after raising (row and event committed together) and taking the text's lease.
    await t.runtime.sql.run(
      `INSERT INTO conversion_alarms (scope, "key", started, approved, raised_at, notify_lease_until, notify_token) VALUES ('country', 'GB', 10, 0, ?, ?, 'dead')`,
      [t.clock.now(), new Date(t.clock.now().getTime() + NOTIFY_LEASE_MS)],
    );
    await seed(t, 10, 0);
    await t.runtime.owners.conversionAlarms.check();
    expect(await t.sent(OWNER)).toEqual([]);
    t.clock.advance(NOTIFY_LEASE_MS / 1000 + 1);
    await t.runtime.owners.conversionAlarms.check();
    await t.runtime.owners.conversionAlarms.check();
    expect(await t.sent(OWNER)).toHaveLength(1);
    expect(await outbox(t)).toEqual([]);
  });
});
