/**
 * A test send (POST /api/v1/webhooks/{id}/test): a signed `webhook.test` event to one endpoint now,
 * recorded as a delivery of that endpoint like any other, so it is listed by GET …/deliveries and on
 * /owner with its outcome, and Retry works on it.
 *
 * The event and its delivery row (already `sending`, under a lease) are written in one transaction,
 * then the POST goes out and its outcome is recorded. A process killed in between leaves the row
 * `sending`: its lease runs out and the dispatcher sends it again (dispatcher.ts claimDue), as for any
 * delivery. A failed test is final (no schedule of retries): the caller has the answer at once. The
 * endpoint's failure streak is left alone (a test does not re-enable nor disable it). `webhook.test`
 * is never fanned out to other endpoints nor streamed (outbox.ts `after`).
 */
import { uuidv7 } from "../../lib/ids.ts";
import type { Sql } from "../store/sql.ts";
import { messageId } from "./dispatcher.ts";
import type { SigningEndpoint } from "./endpoints.ts";
import { appendEvent, type OutboxEvent, payloadOf, TEST_EVENT_TYPE } from "./outbox.ts";
import { postWebhook, type SendResult } from "./sender.ts";
import type { UrlPolicy } from "./ssrf.ts";

export interface TestSendDeps {
  sql: Sql;
  policy: UrlPolicy;
  leaseMs: number;
  clock: () => Date;
}

export interface TestSendOutcome extends SendResult {
  deliveryId: string;
  eventId: string;
}

export async function sendTestEvent(deps: TestSendDeps, endpoint: SigningEndpoint): Promise<TestSendOutcome> {
  const { sql, policy, clock } = deps;
  const now = clock();
  const deliveryId = uuidv7();
  const data = { endpointId: endpoint.id };
  const seq = await sql.transaction(async (tx) => {
    const eventSeq = await appendEvent(tx, TEST_EVENT_TYPE, data, now);
    // Its own order key: a test never waits for, nor holds up, the endpoint's other deliveries.
    await tx.run(
      `INSERT INTO webhook_deliveries (id, endpoint_id, event_seq, order_key, status, attempts, next_attempt_at, lease_until, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'sending', 1, ?, ?, ?, ?)`,
      [deliveryId, endpoint.id, eventSeq, `test:${deliveryId}`, now, new Date(now.getTime() + deps.leaseMs), now, now],
    );
    return eventSeq;
  });
  const event: OutboxEvent = { seq, type: TEST_EVENT_TYPE, verificationId: null, data, createdAt: now };
  const body = JSON.stringify(payloadOf(event, endpoint.includePhoneNumbers));
  const result = await postWebhook(endpoint.url, messageId(seq), body, endpoint.secrets, policy);
  const done = clock();
  await sql.run(
    `UPDATE webhook_deliveries SET status = ?, response_status = ?, error = ?, lease_until = NULL, finished_at = ?, updated_at = ?
     WHERE id = ? AND status = 'sending'`,
    [result.ok ? "succeeded" : "failed", result.status, result.error, done, done, deliveryId],
  );
  return { ...result, deliveryId, eventId: messageId(seq) };
}
