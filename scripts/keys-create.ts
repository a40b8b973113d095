/**
 * Creates an API key and prints it once, or revokes keys by prefix.
 * Usage: npm run keys:create -- --name <label>
 *        npm run keys:create -- --revoke <prefix>
 * Uses the database of DATABASE_URL (SQLite ./data/textgate.db by default), applying pending migrations first.
 */
import { parseArgs } from "node:util";
import { createApiKey, revokeApiKey } from "../server/api-keys.ts";
import { createDb } from "../server/db/client.ts";
import { migrateIfNeeded } from "../server/db/migrations.ts";
import { type Config, ConfigError, loadConfig } from "../server/env.ts";

const USAGE = "usage: npm run keys:create -- --name <label>\n       npm run keys:create -- --revoke <prefix>";

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

let args: { name?: string; revoke?: string };
try {
  args = parseArgs({ options: { name: { type: "string" }, revoke: { type: "string" } }, strict: true }).values;
} catch (error) {
  fail(`${(error as Error).message}\n${USAGE}`, 2);
}
const name = args.name?.trim();
const prefix = args.revoke?.trim();
if ((name === undefined) === (prefix === undefined)) fail(`Give either --name or --revoke.\n${USAGE}`, 2);
if (name !== undefined && (!name || name.length > 100)) fail(`--name needs a label of 1 to 100 characters.\n${USAGE}`, 2);
if (prefix !== undefined && !/^[0-9a-f]{8}$/.test(prefix)) fail(`--revoke needs the 8-character key prefix (tg_<prefix>_…).\n${USAGE}`, 2);

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  fail(error instanceof ConfigError ? error.message : String(error), 1);
}

try {
  // Migrates only when needed (a running server already did), before this process opens the database.
  await migrateIfNeeded(config.database);
} catch (error) {
  fail((error as Error).message, 1);
}
const prisma = createDb(config.database);
try {
  if (name !== undefined) {
    const created = await createApiKey(prisma, name);
    process.stdout.write(`API key "${created.name}" (prefix ${created.prefix}):\n\n  ${created.key}\n\nStore it now: it will not be shown again.\n`);
  } else if (prefix !== undefined) {
    const count = await revokeApiKey(prisma, prefix);
    if (!count) fail(`No active key with prefix ${prefix}.`, 1);
    process.stdout.write(`Revoked ${count} key(s) with prefix ${prefix}. Servers stop accepting it within 30 seconds.\n`);
  }
} finally {
  await prisma.$disconnect();
}
