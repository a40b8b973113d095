/**
 * The requests the API reference shows as examples, in the order they run against one fresh server
 * (the sandbox carrier, a fake clock). tests/docs/api-examples.test.ts runs them and compares every
 * answer with the one recorded in server/http/api-examples.json, which is what /docs/api shows; with
 * RECORD_API_EXAMPLES=1 (`npm run docs:api-examples`) it writes that file instead. So no example is
 * written by hand: each is this scenario's request and the server's real answer.
 *
 * `vars` carries ids and codes from one answer to a later request; `before` moves the fake clock (the
 * reader would wait). Neither is shown.
 */
import type { TestRuntime } from "../helpers/runtime.ts";

export type Vars = Record<string, string>;
type Dynamic<T> = T | ((vars: Vars) => T);

export type ExampleAuth = "bearer" | "none" | "session" | { basic: string };

/** `C`: what `before` and `save` may use: the in-process runtime, or the built server (api-examples-session.scenario.ts). */
export interface ExampleStep<C = TestRuntime> {
  operationId: string;
  /** What the example shows ("Created", "A number that cannot exist"). */
  title: string;
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  path: Dynamic<string>;
  auth?: ExampleAuth;
  /** Send the site's own Origin (the account and owner routes require it of state-changing requests). */
  sameOrigin?: boolean;
  headers?: Record<string, string>;
  json?: Dynamic<unknown>;
  form?: Dynamic<Record<string, string>>;
  /** Keep only these top-level keys of the answer (the OpenAPI document would contain itself). */
  excerpt?: string[];
  /** Read a streamed answer (text/event-stream) up to the end of the first match, then close. */
  streamUntil?: RegExp;
  before?: (t: C) => void | Promise<void>;
  save?: (body: any, vars: Vars, t: C) => void | Promise<void>;
}

/** What the server runs with while the examples are recorded and checked (the defaults, a sandbox carrier). */
export const EXAMPLE_ENV: Record<string, string> = {
  RESEND_COOLDOWN_SECONDS: "30",
  CANCEL_MIN_AGE_SECONDS: "30",
  SEND_LIMIT_PER_NUMBER: "100",
  WEBHOOKS_ALLOW_PRIVATE_URLS: "true",
  // One owner, whom the owner alerts text.
  OWNER_PHONES: "+14155550188",
  // Textlocal after the sandbox: every text goes to the sandbox, and Textlocal's webhook URLs answer.
  SMS_CARRIERS: "sandbox,textlocal",
  VOICE_CARRIERS: "sandbox",
  TEXTLOCAL_API_KEY: "docs-example-not-a-key",
  TEXTLOCAL_SENDER: "Acme",
  TEXTLOCAL_WEBHOOK_TOKEN: "docs-example-token-0123456789",
};

const GB = "+447860021130";
const US = "+14155550123";
const TWILIO_ACCOUNT = `AC${"0".repeat(32)}`;
const MISSING_WEBHOOK = "/api/v1/webhooks/00000000-0000-4000-8000-000000000000";
/** The same request again (a replay, a second delete), shown with what changed. */
export const twice = <C,>(step: ExampleStep<C>, secondTitle: string): ExampleStep<C>[] => [step, { ...step, title: secondTitle, save: undefined }];
const wait = (seconds: number) => (t: TestRuntime) => t.clock.advance(seconds);

/**
 * Carrier webhooks, shown with Textlocal's: it signs nothing and is authenticated by the URL token
 * (TEXTLOCAL_WEBHOOK_TOKEN), so a reader can repeat the request; the signing carriers are in docs/carriers.md.
 */
