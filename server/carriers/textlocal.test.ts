import { describe, expect, it } from "vitest";
import { acceptedSend, CONTRACT_NOW, CONTRACT_SINCE, CONTRACT_SMS, describeCarrierContract, webhookRequest } from "./contract.ts";
import { historyAnswer, historyMessage } from "./fakes/textlocal.ts";
import { type CarrierDeps, parseCarrierEnv } from "./definition.ts";
import { HISTORY_LIMIT, textlocalDefinition } from "./textlocal.ts";
import { CarrierError, type Carrier } from "./types.ts";

const TOKEN = "textlocal-token-0123456789abc";
const ENV = { TEXTLOCAL_API_KEY: "NmE0ZTk2NzYxMjM0NTY3OA", TEXTLOCAL_SENDER: "Textgate", TEXTLOCAL_WEBHOOK_TOKEN: TOKEN };
const PUBLIC = "https://verify.example.com";
const deps: CarrierDeps = { fetch: (input, init) => fetch(input, init), publicUrl: PUBLIC, secret: "s".repeat(40), production: false, clock: () => CONTRACT_NOW };

function build(baseUrl: string, extra: Record<string, string> = {}): Carrier {
  const env = { ...ENV, TEXTLOCAL_API_BASE_URL: baseUrl, TEXTLOCAL_TIMEOUT_MS: "1000", ...extra };
  return textlocalDefinition.create(parseCarrierEnv(textlocalDefinition, ["sms"], env), ["sms"], deps);
}
/** A message of the API history: CONTRACT_SMS's number and text, with this customID. */
const sent = (id: string, customID: string) => historyMessage(acceptedSend(CONTRACT_SMS, id, { from: "Textgate", clientRef: customID }));
const failure = (code: number, message: string) => ({ status: 200, body: { errors: [{ code, message }], status: "failure" } });

describeCarrierContract("textlocal", {
  build: (url) => build(url),
  channels: ["sms"],
  answers: {
    smsAccepted: {
      status: 200,
      body: {
        balance: 1162,
        batch_id: 123456789,
        cost: 1,
        num_messages: 1,
        message: { num_parts: 1, sender: "Textgate", content: "…" },
        receipt_url: "",
        custom: CONTRACT_SMS.idempotencyKey,
        messages: [{ id: "1151346216", recipient: 447700900123 }],
        status: "success",
      },
    },
    unavailable: { status: 503, body: "Service Temporarily Unavailable" },
    rateLimited: { status: 429, body: "Too Many Requests" },
    invalidNumber: failure(51, "No valid numbers specified"),
    authFailed: failure(3, "Invalid login details"),
  },
  acceptedId: "1151346216",
  expectSmsRequest(request, message) {
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/send/");
    expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(request.form ?? [])).toEqual({
      apikey: ENV.TEXTLOCAL_API_KEY,
      numbers: "447700900123",
      message: message.body,
      sender: "Textgate",
      custom: message.idempotencyKey,
      receipt_url: `${PUBLIC}/api/webhooks/textlocal/status?token=${TOKEN}`,
    });
  },
  unsignedInbound: webhookRequest({
    url: `${PUBLIC}/api/webhooks/textlocal/inbound`,
    form: [["sender", "447700900123"], ["content", "YES"], ["inNumber", "447700900001"]],
  }),
  lookup: {
    smsFound: historyAnswer([sent("1151346300", "0197a0b2-0000-7e4f-8a9b-0c1d2e3f4a5b"), sent("1151346299", CONTRACT_SMS.idempotencyKey)]),
    smsFoundId: "1151346299",
    // Another delivery's text with the same body (a second step of one verification) is not this one.
    smsNotFound: historyAnswer([sent("1151346300", "0197a0b2-0000-7e4f-8a9b-0c1d2e3f4a5b")]),
    smsIncomplete: historyAnswer(Array.from({ length: HISTORY_LIMIT }, (_, i) => sent(String(1151340000 + i), `other-${i}`))),
    expectSmsLookup(request) {
      expect(request.method).toBe("POST");
      expect(request.path).toBe("/get_history_api/");
      expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded");
      expect(Object.fromEntries(request.form ?? [])).toEqual({
        apikey: ENV.TEXTLOCAL_API_KEY,
        min_time: String(CONTRACT_SINCE.getTime() / 1000),
        max_time: String(CONTRACT_NOW.getTime() / 1000),
        sort_order: "desc",
        start: "0",
        limit: String(HISTORY_LIMIT),
      });
    },
  },
});

