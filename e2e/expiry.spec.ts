/** Project "expiry" (AUTH_CODE_VALIDITY_SECONDS=4): a code used after it expired is refused; a new one works. */
import { expect, test } from "./fixtures.ts";

test("an expired code is refused and a new code signs in", async ({ page, loginPage, sandbox, phone }) => {
  await loginPage.goto();
  let since = Date.now();
  const challenge = await loginPage.sendCode(phone);
  const code = await sandbox.latestCode(phone, { since });

  // Wait for the deadline the server announced, by polling the clock rather than sleeping a guess.
  const expiresAt = Date.parse(challenge.expiresAt);
  await expect.poll(() => Date.now(), { message: "the code's expiry", timeout: 15_000 }).toBeGreaterThan(expiresAt + 250);

  await loginPage.enterCode(code);
  await expect(loginPage.alert).toHaveText("This code has expired or was already used. Request a new code.");
  await expect(page).toHaveURL(/\/login/);

  await loginPage.differentNumberButton.click();
  since = Date.now();
  await loginPage.sendCode(phone);
  await loginPage.enterCode(await sandbox.latestCode(phone, { since }));
  await expect(page).toHaveURL(/\/account$/);
});
