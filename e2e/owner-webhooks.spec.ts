/**
 * /owner's Webhooks section: an endpoint added through the native API, a test send the receiver refused
 * (500) and a real event it took (200) are listed with their outcome; Retry sends the failed one again
 * and the row turns "succeeded". The receiver (tests/helpers/webhook-receiver.ts) runs in the test
 * process on 127.0.0.1, which the "main" server may reach (WEBHOOKS_ALLOW_PRIVATE_URLS in
 * playwright.config.ts). The "phone" project runs this file again at 390×844.
 */
import { expectNoSeriousA11yViolations } from "./helpers/axe.ts";
import { expectNoSidewaysScroll } from "./helpers/layout.ts";
import { e2eApiKeyHeader, expect, test } from "./fixtures.ts";
import { OwnerPage } from "./pages/owner-page.ts";
import { E2E_WEBHOOK_OWNER_PHONES } from "./support/owners.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../tests/helpers/webhook-receiver.ts";

const webhookTest = test.extend<{ receiver: WebhookReceiver }>({
  receiver: async ({}, use) => {
    const receiver = await startWebhookReceiver();
    await use(receiver);
    await receiver.close();
  },
});

/** A row's event cell holds `evt_<seq>`: match it whole (evt_12 is not evt_123; the next cell's text follows at once). */
const eventIdPattern = (eventId: string) => new RegExp(`\\b${eventId}(?!\\d)`);

webhookTest("lists an endpoint's deliveries with their outcome, and Retry sends a failed one again", async ({ page, request, signIn, phone, receiver, displayName }, testInfo) => {
  const headers = e2eApiKeyHeader(testInfo.project);
  // Other specs run beside this one on the same server: the endpoint first takes an event type nothing
  // here emits, so that the 500 is certainly the test send's answer.
  const created = await request.post("/api/v1/webhooks", {
    headers,
    data: { url: receiver.url, events: ["send_budget.exhausted"], description: displayName },
  });
  expect(created.status()).toBe(201);
  const endpoint = (await created.json()) as { id: string; secret: string };
  receiver.secret = endpoint.secret;
  const subscribe = async (events: string[]) => expect((await request.patch(`/api/v1/webhooks/${endpoint.id}`, { headers, data: { events } })).status()).toBe(200);
  try {
    receiver.statuses.push(500);
    const tested = (await (await request.post(`/api/v1/webhooks/${endpoint.id}/test`, { headers })).json()) as { ok: boolean; responseStatus: number; eventId: string };
    expect(tested).toMatchObject({ ok: false, responseStatus: 500 });
    await subscribe(["verification.created"]);
    const verification = await request.post("/api/v1/verifications", { headers, data: { to: phone } });
    expect(verification.status()).toBe(201);
    const { id: verificationId } = (await verification.json()) as { id: string };
    await expect
      .poll(() => receiver.received.find((r) => r.payload?.data.verificationId === verificationId)?.id ?? null, { message: "verification.created delivered" })
      .not.toBeNull();
    await subscribe(["send_budget.exhausted"]);
    const createdEventId = receiver.received.find((r) => r.payload?.data.verificationId === verificationId)!.id;

    const ownerPhone = E2E_WEBHOOK_OWNER_PHONES[testInfo.project.name];
    if (!ownerPhone) throw new Error(`no webhook owner for project ${testInfo.project.name} (e2e/support/owners.ts)`);
    await signIn(ownerPhone, page);
    const owner = new OwnerPage(page);
    await owner.goto();
    await expect(owner.webhooks.getByRole("heading", { name: receiver.url })).toBeVisible();
    await expect(owner.webhooks).toContainText(displayName);
    const failedTest = owner.delivery(receiver.url, eventIdPattern(tested.eventId));
    await expect(failedTest).toContainText("webhook.test");
    await expect(failedTest).toContainText("failed");
    await expect(failedTest).toContainText("500");
    const event = owner.delivery(receiver.url, eventIdPattern(createdEventId));
    await expect(event).toContainText("verification.created");
    await expect(event).toContainText("succeeded");
    await expect(event).toContainText("200");
    await expectNoSeriousA11yViolations(page, testInfo, "owner-webhooks");
    await expectNoSidewaysScroll(page);

    await failedTest.getByRole("button", { name: "Retry" }).click();
    await expect(failedTest).toContainText("succeeded", { timeout: 15_000 });
    await expect(failedTest).toContainText("200");
    const resent = receiver.received.filter((r) => r.id === tested.eventId);
    expect(resent).toHaveLength(2); // the refused attempt and the retry, with the same webhook-id
    expect(resent[1]?.payload).toMatchObject({ type: "webhook.test", data: { endpointId: endpoint.id } });
    await expectNoSeriousA11yViolations(page, testInfo, "owner-webhooks-retried");
  } finally {
    expect((await request.delete(`/api/v1/webhooks/${endpoint.id}`, { headers })).status()).toBe(204);
  }
});
