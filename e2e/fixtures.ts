/**
 * Fixtures for every spec, on `textgate/playwright` (lib/testing/playwright.ts), the fixtures a host's
 * tests use: its fresh numbers and its inbox of the sandbox handset (where codes arrive), here against
 * the e2e server of each project with that server's API key; and page objects, and `signUp`, the whole
 * onboarding through the pages for specs that need an existing user.
 */
import { type APIRequestContext, type Page, test as base, expect } from "@playwright/test";
import { parseSignInError, type SignInError } from "../lib/auth/contract.ts";
import { createTextgateClient } from "../lib/client/index.ts";
import type { SandboxMessage } from "../lib/client/types.ts";
import { codeIn, type Inbox, textgateFixtures } from "../lib/testing/playwright.ts";
import { AccountPage } from "./pages/account-page.ts";
import { LoginPage } from "./pages/login-page.ts";
import { SignupPage } from "./pages/signup-page.ts";
import { e2eApiKeyHeader } from "./support/api-keys.ts";

export { codeIn, e2eApiKeyHeader, expect, type SandboxMessage };

export interface Sandbox {
  /** What the handset of `to` shows, newest first. */
  messages(to: string): Promise<SandboxMessage[]>;
  /** Waits for a text with a code sent to `to` at or after `since` (ms since epoch), and returns the code. */
  latestCode(to: string, options?: { since?: number; timeout?: number }): Promise<string>;
  /** Waits until `count` texts sent to `to` at or after `since` are on the handset, and returns them (newest first). */
  textsSince(to: string, since: number, count: number): Promise<SandboxMessage[]>;
}

export interface AuthApi {
  /**
   * Tries a code the way next-auth's signIn("sms") does, outside any browser (its own cookie jar): null
   * when it signs in, else why not. Shows what the server decides, whatever the page lets a person do.
   */
  signInWithCode(verificationId: string, code: string): Promise<SignInError | null>;
}

export interface User {
  name: string;
  phone: string;
}

interface Fixtures {
  /** A phone number (E.164) no other test uses. */
  phone: string;
  /** More numbers no other test uses. */
  newPhone: () => string;
  /** A display name no other test uses. */
  displayName: string;
  sandbox: Sandbox;
  authApi: AuthApi;
  loginPage: LoginPage;
  signupPage: SignupPage;
  accountPage: AccountPage;
  /** Signs up `user` through /signup in `page` (default: the test's page); ends on /account. */
  signUp: (user: User, page?: Page) => Promise<void>;
  /** Signs in with `phone` through /login in `page` (default: the test's page); ends on /account. */
  signIn: (phone: string, page?: Page) => Promise<void>;
  /** A page in a second browser context (its own cookies: another person), on the same server. */
  otherPage: Page;
}

/** Matches `e164`'s national digits however the page formats them: "(212) 555-0123", "212 555 0123", "+1 212…". */
export function phonePattern(e164: string): RegExp {
  const national = e164.replace(/^\+1/, "");
  return new RegExp(national.split("").join("\\D*"));
}

/** A code of the same length and alphabet that is certainly wrong. */
export function wrongCode(code: string, shift = 1): string {
  const digits = "0123456789";
  return [...code].map((c) => (digits.includes(c) ? digits.charAt((digits.indexOf(c) + shift) % 10) : c === "Z" ? "A" : "Z")).join("");
}

/** The e2e fixtures' sandbox: the kit's inbox, and the texts to a number since a time. */
function sandboxOn(inbox: Inbox): Sandbox {
  const textsSince = async (to: string, since: number) =>
    (await inbox.messages(to)).filter((m) => m.direction === "outbound" && m.channel === "sms" && Date.parse(m.createdAt) >= since);
  return {
    messages: (to) => inbox.messages(to),
    latestCode: (to, { since, timeout } = {}) => inbox.waitForCode(to, { since, timeoutMs: timeout }),
    async textsSince(to, since, count) {
      let texts: SandboxMessage[] = [];
      await expect
        .poll(
          async () => {
            texts = await textsSince(to, since);
            return texts.length;
          },
          { message: `${count} texts to ${to} since ${new Date(since).toISOString()}` },
        )
        .toBeGreaterThanOrEqual(count);
      return texts;
    },
  };
}

function authApiFor(request: APIRequestContext): AuthApi {
  return {
    async signInWithCode(verificationId, code) {
      const csrf = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
      const response = await request.post("/api/auth/callback/sms", {
        form: { verificationId, code, csrfToken: csrf.csrfToken, callbackUrl: "/account", json: "true" },
      });
      const body = (await response.json()) as { url?: string };
      const error = body.url ? new URL(body.url, "http://e2e.invalid").searchParams.get("error") : "no url in the answer";
      return error ? parseSignInError(error) : null;
    },
  };
}

const runSeed = Math.floor(Date.now() / 1000) % 100_000;
let names = 0;

export const test = base.extend(textgateFixtures()).extend<Fixtures>({
  // The kit's client, of each project's e2e server with the key global-setup.ts made for it.
  textgate: [
    async ({}, use, workerInfo) => {
      const baseUrl = workerInfo.project.use.baseURL;
      if (!baseUrl) throw new Error(`e2e: project ${workerInfo.project.name} has no baseURL`);
      const apiKey = e2eApiKeyHeader(workerInfo.project).authorization.replace(/^Bearer /, "");
      await use(createTextgateClient({ baseUrl, apiKey }));
    },
    { scope: "worker" },
  ],
  phone: async ({ phoneNumber }, use) => {
    await use(phoneNumber);
  },
  newPhone: async ({ newPhoneNumber }, use) => {
    await use(newPhoneNumber);
  },
  displayName: async ({}, use, testInfo) => {
    await use(`Tester ${testInfo.workerIndex}-${runSeed}-${++names}`);
  },
  sandbox: async ({ inbox }, use) => {
    await use(sandboxOn(inbox));
  },
  authApi: async ({ request }, use) => {
    await use(authApiFor(request));
  },
  loginPage: async ({ page }, use) => {
    await use(new LoginPage(page));
  },
  signupPage: async ({ page }, use) => {
    await use(new SignupPage(page));
  },
  accountPage: async ({ page }, use) => {
    await use(new AccountPage(page));
  },
  signUp: async ({ page, sandbox }, use) => {
    await use(async (user, onPage = page) => {
      const signup = new SignupPage(onPage);
      await signup.goto();
      const since = Date.now();
      await signup.start(user.name, user.phone);
      await signup.enterCode(await sandbox.latestCode(user.phone, { since }));
      await expect(onPage).toHaveURL(/\/account$/);
      await expect(new AccountPage(onPage).signedInAs(user.name)).toBeVisible();
    });
  },
  otherPage: async ({ browser, baseURL }, use) => {
    const context = await browser.newContext({ baseURL });
    await use(await context.newPage());
    await context.close();
  },
  signIn: async ({ page, sandbox }, use) => {
    await use(async (phone, onPage = page) => {
      const login = new LoginPage(onPage);
      await login.goto();
      const since = Date.now();
      await login.sendCode(phone);
      await login.enterCode(await sandbox.latestCode(phone, { since }));
      await expect(onPage).toHaveURL(/\/account$/);
      await expect(new AccountPage(onPage).heading).toBeVisible();
    });
  },
});
