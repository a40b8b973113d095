/**
 * Prepares one e2e server (playwright.config.ts `webServer`): refuses at once, with a clear message, when
 * there is no production build to serve; empties this server's SQLite database so every run begins with
 * no users and no messages; and bundles server.ts to E2E_SERVER_BUNDLE (tests/helpers/server-bundle.ts, as
 * for the Vitest servers: the same source, without tsx's loader answering every import of the process).
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

if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
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

const bundle = process.env.E2E_SERVER_BUNDLE ?? "";
if (path.basename(bundle) !== "server.mjs" || !path.resolve(bundle).startsWith(path.join(root, "tmp") + path.sep)) {
  console.error(`e2e: E2E_SERVER_BUNDLE must be a server.mjs under tmp/ (packages resolve from the repository's node_modules), not "${bundle}".`);
  process.exit(1);
}
await buildServerBundle(root, path.dirname(path.resolve(bundle)));
