/**
 * The OpenAPI 3.1 document of the HTTP API, built in code. Request bodies come from the same zod
 * schemas the handlers parse with (`z.toJSONSchema`, input side); responses are described by hand
 * next to the serializers they mirror (views.ts). Served at GET /api/v1/openapi.json, serialised once.
 */
import { z } from "zod";
import { ERRORS, type ErrorCode } from "../../lib/errors.ts";
import { sendNoticeSchema } from "../../lib/validations/notice.ts";
import { ownerAlertSchema } from "../../lib/validations/owner-alert.ts";
import { CHANNELS, checkVerificationSchema, createVerificationSchema, resendVerificationSchema } from "../../lib/validations/verification.ts";
import { DELIVERY_STATUSES, VERIFICATION_STATUSES } from "../verification/types.ts";
import { compatOpenApi, compatSecuritySchemes, compatTags } from "./openapi-compat.ts";
import { attachExamples, responsesFromExamples } from "./openapi-examples.ts";
import { sessionOpenApi, sessionSecuritySchemes, sessionTags } from "./openapi-session.ts";
import { webhookOpenApi } from "./openapi-webhooks.ts";
import { sandboxReplySchema } from "./routes/sandbox.ts";
import type { ApiRoute, ApiRuntime, Reply, RequestContext } from "./types.ts";

type JsonSchema = Record<string, unknown>;

function requestSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io: "input" }) as JsonSchema;
  return json;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const nullable = (type: string, extra: JsonSchema = {}) => ({ type: [type, "null"], ...extra });
const dateTime = { type: "string", format: "date-time" };
const nullableDateTime = { type: ["string", "null"], format: "date-time" };

/** What each verification status means (server/verification/types.ts lists them). */
const STATUS_MEANINGS: Record<(typeof VERIFICATION_STATUSES)[number], string> = {
  pending: "waiting for the code",
  approved: "the right code was checked, or it was approved",
  canceled: "canceled, or replaced by a newer verification",
  expired: "validFor passed without the right code",
  max_attempts_reached: "maxAttempts wrong codes",
  failed: "every delivery failed",
};

