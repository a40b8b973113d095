/**
 * Once per Vitest run: a migrated SQLite file and, when PostgreSQL answers, a migrated PostgreSQL
 * database, which tests/helpers/database-templates.ts copies for each test database. Migrations are
 * read from prisma/ now, so a new migration is in the templates of the next run. Workers inherit the
 * environment set here.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { resolveDatabaseTarget } from "../server/db/database-url.ts";
import { migrateIfNeeded } from "../server/db/migrations.ts";
import { templateEnv } from "./helpers/database-templates.ts";
import { buildServerBundle, SERVER_BUNDLE_ENV } from "./helpers/server-bundle.ts";
import { POSTGRES_URL, postgresAvailable } from "./helpers/services.ts";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export default async function setup(): Promise<() => Promise<void>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "textgate-template-"));
  const file = path.join(dir, "template.db");
  await migrateIfNeeded(resolveDatabaseTarget(`file:${file}`));
  for (const suffix of ["-wal", "-shm"]) if (fs.existsSync(file + suffix)) throw new Error(`the SQLite template was left with ${file}${suffix}`);
  process.env[templateEnv.sqlite] = file;

  let postgres: string | null = null;
  if ((await postgresAvailable()).available) {
    postgres = `tg_tpl_${crypto.randomBytes(6).toString("hex")}`;
    await admin((c) => c.query(`CREATE DATABASE ${postgres}`));
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${postgres}`;
    await migrateIfNeeded(resolveDatabaseTarget(url.toString()));
    process.env[templateEnv.postgresql] = postgres;
  }

  // Inside the repository (tmp/ is ignored by git), so that the bundle's packages resolve from node_modules.
  const bundleDir = path.join(REPO_ROOT, "tmp", `test-server-${process.pid}`);
  if (process.env.TEXTGATE_TEST_SERVER !== "tsx") process.env[SERVER_BUNDLE_ENV] = await buildServerBundle(REPO_ROOT, bundleDir);

  return async () => {
    fs.rmSync(bundleDir, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
    if (postgres) await admin((c) => c.query(`DROP DATABASE IF EXISTS ${postgres} WITH (FORCE)`)).catch(() => {});
  };
}
