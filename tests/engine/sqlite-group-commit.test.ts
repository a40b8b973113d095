/**
 * SQLite's group commit (server/store/sql.ts, SqliteSql): the writes of one turn of the event loop are
 * committed together, each `run` or `runAll` in its own savepoint. What must hold: a write that fails fails alone; a
 * caller hears of its write only once it is committed, and no read sees a write of the batch before
 * then; a transaction in progress is never joined; an error that ends the transaction fails every write
 * of the batch and commits none.
 */
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveDatabaseTarget } from "../../server/db/database-url.ts";
import { openSql, type Sql } from "../../server/store/sql.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/databases.ts";

describe("group commit on SQLite", () => {
  let db: TestDatabase;
  let sql: Sql;
  /** A second connection: it sees only what is committed. */
  let other: Database.Database;

  beforeEach(async () => {
    db = await createTestDatabase("sqlite", { empty: true });
    sql = openSql(resolveDatabaseTarget(db.url));
    await sql.run(`CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)`);
    await sql.run(`CREATE TABLE item_log (name TEXT NOT NULL)`);
    await sql.run(`CREATE TRIGGER item_logged AFTER INSERT ON items BEGIN INSERT INTO item_log (name) VALUES (NEW.name); END`);
    other = new Database(resolveDatabaseTarget(db.url).url, { readonly: true });
  });

  afterEach(async () => {
    other?.close();
    await sql?.close();
    await db?.drop();
  });

  const committed = (table: string) => (other.prepare(`SELECT name FROM ${table} ORDER BY name`).all() as { name: string }[]).map((r) => r.name);

  it("commits the writes of one turn together, and a write that fails is rolled back alone, its trigger's rows with it", async () => {
    await sql.run(`INSERT INTO items (name) VALUES ('taken')`);
    const results = await Promise.allSettled([
      sql.run(`INSERT INTO items (name) VALUES (?)`, ["a"]),
      sql.run(`INSERT INTO items (name) VALUES (?)`, ["taken"]),
      sql.run(`INSERT INTO items (name) VALUES (?)`, ["b"]),
      sql.run(`UPDATE items SET name = ? WHERE name = ?`, ["c", "b"]),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: "SQLITE_CONSTRAINT_UNIQUE" });
    expect(results.filter((r) => r.status === "fulfilled").map((r) => r.value)).toEqual([1, 1, 1]);
    expect(committed("items")).toEqual(["a", "c", "taken"]);
    expect(committed("item_log")).toEqual(["a", "b", "taken"]);
  });

  it("runs a runAll as one unit: a statement that fails undoes its unit's others, not the turn's other writes", async () => {
    await sql.run(`INSERT INTO items (name) VALUES ('taken')`);
    const results = await Promise.allSettled([
      sql.runAll([[`INSERT INTO items (name) VALUES ('u1')`], [`UPDATE items SET name = 'u1-renamed' WHERE name = 'u1'`]]),
      sql.runAll([[`INSERT INTO items (name) VALUES ('v1')`], [`INSERT INTO items (name) VALUES ('taken')`]]),
      sql.run(`INSERT INTO items (name) VALUES ('w')`),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[0] as PromiseFulfilledResult<number[]>).value).toEqual([1, 1]);
    expect(committed("items")).toEqual(["taken", "u1-renamed", "w"]);
    expect(committed("item_log")).toEqual(["taken", "u1", "w"]);
    // Alone in its turn, a unit still commits all or nothing.
    await expect(sql.runAll([[`INSERT INTO items (name) VALUES ('alone')`], [`INSERT INTO items (name) VALUES ('taken')`]])).rejects.toMatchObject({
      code: "SQLITE_CONSTRAINT_UNIQUE",
    });
    expect(committed("items")).toEqual(["taken", "u1-renamed", "w"]);
  });

  it("answers a write only once it is committed, and no read sees it before", async () => {
    let answered = false;
    const write = sql.run(`INSERT INTO items (name) VALUES ('queued')`).then(() => (answered = true));
    // Same turn: the write is queued, so neither this connection's reads nor another's see it.
    expect(await sql.all(`SELECT name FROM items`)).toEqual([]);
    expect(committed("items")).toEqual([]);
    expect(answered).toBe(false);
    await write;
    expect(committed("items")).toEqual(["queued"]);
  });

  it("never joins a transaction in progress: a write queued meanwhile commits after it, even when it rolls back", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = sql
      .transaction(async (tx) => {
        await tx.run(`INSERT INTO items (name) VALUES ('inside')`);
        await held;
        throw new Error("rolled back");
      })
      .catch((error: unknown) => error);
    await new Promise((resolve) => setImmediate(resolve));
    let written = false;
    const outside = sql.run(`INSERT INTO items (name) VALUES ('outside')`).then(() => (written = true));
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(written).toBe(false);
    release();
    expect(await transaction).toMatchObject({ message: "rolled back" });
    await outside;
    expect(committed("items")).toEqual(["outside"]);
  });

  it("keeps a waiting flush's place: a transaction that starts after it waits for it", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = sql.transaction(async (tx) => {
      await tx.run(`INSERT INTO items (name) VALUES ('first')`);
      await held;
    });
    await new Promise((resolve) => setImmediate(resolve));
    const queued = sql.run(`INSERT INTO items (name) VALUES ('queued')`);
    await new Promise((resolve) => setImmediate(resolve)); // the flush now waits for the first transaction
    const later = sql.transaction(async (tx) => void (await tx.run(`INSERT INTO items (name) VALUES ('later')`)));
    release();
    await Promise.all([first, queued, later]);
    expect((other.prepare(`SELECT name FROM items ORDER BY id`).all() as { name: string }[]).map((r) => r.name)).toEqual(["first", "queued", "later"]);
  });

  it("fails every write of a batch and commits none when an error ends the transaction itself", async () => {
    await sql.run(`CREATE TRIGGER no_poison BEFORE INSERT ON items WHEN NEW.name = 'poison' BEGIN SELECT RAISE(ROLLBACK, 'poisoned'); END`);
    const results = await Promise.allSettled([
      sql.run(`INSERT INTO items (name) VALUES ('before')`),
      sql.run(`INSERT INTO items (name) VALUES ('poison')`),
      sql.run(`INSERT INTO items (name) VALUES ('after')`),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(committed("items")).toEqual([]);
    // The connection is usable again, and a later write on its own commits.
    await sql.run(`INSERT INTO items (name) VALUES ('later')`);
    expect(committed("items")).toEqual(["later"]);
  });

  it("commits what is queued before the connection closes", async () => {
    const write = sql.run(`INSERT INTO items (name) VALUES ('last')`);
    await sql.close();
    await write;
    expect(committed("items")).toEqual(["last"]);
    sql = openSql(resolveDatabaseTarget(db.url)); // afterEach closes it
  });
});
