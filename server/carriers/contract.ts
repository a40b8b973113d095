/**
 * THE carrier contract: one suite every adapter passes (next-auth's `runBasicTests`, supabase's
 * provider tests). Each `<carrier>.test.ts` calls `describeCarrierContract` with a way to build the
 * adapter against a local fake of its HTTP API, the fake's realistic answers, and assertions on the
 * exact request the carrier documents (method, path, auth, body fields). Carrier-specific cases live
 * in each test file beside it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Channel } from "../../lib/channels.ts";
import { closedUrl, type FakeCarrier, type FakeReply, type RecordedRequest, startFakeCarrier } from "./fake-server.ts";
import type { AcceptedSend } from "./fakes/stateful.ts";
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
  /** "Was this already sent?" (`findSent`), asked with `since` = CONTRACT_SINCE and the clock at CONTRACT_NOW. */
  lookup: {
    /** The carrier's answer listing the text CONTRACT_SMS produced, whose id is `smsFoundId`. */
    smsFound: FakeReply;
    smsFoundId: string;
    /** An answer listing only other sends (another text, an older one, another reference). */
    smsNotFound: FakeReply;
    /** A full answer without the send, with more beyond it: the answer is not "not sent". */
    smsIncomplete: FakeReply;
    /** Asserts the one lookup request is exactly what the carrier documents (method, path, auth, query). */
    expectSmsLookup(request: RecordedRequest, message: OutboundMessage): void;
    callFound?: FakeReply;
    callFoundId?: string;
    callNotFound?: FakeReply;
    /** Only where the call list can hold calls that are not a match. */
    callIncomplete?: FakeReply;
    expectCallLookup?(request: RecordedRequest, message: OutboundMessage): void;
  };
}

/** The `since` of contract lookups: the step was due at 10:01, less a minute for clock skew. */
export const CONTRACT_SINCE = new Date("2026-11-22T10:00:00.000Z");
/** "Now" for contract lookups: the carrier's clock (CarrierDeps.clock) in adapter tests. */
export const CONTRACT_NOW = new Date("2026-11-22T10:05:00.000Z");

/** A send as a stateful fake keeps it, for building a carrier's listings in contract answers. */
export function acceptedSend(message: OutboundMessage, id: string, options: { at?: Date; from?: string | null; clientRef?: string | null } = {}): AcceptedSend {
  return {
    id,
    channel: message.channel,
    to: message.to,
    from: options.from ?? null,
    body: message.body,
    clientRef: options.clientRef === undefined ? message.idempotencyKey : options.clientRef,
    at: options.at ?? new Date(CONTRACT_SINCE.getTime() + 65_000),
  };
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

    it("can answer whether a send already happened (findSent)", () => {
      expect(typeof carrier.findSent, "every real carrier looks up an earlier send before a re-send").toBe("function");
    });

    const lookups: { channel: "sms" | "voice"; message: OutboundMessage }[] = [{ channel: "sms", message: CONTRACT_SMS }];
    if (contract.channels.includes("voice")) lookups.push({ channel: "voice", message: CONTRACT_CALL });
    for (const { channel, message } of lookups) {
      const l = contract.lookup;
      const answers =
        channel === "sms"
          ? { found: l.smsFound, id: l.smsFoundId, notFound: l.smsNotFound, incomplete: l.smsIncomplete, expect: l.expectSmsLookup }
          : { found: l.callFound, id: l.callFoundId, notFound: l.callNotFound, incomplete: l.callIncomplete, expect: l.expectCallLookup };

      it(`${channel} lookup: finds the earlier send with exactly the documented request`, async () => {
        fake.respond(answers.found as FakeReply);
        expect(await carrier.findSent?.(message, CONTRACT_SINCE)).toEqual({ carrierMessageId: answers.id, status: "sent" });
        expect(fake.requests).toHaveLength(1);
        expect(answers.expect, `the contract of ${name} asserts its ${channel} lookup request`).toBeTypeOf("function");
        answers.expect?.(fake.requests[0] as RecordedRequest, message);
      });

      it(`${channel} lookup: never answers with a send already recorded for another delivery`, async () => {
        fake.respond(answers.found as FakeReply);
        expect(await carrier.findSent?.(message, CONTRACT_SINCE, new Set([answers.id as string]))).toBeNull();
      });

      it(`${channel} lookup: answers "not sent" when only other sends are listed`, async () => {
        fake.respond(answers.notFound as FakeReply);
        expect(await carrier.findSent?.(message, CONTRACT_SINCE)).toBeNull();
      });

      // A LaML call list is filtered to our number and theirs, so every call in it is a match: no such answer.
      if (answers.incomplete) {
        it(`${channel} lookup: a full answer that may hide the send throws instead of answering "not sent"`, async () => {
          fake.respond(answers.incomplete as FakeReply);
          const error = await failure(carrier.findSent?.(message, CONTRACT_SINCE) ?? Promise.resolve());
          expect(error.code).toBe("lookup_incomplete");
        });
      }

      it(`${channel} lookup: a carrier failure throws a retryable error, so nothing is sent blind`, async () => {
        fake.respond(contract.answers.unavailable);
        const error = await failure(carrier.findSent?.(message, CONTRACT_SINCE) ?? Promise.resolve());
        expect({ carrier: error.carrier, retryable: error.retryable }).toEqual({ carrier: name, retryable: true });
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
