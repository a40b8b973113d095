/**
 * Prepares one e2e server (playwright.config.ts `webServer`, and examples/next-host's): refuses at once,
 * with a clear message, when there is no production build to serve; empties this server's SQLite database
 * so every run begins with no users and no messages; creates an API key in it when asked
 * (E2E_API_KEY_ENV_FILE, below); and bundles server.ts to E2E_SERVER_BUNDLE (tests/helpers/server-bundle.ts,
 * as for the Vitest servers: the same source, without tsx's loader answering every import of the process).
 * The webServer command then runs the bundle in place of the shell (`exec`), so Playwright's SIGTERM
 * reaches the server itself.
 *
 * It runs only when Playwright actually starts a server: a server that is already listening (reused
 * locally) keeps its database.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildServerBundle } from "../../tests/helpers/server-bundle.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

// An API-only server (SERVE_PAGES=false, for examples/next-host's e2e) needs no build.
if (process.env.SERVE_PAGES !== "false" && !fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
  console.error(
    "e2e: there is no production build (.next/BUILD_ID is missing). Run `npx next build` (or `npm test`, which builds first) before `npx playwright test`.",
  );
  process.exit(1);
}

const url = process.env.DATABASE_URL ?? "";
if (!url.startsWith("file:")) {
  console.error(`e2e: DATABASE_URL must be a file: URL of a throwaway SQLite database, not "${url}".`);
  process.exit(1);
}
const database = path.resolve(root, url.slice("file:".length));
fs.mkdirSync(path.dirname(database), { recursive: true });
for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(`${database}${suffix}`, { force: true });

// E2E_API_KEY_ENV_FILE: an API key is created in the empty database and written there as TEXTGATE_KEY=…,
// for a host that starts after this server (`node --env-file`) and for its specs (examples/next-host).
const keyFile = process.env.E2E_API_KEY_ENV_FILE;
if (keyFile) {
  const [{ loadConfig }, { migrateIfNeeded }, { createDb }, { createApiKey }] = await Promise.all([
    import("../../server/env.ts"),
    import("../../server/db/migrations.ts"),
    import("../../server/db/client.ts"),
    import("../../server/api-keys.ts"),
  ]);
  const config = loadConfig();
  await migrateIfNeeded(config.database);
  const prisma = createDb(config.database);
  const { key } = await createApiKey(prisma, "e2e next-host");
  await prisma.$disconnect();
  fs.mkdirSync(path.dirname(keyFile), { recursive: true });
  fs.writeFileSync(keyFile, `TEXTGATE_KEY=${key}\n`, { mode: 0o600 });
}

const bundle = process.env.E2E_SERVER_BUNDLE ?? "";
if (path.basename(bundle) !== "server.mjs" || !path.resolve(bundle).startsWith(path.join(root, "tmp") + path.sep)) {
  console.error(`e2e: E2E_SERVER_BUNDLE must be a server.mjs under tmp/ (packages resolve from the repository's node_modules), not "${bundle}".`);
  process.exit(1);
}
await buildServerBundle(root, path.dirname(path.resolve(bundle)));
