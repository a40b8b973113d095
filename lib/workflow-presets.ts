/**
 * The seven delivery workflow presets, Textmagic's (docs/compat/textmagic.md): each a name, what it does, and its steps
 * (a channel and the wait after the previous step). One home for the server (server/verification/workflows.ts),
 * the request schema's description and the API reference.
 */
import type { Channel, WorkflowStep } from "./validations/verification.ts";

/** Seconds between a preset's steps, and a preset code's validity (Textmagic: "Request expires after 300 seconds"). */
export const PRESET_STEP_SECONDS = 60;
export const PRESET_VALIDITY_SECONDS = 300;

const step = (channel: Channel, afterSeconds: number): WorkflowStep => ({ channel, afterSeconds });
const after = (channel: Channel): WorkflowStep => step(channel, PRESET_STEP_SECONDS);

export interface WorkflowPreset {
  name: string;
  meaning: string;
  steps: readonly WorkflowStep[];
}

export const WORKFLOW_PRESETS: Readonly<Record<number, WorkflowPreset>> = {
  1: { name: "SMS → call → call", meaning: "a text, then two voice calls if the code was not checked yet (Textmagic's default)", steps: [step("sms", 0), after("voice"), after("voice")] },
  2: { name: "SMS → SMS → call", meaning: "a text, a second text, then a voice call", steps: [step("sms", 0), after("sms"), after("voice")] },
  3: { name: "call → call", meaning: "a voice call that speaks the code, then a second call", steps: [step("voice", 0), after("voice")] },
  4: { name: "SMS → SMS", meaning: "a text, then a second text", steps: [step("sms", 0), after("sms")] },
  5: { name: "SMS → call", meaning: "a text, then a voice call", steps: [step("sms", 0), after("voice")] },
  6: { name: "SMS", meaning: "one text only", steps: [step("sms", 0)] },
  7: { name: "call", meaning: "one voice call only", steps: [step("voice", 0)] },
};

/** "SMS → call → call: a text, then …; 60 s apart, valid 300 s" for each preset, keyed by its number. */
export function presetDescriptions(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(WORKFLOW_PRESETS).map(([id, preset]) => [
      id,
      `${preset.name}: ${preset.meaning}${preset.steps.length > 1 ? `, ${PRESET_STEP_SECONDS} s apart` : ""}; the code is valid ${PRESET_VALIDITY_SECONDS} s`,
    ]),
  );
}
