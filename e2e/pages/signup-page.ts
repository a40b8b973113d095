/** /signup: a display name, then the same phone → code steps; a new number ends on /account. */
import { type Locator, type Page, expect } from "@playwright/test";
import type { SmsChallenge } from "../../lib/auth/contract.ts";
import { PhoneCodeForm } from "./phone-code-form.ts";

export class SignupPage extends PhoneCodeForm {
  readonly heading: Locator;
  readonly displayName: Locator;

  constructor(page: Page) {
    super(page);
    this.heading = page.getByRole("heading", { name: "Create your account" });
    this.displayName = page.getByLabel("Display name", { exact: true });
  }

  async goto(): Promise<void> {
    await this.open("/signup");
    await expect(this.heading).toBeVisible();
  }

  /** Fills in the name and the number and sends the code. */
  async start(name: string, phone: string): Promise<SmsChallenge> {
    await this.displayName.fill(name);
    return this.sendCode(phone);
  }
}
