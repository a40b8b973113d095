/** Passwordless onboarding: a new number, the code read from the sandbox handset, straight to /account. */
import { expect, phonePattern, test } from "./fixtures.ts";

test("a new number signs up with the code from the sandbox and lands on its account", async ({
  page,
  signupPage,
  accountPage,
  sandbox,
  phone,
  displayName,
}) => {
  await signupPage.goto();
  const since = Date.now();
  const challenge = await signupPage.start(displayName, phone);
  expect(challenge).toMatchObject({ to: phone, codeLength: 6, alphanumeric: false, attemptsLeft: 3 });

  const code = await sandbox.latestCode(phone, { since });
  expect(code).toMatch(/^\d{6}$/);
  await expect(signupPage.codeBoxes).toHaveCount(6);
  await signupPage.enterCode(code);

  await expect(page).toHaveURL(/\/account$/);
  await expect(accountPage.heading).toBeVisible();
  await expect(accountPage.signedInAs(displayName)).toBeVisible();
  await expect(accountPage.phoneNumberText).toHaveText(phonePattern(phone));

  const session = (await (await page.request.get("/api/auth/session")).json()) as { user?: { name?: string } };
  expect(session.user?.name).toBe(displayName);
});
