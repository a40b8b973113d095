/**
 * The phone → code steps that /login and /signup share (the VerifyFlow component): locators by
 * accessible name only, and intent methods that read like what a person does.
 */
import { type Locator, type Page, type Response, expect } from "@playwright/test";
import { parsePhoneNumberWithError } from "libphonenumber-js/max";
import type { SmsChallenge } from "../../lib/auth/contract.ts";

export class PhoneCodeForm {
  readonly country: Locator;
  readonly phoneNumber: Locator;
  readonly sendCodeButton: Locator;
  readonly codeHeading: Locator;
  readonly codeGroup: Locator;
  readonly codeBoxes: Locator;
  readonly verifyButton: Locator;
  readonly resendButton: Locator;
  readonly differentNumberButton: Locator;
  /** Error announcements of the form (Next's own route announcer, also role=alert, left out). */
  readonly alert: Locator;
  readonly sandboxLink: Locator;

  constructor(readonly page: Page) {
    this.country = page.getByLabel("Country", { exact: true });
    this.phoneNumber = page.getByLabel("Phone number", { exact: true });
    this.sendCodeButton = page.getByRole("button", { name: "Send code", exact: true });
    this.codeHeading = page.getByRole("heading", { name: "Enter the code" });
    this.codeGroup = page.getByRole("group", { name: "Verification code" });
    this.codeBoxes = this.codeGroup.getByRole("textbox");
    this.verifyButton = page.getByRole("button", { name: "Verify", exact: true });
    this.resendButton = page.getByRole("button", { name: /^Resend code/ });
    this.differentNumberButton = page.getByRole("button", { name: "Use a different number" });
    this.alert = page.getByRole("alert").and(page.locator(":not(#__next-route-announcer__)")).filter({ hasText: /\S/ });
    this.sandboxLink = page.getByRole("link", { name: "Open the sandbox handset" });
  }

  /**
   * Opens `path` and waits until the form is interactive: the page asks /api/auth/sms/config from an
   * effect, so its answer means React has hydrated (typing before that would be lost).
   */
  protected async open(path: string): Promise<void> {
    const configured = this.page.waitForResponse((r) => new URL(r.url()).pathname === "/api/auth/sms/config");
    await this.page.goto(path);
    await configured;
  }

  /** Box `index` (1-based) of a code of `length` characters. */
  codeBox(index: number, length: number): Locator {
    return this.codeGroup.getByLabel(`Character ${index} of ${length}`, { exact: true });
  }

  /** Picks the number's country, types its national part and sends a code; returns the challenge the page got. */
  async sendCode(phone: string): Promise<SmsChallenge> {
    const parsed = parsePhoneNumberWithError(phone);
    if (!parsed.country) throw new Error(`${phone} has no single country`);
    await this.country.selectOption(parsed.country);
    await this.phoneNumber.fill(parsed.nationalNumber);
    // As-you-type formatting: also the sign that the (lazily loaded) phone library has read the number.
    await expect(this.phoneNumber).toHaveValue(parsed.formatNational());
    const started = this.page.waitForResponse(isStart);
    await this.sendCodeButton.click();
    const challenge = await challengeFrom(await started);
    await expect(this.codeHeading).toBeVisible();
    return challenge;
  }

  /**
   * Types a code into the boxes, one character per box (empties them first, last to first, so no
   * half-old code is ever complete). The form submits itself when the last box is filled: no click on
   * "Verify" (it would be a second attempt with the same code).
   */
  async enterCode(code: string): Promise<void> {
    await expect(this.codeBoxes).toHaveCount(code.length);
    for (let i = code.length; i >= 1; i--) await this.codeBox(i, code.length).fill("");
    for (let i = 0; i < code.length; i++) await this.codeBox(i + 1, code.length).fill(code.charAt(i));
  }

  /** Pastes a whole code into the first box, as a paste from the clipboard would (no clipboard permission needed). */
  async pasteCode(code: string): Promise<void> {
    const first = this.codeBox(1, code.length);
    await first.focus();
    await first.evaluate((element, text) => {
      const data = new DataTransfer();
      data.setData("text/plain", text);
      element.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    }, code);
  }

  /**
   * "Resend code" once the cooldown allows it: the same code again, or a new verification when the old one
   * is locked or expired. Returns the challenge the page got.
   */
  async resend(): Promise<SmsChallenge> {
    await expect(this.resendButton).toBeEnabled({ timeout: 15_000 });
    const resent = this.page.waitForResponse((r) => isStart(r) || isPost(r, "/api/auth/sms/resend"));
    await this.resendButton.click();
    return challengeFrom(await resent);
  }
}

function isPost(response: Response, pathname: string): boolean {
  return new URL(response.url()).pathname === pathname && response.request().method() === "POST";
}

function isStart(response: Response): boolean {
  return isPost(response, "/api/auth/sms/start");
}

async function challengeFrom(response: Response): Promise<SmsChallenge> {
  expect(response.status(), `${response.url()} answered ${response.status()}: ${await response.text()}`).toBe(200);
  return (await response.json()) as SmsChallenge;
}
