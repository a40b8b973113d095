/**
 * The OpenAPI part of the routes Next serves for the pages (app/api, listed in next-api.ts): sign-in by
 * phone (the SMS challenge routes and next-auth's endpoints for the `sms` credentials provider), the
 * account and the owner console. Authenticated by next-auth's session cookie, not an API key; the
 * state-changing account and owner routes also require the site's own Origin (route-helpers.ts
 * requireSameOrigin). Request bodies come from lib/validations/account.ts; the answers from the recorded
 * examples (openapi-examples.ts).
 */
import type { z } from "zod";
import { confirmPhoneSchema, ownerDecisionSchema, profileSchema, resendChallengeSchema, startChallengeSchema } from "../../lib/validations/account.ts";
import { costKeySchema, costSchema } from "../owners/insights/costs.ts";
import { insightsQuerySchema } from "../owners/insights/report.ts";
import { ownerVerificationsQuerySchema } from "../owners/verifications.ts";

type JsonSchema = Record<string, unknown>;

export const SIGN_IN_TAG = "Sign-in by phone";
export const ACCOUNT_TAG = "Account";
export const OWNER_TAG = "Owner console";

export const sessionTags = [
  {
    name: SIGN_IN_TAG,
    description:
      "What the /login page does: start an SMS challenge, then sign in with next-auth's `sms` credentials provider (CSRF token from /api/auth/csrf, form post to /api/auth/callback/sms), which sets the session cookie. No API key.",
  },
  { name: ACCOUNT_TAG, description: "The signed-in user's account (the /account page): display name, phone number change, sign out everywhere." },
  { name: OWNER_TAG, description: "For a signed-in owner (a number in OWNER_PHONES): the /owner console's verifications, socket requests and webhook deliveries." },
];

const SAME_ORIGIN = "A state-changing request must carry the site's own `Origin` (PUBLIC_URL), as a browser does; any other is 403 `cross_site_request`.";

export const sessionSecuritySchemes: Record<string, JsonSchema> = {
  sessionCookie: {
    type: "apiKey",
    in: "cookie",
    name: "next-auth.session-token",
    description: `next-auth's session cookie (\`__Secure-next-auth.session-token\` over https), set by the sign-in callback. ${SAME_ORIGIN}`,
  },
  ownerSession: {
    type: "apiKey",
    in: "cookie",
    name: "next-auth.session-token",
    description: `The session cookie of a user whose number is in OWNER_PHONES: signed out 401, not an owner 403. ${SAME_ORIGIN}`,
  },
};

const form = (properties: Record<string, JsonSchema>, required: string[]) => ({
  required: true,
  content: { "application/x-www-form-urlencoded": { schema: { type: "object", required, properties } } },
});
const text = (description: string) => ({ type: "string", description });

