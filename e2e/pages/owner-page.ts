/** /owner: pending socket requests of every node, each with Accept and Deny, and the open sockets. */
import { type Locator, type Page, expect } from "@playwright/test";

export class OwnerPage {
  readonly heading: Locator;
  readonly socketCount: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { name: "Owner console", level: 1 });
    this.socketCount = page.getByTestId("socket-count");
  }

  async goto(): Promise<void> {
    await this.page.goto("/owner");
    await expect(this.heading).toBeVisible();
    await expect(this.socketCount).toBeVisible();
  }

  /** The list item of the pending request with this reference (the list is polled every second). */
  request(reference: string): Locator {
    return this.page.getByRole("list", { name: "Pending requests" }).getByRole("listitem").filter({ hasText: reference });
  }

  async decide(reference: string, decision: "Accept" | "Deny"): Promise<void> {
    await this.request(reference).getByRole("button", { name: decision }).click();
  }
}
