import crypto from "node:crypto";
import { Vonage } from "@vonage/server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptedSend, CONTRACT_CALL, CONTRACT_NOW, CONTRACT_SMS, describeCarrierContract, webhookRequest } from "./contract.ts";
import { type CarrierDeps, parseCarrierEnv } from "./definition.ts";
import { type FakeCarrier, type FakeReply, type RecordedRequest, startFakeCarrier } from "./fake-server.ts";
import { callsPage, listedCall, reportsAnswer, reportsSmsRecord } from "./fakes/vonage.ts";
import { CarrierError, type Carrier } from "./types.ts";
import { vonageDefinition } from "./vonage.ts";
import { vonageSignature } from "./webhooks/signatures.ts";

const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});
const APP_ID = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
const TOKEN = "vonage-webhook-token-0123456789";
const ENV = {
  VONAGE_API_KEY: "abcd1234",
  VONAGE_API_SECRET: "Secret0123456789",
  VONAGE_FROM: "Textgate",
  VONAGE_APPLICATION_ID: APP_ID,
  VONAGE_PRIVATE_KEY: privateKey.replace(/\n/g, "\\n"), // as it usually sits in an env file
  VONAGE_VOICE_FROM: "+447700900001",
  VONAGE_WEBHOOK_TOKEN: TOKEN,
};
const PUBLIC = "https://verify.example.com";
const deps: CarrierDeps = { fetch: (input, init) => fetch(input, init), publicUrl: PUBLIC, secret: "s".repeat(40), production: false, clock: () => CONTRACT_NOW };

function build(baseUrl: string, extra: Record<string, string> = {}): Carrier {
  const env = { ...ENV, VONAGE_REST_BASE_URL: baseUrl, VONAGE_API_BASE_URL: baseUrl, VONAGE_TIMEOUT_MS: "1000", ...extra };
  return vonageDefinition.create(parseCarrierEnv(vonageDefinition, ["sms", "voice"], env), ["sms", "voice"], deps);
}

/** The SMS API's HTTP-200 answer with one message part per status given. */
function smsAnswer(...parts: { status: string; errorText?: string }[]): FakeReply {
  return {
    status: 200,
    body: {
      "message-count": String(parts.length),
      messages: parts.map((p, i) =>
        p.status === "0"
          ? { to: "447700900123", "message-id": `0A000000012${i}ABCD1`, status: "0", "remaining-balance": "3.14159265", "message-price": "0.03330000", network: "23410", "client-ref": CONTRACT_SMS.idempotencyKey }
          : { status: p.status, "error-text": p.errorText ?? "error" },
      ),
    },
  };
}

/** An outbound SMS record of the Reports API, to CONTRACT_SMS's number, with this client reference. */
const smsRecord = (id: string, clientRef: string) => reportsSmsRecord(acceptedSend(CONTRACT_SMS, id, { from: "Textgate", clientRef }));
/** CONTRACT_CALL as Vonage lists it, from VONAGE_VOICE_FROM. */
const ourCall = acceptedSend(CONTRACT_CALL, "call", { from: "447700900001", clientRef: null });

function jwtClaims(request: RecordedRequest): Record<string, unknown> {
  const token = String(request.headers.authorization).replace(/^Bearer /, "");
  const [h, p, s] = token.split(".") as [string, string, string];
  const valid = crypto.verify("sha256", Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, "base64url"));
  expect(valid, "the JWT is signed RS256 with the application's private key").toBe(true);
  expect(JSON.parse(Buffer.from(h, "base64url").toString())).toMatchObject({ alg: "RS256" });
  return JSON.parse(Buffer.from(p, "base64url").toString()) as Record<string, unknown>;
}