export function sessionOpenApi(requestSchema: (schema: z.ZodType) => JsonSchema): Record<string, Record<string, JsonSchema>> {
  const json = (schema: z.ZodType) => ({ required: true, content: { "application/json": { schema: requestSchema(schema) } } });
  const op = (tag: string, security: string | null, operationId: string, summary: string, extra: JsonSchema = {}): JsonSchema => ({
    operationId,
    summary,
    tags: [tag],
    security: security ? [{ [security]: [] }] : [],
    ...extra,
  });
  const query = requestSchema(ownerVerificationsQuerySchema) as { properties: Record<string, JsonSchema> };
  const insightsQuery = requestSchema(insightsQuerySchema) as { properties: Record<string, JsonSchema> };
  const csrfToken = text("The token from GET /api/auth/csrf (its cookie too).");
  return {
    "/api/auth/sms/config": { get: op(SIGN_IN_TAG, null, "signInConfig", "What the sign-in pages need: code length, channel, default country, sandbox") },
    "/api/auth/sms/start": {
      post: op(SIGN_IN_TAG, null, "signInStart", "Text a sign-in code (the same answer whether or not the number has an account)", { requestBody: json(startChallengeSchema) }),
    },
    "/api/auth/sms/resend": { post: op(SIGN_IN_TAG, null, "signInResend", "Send the same sign-in code again", { requestBody: json(resendChallengeSchema) }) },
    "/api/auth/csrf": { get: op(SIGN_IN_TAG, null, "nextAuthCsrf", "next-auth's CSRF token (and its cookie), needed by the callback and sign-out") },
    "/api/auth/callback/sms": {
      post: op(SIGN_IN_TAG, null, "nextAuthSignIn", "Sign in (or sign up) with the code: sets the session cookie", {
        description: "next-auth's credentials callback for the `sms` provider (what `signIn(\"sms\", …)` posts). With `json=true` it answers `{ url }`; a refused code comes back as `?error=textgate:<code>[:<attempts left>]` in that URL.",
        requestBody: form(
          {
            verificationId: text("From the start."),
            code: text("The code the user typed."),
            name: text("A display name, for a new account."),
            csrfToken,
            json: text("`true`: answer with JSON instead of a redirect."),
            callbackUrl: text("Where the pages go next."),
          },
          ["verificationId", "code", "csrfToken"],
        ),
      }),
    },
    "/api/auth/session": { get: op(SIGN_IN_TAG, "sessionCookie", "nextAuthSession", "The signed-in user (empty when signed out)") },
    "/api/auth/signout": {
      post: op(SIGN_IN_TAG, "sessionCookie", "nextAuthSignOut", "Sign out this browser", { requestBody: form({ csrfToken, json: text("`true`: answer with JSON.") }, ["csrfToken"]) }),
    },
    "/api/account/profile": { post: op(ACCOUNT_TAG, "sessionCookie", "accountProfile", "Set the display name", { requestBody: json(profileSchema) }) },
    "/api/account/phone/start": {
      post: op(ACCOUNT_TAG, "sessionCookie", "accountPhoneStart", "Text a code to a new number (needs a recent sign-in: AUTH_REAUTH_MAX_AGE_SECONDS)", {
        requestBody: json(startChallengeSchema),
      }),
    },
    "/api/account/phone/confirm": {
      post: op(ACCOUNT_TAG, "sessionCookie", "accountPhoneConfirm", "Move the account to the new number (and text the old one)", { requestBody: json(confirmPhoneSchema) }),
    },
    "/api/account/sessions/revoke-all": { post: op(ACCOUNT_TAG, "sessionCookie", "accountRevokeAll", "Sign out everywhere: end every session of this user") },
    "/api/owner/verifications": {
      get: op(OWNER_TAG, "ownerSession", "ownerVerifications", "The newest verifications of every surface, with the id their own API uses", {
        parameters: Object.entries(query.properties).map(([name, schema]) => ({ name, in: "query", required: false, schema })),
      }),
    },
    "/api/owner/requests": { get: op(OWNER_TAG, "ownerSession", "ownerRequests", "Socket requests waiting for an owner's decision, and the open sockets per node") },
    "/api/owner/requests/{reference}/decision": {
      post: op(OWNER_TAG, "ownerSession", "ownerDecision", "Accept or deny a pending socket request, whichever node holds it", { requestBody: json(ownerDecisionSchema) }),
    },
    "/api/owner/webhooks": { get: op(OWNER_TAG, "ownerSession", "ownerWebhooks", "Every webhook endpoint with its 10 newest deliveries") },
    "/api/owner/test-numbers": {
      get: op(OWNER_TAG, "ownerSession", "ownerTestNumbers", "The test numbers of TEST_NUMBERS (masked, never their codes), whether they still work, and their newest uses"),
    },
    "/api/owner/webhooks/{id}/deliveries/{deliveryId}/retry": {
      post: op(OWNER_TAG, "ownerSession", "ownerRetryDelivery", "Send a webhook delivery again now"),
    },
    "/api/owner/insights": {
      get: op(OWNER_TAG, "ownerSession", "ownerInsights", "Conversion, sends, cost, approval times, fraud refusals and budget use over 24 h, 7 d or 30 d (the /owner/insights page)", {
        parameters: Object.entries(insightsQuery.properties).map(([name, schema]) => ({ name, in: "query", required: false, schema })),
      }),
    },
    "/api/owner/insights/costs": {
      get: op(OWNER_TAG, "ownerSession", "ownerInsightCosts", "The price of a message per carrier and country, as the owner set them"),
      post: op(OWNER_TAG, "ownerSession", "ownerSetInsightCost", "Set (or replace) the price of a message for one carrier and country", { requestBody: json(costSchema) }),
    },
    "/api/owner/insights/costs/remove": {
      post: op(OWNER_TAG, "ownerSession", "ownerRemoveInsightCost", "Remove the price of one carrier and country", { requestBody: json(costKeySchema) }),
    },
  };
}
