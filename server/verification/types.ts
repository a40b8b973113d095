/** The verification engine's public types: what callers (HTTP API, NextAuth, sockets, compat APIs) see. */
import type { Channel, CreateVerificationRequest, WorkflowStep } from "../../lib/validations/verification.ts";

export type { Channel, WorkflowStep };

import type { DeliveryStatus, VerificationStatus } from "../../lib/statuses.ts";

export { DELIVERY_STATUSES, VERIFICATION_STATUSES, type DeliveryStatus, type VerificationStatus } from "../../lib/statuses.ts";

/** Which API surface created a verification. */
export const SURFACES = ["native", "twilio", "textmagic", "signalwire", "vonage", "auth", "socket"] as const;
export type Surface = (typeof SURFACES)[number];

/** What to do when a new verification is requested for a number (and purpose) with one pending. */
export type PendingPolicy = "replace" | "resend" | "reject";

export interface CreateVerificationInput extends CreateVerificationRequest {
  surface?: Surface;
  apiKeyId?: string | null;
  idempotencyKey?: string;
}

export interface DeliveryView {
  id: string;
  stepIndex: number;
  kind: "workflow" | "resend";
  channel: Channel;
  carrier: string | null;
  carrierMessageId: string | null;
  status: DeliveryStatus;
  dueAt: Date;
  sentAt: Date | null;
  deliveredAt: Date | null;
  failedAt: Date | null;
  errorCode: string | null;
  error: string | null;
}

/** A verification as callers see it: never the code, never its hash. */
export interface VerificationView {
  id: string;
  to: string;
  purpose: string;
  status: VerificationStatus;
  /** The first step's channel. */
  channel: Channel;
  workflow: WorkflowStep[];
  workflowPreset: number | null;
  codeLength: number;
  alphanumeric: boolean;
  locale: string;
  brand: string | null;
  attempts: number;
  maxAttempts: number;
  attemptsLeft: number;
  /** Steps sent so far (deliveries with a sentAt): handed to a carrier, or a test number's (carrier "test-number"). */
  sends: number;
  validFor: number;
  expiresAt: Date;
  surface: Surface;
  /** Created for a TEST_NUMBERS entry: the configured code checks and no step is handed to a carrier. */
  testNumber: boolean;
  clientRef: string | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
  deliveries: DeliveryView[];
}

export interface CreateResult {
  verification: VerificationView;
  /** True when an earlier request with the same idempotency key already created it (nothing was sent). */
  replayed: boolean;
  /** True when policy "resend" reused a pending verification (its code went out again). */
  resent: boolean;
}

/** A verification's state without its deliveries (what a check knows without reading them). */
export type VerificationSummary = Omit<VerificationView, "deliveries" | "sends">;

export interface CheckResult {
  valid: boolean;
  status: VerificationStatus;
  attemptsLeft: number;
  verification: VerificationSummary;
}
