import { describe, expect, it } from "vitest";
import { describeCarrierContract, webhookRequest } from "./contract.ts";
import { type CarrierDeps, parseCarrierEnv } from "./definition.ts";
import { textmagicDefinition } from "./textmagic.ts";
import type { Carrier } from "./types.ts";

const TOKEN = "textmagic-token-0123456789abc";
const ENV = { TEXTMAGIC_USERNAME: "acme", TEXTMAGIC_API_KEY: "tmkey0123456789abcdef", TEXTMAGIC_FROM: "Textgate", TEXTMAGIC_WEBHOOK_TOKEN: TOKEN };
const PUBLIC = "https://verify.example.com";
const deps: CarrierDeps = { fetch: (input, init) => fetch(input, init), publicUrl: PUBLIC, secret: "s".repeat(40), production: false };

function build(baseUrl: string): Carrier {
  const env = { ...ENV, TEXTMAGIC_API_BASE_URL: baseUrl, TEXTMAGIC_TIMEOUT_MS: "1000" };
  return textmagicDefinition.create(parseCarrierEnv(textmagicDefinition, ["sms", "voice"], env), ["sms", "voice"], deps);
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
