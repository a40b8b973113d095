/**
 * JSON shapes of the API. Each serializer copies an explicit list of fields, so nothing new on the
 * engine's types (and never a code or its hash) reaches a response by accident.
 */
import type { CheckResult, DeliveryView, VerificationView } from "../verification/types.ts";
import type { SandboxEntry } from "./types.ts";
import type { CheckResult as CheckResultBody, SandboxMessage, Verification, VerificationDelivery } from "../../lib/client/types.ts";

function iso(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}

export function serializeDelivery(d: DeliveryView): VerificationDelivery {
  return {
    id: d.id,
    stepIndex: d.stepIndex,
    kind: d.kind,
    channel: d.channel,
    carrier: d.carrier,
    status: d.status,
    dueAt: d.dueAt.toISOString(),
    sentAt: iso(d.sentAt),
    deliveredAt: iso(d.deliveredAt),
    failedAt: iso(d.failedAt),
    errorCode: d.errorCode,
  };
}

export function serializeVerification(v: VerificationView): Verification {
  return {
    id: v.id,
    to: v.to,
    purpose: v.purpose,
    channel: v.channel,
    workflow: v.workflow.map((step) => ({ channel: step.channel, afterSeconds: step.afterSeconds })),
    workflowPreset: v.workflowPreset,
    status: v.status,
    codeLength: v.codeLength,
    alphanumeric: v.alphanumeric,
    locale: v.locale,
    brand: v.brand,
    attempts: v.attempts,
    attemptsLeft: v.attemptsLeft,
    maxAttempts: v.maxAttempts,
    sends: v.sends,
    validFor: v.validFor,
    expiresAt: v.expiresAt.toISOString(),
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
    finishedAt: iso(v.finishedAt),
    clientRef: v.clientRef,
    testNumber: v.testNumber,
    deliveries: v.deliveries.map(serializeDelivery),
  };
}

export function serializeCheck(result: CheckResult): CheckResultBody {
  return { valid: result.valid, status: result.status, attemptsLeft: result.attemptsLeft };
}

export function serializeSandboxEntry(entry: SandboxEntry): SandboxMessage {
  return {
    id: entry.id,
    direction: entry.direction,
    channel: entry.channel,
    to: entry.to,
    from: entry.from,
    body: entry.body,
    createdAt: entry.createdAt.toISOString(),
  };
}