const schemas: Record<string, JsonSchema> = {
  Error: {
    type: "object",
    required: ["error"],
    properties: {
      error: {
        type: "object",
        required: ["code", "message"],
        properties: {
          code: { type: "string", enum: Object.keys(ERRORS), description: "Stable; branch on this, not on the message." },
          message: { type: "string" },
          details: {
            description: "For invalid_request: the offending fields.",
            type: "array",
            items: { type: "object", required: ["path", "message"], properties: { path: { type: "string" }, message: { type: "string" } } },
          },
        },
      },
    },
  },
  WorkflowStep: {
    type: "object",
    required: ["channel", "afterSeconds"],
    properties: {
      channel: { type: "string", enum: [...CHANNELS] },
      afterSeconds: { type: "integer", minimum: 0, description: "Seconds after the previous step." },
    },
  },
  Delivery: {
    type: "object",
    required: ["id", "stepIndex", "kind", "channel", "carrier", "status", "dueAt", "sentAt", "deliveredAt", "failedAt", "errorCode"],
    properties: {
      id: { type: "string" },
      stepIndex: { type: "integer", description: "The workflow step it belongs to, from 0." },
      kind: { type: "string", enum: ["workflow", "resend"], "x-enumDescriptions": { workflow: "a workflow step", resend: "asked for with resend" } },
      channel: { type: "string", enum: [...CHANNELS] },
      carrier: nullable("string", { description: "The carrier that took it (sandbox, twilio, …), null before it was sent; \"test-number\" for a test number's step, which no carrier was handed." }),
      status: { type: "string", enum: [...DELIVERY_STATUSES] },
      dueAt: { ...dateTime, description: "When it is (or was) due to go out." },
      sentAt: nullableDateTime,
      deliveredAt: { ...nullableDateTime, description: "From the carrier's delivery receipt." },
      failedAt: nullableDateTime,
      errorCode: nullable("string", { description: "The carrier's error, when it failed." }),
    },
  },
  Verification: {
    type: "object",
    description: "A verification. Never contains the code or its hash.",
    required: [
      "id", "to", "purpose", "channel", "workflow", "workflowPreset", "status", "codeLength", "alphanumeric", "locale", "brand",
      "attempts", "attemptsLeft", "maxAttempts", "sends", "validFor", "expiresAt", "createdAt", "updatedAt", "finishedAt",
      "clientRef", "testNumber", "deliveries",
    ],
    properties: {
      id: { type: "string", format: "uuid", description: "The verification's id, for check, cancel, approve and resend." },
      to: { type: "string", description: "The number, E.164." },
      purpose: { type: "string", description: "As given, or `verify`." },
      channel: { type: "string", enum: [...CHANNELS], description: "The first step's channel." },
      workflow: { type: "array", items: ref("WorkflowStep"), description: "The delivery steps, a preset's included." },
      workflowPreset: nullable("integer", { description: "The preset number when a preset was asked for, else null." }),
      status: { type: "string", enum: [...VERIFICATION_STATUSES], "x-enumDescriptions": STATUS_MEANINGS },
      codeLength: { type: "integer", description: "Characters in the code." },
      alphanumeric: { type: "boolean", description: "Whether the code has letters." },
      locale: { type: "string", description: "The language the messages use (lower case, `en-gb`)." },
      brand: nullable("string", { description: "The name in the messages: as given, else the server's DEFAULT_BRAND." }),
      attempts: { type: "integer", description: "Wrong codes so far." },
      attemptsLeft: { type: "integer", description: "Wrong codes still allowed; 0 once the verification is no longer pending." },
      maxAttempts: { type: "integer", description: "Wrong codes allowed in all." },
      sends: { type: "integer", description: "Deliveries so far (workflow steps and resends)." },
      validFor: { type: "integer", description: "Seconds the code is valid from creation." },
      expiresAt: { ...dateTime, description: "When the code stops working." },
      createdAt: dateTime,
      updatedAt: dateTime,
      finishedAt: { ...nullableDateTime, description: "When it stopped being pending, else null." },
      clientRef: nullable("string", { description: "Your reference, as given." }),
      testNumber: {
        type: "boolean",
        description: "Sent to a configured test number (TEST_NUMBERS): nothing went to a carrier (each step's carrier is \"test-number\") and the configured code checks.",
      },
      deliveries: { type: "array", items: ref("Delivery"), description: "Each step or resend sent or due, oldest first." },
    },
  },
  CheckResult: {
    type: "object",
    required: ["valid", "status", "attemptsLeft"],
    properties: {
      valid: { type: "boolean", description: "Whether the code was right." },
      status: { type: "string", enum: [...VERIFICATION_STATUSES], "x-enumDescriptions": STATUS_MEANINGS, description: "The status after this check." },
      attemptsLeft: { type: "integer", description: "Wrong codes still allowed." },
    },
  },
  SandboxMessage: {
    type: "object",
    required: ["id", "direction", "channel", "to", "from", "body", "createdAt"],
    properties: {
      id: { type: "string" },
      direction: { type: "string", enum: ["outbound", "inbound"] },
      channel: { type: "string", enum: [...CHANNELS] },
      to: nullable("string"),
      from: nullable("string"),
      body: { type: "string" },
      createdAt: dateTime,
    },
  },
  CreateVerificationRequest: requestSchema(createVerificationSchema),
  CheckVerificationRequest: requestSchema(checkVerificationSchema),
  ResendVerificationRequest: requestSchema(resendVerificationSchema),
  SandboxReplyRequest: requestSchema(sandboxReplySchema),
  SendNoticeRequest: requestSchema(sendNoticeSchema),
  OwnerAlertRequest: requestSchema(ownerAlertSchema),
  OwnerAlertResult: {
    type: "object",
    required: ["owners", "reference", "connectionId", "expiresAt"],
    properties: {
      owners: { type: "integer", description: "How many owners a carrier took the text for (0 when none is configured)." },
      reference: nullable("string", { description: "The request's reference (`ACCEPT <reference>`), with `waitForDecision` and an owner; else null." }),
      connectionId: nullable("string", { description: "Your socket's id (or the one textgate made), as `owner.decided` carries it; null without a request." }),
      expiresAt: nullable("string", { format: "date-time", description: "Until when the owners can decide; null without a request." }),
    },
  },
  NoticeResult: {
    type: "object",
    required: ["to", "sent"],
    properties: {
      to: { type: "string", description: "The number, E.164." },
      sent: { type: "boolean", description: "false: no carrier took the text." },
    },
  },
};

