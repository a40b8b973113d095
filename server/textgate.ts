/**
 * The composition root: `createTextgate(config)` builds textgate's domain once — database, events, audit
 * log, carriers, engine, scheduler, inbound path, events out — and the features on top of it (auth,
 * owners, API keys), each given its own section of the configuration (config-sections.ts). server.ts
 * builds one per process and publishes it to the route modules Next bundles through server/bridge.ts.
 */
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { AuditLog } from "./audit.ts";
import { buildCarriers } from "./carriers/index.ts";
import type { CarrierRegistry } from "./carriers/registry.ts";
import type { SandboxCarrier } from "./carriers/sandbox.ts";
import { createDb, type Db } from "./db/client.ts";
import { migrateIfNeeded, pendingMigrations } from "./db/migrations.ts";
import type { Config } from "./env.ts";
import { EventBus } from "./events/bus.ts";
import { InboundService } from "./inbound/receive.ts";
import { createLogger } from "./logger.ts";
import { sendNotice } from "./notifications.ts";
import { sendBudgetAlarms } from "./owners/send-budget-alarms.ts";
import { type ApiKeyAuthenticator, createApiKeyAuthenticator } from "./api-keys.ts";
import { type AuthFeature, createAuth } from "./auth/index.ts";
import { type ConfigSections, configSections } from "./config-sections.ts";
import { createOwners, newNodeId, type OwnersFeature } from "./owners/index.ts";
import { createInsights, createRefusalCounter, type Insights, observerWith } from "./owners/insights/index.ts";
import { openSql, type Sql } from "./store/sql.ts";
import type { Metrics } from "./telemetry/metrics.ts";
import { VerificationEngine } from "./verification/engine.ts";
import { guessingNotice } from "./verification/guess-limits.ts";
import { Scheduler } from "./verification/scheduler.ts";
import { createSendBudget, type SendBudget } from "./verification/send-budget.ts";
import { createSendLimiter } from "./verification/send-limits.ts";
import { logTestNumbers } from "./verification/test-numbers.ts";
import { startWebhooks, type Webhooks } from "./webhooks/index.ts";
import { noticeFor } from "./verification/notices.ts";

export interface Textgate {
  /** The whole configuration: for server.ts, which wires the HTTP server; features get their sections. */
  config: Config;
  sections: ConfigSections;
  logger: Logger;
  /** The database, for the tables' owning modules built outside this file (the compat APIs' verify_services) and tests. */
  prisma: Db;
  sql: Sql;
  events: EventBus;
  engine: VerificationEngine;
  scheduler: Scheduler;
  carriers: CarrierRegistry;
  /** The sandbox carrier when it is active, else null. */
  sandbox: SandboxCarrier | null;
  inbound: InboundService;
  audit: AuditLog;
  /** The shared Redis client when REDIS_URL is set (limits and counters every node shares). */
  redis: Redis | undefined;
  /** Events out: webhook endpoints, the outbox and its dispatcher (server/webhooks/). */
  webhooks: Webhooks;
  /** The one API key check of the process (its cache is shared by the native and the compatible APIs). */
  apiKeys: ApiKeyAuthenticator;
  auth: AuthFeature;
  owners: OwnersFeature;
  /** The /owner insights: rollup, fraud refusals, prices, the page's report (server/owners/insights/). */
  insights: Insights;
  /** This process among the nodes (socket census, owner requests). */
  node: string;
  /** Texts a notice without a code through the SMS carriers; false when none took it (server/notifications.ts). */
  textNotice(to: string, body: string): Promise<boolean>;
  /** This node's Prometheus metrics (GET /metrics; server/telemetry/metrics.ts); null without METRICS_TOKEN, when nothing is counted. */
  metrics: Metrics | null;
  close(): Promise<void>;
}

export class StartupError extends Error {}

