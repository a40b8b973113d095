/**
 * External services the integration tests use, and the one policy for when one is missing:
 * locally the tests that need it are skipped with a message saying why; with CI=true they fail,
 * so a broken CI service can never turn into a silently green run.
 */
import crypto from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, it } from "vitest";
import { postgresTemplate } from "./database-templates.ts";

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

let redisStatus: Promise<ServiceStatus> | undefined;

/** Whether Redis at TEST_REDIS_URL answers (checked once per test file). */
export function redisAvailable(): Promise<ServiceStatus> {
  redisStatus ??= (async () => {
    const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1500, retryStrategy: () => null });
    try {
      await probe.connect();
      return (await probe.ping()) === "PONG" ? { available: true } : { available: false, reason: `Redis at ${redact(REDIS_URL)} did not answer PING` };
    } catch (error) {
      return { available: false, reason: `Redis is not reachable at ${redact(REDIS_URL)} (${(error as Error).message})` };
    } finally {
      probe.disconnect();
    }
  })();
  return redisStatus;
}

/**
 * The one policy for a missing service: true when tests needing it should run; false (with a message)
 * when they should be skipped on a laptop; throws in CI (CI=true), where every service must be there.
 */
export async function requireService(name: string, status: Promise<ServiceStatus>): Promise<boolean> {
  const { available, reason } = await status;
  if (available) return true;
  if (process.env.CI === "true") throw new Error(`${name} is required in CI: ${reason}`);
  console.warn(`[textgate tests] ${reason}: the tests that need ${name} are skipped.`);
  return false;
}

/**
 * A Redis client for the tests of one file (opened before them, closed after), or null when Redis is
 * missing and the tests needing it are skipped (requireService's policy). Tests should namespace their keys.
 */
export function useRedis(): () => Redis | null {
  let redis: Redis | null = null;
  beforeAll(async () => {
    if (await requireService("Redis", redisAvailable())) redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    await redis?.quit();
  });
  return () => redis;
}

export type DatabaseKind = "sqlite" | "postgresql";

export interface ServiceStatus {
  available: boolean;
  /** Why it is not available. */
  reason?: string;
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*)(:[^@/]*)?@/, "//$1:***@");
}

let postgresStatus: Promise<ServiceStatus> | undefined;

/** Whether PostgreSQL at TEST_POSTGRES_URL answers (checked once per test file). */
export function postgresAvailable(): Promise<ServiceStatus> {
  postgresStatus ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return { available: true };
    } catch (error) {
      return { available: false, reason: `PostgreSQL is not reachable at ${redact(POSTGRES_URL)} (${(error as Error).message})` };
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return postgresStatus;
}

export async function databaseStatus(kind: DatabaseKind): Promise<ServiceStatus> {
  return kind === "sqlite" ? { available: true } : postgresAvailable();
}

/** The databases every database-touching test runs against, with their availability. */
export async function databaseVariants(): Promise<{ kind: DatabaseKind; status: ServiceStatus }[]> {
  return [
    { kind: "sqlite", status: await databaseStatus("sqlite") },
    { kind: "postgresql", status: await databaseStatus("postgresql") },
  ];
}

/**
 * `describe` once per database. An unavailable database skips its block locally (with a console
 * message) and fails it in CI (CI=true).
 */
export function describeEachDatabase(
  variants: { kind: DatabaseKind; status: ServiceStatus }[],
  name: string,
  fn: (kind: DatabaseKind) => void,
): void {
  for (const { kind, status } of variants) {
    const title = `${name} [${kind}]`;
    if (status.available) {
      describe(title, () => fn(kind));
    } else if (process.env.CI === "true") {
      describe(title, () => {
        it(`needs ${kind}`, () => {
          throw new Error(`${status.reason}. CI=true, so this is a failure, not a skip: start the service or set TEST_POSTGRES_URL.`);
        });
      });
    } else {
      console.warn(`Skipping "${title}": ${status.reason}. Set TEST_POSTGRES_URL to run it (in CI this fails instead).`);
      describe.skip(title, () => fn(kind));
    }
  }
}

export interface TestPostgresDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh, empty database on the TEST_POSTGRES_URL server; drop() removes it (closing leftover connections). */
/** A new database: migrated (a copy of the run's template) unless `empty`, or when there is no template. */
export async function createPostgresDatabase(options: { empty?: boolean } = {}): Promise<TestPostgresDatabase> {
  const name = `tg_${crypto.randomBytes(6).toString("hex")}`;
  const template = options.empty ? null : postgresTemplate();
  const admin = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  await admin.connect();
  try {
    await admin.query(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * `it` for a test that adds nothing on PostgreSQL (arguments refused before any database is opened, a
 * real-time wait whose logic the engine tests cover on both): defined in the SQLite run only, so the
 * PostgreSQL run does not list it as skipped.
 */
export function itOnSqliteOnly(kind: DatabaseKind): typeof it {
  return kind === "sqlite" ? it : ((() => undefined) as unknown as typeof it);
}
