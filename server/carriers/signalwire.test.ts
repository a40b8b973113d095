import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { CONTRACT_CALL, CONTRACT_NOW, describeCarrierContract, webhookRequest } from "./contract.ts";
import { type CarrierDeps, parseCarrierEnv } from "./definition.ts";
import type { RecordedRequest } from "./fake-server.ts";
import { lamlLookupContract } from "./fakes/laml-contract.ts";
import { openSay, sealSay, signalwireDefinition } from "./signalwire.ts";
import type { Carrier } from "./types.ts";

const PROJECT = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const TOKEN = "PT0123456789abcdef";
const SIGNING_KEY = "PSKabcdef0123456789";
const ENV = { SIGNALWIRE_PROJECT_ID: PROJECT, SIGNALWIRE_API_TOKEN: TOKEN, SIGNALWIRE_FROM: "+14155550100", SIGNALWIRE_SIGNING_KEY: SIGNING_KEY };
const PUBLIC = "https://verify.example.com";
const SECRET = "s".repeat(40);
const deps: CarrierDeps = { fetch: (input, init) => fetch(input, init), publicUrl: PUBLIC, secret: SECRET, production: false, clock: () => CONTRACT_NOW };

function build(spaceUrl: string, extra: Record<string, string> = {}): Carrier {
  const env = { ...ENV, SIGNALWIRE_SPACE_URL: spaceUrl, SIGNALWIRE_TIMEOUT_MS: "1000", ...extra };
  return signalwireDefinition.create(parseCarrierEnv(signalwireDefinition, ["sms", "voice"], env), ["sms", "voice"], deps);
}
const basic = `Basic ${Buffer.from(`${PROJECT}:${TOKEN}`).toString("base64")}`;
const swError = (status: number, code: number, message: string) => ({ status, body: { code, message, more_info: "https://developer.signalwire.com", status } });

describeCarrierContract("signalwire", {
  build: (url) => build(url),
  channels: ["sms", "voice"],
  answers: {
    smsAccepted: { status: 201, body: { sid: "b3877c40-da60-4998-90ad-b792e98472af", account_sid: PROJECT, status: "queued", num_segments: 1 } },
    callAccepted: { status: 201, body: { sid: "c3877c40-da60-4998-90ad-b792e98472af", status: "queued" } },
    unavailable: { status: 500, body: { code: 20500, message: "Internal Server Error", status: 500 } },
    rateLimited: swError(429, 20429, "Too Many Requests"),
    invalidNumber: { status: 422, body: { errors: [{ code: "21211", message: "Invalid 'To' Phone Number", more_info: "https://developer.signalwire.com" }] } },
    authFailed: swError(401, 20003, "Authentication failed"),
  },
  acceptedId: "b3877c40-da60-4998-90ad-b792e98472af",
  expectSmsRequest(request: RecordedRequest, message) {
    expect(request.method).toBe("POST");
    expect(request.path).toBe(`/api/laml/2010-04-01/Accounts/${PROJECT}/Messages`);
    expect(request.headers.authorization).toBe(basic);
    expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(request.form ?? [])).toEqual({
      To: message.to,
      From: "+14155550100",
      Body: message.body,
      StatusCallback: `${PUBLIC}/api/webhooks/signalwire/status`,
    });
  },
  expectCallRequest(request: RecordedRequest, message) {
    expect(request.path).toBe(`/api/laml/2010-04-01/Accounts/${PROJECT}/Calls`);
    expect(request.headers.authorization).toBe(basic);
    const form = Object.fromEntries(request.form ?? []);
    expect(form).toMatchObject({ To: message.to, From: "+14155550100", Method: "POST" });
    // The call document is served from our webhook; the text to speak is sealed, never in clear.
    expect(form.Url).toMatch(new RegExp(`^${PUBLIC}/api/webhooks/signalwire/voice\\?m=[A-Za-z0-9_-]+$`));
    expect(form.Url).not.toContain("4, 8, 2");
    expect(form.Twiml).toBeUndefined();
  },
  unsignedInbound: webhookRequest({
    url: `${PUBLIC}/api/webhooks/signalwire/inbound`,
    form: [["MessageSid", "m-1"], ["From", "+447700900123"], ["To", "+14155550100"], ["Body", "YES"]],
  }),
  lookup: lamlLookupContract({
    accountPath: `/api/laml/2010-04-01/Accounts/${PROJECT}`,
    messagesResource: "Messages",
    callsResource: "Calls",
    authorization: basic,
    from: "+14155550100",
  }),
});

describe("signalwire", () => {
  it("takes a bare space name as https://<space>.signalwire.com", () => {
    const config = parseCarrierEnv(signalwireDefinition, ["sms"], { ...ENV, SIGNALWIRE_SPACE_URL: "example" });
    expect(config.SIGNALWIRE_SPACE_URL).toBe("https://example.signalwire.com");
  });

  it("requires the signing key for voice (SignalWire fetches the call document through a signed webhook)", () => {
    const { SIGNALWIRE_SIGNING_KEY: _, ...withoutKey } = ENV;
    expect(() => parseCarrierEnv(signalwireDefinition, ["voice"], { ...withoutKey, SIGNALWIRE_SPACE_URL: "example" })).toThrow(/SIGNALWIRE_SIGNING_KEY: required/);
    expect(() => parseCarrierEnv(signalwireDefinition, ["sms"], { ...withoutKey, SIGNALWIRE_SPACE_URL: "example" })).not.toThrow();
  });

  it("signs like Twilio with the Signing Key, under X-SignalWire-Signature (or the Twilio header)", () => {
    const carrier = build("https://example.signalwire.com");
    const url = `${PUBLIC}/api/webhooks/signalwire/status`;
    const form: [string, string][] = [["MessageSid", "m-1"], ["MessageStatus", "delivered"], ["AccountSid", PROJECT]];
    const sig = crypto.createHmac("sha1", SIGNING_KEY).update(`${url}AccountSid${PROJECT}MessageSidm-1MessageStatusdelivered`).digest("base64");
    expect(carrier.webhooks?.verify(webhookRequest({ url, form, headers: { "X-SignalWire-Signature": sig } }), "status")).toBe(true);
    expect(carrier.webhooks?.verify(webhookRequest({ url, form, headers: { "X-Twilio-Signature": sig } }), "status")).toBe(true);
    const apiTokenSig = crypto.createHmac("sha1", TOKEN).update(`${url}AccountSid${PROJECT}MessageSidm-1MessageStatusdelivered`).digest("base64");
    expect(carrier.webhooks?.verify(webhookRequest({ url, form, headers: { "X-SignalWire-Signature": apiTokenSig } }), "status")).toBe(false);
  });

  it("serves the sealed call document, and nothing for a tampered, foreign or expired one", async () => {
    const carrier = build("https://example.signalwire.com");
    const sealed = sealSay(SECRET, { text: CONTRACT_CALL.body, language: "en-GB" });
    const document = carrier.webhooks?.voice?.(webhookRequest({ url: `${PUBLIC}/api/webhooks/signalwire/voice?m=${sealed}` }));
    expect(document).toBe(`<?xml version="1.0" encoding="UTF-8"?><Response><Say language="en-GB">${CONTRACT_CALL.body}</Say></Response>`);
    const flipped = `${sealed.slice(0, 20)}${sealed[20] === "A" ? "B" : "A"}${sealed.slice(21)}`;
    expect(openSay(SECRET, flipped)).toBeNull();
    expect(openSay("another-secret-another-secret-another", sealed)).toBeNull();
    expect(openSay(SECRET, sealed, Date.now() + 16 * 60_000)).toBeNull();
  });
});