function carrierWebhooks(): ExampleStep[] {
  const token = EXAMPLE_ENV.TEXTLOCAL_WEBHOOK_TOKEN;
  const inbound = { sender: "447860021130", inNumber: "447860021199", content: "STOP" };
  const receipt = (v: Vars) => ({ customID: v.delivery0!, status: "D", number: "447860021130" });
  const steps: ExampleStep[] = [];
  for (const method of ["POST", "GET"] as const) {
    const name = method === "POST" ? "post" : "get";
    const query = (params: Record<string, string>) => new URLSearchParams({ token: token!, ...params }).toString();
    steps.push(
      method === "POST"
        ? { operationId: "postCarrierWebhookInbound", title: "A text to your Textlocal number", method, path: `/api/webhooks/textlocal/inbound?token=${token}`, auth: "none", form: inbound }
        : { operationId: "getCarrierWebhookInbound", title: "A text to your Textlocal number", method, path: `/api/webhooks/textlocal/inbound?${query(inbound)}`, auth: "none" },
      {
        operationId: `${name}CarrierWebhookInbound`,
        title: "A wrong URL token",
        method,
        path: "/api/webhooks/textlocal/inbound?token=wrong-token-0123456789abcd",
        auth: "none",
        ...(method === "POST" ? { form: inbound } : {}),
      },
      method === "POST"
        ? { operationId: "postCarrierWebhookStatus", title: "A delivery receipt", method, path: `/api/webhooks/textlocal/status?token=${token}`, auth: "none", form: receipt }
        : { operationId: "getCarrierWebhookStatus", title: "A delivery receipt", method, path: (v) => `/api/webhooks/textlocal/status?${query(receipt(v))}`, auth: "none" },
      { operationId: `${name}CarrierWebhookStatus`, title: "A carrier that is not configured", method, path: "/api/webhooks/vonage/status", auth: "none" },
      { operationId: `${name}CarrierWebhookVoice`, title: "A carrier without call documents", method, path: `/api/webhooks/textlocal/voice?token=${token}`, auth: "none" },
    );
  }
  return steps;
}

