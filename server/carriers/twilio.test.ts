import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTRACT_NOW, CONTRACT_SMS, describeCarrierContract, webhookRequest } from "./contract.ts";
import { parseCarrierEnv, type CarrierDeps } from "./definition.ts";
import { type FakeCarrier, type FakeReply, startFakeCarrier } from "./fake-server.ts";
import { lamlLookupContract } from "./fakes/laml-contract.ts";
import { twilioDefinition } from "./twilio.ts";
import { CarrierError, type Carrier } from "./types.ts";

const SID = `AC${"0a".repeat(16)}`;
const TOKEN = "f3c1b2a4d5e6f7089a1b2c3d4e5f6a7b";
const ENV = { TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: TOKEN, TWILIO_FROM: "+14155550100" };
const PUBLIC = "https://verify.example.com";
const deps: CarrierDeps = { fetch: (input, init) => fetch(input, init), publicUrl: PUBLIC, secret: "s".repeat(40), production: false, clock: () => CONTRACT_NOW };

function build(baseUrl: string, extra: Record<string, string> = {}, channels: ("sms" | "voice")[] = ["sms", "voice"]): Carrier {
  const env = { ...ENV, TWILIO_API_BASE_URL: baseUrl, TWILIO_TIMEOUT_MS: "1000", ...extra };
  return twilioDefinition.create(parseCarrierEnv(twilioDefinition, channels, env), channels, deps);
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
const twilioError = (status: number, code: number, message: string): FakeReply => ({
  status,
  body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
});
const accepted: FakeReply = {
  status: 201,
  body: { sid: "SM0123456789abcdef0123456789abcdef", account_sid: SID, to: "+447700900123", from: "+14155550100", status: "queued", num_segments: "1", error_code: null },
};

describeCarrierContract("twilio", {
  build: (url) => build(url),
  channels: ["sms", "voice"],
  answers: {
    smsAccepted: accepted,
    callAccepted: { status: 201, body: { sid: "CA0123456789abcdef0123456789abcdef", status: "queued" } },
    unavailable: { status: 503, body: { code: 20503, message: "Service Unavailable", status: 503 } },
    rateLimited: twilioError(429, 20429, "Too Many Requests"),
    invalidNumber: twilioError(400, 21211, "Invalid 'To' Phone Number: +44770090012"),
    authFailed: twilioError(401, 20003, "Authenticate"),
  },
  acceptedId: "SM0123456789abcdef0123456789abcdef",
  expectSmsRequest(request, message) {
    expect(request.method).toBe("POST");
    expect(request.path).toBe(`/2010-04-01/Accounts/${SID}/Messages.json`);
    expect(request.headers.authorization).toBe(basic(SID, TOKEN));
    expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(request.form ?? [])).toEqual({
      To: message.to,
      From: "+14155550100",
      Body: message.body,
      StatusCallback: `${PUBLIC}/api/webhooks/twilio/status`,
    });
  },
  expectCallRequest(request, message) {
    expect(request.method).toBe("POST");
    expect(request.path).toBe(`/2010-04-01/Accounts/${SID}/Calls.json`);
    expect(request.headers.authorization).toBe(basic(SID, TOKEN));
    expect(Object.fromEntries(request.form ?? [])).toEqual({
      To: message.to,
      From: "+14155550100",
      Twiml: `<?xml version="1.0" encoding="UTF-8"?><Response><Say language="en-US">${message.body}</Say></Response>`,
    });
  },
  unsignedInbound: webhookRequest({
    url: `${PUBLIC}/api/webhooks/twilio/inbound`,
    form: [["MessageSid", "SM1"], ["From", "+447700900123"], ["To", "+14155550100"], ["Body", "YES"]],
  }),
  lookup: lamlLookupContract({
    accountPath: `/2010-04-01/Accounts/${SID}`,
    messagesResource: "Messages.json",
    callsResource: "Calls.json",
    authorization: basic(SID, TOKEN),
    from: "+14155550100",
  }),
});

