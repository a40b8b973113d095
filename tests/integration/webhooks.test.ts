/**
 * Events out against real server processes (issue 11): webhooks verified by a receiver with the
 * `standardwebhooks` package, a server killed with SIGKILL mid-delivery and restarted loses no event
 * (SQLite and PostgreSQL), two nodes on one PostgreSQL database deliver each event once, the SSE stream
 * resumes by Last-Event-ID with no gap, and bad input gets 4xx with the field named.
 */
import { afterEach, beforeEach, expect, it } from "vitest";
import { resolveDatabaseTarget } from "../../server/db/database-url.ts";
import { openSql, type Sql } from "../../server/store/sql.ts";
import { Outbox } from "../../server/webhooks/outbox.ts";
import type { Json } from "../helpers/http.ts";
import { latestCode, uniquePhone } from "../helpers/phones.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { databaseVariants, describeEachDatabase } from "../helpers/services.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver.ts";

const variants = await databaseVariants();
const FAST = { WEBHOOKS_INTERVAL_MS: "50", SCHEDULER_INTERVAL_MS: "50" };

async function eventSeqs(server: TestServer): Promise<number[]> {
  const sql: Sql = openSql(resolveDatabaseTarget(server.env.DATABASE_URL), { poolSize: 1 });
  try {
    await new Outbox(sql).sequence(); // PostgreSQL: what a killed node committed and no reader numbered yet
    return (await sql.all<{ seq: unknown }>(`SELECT seq FROM events ORDER BY seq`)).map((r) => Number(r.seq));
  } finally {
    await sql.close();
  }
}

async function addEndpoint(server: TestServer, receiver: WebhookReceiver, extra: Record<string, unknown> = {}): Promise<Json> {
  const res = await server.request("POST", "/api/v1/webhooks", { json: { url: receiver.url, ...extra } });
  expect(res.status).toBe(201);
  receiver.secret = res.body.secret as string;
  return res.body;
}

/** Starts and approves a verification through the native API. */
async function verifyOnce(server: TestServer): Promise<string> {
  const to = uniquePhone();
  const created = await server.request("POST", "/api/v1/verifications", { json: { to } });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const checked = await server.request("POST", `/api/v1/verifications/${id}/check`, { json: { code: await latestCode(server.request, to) } });
  expect(checked.body.valid).toBe(true);
  return id;
}

interface SseEvent {
  id: string;
  event: string;
  data: string;
}

interface Stream {
  events: SseEvent[];
  /** Resolves once `predicate(events)` holds (20 s at most). */
  until(predicate: (events: SseEvent[]) => boolean): Promise<SseEvent[]>;
  close(): void;
}

