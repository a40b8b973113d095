/** /account: who is signed in, changing the phone number, signing out (here or everywhere). */
import { type Locator, type Page, type Response, expect } from "@playwright/test";
import type { SmsChallenge } from "../../lib/auth/contract.ts";

export class AccountPage {
  readonly heading: Locator;
  readonly phoneNumberText: Locator;
  readonly changePhoneHeading: Locator;
  readonly newPhoneNumber: Locator;
  readonly sendCodeToNewNumberButton: Locator;
  readonly verificationCode: Locator;
  readonly confirmNewNumberButton: Locator;
  readonly reauthText: Locator;
  readonly signOutButton: Locator;
  readonly signOutEverywhereButton: Locator;
  readonly alert: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { name: "Your account" });
    this.phoneNumberText = page.getByText(/^Phone number:/);
    this.changePhoneHeading = page.getByRole("heading", { name: "Change phone number" });
    this.newPhoneNumber = page.getByLabel("New phone number", { exact: true });
    this.sendCodeToNewNumberButton = page.getByRole("button", { name: "Send code to new number" });
    this.verificationCode = page.getByLabel("Verification code", { exact: true });
    this.confirmNewNumberButton = page.getByRole("button", { name: "Confirm new number" });
    this.reauthText = page.getByText("For your security, sign in again before changing your number.");
    this.signOutButton = page.getByRole("main").getByRole("button", { name: "Sign out", exact: true });
    this.signOutEverywhereButton = page.getByRole("button", { name: "Sign out everywhere" });
    this.alert = page.getByRole("alert").and(page.locator(":not(#__next-route-announcer__)")).filter({ hasText: /\S/ });
  }

  async goto(): Promise<void> {
    await this.page.goto("/account");
  }

  signedInAs(name: string): Locator {
    return this.page.getByText(`Signed in as ${name}`);
  }

  /** The status line after a change: "Your phone number is now …". */
  numberChangedTo(formatted: string | RegExp): Locator {
    return this.page.getByText(typeof formatted === "string" ? `Your phone number is now ${formatted}` : formatted);
  }

  /** Sends a code to `phone` (typed in E.164) and returns the challenge the page got. */
  async requestNumberChange(phone: string): Promise<SmsChallenge> {
    await this.newPhoneNumber.fill(phone);
    const started = this.page.waitForResponse(
      (r: Response) => new URL(r.url()).pathname === "/api/account/phone/start" && r.request().method() === "POST",
    );
    await this.sendCodeToNewNumberButton.click();
    const response = await started;
    expect(response.status(), `/api/account/phone/start answered ${response.status()}: ${await response.text()}`).toBe(200);
    return (await response.json()) as SmsChallenge;
  }

  /** Enters the code sent to the new number; a complete code submits itself (as "Confirm new number" would). */
  async confirmNumberChange(code: string): Promise<void> {
    await this.verificationCode.fill(code);
  }
}