function json(schema: JsonSchema, description: string, headers?: JsonSchema) {
  return { description, ...(headers ? { headers } : {}), content: { "application/json": { schema } } };
}

/** Error responses grouped by status, each listing the codes it can carry. */
function errors(codes: ErrorCode[]): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(ERRORS[code].status, [...(byStatus.get(ERRORS[code].status) ?? []), code]);
  const responses: Record<string, unknown> = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    const headers: JsonSchema = {};
    if (status === 401) headers["WWW-Authenticate"] = { schema: { type: "string" }, description: "Bearer" };
    if (status === 405) headers.Allow = { schema: { type: "string" } };
    if (status === 429) headers["Retry-After"] = { schema: { type: "integer" }, description: "Seconds." };
    responses[String(status)] = json(ref("Error"), `Error: ${list.join(", ")}.`, Object.keys(headers).length ? headers : undefined);
  }
  return responses;
}

const idParameter = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const phoneQuery = (description: string) => ({ name: "to", in: "query", required: true, schema: { type: "string" }, description });
const limitQuery = (fallback: number) => ({
  name: "limit",
  in: "query",
  required: false,
  schema: { type: "integer", minimum: 1, maximum: 100, default: fallback },
});
const body = (name: string, required = true) => ({ required, content: { "application/json": { schema: ref(name) } } });
const keyed = [{ bearerAuth: [] }];
const publicOp: unknown[] = [];
/** The handset's routes: open in development; in production a signed-in owner's session cookie or an API key (server/sandbox-access.ts). */
const sandboxOp: unknown[] = [{}, { bearerAuth: [] }];
const SANDBOX_ACCESS =
  "Open in development. In production (SANDBOX_IN_PRODUCTION=true) only for a signed-in owner (OWNER_PHONES, next-auth session cookie) or an API key: 401 anonymous, 403 signed in but not an owner.";
const BODY_ERRORS: ErrorCode[] = ["invalid_request", "invalid_json", "payload_too_large", "unsupported_media_type"];
const verificationResponse = (description: string) => json(ref("Verification"), description);

/** Carrier webhooks: called by carriers, authenticated by their signature (or URL token), not an API key. */
function webhookPaths(): Record<string, unknown> {
  const carrierParameter = {
    name: "carrier",
    in: "path",
    required: true,
    schema: { type: "string", enum: ["twilio", "vonage", "textlocal", "textmagic", "signalwire"] },
  };
  const kinds = {
    inbound: ["Carrier webhook: a text sent to one of our numbers", "Received (Twilio and SignalWire get empty TwiML instead)."],
    status: ["Carrier webhook: a delivery receipt (moves a delivery forward only)", "Received."],
    voice: ["Carrier webhook: the call document a carrier fetches for a voice call (SignalWire)", "TwiML/cXML document."],
  } as const;
  const result: Record<string, unknown> = {};
  for (const [kind, [summary, ok]] of Object.entries(kinds)) {
    const operation = (method: string) => ({
      operationId: `${method}CarrierWebhook${kind[0]?.toUpperCase()}${kind.slice(1)}`,
      summary,
      description: "See docs/carriers.md: the URL to paste into each carrier's dashboard, and how each carrier signs it.",
      security: publicOp,
      parameters: [carrierParameter],
      responses: {
        "200":
          kind === "voice"
            ? { description: ok, content: { "application/xml": { schema: { type: "string" } } } }
            : {
                description: ok,
                content: {
                  "application/json": { schema: { type: "object", required: ["received"], properties: { received: { const: true } } } },
                  "application/xml": { schema: { type: "string" } },
                },
              },
        ...errors(["invalid_signature", "not_found", "payload_too_large", "unsupported_media_type"]),
      },
    });
    result[`/api/webhooks/{carrier}/${kind}`] = { get: operation("get"), post: operation("post") };
  }
  return result;
}

const webhookDocs = webhookOpenApi({ json, errors, ref, requestSchema, keyed, bodyErrors: BODY_ERRORS });
Object.assign(schemas, webhookDocs.schemas);

