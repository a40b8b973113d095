/**
 * The OpenAPI part of the vendor-compatible APIs (/compat/*): each vendor's paths, its authentication,
 * its request bodies (the zod schemas its routes parse with; Twilio's form parameters, which its routes
 * read by name, listed here) and, from the recorded examples (openapi-examples.ts), its answers. The
 * answers are the vendors' own shapes, described in docs/compat/<vendor>.md, not textgate's.
 */
import type { z } from "zod";
import { signalwireRequestSchema, signalwireVerifySchema } from "./compat/signalwire/routes.ts";
import { textmagicCheckSchema, textmagicSendSchema } from "./compat/textmagic/routes.ts";
import { vonageCheckSchema, vonageRequestSchema } from "./compat/vonage/routes.ts";

type JsonSchema = Record<string, unknown>;

const VENDORS = {
  twilio: { tag: "Twilio Verify v2 (compatible)", doc: "docs/compat/twilio.md", scheme: "twilioBasic" },
  vonage: { tag: "Vonage Verify v2 (compatible)", doc: "docs/compat/vonage.md", scheme: "vonageBasic" },
  signalwire: { tag: "SignalWire MFA (compatible)", doc: "docs/compat/signalwire.md", scheme: "signalwireBasic" },
  textmagic: { tag: "Textmagic Verify (compatible)", doc: "docs/compat/textmagic.md", scheme: "textmagicBasic" },
} as const;
type Vendor = keyof typeof VENDORS;

export const compatSecuritySchemes: Record<string, JsonSchema> = {
  twilioBasic: { type: "http", scheme: "basic", description: "Twilio's `AccountSid:AuthToken`: any `AC` + 32 hex digits as the user name, a textgate API key as the password." },
  vonageBasic: {
    type: "http",
    scheme: "basic",
    description: "Any name as `api_key`, a textgate API key as `api_secret`; or the client's JWT auth for applications named in COMPAT_VONAGE_JWT_APPLICATIONS.",
  },
  signalwireBasic: { type: "http", scheme: "basic", description: "SignalWire's `ProjectID:AuthToken`: any ProjectID, a textgate API key as the AuthToken." },
  textmagicBasic: { type: "http", scheme: "basic", description: "Any user name and a textgate API key as the password; or the headers X-TM-Username and X-TM-Key." },
};

export const compatTags = Object.values(VENDORS).map((vendor) => ({
  name: vendor.tag,
  description: `Answers in the vendor's own shapes, so its official client works unchanged. Differences and unsupported parameters: ${vendor.doc}.`,
}));

const form = (properties: Record<string, JsonSchema>, required: string[] = []) => ({
  required: true,
  content: { "application/x-www-form-urlencoded": { schema: { type: "object", required, properties } } },
});
const text = (description: string, extra: JsonSchema = {}) => ({ type: "string", description, ...extra });

const twilioService = {
  FriendlyName: text("The name in the message (the brand), 1 to 32 characters. Required on create."),
  CodeLength: text("Digits in the code, 4 to 10 (default 6).", { pattern: "^[0-9]+$" }),
  CustomCodeEnabled: text("`true` lets CustomCode set the code.", { enum: ["true", "false"] }),
};

export function compatOpenApi(requestSchema: (schema: z.ZodType) => JsonSchema): Record<string, Record<string, JsonSchema>> {
  const json = (schema: z.ZodType) => ({ required: true, content: { "application/json": { schema: requestSchema(schema) } } });
  const op = (vendor: Vendor, operationId: string, summary: string, extra: JsonSchema = {}): JsonSchema => ({
    operationId,
    summary,
    tags: [VENDORS[vendor].tag],
    security: [{ [VENDORS[vendor].scheme]: [] }],
    ...extra,
  });
  const tw = "/compat/twilio/v2/Services";
  const vo = "/compat/vonage/v2/verify";
  const sw = "/compat/signalwire/api/relay/rest/mfa";
  const tm = "/compat/textmagic/api/v2/verify";
  return {
    [tw]: {
      post: op("twilio", "twilioCreateService", "Create a Verify service (its FriendlyName and code length)", { requestBody: form(twilioService, ["FriendlyName"]) }),
      get: op("twilio", "twilioListServices", "List the services of this API key"),
    },
    [`${tw}/{ServiceSid}`]: {
      get: op("twilio", "twilioFetchService", "Fetch a service"),
      post: op("twilio", "twilioUpdateService", "Update a service", { requestBody: form(twilioService) }),
      delete: op("twilio", "twilioDeleteService", "Delete a service"),
    },
    [`${tw}/{ServiceSid}/Verifications`]: {
      post: op("twilio", "twilioCreateVerification", "Start a verification (a second start to a pending number resends the same code)", {
        requestBody: form(
          {
            To: text("The number, E.164."),
            Channel: text("`sms` or `call`; Twilio's other channels answer 60223.", { enum: ["sms", "call"] }),
            CustomCode: text("Your own code (with CustomCodeEnabled on the service)."),
            Locale: text("Language of the message (`en`, `de`, `pt-br` …)."),
            CustomFriendlyName: text("The name in this message instead of the service's FriendlyName."),
          },
          ["To", "Channel"],
        ),
      }),
    },
    [`${tw}/{ServiceSid}/Verifications/{Sid}`]: {
      get: op("twilio", "twilioFetchVerification", "Fetch a verification by its sid (VE…)"),
      post: op("twilio", "twilioUpdateVerification", "Cancel or approve a verification", {
        requestBody: form({ Status: text("`canceled` or `approved`.", { enum: ["canceled", "approved"] }) }, ["Status"]),
      }),
    },
    [`${tw}/{ServiceSid}/VerificationCheck`]: {
      post: op("twilio", "twilioCheckVerification", "Check a code (by To or VerificationSid)", {
        requestBody: form({ Code: text("The code the user typed."), To: text("The number, E.164."), VerificationSid: text("Instead of To: the verification's sid.") }, ["Code"]),
      }),
    },
    [vo]: { post: op("vonage", "vonageStartVerification", "Start a verification with a workflow of sms and voice steps", { requestBody: json(vonageRequestSchema) }) },
    [`${vo}/{request_id}`]: {
      post: op("vonage", "vonageCheckCode", "Check a code", { requestBody: json(vonageCheckSchema) }),
      delete: op("vonage", "vonageCancel", "Cancel a verification"),
    },
    [`${vo}/{request_id}/next_workflow`]: { post: op("vonage", "vonageNextWorkflow", "Move on to the next workflow step now") },
    [`${sw}/sms`]: { post: op("signalwire", "signalwireRequestSms", "Send a token by SMS", { requestBody: json(signalwireRequestSchema) }) },
    [`${sw}/call`]: { post: op("signalwire", "signalwireRequestCall", "Send a token by voice call", { requestBody: json(signalwireRequestSchema) }) },
    [`${sw}/{id}/verify`]: { post: op("signalwire", "signalwireVerify", "Verify a token", { requestBody: json(signalwireVerifySchema) }) },
    [tm]: {
      post: op("textmagic", "textmagicSend", "Start a verification (workflows 1 to 7, as on Textmagic)", { requestBody: json(textmagicSendSchema) }),
      put: op("textmagic", "textmagicCheck", "Check a code", { requestBody: json(textmagicCheckSchema) }),
    },
    [`${tm}/{verifyId}`]: { delete: op("textmagic", "textmagicCancel", "Cancel a verification") },
  };
}
