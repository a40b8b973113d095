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

test("signing up with a number that already has an account says so and signs in to that account", async ({ page, signupPage, accountPage, signUp, sandbox, phone, displayName }) => {
  await signUp({ name: displayName, phone });
  await accountPage.signOutButton.click();
  await expect(page).toHaveURL(/\/login/);

  await signupPage.goto();
  const since = Date.now();
  await signupPage.start(`${displayName} again`, phone);
  await signupPage.enterCode(await sandbox.latestCode(phone, { since }));
  await expect(page.getByRole("status").filter({ hasText: "This number already had an account: you are signed in to it." })).toBeVisible();
  await expect(page).toHaveURL(/\/account$/);
  // The existing account, with its own name.
  await expect(accountPage.signedInAs(displayName)).toBeVisible();
});

test("a new account is not told it already existed, and its display name can be changed on /account", async ({ page, signUp, accountPage, phone, displayName }) => {
  await signUp({ name: displayName, phone });
  await expect(page.getByText("already had an account")).toBeHidden();
  const field = page.getByLabel("Display name", { exact: true });
  await expect(field).toHaveValue(displayName);
  await field.fill(`${displayName} Renamed`);
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your display name is saved." })).toBeVisible();
  await expect(accountPage.signedInAs(`${displayName} Renamed`)).toBeVisible();
  await page.reload();
  await expect(accountPage.signedInAs(`${displayName} Renamed`)).toBeVisible();
});
