import { describe, expect, it } from "vitest";
import { acceptedSend, CONTRACT_CALL, CONTRACT_NOW, CONTRACT_SINCE, CONTRACT_SMS, describeCarrierContract, webhookRequest } from "./contract.ts";
import type { RecordedRequest } from "./fake-server.ts";
import { messageOut, messagesPage } from "./fakes/textmagic.ts";
import { type CarrierDeps, parseCarrierEnv } from "./definition.ts";
import { LOOKUP_LIMIT, textmagicDefinition } from "./textmagic.ts";
import type { Carrier, OutboundMessage } from "./types.ts";

const TOKEN = "textmagic-token-0123456789abc";
const ENV = { TEXTMAGIC_USERNAME: "acme", TEXTMAGIC_API_KEY: "tmkey0123456789abcdef", TEXTMAGIC_FROM: "Textgate", TEXTMAGIC_WEBHOOK_TOKEN: TOKEN };
const PUBLIC = "https://verify.example.com";
const deps: CarrierDeps = { fetch: (input, init) => fetch(input, init), publicUrl: PUBLIC, secret: "s".repeat(40), production: false, clock: () => CONTRACT_NOW };

function build(baseUrl: string): Carrier {
  const env = { ...ENV, TEXTMAGIC_API_BASE_URL: baseUrl, TEXTMAGIC_TIMEOUT_MS: "1000" };
  return textmagicDefinition.create(parseCarrierEnv(textmagicDefinition, ["sms", "voice"], env), ["sms", "voice"], deps);
}

/** A message as GET /api/v2/messages lists it: `message`, or the same with another text, number or time. */
function listed(message: OutboundMessage, id: string, other: { body?: string; to?: string; at?: Date } = {}) {
  return messageOut({ ...acceptedSend({ ...message, body: other.body ?? message.body, to: other.to ?? message.to }, id, { from: "Textgate", clientRef: null, at: other.at }) });
}

function expectLookup(request: RecordedRequest) {
  expect(request.method).toBe("GET");
  expect(request.path).toBe("/api/v2/messages");
  expect(request.headers["x-tm-username"]).toBe("acme");
  expect(request.headers["x-tm-key"]).toBe(ENV.TEXTMAGIC_API_KEY);
  expect(Object.fromEntries(request.query)).toEqual({ page: "1", limit: String(LOOKUP_LIMIT) });
}

describeCarrierContract("textmagic", {
  build,
  channels: ["sms", "voice"],
  answers: {
    smsAccepted: { status: 201, body: { id: 49576009, href: "/api/v2/messages/49576009", type: "message", sessionId: 34436600, bulkId: null, messageId: 49576009, scheduleId: null } },
    callAccepted: { status: 201, body: { id: 49576010, href: "/api/v2/messages/49576010", type: "message", messageId: 49576010 } },
    unavailable: { status: 502, body: "Bad Gateway" },
    rateLimited: { status: 429, body: { code: 429, message: "Too Many Requests" } },
    invalidNumber: { status: 400, body: { code: 400, message: "Validation Failed", errors: { common: [], fields: { phones: ["Phone number 447700900123 is invalid"] } } } },
    authFailed: { status: 401, body: { code: 401, message: "Unauthorized" } },
  },
  acceptedId: "49576009",
  expectSmsRequest(request, message) {
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/api/v2/messages");
    expect(request.headers["x-tm-username"]).toBe("acme");
    expect(request.headers["x-tm-key"]).toBe(ENV.TEXTMAGIC_API_KEY);
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.json).toEqual({ text: message.body, phones: "447700900123", from: "Textgate" });
  },
  expectCallRequest(request, message) {
    expect(request.path).toBe("/api/v2/messages");
    expect(request.json).toEqual({ text: message.body, phones: "447700900123", from: "Textgate", tts: true });
  },
  unsignedInbound: webhookRequest({
    url: `${PUBLIC}/api/webhooks/textmagic/inbound`,
    json: { id: 1782832, sender: "447700900123", receiver: "447624800500", messageTime: "2026-01-01T12:00:00+0000", text: "YES" },
  }),
  lookup: {
    smsFound: messagesPage([listed(CONTRACT_SMS, "49576020", { body: "Your textgate code is 000000" }), listed(CONTRACT_SMS, "49576019")]),
    smsFoundId: "49576019",
    smsNotFound: messagesPage([listed(CONTRACT_SMS, "49576020", { to: "+447700900999" }), listed(CONTRACT_SMS, "49576001", { at: new Date(CONTRACT_SINCE.getTime() - 600_000) })]),
    smsIncomplete: messagesPage(Array.from({ length: LOOKUP_LIMIT }, (_, i) => listed(CONTRACT_SMS, String(49577000 + i), { to: "+447700900999" })), 3),
    expectSmsLookup: expectLookup,
    callFound: messagesPage([listed(CONTRACT_CALL, "49576021")]),
    callFoundId: "49576021",
    callNotFound: messagesPage([listed(CONTRACT_SMS, "49576020")]),
    callIncomplete: messagesPage(Array.from({ length: LOOKUP_LIMIT }, (_, i) => listed(CONTRACT_CALL, String(49577000 + i), { to: "+447700900999" })), 2),
    expectCallLookup: expectLookup,
  },
});

describe("textmagic", () => {
  it("maps a 400 about the balance to insufficient_funds", async () => {
    const { startFakeCarrier } = await import("./fake-server.ts");
    const fake = await startFakeCarrier({ status: 400, body: { code: 400, message: "Insufficient balance", errors: { common: ["Not enough credit"] } } });
    try {
      const error = await build(fake.url).send({ channel: "sms", to: "+447700900123", body: "x", idempotencyKey: "k" }).catch((e: { code: string }) => e);
      expect(error).toMatchObject({ code: "insufficient_funds", retryable: false });
    } finally {
      await fake.close();
    }
  });

  it("parses inbound replies (JSON) and delivery callbacks, with the URL token", () => {
    const carrier = build("http://127.0.0.1:9");
    const url = `${PUBLIC}/api/webhooks/textmagic/inbound`;
    const inbound = webhookRequest({ url: `${url}?token=${TOKEN}`, json: { id: 1782832, sender: "447700900123", receiver: "447624800500", messageTime: "2026-01-01T12:00:00+0000", text: "YES" } });
    expect(carrier.webhooks?.verify(inbound, "inbound")).toBe(true);
    expect(carrier.webhooks?.inbound(inbound)).toEqual({ carrierMessageId: "1782832", from: "+447700900123", to: "+447624800500", body: "YES" });
    expect(carrier.webhooks?.status(webhookRequest({ url, json: { id: 49576009, status: "d", receiver: "447700900123" } }))).toMatchObject({ carrierMessageId: "49576009", status: "delivered" });
    expect(carrier.webhooks?.status(webhookRequest({ url, form: [["message_id", "49576009"], ["status", "f"]] }))).toMatchObject({ status: "failed", carrierError: "f" });
    expect(carrier.webhooks?.status(webhookRequest({ url, json: { id: 1, status: "q" } }))).toBeNull();
  });
});