describe("twilio adapter", () => {
  let fake: FakeCarrier;
  beforeAll(async () => {
    fake = await startFakeCarrier(accepted);
  });
  afterAll(() => fake.close());

  async function sent(carrier: Carrier, message = CONTRACT_SMS) {
    fake.requests.length = 0;
    fake.respond(accepted);
    await carrier.send(message);
    return Object.fromEntries(fake.requests[0]?.form ?? []);
  }

  it("sends a UCS-2 text as is (Twilio picks the encoding), up to 10 parts", async () => {
    const body = "Código: 123456 — ваш код 😀";
    expect((await sent(build(fake.url), { ...CONTRACT_SMS, body })).Body).toBe(body);
  });

  it("uses an API key for Basic auth while the account SID stays in the path", async () => {
    const carrier = build(fake.url, { TWILIO_API_KEY_SID: `SK${"1".repeat(32)}`, TWILIO_API_KEY_SECRET: "key-secret" });
    await sent(carrier);
    expect(fake.requests[0]?.headers.authorization).toBe(basic(`SK${"1".repeat(32)}`, "key-secret"));
    expect(fake.requests[0]?.path).toBe(`/2010-04-01/Accounts/${SID}/Messages.json`);
  });

  it("sends through a messaging service when no from number is set, and the message's sender wins", async () => {
    const carrier = build(fake.url, { TWILIO_FROM: "", TWILIO_MESSAGING_SERVICE_SID: `MG${"2".repeat(32)}` }, ["sms"]);
    const fields = await sent(carrier);
    expect(fields.MessagingServiceSid).toBe(`MG${"2".repeat(32)}`);
    expect(fields.From).toBeUndefined();
    expect((await sent(carrier, { ...CONTRACT_SMS, from: "Acme" })).From).toBe("Acme");
  });

  it("does not ask for status callbacks when PUBLIC_URL is not public HTTPS", async () => {
    const env = { ...ENV, TWILIO_API_BASE_URL: fake.url };
    const carrier = twilioDefinition.create(parseCarrierEnv(twilioDefinition, ["sms"], env), ["sms"], { ...deps, publicUrl: "http://localhost:3000" });
    expect((await sent(carrier)).StatusCallback).toBeUndefined();
  });

  it("escapes the spoken text in TwiML and speaks the message's locale", async () => {
    const fields = await sent(build(fake.url, { TWILIO_VOICE: "Polly.Amy" }), { ...CONTRACT_SMS, channel: "voice", body: `Code <1> & "2"`, locale: "pt-br" });
    expect(fields.Twiml).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><Response><Say voice="Polly.Amy" language="pt-BR">Code &lt;1&gt; &amp; &quot;2&quot;</Say></Response>`,
    );
  });

  const errors: { desc: string; reply: FakeReply; code: string; retryable: boolean }[] = [
    { desc: "21614 not a mobile number", reply: twilioError(400, 21614, "'To' number is not a valid mobile number"), code: "invalid_number", retryable: false },
    { desc: "21610 recipient unsubscribed", reply: twilioError(400, 21610, "Attempt to send to unsubscribed recipient"), code: "rejected", retryable: false },
    { desc: "21408 region not enabled", reply: twilioError(400, 21408, "Permission to send an SMS has not been enabled for the region"), code: "rejected", retryable: false },
    { desc: "insufficient funds text", reply: twilioError(400, 20005, "Account not active: insufficient funds"), code: "insufficient_funds", retryable: false },
    { desc: "500 with an HTML body", reply: { status: 500, body: "<html>oops</html>" }, code: "carrier_unavailable", retryable: true },
    { desc: "502 bad gateway", reply: { status: 502, body: "" }, code: "carrier_unavailable", retryable: true },
    { desc: "RFC 9457 body with status 403", reply: { status: 403, body: { type: "about:blank", title: "Forbidden", status: 403, detail: "nope", code: 20403 } }, code: "auth_failed", retryable: false },
    { desc: "201 without a sid (may have been sent: never retried)", reply: { status: 201, body: { status: "queued" } }, code: "bad_response", retryable: false },
    { desc: "SignalWire-style errors[] list", reply: { status: 422, body: { errors: [{ code: "21211", message: "Invalid To" }] } }, code: "invalid_number", retryable: false },
  ];
  for (const c of errors) {
    it(`maps ${c.desc} → ${c.code}${c.retryable ? " (retryable)" : ""}`, async () => {
      fake.respond(c.reply);
      const error = await build(fake.url).send(CONTRACT_SMS).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CarrierError);
      expect({ code: (error as CarrierError).code, retryable: (error as CarrierError).retryable }).toEqual({ code: c.code, retryable: c.retryable });
    });
  }

  it("refuses a malformed destination without a request", async () => {
    fake.requests.length = 0;
    const error = await build(fake.url).send({ ...CONTRACT_SMS, to: "447700900123" }).catch((e: unknown) => e);
    expect((error as CarrierError).code).toBe("invalid_number");
    expect(fake.requests).toHaveLength(0);
  });
});

describe("twilio configuration", () => {
  const problems = (env: Record<string, string>, channels: ("sms" | "voice")[]) => {
    try {
      parseCarrierEnv(twilioDefinition, channels, env);
      return "";
    } catch (error) {
      return (error as Error).message;
    }
  };
  const cases: { desc: string; env: Record<string, string>; channels: ("sms" | "voice")[]; names: string[] }[] = [
    { desc: "nothing set", env: {}, channels: ["sms"], names: ["TWILIO_ACCOUNT_SID: required, not set", "TWILIO_AUTH_TOKEN: required, not set"] },
    { desc: "SMS without a sender", env: { TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: TOKEN }, channels: ["sms"], names: ["TWILIO_FROM", "TWILIO_MESSAGING_SERVICE_SID"] },
    { desc: "a malformed account SID", env: { ...ENV, TWILIO_ACCOUNT_SID: "XY123" }, channels: ["sms"], names: ["TWILIO_ACCOUNT_SID"] },
    { desc: "voice from an alphanumeric sender", env: { ...ENV, TWILIO_FROM: "Acme" }, channels: ["voice"], names: ["TWILIO_FROM"] },
    { desc: "an API key without its secret", env: { ...ENV, TWILIO_API_KEY_SID: `SK${"1".repeat(32)}` }, channels: ["sms"], names: ["TWILIO_API_KEY_SECRET"] },
    { desc: "a base URL that is not a URL", env: { ...ENV, TWILIO_API_BASE_URL: "api.twilio" }, channels: ["sms"], names: ["TWILIO_API_BASE_URL"] },
  ];
  for (const c of cases) {
    it(`names the variables when ${c.desc}`, () => {
      const message = problems(c.env, c.channels);
      for (const name of c.names) expect(message).toContain(name);
    });
  }
  it("accepts a complete SMS configuration", () => {
    expect(problems(ENV, ["sms", "voice"])).toBe("");
  });
});

describe("twilio webhooks", () => {
  const carrier = build("http://127.0.0.1:9");
  const url = `${PUBLIC}/api/webhooks/twilio/inbound`;
  const form: [string, string][] = [
    ["MessageSid", "SM9f8e7d6c5b4a39281706f5e4d3c2b1a0"],
    ["AccountSid", SID],
    ["From", "+447700900123"],
    ["To", "+14155550100"],
    ["Body", "YES"],
    ["NumMedia", "0"],
  ];
  // The documented algorithm, written out independently of the adapter: URL + sorted key+value, HMAC-SHA1, base64.
  const expected = crypto
    .createHmac("sha1", TOKEN)
    .update(url + [...form].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => k + v).join(""))
    .digest("base64");

  it("accepts the signature over the public URL and the form, and parses the text", () => {
    const request = webhookRequest({ url, form, headers: { "X-Twilio-Signature": expected } });
    expect(carrier.webhooks?.verify(request, "inbound")).toBe(true);
    expect(carrier.webhooks?.inbound(request)).toEqual({ carrierMessageId: "SM9f8e7d6c5b4a39281706f5e4d3c2b1a0", from: "+447700900123", to: "+14155550100", body: "YES" });
    expect(carrier.webhooks?.inboundReply?.body).toContain("<Response/>");
  });

  const refused: { desc: string; request: ReturnType<typeof webhookRequest> }[] = [
    { desc: "a tampered body", request: webhookRequest({ url, form: form.map(([k, v]) => [k, k === "Body" ? "NO" : v]), headers: { "X-Twilio-Signature": expected } }) },
    { desc: "another URL", request: webhookRequest({ url: `${PUBLIC}/api/webhooks/twilio/status`, form, headers: { "X-Twilio-Signature": expected } }) },
    { desc: "no header", request: webhookRequest({ url, form }) },
    { desc: "a signature made with another token", request: webhookRequest({ url, form, headers: { "X-Twilio-Signature": crypto.createHmac("sha1", "other").update(url).digest("base64") } }) },
  ];
  for (const c of refused) {
    it(`refuses ${c.desc}`, () => {
      expect(carrier.webhooks?.verify(c.request, "inbound")).toBe(false);
    });
  }

  it("parses status callbacks forward only for statuses it tracks", () => {
    const status = (fields: [string, string][]) => carrier.webhooks?.status(webhookRequest({ url, form: fields }));
    expect(status([["MessageSid", "SM1"], ["MessageStatus", "delivered"]])).toEqual({ carrierMessageId: "SM1", status: "delivered", carrierError: undefined });
    expect(status([["MessageSid", "SM1"], ["MessageStatus", "undelivered"], ["ErrorCode", "30003"]])).toEqual({ carrierMessageId: "SM1", status: "failed", carrierError: "undelivered 30003" });
    expect(status([["MessageSid", "SM1"], ["MessageStatus", "queued"]])).toBeNull();
    expect(status([["CallSid", "CA1"], ["CallStatus", "no-answer"]])).toEqual({ carrierMessageId: "CA1", status: "failed", carrierError: "no-answer" });
  });
});
