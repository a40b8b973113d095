/**
 * The outbox (server/webhooks/): every state change writes its event row in the same transaction, on
 * SQLite and PostgreSQL; the dispatcher signs per Standard Webhooks, retries, and keeps each
 * verification's events in order per endpoint.
 */
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it } from "vitest";
import type { Sql, SqlParam } from "../../server/store/sql.ts";
import { WebhookDispatcher } from "../../server/webhooks/dispatcher.ts";
import { Outbox } from "../../server/webhooks/outbox.ts";
import { providersUnderTest } from "../helpers/databases.ts";
import { startTestRuntime, type TestRuntime } from "../helpers/runtime.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver.ts";
import { EVENTS_LOCK_KEY, installOutboxTriggers, TRIGGER_VERSION } from "../../server/webhooks/triggers.ts";

const TO = "+14155550123";
const providers = await providersUnderTest();

/** A receiver (tests/helpers/webhook-receiver.ts) answering the given statuses first, then 200. */
async function startReceiver(statuses: number[] = []): Promise<WebhookReceiver> {
  const receiver = await startWebhookReceiver();
  receiver.statuses.push(...statuses);
  return receiver;
}

/** The runtime and receiver of one test, stopped after it. */
function useTestState(): { t: TestRuntime; receiver: WebhookReceiver | undefined } {
  const state = {} as { t: TestRuntime; receiver: WebhookReceiver | undefined };
  afterEach(async () => {
    await state.receiver?.close();
    state.receiver = undefined;
    await state.t?.stop();
  });
  return state;
}

/** Rows of `events`, after the pending ones are numbered (PostgreSQL: Outbox.sequence, as every reader does). */
async function eventRows<T>(t: TestRuntime, query: string, params: SqlParam[] = []): Promise<T[]> {
  await t.runtime.webhooks.outbox.sequence();
  return t.runtime.sql.all<T>(query, params);
}

async function eventTypes(t: TestRuntime): Promise<string[]> {
  return (await eventRows<{ type: string }>(t, `SELECT type FROM events ORDER BY seq`)).map((r) => r.type);
}

