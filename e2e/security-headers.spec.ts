/**
 * Every page runs under its Content-Security-Policy (server/http/security-headers.ts) without a single
 * violation, /login's sign-in included; /owner cannot be framed by anyone, /embed only by the allowed site
 * (EMBED_ALLOWED_ORIGINS of the "main" server). @see issue 10
 */
import http from "node:http";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures.ts";
import { embedderPort, strangerPort } from "./support/embedders.ts";
import { E2E_OWNER_PHONE } from "./support/owners.ts";

interface Violation {
  directive: string;
  blocked: string;
  page: string;
}

/**
 * Records CSP violations of every document the page loads: `securitypolicyviolation` events (through an
 * init script, which Playwright injects outside the page's CSP) and the console errors Chromium logs for them.
 */
async function watchViolations(page: Page): Promise<{ violations: () => Promise<Violation[]>; console: string[] }> {
  const console: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) console.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: Violation[] = [];
    (window as unknown as { __cspViolations: Violation[] }).__cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (event) => {
      seen.push({ directive: event.effectiveDirective, blocked: event.blockedURI, page: location.pathname });
    });
  });
  return {
    console,
    violations: () => page.evaluate(() => (window as unknown as { __cspViolations?: Violation[] }).__cspViolations ?? []),
  };
}

test("every page loads and works with no CSP violation, sign-in through /login included", async ({ page, loginPage, sandbox, phone }) => {
  const watch = await watchViolations(page);
  const all: Violation[] = [];
  const visit = async (path: string, heading: RegExp) => {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    // Next's client has started (it sets window.next): the page's scripts ran, so their violations are counted too.
    await page.waitForFunction(() => "next" in window);
    all.push(...(await watch.violations()));
  };

  await visit("/", /textgate/);
  await visit("/signup", /Create your account/);
  await visit("/docs/api", /API/);
  await visit("/embed", /Embed textgate/);

  // /login (its own script from public/_textgate/, with its lazily loaded chunk): a full sign-in as the owner.
  await loginPage.goto("/owner");
  const since = Date.now();
  await loginPage.sendCode(E2E_OWNER_PHONE);
  all.push(...(await watch.violations()));
  await loginPage.enterCode(await sandbox.latestCode(E2E_OWNER_PHONE, { since }));
  await expect(page).toHaveURL(/\/owner$/);
  await expect(page.getByRole("heading", { name: "Owner console", level: 1 })).toBeVisible();
  await expect(page.getByTestId("socket-count")).toBeVisible();
  all.push(...(await watch.violations()));

  await visit("/account", /Your account/);
  await visit("/demo", /Socket demo/);
  await visit(`/sandbox?to=${encodeURIComponent(phone)}`, /Sandbox handset/);
  // Client-side navigation (RSC fetches) too.
  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sandbox" }).click();
  await expect(page).toHaveURL(/\/sandbox$/);
  await expect(page.getByRole("heading", { level: 1, name: "Sandbox handset" })).toBeVisible();
  all.push(...(await watch.violations()));

  expect(all).toEqual([]);
  expect(watch.console).toEqual([]);
});

/** A one-page site on `port` whose page frames /embed and /owner of `base`; closed when the test ends. */
async function framingSite(port: number, base: string): Promise<{ url: string; close: () => Promise<void> }> {
  const html =
    `<!doctype html><html lang="en"><head><title>framing test</title></head><body>` +
    `<iframe id="embed" title="embed" src="${base}/embed"></iframe><iframe id="owner" title="owner" src="${base}/owner"></iframe></body></html>`;
  const server = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html));
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }) };
}

test("/owner cannot be framed; /embed can, by the allowed site only", async ({ page }, testInfo) => {
  const base = testInfo.project.use.baseURL as string;
  const port = Number(new URL(base).port);
  const refusals: string[] = [];
  page.on("console", (message) => {
    if (/frame-ancestors/.test(message.text())) refusals.push(message.text());
  });
  const embedder = await framingSite(embedderPort(port), base);
  const stranger = await framingSite(strangerPort(port), base);
  try {
    await page.goto(embedder.url);
    await expect(page.frameLocator("#embed").getByRole("heading", { name: "Embed textgate" })).toBeVisible();
    await expect.poll(() => refusals.filter((r) => r.includes("'none'")).length, { message: "/owner refused in a frame" }).toBe(1);
    await expect(page.frameLocator("#owner").getByRole("heading", { name: "Owner console" })).toHaveCount(0);

    refusals.length = 0;
    await page.goto(stranger.url);
    await expect.poll(() => refusals.length, { message: "/embed and /owner refused in a stranger's frames" }).toBe(2);
    await expect(page.frameLocator("#embed").getByRole("heading", { name: "Embed textgate" })).toHaveCount(0);
  } finally {
    await embedder.close();
    await stranger.close();
  }
});