const paths: Record<string, unknown> = {
  "/api/v1/verifications": {
    post: {
      operationId: "createVerification",
      summary: "Start a verification and send the first code",
      security: keyed,
      parameters: [
        {
          name: "Idempotency-Key",
          in: "header",
          required: false,
          schema: { type: "string", minLength: 1, maxLength: 255 },
          description: "Repeating a request with the same key and body returns the first result and sends nothing.",
        },
      ],
      requestBody: body("CreateVerificationRequest"),
      responses: {
        "201": verificationResponse("Created; the first step is on its way."),
        "200": json(ref("Verification"), "Replayed: the verification created by an earlier request with this Idempotency-Key.", {
          "Idempotent-Replayed": { schema: { type: "string", enum: ["true"] } },
        }),
        ...errors([
          ...BODY_ERRORS, "invalid_phone_number", "unsupported_locale", "invalid_template", "message_too_long", "channel_unavailable",
          "unauthorized", "country_not_allowed", "line_type_not_allowed", "verification_pending", "idempotency_key_reused", "rate_limited",
          "send_limit_reached", "send_budget_exhausted",
        ]),
      },
    },
  },
  "/api/v1/verifications/{id}": {
    get: {
      operationId: "getVerification",
      summary: "Read a verification",
      security: keyed,
      parameters: [idParameter],
      responses: { "200": verificationResponse("The verification."), ...errors(["unauthorized", "verification_not_found"]) },
    },
  },
  "/api/v1/verifications/{id}/check": {
    post: {
      operationId: "checkVerification",
      summary: "Check a code; a wrong code uses one attempt",
      security: keyed,
      parameters: [idParameter],
      requestBody: body("CheckVerificationRequest"),
      responses: {
        "200": json(ref("CheckResult"), "Checked. `valid` says whether the code was right."),
        ...errors([...BODY_ERRORS, "unauthorized", "verification_not_found", "rate_limited", "too_many_failed_attempts"]),
      },
    },
  },
  "/api/v1/verifications/{id}/cancel": {
    post: {
      operationId: "cancelVerification",
      summary: "Cancel a pending verification (30 seconds after creation at the earliest)",
      security: keyed,
      parameters: [idParameter],
      responses: {
        "200": verificationResponse("Canceled."),
        ...errors([...BODY_ERRORS, "unauthorized", "verification_not_found", "cancel_too_early"]),
      },
    },
  },
  "/api/v1/verifications/{id}/approve": {
    post: {
      operationId: "approveVerification",
      summary: "Approve a pending verification without a code",
      security: keyed,
      parameters: [idParameter],
      responses: { "200": verificationResponse("Approved."), ...errors([...BODY_ERRORS, "unauthorized", "verification_not_found"]) },
    },
  },
  "/api/v1/verifications/{id}/resend": {
    post: {
      operationId: "resendVerification",
      summary: "Send the same code again, optionally on another channel",
      security: keyed,
      parameters: [idParameter],
      requestBody: body("ResendVerificationRequest", false),
      responses: {
        "200": verificationResponse("A new delivery was scheduled."),
        ...errors([
          ...BODY_ERRORS, "channel_unavailable", "unauthorized", "verification_not_found", "rate_limited", "send_limit_reached", "send_budget_exhausted",
        ]),
      },
    },
  },
  "/api/v1/notices": {
    post: {
      operationId: "sendNotice",
      summary: "Text a number one of the socket units' catalog texts (for `textgate/ws` in remote mode)",
      description:
        "Only the catalog's texts, in the number's language, never free text. Counts toward the number's send limit and the send budget, and follows the destination policy, like a code.",
      security: keyed,
      requestBody: body("SendNoticeRequest"),
      responses: {
        "200": json(ref("NoticeResult"), "Handed to a carrier, or not (`sent`)."),
        ...errors([
          ...BODY_ERRORS, "invalid_phone_number", "unsupported_locale", "unauthorized", "country_not_allowed", "line_type_not_allowed", "rate_limited",
          "send_limit_reached", "send_budget_exhausted",
        ]),
      },
    },
  },
  "/api/v1/owner-alerts": {
    post: {
      operationId: "createOwnerAlert",
      summary: "Text the owners that someone is connecting, optionally asking them to decide (for `textgate/ws` in remote mode)",
      description:
        "Texts every owner (OWNER_PHONES) the catalog's alert in the owner's language, with `who` and `path` filled in; only the owners, never a number the request names. With `waitForDecision`, opens a request the owners answer by SMS (`ACCEPT <reference>`, `DENY <reference>`) or on /owner; the decision is the `owner.decided` event of `GET /api/v1/events`.",
      security: keyed,
      requestBody: body("OwnerAlertRequest"),
      responses: {
        "201": json(ref("OwnerAlertResult"), "A request the owners can decide, and the alert sent."),
        "200": json(ref("OwnerAlertResult"), "The alert sent (no request: `waitForDecision` false, or no owner configured)."),
        ...errors([...BODY_ERRORS, "unauthorized", "not_found"]),
      },
    },
  },
  "/api/v1/owner-alerts/{reference}": {
    delete: {
      operationId: "withdrawOwnerAlert",
      summary: "Withdraw a pending request (its socket closed or timed out)",
      security: keyed,
      parameters: [{ name: "reference", in: "path", required: true, schema: { type: "string", pattern: "^[A-Za-z0-9]{4}$" }, description: "The request's reference." }],
      responses: {
        "204": { description: "Withdrawn." },
        ...errors(["unauthorized", "not_found"]),
      },
    },
  },
  ...webhookDocs.paths,
  "/api/v1/sandbox/messages": {
    get: {
      operationId: "listSandboxMessages",
      summary: "What the sandbox carrier sent to a number, newest first (for automated tests)",
      security: keyed,
      parameters: [phoneQuery("The number, E.164 or formatted."), limitQuery(20)],
      responses: {
        "200": json({ type: "object", required: ["messages"], properties: { messages: { type: "array", items: ref("SandboxMessage") } } }, "Messages."),
        ...errors(["invalid_request", "invalid_phone_number", "unauthorized", "sandbox_disabled"]),
      },
    },
  },
  "/api/sandbox/numbers": {
    get: {
      operationId: "listSandboxNumbers",
      summary: "Handset page: numbers the sandbox sent to, most recent first",
      description: SANDBOX_ACCESS,
      security: sandboxOp,
      parameters: [limitQuery(50)],
      responses: {
        "200": json(
          {
            type: "object",
            required: ["numbers"],
            properties: {
              numbers: {
                type: "array",
                items: {
                  type: "object",
                  required: ["number", "lastMessageAt", "messages"],
                  properties: { number: { type: "string" }, lastMessageAt: dateTime, messages: { type: "integer" } },
                },
              },
            },
          },
          "Numbers.",
        ),
        ...errors(["invalid_request", "unauthorized", "forbidden", "sandbox_disabled"]),
      },
    },
  },
  "/api/sandbox/messages": {
    get: {
      operationId: "listSandboxConversation",
      summary: "Handset page: one number's messages, both directions, newest first",
      description: SANDBOX_ACCESS,
      security: sandboxOp,
      parameters: [phoneQuery("The handset's number."), limitQuery(50)],
      responses: {
        "200": json({ type: "object", required: ["messages"], properties: { messages: { type: "array", items: ref("SandboxMessage") } } }, "Messages."),
        ...errors(["invalid_request", "invalid_phone_number", "unauthorized", "forbidden", "sandbox_disabled"]),
      },
    },
  },
  "/api/sandbox/reply": {
    post: {
      operationId: "postSandboxReply",
      summary: "Handset page: text back from a handset (stored as an inbound message)",
      description: SANDBOX_ACCESS,
      security: sandboxOp,
      requestBody: body("SandboxReplyRequest"),
      responses: {
        "201": json(
          { type: "object", required: ["id", "duplicate"], properties: { id: { type: "string" }, duplicate: { type: "boolean" } } },
          "Received.",
        ),
        ...errors([...BODY_ERRORS, "invalid_phone_number", "unauthorized", "forbidden", "cross_site_request", "sandbox_disabled"]),
      },
    },
  },
  ...webhookPaths(),
  "/api/v1/openapi.json": {
    get: {
      operationId: "getOpenApi",
      summary: "This document",
      security: publicOp,
      responses: { "200": json({ type: "object" }, "OpenAPI 3.1 document.") },
    },
  },
  "/healthz": {
    get: {
      operationId: "health",
      summary: "Liveness",
      security: publicOp,
      responses: {
        "200": json({ type: "object", required: ["ok"], properties: { ok: { const: true } } }, "The process is serving the API."),
      },
    },
  },
};

