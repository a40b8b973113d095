/**
 * /demo: the Reply unit in the browser. The page shows a code, the sandbox handset texts it back from the
 * user's number, the socket is admitted, and the echo endpoint answers a chat message.
 */
import { expect, test } from "./fixtures.ts";

test("the Reply unit admits the socket once the handset texts the on-screen code", async ({ page, signUp, phone, displayName }) => {
  await signUp({ name: displayName, phone });
  await page.goto("/demo");
  await expect(page.getByRole("heading", { name: "Socket demo" })).toBeVisible();

  await page.getByRole("button", { name: "Connect with Reply" }).click();
  const status = page.getByRole("status").filter({ hasText: /^(Pending|Admitted|Closed)/ });
  await expect(status).toHaveText(/^Pending: reply \d{4} to our text$/);
  const code = /\d{4}/.exec((await status.textContent()) ?? "")?.[0];
  expect(code).toBeTruthy();
  await expect(page.getByText(`Reply ${code} to the text we just sent you`)).toBeVisible();

  const reply = await page.request.post("/api/sandbox/reply", { data: { from: phone, body: code } });
  expect(reply.status()).toBe(201);

  await expect(status).toHaveText("Admitted");
  await expect(page.getByText("Confirmed. Thank you!")).toBeVisible();

  await page.getByLabel("Message", { exact: true }).fill("hello over the socket");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await expect(page.getByText("Echo: hello over the socket")).toBeVisible();
});
