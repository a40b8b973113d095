/**
 * Once per Vitest run: a migrated SQLite file and, when PostgreSQL answers, a migrated PostgreSQL
 * database, which tests/helpers/database-templates.ts copies for each test database. Migrations are
 * read from prisma/ now, so a new migration is in the templates of the next run. Workers inherit the
 * environment set here. Both projects that need it (vitest.config.ts) name this file, and Vitest runs it for
 * each of them: the second call finds the first one's setup in the environment and keeps it.
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

/** Set to this process's id once the setup is done, so the second project's call reuses it. */
const DONE = "TEXTGATE_TEST_SETUP_PID";

export default async function setup(): Promise<() => Promise<void>> {
  if (process.env[DONE] === String(process.pid)) return async () => {};
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "textgate-template-"));
  const file = path.join(dir, "template.db");
  // Inside the repository (tmp/ is ignored by git), so that the bundle's packages resolve from node_modules.
  const bundleDir = path.join(REPO_ROOT, "tmp", `test-server-${process.pid}`);
  // The bundle (esbuild, a process of its own) and the new PostgreSQL database are made while SQLite migrates;
  // the two migrations run one after the other, each with its own schema engine.
  const bundle = process.env.TEXTGATE_TEST_SERVER === "tsx" ? Promise.resolve(null) : buildServerBundle(REPO_ROOT, bundleDir);
  const postgres = (await postgresAvailable()).available ? `tg_tpl_${crypto.randomBytes(6).toString("hex")}` : null;
  const created = postgres ? admin((c) => c.query(`CREATE DATABASE ${postgres}`)) : Promise.resolve();
  const ready = Promise.allSettled([bundle, created]);
  try {
    await migrateIfNeeded(resolveDatabaseTarget(`file:${file}`));
    for (const suffix of ["-wal", "-shm"]) if (fs.existsSync(file + suffix)) throw new Error(`the SQLite template was left with ${file}${suffix}`);
    process.env[templateEnv.sqlite] = file;
    if (postgres) {
      await created;
      const url = new URL(POSTGRES_URL);
      url.pathname = `/${postgres}`;
      await migrateIfNeeded(resolveDatabaseTarget(url.toString()));
      process.env[templateEnv.postgresql] = postgres;
    }
    const bundled = await bundle;
    if (bundled) process.env[SERVER_BUNDLE_ENV] = bundled;
  } finally {
    // Nothing left running when a step failed (Vitest then reports that error).
    await ready;
  }
  process.env[DONE] = String(process.pid);

  return async () => {
    fs.rmSync(bundleDir, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
    if (postgres) await admin((c) => c.query(`DROP DATABASE IF EXISTS ${postgres} WITH (FORCE)`)).catch(() => {});
  };
}
