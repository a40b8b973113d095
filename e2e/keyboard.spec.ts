/** Signing in with the keyboard alone: Tab to the fields, type, Enter; the mouse is never used. */
import type { Locator, Page } from "@playwright/test";
import { parsePhoneNumberWithError } from "libphonenumber-js/max";
import { expect, test } from "./fixtures.ts";

/** Presses Tab until `target` has the focus (at most `limit` times). */
async function tabTo(page: Page, target: Locator, limit = 40): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  await expect(target, `Tab never reached ${target.toString()}`).toBeFocused({ timeout: 1 });
}

test("signs in with the keyboard only", async ({ page, loginPage, accountPage, sandbox, phone }) => {
  await loginPage.goto();

  await tabTo(page, loginPage.country);
  await expect(loginPage.country).toHaveValue("US");
  await tabTo(page, loginPage.phoneNumber);
  const parsed = parsePhoneNumberWithError(phone);
  await page.keyboard.type(parsed.nationalNumber);
  await expect(loginPage.phoneNumber).toHaveValue(parsed.formatNational());
  const since = Date.now();
  await page.keyboard.press("Enter");

  await expect(loginPage.codeHeading).toBeVisible();
  const code = await sandbox.latestCode(phone, { since });
  await tabTo(page, loginPage.codeBox(1, code.length));
  await page.keyboard.type(code);

  await expect(page).toHaveURL(/\/account$/);
  await expect(accountPage.heading).toBeVisible();
});
