/**
 * Request schemas of the native API (/api/v1), shared by the server, the OpenAPI document and clients.
 * Limits come from the Verify APIs textgate mirrors (Textmagic, SignalWire, Twilio, Vonage: docs/compat/).
 */
import { z } from "zod";
import { CHANNELS } from "../channels.ts";

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

export const channelSchema = z.enum(CHANNELS);

export const workflowStepSchema = z.strictObject({
  channel: channelSchema,
  /** Seconds after the previous step (the first step goes out at once, so its value must be 0). */
  afterSeconds: z.number().int().min(0).max(LIMITS.afterSeconds.max),
});
export type WorkflowStep = z.infer<typeof workflowStepSchema>;

export const createVerificationSchema = z
  .strictObject({
    to: z.string().min(1).max(64),
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, "country must be an ISO 3166-1 alpha-2 code such as US or GB")
      .transform((c) => c.toUpperCase())
      .optional(),
    channel: channelSchema.optional(),
    workflow: z.union([z.number().int().min(1).max(7), z.array(workflowStepSchema).min(1).max(LIMITS.workflowSteps.max)]).optional(),
    codeLength: z.number().int().min(LIMITS.codeLength.min).max(LIMITS.codeLength.max).optional(),
    alphanumeric: z.boolean().optional(),
    code: z
      .string()
      .regex(/^[A-Za-z0-9]{4,20}$/, "code must be 4 to 20 letters or digits")
      .optional(),
    brand: z.string().min(1).max(LIMITS.brand.max).optional(),
    template: z.string().min(1).max(500).optional(),
    locale: z.string().min(2).max(10).optional(),
    sender: z.string().min(1).max(LIMITS.sender.max).optional(),
    validFor: z.number().int().min(LIMITS.validFor.min).max(LIMITS.validFor.max).optional(),
    maxAttempts: z.number().int().min(LIMITS.maxAttempts.min).max(LIMITS.maxAttempts.max).optional(),
    purpose: z.string().regex(/^[a-z0-9_.:-]{1,32}$/, "purpose must be 1-32 characters of a-z, 0-9, _ . : -").optional(),
    clientRef: z.string().min(1).max(LIMITS.clientRef.max).optional(),
    onPending: z.enum(["replace", "resend", "reject"]).optional(),
  })
  .refine((v) => !(v.channel && v.workflow !== undefined), { message: "give either channel or workflow, not both", path: ["workflow"] })
  .refine((v) => !(v.code && v.codeLength !== undefined && v.code.length !== v.codeLength), {
    message: "codeLength does not match the length of code",
    path: ["codeLength"],
  });
export type CreateVerificationRequest = z.infer<typeof createVerificationSchema>;

export const checkVerificationSchema = z.strictObject({
  code: z.string().min(1).max(64),
});

export const resendVerificationSchema = z.strictObject({
  channel: channelSchema.optional(),
});

export const verificationIdSchema = z.string().regex(/^[0-9a-f-]{36}$/i, "not a verification id");