describeCarrierContract("vonage", {
  build: (url) => build(url),
  channels: ["sms", "voice"],
  answers: {
    smsAccepted: smsAnswer({ status: "0" }),
    callAccepted: { status: 201, body: { uuid: "63f61863-4a51-4f6b-86e1-46edebcf9356", status: "started", direction: "outbound", conversation_uuid: "CON-f972836a-550f-45fa-956c-12a2ab5b7d22" } },
    unavailable: { status: 503, body: { type: "https://developer.nexmo.com/api-errors#internal-error", title: "Service Unavailable" } },
    // Vonage reports these with HTTP 200 and a per-message status.
    rateLimited: smsAnswer({ status: "1", errorText: "Throughput Rate Exceeded - please wait [ 1 ] and retry" }),
    invalidNumber: smsAnswer({ status: "3", errorText: "Invalid to param" }),
    authFailed: smsAnswer({ status: "4", errorText: "Bad Credentials" }),
  },
  acceptedId: "0A0000000120ABCD1",
  expectSmsRequest(request, message) {
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/sms/json");
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from("abcd1234:Secret0123456789").toString("base64")}`);
    expect(request.json).toEqual({
      to: "447700900123",
      from: "Textgate",
      text: message.body,
      type: "text",
      "client-ref": message.idempotencyKey,
      callback: `${PUBLIC}/api/webhooks/vonage/status?token=${TOKEN}`,
      "status-report-req": true,
    });
  },
  expectCallRequest(request, message) {
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/v1/calls");
    expect(jwtClaims(request)).toMatchObject({ application_id: APP_ID });
    expect(request.json).toEqual({
      to: [{ type: "phone", number: "447700900123" }],
      from: { type: "phone", number: "447700900001" },
      ncco: [{ action: "talk", text: message.body, language: "en-US" }],
    });
  },
  unsignedInbound: webhookRequest({
    url: `${PUBLIC}/api/webhooks/vonage/inbound`,
    form: [["msisdn", "447700900123"], ["to", "447700900001"], ["messageId", "0A0000000123ABCD1"], ["text", "YES"], ["type", "text"]],
  }),
  lookup: {
    smsFound: reportsAnswer([smsRecord("0A0000000000OTHER", "0197a0b2-0000-7e4f-8a9b-0c1d2e3f4a5b"), smsRecord("0A00000000000MATCH", CONTRACT_SMS.idempotencyKey)]),
    smsFoundId: "0A00000000000MATCH",
    smsNotFound: reportsAnswer([smsRecord("0A0000000000OTHER", "0197a0b2-0000-7e4f-8a9b-0c1d2e3f4a5b")]),
    smsIncomplete: reportsAnswer([smsRecord("0A0000000000OTHER", "0197a0b2-0000-7e4f-8a9b-0c1d2e3f4a5b")], true),
    expectSmsLookup(request, message) {
      expect(request.method).toBe("GET");
      expect(request.path).toBe("/v2/reports/records");
      expect(request.headers.authorization).toBe(`Basic ${Buffer.from("abcd1234:Secret0123456789").toString("base64")}`);
      expect(Object.fromEntries(request.query)).toEqual({
        account_id: "abcd1234",
        product: "SMS",
        direction: "outbound",
        date_start: "2026-11-22T10:00:00Z",
        date_end: "2026-11-22T10:05:00Z",
        to: message.to.slice(1),
      });
    },
    callFound: callsPage([listedCall({ ...ourCall, id: "call-other", to: "+447700900999" }), listedCall({ ...ourCall, id: "call-match" })]),
    callFoundId: "call-match",
    callNotFound: callsPage([listedCall({ ...ourCall, id: "call-other", to: "+447700900999" }), listedCall({ ...ourCall, id: "call-from-else", from: "447700900555" })]),
    callIncomplete: callsPage(Array.from({ length: 100 }, (_, i) => listedCall({ ...ourCall, id: `call-${i}`, to: "+447700900999" })), true),
    expectCallLookup(request) {
      expect(request.method).toBe("GET");
      expect(request.path).toBe("/v1/calls");
      expect(jwtClaims(request)).toMatchObject({ application_id: APP_ID });
      expect(Object.fromEntries(request.query)).toEqual({ date_start: "2026-11-22T10:00:00Z", page_size: "100", order: "desc" });
    },
  },
});

describe("vonage adapter", () => {
  let fake: FakeCarrier;
  beforeAll(async () => {
    fake = await startFakeCarrier(smsAnswer({ status: "0" }));
  });
  afterAll(() => fake.close());

  it("sends type=unicode when a character is outside GSM-7, and strips + from a numeric sender", async () => {
    fake.requests.length = 0;
    fake.respond(smsAnswer({ status: "0" }));
    await build(fake.url).send({ ...CONTRACT_SMS, from: "+447700900001", body: "Ваш код 482913" });
    expect(fake.requests[0]?.json).toMatchObject({ type: "unicode", from: "447700900001", to: "447700900123" });
  });

  const statuses: { desc: string; reply: FakeReply; code: string; retryable: boolean }[] = [
    { desc: "HTTP 200 status 9 (quota, no credit)", reply: smsAnswer({ status: "9", errorText: "Partner quota violation" }), code: "insufficient_funds", retryable: false },
    { desc: "HTTP 200 status 7 (number barred)", reply: smsAnswer({ status: "7", errorText: "Number barred" }), code: "rejected", retryable: false },
    { desc: "HTTP 200 status 5 (internal error)", reply: smsAnswer({ status: "5", errorText: "Internal Error" }), code: "carrier_unavailable", retryable: true },
    { desc: "HTTP 200 status 29 (non-whitelisted destination)", reply: smsAnswer({ status: "29", errorText: "Non White-listed Destination" }), code: "rejected", retryable: false },
    { desc: "HTTP 200 status 33 (number de-activated)", reply: smsAnswer({ status: "33", errorText: "Number de-activated" }), code: "invalid_number", retryable: false },
    { desc: "HTTP 200 unknown status", reply: smsAnswer({ status: "99", errorText: "?" }), code: "rejected", retryable: false },
    {
      desc: "HTTP 200 partial failure (one part sent: a retry would duplicate it)",
      reply: smsAnswer({ status: "0" }, { status: "1", errorText: "Throttled" }),
      code: "rejected",
      retryable: false,
    },
    { desc: "HTTP 401", reply: { status: 401, body: { type: "about:blank", title: "Unauthorized" } }, code: "auth_failed", retryable: false },
    { desc: "HTTP 429", reply: { status: 429, body: "" }, code: "rate_limited", retryable: true },
    { desc: "HTTP 200 without messages", reply: { status: 200, body: { "message-count": "0", messages: [] } }, code: "bad_response", retryable: false },
  ];
  for (const c of statuses) {
    it(`maps ${c.desc} → ${c.code}${c.retryable ? " (retryable)" : ""}`, async () => {
      fake.respond(c.reply);
      const error = await build(fake.url).send(CONTRACT_SMS).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CarrierError);
      expect({ code: (error as CarrierError).code, retryable: (error as CarrierError).retryable }).toEqual({ code: c.code, retryable: c.retryable });
    });
  }

  it("maps a Voice API 400 about the destination to invalid_number", async () => {
    fake.respond({
      status: 400,
      body: { type: "https://developer.nexmo.com/api-errors/voice#validation", title: "Bad Request", invalid_parameters: [{ name: "to", reason: "must be a valid number" }] },
    });
    const error = (await build(fake.url).send(CONTRACT_CALL).catch((e: unknown) => e)) as CarrierError;
    expect({ code: error.code, retryable: error.retryable }).toEqual({ code: "invalid_number", retryable: false });
  });

  it("speaks the message's locale", async () => {
    fake.requests.length = 0;
    fake.respond({ status: 201, body: { uuid: "u-1", status: "started" } });
    await build(fake.url).send({ ...CONTRACT_CALL, locale: "de" });
    expect(fake.requests[0]?.json).toMatchObject({ ncco: [{ action: "talk", language: "de-DE" }] });
  });

  it("refuses to start without what a channel needs, naming the variables", () => {
    const attempt = (env: Record<string, string>, channels: ("sms" | "voice")[]) => {
      try {
        parseCarrierEnv(vonageDefinition, channels, env);
        return "";
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(attempt({}, ["sms"])).toMatch(/VONAGE_API_KEY[\s\S]*VONAGE_API_SECRET[\s\S]*VONAGE_FROM/);
    expect(attempt({ ...ENV, VONAGE_PRIVATE_KEY: "/nonexistent/key.pem" }, ["voice"])).toContain("VONAGE_PRIVATE_KEY: must be a PEM private key");
    expect(attempt({ ...ENV, VONAGE_PRIVATE_KEY: "-----BEGIN PRIVATE KEY-----\\nnope\\n-----END PRIVATE KEY-----" }, ["voice"])).toContain("not a valid PEM");
    expect(attempt({ VONAGE_API_KEY: "k", VONAGE_API_SECRET: "s", VONAGE_FROM: "X" }, ["sms", "voice"])).toMatch(/VONAGE_APPLICATION_ID: required because VOICE_CARRIERS/);
    expect(attempt(ENV, ["sms", "voice"])).toBe("");
  });
});

describe("vonage webhooks", () => {
  const SECRET = "signature-secret-0123";
  const url = `${PUBLIC}/api/webhooks/vonage/inbound`;
  const params: Record<string, string> = {
    msisdn: "447700900123",
    to: "447700900001",
    messageId: "0A0000000123ABCD1",
    text: "YES & more=ok",
    type: "text",
    keyword: "YES",
    "message-timestamp": "2026-11-22 10:05:00",
    // CONTRACT_NOW, the carrier's clock in these tests: Vonage signs the time it sent the request.
    timestamp: String(CONTRACT_NOW.getTime() / 1000),
    nonce: "5b2d5f54-2a8d-4cf6-8f55-0f6cce1a2b7a",
  };
  // The documented algorithm, written out: sorted &k=v with & and = in values replaced by _, then the hash.
  const signed = `&${Object.keys(params).sort().map((k) => `${k}=${(params[k] as string).replace(/[&=]/g, "_")}`).join("&")}`;
  const md5 = crypto.createHash("md5").update(signed + SECRET).digest("hex");
  const sha256 = crypto.createHmac("sha256", SECRET).update(signed).digest("hex");
  const sdk = new Vonage({ apiKey: "k", apiSecret: "s" });

  it("the independent vectors agree with the official SDK's verifySignature", () => {
    expect(sdk.sms.verifySignature(md5, params, SECRET, "MD5HASH" as Parameters<typeof sdk.sms.verifySignature>[3])).toBe(true);
    expect(sdk.sms.verifySignature(sha256, params, SECRET, "SHA256HMAC" as Parameters<typeof sdk.sms.verifySignature>[3])).toBe(true);
  });

  const signedCarrier = (method: string) => build("http://127.0.0.1:9", { VONAGE_SIGNATURE_SECRET: SECRET, VONAGE_SIGNATURE_METHOD: method, VONAGE_WEBHOOK_TOKEN: "" });
  const form = (extra: Record<string, string>) => Object.entries({ ...params, ...extra });

  const cases: { desc: string; method: string; request: ReturnType<typeof webhookRequest>; ok: boolean }[] = [
    { desc: "md5hash sig (POST form)", method: "md5hash", request: webhookRequest({ url, form: form({ sig: md5 }) }), ok: true },
    { desc: "md5hash sig in lower case", method: "md5hash", request: webhookRequest({ url, form: form({ sig: md5.toLowerCase() }) }), ok: true },
    { desc: "sha256hmac sig (GET query)", method: "sha256hmac", request: webhookRequest({ url: `${url}?${new URLSearchParams({ ...params, sig: sha256 })}`, method: "GET" }), ok: true },
    { desc: "sha256hmac sig (JSON body)", method: "sha256hmac", request: webhookRequest({ url, json: { ...params, sig: sha256 } }), ok: true },
    { desc: "tampered text", method: "md5hash", request: webhookRequest({ url, form: form({ text: "NO", sig: md5 }) }), ok: false },
    { desc: "no sig", method: "md5hash", request: webhookRequest({ url, form: form({}) }), ok: false },
    { desc: "sig made with the wrong algorithm", method: "sha256hmac", request: webhookRequest({ url, form: form({ sig: md5 }) }), ok: false },
  ];
  for (const c of cases) {
    it(`${c.ok ? "accepts" : "refuses"} ${c.desc}`, () => {
      expect(signedCarrier(c.method).webhooks?.verify(c.request, "inbound")).toBe(c.ok);
    });
  }

  // @see issue 10 item 11: a correctly signed webhook an hour old was accepted.
  it("refuses a correctly signed request whose timestamp is more than five minutes from now, either way", () => {
    const at = (offsetSeconds: number | null) => {
      const p: Record<string, string> = { ...params };
      if (offsetSeconds === null) delete p.timestamp;
      else p.timestamp = String(CONTRACT_NOW.getTime() / 1000 + offsetSeconds);
      const sig = vonageSignature(p, SECRET, "md5hash");
      expect(sdk.sms.verifySignature(sig, p, SECRET, "MD5HASH" as Parameters<typeof sdk.sms.verifySignature>[3])).toBe(true);
      return webhookRequest({ url, form: Object.entries({ ...p, sig }) });
    };
    const carrier = signedCarrier("md5hash");
    const verdicts = [-3600, -301, -300, -60, 0, 60, 300, 301, 3600].map((offset) => [offset, carrier.webhooks?.verify(at(offset), "inbound")]);
    expect(verdicts).toEqual([[-3600, false], [-301, false], [-300, true], [-60, true], [0, true], [60, true], [300, true], [301, false], [3600, false]]);
    expect(carrier.webhooks?.verify(at(null), "inbound")).toBe(false);
  });

  it("in token mode, accepts only the exact ?token=", () => {
    const carrier = build("http://127.0.0.1:9");
    expect(carrier.webhooks?.verify(webhookRequest({ url: `${url}?token=${TOKEN}`, form: form({}) }), "inbound")).toBe(true);
    expect(carrier.webhooks?.verify(webhookRequest({ url: `${url}?token=${TOKEN}x`, form: form({}) }), "inbound")).toBe(false);
    expect(carrier.webhooks?.verify(webhookRequest({ url: `${url}?token=${TOKEN}&token=${TOKEN}`, form: form({}) }), "inbound")).toBe(false);
  });

  it("parses inbound texts (digits become E.164) and receipts (client-ref finds the delivery)", () => {
    const carrier = build("http://127.0.0.1:9");
    expect(carrier.webhooks?.inbound(webhookRequest({ url, form: form({}) }))).toEqual({
      carrierMessageId: "0A0000000123ABCD1",
      from: "+447700900123",
      to: "+447700900001",
      body: "YES & more=ok",
    });
    const receipt = (status: string) =>
      carrier.webhooks?.status(webhookRequest({ url, form: [["messageId", "0A01"], ["status", status], ["err-code", "0"], ["client-ref", "d-1"], ["msisdn", "447700900123"]] }));
    expect(receipt("delivered")).toEqual({ carrierMessageId: "0A01", deliveryId: "d-1", status: "delivered", carrierError: undefined });
    expect(receipt("accepted")).toMatchObject({ status: "sent" });
    expect(receipt("rejected")).toMatchObject({ status: "failed", carrierError: "rejected 0" });
    expect(receipt("unknown")).toBeNull();
  });
});
