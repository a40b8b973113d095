/** /demo: connects a socket to one of the demo endpoints and shows its state (pending, admitted, closed). */
import { type Locator, type Page, expect } from "@playwright/test";

export class DemoPage {
  readonly heading: Locator;
  /** "Pending: …", "Admitted" or "Closed: <reason>". */
  readonly status: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { name: "Socket demo" });
    this.status = page.getByRole("status").filter({ hasText: /^(Pending|Admitted|Closed)/ });
  }

  async goto(): Promise<void> {
    await this.page.goto("/demo");
    await expect(this.heading).toBeVisible();
  }

  /** Clicks "Connect with <unit>" (e.g. "Reply", "Owner alert"). */
  async connect(unit: string): Promise<void> {
    await this.page.getByRole("button", { name: `Connect with ${unit}` }).click();
  }
}
