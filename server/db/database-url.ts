/** Which database textgate talks to, derived from DATABASE_URL (SQLite file by default). */
import fs from "node:fs";
import path from "node:path";

export type DatabaseProvider = "sqlite" | "postgresql";

export interface DatabaseTarget {
  provider: DatabaseProvider;
  /** For PostgreSQL the connection string; for SQLite the absolute path of the database file. */
  url: string;
}

export const DEFAULT_SQLITE_FILE = "./data/textgate.db";

export class DatabaseUrlError extends Error {}

export function resolveDatabaseTarget(databaseUrl: string | undefined, cwd = process.cwd()): DatabaseTarget {
  const raw = databaseUrl?.trim() || `file:${DEFAULT_SQLITE_FILE}`;
  if (/^postgres(ql)?:\/\//i.test(raw)) return { provider: "postgresql", url: raw };
  if (raw.startsWith("file:")) {
    const file = raw.slice("file:".length).replace(/^\/\/(?=\/)/, "");
    if (!file) throw new DatabaseUrlError("DATABASE_URL=file: needs a path, e.g. file:./data/textgate.db");
    return { provider: "sqlite", url: path.resolve(cwd, file) };
  }
  throw new DatabaseUrlError(
    `DATABASE_URL must start with postgres:// or postgresql:// (PostgreSQL) or file: (SQLite); got "${raw.split(":")[0]}:…"`,
  );
}

/** Makes sure the folder of a SQLite file exists, so the first start creates the database. */
export function ensureSqliteDirectory(target: DatabaseTarget): void {
  if (target.provider === "sqlite") fs.mkdirSync(path.dirname(target.url), { recursive: true });
}