export interface TextgateOptions {
  clock?: () => Date;
  logger?: Logger;
  /** Start the scheduler's timer (default true); tests drive `scheduler.tick()` themselves. */
  startScheduler?: boolean;
  /** Start the webhook dispatcher's timer (default: as startScheduler). */
  startWebhooks?: boolean;
  /** Collect prom-client's process metrics (default true; in-process tests with many runtimes leave them out). */
  defaultMetrics?: boolean;
}

/** Brings the database up to date, or refuses to start: before any connection of this process opens. */
async function prepareDatabase(config: Config, logger: Logger): Promise<void> {
  if (!config.AUTO_MIGRATE) {
    const pending = await pendingMigrations(config.database);
    if (pending.length) {
      throw new StartupError(
        `The database has ${pending.length} pending migration(s) (${pending.join(", ")}) and AUTO_MIGRATE=false. Run: npm run db:migrate`,
      );
    }
    return;
  }
  try {
    const applied = await migrateIfNeeded(config.database);
    if (applied.length) logger.info({ migrations: applied }, "applied database migrations");
  } catch (error) {
    throw new StartupError((error as Error).message);
  }
}

export async function createTextgate(config: Config, options: TextgateOptions = {}): Promise<Textgate> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const clock = options.clock ?? (() => new Date());
  await prepareDatabase(config, logger);
  const sql = openSql(config.database, { poolSize: config.DATABASE_POOL_SIZE });
  const prisma = createDb(config.database, { poolSize: Math.max(2, Math.floor(config.DATABASE_POOL_SIZE / 2)) });
  const events = new EventBus((error, event) => logger.error({ err: error, event: event.type }, "event subscriber failed"));
  const audit = new AuditLog(sql, events, logger);
  // Counted only when someone can read the counts: without METRICS_TOKEN prom-client (about 75 ms to load
  // with @opentelemetry/api, docs/benchmarks.md) is not loaded and nothing is counted.
  const metrics = config.METRICS_TOKEN
    ? new (await import("./telemetry/metrics.ts")).Metrics({ budgetPerHour: config.SEND_BUDGET_PER_HOUR, defaultMetrics: options.defaultMetrics })
    : null;
  const stopCounting = metrics ? (await import("./telemetry/event-metrics.ts")).countEvents(events, metrics) : () => {};
  // Several nodes: with REDIS_URL, events cross processes over Redis pub/sub (redis-bridge.ts).
  // ioredis is slow to load: only a server with REDIS_URL loads it.
  const ioredis = config.REDIS_URL ? await import("ioredis") : null;
  const bridge = config.REDIS_URL ? new (await import("./events/redis-bridge.ts")).RedisEventBridge({ url: config.REDIS_URL, events, logger }) : null;
  let carriers: CarrierRegistry;
  let sandbox: SandboxCarrier | null;
  try {
    ({ registry: carriers, sandbox } = buildCarriers({
      config,
      sql,
      logger,
      clock,
      ...(metrics ? { onSend: ({ carrier, channel, outcome, seconds }) => metrics.carrierSend(carrier, channel, outcome, seconds) } : {}),
    }));
  } catch (error) {
    await Promise.allSettled([sql.close(), bridge?.close()]);
    throw new StartupError((error as Error).message);
  }
  const redis: Redis | undefined =
    ioredis && config.REDIS_URL ? new ioredis.Redis(config.REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true }) : undefined;
  const sections = configSections(config);
  const notices = sections.auth.notices;
  const textNotice = (to: string, body: string) => sendNotice({ carriers, logger, config }, to, body);
  const alarms = sendBudgetAlarms({
    perHour: config.SEND_BUDGET_PER_HOUR,
    logger,
    events,
    owners: config.OWNER_PHONES,
    textOwner: textNotice,
    notice: (to, key, values) => noticeFor(notices, to, key, values),
    clock,
  });
  // Before anything can change a verification: the outbox triggers must be in place (server/webhooks/triggers.ts).
  let webhooks: Webhooks;
  try {
    webhooks = await startWebhooks({
      config,
      sql,
      events,
      logger,
      clock,
      textOwners: async (key, values) => {
        for (const owner of config.OWNER_PHONES) await textNotice(owner, noticeFor(notices, owner, key, values));
      },
      startDispatcher: config.WEBHOOKS_DELIVER && (options.startWebhooks ?? options.startScheduler ?? true),
      ...(metrics ? { onAttempt: (outcome: "succeeded" | "retry" | "failed") => metrics.webhookAttempt(outcome) } : {}),
    });
  } catch (error) {
    // Installing the outbox triggers needs the privileges migrating does (README, PostgreSQL and production).
    await Promise.allSettled([sql.close(), prisma.$disconnect(), bridge?.close(), redis?.quit()]);
    throw new StartupError(`Could not set up the events outbox: ${(error as Error).message}`);
  }
  logTestNumbers(logger, config.testNumbers, config.production);
  const refusals = createRefusalCounter({ sql, clock, logger });
  const engine = new VerificationEngine({
    sql,
    carriers,
    events,
    logger,
    clock,
    secret: config.TEXTGATE_SECRET,
    sendLimiter: createSendLimiter({ points: config.SEND_LIMIT_PER_NUMBER, windowSeconds: config.SEND_LIMIT_WINDOW_SECONDS, redis }),
    budget: countedBudget(createSendBudget({ perHour: config.SEND_BUDGET_PER_HOUR, alarms, redis, clock }), metrics),
    defaults: sections.engine,
    observer: observerWith(refusals, metrics),
    onGuessingLocked: ({ to, lockedForSeconds }) => {
      void textNotice(to, guessingNotice({ to, brand: config.DEFAULT_BRAND, lockedForSeconds, defaultLocale: config.DEFAULT_LOCALE }));
    },
  });
  const scheduler = new Scheduler(engine, logger, config.SCHEDULER_INTERVAL_MS, clock);
  const inbound = new InboundService(sql, events, clock);
  const apiKeys = createApiKeyAuthenticator(prisma, { onError: (err) => logger.warn({ err }, "could not record API key use") });
  const auth = createAuth({ settings: sections.auth, engine, events, logger, prisma, sql, redis, sandboxActive: sandbox !== null, textNotice });
  const node = newNodeId();
  const owners = createOwners({ settings: sections.owners, events, logger, prisma, sql, clock, engine, node, textNotice });
  const insights = createInsights({
    sql,
    source: engine.repo,
    refusals,
    events,
    clock,
    logger,
    settings: { budgetPerHour: config.SEND_BUDGET_PER_HOUR, rollupIntervalMs: config.INSIGHTS_ROLLUP_INTERVAL_MS },
  });
  if (sections.owners.conversionAlarm.threshold > 0) {
    scheduler.every("conversion alarm", sections.owners.conversionAlarm.checkMs, () => owners.conversionAlarms.check());
  }
  if (options.startScheduler ?? true) {
    insights.start();
    scheduler.start();
  }

  const textgate: Textgate = {
    config,
    sections,
    logger,
    prisma,
    sql,
    events,
    engine,
    scheduler,
    carriers,
    sandbox,
    inbound,
    audit,
    redis,
    webhooks,
    apiKeys,
    auth,
    owners,
    insights,
    node,
    textNotice,
    metrics,
    async close() {
      stopCounting();
      await owners.close();
      await scheduler.stop();
      await insights.close();
      await webhooks.close();
      await bridge?.close();
      await audit.close();
      await Promise.allSettled([sql.close(), prisma.$disconnect(), redis?.quit()]);
    },
  };
  return textgate;
}

/** The budget, with every message taken counted (textgate_send_budget_taken_total). */
function countedBudget(budget: SendBudget, metrics: Metrics | null): SendBudget {
  if (!metrics) return budget;
  return {
    async take() {
      const take = await budget.take();
      if (take.taken) metrics.budgetTaken.inc();
      return take;
    },
  };
}
