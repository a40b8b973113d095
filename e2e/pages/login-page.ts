/** /login: phone, then code, then back to `callbackUrl` (default /account). Same parts as /signup's form. */
import { type Locator, type Page, expect } from "@playwright/test";
import { PhoneCodeForm } from "./phone-code-form.ts";

export class LoginPage extends PhoneCodeForm {
  readonly heading: Locator;
  readonly createAccountLink: Locator;

  constructor(page: Page) {
    super(page);
    this.heading = page.getByRole("heading", { name: "Sign in", exact: true });
    this.createAccountLink = page.getByRole("link", { name: "Create an account" });
  }

  /**
   * Opens /login and waits until its script has wired the form (it marks the form's root `data-ready`):
   * this page ships no React, so there is no config request to wait for as on /signup.
   */
  async goto(callbackUrl?: string): Promise<void> {
    await this.page.goto(callbackUrl ? `/login?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/login");
    await expect(this.page.locator('[data-login-root][data-ready="true"]')).toBeAttached();
    await expect(this.heading).toBeVisible();
    await expect(this.codeHeading, "the code step stays hidden until a code is sent").toBeHidden();
  }
}
