/** /account: changing the phone number, signing out, and signing out everywhere. */
import { codeIn, expect, phonePattern, test } from "./fixtures.ts";

test("changes the phone number with a code sent to the new one and tells the old one", async ({
  page,
  accountPage,
  sandbox,
  signUp,
  signIn,
  phone,
  newPhone,
  displayName,
}) => {
  await signUp({ name: displayName, phone });
  await expect(accountPage.phoneNumberText).toHaveText(phonePattern(phone));
  await expect(accountPage.changePhoneHeading).toBeVisible();

  const next = newPhone();
  const since = Date.now();
  const challenge = await accountPage.requestNumberChange(next);
  expect(challenge.to).toBe(next);
  await accountPage.confirmNumberChange(await sandbox.latestCode(next, { since }));
  await expect(accountPage.numberChangedTo(new RegExp(`^Your phone number is now .*${phonePattern(next).source}`))).toBeVisible();

  // The old number gets a plain notice, without a code.
  const [notice] = await sandbox.textsSince(phone, since, 1);
  expect(notice && codeIn(notice.body)).toBeNull();

  // The session and the page show the new number.
  await page.reload();
  await expect(accountPage.phoneNumberText).toHaveText(phonePattern(next));

  // And the new number is the one to sign in with.
  await accountPage.signOutButton.click();
  await expect(page).not.toHaveURL(/\/account$/);
  await signIn(next);
  await expect(accountPage.signedInAs(displayName)).toBeVisible();
  await expect(accountPage.phoneNumberText).toHaveText(phonePattern(next));
});

test("signing out ends the session", async ({ page, accountPage, signUp, phone, displayName }) => {
  await signUp({ name: displayName, phone });
  await accountPage.signOutButton.click();
  await expect(page).not.toHaveURL(/\/account$/);

  expect(await (await page.request.get("/api/auth/session")).json()).toEqual({});
  await accountPage.goto();
  await expect(page).toHaveURL(/\/login\?callbackUrl=(%2F|\/)account$/);
});

test("sign out everywhere ends the user's sessions in other browsers too", async ({
  browser,
  page,
  accountPage,
  signUp,
  signIn,
  phone,
  displayName,
}, testInfo) => {
  await signUp({ name: displayName, phone });

  const other = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  try {
    const otherPage = await other.newPage();
    await signIn(phone, otherPage);
    expect(((await (await otherPage.request.get("/api/auth/session")).json()) as { user?: { name?: string } }).user?.name).toBe(displayName);

    await accountPage.signOutEverywhereButton.click();
    await expect(page).not.toHaveURL(/\/account$/);
    await expect(page.getByRole("status").filter({ hasText: "You are signed out everywhere (2 sessions ended)." })).toBeVisible();
    expect(await (await page.request.get("/api/auth/session")).json()).toEqual({});

    // The other browser still holds its cookie, but the session behind it is gone.
    expect(await (await otherPage.request.get("/api/auth/session")).json()).toEqual({});
    await otherPage.reload();
    await expect(otherPage).toHaveURL(/\/login\?callbackUrl=(%2F|\/)account$/);
  } finally {
    await other.close();
  }
});
