/**
 * This host's end-to-end tests, as its own suite: `npx playwright test` in this directory, after `next build`
 * (the repository's `npm test` runs both, scripts/test.sh).
 *
 * A config of its own rather than a project in the repository's playwright.config.ts: that one's global
 * setup and three servers serve textgate's own pages, and its projects would all wait for this app's two
 * servers too. Here nothing else runs: an API-only textgate (no Next build of it) and the host, started in
 * that order (the host reads the API key the textgate server created), one worker, one browser.
 */
import { defineConfig, devices } from "@playwright/test";
import { HOST_PORT, HOST_URL, KEY_ENV_FILE, REPOSITORY, TEXTGATE_PORT, TEXTGATE_URL } from "./e2e/servers.ts";

/** Test-only secrets of these throwaway servers. */
const TEXTGATE_SECRET = "e2e-only-next-host-textgate-secret-0123456789abcdef";
const NEXTAUTH_SECRET = "e2e-only-next-host-nextauth-secret-0123456789abcdef";

/** Both servers start with the run and stop with it: never reused, since the key belongs to the database a start empties. */
const started = {
  reuseExistingServer: false,
  timeout: 60_000,
  stdout: "pipe",
  stderr: "pipe",
  gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
} as const;

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: !!process.env.CI,
  workers: 1,
  reporter: "list",
  use: {
    baseURL: HOST_URL,
    trace: "retain-on-failure",
    ...devices["Desktop Chrome"],
    launchOptions: { executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic"] },
  },
  webServer: [
    {
      name: "textgate",
      // Empties its SQLite database, creates an API key in it (written to KEY_ENV_FILE) and bundles the
      // server, which then serves the API in place of the shell (as the repository's e2e servers do).
      command: 'node --import tsx e2e/support/serve.ts && exec node --enable-source-maps "$E2E_SERVER_BUNDLE"',
      cwd: REPOSITORY,
      url: `${TEXTGATE_URL}/healthz`,
      ...started,
      env: {
        NODE_ENV: "production",
        SANDBOX_IN_PRODUCTION: "true",
        SERVE_PAGES: "false",
        TEXTGATE_SECRET,
        DATABASE_URL: `file:tmp/e2e/next-host-textgate-${TEXTGATE_PORT}.db`,
        E2E_API_KEY_ENV_FILE: KEY_ENV_FILE,
        E2E_SERVER_BUNDLE: `${REPOSITORY}/tmp/e2e/server-next-host-${TEXTGATE_PORT}/server.mjs`,
        PORT: String(TEXTGATE_PORT),
        HOST: "127.0.0.1",
        PUBLIC_URL: TEXTGATE_URL,
        LOG_LEVEL: "warn",
      },
    },
    {
      name: "host",
      // A fresh user store too (lib/users.ts), like the textgate database.
      command: `rm -f .data/users.json && node --env-file=${KEY_ENV_FILE} server.mjs`,
      url: HOST_URL,
      ...started,
      env: {
        NODE_ENV: "production",
        PORT: String(HOST_PORT),
        HOST: "127.0.0.1",
        TEXTGATE_URL,
        NEXTAUTH_URL: HOST_URL,
        NEXTAUTH_SECRET,
        NEXT_TELEMETRY_DISABLED: "1",
      },
    },
  ],
});
