/**
 * /demo: the Reply unit in the browser. The page shows a code, the sandbox handset texts it back from the
 * user's number, the socket is admitted, and the echo endpoint answers a chat message.
 */
import { e2eApiKeyHeader, expect, test } from "./fixtures.ts";
import { DemoPage } from "./pages/demo-page.ts";

test("the Reply unit admits the socket once the handset texts the on-screen code", async ({ page, signUp, phone, displayName }, testInfo) => {
  await signUp({ name: displayName, phone });
  const demo = new DemoPage(page);
  await demo.goto();

  await demo.connect("Reply");
  const { status } = demo;
  await expect(status).toHaveText(/^Pending: reply \d{4} to our text$/);
  const code = /\d{4}/.exec((await status.textContent()) ?? "")?.[0];
  expect(code).toBeTruthy();
  await expect(page.getByText(`Reply ${code} to the text we just sent you`)).toBeVisible();

  // The handset's reply, as an automated test sends it: with an API key (the user is no owner).
  const reply = await page.request.post("/api/sandbox/reply", { data: { from: phone, body: code }, headers: e2eApiKeyHeader(testInfo.project) });
  expect(reply.status()).toBe(201);

  await expect(status).toHaveText("Admitted");
  await expect(page.getByText("Confirmed. Thank you!")).toBeVisible();

  await page.getByLabel("Message", { exact: true }).fill("hello over the socket");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await expect(page.getByText("Echo: hello over the socket")).toBeVisible();
});