const native: ExampleStep[] = [
  {
    operationId: "createVerification",
    title: "A preset workflow to a national number",
    method: "POST",
    path: "/api/v1/verifications",
    json: { to: "07860 021130", country: "GB", workflow: 1, brand: "Acme" },
    save: (body, vars) => void (vars.id = body.id),
  },
  ...twice(
  {
      operationId: "createVerification",
      title: "Your own steps, retried safely with an Idempotency-Key",
      method: "POST",
      path: "/api/v1/verifications",
      headers: { "Idempotency-Key": "signup-4711" },
      json: { to: US, purpose: "signup", workflow: [{ channel: "sms", afterSeconds: 0 }, { channel: "voice", afterSeconds: 120 }], clientRef: "user-4711" },
      save: (body, vars) => void (vars.us = body.id),
    },
    "The same Idempotency-Key again: the first answer, nothing sent",
  ),
  {
    operationId: "createVerification",
    title: "A number that cannot exist",
    method: "POST",
    path: "/api/v1/verifications",
    json: { to: "+1 555" },
  },
  {
    operationId: "createVerification",
    title: "Fields the schema refuses",
    method: "POST",
    path: "/api/v1/verifications",
    json: { to: US, channel: "sms", workflow: 9, codeLength: 3 },
  },
  {
    operationId: "createVerification",
    title: "No API key",
    method: "POST",
    path: "/api/v1/verifications",
    auth: "none",
    json: { to: US },
  },
  {
    operationId: "getVerification",
    title: "Pending, the first text delivered",
    method: "GET",
    path: (v) => `/api/v1/verifications/${v.id}`,
    save: (body, vars) => void (vars.delivery0 = body.deliveries[0].id),
  },
  { operationId: "getVerification", title: "An id that does not exist", method: "GET", path: "/api/v1/verifications/00000000-0000-4000-8000-000000000000" },
  {
    operationId: "listSandboxMessages",
    title: "What the sandbox sent",
    method: "GET",
    path: `/api/v1/sandbox/messages?to=${encodeURIComponent(GB)}`,
    save: async (_body, vars, t) => void (vars.code = await t.lastCode(GB)),
  },
  { operationId: "listSandboxMessages", title: "Not a phone number", method: "GET", path: "/api/v1/sandbox/messages?to=abc" },
  { operationId: "checkVerification", title: "A wrong code: one attempt used", method: "POST", path: (v) => `/api/v1/verifications/${v.id}/check`, json: { code: "000000" } },
  ...twice(
    { operationId: "checkVerification", title: "The right code", method: "POST", path: (v) => `/api/v1/verifications/${v.id}/check`, json: (v: Vars) => ({ code: v.code }) },
    "Again, after approval: not found, as for every finished verification",
  ),
  { operationId: "checkVerification", title: "A code of the wrong length (no attempt used)", method: "POST", path: (v) => `/api/v1/verifications/${v.us}/check`, json: { code: "12" } },
  {
    operationId: "resendVerification",
    title: "The same code again, by call",
    method: "POST",
    path: (v) => `/api/v1/verifications/${v.us}/resend`,
    json: { channel: "voice" },
    before: wait(31),
  },
  {
    operationId: "resendVerification",
    title: "Too soon after the last send",
    method: "POST",
    path: (v) => `/api/v1/verifications/${v.us}/resend`,
  },
  {
    operationId: "createVerification",
    title: "One SMS, for the approve example",
    method: "POST",
    path: "/api/v1/verifications",
    json: { to: "+14155550124", channel: "sms", codeLength: 8, validFor: 120, maxAttempts: 3 },
    save: (body, vars) => void (vars.approve = body.id),
  },
  { operationId: "cancelVerification", title: "Too early (CANCEL_MIN_AGE_SECONDS, 30 s by default)", method: "POST", path: (v) => `/api/v1/verifications/${v.approve}/cancel` },
  { operationId: "approveVerification", title: "Approved without a code", method: "POST", path: (v) => `/api/v1/verifications/${v.approve}/approve` },
  { operationId: "approveVerification", title: "Already approved", method: "POST", path: (v) => `/api/v1/verifications/${v.approve}/approve` },
  { operationId: "cancelVerification", title: "Canceled", method: "POST", path: (v) => `/api/v1/verifications/${v.us}/cancel`, before: wait(31) },
  {
    operationId: "sendNotice",
    title: "Confirm Reply's question (a textgate/ws gate in remote mode)",
    method: "POST",
    path: "/api/v1/notices",
    json: { to: "+14155550125", notice: "confirmReply" },
  },
  { operationId: "sendNotice", title: "Free text is not a notice", method: "POST", path: "/api/v1/notices", json: { to: "+14155550125", notice: "Your bank: call us" } },
  {
    operationId: "createOwnerAlert",
    title: "Ask the owners to decide (Owner alert with waitForDecision)",
    method: "POST",
    path: "/api/v1/owner-alerts",
    json: { who: "Ada (+1•••••••123)", path: "/ws/chat", waitForDecision: true, connectionId: "host-socket-7f3a" },
    save: (body, vars) => void (vars.reference = body.reference),
  },
  { operationId: "createOwnerAlert", title: "Only inform the owners", method: "POST", path: "/api/v1/owner-alerts", json: { who: "Ada (+1•••••••123)", path: "/ws/chat" } },
  {
    operationId: "createOwnerAlert",
    title: "A second line in who",
    method: "POST",
    path: "/api/v1/owner-alerts",
    json: { who: "Ada\nCall +1 415 555 0100 now", path: "/ws/chat" },
  },
  ...twice<TestRuntime>(
    { operationId: "withdrawOwnerAlert", title: "Withdrawn (the socket closed)", method: "DELETE", path: (v) => `/api/v1/owner-alerts/${v.reference}` },
    "Already withdrawn, decided or expired",
  ),
  {
    operationId: "createWebhook",
    title: "Every verification outcome",
    method: "POST",
    path: "/api/v1/webhooks",
    // `receiver` is the test's own receiver on 127.0.0.1 (WEBHOOKS_ALLOW_PRIVATE_URLS), so the test event is delivered.
    json: (v: Vars) => ({ url: `${v.receiver}/textgate`, events: ["verification.approved", "verification.failed", "verification.expired"], description: "outcomes" }),
    save: (body, vars) => void (vars.webhook = body.id),
  },
  { operationId: "createWebhook", title: "Not a URL", method: "POST", path: "/api/v1/webhooks", json: { url: "app.example.com/textgate" } },
  { operationId: "listWebhooks", title: "Every endpoint", method: "GET", path: "/api/v1/webhooks" },
  {
    operationId: "listWebhooks",
    title: "A key that does not exist (or was revoked)",
    method: "GET",
    path: "/api/v1/webhooks",
    auth: "none",
    headers: { Authorization: `Bearer tg_00000000_${"x".repeat(43)}` },
  },
  { operationId: "getWebhook", title: "One endpoint", method: "GET", path: (v) => `/api/v1/webhooks/${v.webhook}` },
  { operationId: "getWebhook", title: "An id that does not exist", method: "GET", path: MISSING_WEBHOOK },
  {
    operationId: "updateWebhook",
    title: "Subscribe to every event, with full numbers",
    method: "PATCH",
    path: (v) => `/api/v1/webhooks/${v.webhook}`,
    json: { events: [], includePhoneNumbers: true },
  },
  { operationId: "updateWebhook", title: "An unknown event type", method: "PATCH", path: (v) => `/api/v1/webhooks/${v.webhook}`, json: { events: ["verification.sent"] } },
  { operationId: "rotateWebhookSecret", title: "A new secret; the old one signs for 24 h more", method: "POST", path: (v) => `/api/v1/webhooks/${v.webhook}/rotate-secret` },
  { operationId: "rotateWebhookSecret", title: "An id that does not exist", method: "POST", path: `${MISSING_WEBHOOK}/rotate-secret` },
  { operationId: "testWebhook", title: "Send a test event now", method: "POST", path: (v) => `/api/v1/webhooks/${v.webhook}/test` },
  { operationId: "testWebhook", title: "An id that does not exist", method: "POST", path: `${MISSING_WEBHOOK}/test` },
  { operationId: "listWebhookDeliveries", title: "An id that does not exist", method: "GET", path: `${MISSING_WEBHOOK}/deliveries` },
  {
    operationId: "listWebhookDeliveries",
    title: "Deliveries, newest first",
    method: "GET",
    path: (v) => `/api/v1/webhooks/${v.webhook}/deliveries`,
    // The dispatcher's fan-out (outbox to deliveries), without sending: example.com is not a receiver.
    before: async (t) => void (await t.runtime.webhooks.dispatcher.fanOut()),
    save: (body, vars) => void (vars.delivery = body.data[0].id),
  },
  { operationId: "retryWebhookDelivery", title: "Send one again now", method: "POST", path: (v) => `/api/v1/webhooks/${v.webhook}/deliveries/${v.delivery}/retry` },
  {
    operationId: "retryWebhookDelivery",
    title: "A delivery that does not exist",
    method: "POST",
    path: (v) => `/api/v1/webhooks/${v.webhook}/deliveries/00000000-0000-4000-8000-000000000000/retry`,
  },
  { operationId: "deleteWebhook", title: "Deleted", method: "DELETE", path: (v) => `/api/v1/webhooks/${v.webhook}` },
  { operationId: "deleteWebhook", title: "Already deleted", method: "DELETE", path: (v) => `/api/v1/webhooks/${v.webhook}` },
  { operationId: "streamEvents", title: "The stream from the first event on", method: "GET", path: "/api/v1/events", headers: { "Last-Event-ID": "0" }, streamUntil: /data: .*\n\n/ },
  { operationId: "streamEvents", title: "An unknown event type", method: "GET", path: "/api/v1/events?types=verification.sent" },
  { operationId: "listSandboxNumbers", title: "Numbers the sandbox texted or called", method: "GET", path: "/api/sandbox/numbers?limit=2", auth: "none" },
  { operationId: "listSandboxNumbers", title: "A limit out of range", method: "GET", path: "/api/sandbox/numbers?limit=0", auth: "none" },
  { operationId: "listSandboxConversation", title: "Without a number", method: "GET", path: "/api/sandbox/messages", auth: "none" },
  {
    operationId: "listSandboxConversation",
    title: "One handset's conversation",
    method: "GET",
    path: `/api/sandbox/messages?to=${encodeURIComponent("+14155550124")}`,
    auth: "none",
    save: async (_body, vars, t) => void (vars.approveCode = await t.lastCode("+14155550124")),
  },
  { operationId: "postSandboxReply", title: "A handset texts back", method: "POST", path: "/api/sandbox/reply", auth: "none", json: { from: "+1 415 555 0124", body: "STOP" } },
  { operationId: "postSandboxReply", title: "An empty text", method: "POST", path: "/api/sandbox/reply", auth: "none", json: { from: "+14155550124", body: "" } },
  ...carrierWebhooks(),
  { operationId: "getOpenApi", title: "The start of this document", method: "GET", path: "/api/v1/openapi.json", auth: "none", excerpt: ["openapi", "info"] },
  { operationId: "health", title: "Serving", method: "GET", path: "/healthz", auth: "none" },
];

