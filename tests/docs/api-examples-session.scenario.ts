/**
 * The examples of the routes Next serves (sign-in, account, owner), in the order they run against one
 * built server (`npm run build`): a reader signs in with curl and a cookie jar, as /login does, then
 * uses the account and owner routes. Recorded and checked like api-examples.scenario.ts.
 */
import type { ExampleStep, Vars } from "./api-examples.scenario.ts";
import { twice } from "./api-examples.scenario.ts";

/** What `before` and `save` may use on the built server. */
export interface ServerContext {
  /** The code in the newest sandbox message to a number. */
  lastCode(to: string): Promise<string>;
  /** A native API request with the server's API key (to set up what an example needs; not shown). */
  api(method: string, path: string, json?: unknown): Promise<any>;
  /** Waits until `check` answers true (the dispatcher works in the background). */
  until(check: () => Promise<boolean>): Promise<void>;
  /** Opens a socket as the signed-in user (the cookie jar's session) and waits until it is pending on `unit`; it stays open. */
  openSocket(path: string, unit: string): Promise<void>;
}

const OWNER = "+14155550130";
const NEW_NUMBER = "+14155550131";

/** The server's settings for these examples; OWNER_PHONES holds both of the user's numbers, so the owner routes work after the change. */
export const SESSION_ENV: Record<string, string> = {
  NODE_ENV: "production",
  SERVE_PAGES: "true",
  SANDBOX_IN_PRODUCTION: "true",
  OWNER_PHONES: `${OWNER},${NEW_NUMBER}`,
  RESEND_COOLDOWN_SECONDS: "0",
  WEBHOOKS_ALLOW_PRIVATE_URLS: "true",
};

const saveCode = (to: string, name: string) => async (body: any, vars: Vars, t: ServerContext) => {
  vars[`${name}Id`] = body.verificationId;
  vars[name] = await t.lastCode(to);
};
const csrf = (body: any, vars: Vars) => void (vars.csrf = body.csrfToken);

