/**
 * Every page runs under its Content-Security-Policy (server/http/security-headers.ts) without a single
 * violation, /login's sign-in included; /owner cannot be framed by anyone, /embed only by the allowed site
 * (EMBED_ALLOWED_ORIGINS of the "main" server). @see issue 10
 */
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures.ts";
import { E2E_EMBEDDER, E2E_STRANGER } from "./support/embedders.ts";
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
    // Until the page's scripts have loaded and run (hydration), so their violations are counted too.
    await page.waitForLoadState("networkidle");
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

test("/owner cannot be framed; /embed can, by the allowed site only", async ({ page }, testInfo) => {
  const base = testInfo.project.use.baseURL as string;
  const refusals: string[] = [];
  page.on("console", (message) => {
    if (/frame-ancestors/.test(message.text())) refusals.push(message.text());
  });
  const framing = (title: string) =>
    `<!doctype html><html lang="en"><head><title>${title}</title></head><body>` +
    `<iframe id="embed" title="embed" src="${base}/embed"></iframe><iframe id="owner" title="owner" src="${base}/owner"></iframe></body></html>`;
  await page.route(`${E2E_EMBEDDER}/**`, (route) => route.fulfill({ contentType: "text/html", body: framing("allowed embedder") }));
  await page.route(`${E2E_STRANGER}/**`, (route) => route.fulfill({ contentType: "text/html", body: framing("stranger") }));

  await page.goto(`${E2E_EMBEDDER}/`);
  await expect(page.frameLocator("#embed").getByRole("heading", { name: "Embed textgate" })).toBeVisible();
  await expect.poll(() => refusals.filter((r) => r.includes("'none'")).length, { message: "/owner refused in a frame" }).toBeGreaterThan(0);
  await expect(page.frameLocator("#owner").getByRole("heading", { name: "Owner console" })).toHaveCount(0);

  refusals.length = 0;
  await page.goto(`${E2E_STRANGER}/`);
  await expect.poll(() => refusals.length, { message: "/embed and /owner refused in a stranger's frames" }).toBeGreaterThanOrEqual(2);
  await expect(page.frameLocator("#embed").getByRole("heading", { name: "Embed textgate" })).toHaveCount(0);
});