const twilioAuth = { basic: TWILIO_ACCOUNT };
const MISSING_SERVICE = `VA${"0".repeat(32)}`;
const twilio: ExampleStep[] = [
  {
    operationId: "twilioCreateService",
    title: "A Verify service",
    method: "POST",
    path: "/compat/twilio/v2/Services",
    auth: twilioAuth,
    form: { FriendlyName: "Acme", CodeLength: "6" },
    save: (body, vars) => void (vars.service = body.sid),
  },
  {
    operationId: "twilioCreateService",
    title: "Not a textgate API key as the AuthToken",
    method: "POST",
    path: "/compat/twilio/v2/Services",
    auth: "none",
    headers: { Authorization: `Basic ${Buffer.from(`${TWILIO_ACCOUNT}:wrong`).toString("base64")}` },
    form: { FriendlyName: "Acme" },
  },
  { operationId: "twilioListServices", title: "This key's services", method: "GET", path: "/compat/twilio/v2/Services", auth: twilioAuth },
  { operationId: "twilioListServices", title: "No credentials", method: "GET", path: "/compat/twilio/v2/Services", auth: "none" },
  { operationId: "twilioFetchService", title: "One service", method: "GET", path: (v) => `/compat/twilio/v2/Services/${v.service}`, auth: twilioAuth },
  { operationId: "twilioFetchService", title: "A sid that does not exist", method: "GET", path: `/compat/twilio/v2/Services/${MISSING_SERVICE}`, auth: twilioAuth },
  {
    operationId: "twilioCreateVerification",
    title: "Send a code by SMS",
    method: "POST",
    path: (v) => `/compat/twilio/v2/Services/${v.service}/Verifications`,
    auth: twilioAuth,
    form: { To: "+14155550125", Channel: "sms" },
    save: async (body, vars, t) => {
      vars.twilioVerification = body.sid;
      vars.twilioCode = await t.lastCode("+14155550125");
    },
  },
  {
    operationId: "twilioCreateVerification",
    title: "A channel textgate does not deliver",
    method: "POST",
    path: (v) => `/compat/twilio/v2/Services/${v.service}/Verifications`,
    auth: twilioAuth,
    form: { To: "+14155550125", Channel: "whatsapp" },
  },
  {
    operationId: "twilioFetchVerification",
    title: "Pending",
    method: "GET",
    path: (v) => `/compat/twilio/v2/Services/${v.service}/Verifications/${v.twilioVerification}`,
    auth: twilioAuth,
  },
  {
    operationId: "twilioFetchVerification",
    title: "A sid that does not exist",
    method: "GET",
    path: (v) => `/compat/twilio/v2/Services/${v.service}/Verifications/VE${"0".repeat(32)}`,
    auth: twilioAuth,
  },
  ...twice(
  {
      operationId: "twilioCheckVerification",
      title: "The right code",
      method: "POST",
      path: (v) => `/compat/twilio/v2/Services/${v.service}/VerificationCheck`,
      auth: twilioAuth,
      form: (v: Vars) => ({ To: "+14155550125", Code: v.twilioCode! }),
    },
    "Again, after approval",
  ),
  {
    operationId: "twilioCreateVerification",
    title: "By call, for the cancel example",
    method: "POST",
    path: (v) => `/compat/twilio/v2/Services/${v.service}/Verifications`,
    auth: twilioAuth,
    form: { To: "+14155550127", Channel: "call" },
    save: (body, vars) => void (vars.twilioCanceled = body.sid),
  },
  {
    operationId: "twilioUpdateVerification",
    title: "Cancel",
    method: "POST",
    path: (v) => `/compat/twilio/v2/Services/${v.service}/Verifications/${v.twilioCanceled}`,
    auth: twilioAuth,
    form: { Status: "canceled" },
  },
  {
    operationId: "twilioUpdateVerification",
    title: "A status other than canceled or approved",
    method: "POST",
    path: (v) => `/compat/twilio/v2/Services/${v.service}/Verifications/${v.twilioCanceled}`,
    auth: twilioAuth,
    form: { Status: "pending" },
  },
  { operationId: "twilioUpdateService", title: "Longer codes", method: "POST", path: (v) => `/compat/twilio/v2/Services/${v.service}`, auth: twilioAuth, form: { CodeLength: "8" } },
  { operationId: "twilioUpdateService", title: "A code length Twilio refuses", method: "POST", path: (v) => `/compat/twilio/v2/Services/${v.service}`, auth: twilioAuth, form: { CodeLength: "3" } },
  { operationId: "twilioDeleteService", title: "Deleted", method: "DELETE", path: (v) => `/compat/twilio/v2/Services/${v.service}`, auth: twilioAuth },
  { operationId: "twilioDeleteService", title: "Already deleted", method: "DELETE", path: (v) => `/compat/twilio/v2/Services/${v.service}`, auth: twilioAuth },
];