describe.each(providers)("outbox on %s", (provider) => {
  const state = useTestState();

  it("claims a backlog a batch at a time, oldest first, only each verification's first undelivered event", async () => {
    // 60 verifications' events, 3 each: a first claim fills its batch of 50, and the next one is a backlog
    // claim (on PostgreSQL, its index walk: server/webhooks/dispatcher.ts, claimWhere).
    const t = (state.t = await startTestRuntime(provider));
    const { dispatcher, endpoints } = t.runtime.webhooks;
    await endpoints.create({ url: "http://127.0.0.1:9/never-called" });
    for (let i = 0; i < 60; i++) await t.runtime.engine.create({ to: `+1415555${String(1000 + i)}` });
    while ((await dispatcher.fanOut()) > 0) {}
    const first = await dispatcher.claimDue(50);
    const second = await dispatcher.claimDue(50);
    const third = await dispatcher.claimDue(50);
    expect([first.length, second.length, third.length]).toEqual([50, 10, 0]);
    const rows = await t.runtime.sql.all<{ id: string; order_key: string; event_seq: unknown; next_attempt_at: unknown }>(
      "SELECT id, order_key, event_seq, next_attempt_at FROM webhook_deliveries ORDER BY event_seq",
    );
    const firstOfKey = new Map<string, string>();
    for (const row of rows) if (!firstOfKey.has(row.order_key)) firstOfKey.set(row.order_key, row.id);
    const claimed = [...first, ...second].map((c) => c.id);
    expect(new Set(claimed)).toEqual(new Set(firstOfKey.values()));
    const seqs = [...first, ...second].map((c) => c.eventSeq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it("writes one event per state change, never a code, and nothing for a rolled-back change", async () => {
    const t = (state.t = await startTestRuntime(provider));
    const { verification } = await t.runtime.engine.create({ to: TO, maxAttempts: 2 });
    const code = await t.lastCode(TO);
    const wrong = code === "000000" ? "111111" : "000000";
    await t.runtime.engine.check({ id: verification.id }, wrong);
    await t.runtime.engine.check({ id: verification.id }, wrong);
    const second = await t.runtime.engine.create({ to: TO });
    await t.runtime.engine.check({ id: second.verification.id }, await t.lastCode(TO));
    const third = await t.runtime.engine.create({ to: TO, validFor: 10 });
    t.clock.advance(11);
    await t.runtime.scheduler.tick();
    await t.runtime.inbound.receive({ carrier: "sandbox", from: TO, body: "YES", carrierMessageId: "m1" });
    await t.runtime.inbound.receive({ carrier: "sandbox", from: TO, body: "YES", carrierMessageId: "m1" });
    // A change that rolls back takes its event with it.
    await expect(
      t.runtime.sql.transaction(async (tx) => {
        await tx.run(`UPDATE verifications SET status = 'canceled' WHERE id = ?`, [third.verification.id]);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");

    const types = await eventTypes(t);
    const stepSent = types.includes("verification.delivered") ? ["verification.step_sent", "verification.delivered"] : ["verification.step_sent"];
    expect(types).toEqual([
      "verification.created",
      ...stepSent,
      "verification.max_attempts_reached",
      "verification.created",
      ...stepSent,
      "verification.approved",
      "verification.created",
      ...stepSent,
      "verification.expired",
      "inbound.message",
    ]);
    const rows = await eventRows<{ data: string; verification_id: string | null }>(t, `SELECT data, verification_id FROM events ORDER BY seq`);
    for (const row of rows) expect(row.data).not.toContain(code);
    const created = JSON.parse(rows[0]!.data) as Record<string, unknown>;
    expect(created).toMatchObject({ verificationId: verification.id, to: TO, purpose: "verify", surface: "native", channel: "sms" });
    expect(new Date(created.expiresAt as string).getTime()).toBe(new Date(verification.expiresAt).getTime());
    const approved = rows.find((_, i) => types[i] === "verification.approved");
    expect(JSON.parse(approved!.data)).toMatchObject({ verificationId: second.verification.id, by: "code" });
  });

  it("says why a verification was canceled: by request (native or compatible API) or replaced by a new one", async () => {
    const t = (state.t = await startTestRuntime(provider));
    const first = await t.runtime.engine.create({ to: TO });
    const replacing = await t.runtime.engine.create({ to: TO }); // PENDING_POLICY replace: the first is canceled
    t.clock.advance(31); // Textmagic (docs/compat/textmagic.md): no cancel in the first 30 s
    await t.runtime.engine.cancel(replacing.verification.id);
    const twilio = await t.runtime.engine.create({ to: "+14155550124", surface: "twilio" });
    await t.runtime.engine.cancel(twilio.verification.id, { enforceMinimumAge: false }); // Twilio's Status=canceled
    const canceled = (await t.runtime.webhooks.outbox.after(0, { limit: 100, types: ["verification.canceled"] })).map((e) => e.data);
    expect(canceled).toEqual([
      expect.objectContaining({ verificationId: first.verification.id, reason: "replaced", replacedBy: replacing.verification.id }),
      expect.objectContaining({ verificationId: replacing.verification.id, reason: "request", replacedBy: null }),
      expect.objectContaining({ verificationId: twilio.verification.id, reason: "request", surface: "twilio" }),
    ]);
    // Other terminal events carry no cancel reason.
    const other = await t.runtime.engine.create({ to: "+14155550125" });
    await t.runtime.engine.check({ id: other.verification.id }, await t.lastCode("+14155550125"));
    const [approved] = await t.runtime.webhooks.outbox.after(0, { limit: 100, types: ["verification.approved"] });
    expect(approved!.data).toMatchObject({ by: "code", reason: null });
  });

  it("replaces an earlier version's triggers instead of adding to them (one event per change)", async () => {
    const t = (state.t = await startTestRuntime(provider));
    const { sql } = t.runtime;
    const v1 = "textgate_outbox_v1_inbound";
    if (sql.dialect === "sqlite") {
      await sql.run(`CREATE TRIGGER ${v1} AFTER INSERT ON inbound_messages BEGIN
        INSERT INTO events (type, verification_id, data, created_at) VALUES ('inbound.message', NULL, '{}', NEW.received_at); END`);
    } else {
      await sql.run(`CREATE OR REPLACE FUNCTION ${v1}() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN
        INSERT INTO events (type, verification_id, data, created_at) VALUES ('inbound.message', NULL, '{}', NEW.received_at); RETURN NULL; END $fn$`);
      await sql.run(`CREATE TRIGGER ${v1} AFTER INSERT ON inbound_messages FOR EACH ROW EXECUTE FUNCTION ${v1}()`);
      await sql.run(`DROP TRIGGER textgate_outbox_v${TRIGGER_VERSION}_inbound ON inbound_messages`); // so that install runs again
    }
    await installOutboxTriggers(sql);
    await t.runtime.inbound.receive({ carrier: "sandbox", from: TO, body: "YES", carrierMessageId: "m-v1" });
    expect(await eventTypes(t)).toEqual(["inbound.message"]);
  });

  it("delivers signed events a receiver verifies with standardwebhooks, retries after a 500, in order per verification", async () => {
    const t = (state.t = await startTestRuntime(provider));
    const receiver = (state.receiver = await startReceiver([500]));
    const { endpoint, secret } = await t.runtime.webhooks.endpoints.create({ url: receiver.url });
    const { verification } = await t.runtime.engine.create({ to: TO });
    await t.runtime.engine.check({ id: verification.id }, await t.lastCode(TO));
    await t.runtime.webhooks.dispatcher.tick();
    // The first attempt got 500: nothing else of this verification went out before it succeeded.
    expect(receiver.received).toHaveLength(1);
    t.clock.advance(5);
    await t.runtime.webhooks.dispatcher.tick();
    const wh = new Webhook(secret);
    const payloads = receiver.received.map((r) => wh.verify(r.body, r.headers as Record<string, string>) as { type: string; data: Record<string, unknown> });
    const types = payloads.map((p) => p.type);
    expect(types[0]).toBe("verification.created");
    expect(types[1]).toBe("verification.created"); // the retry, same webhook-id
    expect(receiver.received[0]!.headers["webhook-id"]).toBe(receiver.received[1]!.headers["webhook-id"]);
    expect(types.slice(2)).toEqual((await eventTypes(t)).slice(1));
    expect(payloads[0]!.data).toMatchObject({ verificationId: verification.id, surface: "native", surfaceId: verification.id });
    expect(payloads[0]!.data.to).not.toBe(TO); // masked: the endpoint did not opt in
    const deliveries = await t.runtime.webhooks.dispatcher.deliveriesOf(endpoint.id);
    expect(deliveries.every((d) => d.status === "succeeded")).toBe(true);
    expect(deliveries.at(-1)).toMatchObject({ attempts: 2, responseStatus: 200 });

    // A tampered body fails verification.
    const first = receiver.received[0]!;
    expect(() => wh.verify(first.body.replace("verification.created", "verification.approved"), first.headers as Record<string, string>)).toThrow();
  });

  it("records a test send as a delivery of that endpoint only, with its outcome; Retry sends it again", async () => {
    const t = (state.t = await startTestRuntime(provider));
    const receiver = (state.receiver = await startReceiver([503]));
    const other = await startReceiver();
    try {
      const { webhooks } = t.runtime;
      const { endpoint, secret } = await webhooks.endpoints.create({ url: receiver.url });
      const { endpoint: bystander } = await webhooks.endpoints.create({ url: other.url });
      const [signing] = await webhooks.endpoints.signing([endpoint.id]);
      const failed = await webhooks.sendTest(signing!);
      expect(failed).toMatchObject({ ok: false, status: 503 });
      const ok = await webhooks.sendTest(signing!);
      expect(ok).toMatchObject({ ok: true, status: 200, error: null });
      const [second, first] = await webhooks.dispatcher.deliveriesOf(endpoint.id);
      expect(first).toMatchObject({ id: failed.deliveryId, eventId: failed.eventId, eventType: "webhook.test", status: "failed", attempts: 1, responseStatus: 503, nextAttemptAt: null });
      expect(second).toMatchObject({ id: ok.deliveryId, eventType: "webhook.test", status: "succeeded", attempts: 1, responseStatus: 200 });
      const payload = new Webhook(secret).verify(receiver.received.at(-1)!.body, receiver.received.at(-1)!.headers as Record<string, string>);
      expect(payload).toMatchObject({ type: "webhook.test", data: { endpointId: endpoint.id } });
      expect(receiver.received.at(-1)!.headers["webhook-id"]).toBe(ok.eventId);
      // Not fanned out, not streamed, and no automatic retry of the failed one.
      t.clock.advance(3600);
      await webhooks.dispatcher.tick();
      expect(await webhooks.dispatcher.deliveriesOf(bystander.id)).toEqual([]);
      expect(other.received).toHaveLength(0);
      expect(await webhooks.outbox.after(0, { limit: 10 })).toEqual([]);
      expect(receiver.received).toHaveLength(2);
      // Retry (the /owner button) sends the failed test once more, with the same webhook-id.
      await webhooks.dispatcher.retry(endpoint.id, failed.deliveryId);
      await webhooks.dispatcher.tick();
      expect(receiver.received).toHaveLength(3);
      expect(receiver.received.at(-1)!.headers["webhook-id"]).toBe(failed.eventId);
      expect((await webhooks.dispatcher.deliveriesOf(endpoint.id)).find((d) => d.id === failed.deliveryId)).toMatchObject({ status: "succeeded" });
    } finally {
      await other.close();
    }
  });

  it("sends again what was answered but not recorded when the node died before its batch of outcomes committed", async () => {
    const t = (state.t = await startTestRuntime(provider));
    const receiver = (state.receiver = await startReceiver());
    const { endpoint } = await t.runtime.webhooks.endpoints.create({ url: receiver.url, events: ["verification.created"] });
    await t.runtime.engine.create({ to: TO });
    await t.runtime.engine.create({ to: "+14155550124" });
    // A node whose process is gone once its receiver has answered: the transaction writing the outcomes
    // never returns, as at a SIGKILL between the send and the record.
    const { sql, webhooks, logger } = t.runtime;
    const dies: Sql = {
      dialect: sql.dialect,
      all: (text, params) => sql.all(text, params),
      get: (text, params) => sql.get(text, params),
      run: (text, params) => sql.run(text, params),
      runAll: (statements) => sql.runAll(statements),
      transaction: (fn) => (receiver.acknowledged.size ? new Promise(() => {}) : sql.transaction(fn)),
      close: async () => {},
    };
    const options = { outbox: webhooks.outbox, endpoints: webhooks.endpoints, logger, policy: webhooks.policy, leaseMs: 30_000, intervalMs: 250, clock: t.clock.now };
    void new WebhookDispatcher({ ...options, sql: dies }).tick();
    await receiver.until(() => receiver.acknowledged.size === 2, 5000, "both events answered");
    await new Promise((r) => setTimeout(r, 50));
    expect((await webhooks.dispatcher.deliveriesOf(endpoint.id)).map((d) => d.status)).toEqual(["sending", "sending"]);

    // Another node (or this one restarted) takes them over when the lease runs out, and sends them again.
    t.clock.advance(31);
    await webhooks.dispatcher.tick();
    const ids = receiver.received.map((r) => r.headers["webhook-id"]);
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(2); // the same webhook-id each time: the receiver dedupes
    expect(await webhooks.dispatcher.deliveriesOf(endpoint.id)).toMatchObject([
      { status: "succeeded", attempts: 2, responseStatus: 200 },
      { status: "succeeded", attempts: 2, responseStatus: 200 },
    ]);
  });

  it("gives up after the last attempt of the schedule and marks the delivery failed", async () => {
    const t = (state.t = await startTestRuntime(provider));
    const receiver = (state.receiver = await startReceiver(Array(20).fill(503)));
    const { endpoint } = await t.runtime.webhooks.endpoints.create({ url: receiver.url, events: ["verification.created"] });
    await t.runtime.engine.create({ to: TO });
    for (let i = 0; i < 10; i++) {
      await t.runtime.webhooks.dispatcher.tick();
      t.clock.advance(36_000);
    }
    expect(receiver.received).toHaveLength(8);
    const [delivery] = await t.runtime.webhooks.dispatcher.deliveriesOf(endpoint.id);
    expect(delivery).toMatchObject({ status: "failed", attempts: 8, responseStatus: 503 });
    // A manual retry makes one more attempt.
    await t.runtime.webhooks.dispatcher.retry(endpoint.id, delivery!.id);
    await t.runtime.webhooks.dispatcher.tick();
    expect(receiver.received).toHaveLength(9);
  });
});

describe("outbox on sqlite: notices, surfaces and failing endpoints", () => {
  const state = useTestState();

  it("records owner.decided and send_budget.exhausted from the bus, and names the surface's own id", async () => {
    const t = (state.t = await startTestRuntime("sqlite"));
    t.runtime.events.publish("owner.decided", { reference: "K7Q2", connectionId: "c-1", decision: "accept" });
    t.runtime.events.publish("send_budget.exhausted", { budgetPerHour: 10, retryAfterSeconds: 60 });
    const { verification } = await t.runtime.engine.create({ to: TO, surface: "twilio" });
    await new Promise((r) => setTimeout(r, 50));
    const events = await t.runtime.webhooks.outbox.after(0, { limit: 10 });
    expect(events.map((e) => e.type).slice(0, 3)).toEqual(["owner.decided", "send_budget.exhausted", "verification.created"]);
    expect(events[0]?.data).toMatchObject({ reference: "K7Q2", decision: "accept" });
    const { payloadOf } = await import("../../server/webhooks/outbox.ts");
    const payload = payloadOf(events[2]!, true);
    expect(payload.data).toMatchObject({ surface: "twilio", surfaceId: `VE${verification.id.replace(/-/g, "")}`, to: TO });
  });

  it("disables an endpoint whose every delivery failed for 5 days and texts the owners", async () => {
    const owner = "+14155550199";
    const t = (state.t = await startTestRuntime("sqlite", { OWNER_PHONES: owner }));
    const receiver = (state.receiver = await startReceiver(Array(200).fill(500)));
    const { endpoint } = await t.runtime.webhooks.endpoints.create({ url: receiver.url, events: ["verification.created"] });
    for (let day = 0; day <= 6; day++) {
      await t.runtime.engine.create({ to: `+1415555010${day}` });
      await t.runtime.webhooks.dispatcher.tick();
      t.clock.advance(12 * 3600);
      await t.runtime.webhooks.dispatcher.tick();
      t.clock.advance(12 * 3600);
    }
    const after = await t.runtime.webhooks.endpoints.get(endpoint.id);
    expect(after).toMatchObject({ enabled: false, disabledReason: "every delivery failed for 5 days" });
    const texts = await t.sent(owner);
    expect(texts.some((m) => m.body.includes("was disabled after 5 days"))).toBe(true);
    // Disabled: nothing more is sent, until it is enabled again.
    const count = receiver.received.length;
    await t.runtime.engine.create({ to: TO });
    await t.runtime.webhooks.dispatcher.tick();
    expect(receiver.received).toHaveLength(count);
  });
});

describe("event stream", () => {
  const state = useTestState();

  it("sends heartbeats and wakes on a committed event without waiting for its poll", async () => {
    const t = (state.t = await startTestRuntime("sqlite"));
    const { serveEventStream } = await import("../../server/webhooks/stream.ts");
    const http = await import("node:http");
    const server = http.createServer((_req, res) =>
      serveEventStream(res, {
        outbox: t.runtime.webhooks.outbox,
        onActivity: t.runtime.webhooks.onActivity,
        after: 0,
        includePhoneNumbers: false,
        pollMs: 60_000, // never within this test: the event must come through the wake-up
        heartbeatMs: 30,
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const controller = new AbortController();
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/`, { signal: controller.signal });
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      let text = "";
      const readUntil = async (needle: string) => {
        const deadline = Date.now() + 5000;
        while (!text.includes(needle)) {
          if (Date.now() > deadline) throw new Error(`no "${needle}" in ${JSON.stringify(text)}`);
          text += new TextDecoder().decode((await reader.read()).value);
        }
      };
      await readUntil(": heartbeat");
      await t.runtime.engine.create({ to: TO });
      await readUntil("event: verification.created");
      expect(text).toMatch(/id: 1\nevent: verification.created\ndata: \{"type":"verification.created"/);
    } finally {
      controller.abort();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("retention", () => {
  const state = useTestState();

  it("prunes old events and finished deliveries, never an event an unfinished delivery needs", async () => {
    const t = (state.t = await startTestRuntime("sqlite"));
    const receiver = (state.receiver = await startReceiver());
    await t.runtime.webhooks.endpoints.create({ url: receiver.url, events: ["verification.created"] });
    await t.runtime.engine.create({ to: TO }); // delivered
    await t.runtime.webhooks.dispatcher.tick();
    receiver.statuses.push(...Array(20).fill(500));
    await t.runtime.engine.create({ to: "+14155550124" }); // keeps failing: still pending
    await t.runtime.webhooks.dispatcher.tick();
    t.clock.advance(4 * 24 * 3600);
    const before = await t.runtime.webhooks.outbox.after(0, { limit: 100 });
    await t.runtime.webhooks.outbox.prune(new Date(t.clock.now().getTime() - 72 * 3600 * 1000));
    const after = await t.runtime.webhooks.outbox.after(0, { limit: 100 });
    const pending = await t.runtime.sql.all<{ event_seq: unknown; status: string }>(`SELECT event_seq, status FROM webhook_deliveries`);
    expect(pending.map((d) => d.status)).toEqual(["pending"]);
    // The first verification's events are gone; the pending delivery's event and everything after it stay.
    expect(after[0]?.seq).toBe(Number(pending[0]?.event_seq));
    expect(after.length).toBeLessThan(before.length);
  });
});

// PostgreSQL only (SQLite has one writer); providersUnderTest already skipped or failed it without a server.
describe.skipIf(!providers.includes("postgresql"))("outbox order on postgresql", () => {
  const state = useTestState();
  const provider = "postgresql";

  it("numbers events after they commit: no writer waits for the events lock, and a reader sees no seq before an earlier one", async () => {
    const t = (state.t = await startTestRuntime(provider));
    const { outbox } = t.runtime.webhooks;
    const a = await t.runtime.engine.create({ to: TO });
    const b = await t.runtime.engine.create({ to: "+14155550124" });
    await outbox.sequence();
    const pg = (await import("pg")).default;
    const first = new pg.Client({ connectionString: t.database.url });
    const holder = new pg.Client({ connectionString: t.database.url });
    await Promise.all([first.connect(), holder.connect()]);
    const within = <T>(promise: Promise<T>, ms: number, what: string) =>
      Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(what)), ms))]);
    try {
      // Whoever holds the events lock (a numbering, or appendEvent's transaction) holds up no writer:
      // with the lock in the triggers, as before, both commits below waited for it.
      await holder.query(`SELECT pg_advisory_lock(${EVENTS_LOCK_KEY})`);
      await first.query("BEGIN");
      await first.query(`UPDATE verifications SET status = 'canceled' WHERE id = $1`, [a.verification.id]);
      await within(t.runtime.sql.run(`UPDATE verifications SET status = 'canceled' WHERE id = ?`, [b.verification.id]), 5000, "a writer's COMMIT waited for the events lock");
      await within(first.query("COMMIT"), 5000, "a writer's COMMIT waited for the events lock");
      const pending = await t.runtime.sql.all<{ verification_id: string }>(`SELECT verification_id FROM pending_events ORDER BY id`);
      expect(pending.map((r) => r.verification_id)).toEqual([b.verification.id, a.verification.id]);
      // A reader numbers them under the lock, so it waits for the holder, and then gets both, in commit order.
      let read = false;
      const reading = outbox.after(0, { limit: 100, types: ["verification.canceled"] }).then((events) => ((read = true), events));
      await new Promise((r) => setTimeout(r, 300));
      expect(read).toBe(false);
      await holder.query(`SELECT pg_advisory_unlock(${EVENTS_LOCK_KEY})`);
      const events = await within(reading, 5000, "the reader never got the lock");
      expect(events.map((e) => e.verificationId)).toEqual([b.verification.id, a.verification.id]);
      expect(await t.runtime.sql.all(`SELECT id FROM pending_events`)).toEqual([]);
      const seqs = events.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    } finally {
      await Promise.allSettled([first.end(), holder.end()]);
    }
  });

  it("numbers every pending event once when several readers and writers race (no gap, no duplicate, per verification in order)", async () => {
    const t = (state.t = await startTestRuntime(provider));
    // Separate Outbox objects: like readers on several nodes, they share nothing but the database.
    const readers = [t.runtime.webhooks.outbox, new Outbox(t.runtime.sql), new Outbox(t.runtime.sql)];
    const seen: number[][] = readers.map(() => []);
    let writing = true;
    const read = async (i: number) => {
      let cursor = 0;
      while (writing || cursor < (await readers[i]!.lastSeq())) {
        const events = await readers[i]!.after(cursor, { limit: 50 });
        for (const event of events) {
          seen[i]!.push(event.seq);
          cursor = event.seq;
        }
        if (!events.length) await new Promise((r) => setTimeout(r, 2));
      }
    };
    const loops = readers.map((_, i) => read(i));
    const created = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const to = `+1415555${String(2000 + i)}`;
        const { verification } = await t.runtime.engine.create({ to });
        await t.runtime.engine.check({ id: verification.id }, await t.lastCode(to));
        return verification.id;
      }),
    );
    writing = false;
    await Promise.all(loops);
    const all = await eventRows<{ seq: unknown; type: string; verification_id: string | null }>(t, `SELECT seq, type, verification_id FROM events ORDER BY seq`);
    // Every reader saw every event, each once, in seq order: no event was numbered below one already read.
    for (const list of seen) expect(list).toEqual(all.map((r) => Number(r.seq)));
    for (const id of created) {
      const types = all.filter((r) => r.verification_id === id).map((r) => r.type);
      expect(types[0]).toBe("verification.created");
      expect(types.at(-1)).toBe("verification.approved");
    }
  });

  it("lets two transactions that write events and lock rows in opposite orders both commit (no deadlock on the events lock)", async () => {
    const t = (state.t = await startTestRuntime(provider));
    const [a, b, c] = await Promise.all([TO, "+14155550124", "+14155550125"].map((to) => t.runtime.engine.create({ to })));
    const pg = (await import("pg")).default;
    const first = new pg.Client({ connectionString: t.database.url });
    const second = new pg.Client({ connectionString: t.database.url });
    await Promise.all([first.connect(), second.connect()]);
    try {
      await Promise.all([first.query("BEGIN"), second.query("BEGIN")]);
      // first: an event (a's status), then b's row. second: b's row (no event), then an event (c's status).
      await first.query(`UPDATE verifications SET status = 'canceled' WHERE id = $1`, [a!.verification.id]);
      await second.query(`UPDATE verifications SET updated_at = now() WHERE id = $1`, [b!.verification.id]);
      const firstDone = first.query(`UPDATE verifications SET updated_at = now() WHERE id = $1`, [b!.verification.id]).then(() => first.query("COMMIT"));
      // Had the triggers locked at each event (version 3), second would now wait for first's lock while first waits for b's row.
      await second.query(`UPDATE verifications SET status = 'canceled' WHERE id = $1`, [c!.verification.id]);
      await second.query("COMMIT");
      await firstDone;
      const rows = await eventRows<{ verification_id: string }>(t, `SELECT verification_id FROM events WHERE type = 'verification.canceled' ORDER BY seq`);
      expect(rows.map((r) => r.verification_id)).toEqual([c!.verification.id, a!.verification.id]);
    } finally {
      await Promise.allSettled([first.end(), second.end()]);
    }
  });

  it("writes a transaction's events in the order of its changes, each with the row as that change left it", async () => {
    const t = (state.t = await startTestRuntime(provider));
    const created = await t.runtime.engine.create({ to: TO });
    const id = created.verification.id;
    await t.runtime.sql.transaction(async (tx) => {
      await tx.run(`UPDATE verifications SET status = 'canceled', updated_at = ? WHERE id = ?`, [new Date(), id]);
      await tx.run(`UPDATE verifications SET status = 'pending' WHERE id = ?`, [id]);
      await tx.run(`UPDATE verifications SET status = 'approved', updated_at = ? WHERE id = ?`, [new Date(), id]);
    });
    const rows = await eventRows<{ type: string }>(t, `SELECT type FROM events WHERE verification_id = ? ORDER BY seq`, [id]);
    // The sandbox's delivery events come from the deliveries table, in their own transactions.
    const fromTheVerification = rows.map((r) => r.type).filter((type) => !["verification.step_sent", "verification.delivered"].includes(type));
    expect(fromTheVerification).toEqual([
      "verification.created",
      "verification.canceled",
      "verification.approved",
    ]);
  });
});

describe("a slow endpoint", () => {
  const state = useTestState();

  it("does not hold up another endpoint's deliveries", async () => {
    const t = (state.t = await startTestRuntime("sqlite"));
    const slow = await startWebhookReceiver();
    const fast = (state.receiver = await startReceiver());
    try {
      slow.hold = true; // answers nothing: each of its deliveries takes the full timeout
      await t.runtime.webhooks.endpoints.create({ url: slow.url });
      await t.runtime.webhooks.endpoints.create({ url: fast.url });
      for (const to of [TO, "+14155550124", "+14155550125"]) await t.runtime.engine.create({ to });
      const pass = t.runtime.webhooks.dispatcher.tick();
      const total = (await eventTypes(t)).length;
      await fast.until(() => fast.acknowledged.size === total, 8000, "every event at the fast endpoint");
      // The slow one has the first event of each verification in flight and nothing after it (order per verification).
      expect(slow.held()).toBe(3);
      await slow.close(); // its connections drop: those deliveries fail and are retried later
      await pass;
      const deliveries = await t.runtime.sql.all<{ status: string }>(
        `SELECT d.status FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE e.url = ?`,
        [slow.url],
      );
      expect(deliveries.filter((d) => d.status === "pending")).toHaveLength(total);
    } finally {
      await slow.close();
    }
  });
});
