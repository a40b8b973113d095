/** What a visitor who is not signed in meets on the pages that need a sign-in. */
import { expect, test } from "./fixtures.ts";

test("/owner signed out says how to get in and stops asking the server", async ({ page }) => {
  const requests: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === "/api/owner/requests") requests.push(request.url());
  });
  await page.clock.install();
  await page.goto("/owner");
  await expect(page.getByRole("main").getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/login?callbackUrl=/owner");
  // Ten seconds of the page's timers: a signed-out page used to poll (and get 401) every second.
  await page.clock.runFor(10_000);
  expect(requests).toHaveLength(1);
});

test("/demo signed out describes each unit before asking to sign in", async ({ page }) => {
  await page.goto("/demo");
  for (const unit of ["Send Token", "Confirm Reply", "Reply", "Owner alert"]) {
    await expect(page.getByRole("term").filter({ hasText: unit }).first()).toBeVisible();
  }
  await expect(page.getByRole("main").getByRole("link", { name: "sign in" })).toHaveAttribute("href", "/login?callbackUrl=/demo");
});