export const SESSION_STEPS: readonly ExampleStep<ServerContext>[] = [
  { operationId: "signInConfig", title: "This server's sign-in settings", method: "GET", path: "/api/auth/sms/config", auth: "none" },
  { operationId: "signInStart", title: "Text a sign-in code", method: "POST", path: "/api/auth/sms/start", auth: "session", json: { phone: OWNER }, save: saveCode(OWNER, "signIn") },
  { operationId: "signInStart", title: "Not a phone number", method: "POST", path: "/api/auth/sms/start", auth: "session", json: { phone: "12" } },
  { operationId: "signInResend", title: "The same code again", method: "POST", path: "/api/auth/sms/resend", auth: "session", json: (v: Vars) => ({ verificationId: v.signInId }) },
  {
    operationId: "signInResend",
    title: "An id that is not a sign-in",
    method: "POST",
    path: "/api/auth/sms/resend",
    auth: "session",
    json: { verificationId: "00000000-0000-4000-8000-000000000000" },
  },
  { operationId: "nextAuthCsrf", title: "A CSRF token (and its cookie)", method: "GET", path: "/api/auth/csrf", auth: "session", save: csrf },
  {
    operationId: "nextAuthSignIn",
    title: "A wrong code (2 attempts left)",
    method: "POST",
    path: "/api/auth/callback/sms",
    auth: "session",
    form: (v: Vars) => ({ verificationId: v.signInId!, code: "000000", csrfToken: v.csrf!, json: "true" }),
  },
  {
    operationId: "nextAuthSignIn",
    title: "Without the CSRF token",
    method: "POST",
    path: "/api/auth/callback/sms",
    auth: "session",
    form: (v: Vars) => ({ verificationId: v.signInId!, code: v.signIn!, json: "true" }),
  },
  {
    operationId: "nextAuthSignIn",
    title: "The right code: signed up, the session cookie set",
    method: "POST",
    path: "/api/auth/callback/sms",
    auth: "session",
    form: (v: Vars) => ({ verificationId: v.signInId!, code: v.signIn!, name: "Ada", csrfToken: v.csrf!, json: "true" }),
  },
  { operationId: "nextAuthSession", title: "Signed in", method: "GET", path: "/api/auth/session", auth: "session" },
  { operationId: "accountProfile", title: "A new display name", method: "POST", path: "/api/account/profile", auth: "session", sameOrigin: true, json: { name: "Ada  Lovelace" } },
  {
    operationId: "accountProfile",
    title: "From another site",
    method: "POST",
    path: "/api/account/profile",
    auth: "session",
    headers: { Origin: "https://elsewhere.example" },
    json: { name: "Mallory" },
  },
  {
    operationId: "accountPhoneStart",
    title: "Text a code to the new number",
    method: "POST",
    path: "/api/account/phone/start",
    auth: "session",
    sameOrigin: true,
    json: { phone: NEW_NUMBER },
    save: saveCode(NEW_NUMBER, "change"),
  },
  { operationId: "accountPhoneStart", title: "Signed out", method: "POST", path: "/api/account/phone/start", auth: "none", sameOrigin: true, json: { phone: NEW_NUMBER } },
  {
    operationId: "accountPhoneConfirm",
    title: "A wrong code",
    method: "POST",
    path: "/api/account/phone/confirm",
    auth: "session",
    sameOrigin: true,
    json: (v: Vars) => ({ verificationId: v.changeId, code: "000000" }),
  },
  {
    operationId: "accountPhoneConfirm",
    title: "The right code: the account moves to the new number",
    method: "POST",
    path: "/api/account/phone/confirm",
    auth: "session",
    sameOrigin: true,
    json: (v: Vars) => ({ verificationId: v.changeId, code: v.change }),
  },
  { operationId: "ownerVerifications", title: "The two newest, every surface", method: "GET", path: "/api/owner/verifications?limit=2", auth: "session" },
  { operationId: "ownerVerifications", title: "An unknown status", method: "GET", path: "/api/owner/verifications?status=sent", auth: "session" },
  {
    operationId: "ownerRequests",
    title: "Nothing waiting, no sockets open",
    method: "GET",
    path: "/api/owner/requests",
    auth: "session",
    save: (body, vars) => void (vars.node = body.sockets.nodes[0].node),
  },
  { operationId: "ownerRequests", title: "Signed out", method: "GET", path: "/api/owner/requests", auth: "none" },
  {
    operationId: "ownerDecision",
    title: "No pending request with this reference",
    method: "POST",
    path: "/api/owner/requests/K7Q2/decision",
    auth: "session",
    sameOrigin: true,
    json: { decision: "accept" },
  },
  {
    operationId: "ownerRequests",
    title: "A socket waiting for an owner",
    method: "GET",
    path: "/api/owner/requests",
    auth: "session",
    // The signed-in user connects to the owner-alert demo, which waits for an owner's decision.
    before: (t) => t.openSocket("/ws/demo/owner-alert", "owner-approval"),
    save: (body, vars) => void (vars.reference = body.requests[0].reference),
  },
  {
    operationId: "ownerDecision",
    title: "Admit the waiting socket",
    method: "POST",
    path: (v: Vars) => `/api/owner/requests/${v.reference}/decision`,
    auth: "session",
    sameOrigin: true,
    json: { decision: "accept" },
  },
  {
    operationId: "ownerWebhooks",
    title: "One endpoint and its deliveries",
    method: "GET",
    path: "/api/owner/webhooks",
    auth: "session",
    // An endpoint (created with the API key) with one delivery, of a verification's creation.
    before: async (t) => {
      const endpoint = await t.api("POST", "/api/v1/webhooks", { url: "http://127.0.0.1:9/textgate", events: ["verification.created"], description: "outcomes" });
      await t.api("POST", "/api/v1/verifications", { to: "+14155550132" });
      // Until the first attempt is over and recorded (refused: nothing listens on port 9), the endpoint's failing
      // streak included (written after the delivery's own row), so the answers below do not depend on timing.
      await t.until(async () => (await t.api("GET", `/api/v1/webhooks/${endpoint.id}/deliveries`)).data[0]?.attempts >= 1);
      await t.until(async () => (await t.api("GET", `/api/v1/webhooks/${endpoint.id}`)).failingSince !== null);
    },
    save: (body, vars) => {
      vars.endpoint = body.endpoints[0].id;
      vars.delivery = body.endpoints[0].deliveries[0].id;
    },
  },
  { operationId: "ownerWebhooks", title: "Signed out", method: "GET", path: "/api/owner/webhooks", auth: "none" },
  { operationId: "ownerTestNumbers", title: "A server without test numbers", method: "GET", path: "/api/owner/test-numbers", auth: "session" },
  { operationId: "ownerTestNumbers", title: "Signed out", method: "GET", path: "/api/owner/test-numbers", auth: "none" },
  ...twice<ServerContext>(
    {
      operationId: "ownerRetryDelivery",
      title: "Send it again now",
      method: "POST",
      path: (v) => `/api/owner/webhooks/${v.endpoint}/deliveries/${v.delivery}/retry`,
      auth: "session",
      sameOrigin: true,
      json: {},
    },
    "The same from another site",
  ).map((step, i) => (i === 1 ? { ...step, sameOrigin: false, headers: { Origin: "https://elsewhere.example" } } : step)),
  { operationId: "ownerInsights", title: "The last 24 hours", method: "GET", path: "/api/owner/insights?range=24h", auth: "session" },
  { operationId: "ownerInsights", title: "A range it does not offer", method: "GET", path: "/api/owner/insights?range=1y", auth: "session" },
  {
    operationId: "ownerSetInsightCost",
    title: "Twilio's price for the United States",
    method: "POST",
    path: "/api/owner/insights/costs",
    auth: "session",
    sameOrigin: true,
    json: { carrier: "twilio", country: "US", currency: "USD", pricePerMessage: "0.0083" },
  },
  {
    operationId: "ownerSetInsightCost",
    title: "A price that is not a decimal number",
    method: "POST",
    path: "/api/owner/insights/costs",
    auth: "session",
    sameOrigin: true,
    json: { carrier: "twilio", country: "US", currency: "USD", pricePerMessage: "cheap" },
  },
  { operationId: "ownerInsightCosts", title: "The prices set", method: "GET", path: "/api/owner/insights/costs", auth: "session" },
  { operationId: "ownerInsightCosts", title: "Signed out", method: "GET", path: "/api/owner/insights/costs", auth: "none" },
  ...twice<ServerContext>(
    {
      operationId: "ownerRemoveInsightCost",
      title: "Remove it",
      method: "POST",
      path: "/api/owner/insights/costs/remove",
      auth: "session",
      sameOrigin: true,
      json: { carrier: "twilio", country: "US" },
    },
    "No such price any more",
  ),
  ...twice<ServerContext>(
    { operationId: "accountRevokeAll", title: "Every session ended", method: "POST", path: "/api/account/sessions/revoke-all", auth: "session", sameOrigin: true, json: {} },
    "Signed out already",
  ),
  { operationId: "nextAuthSession", title: "Signed out: an empty session", method: "GET", path: "/api/auth/session", auth: "session" },
  { operationId: "nextAuthCsrf", title: "A fresh CSRF token for the sign-out", method: "GET", path: "/api/auth/csrf", auth: "session", save: csrf },
  { operationId: "nextAuthSignOut", title: "Signed out", method: "POST", path: "/api/auth/signout", auth: "session", form: (v: Vars) => ({ csrfToken: v.csrf!, json: "true" }) },
  { operationId: "nextAuthSignOut", title: "Without the CSRF token", method: "POST", path: "/api/auth/signout", auth: "session", form: { json: "true" } },
];
