/**
 * Project "expiry" (AUTH_CODE_VALIDITY_SECONDS=4): the code step counts the code's validity down, says
 * when it expired before anything is typed, the server refuses the old code too, and Resend brings a new
 * code that signs in.
 */
import { expect, test } from "./fixtures.ts";

test("the page says the code expired before it is typed; the server refuses it; a new code signs in", async ({ page, loginPage, sandbox, authApi, phone }) => {
  await loginPage.goto();
  let since = Date.now();
  const challenge = await loginPage.sendCode(phone);
  const code = await sandbox.latestCode(phone, { since });
  await expect(page.getByText(/^The code expires in [1-4] s\.$/)).toBeVisible();

  // Nothing typed: the page itself announces the end of the code's validity and disables the boxes.
  await expect(loginPage.alert).toHaveText("This code has expired. Request a new code.", { timeout: 15_000 });
  expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(challenge.expiresAt) - 1000);
  await expect(loginPage.codeBoxes.first()).toBeDisabled();
  await expect(page.getByText(/^The code expires in/)).toBeHidden();
  expect(await authApi.signInWithCode(challenge.verificationId, code)).toMatchObject({ kind: "expired_or_used" });
  await expect(page).toHaveURL(/\/login/);

  since = Date.now();
  await loginPage.resendButton.click();
  await expect(page.getByRole("status").filter({ hasText: "We sent a new code to" })).toBeVisible();
  await loginPage.enterCode(await sandbox.latestCode(phone, { since }));
  await expect(page).toHaveURL(/\/account$/);
});

test("the React flow (/signup) counts down and says when the code expired, before it is typed", async ({ page, signupPage, displayName, sandbox, phone }) => {
  await signupPage.goto();
  await signupPage.start(displayName, phone);
  await expect(page.getByText(/^The code expires in [1-4] s\.$/)).toBeVisible();
  await expect(signupPage.alert).toHaveText("This code has expired. Request a new code.", { timeout: 15_000 });
  await expect(signupPage.codeBoxes.first()).toBeDisabled();
  const since = Date.now();
  await signupPage.resendButton.click();
  await signupPage.enterCode(await sandbox.latestCode(phone, { since }));
  await expect(page).toHaveURL(/\/account$/);
});
