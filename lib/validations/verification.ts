/**
 * Request schemas of the native API (/api/v1), shared by the server, the OpenAPI document and clients.
 * Limits come from the Verify APIs textgate mirrors (Textmagic, SignalWire, Twilio, Vonage: docs/compat/).
 */
import { z } from "zod";
import { CHANNELS, type Channel } from "../channels.ts";
import { PRESET_VALIDITY_SECONDS, presetDescriptions, WORKFLOW_PRESETS } from "../workflow-presets.ts";

export { CHANNELS, type Channel } from "../channels.ts";

export const LIMITS = {
  codeLength: { min: 4, max: 20, default: 6 },
  validFor: { min: 0, max: 604_800 },
  maxAttempts: { min: 1, max: 20 },
  brand: { max: 18 },
  sender: { max: 20 },
  workflowSteps: { max: 5 },
  afterSeconds: { max: 3600 },
  idempotencyKey: { max: 255 },
  clientRef: { max: 64 },
  purpose: { max: 32 },
} as const;

/** What each channel does; the API reference lists them beside the values (x-enumDescriptions). */
const CHANNEL_MEANINGS: Record<Channel, string> = {
  sms: "a text message with the code",
  voice: "a phone call that speaks the code (text to speech)",
};

export const channelSchema = z.enum(CHANNELS).meta({ "x-enumDescriptions": CHANNEL_MEANINGS });

export const PENDING_POLICIES = {
  replace: "cancel the pending one and start this one",
  resend: "send the pending one's code again and answer with it (counts as a resend)",
  reject: "refuse with 409 verification_pending",
} as const;

export const workflowStepSchema = z.strictObject({
  channel: channelSchema.describe("How this step delivers the code."),
  /** Seconds after the previous step (the first step goes out at once, so its value must be 0). */
  afterSeconds: z
    .number()
    .int()
    .min(0)
    .max(LIMITS.afterSeconds.max)
    .describe("Seconds to wait after the previous step, if the code was not checked by then; the first step's must be 0."),
});
export type WorkflowStep = z.infer<typeof workflowStepSchema>;

const integerWithin = (limit: { min: number; max: number }) => z.number().int().min(limit.min).max(limit.max);

const presetNumbers = Object.keys(WORKFLOW_PRESETS).map(Number);

export const createVerificationSchema = z
  .strictObject({
    to: z
      .string()
      .min(1)
      .max(64)
      .describe("The phone number: E.164 (+14155550123), or a national number with `country`. Answers carry it as E.164."),
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, "country must be an ISO 3166-1 alpha-2 code such as US or GB")
      .transform((c) => c.toUpperCase())
      .optional()
      .describe("ISO 3166-1 alpha-2 country of a national `to` (GB for 07860 021130); either case."),
    channel: channelSchema
      .optional()
      .describe("Send one code on this channel. Default `sms`. Give `channel` or `workflow`, not both."),
    workflow: z
      .union([
        z
          .number()
          .int()
          .min(1)
          .max(presetNumbers.length)
          .meta({ title: "preset", enum: presetNumbers, "x-enumDescriptions": presetDescriptions() }),
        z.array(workflowStepSchema).min(1).max(LIMITS.workflowSteps.max).meta({ title: "steps" }),
      ])
      .optional()
      .describe(
        "The delivery steps: a preset number (below), or your own list of steps. Each step waits for the previous one and is skipped once the code is checked.",
      ),
    codeLength: integerWithin(LIMITS.codeLength)
      .optional()
      .describe("Characters in the generated code. Default: the server's DEFAULT_CODE_LENGTH (6)."),
    alphanumeric: z
      .boolean()
      .optional()
      .describe("Generate letters and digits (without look-alikes such as O and 0) instead of digits only. Default false."),
    code: z
      .string()
      .regex(/^[A-Za-z0-9]{4,20}$/, "code must be 4 to 20 letters or digits")
      .optional()
      .describe("Your own code instead of a generated one: 4 to 20 letters or digits, checked case-insensitively."),
    brand: z
      .string()
      .min(1)
      .max(LIMITS.brand.max)
      .optional()
      .describe("The name in the message (“Your Acme verification code is …”). Default: the server's DEFAULT_BRAND."),
    template: z
      .string()
      .min(1)
      .max(500)
      .optional()
      .describe(
        "Your own message text with `{code}` (and optionally `{brand}`). An SMS must fit one segment: 160 GSM-7 or 70 UCS-2 characters; a call at most 500.",
      ),
    locale: z
      .string()
      .min(2)
      .max(10)
      .optional()
      .describe("Language of the message: `en`, `de`, `pt-br`, `zh-tw` … (README lists them). Default: from the number's country, else DEFAULT_LOCALE."),
    sender: z
      .string()
      .min(1)
      .max(LIMITS.sender.max)
      .optional()
      .describe("Sender ID or number the carrier sends from, where the carrier allows it. Default: the server's DEFAULT_SENDER or the carrier's."),
    validFor: integerWithin(LIMITS.validFor)
      .optional()
      .describe(
        `Seconds the code stays valid. Default: ${PRESET_VALIDITY_SECONDS} with a preset workflow, else the server's DEFAULT_VALIDITY_SECONDS (600).`,
      ),
    maxAttempts: integerWithin(LIMITS.maxAttempts)
      .optional()
      .describe("Wrong codes allowed before the verification ends as `max_attempts_reached`. Default: the server's DEFAULT_MAX_ATTEMPTS (5)."),
    purpose: z
      .string()
      .regex(/^[a-z0-9_.:-]{1,32}$/, "purpose must be 1-32 characters of a-z, 0-9, _ . : -")
      .optional()
      .describe("Your label for what is verified (`login`, `signup`, `payout`); one pending verification per number and purpose. Default `verify`."),
    clientRef: z
      .string()
      .min(1)
      .max(LIMITS.clientRef.max)
      .optional()
      .describe("Your own reference, returned as given in answers and events."),
    onPending: z
      .enum(["replace", "resend", "reject"])
      .optional()
      .meta({ "x-enumDescriptions": PENDING_POLICIES })
      .describe("What to do when this number already has a pending verification for this purpose. Default: the server's PENDING_POLICY (`replace`)."),
  })
  .refine((v) => !(v.channel && v.workflow !== undefined), { message: "give either channel or workflow, not both", path: ["workflow"] })
  .refine((v) => !(v.code && v.codeLength !== undefined && v.code.length !== v.codeLength), {
    message: "codeLength does not match the length of code",
    path: ["codeLength"],
  });
export type CreateVerificationRequest = z.infer<typeof createVerificationSchema>;

export const checkVerificationSchema = z.strictObject({
  code: z
    .string()
    .min(1)
    .max(64)
    .describe("The code the user typed; surrounding spaces and letter case are ignored. A code of the wrong length or characters is refused with 400 and uses no attempt."),
});

export const resendVerificationSchema = z.strictObject({
  channel: channelSchema.optional().describe("Send the same code on this channel. Default: the channel of the first workflow step."),
});

export const verificationIdSchema = z.string().regex(/^[0-9a-f-]{36}$/i, "not a verification id");