const vonageAuth = { basic: "api_key" };
const vonage: ExampleStep[] = [
  {
    operationId: "vonageStartVerification",
    title: "SMS, then a call",
    method: "POST",
    path: "/compat/vonage/v2/verify",
    auth: vonageAuth,
    json: { brand: "Acme", workflow: [{ channel: "sms", to: "447860021131" }, { channel: "voice", to: "447860021131" }] },
    save: async (body, vars, t) => {
      vars.vonage = body.request_id;
      vars.vonageCode = await t.lastCode("+447860021131");
    },
  },
  {
    operationId: "vonageStartVerification",
    title: "No brand",
    method: "POST",
    path: "/compat/vonage/v2/verify",
    auth: vonageAuth,
    json: { workflow: [{ channel: "sms", to: "447860021131" }] },
  },
  { operationId: "vonageNextWorkflow", title: "Call now instead of waiting", method: "POST", path: (v) => `/compat/vonage/v2/verify/${v.vonage}/next_workflow`, auth: vonageAuth },
  { operationId: "vonageNextWorkflow", title: "No step left", method: "POST", path: (v) => `/compat/vonage/v2/verify/${v.vonage}/next_workflow`, auth: vonageAuth },
  { operationId: "vonageCheckCode", title: "A wrong code", method: "POST", path: (v) => `/compat/vonage/v2/verify/${v.vonage}`, auth: vonageAuth, json: { code: "0000" } },
  { operationId: "vonageCheckCode", title: "The right code", method: "POST", path: (v) => `/compat/vonage/v2/verify/${v.vonage}`, auth: vonageAuth, json: (v: Vars) => ({ code: v.vonageCode }) },
  { operationId: "vonageCancel", title: "A finished request", method: "DELETE", path: (v) => `/compat/vonage/v2/verify/${v.vonage}`, auth: vonageAuth },
  {
    operationId: "vonageStartVerification",
    title: "One SMS, for the cancel example",
    method: "POST",
    path: "/compat/vonage/v2/verify",
    auth: vonageAuth,
    json: { brand: "Acme", workflow: [{ channel: "sms", to: "447860021133" }] },
    save: (body, vars) => void (vars.vonageCanceled = body.request_id),
  },
  { operationId: "vonageCancel", title: "Canceled", method: "DELETE", path: (v) => `/compat/vonage/v2/verify/${v.vonageCanceled}`, auth: vonageAuth },
];

