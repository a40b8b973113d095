/** /login: phone, then code, then back to `callbackUrl` (default /account). */
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

  async goto(callbackUrl?: string): Promise<void> {
    await this.open(callbackUrl ? `/login?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/login");
    await expect(this.heading).toBeVisible();
  }
}
