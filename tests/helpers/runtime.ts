/** An in-process runtime on a fresh database with a fake clock, for engine tests. */
import { CarrierRegistry } from "../../server/carriers/registry.ts";
import type { Carrier } from "../../server/carriers/types.ts";
import { loadConfig } from "../../server/env.ts";
import { createLogger } from "../../server/logger.ts";
import { type Textgate, createTextgate } from "../../server/textgate.ts";
import { LEASE_MS } from "../../server/verification/delivery.ts";
import { VerificationEngine } from "../../server/verification/engine.ts";
import type { DeliveryRecord } from "../../server/verification/repository.ts";
import { UNLIMITED_BUDGET } from "../../server/verification/send-budget.ts";
import { createSendLimiter } from "../../server/verification/send-limits.ts";
import type { Channel } from "../../server/verification/types.ts";
import { createTestDatabase, type TestDatabase } from "./databases.ts";

export class FakeClock {
  constructor(public current = new Date("2026-11-22T10:00:00.000Z")) {}
  now = (): Date => new Date(this.current.getTime());
  advance(seconds: number): void {
    this.current = new Date(this.current.getTime() + seconds * 1000);
  }
}

export interface TestRuntime {
  runtime: Textgate;
  clock: FakeClock;
  database: TestDatabase;
  /** Texts and calls the sandbox holds for a number, oldest first. */
  sent(to: string): Promise<{ channel: string; body: string }[]>;
  /** The code in the newest message to a number. */
  lastCode(to: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startTestRuntime(provider: "sqlite" | "postgresql", env: Record<string, string> = {}): Promise<TestRuntime> {
  const database = await createTestDatabase(provider);
  const clock = new FakeClock();
  const config = loadConfig({
    NODE_ENV: "test",
    DATABASE_URL: database.url,
    TEXTGATE_SECRET: "test-secret-test-secret-test-secret-0123",
    SEND_LIMIT_PER_NUMBER: "1000",
    RESEND_COOLDOWN_SECONDS: "0",
    LOG_LEVEL: "silent",
    ...env,
  });
  const runtime = await createTextgate(config, { clock: clock.now, startScheduler: false, logger: createLogger("silent"), defaultMetrics: false });
  const sent = async (to: string) =>
    (await runtime.sandbox!.listMessages(to, { limit: 200 })).reverse().map((m) => ({ channel: m.channel, body: m.body }));
  return {
    runtime,
    clock,
    database,
    sent,
    async lastCode(to) {
      const messages = await sent(to);
      const body = messages.at(-1)?.body ?? "";
      const match = /([0-9A-Z](?:, )?){4,20}(?=\.|$)/.exec(body.replace(/ Once again.*$/, ""));
      if (!match) throw new Error(`no code in "${body}"`);
      return match[0].replaceAll(", ", "");
    },
    async stop() {
      await runtime.close();
      await database.drop();
    },
  };
}

/**
 * An engine on a test runtime's database, events and clock that sends only through `carriers`: for each
 * channel, those listed in `preference` (default: all of them, in order).
 */
export function engineWithCarriers(t: TestRuntime, carriers: Carrier[], preference?: Record<Channel, readonly string[]>): VerificationEngine {
  const ids = carriers.map((c) => c.id);
  return new VerificationEngine({
    sql: t.runtime.sql,
    carriers: new CarrierRegistry(carriers, preference ?? { sms: ids, voice: ids }),
    events: t.runtime.events,
    logger: createLogger("silent"),
    clock: t.clock.now,
    secret: "another-secret-another-secret-0123456789",
    sendLimiter: createSendLimiter({ points: 100, windowSeconds: 60 }),
    budget: UNLIMITED_BUDGET,
    defaults: {
      brand: "x",
      locale: "en",
      codeLength: 6,
      validForSeconds: 600,
      maxAttempts: 5,
      pendingPolicy: "replace",
      resendCooldownSeconds: 0,
      allowedCountries: [],
      blockedLineTypes: [],
    },
  });
}

/**
 * What a process leaves behind that claimed the due steps at `now` and died: with `handedOver`, after it
 * had handed each to a carrier (the carrier may or may not have it), else before any carrier call.
 * Their leases run out LEASE_MS later.
 */
export async function claimAndDie(engine: VerificationEngine, now: Date, options: { handedOver: boolean }): Promise<DeliveryRecord[]> {
  const leaseUntil = new Date(now.getTime() + LEASE_MS);
  const claimed = await engine.repo.claimDue(now, leaseUntil, 50, "token-of-a-dead-process");
  if (options.handedOver) {
    for (const d of claimed) {
      if (!(await engine.repo.handOver(d, now, leaseUntil))) throw new Error(`could not hand over ${d.id}`);
    }
  }
  return claimed;
}
