/**
 * Manages webhook endpoints from a shell, like the /api/v1/webhooks routes.
 * Usage: npm run webhooks -- add --url <url> [--events a,b] [--description <text>] [--include-phone-numbers]
 *        npm run webhooks -- list
 *        npm run webhooks -- remove <id>
 * Uses the database of DATABASE_URL (SQLite ./data/textgate.db by default), applying pending migrations
 * first, and TEXTGATE_SECRET (the signing secrets are sealed with a key derived from it: use the server's).
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { TextgateError } from "../lib/errors.ts";
import { createWebhookSchema } from "../lib/validations/webhooks.ts";
import { migrateIfNeeded } from "../server/db/migrations.ts";
import { type Config, ConfigError, loadConfig } from "../server/env.ts";
import { validationDetails } from "../server/http/respond.ts";
import { openSql } from "../server/store/sql.ts";
import { WebhookEndpoints } from "../server/webhooks/endpoints.ts";

const USAGE = [
  "usage: npm run webhooks -- add --url <url> [--events a,b] [--description <text>] [--include-phone-numbers]",
  "       npm run webhooks -- list",
  "       npm run webhooks -- remove <id>",
].join("\n");

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    allowPositionals: true,
    strict: true,
    options: { url: { type: "string" }, events: { type: "string" }, description: { type: "string" }, "include-phone-numbers": { type: "boolean" } },
  });
}
try {
  parsed = parse();
} catch (error) {
  fail(`${(error as Error).message}\n${USAGE}`, 2);
}
const [command, ...rest] = parsed.positionals;
if (!command || !["add", "list", "remove"].includes(command)) fail(USAGE, 2);

let input: z.infer<typeof createWebhookSchema> | undefined;
if (command === "add") {
  const result = createWebhookSchema.safeParse({
    url: parsed.values.url,
    events: parsed.values.events?.split(",").map((e) => e.trim()).filter(Boolean),
    description: parsed.values.description,
    includePhoneNumbers: parsed.values["include-phone-numbers"],
  });
  if (!result.success) fail(`${validationDetails(result.error).map((d) => `--${d.path.split(".")[0]}: ${d.message}`).join("\n")}\n${USAGE}`, 2);
  input = result.data;
}
if (command === "remove" && rest.length !== 1) fail(`remove needs the endpoint's id.\n${USAGE}`, 2);

let config: Config;
try {
  config = loadConfig();
  await migrateIfNeeded(config.database);
} catch (error) {
  fail(error instanceof ConfigError ? error.message : (error as Error).message, 1);
}
const sql = openSql(config.database, { poolSize: 1 });
const endpoints = new WebhookEndpoints(sql, config.TEXTGATE_SECRET);
try {
  if (command === "add" && input) {
    const { endpoint, secret } = await endpoints.create(input);
    process.stdout.write(
      `Webhook endpoint ${endpoint.id} → ${endpoint.url} (${endpoint.events?.join(", ") ?? "every event"}).\n\nSigning secret:\n\n  ${secret}\n\nStore it now: it will not be shown again.\n`,
    );
  } else if (command === "list") {
    const list = await endpoints.list();
    if (!list.length) process.stdout.write("No webhook endpoints.\n");
    for (const e of list) {
      process.stdout.write(`${e.id}  ${e.enabled ? "enabled " : "disabled"}  ${e.url}  ${e.events?.join(",") ?? "*"}${e.description ? `  # ${e.description}` : ""}\n`);
    }
  } else if (command === "remove") {
    await endpoints.remove(rest[0] as string);
    process.stdout.write(`Removed webhook endpoint ${rest[0]}.\n`);
  }
} catch (error) {
  if (error instanceof TextgateError) fail(`${error.message} (${rest[0] ?? ""})`, 1);
  throw error;
} finally {
  await sql.close();
}