/** Opens GET /api/v1/events; resolves once the answer's headers arrived, then collects events in the background. */
async function openStream(server: TestServer, headers: Record<string, string> = {}, query = ""): Promise<Stream> {
  const controller = new AbortController();
  const res = await fetch(`${server.url}/api/v1/events${query}`, {
    headers: { authorization: `Bearer ${server.key}`, accept: "text/event-stream", ...headers },
    signal: controller.signal,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/event-stream");
  const events: SseEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = "";
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const lines = block.split("\n").filter((l) => !l.startsWith(":") && l.includes(":"));
        const fields = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim()]));
        if (fields.id !== undefined) events.push({ id: fields.id, event: fields.event ?? "", data: fields.data ?? "" });
      }
    }
  })().catch(() => {});
  return {
    events,
    async until(predicate) {
      const deadline = Date.now() + 20_000;
      while (!predicate(events)) {
        if (Date.now() > deadline) throw new Error(`stream: timed out with ${events.length} events (${events.map((e) => e.event).join(", ")})`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return events;
    },
    close: () => controller.abort(),
  };
}

describeEachDatabase(variants, "webhooks", (database) => {
  let server: TestServer;
  let receiver: WebhookReceiver;
  beforeEach(async () => {
    receiver = await startWebhookReceiver();
    server = await startServer({ database, env: { ...FAST, WEBHOOKS_LEASE_MS: "3000" } });
  });
  afterEach(async () => {
    await server?.stop();
    await receiver?.close();
  });

  it("delivers every event signed per Standard Webhooks, retries a 500, and masks numbers unless asked", async () => {
    receiver.statuses.push(500);
    const endpoint = await addEndpoint(server, receiver);
    expect(endpoint.secret).toMatch(/^whsec_/);
    const id = await verifyOnce(server);
    const seqs = await eventSeqs(server);
    await receiver.until(() => seqs.every((s) => receiver.acknowledged.has(`evt_${s}`)), 20_000, "every event acknowledged");
    expect(receiver.received.every((r) => r.payload !== null)).toBe(true);
    // The first attempt got 500 and was tried again with the same webhook-id.
    expect(receiver.received[0]!.id).toBe(receiver.received[1]!.id);
    const types = [...new Map(receiver.received.map((r) => [r.id, r.payload!.type])).values()];
    expect(types[0]).toBe("verification.created");
    expect(types.at(-1)).toBe("verification.approved");
    const created = receiver.received[0]!.payload!;
    expect(created.data).toMatchObject({ verificationId: id, surface: "native", surfaceId: id });
    expect(String(created.data.to)).toContain("•");
    // The receiver has answered the last event; the dispatcher records the outcome just after.
    const listed = async () => {
      const deliveries = await server.request("GET", `/api/v1/webhooks/${endpoint.id as string}/deliveries`);
      expect(deliveries.status).toBe(200);
      return deliveries.body.data as Json[];
    };
    await expect.poll(async () => (await listed()).every((d) => d.status === "succeeded"), { timeout: 10_000 }).toBe(true);
    expect((await listed()).at(-1)).toMatchObject({ attempts: 2, responseStatus: 200 });
  });

  it("loses no event when the server is killed (SIGKILL) mid-delivery and restarted", async () => {
    await addEndpoint(server, receiver);
    receiver.hold = true;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await verifyOnce(server));
    await receiver.until(() => receiver.held() > 0, 10_000, "a delivery in flight");
    await server.kill("SIGKILL");
    receiver.hold = false;
    const seqs = await eventSeqs(server);
    expect(seqs.length).toBeGreaterThanOrEqual(ids.length * 3);
    expect(receiver.acknowledged.size).toBe(0);
    await server.restart();
    await receiver.until(() => seqs.every((s) => receiver.acknowledged.has(`evt_${s}`)), 30_000, "every event after the restart");
    expect(receiver.received.every((r) => r.payload !== null)).toBe(true);
    // In order per verification: each verification's approved event came after its created event.
    for (const id of ids) {
      const mine = receiver.received.filter((r) => r.payload?.data.verificationId === id).map((r) => r.payload!.type);
      expect(mine.indexOf("verification.created")).toBeLessThan(mine.lastIndexOf("verification.approved"));
    }
  });

  it("streams events over SSE and resumes after Last-Event-ID with no gap", async () => {
    const live = await openStream(server);
    await verifyOnce(server);
    const first = [...(await live.until((events) => events.some((e) => e.event === "verification.approved")))];
    live.close();
    const last = first.at(-1)!.id;
    await verifyOnce(server); // while nobody listens
    const all = await eventSeqs(server);
    const rest = all.filter((s) => s > Number(last));
    const resumed = await openStream(server, { "last-event-id": last });
    const second = await resumed.until((events) => events.length >= rest.length);
    resumed.close();
    expect([...first, ...second].map((e) => Number(e.id))).toEqual(all);
    expect(first[0]!.event).toBe("verification.created");
    const payload = JSON.parse(second[0]!.data) as { type: string; data: Record<string, unknown> };
    expect(payload.type).toBe(second[0]!.event);
    expect(payload.type).toBe("verification.created");
    expect(String(payload.data.to)).toContain("•");
    // Filtered by type, numbers unmasked on request.
    const filtered = await openStream(server, { "last-event-id": "0" }, "?types=verification.approved&includePhoneNumbers=true");
    const approved = await filtered.until((events) => events.length >= 2);
    filtered.close();
    expect(approved.map((e) => e.event)).toEqual(["verification.approved", "verification.approved"]);
    expect(String((JSON.parse(approved[0]!.data) as { data: { to: string } }).data.to)).toMatch(/^\+[0-9]+$/);
  });

  it("answers bad input with 400 naming the field, and unknown ids with 404", async () => {
    const bad = async (json: unknown, path: string) => {
      const res = await server.request("POST", "/api/v1/webhooks", { json });
      expect(res.status).toBe(400);
      expect(res.body.error?.code).toBe("invalid_request");
      expect(res.body.error?.details?.map((d) => d.path)).toContain(path);
    };
    await bad({ url: "not a url" }, "url");
    await bad({ url: "https://user:pass@example.com/hook" }, "url");
    await bad({ url: "ftp://example.com/hook" }, "url");
    await bad({ url: "https://example.com/hook", events: ["verification.nope"] }, "events.0");
    await bad({ url: "https://example.com/hook", extra: true }, "extra");
    const unknown = "01900000-0000-7000-8000-000000000000";
    for (const [method, path] of [
      ["GET", `/api/v1/webhooks/${unknown}`],
      ["PATCH", `/api/v1/webhooks/${unknown}`],
      ["DELETE", `/api/v1/webhooks/${unknown}`],
      ["POST", `/api/v1/webhooks/${unknown}/rotate-secret`],
      ["POST", `/api/v1/webhooks/${unknown}/test`],
      ["GET", `/api/v1/webhooks/${unknown}/deliveries`],
      ["GET", "/api/v1/webhooks/not-an-id"],
    ] as const) {
      const res = await server.request(method, path, method === "PATCH" ? { json: { description: "x" } } : {});
      expect([res.status, res.body.error?.code]).toEqual([404, "webhook_not_found"]);
    }
    const endpoint = await addEndpoint(server, receiver);
    const retry = await server.request("POST", `/api/v1/webhooks/${endpoint.id as string}/deliveries/${unknown}/retry`);
    expect([retry.status, retry.body.error?.code]).toEqual([404, "webhook_delivery_not_found"]);
    const stream = await server.request("GET", "/api/v1/events", { headers: { "last-event-id": "abc" } });
    expect([stream.status, stream.body.error?.code]).toEqual([400, "invalid_last_event_id"]);
    const types = await server.request("GET", "/api/v1/events?types=nope");
    expect(types.status).toBe(400);
    expect(types.body.error?.details?.map((d) => d.path)).toContain("types");
    expect((await server.request("GET", "/api/v1/events", { key: null })).status).toBe(401);
  });

  it("manages endpoints: update, rotate (both secrets sign for 24 h), test, delete", async () => {
    const endpoint = await addEndpoint(server, receiver, { events: ["verification.approved"], description: "app" });
    const id = endpoint.id as string;
    expect(endpoint).toMatchObject({ events: ["verification.approved"], description: "app", includePhoneNumbers: false, enabled: true });
    expect((await server.request("GET", "/api/v1/webhooks")).body.data).toHaveLength(1);
    const patched = await server.request("PATCH", `/api/v1/webhooks/${id}`, { json: { includePhoneNumbers: true, events: [] } });
    expect(patched.body).toMatchObject({ includePhoneNumbers: true, events: null });
    expect(patched.body.secret).toBeUndefined();
    const oldSecret = receiver.secret;
    const rotated = await server.request("POST", `/api/v1/webhooks/${id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(oldSecret);
    const tested = await server.request("POST", `/api/v1/webhooks/${id}/test`);
    expect(tested.body).toMatchObject({ ok: true, responseStatus: 200 });
    const test = receiver.received.at(-1)!;
    expect(test.headers["webhook-id"]).toBe(tested.body.eventId);
    const listed = await server.request("GET", `/api/v1/webhooks/${id}/deliveries`);
    expect(listed.body.data).toContainEqual(
      expect.objectContaining({ id: tested.body.deliveryId, eventId: tested.body.eventId, eventType: "webhook.test", status: "succeeded", responseStatus: 200, attempts: 1 }),
    );
    expect(String(test.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    receiver.secret = rotated.body.secret as string;
    expect(receiver.received.length).toBeGreaterThan(0);
    const { Webhook } = await import("standardwebhooks");
    for (const secret of [oldSecret as string, receiver.secret]) expect(new Webhook(secret).verify(test.body, test.headers as Record<string, string>)).toMatchObject({ type: "webhook.test" });
    expect((await server.request("DELETE", `/api/v1/webhooks/${id}`)).status).toBe(204);
    expect((await server.request("GET", `/api/v1/webhooks/${id}`)).status).toBe(404);
  });
});

describeEachDatabase(
  variants.filter((v) => v.kind === "postgresql"),
  "webhooks on two nodes",
  () => {
    let a: TestServer;
    let b: TestServer;
    let receiver: WebhookReceiver;
    afterEach(async () => {
      await b?.stop();
      await a?.stop();
      await receiver?.close();
    });

    it("delivers each event once when two nodes share one database, and either node streams them all", async () => {
      receiver = await startWebhookReceiver();
      a = await startServer({ database: "postgresql", env: FAST });
      b = await startServer({ database: "postgresql", databaseUrl: a.env.DATABASE_URL as string, env: { ...FAST, TEXTGATE_SECRET: a.env.TEXTGATE_SECRET as string } });
      await addEndpoint(a, receiver);
      // Any node serves the stream with every node's events (read from the shared table).
      const stream = await openStream(b);
      await Promise.all([0, 1, 2, 3].map((i) => verifyOnce(i % 2 ? a : b)));
      const seqs = await eventSeqs(a);
      await receiver.until(() => seqs.every((s) => receiver.acknowledged.has(`evt_${s}`)), 20_000, "every event");
      expect((await stream.until((events) => events.length >= seqs.length)).map((e) => Number(e.id))).toEqual(seqs);
      stream.close();
      await new Promise((r) => setTimeout(r, 500)); // a duplicate would arrive within a few dispatcher periods
      const ids = receiver.received.map((r) => r.id);
      expect(ids.length).toBe(seqs.length);
      expect(new Set(ids).size).toBe(ids.length);
      expect(receiver.received.every((r) => r.payload !== null)).toBe(true);
    }, 90_000); // starts two servers
  },
);
