/**
 * `textgate/client` (lib/client/) against a real server: every call of the typed client, refusals as
 * TextgateRequestError with the dictionary's code, and the event stream resuming from the last event it yielded.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTextgateClient, isTextgateRequestError, TextgateRequestError, type StreamedEvent, type TextgateClient } from "../../lib/client/index.ts";
import { parseFrames } from "../../lib/client/event-stream.ts";
import { uniquePhone } from "../helpers/phones.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver.ts";

let server: TestServer;
let client: TextgateClient;
let receiver: WebhookReceiver;

beforeAll(async () => {
  [server, receiver] = await Promise.all([startServer(), startWebhookReceiver()]);
  client = createTextgateClient({ baseUrl: server.url, apiKey: server.key });
});
afterAll(async () => {
  await Promise.all([server?.stop(), receiver?.close()]);
});

async function refusal(promise: Promise<unknown>): Promise<TextgateRequestError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isTextgateRequestError(error), String(error)).toBe(true);
  return error as TextgateRequestError;
}

/** The code the sandbox texted to `to`, read through the client the way a host's test would. */
async function codeSentTo(to: string): Promise<string> {
  const [latest] = await client.sandbox.messages(to, { limit: 1 });
  const match = /\b([0-9]{4,20})\b/.exec(latest?.body ?? "");
  expect(match, `no code in ${latest?.body}`).not.toBeNull();
  return match![1]!;
}

describe("verifications", () => {
  it("creates, reads, refuses a wrong code as a result and approves the right one", async () => {
    const to = uniquePhone();
    const created = await client.verifications.create({ to, brand: "Acme" });
    expect(created).toMatchObject({ to, status: "pending", brand: "Acme", attemptsLeft: 5 });
    expect((await client.verifications.get(created.id)).id).toBe(created.id);

    const wrong = await client.verifications.check(created.id, "000000" === (await codeSentTo(to)) ? "111111" : "000000");
    expect(wrong).toEqual({ valid: false, status: "pending", attemptsLeft: 4 });
    const right = await client.verifications.check(created.id, await codeSentTo(to));
    expect(right).toMatchObject({ valid: true, status: "approved" });

    const finished = await refusal(client.verifications.check(created.id, "123456"));
    expect(finished).toMatchObject({ code: "verification_not_found", status: 404 });
  });

  it("throws the dictionary's code, status and the server's message for bad input", async () => {
    const error = await refusal(client.verifications.create({ to: "not a number" }));
    expect(error).toMatchObject({ code: "invalid_phone_number", status: 400 });
    expect(error.message).toMatch(/\S/);

    const unknown = await refusal(client.verifications.get("00000000-0000-4000-8000-000000000000"));
    expect(unknown.code).toBe("verification_not_found");

    const badKey = createTextgateClient({ baseUrl: server.url, apiKey: "tg_not_a_key" });
    expect((await refusal(badKey.verifications.get("00000000-0000-4000-8000-000000000000"))).code).toBe("unauthorized");
  });

  it("sends an Idempotency-Key: the repeat answers the first verification and sends nothing", async () => {
    const to = uniquePhone();
    const key = `client-test-${crypto.randomUUID()}`;
    const first = await client.verifications.create({ to }, { idempotencyKey: key });
    const again = await client.verifications.create({ to }, { idempotencyKey: key });
    expect(again.id).toBe(first.id);
    expect(await client.sandbox.messages(to)).toHaveLength(1);
  });

  it("resends the same code and cancels only after 30 s (cancel_too_early before)", async () => {
    const to = uniquePhone();
    const created = await client.verifications.create({ to });
    const resent = await client.verifications.resend(created.id);
    expect(resent.sends).toBe(2);
    expect(new Set((await client.sandbox.messages(to)).map((m) => /\b([0-9]{4,20})\b/.exec(m.body)?.[1])).size).toBe(1);
    expect((await refusal(client.verifications.cancel(created.id))).code).toBe("cancel_too_early");
    expect((await client.verifications.approve(created.id)).status).toBe("approved");
  });

  it("maps a non-JSON refusal to the dictionary by its status", async () => {
    const proxy = createTextgateClient({
      baseUrl: "https://textgate.invalid",
      apiKey: "k",
      fetch: async () => new Response("<html>Bad gateway</html>", { status: 502, headers: { "content-type": "text/html", "retry-after": "7" } }),
    });
    const error = await refusal(proxy.verifications.get("x"));
    expect(error).toMatchObject({ code: "http_502", status: 502, retryAfter: 7 });
  });
});

