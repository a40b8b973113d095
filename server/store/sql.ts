/**
 * A small SQL executor over the tables Prisma migrates, for the engine's hot path.
 *
 * Why not Prisma here: measured on this machine, one Prisma ORM call costs 170–420 µs and a raw Prisma
 * query 75–100 µs, against 7–31 µs for a prepared better-sqlite3 statement; a verification pair needs
 * about eight statements, so Prisma alone caps the API near 500 pairs/s (docs/architecture.md).
 * Prisma still owns the models, the migrations and every query off the hot path.
 *
 * SQL is written once with `?` placeholders in the dialect both databases share (RETURNING,
 * ON CONFLICT DO NOTHING). Dates go in as ISO-8601 UTC strings, which is how Prisma stores DateTime in
 * SQLite, and which PostgreSQL reads into TIMESTAMP(3) as UTC wall time; they come out as Date.
 */
import Database from "better-sqlite3";
import pg from "pg";
import type { DatabaseTarget } from "../db/database-url.ts";
import { ensureSqliteDirectory } from "../db/database-url.ts";
import { type Checkpointer, startCheckpointer } from "./sqlite-checkpointer.ts";

export type SqlParam = string | number | boolean | null | Date;
/** A statement and its parameters (Sql.runAll). */
export type Statement = readonly [sql: string, params?: readonly SqlParam[]];
export type Row = Record<string, unknown>;

export interface Sql {
  readonly dialect: "sqlite" | "postgresql";
  all<T = Row>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  get<T = Row>(sql: string, params?: readonly SqlParam[]): Promise<T | undefined>;
  /** Runs a statement; resolves to the number of rows changed. */
  run(sql: string, params?: readonly SqlParam[]): Promise<number>;
  /**
   * Runs writes as one unit, all or none, with no code between them; resolves to the rows each changed.
   * On SQLite it joins the turn's group commit (SqliteSql) instead of committing on its own.
   */
  runAll(statements: readonly Statement[]): Promise<number[]>;
  /** Runs `fn` in one transaction; every statement inside must go through the `tx` it receives. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(value as string);
}

export function toDateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : toDate(value);
}

export function toBool(value: unknown): boolean {
  return value === true || value === 1 || value === "1" || value === "true";
}

function sqliteParam(value: SqlParam): string | number | null {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

/** A `run` or `runAll` waiting for its turn's group commit (SqliteSql.flush). */
interface QueuedWrite {
  statements: readonly Statement[];
  resolve(changes: number[]): void;
  reject(error: unknown): void;
}

/**
 * SQLite through one better-sqlite3 connection. Statements are synchronous; a transaction holds a lock
 * so that statements from other requests wait instead of landing inside it while it awaits.
 *
 * `run` and `runAll` outside a transaction are a group commit: the writes of one turn of the event loop
 * are queued and run at its end (setImmediate) in one transaction, each in a savepoint of its own, so
 * that one that fails is rolled back alone and rejects alone. Each commit writes the pages it changed
 * to the WAL: statements of concurrent requests touch the same pages (append-only ids), and one commit
 * for the turn instead of one per statement cut the API loop's CPU per pair by a third
 * (docs/benchmarks.md, "Group commit on SQLite"). The batch runs synchronously from BEGIN to COMMIT, so no read sees it half
 * done, and a caller hears of its write only once it is committed. Reads and the writes of `all`/`get`
 * run at once, as before.
 */
class SqliteSql implements Sql {
  readonly dialect = "sqlite" as const;
  private readonly statements = new Map<string, Database.Statement>();
  private lock: Promise<void> | null = null;
  private queued: QueuedWrite[] = [];
  private flushScheduled = false;

  constructor(
    private readonly db: Database.Database,
    private readonly checkpointer: Checkpointer,
  ) {}

  private prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  allNow<T>(sql: string, params: readonly SqlParam[] = []): T[] {
    const statement = this.prepare(sql);
    return (statement.reader ? statement.all(...params.map(sqliteParam)) : (statement.run(...params.map(sqliteParam)), [])) as T[];
  }

  getNow<T>(sql: string, params: readonly SqlParam[] = []): T | undefined {
    return this.prepare(sql).get(...params.map(sqliteParam)) as T | undefined;
  }

