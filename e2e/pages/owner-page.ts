/** /owner: pending socket requests of every node, each with Accept and Deny, the open sockets, recent verifications and webhooks. */
import { type Locator, type Page, expect } from "@playwright/test";

export class OwnerPage {
  readonly heading: Locator;
  readonly socketCount: Locator;
  /** The table of recent verifications (every surface), and its status filter. */
  readonly verifications: Locator;
  readonly statusFilter: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { name: "Owner console", level: 1 });
    this.socketCount = page.getByTestId("socket-count");
    this.verifications = page.getByRole("table", { name: /newest verifications/ });
    this.statusFilter = page.getByLabel("Status", { exact: true });
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

  /** The Webhooks section: every endpoint with its newest deliveries (polled every 5 s). */
  get webhooks(): Locator {
    return this.page.getByRole("region", { name: "Webhooks" });
  }

  /** The table of the newest deliveries to the endpoint at `url` (named by its caption). */
  deliveries(url: string): Locator {
    return this.webhooks.getByRole("table", { name: `The newest deliveries to ${url}` });
  }

  /** The delivery row whose event cell matches `event` (its type, or its id evt_<seq>) in the table of `url`. */
  delivery(url: string, event: string | RegExp): Locator {
    return this.deliveries(url).getByRole("row").filter({ hasText: event });
  }

  async decide(reference: string, decision: "Accept" | "Deny"): Promise<void> {
    await this.request(reference).getByRole("button", { name: decision }).click();
  }
}