describe("webhooks and events", () => {
  it("manages an endpoint: create with a secret shown once, list, update, test, deliveries, rotate, remove", async () => {
    const endpoint = await client.webhooks.create({ url: receiver.url, events: ["verification.created"], description: "client test" });
    expect(endpoint.secret).toMatch(/^whsec_/);
    receiver.secret = endpoint.secret;
    expect((await client.webhooks.list()).map((e) => e.id)).toContain(endpoint.id);
    expect(await client.webhooks.get(endpoint.id)).not.toHaveProperty("secret");

    const updated = await client.webhooks.update(endpoint.id, { description: "renamed" });
    expect(updated.description).toBe("renamed");
    expect((await client.webhooks.test(endpoint.id)).ok).toBe(true);

    await client.verifications.create({ to: uniquePhone() });
    await receiver.until(() => receiver.received.some((r) => r.payload?.type === "verification.created"), 20_000, "verification.created");
    const deliveries = await client.webhooks.deliveries(endpoint.id);
    expect(deliveries.some((d) => d.eventType === "verification.created")).toBe(true);

    const rotated = await client.webhooks.rotateSecret(endpoint.id);
    expect(rotated.secret).not.toBe(endpoint.secret);
    expect((await refusal(client.webhooks.create({ url: "not a url" }))).code).toBe("invalid_request");
    await client.webhooks.remove(endpoint.id);
    expect((await refusal(client.webhooks.get(endpoint.id))).code).toBe("webhook_not_found");
  });

  it("streams events and resumes after the last one it yielded, without a gap", async () => {
    const collected: StreamedEvent[] = [];
    const first = new AbortController();
    const firstTo = uniquePhone();
    const reading = (async () => {
      for await (const event of client.events.subscribe({ types: ["verification.created"], includePhoneNumbers: true, signal: first.signal })) {
        collected.push(event);
        if (event.data.to === firstTo) first.abort();
      }
    })();
    // The stream starts from the next event once the server answered; create until ours shows up.
    const deadline = Date.now() + 15_000;
    while (!first.signal.aborted && Date.now() < deadline) {
      await client.verifications.create({ to: firstTo, onPending: "replace" }).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 300));
    }
    await reading;
    const last = collected.at(-1)!;
    expect(last).toMatchObject({ type: "verification.created", data: { to: firstTo } });

    const missed = uniquePhone();
    await client.verifications.create({ to: missed });
    const resumed = new AbortController();
    const after: StreamedEvent[] = [];
    for await (const event of client.events.subscribe({ types: ["verification.created"], lastEventId: last.id, includePhoneNumbers: true, signal: resumed.signal })) {
      after.push(event);
      if (event.data.to === missed) resumed.abort();
    }
    expect(Number(after[0]!.id)).toBeGreaterThan(Number(last.id));
    expect(after.at(-1)!.data.to).toBe(missed);
  });

  it("refuses an unknown event type before streaming", async () => {
    const stream = client.events.subscribe({ types: ["no.such" as never] });
    const error = await refusal((async () => { for await (const _ of stream) void _; })());
    expect(error.code).toBe("invalid_request");
  });

  it("parses SSE frames split anywhere, with comments, CRLF and multi-line data", () => {
    const text = ": heartbeat\r\n\r\nretry: 2000\n\nid: 7\nevent: x\ndata: {\"a\":\ndata: 1}\n\nid: 8\ndata: {}";
    const { frames, rest } = parseFrames(text);
    expect(frames).toEqual([{ data: [] }, { data: [], retry: 2000 }, { id: "7", event: "x", data: ['{"a":', "1}"] }]);
    expect(rest).toBe("id: 8\ndata: {}");
  });
});

describe("sandbox", () => {
  it("lists what was sent to a number and posts a reply from it", async () => {
    const to = uniquePhone();
    await client.verifications.create({ to });
    const [message] = await client.sandbox.messages(to);
    expect(message).toMatchObject({ direction: "outbound", channel: "sms", to });
    const reply = await client.sandbox.reply({ from: to, body: "YES" });
    expect(reply).toMatchObject({ duplicate: false });
    expect(reply.id).toMatch(/\S/);
    const conversation = await client.sandbox.conversation(to);
    expect(conversation.map((m) => [m.direction, m.direction === "inbound" ? m.body : "code"])).toEqual([["inbound", "YES"], ["outbound", "code"]]);
    expect(await client.sandbox.messages(to)).toHaveLength(1);
  });
});

it("rejects a client without a base URL or key", () => {
  expect(() => createTextgateClient({ baseUrl: "", apiKey: "k" })).toThrow(/baseUrl/);
  expect(() => createTextgateClient({ baseUrl: "http://localhost", apiKey: "" })).toThrow(/apiKey/);
});
