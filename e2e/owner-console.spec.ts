/**
 * /owner: the owner (OWNER_PHONES of the "main" server) decides socket connections live. A visitor, in a
 * second browser context, connects the owner-alert socket on /demo; the request appears on the owner's
 * /owner page with its reference, and the owner's Accept admits the socket, Deny closes it with the reason.
 */
import { type Page } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "./helpers/axe.ts";
import { expectNoSidewaysScroll } from "./helpers/layout.ts";
import { expect, test, type User } from "./fixtures.ts";
import { DemoPage } from "./pages/demo-page.ts";
import { OwnerPage } from "./pages/owner-page.ts";
import { E2E_OWNER_PHONE } from "./support/owners.ts";

const PENDING = /^Pending: waiting for an owner to accept request ([A-Z2-9]{4})$/;

/** Signs the visitor up on `page`, connects the owner-alert socket on /demo; returns the page and the request's reference. */
async function visitorRequest(page: Page, visitor: User, signUp: (user: User, page?: Page) => Promise<void>) {
  await signUp(visitor, page);
  const demo = new DemoPage(page);
  await demo.goto();
  await demo.connect("Owner alert");
  await expect(demo.status).toHaveText(PENDING);
  const reference = PENDING.exec((await demo.status.textContent()) ?? "")?.[1];
  if (!reference) throw new Error("no request reference on /demo");
  return { demo, reference };
}

test.describe("owner console", () => {
  test.beforeEach(async ({ page, signIn }) => {
    await signIn(E2E_OWNER_PHONE, page);
  });

  test("the owner sees the pending request live and Accept admits the visitor's socket", async ({ page, otherPage, signUp, phone, displayName }, testInfo) => {
    const owner = new OwnerPage(page);
    await owner.goto();
    const { demo, reference } = await visitorRequest(otherPage, { name: displayName, phone }, signUp);

    const request = owner.request(reference);
    await expect(request).toBeVisible();
    await expect(request).toContainText("/ws/demo/owner-alert");
    await expect(request).toContainText(`${displayName} (+1${"•".repeat(7)}${phone.slice(-3)})`);
    await expectNoSeriousA11yViolations(page, testInfo, "owner-pending");

    await owner.decide(reference, "Accept");
    await expect(demo.status).toHaveText("Admitted");
    await expect(request).toHaveCount(0);
  });

  test("Deny closes the visitor's socket with the owner's reason", async ({ page, otherPage, signUp, phone, displayName }) => {
    const owner = new OwnerPage(page);
    await owner.goto();
    const { demo, reference } = await visitorRequest(otherPage, { name: displayName, phone }, signUp);

    await owner.decide(reference, "Deny");
    await expect(demo.status).toHaveText("Closed: denied by owner");
    await expect(owner.request(reference)).toHaveCount(0);
  });

  test("/owner lists recent verifications with their status, and has no serious accessibility violations", async ({ page }, testInfo) => {
    const owner = new OwnerPage(page);
    await owner.goto();
    // The owner's own sign-in (beforeEach) is a verification of the sign-in surface, approved.
    const ownerSignIn = owner.verifications.getByRole("row").filter({ hasText: `+1${"•".repeat(7)}${E2E_OWNER_PHONE.slice(-3)}` }).filter({ hasText: "Sign-in" });
    await expect(ownerSignIn.filter({ hasText: "approved" }).first()).toBeVisible();
    await owner.statusFilter.selectOption("pending");
    await expect(owner.verifications.getByRole("row").filter({ hasText: "approved" })).toHaveCount(0);
    await expectNoSeriousA11yViolations(page, testInfo, "owner");
    await expectNoSidewaysScroll(page);
    // On a phone: the same scan, the page no wider than the screen, and each row's status in view
    // without scrolling the table.
    await page.setViewportSize({ width: 390, height: 844 });
    await owner.statusFilter.selectOption("");
    await expectNoSeriousA11yViolations(page, testInfo, "owner-phone");
    await expectNoSidewaysScroll(page);
    const status = ownerSignIn.first().getByRole("cell").nth(1);
    await expect(status).toHaveText("approved");
    await expect(status).toBeInViewport();
  });
});