describe("textlocal lookup of an earlier send", () => {
  it("matches number and exact text when the history carries no customID", async () => {
    const { startFakeCarrier } = await import("./fake-server.ts");
    const { customID: _, ...withoutCustom } = sent("1151346299", CONTRACT_SMS.idempotencyKey) as { customID: string };
    const fake = await startFakeCarrier(historyAnswer([{ ...withoutCustom, content: "Your textgate code is 000000" }, { ...withoutCustom, id: "1151346298" }]));
    try {
      expect(await build(fake.url).findSent?.(CONTRACT_SMS, CONTRACT_SINCE)).toEqual({ carrierMessageId: "1151346298", status: "sent" });
    } finally {
      await fake.close();
    }
  });
});

describe("textlocal", () => {
  it("has no voice channel", () => {
    expect(textlocalDefinition.channels).toEqual(["sms"]);
  });

  const errors: { desc: string; code: number; mapped: string }[] = [
    { desc: "7 insufficient credits", code: 7, mapped: "insufficient_funds" },
    { desc: "32 invalid number format", code: 32, mapped: "invalid_number" },
    { desc: "43 invalid sender name", code: 43, mapped: "rejected" },
    { desc: "6 message too long", code: 6, mapped: "message_too_long" },
    { desc: "an undocumented code", code: 80, mapped: "rejected" },
  ];
  for (const c of errors) {
    it(`maps error ${c.desc} → ${c.mapped} (permanent)`, async () => {
      const { startFakeCarrier } = await import("./fake-server.ts");
      const fake = await startFakeCarrier(failure(c.code, c.desc));
      try {
        const error = (await build(fake.url).send(CONTRACT_SMS).catch((e: unknown) => e)) as CarrierError;
        expect(error).toBeInstanceOf(CarrierError);
        expect({ code: error.code, retryable: error.retryable }).toEqual({ code: c.mapped, retryable: false });
      } finally {
        await fake.close();
      }
    });
  }

  it("accepts webhooks only with the URL token, and finds receipts by customID", () => {
    const carrier = build("http://127.0.0.1:9");
    const url = `${PUBLIC}/api/webhooks/textlocal/status`;
    const form: [string, string][] = [["number", "447700900123"], ["status", "D"], ["customID", "d-1"], ["datetime", "2026-01-01 12:00:00"]];
    expect(carrier.webhooks?.verify(webhookRequest({ url: `${url}?token=${TOKEN}`, form }), "status")).toBe(true);
    expect(carrier.webhooks?.verify(webhookRequest({ url: `${url}?token=wrong-token-0123456789abcd`, form }), "status")).toBe(false);
    expect(carrier.webhooks?.status(webhookRequest({ url, form }))).toEqual({ deliveryId: "d-1", status: "delivered", carrierError: undefined });
    expect(carrier.webhooks?.status(webhookRequest({ url, form: [["status", "U"], ["customID", "d-1"]] }))).toMatchObject({ status: "failed", carrierError: "U" });
    expect(carrier.webhooks?.status(webhookRequest({ url, form: [["status", "?"], ["customID", "d-1"]] }))).toBeNull();
  });

  it("uses a hash of the body as the inbound message id: a byte-identical retry is stored once", () => {
    const carrier = build("http://127.0.0.1:9");
    const form: [string, string][] = [["sender", "447700900123"], ["content", "YES"], ["inNumber", "447700900001"], ["credits", "99"]];
    const a = carrier.webhooks?.inbound(webhookRequest({ url: PUBLIC, form }));
    const b = carrier.webhooks?.inbound(webhookRequest({ url: PUBLIC, form }));
    expect(a).toMatchObject({ from: "+447700900123", to: "+447700900001", body: "YES" });
    expect(a?.carrierMessageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(b?.carrierMessageId).toBe(a?.carrierMessageId);
  });
});
