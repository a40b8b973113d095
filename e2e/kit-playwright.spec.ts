/**
 * `textgate/playwright` (lib/testing/playwright.ts) as a host's own test uses it: its fixtures sign in
 * through textgate's /login and /signup with a fresh number, reading the code from the sandbox over the
 * API with an API key, exactly as a host app's suite does against its textgate server.
 */
import { test as base, expect } from "@playwright/test";
import { textgateFixtures } from "../lib/testing/playwright.ts";
import { e2eApiKeyHeader } from "./support/api-keys.ts";

// Getters: the key exists once global setup has run, after this file is first loaded to list its tests.
const test = base.extend(
  textgateFixtures({
    get baseUrl() {
      return `http://127.0.0.1:${process.env.E2E_BASE_PORT ?? 3310}`;
    },
    get apiKey() {
      return e2eApiKeyHeader({ name: "main" }).authorization.replace(/^Bearer /, "");
    },
  }),
);

test("signs in on /login with the kit's fixtures: fresh number, code from the inbox, filled by accessible name", async ({ page, phoneNumber, inbox, fillPhone, fillCode }) => {
  await page.goto("/login?callbackUrl=/account");
  await expect(page.locator('[data-login-root][data-ready="true"]')).toBeAttached();
  await fillPhone(phoneNumber);
  await page.getByRole("button", { name: "Send code", exact: true }).click();
  await fillCode(await inbox.waitForCode(phoneNumber));
  await expect(page).toHaveURL(/\/account$/);
});

test("signs up on /signup (React's VerifyFlow) and waits for a second, new code after Resend", async ({ page, newPhoneNumber, inbox, fillPhone, fillCode }) => {
  const phone = newPhoneNumber();
  await page.goto("/signup");
  await fillPhone(phone);
  await page.getByRole("button", { name: "Send code", exact: true }).click();
  const first = await inbox.waitForCode(phone);
  await expect(page.getByRole("button", { name: /^Resend code/ })).toBeEnabled({ timeout: 15_000 });
  await page.getByRole("button", { name: /^Resend code/ }).click();
  // The resend repeats the same code in a new text: waitForCode returns each text's code once.
  expect(await inbox.waitForCode(phone)).toBe(first);
  await fillCode(first);
  await expect(page).toHaveURL(/\/account$/);
});

test("replies from a number through the inbox", async ({ phoneNumber, inbox }) => {
  await inbox.reply(phoneNumber, "YES");
  const [latest] = await inbox.messages(phoneNumber);
  expect(latest).toMatchObject({ direction: "inbound", body: "YES" });
});
