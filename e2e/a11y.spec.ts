/**
 * Accessibility scan (axe) of every page: no "serious" or "critical" violations (full results are
 * attached), and the page no wider than its viewport. The "phone" project runs this file again at 390×844.
 */
import type { Page, TestInfo } from "@playwright/test";
import { expectNoSeriousA11yViolations as axeScan, type ScanScope } from "./helpers/axe.ts";
import { expectNoSidewaysScroll } from "./helpers/layout.ts";
import { e2eApiKeyHeader, expect, test, wrongCode } from "./fixtures.ts";
import { E2E_OWNER_PHONE } from "./support/owners.ts";

const STATIC_PAGES = [
  { name: "home", path: "/", heading: undefined },
  { name: "embed", path: "/embed", heading: "Embed textgate" },
] as const;

async function expectNoSeriousA11yViolations(page: Page, testInfo: TestInfo, name: string, scope?: ScanScope): Promise<void> {
  await axeScan(page, testInfo, name, scope);
  await expectNoSidewaysScroll(page);
}

for (const { name, path, heading } of STATIC_PAGES) {
  test(`${path} has no serious accessibility violations`, async ({ page }, testInfo) => {
    await page.goto(path);
    if (heading) await expect(page.getByRole("heading", { name: heading })).toBeVisible();
    else await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoSeriousA11yViolations(page, testInfo, name);
  });
}

/**
 * The parts of /docs/api that axe scans with every rule. The page is generated from the OpenAPI document: all 65
 * operations are the same component (components/docs/operation-section.tsx) filled with other data, so these
 * parts hold one operation of each shape (a JSON body, query parameters, PATCH, DELETE, two path parameters, a
 * compat form body, neither parameters nor body) and every part that is not an operation: the contents, the
 * overview, authentication, the group headings and the schemas. Over the whole page (about 8,000 elements)
 * axe took 26 s on an idle machine and 90 s on a busy one (docs/benchmarks.md, "The suite's time").
 */
const DOCS_API_PARTS = [
  "nav[aria-label='Endpoints']",
  "section[aria-labelledby='overview-title']",
  "section[aria-labelledby='auth-title']",
  "h2[id^='group-']",
  "section[aria-labelledby='schemas-title']",
  "#post-api-v1-verifications",
  "#post-api-v1-verifications-id-check",
  "#get-api-v1-events",
  "#patch-api-v1-webhooks-id",
  "#delete-api-v1-webhooks-id",
  "#post-api-v1-webhooks-id-deliveries-deliveryid-retry",
  "#post-compat-twilio-v2-services-servicesid-verifications",
  "#get-healthz",
];
/** The phone project scans fewer of them: the contents and the first operations. */
const DOCS_API_PHONE_PARTS = ["nav[aria-label='Endpoints']", "#post-api-v1-verifications", "#post-api-v1-verifications-id-check"];
/**
 * Serious and critical rules about the page as a whole, which a scan of parts cannot see: run over every element.
 * duplicate-id-aria matters most here, as every operation's labels point at ids generated from its path.
 */
const WHOLE_PAGE_RULES = ["duplicate-id-aria", "aria-valid-attr-value", "document-title", "html-has-lang", "html-lang-valid", "aria-hidden-body"];

test("/docs/api, once the reference has loaded, has no serious violations, fits the screen, and its contents lead to each operation by keyboard", async ({ page }, testInfo) => {
  await page.goto("/docs/api");
  const contents = page.getByRole("navigation", { name: "Endpoints" });
  await expect(page.getByRole("heading", { level: 2, name: "Verifications" })).toBeVisible();
  // Every operation shows real examples: the first one of each is open, request and answer.
  await expect(page.locator("#post-api-v1-verifications").getByText("Answer 201").first()).toBeVisible();
  // The no-sideways-scroll check (in expectNoSeriousA11yViolations) covers the whole page on both projects.
  const include = testInfo.project.name === "phone" ? DOCS_API_PHONE_PARTS : DOCS_API_PARTS;
  await expectNoSeriousA11yViolations(page, testInfo, "docs-api-loaded", { include });
  // These rules read the DOM, which is the same at both widths (only the styles differ): the desktop project runs them.
  if (testInfo.project.name !== "phone") await axeScan(page, testInfo, "docs-api-whole-page", { rules: WHOLE_PAGE_RULES });
  await contents.getByRole("link").filter({ hasText: "/api/v1/verifications/{id}/check" }).first().focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#post-api-v1-verifications-id-check$/);
  await expect(page.locator("#post-api-v1-verifications-id-check")).toBeInViewport();
});

test("/login has no serious accessibility violations, on the phone step and on the code step", async ({
  page,
  loginPage,
  sandbox,
  phone,
}, testInfo) => {
  await loginPage.goto();
  await expectNoSeriousA11yViolations(page, testInfo, "login-phone");
  const since = Date.now();
  await loginPage.sendCode(phone);
  await expectNoSeriousA11yViolations(page, testInfo, "login-code");
  // With an error announced.
  await loginPage.enterCode(wrongCode(await sandbox.latestCode(phone, { since })));
  await expect(loginPage.alert).toBeVisible();
  await expectNoSeriousA11yViolations(page, testInfo, "login-code-error");
});

test("/signup has no serious accessibility violations", async ({ page, signupPage }, testInfo) => {
  await signupPage.goto();
  await expectNoSeriousA11yViolations(page, testInfo, "signup");
});

test("/account has no serious accessibility violations", async ({ page, accountPage, signUp, phone, displayName }, testInfo) => {
  await signUp({ name: displayName, phone });
  await expect(accountPage.heading).toBeVisible();
  await expectNoSeriousA11yViolations(page, testInfo, "account");
});

test("/sandbox has no serious accessibility violations, with a conversation on the handset", async ({ page, request, phone, signIn }, testInfo) => {
  // The handset texts first (with the API key, no sign-in involved), so the page shows a thread rather than an empty state.
  const reply = await request.post("/api/sandbox/reply", { data: { from: phone, body: "Hello from the e2e handset" }, headers: e2eApiKeyHeader(testInfo.project) });
  expect(reply.status()).toBe(201);
  // In production the handset is for owners (server/sandbox-access.ts).
  await signIn(E2E_OWNER_PHONE);
  await page.goto(`/sandbox?to=${encodeURIComponent(phone)}`);
  await expect(page.getByText("Hello from the e2e handset")).toBeVisible();
  await expectNoSeriousA11yViolations(page, testInfo, "sandbox");
});

test("/demo has no serious accessibility violations, with a pending Reply socket", async ({ page, signUp, phone, displayName }, testInfo) => {
  await signUp({ name: displayName, phone });
  await page.goto("/demo");
  await expect(page.getByRole("heading", { name: "Socket demo" })).toBeVisible();
  await expectNoSeriousA11yViolations(page, testInfo, "demo");
  await page.getByRole("button", { name: "Connect with Reply" }).click();
  await expect(page.getByText(/to the text we just sent you/)).toBeVisible();
  await expectNoSeriousA11yViolations(page, testInfo, "demo-reply");
});
