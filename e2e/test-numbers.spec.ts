/**
 * Test numbers (TEST_NUMBERS of the "main" server), as an app-store reviewer and the owner meet them: the
 * reviewer signs in on /login with the number and code they were given, and nothing is texted; the owner's
 * /owner lists the test number, masked, as active, with that sign-in among its uses.
 * @see server/verification/test-numbers.ts
 */
import { expectNoSeriousA11yViolations } from "./helpers/axe.ts";
import { expect, test } from "./fixtures.ts";
import { LoginPage } from "./pages/login-page.ts";
import { OwnerPage } from "./pages/owner-page.ts";
import { E2E_OWNER_PHONE, E2E_TEST_CODE, E2E_TEST_NUMBER } from "./support/owners.ts";

test("a reviewer signs in with the test number's code, nothing is sent, and /owner shows the use", async ({ page, otherPage, signIn, sandbox }, testInfo) => {
  const login = new LoginPage(otherPage);
  await login.goto();
  await login.sendCode(E2E_TEST_NUMBER);
  await login.enterCode(E2E_TEST_CODE);
  await expect(otherPage).toHaveURL(/\/account$/);
  expect(await sandbox.messages(E2E_TEST_NUMBER)).toEqual([]);

  await signIn(E2E_OWNER_PHONE, page);
  const owner = new OwnerPage(page);
  await owner.goto();
  const section = page.getByRole("region", { name: "Test numbers" });
  await expect(section).toContainText(`Active until`);
  await expect(section).toContainText(`+1${"•".repeat(7)}${E2E_TEST_NUMBER.slice(-3)}`);
  const use = section.getByRole("row").filter({ hasText: "Sign-in" }).filter({ hasText: "approved" });
  await expect(use.first()).toContainText("(test number)");
  await expectNoSeriousA11yViolations(page, testInfo, "owner-test-numbers");
  // The code is a secret: the owner's page does not show it.
  await expect(page.locator("body")).not.toContainText(E2E_TEST_CODE);
});
