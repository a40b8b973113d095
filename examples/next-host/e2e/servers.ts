/**
 * The two servers of this app's e2e (playwright.config.ts): a textgate server with the sandbox carrier,
 * started from this repository (yours runs elsewhere), and this host, which talks to it with an API key.
 * Ports from E2E_BASE_PORT + 5 (the repository's own e2e servers take the first three).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseEnv } from "node:util";

export const HOST_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const REPOSITORY = path.resolve(HOST_DIR, "../..");

const basePort = Number(process.env.E2E_BASE_PORT ?? 3310);
export const TEXTGATE_PORT = basePort + 5;
export const HOST_PORT = basePort + 6;
export const TEXTGATE_URL = `http://127.0.0.1:${TEXTGATE_PORT}`;
export const HOST_URL = `http://127.0.0.1:${HOST_PORT}`;

/** Where the textgate server writes the API key it creates in its fresh database (TEXTGATE_KEY=…). */
export const KEY_ENV_FILE = path.join(HOST_DIR, ".data", `e2e-textgate-${TEXTGATE_PORT}.env`);

/** The key, once the textgate server has started (the specs read it then, not when they are listed). */
export function apiKey(): string {
  const key = parseEnv(fs.readFileSync(KEY_ENV_FILE, "utf8")).TEXTGATE_KEY;
  if (!key) throw new Error(`next-host e2e: no TEXTGATE_KEY in ${KEY_ENV_FILE}`);
  return key;
}