Object.assign(paths, sessionOpenApi(requestSchema), compatOpenApi(requestSchema));

/** The reference's sections, in order; each operation's is found from its path. */
const TAGS: { name: string; description: string; paths: RegExp }[] = [
  { name: "Verifications", description: "Start, read, check, resend, cancel and approve verifications (API key).", paths: /^\/api\/v1\/verifications/ },
  {
    name: "Events out",
    description: "Webhook endpoints (Standard Webhooks signatures) and the live event stream (server-sent events).",
    paths: /^\/api\/v1\/(webhooks|events)/,
  },
  { name: "Socket units", description: "What the units of a host's `textgate/ws` gate ask of a remote textgate: their texts and the owners' alerts (API key).", paths: /^\/api\/v1\/(notices|owner-alerts)/ },
  { name: "Sandbox", description: "The sandbox carrier's messages, for automated tests and the /sandbox handset page.", paths: /sandbox/ },
  { name: "Carrier webhooks", description: "Called by carriers: inbound texts, delivery receipts and call documents.", paths: /^\/api\/webhooks\// },
  { name: "Service", description: "This document and the liveness check.", paths: /^\/(healthz|api\/v1\/openapi\.json)$/ },
];

for (const [path, item] of Object.entries(paths) as [string, Record<string, JsonSchema>][]) {
  const params = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  for (const operation of Object.values(item)) {
    operation.tags ??= [TAGS.find((tag) => tag.paths.test(path))?.name ?? "Endpoints"];
    const declared = ((operation.parameters as { name: string; in: string }[] | undefined) ?? []).filter((p) => p.in === "path").map((p) => p.name);
    const missing = params.filter((name) => !declared.includes(name));
    if (missing.length) {
      operation.parameters = [...((operation.parameters as unknown[]) ?? []), ...missing.map((name) => ({ name, in: "path", required: true, schema: { type: "string" } }))];
    }
  }
}

attachExamples(paths as Parameters<typeof attachExamples>[0]);
responsesFromExamples(paths as Parameters<typeof responsesFromExamples>[0]);

export function buildOpenApiDocument(serverUrl?: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "textgate",
      version: "1",
      description:
        "Self-hosted phone verification. Every error of the native API and the page routes is `{ error: { code, message, details? } }` " +
        "with a stable `code` (the vendor-compatible APIs answer in their vendors' shapes).\n\n" +
        "Authentication, by surface: the native API (`/api/v1`) takes an API key, `Authorization: Bearer <key>` (create one with " +
        "`npm run keys:create -- --name <label>`); the vendor-compatible APIs (`/compat/*`) take the same key as the HTTP Basic password; " +
        "sign-in, account and owner routes (`/api/auth`, `/api/account`, `/api/owner`) take next-auth's session cookie, and their state-changing " +
        "requests the site's own `Origin`; carrier webhooks (`/api/webhooks/*`) are authenticated by the carrier's signature or URL token; " +
        "the sandbox handset routes are open in development.",
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    security: keyed,
    tags: [...TAGS.map(({ name, description }) => ({ name, description })), ...sessionTags, ...compatTags],
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "An API key: tg_<prefix>_<secret>." },
        ...sessionSecuritySchemes,
        ...compatSecuritySchemes,
      },
    },
  };
}

/** The document serialized once per PUBLIC_URL (its only input). */
const serialized = new Map<string, string>();

/**
 * GET /api/v1/openapi.json — this API's OpenAPI 3.1 document (public).
 * 200 document. No errors of its own.
 */
export function getOpenApiDocument(ctx: RequestContext): Reply {
  const publicUrl = ctx.runtime.config.PUBLIC_URL;
  let document = serialized.get(publicUrl);
  if (document === undefined) {
    document = JSON.stringify(buildOpenApiDocument(publicUrl));
    serialized.set(publicUrl, document);
  }
  return { status: 200, json: document };
}

export const openApiRoutes: ApiRoute[] = [{ method: "GET", path: "/api/v1/openapi.json", auth: false, handler: getOpenApiDocument }];