  runNow(sql: string, params: readonly SqlParam[] = []): number {
    const statement = this.prepare(sql);
    if (statement.reader) return statement.all(...params.map(sqliteParam)).length;
    return statement.run(...params.map(sqliteParam)).changes;
  }

  // Each method re-checks the lock synchronously right before it runs or takes the lock: an await
  // between the check and the statement would let a transaction begin in between.

  async all<T = Row>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    while (this.lock) await this.lock;
    return this.allNow<T>(sql, params);
  }

  async get<T = Row>(sql: string, params?: readonly SqlParam[]): Promise<T | undefined> {
    while (this.lock) await this.lock;
    return this.getNow<T>(sql, params);
  }

  async run(sql: string, params?: readonly SqlParam[]): Promise<number> {
    return (await this.runAll([[sql, params]]))[0]!;
  }

  runAll(statements: readonly Statement[]): Promise<number[]> {
    return new Promise<number[]>((resolve, reject) => {
      this.queued.push({ statements, resolve, reject });
      this.scheduleFlush();
    });
  }

  private runEach(statements: readonly Statement[]): number[] {
    return statements.map(([sql, params]) => this.runNow(sql, params));
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => void this.flush());
  }

  /**
   * Runs the queued writes in one transaction (or alone, if there is one). An open transaction is waited
   * for the way `transaction` waits for one, so a flush keeps its place among the waiting transactions
   * instead of losing it to each next one; writes queued meanwhile join it.
   */
  private async flush(): Promise<void> {
    while (this.lock) await this.lock;
    this.flushScheduled = false;
    const batch = this.queued;
    this.queued = [];
    if (batch.length === 1 && batch[0]!.statements.length === 1) {
      const [write] = batch as [QueuedWrite];
      try {
        write.resolve(this.runEach(write.statements));
      } catch (error) {
        write.reject(error);
      }
      return;
    }
    const outcomes: ({ changes: number[] } | { error: unknown })[] = [];
    try {
      this.runNow("BEGIN IMMEDIATE");
      for (const write of batch) {
        this.runNow("SAVEPOINT queued_write");
        try {
          outcomes.push({ changes: this.runEach(write.statements) });
        } catch (error) {
          this.runNow("ROLLBACK TO queued_write");
          outcomes.push({ error });
        }
        this.runNow("RELEASE queued_write");
      }
      this.runNow("COMMIT");
    } catch (error) {
      // BEGIN or COMMIT failed, or an error ended the transaction itself (a trigger's RAISE(ROLLBACK), I/O):
      // nothing of the batch is committed, so every write of it fails. A ROLLBACK that fails too must not
      // escape: nothing awaits this flush, and an unhandled rejection would end the process.
      try {
        if (this.db.inTransaction) this.runNow("ROLLBACK");
      } catch {}
      for (const write of batch) write.reject(error);
      return;
    }
    batch.forEach((write, i) => {
      const outcome = outcomes[i]!;
      if ("error" in outcome) write.reject(outcome.error);
      else write.resolve(outcome.changes);
    });
  }

  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    while (this.lock) await this.lock;
    let release!: () => void;
    this.lock = new Promise((resolve) => (release = resolve));
    const tx: Sql = {
      dialect: "sqlite",
      all: async (sql, params) => this.allNow(sql, params),
      get: async (sql, params) => this.getNow(sql, params),
      run: async (sql, params) => this.runNow(sql, params),
      runAll: async (statements) => this.runEach(statements),
      transaction: (inner) => inner(tx),
      close: async () => {},
    };
    try {
      this.runNow("BEGIN IMMEDIATE");
      try {
        const result = await fn(tx);
        this.runNow("COMMIT");
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.runNow("ROLLBACK");
        throw error;
      }
    } finally {
      this.lock = null;
      release();
    }
  }

  async close(): Promise<void> {
    // Queued writes are committed (or fail) before the connection goes.
    while (this.lock || this.flushScheduled || this.queued.length) await (this.lock ?? new Promise((resolve) => setImmediate(resolve)));
    this.db.close();
    await this.checkpointer.stop();
  }
}

/** Converts `?` placeholders to `$1…$n` (the SQL here never has `?` inside string literals). */
const numbered = new Map<string, string>();
function toNumbered(sql: string): string {
  let out = numbered.get(sql);
  if (out === undefined) {
    let n = 0;
    out = sql.replace(/\?/g, () => `$${++n}`);
    numbered.set(sql, out);
  }
  return out;
}

