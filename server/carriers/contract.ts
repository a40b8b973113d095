/**
 * THE carrier contract: one suite every adapter passes (next-auth's `runBasicTests`, supabase's
 * provider tests). Each `<carrier>.test.ts` calls `describeCarrierContract` with a way to build the
 * adapter against a local fake of its HTTP API, the fake's realistic answers, and assertions on the
 * exact request the carrier documents (method, path, auth, body fields). Carrier-specific cases live
 * in each test file beside it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Channel } from "../verification/types.ts";
import { closedUrl, type FakeCarrier, type FakeReply, type RecordedRequest, startFakeCarrier } from "./fake-server.ts";
import { type Carrier, CarrierError, type OutboundMessage, type WebhookRequest } from "./types.ts";

export interface CarrierContract {
  /** The adapter, pointed at `baseUrl` (the fake), with a 1-second timeout. */
  build(baseUrl: string): Carrier;
  channels: readonly Channel[];
  answers: {
    smsAccepted: FakeReply;
    callAccepted?: FakeReply;
    /** A 5xx (or the carrier's equivalent): retrying can help. */
    unavailable: FakeReply;
    rateLimited: FakeReply;
    invalidNumber: FakeReply;
    authFailed: FakeReply;
  };
  /** The carrier message id `smsAccepted` carries. */
  acceptedId: string;
  /** Asserts the one request an SMS send made is exactly what the carrier documents. */
  expectSmsRequest(request: RecordedRequest, message: OutboundMessage): void;
  expectCallRequest?(request: RecordedRequest, message: OutboundMessage): void;
  /** An inbound webhook as the carrier would send it, but without a valid signature or token. */
  unsignedInbound: WebhookRequest;
}

export const CONTRACT_SMS: OutboundMessage = {
  channel: "sms",
  to: "+447700900123",
  body: "Your textgate code is 482913",
  idempotencyKey: "0197a0b2-7c1d-7e4f-8a9b-0c1d2e3f4a5b",
};

export const CONTRACT_CALL: OutboundMessage = {
  channel: "voice",
  to: "+447700900123",
  body: "Your textgate code is 4, 8, 2, 9, 1, 3",
  idempotencyKey: "0197a0b2-7c1d-7e4f-8a9b-0c1d2e3f4a5c",
};

async function failure(promise: Promise<unknown>): Promise<CarrierError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, "the send should have failed").toBeInstanceOf(CarrierError);
  return error as CarrierError;
}

export function describeCarrierContract(name: string, contract: CarrierContract): void {
  describe(`carrier contract: ${name}`, () => {
    let fake: FakeCarrier;
    let carrier: Carrier;
    beforeAll(async () => {
      fake = await startFakeCarrier();
      carrier = contract.build(fake.url);
    });
    afterAll(() => fake?.close());
    beforeEach(() => {
      fake.requests.length = 0;
    });

    it("has its id and the channels it was built for", () => {
      expect(carrier.id).toBe(name);
      expect([...carrier.channels].sort()).toEqual([...contract.channels].sort());
    });

    it("sends an SMS with exactly the documented request and returns the carrier's message id", async () => {
      fake.respond(contract.answers.smsAccepted);
      const result = await carrier.send(CONTRACT_SMS);
      expect(fake.requests).toHaveLength(1);
      contract.expectSmsRequest(fake.requests[0] as RecordedRequest, CONTRACT_SMS);
      expect(result).toEqual({ carrierMessageId: contract.acceptedId, status: "sent" });
    });

    const cases: { desc: string; answer: keyof CarrierContract["answers"]; code: string; retryable: boolean }[] = [
      { desc: "carrier unavailable (5xx) → retryable", answer: "unavailable", code: "carrier_unavailable", retryable: true },
      { desc: "rate limited → retryable", answer: "rateLimited", code: "rate_limited", retryable: true },
      { desc: "invalid number → permanent", answer: "invalidNumber", code: "invalid_number", retryable: false },
      { desc: "bad credentials → permanent", answer: "authFailed", code: "auth_failed", retryable: false },
    ];
    for (const c of cases) {
      it(`maps ${c.desc}`, async () => {
        fake.respond(contract.answers[c.answer] as FakeReply);
        const error = await failure(carrier.send(CONTRACT_SMS));
        expect({ carrier: error.carrier, code: error.code, retryable: error.retryable }).toEqual({ carrier: name, code: c.code, retryable: c.retryable });
        expect(fake.requests).toHaveLength(1);
      });
    }

    it("gives up after its timeout with a retryable timeout error", async () => {
      fake.respond(() => "hang");
      const started = Date.now();
      const error = await failure(carrier.send(CONTRACT_SMS));
      expect(Date.now() - started).toBeLessThan(5000);
      expect({ code: error.code, retryable: error.retryable }).toEqual({ code: "timeout", retryable: true });
    });

    it("maps an unreachable carrier to a retryable network error", async () => {
      const unreachable = contract.build(await closedUrl());
      const error = await failure(unreachable.send(CONTRACT_SMS));
      expect({ code: error.code, retryable: error.retryable }).toEqual({ code: "network_error", retryable: true });
    });

    it("refuses a text longer than it can send, before any request", async () => {
      fake.respond(contract.answers.smsAccepted);
      const error = await failure(carrier.send({ ...CONTRACT_SMS, body: "€".repeat(1000) }));
      expect({ code: error.code, retryable: error.retryable }).toEqual({ code: "message_too_long", retryable: false });
      expect(fake.requests).toHaveLength(0);
    });

    if (contract.channels.includes("voice")) {
      it("places a text-to-speech call with exactly the documented request", async () => {
        fake.respond(contract.answers.callAccepted as FakeReply);
        const result = await carrier.send(CONTRACT_CALL);
        expect(fake.requests).toHaveLength(1);
        contract.expectCallRequest?.(fake.requests[0] as RecordedRequest, CONTRACT_CALL);
        expect(result.status).toBe("sent");
        expect(result.carrierMessageId).not.toBe("");
      });
    }

    it("refuses an unsigned inbound webhook (fail closed)", () => {
      expect(carrier.webhooks, "every real carrier takes webhooks").toBeDefined();
      expect(carrier.webhooks?.verify(contract.unsignedInbound, "inbound")).toBe(false);
      expect(carrier.webhooks?.verify(contract.unsignedInbound, "status")).toBe(false);
    });
  });
}

/** A webhook request for adapter tests: form fields (POST) at a public URL. */
export function webhookRequest(options: {
  url: string;
  method?: string;
  form?: [string, string][];
  json?: unknown;
  headers?: Record<string, string>;
}): WebhookRequest {
  const url = new URL(options.url);
  const form = options.form ?? [];
  const rawBody = options.json !== undefined ? Buffer.from(JSON.stringify(options.json)) : Buffer.from(new URLSearchParams(form).toString());
  return {
    method: options.method ?? "POST",
    url: options.url,
    headers: Object.fromEntries(Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    rawBody,
    query: [...url.searchParams],
    form: options.json !== undefined ? [] : form,
    json: options.json,
  };
}