const signalwireAuth = { basic: "YourProjectID" };
const signalwire: ExampleStep[] = [
  {
    operationId: "signalwireRequestSms",
    title: "A code by SMS",
    method: "POST",
    path: "/compat/signalwire/api/relay/rest/mfa/sms",
    auth: signalwireAuth,
    json: { to: "+14155550126", token_length: 6 },
    save: async (body, vars, t) => {
      vars.signalwire = body.id;
      vars.signalwireCode = await t.lastCode("+14155550126");
    },
  },
  { operationId: "signalwireRequestSms", title: "A token length out of range", method: "POST", path: "/compat/signalwire/api/relay/rest/mfa/sms", auth: signalwireAuth, json: { to: "+14155550126", token_length: 3 } },
  { operationId: "signalwireVerify", title: "A wrong token", method: "POST", path: (v) => `/compat/signalwire/api/relay/rest/mfa/${v.signalwire}/verify`, auth: signalwireAuth, json: { token: "000000" } },
  ...twice(
  {
      operationId: "signalwireVerify",
      title: "The right token",
      method: "POST",
      path: (v) => `/compat/signalwire/api/relay/rest/mfa/${v.signalwire}/verify`,
      auth: signalwireAuth,
      json: (v: Vars) => ({ token: v.signalwireCode }),
    },
    "Again, after it was verified",
  ),
  { operationId: "signalwireRequestCall", title: "A code by voice call", method: "POST", path: "/compat/signalwire/api/relay/rest/mfa/call", auth: signalwireAuth, json: { to: "+14155550128" } },
  { operationId: "signalwireRequestCall", title: "No number", method: "POST", path: "/compat/signalwire/api/relay/rest/mfa/call", auth: signalwireAuth, json: {} },
];

