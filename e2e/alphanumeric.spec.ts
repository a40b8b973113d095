/** Project "alphanumeric" (AUTH_CODE_ALPHANUMERIC=true, AUTH_CODE_LENGTH=8): letters and digits, any case. */
import { expect, test } from "./fixtures.ts";

test("an 8-character code of letters and digits, typed in lower case, signs in", async ({ page, loginPage, sandbox, phone }) => {
  await loginPage.goto();
  const since = Date.now();
  const challenge = await loginPage.sendCode(phone);
  expect(challenge).toMatchObject({ codeLength: 8, alphanumeric: true });

  const code = await sandbox.latestCode(phone, { since });
  expect(code).toMatch(/^[A-Z0-9]{8}$/);
  await expect(loginPage.codeBoxes).toHaveCount(8);
  // A text keyboard, not a numeric one.
  await expect(loginPage.codeBox(1, 8)).not.toHaveAttribute("inputmode", "numeric");

  await loginPage.enterCode(code.toLowerCase());
  await expect(page).toHaveURL(/\/account$/);
});
