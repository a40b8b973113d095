/**
 * End-to-end tests: the production build (`npm test` runs `next build` first) served by `server.ts`,
 * driven by the system Chromium (a Playwright browser download cannot work here).
 *
 * Three servers, one per set of sign-in settings, each on its own SQLite database that is reset
 * whenever Playwright starts it: "main" (defaults: 6 digits, 3 attempts, 600 s), "alphanumeric"
 * (8 letters and digits) and "expiry" (codes valid 4 s); "main" also has an owner (OWNER_PHONES, the numbers
 * in e2e/support/owners.ts) for the /owner console, and a site that may frame /embed (e2e/support/embedders.ts). Each Playwright project points at one of them
 * through its baseURL. Ports start at E2E_BASE_PORT (default 3310).
 *
 *   npx next build && npx playwright test            # everything
 *   npx playwright test e2e/signin.spec.ts           # one file
 *   npx playwright show-trace test-results/…/trace.zip
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, devices } from "@playwright/test";
import { e2eDatabasePath } from "./e2e/support/api-keys.ts";
import { e2eEmbedder } from "./e2e/support/embedders.ts";
import { E2E_OWNER_PHONES, E2E_TEST_CODE, E2E_TEST_NUMBER } from "./e2e/support/owners.ts";

const root = path.dirname(fileURLToPath(import.meta.url));
const basePort = Number(process.env.E2E_BASE_PORT ?? 3310);

/** Fixed, test-only values: never used outside these throwaway servers. */
const TEST_SECRET = "e2e-only-textgate-secret-0123456789abcdefghijklmnop";

interface ServerSpec {
  name: "main" | "alphanumeric" | "expiry";
  port: number;
  /** The AUTH_* settings that make this server different. */
  env: Record<string, string>;
}

const E2E_SERVERS: readonly ServerSpec[] = [
  {
    name: "main",
    port: basePort,
    env: {
      OWNER_PHONES: E2E_OWNER_PHONES.join(","),
      EMBED_ALLOWED_ORIGINS: e2eEmbedder(basePort),
      // owner-webhooks.spec.ts's receiver listens on 127.0.0.1 (http), which production refuses by default.
      WEBHOOKS_ALLOW_PRIVATE_URLS: "true",
      TEST_NUMBERS: `${E2E_TEST_NUMBER}=${E2E_TEST_CODE}`,
      // owner-insights.spec.ts waits for the rollup to count the rows it seeds (default: every minute).
      INSIGHTS_ROLLUP_INTERVAL_MS: "1000",
      // A year from today: the server refuses a past date at boot.
      TEST_NUMBERS_VALID_UNTIL: new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10),
    },
  },
  { name: "alphanumeric", port: basePort + 1, env: { AUTH_CODE_ALPHANUMERIC: "true", AUTH_CODE_LENGTH: "8" } },
  { name: "expiry", port: basePort + 2, env: { AUTH_CODE_VALIDITY_SECONDS: "4" } },
];

const origin = (port: number) => `http://127.0.0.1:${port}`;

function webServer(server: ServerSpec) {
  const database = e2eDatabasePath(server.name, server.port);
  return {
    name: server.name,
    // serve.ts refuses to start without a production build, empties this server's database and bundles
    // server.ts to E2E_SERVER_BUNDLE; the bundle then replaces the shell, so it gets the SIGTERM below.
    command: 'node --import tsx e2e/support/serve.ts && exec node --enable-source-maps "$E2E_SERVER_BUNDLE"',
    url: `${origin(server.port)}/healthz`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
    // Server warnings and errors (LOG_LEVEL=warn) show up in the run output, prefixed with the server name.
    stdout: "pipe" as const,
    stderr: "pipe" as const,
    // SIGTERM lets server.ts close its database cleanly.
    gracefulShutdown: { signal: "SIGTERM" as const, timeout: 10_000 },
    env: {
      NODE_ENV: "production",
      SANDBOX_IN_PRODUCTION: "true",
      SERVE_PAGES: "true",
      TEXTGATE_SECRET: TEST_SECRET,
      DATABASE_URL: `file:${database}`,
      E2E_SERVER_BUNDLE: path.join(root, "tmp", "e2e", `server-${server.port}`, "server.mjs"),
      PORT: String(server.port),
      HOST: "127.0.0.1",
      PUBLIC_URL: origin(server.port),
      LOG_LEVEL: "warn",
      NEXT_TELEMETRY_DISABLED: "1",
      AUTH_START_LIMIT_PER_NUMBER: "1000",
      AUTH_START_LIMIT_PER_IP: "100000",
      SEND_LIMIT_PER_NUMBER: "1000",
      RESEND_COOLDOWN_SECONDS: "3",
      ...server.env,
    },
  };
}

const chromium = {
  ...devices["Desktop Chrome"],
  launchOptions: {
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  },
};

const serverFor = (name: ServerSpec["name"]): ServerSpec => {
  const server = E2E_SERVERS.find((s) => s.name === name);
  if (!server) throw new Error(`no e2e server named ${name}`);
  return server;
};

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  globalSetup: "./e2e/support/global-setup.ts",
  outputDir: "test-results",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  // Two cores: the three servers and two browsers already share them.
  workers: 2,
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "main",
      testIgnore: ["**/alphanumeric.spec.ts", "**/expiry.spec.ts"],
      use: { ...chromium, baseURL: origin(serverFor("main").port) },
    },
    {
      // The accessibility scans, the no-sideways-scroll check, the owner's Webhooks section and insights again on a phone-sized screen.
      name: "phone",
      testMatch: ["**/a11y.spec.ts", "**/owner-webhooks.spec.ts", "**/owner-insights.spec.ts"],
      metadata: { server: "main" },
      use: { ...chromium, viewport: { width: 390, height: 844 }, baseURL: origin(serverFor("main").port) },
    },
    {
      name: "alphanumeric",
      testMatch: "**/alphanumeric.spec.ts",
      use: { ...chromium, baseURL: origin(serverFor("alphanumeric").port) },
    },
    {
      name: "expiry",
      testMatch: "**/expiry.spec.ts",
      use: { ...chromium, baseURL: origin(serverFor("expiry").port) },
    },
  ],
  webServer: E2E_SERVERS.map(webServer),
});