const PLANNED_PER_RUN = "/* planned per run */ ";

/**
 * Marks a statement that PostgreSQL must plan at every run, with its parameters, instead of once per
 * connection: one whose best plan depends on how many rows its tables hold (the background claims,
 * sweeps and outbox numbering, which scan a growing table for a few rows). A named statement may keep
 * a generic plan until its tables are analyzed; made while they were empty it read them whole later:
 * the webhook claim took about 6 s per run at 15,000 due rows (docs/benchmarks.md, "Plans made on empty
 * tables"). Planning costs a fraction of a millisecond, paid once per batch. SQLite ignores the comment.
 */
export function plannedPerRun(sql: string): string {
  return PLANNED_PER_RUN + sql;
}

/**
 * A query as node-postgres takes it. Statements that read or write rows are named, so each pooled
 * connection parses them once and PostgreSQL skips parsing and analysing them on every later run
 * (https://node-postgres.com/features/queries#prepared-statements), unless they are `plannedPerRun`.
 * The texts come from this code, not from input, so their number is bounded; past PREPARED_LIMIT the
 * rest stay unnamed all the same.
 */
const PREPARED_LIMIT = 1000;
const prepared = new Map<string, string>();
function pgQuery(sql: string, params: readonly SqlParam[]): pg.QueryConfig {
  const text = toNumbered(sql);
  const values = params.map(pgParam);
  if (text.startsWith(PLANNED_PER_RUN)) return { text, values };
  let name = prepared.get(text);
  if (name === undefined && prepared.size < PREPARED_LIMIT && /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i.test(text)) {
    name = `tg${prepared.size + 1}`;
    prepared.set(text, name);
  }
  return name === undefined ? { text, values } : { name, text, values };
}

function pgParam(value: SqlParam): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

/** TIMESTAMP(3) columns hold UTC wall time (Prisma's convention); parse them as UTC, not local time. */
const pgTypes = {
  getTypeParser(oid: number, format?: string) {
    if (oid === 1114) return (value: string) => new Date(`${value.replace(" ", "T")}Z`);
    return pg.types.getTypeParser(oid, format as "text");
  },
};

type Queryable = pg.Pool | pg.PoolClient;

class PostgresSql implements Sql {
  readonly dialect = "postgresql" as const;

  constructor(
    private readonly target: Queryable,
    private readonly pool: pg.Pool,
  ) {}

  async all<T = Row>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    const result = await this.target.query(pgQuery(sql, params));
    return result.rows as T[];
  }

  async get<T = Row>(sql: string, params?: readonly SqlParam[]): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async run(sql: string, params: readonly SqlParam[] = []): Promise<number> {
    const result = await this.target.query(pgQuery(sql, params));
    return result.rowCount ?? 0;
  }

  runAll(statements: readonly Statement[]): Promise<number[]> {
    return this.transaction(async (tx) => {
      const changes: number[] = [];
      for (const [sql, params] of statements) changes.push(await tx.run(sql, params));
      return changes;
    });
  }

  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    if (this.target !== this.pool) return fn(this);
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const result = await fn(new PostgresSql(client, this.pool));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    if (this.target === this.pool) await this.pool.end();
  }
}

export function openSql(target: DatabaseTarget, options: { poolSize?: number } = {}): Sql {
  if (target.provider === "postgresql") {
    const pool = new pg.Pool({ connectionString: target.url, max: options.poolSize ?? 10, types: pgTypes });
    pool.on("error", () => {}); // an idle client's error must not crash the process; the next query reports it
    return new PostgresSql(pool, pool);
  }
  ensureSqliteDirectory(target);
  const db = new Database(target.url, { timeout: 5000 });
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  db.pragma("wal_autocheckpoint = 20000");
  // 32 MB of page cache instead of 2: about 2% less CPU per sign-in in interleaved bench:signin runs (docs/benchmarks.md).
  db.pragma("cache_size = -32768");
  return new SqliteSql(db, startCheckpointer(target.url));
}

/** True for a unique-constraint violation on either database. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string } | null;
  return e?.code === "23505" || e?.code === "SQLITE_CONSTRAINT_UNIQUE" || e?.code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
