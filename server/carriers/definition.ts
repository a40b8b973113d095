/**
 * How a carrier adapter plugs in: a definition maps its environment variables (its own zod schema,
 * names derived from the carrier id) to a pure factory. `buildCarriers` reads the variables only for
 * carriers listed in SMS_CARRIERS / VOICE_CARRIERS, and refuses to start with every problem named.
 */
import { z } from "zod";
import type { Channel } from "../../lib/channels.ts";
import type { FetchLike } from "./http.ts";
import type { Carrier } from "./types.ts";

export interface CarrierDeps {
  fetch: FetchLike;
  /** PUBLIC_URL without a trailing slash: webhook URLs handed to carriers are built from it. */
  publicUrl: string;
  /** TEXTGATE_SECRET, for keys an adapter derives (never sent anywhere). */
  secret: string;
  production: boolean;
  /** The engine's clock: "now" for lookups that need an end of their time window. */
  clock: () => Date;
}

export interface CarrierDefinition<C = unknown> {
  id: string;
  /** Channels this carrier can serve at all. */
  channels: readonly Channel[];
  /** The carrier's environment schema, given the channels it is listed for (some variables are per channel). */
  envSchema(channels: readonly Channel[]): z.ZodType<C>;
  create(config: C, channels: readonly Channel[], deps: CarrierDeps): Carrier;
}

/** Helps a definition keep its generic config type while the registry holds many. */
export function defineCarrier<C>(definition: CarrierDefinition<C>): CarrierDefinition<C> {
  return definition;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/** `<ID>_TIMEOUT_MS`: per-request timeout, 1–60 s. */
export const timeoutSchema = z.coerce.number().int().min(1000).max(60_000).default(DEFAULT_TIMEOUT_MS);

/** A base URL override (tests, a local fake, a regional endpoint). */
export const baseUrlSchema = (fallback: string) =>
  z
    .url({ protocol: /^https?$/ })
    .default(fallback)
    .transform((v) => v.replace(/\/+$/, ""));

export const secretSchema = (name: string, min = 1) => z.string().min(min, `${name} must be at least ${min} characters`);

/** A token for carriers that sign nothing: long enough not to be guessed. */
export const webhookTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{24,200}$/, "must be 24–200 characters of A–Z, a–z, 0–9, _ or -");

/** Parses one carrier's variables; the thrown message names every variable that is missing or wrong. */
export function parseCarrierEnv<C>(definition: CarrierDefinition<C>, channels: readonly Channel[], env: Readonly<Record<string, string | undefined>>): C {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = definition.envSchema(channels).safeParse(cleaned);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `${issue.path.join(".") || definition.id}: ${issue.message.replace(/^Invalid input: expected \w+, received undefined$/, "required, not set")}`,
  );
  throw new Error(`Carrier "${definition.id}" is not configured correctly:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
}

/** Adds "required" issues for variables a channel needs. */
export function requireFor(ctx: z.RefinementCtx, config: Record<string, unknown>, names: readonly string[], why: string): void {
  for (const name of names) {
    if (config[name] === undefined) ctx.addIssue({ code: "custom", path: [name], message: `required ${why}` });
  }
}
