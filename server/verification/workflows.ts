/**
 * Delivery workflows: ordered steps, each a channel and a wait after the previous step.
 * The seven presets are Textmagic's (docs/compat/textmagic.md), defined in lib/workflow-presets.ts.
 */
import { TextgateError } from "../../lib/errors.ts";
import { PRESET_VALIDITY_SECONDS, WORKFLOW_PRESETS as PRESETS } from "../../lib/workflow-presets.ts";
import type { Channel, WorkflowStep } from "./types.ts";

const step = (channel: Channel, afterSeconds: number): WorkflowStep => ({ channel, afterSeconds });

/** The presets' steps by number (lib/workflow-presets.ts holds their names and meanings). */
export const WORKFLOW_PRESETS: Record<number, readonly WorkflowStep[]> = Object.fromEntries(
  Object.entries(PRESETS).map(([id, preset]) => [id, preset.steps]),
);

export { PRESET_VALIDITY_SECONDS };

export interface ResolvedWorkflow {
  steps: WorkflowStep[];
  preset: number | null;
}

export function resolveWorkflow(input: { channel?: Channel; workflow?: number | WorkflowStep[] }): ResolvedWorkflow {
  if (typeof input.workflow === "number") {
    const steps = WORKFLOW_PRESETS[input.workflow];
    if (!steps) throw new TextgateError("invalid_request", "workflow must be a preset from 1 to 7 or a list of steps.");
    return { steps: steps.map((s) => ({ ...s })), preset: input.workflow };
  }
  if (Array.isArray(input.workflow)) {
    if (input.workflow[0]?.afterSeconds !== 0) {
      throw new TextgateError("invalid_request", "The first workflow step goes out at once: its afterSeconds must be 0.", {
        details: [{ path: "workflow.0.afterSeconds", message: "must be 0" }],
      });
    }
    return { steps: input.workflow.map((s) => ({ ...s })), preset: null };
  }
  return { steps: [step(input.channel ?? "sms", 0)], preset: null };
}

/** Due time of every step, from the creation time. */
export function stepDueTimes(steps: readonly WorkflowStep[], createdAt: Date): Date[] {
  let offset = 0;
  return steps.map((s) => {
    offset += s.afterSeconds;
    return new Date(createdAt.getTime() + offset * 1000);
  });
}
