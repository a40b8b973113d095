/**
 * /login: signing in again as an existing user, wrong codes and the lock after the last attempt,
 * resending the same code, and pasting a whole code.
 */
import { expect, test, wrongCode } from "./fixtures.ts";

test("an existing user signs in again and goes back where they were headed", async ({
  page,
  context,
  loginPage,
  accountPage,
  sandbox,
  signUp,
  phone,
  displayName,
}) => {
  await signUp({ name: displayName, phone });
  await context.clearCookies();

  await accountPage.goto();
  await expect(page).toHaveURL(/\/login\?callbackUrl=(%2F|\/)account$/);
  await expect(loginPage.heading).toBeVisible();
  await expect(loginPage.createAccountLink).toBeVisible();

  const since = Date.now();
  await loginPage.sendCode(phone);
  await expect(loginPage.sandboxLink).toHaveAttribute("href", `/sandbox?to=${encodeURIComponent(phone)}`);
  await loginPage.enterCode(await sandbox.latestCode(phone, { since }));

  await expect(page).toHaveURL(/\/account$/);
  await expect(accountPage.signedInAs(displayName)).toBeVisible();
});

test("wrong codes count down the attempts and the last one locks the verification", async ({
  page,
  loginPage,
  sandbox,
  authApi,
  phone,
}) => {
  await loginPage.goto();
  let since = Date.now();
  const challenge = await loginPage.sendCode(phone);
  expect(challenge.attemptsLeft).toBe(3);
  const code = await sandbox.latestCode(phone, { since });

  await loginPage.enterCode(wrongCode(code, 1));
  await expect(loginPage.alert).toHaveText("Wrong code. 2 attempts left.");
  await loginPage.enterCode(wrongCode(code, 2));
  await expect(loginPage.alert).toHaveText("Wrong code. 1 attempt left.");
  await loginPage.enterCode(wrongCode(code, 3));
  await expect(loginPage.alert).toHaveText("Too many wrong codes. Request a new code.");
  await expect(loginPage.codeBox(1, 6)).toBeDisabled();
  await expect(page).toHaveURL(/\/login/);

  // The page no longer takes a code, and the server refuses even the right one.
  expect(await authApi.signInWithCode(challenge.verificationId, code)).toMatchObject({ kind: expect.stringMatching(/^(locked|expired_or_used)$/) });

  // "Resend code" starts a new verification, and its code signs in.
  since = Date.now();
  const fresh = await loginPage.resend();
  expect(fresh.verificationId).not.toBe(challenge.verificationId);
  await loginPage.enterCode(await sandbox.latestCode(phone, { since }));
  await expect(page).toHaveURL(/\/account$/);
});

test("resend texts the same code again after the cooldown, and it signs in", async ({ page, loginPage, sandbox, phone }) => {
  await loginPage.goto();
  const since = Date.now();
  await loginPage.sendCode(phone);
  // RESEND_COOLDOWN_SECONDS=3 on the e2e servers.
  await expect(loginPage.resendButton).toBeDisabled();
  await expect(loginPage.resendButton).toHaveText(/^Resend code in \d s$/);
  const code = await sandbox.latestCode(phone, { since });

  await loginPage.resend();
  await expect(page.getByRole("status").filter({ hasText: "We sent the same code again to" })).toBeVisible();

  const texts = await sandbox.textsSince(phone, since, 2);
  expect(texts.slice(0, 2).map((t) => t.body)).toEqual([expect.stringContaining(code), expect.stringContaining(code)]);
  await loginPage.enterCode(code);
  await expect(page).toHaveURL(/\/account$/);
});

test("pasting the whole code fills the boxes and signs in", async ({ page, loginPage, sandbox, phone }) => {
  await loginPage.goto();
  const since = Date.now();
  await loginPage.sendCode(phone);
  const first = loginPage.codeBox(1, 6);
  await expect(first).toHaveAttribute("autocomplete", "one-time-code");
  await expect(first).toHaveAttribute("inputmode", "numeric");

  await loginPage.pasteCode(await sandbox.latestCode(phone, { since }));
  await expect(page).toHaveURL(/\/account$/);
});

test("/login ships one small script and none of Next's or React's", async ({ page, loginPage }) => {
  const scripts: string[] = [];
  page.on("request", (request) => {
    if (request.resourceType() === "script") scripts.push(new URL(request.url()).pathname);
  });
  await loginPage.goto();
  expect(scripts[0]).toBe("/_textgate/login.js");
  expect(scripts.filter((path) => path.startsWith("/_next/"))).toEqual([]);
});

test("an impossible number is explained on submit and nothing is sent", async ({ page, loginPage }) => {
  await loginPage.goto();
  let starts = 0;
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === "/api/auth/sms/start") starts++;
  });
  await loginPage.country.selectOption("US");
  await loginPage.phoneNumber.fill("212555");
  await loginPage.sendCodeButton.click();
  await expect(loginPage.alert).toHaveText("This phone number is too short.");
  await expect(loginPage.phoneNumber).toHaveAttribute("aria-invalid", "true");
  await expect(loginPage.codeHeading).toBeHidden();
  expect(starts).toBe(0);

  // Typing on until the number is possible takes the message away.
  await loginPage.phoneNumber.press("End");
  await loginPage.phoneNumber.pressSequentially("0123");
  await expect(loginPage.alert).toHaveCount(0);
  await expect(loginPage.phoneNumber).toHaveValue("(212) 555-0123");
});

test("signed in, the header shows the account and signs out; /login offers to continue or to sign out", async ({ page, signUp, signIn, loginPage, phone, displayName }) => {
  await signUp({ name: displayName, phone });
  const header = page.getByRole("banner");
  await expect(header.getByRole("link", { name: `Your account: ${displayName}` })).toHaveAttribute("href", "/account");
  await expect(header.getByRole("link", { name: "Sign in" })).toHaveCount(0);

  await page.goto("/login?callbackUrl=%2Fdemo");
  const notice = page.getByRole("status").filter({ hasText: "You are already signed in as" });
  await expect(notice).toContainText(displayName);
  await expect(notice.getByRole("link", { name: "Continue" })).toHaveAttribute("href", "/demo");
  await notice.getByRole("button", { name: "Sign out" }).click();
  await expect(header.getByRole("link", { name: "Sign in" })).toBeVisible();
  await expect(page.getByText("You are already signed in")).toHaveCount(0);
  expect(((await (await page.request.get("/api/auth/session")).json()) as { user?: unknown }).user).toBeUndefined();

  await signIn(phone);
  await header.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(header.getByRole("link", { name: "Sign in" })).toBeVisible();
  await loginPage.goto();
});