const textmagicAuth = { basic: "any-name" };
const textmagic: ExampleStep[] = [
  {
    operationId: "textmagicSend",
    title: "Without codeLength",
    method: "POST",
    path: "/compat/textmagic/api/v2/verify",
    auth: textmagicAuth,
    json: { phone: "447860021132", workflowId: 6, brand: "Acme" },
  },
  {
    operationId: "textmagicSend",
    title: "Workflow 6 (one SMS)",
    method: "POST",
    path: "/compat/textmagic/api/v2/verify",
    auth: textmagicAuth,
    json: { phone: "447860021132", workflowId: 6, brand: "Acme", codeLength: 6 },
    save: async (body, vars, t) => {
      vars.textmagic = body.verifyId;
      vars.textmagicCode = await t.lastCode("+447860021132");
    },
  },
  { operationId: "textmagicCheck", title: "A wrong code", method: "PUT", path: "/compat/textmagic/api/v2/verify", auth: textmagicAuth, json: (v: Vars) => ({ verifyId: v.textmagic, code: "000000" }) },
  { operationId: "textmagicCheck", title: "The right code", method: "PUT", path: "/compat/textmagic/api/v2/verify", auth: textmagicAuth, json: (v: Vars) => ({ verifyId: v.textmagic, code: v.textmagicCode }) },
  { operationId: "textmagicCancel", title: "Already verified", method: "DELETE", path: (v) => `/compat/textmagic/api/v2/verify/${v.textmagic}`, auth: textmagicAuth },
  {
    operationId: "textmagicSend",
    title: "Workflow 1 (SMS, then two calls), for the cancel example",
    method: "POST",
    path: "/compat/textmagic/api/v2/verify",
    auth: textmagicAuth,
    json: { phone: "447860021134", brand: "Acme", codeLength: 4 },
    save: (body, vars) => void (vars.textmagicCanceled = body.verifyId),
  },
  { operationId: "textmagicCancel", title: "Too early (30 s after creation at the earliest)", method: "DELETE", path: (v) => `/compat/textmagic/api/v2/verify/${v.textmagicCanceled}`, auth: textmagicAuth },
  {
    operationId: "textmagicCancel",
    title: "Canceled",
    method: "DELETE",
    path: (v) => `/compat/textmagic/api/v2/verify/${v.textmagicCanceled}`,
    auth: textmagicAuth,
    before: wait(31),
  },
];

export const EXAMPLE_STEPS: readonly ExampleStep[] = [...native, ...twilio, ...vonage, ...signalwire, ...textmagic];
