/**
 * Builds the carriers this process can use, from configuration: the ONE place carriers are constructed.
 * Each adapter lives in its own file with its own environment schema; adding one means one file and
 * one line in CARRIER_DEFINITIONS. Variables are read only for carriers listed in SMS_CARRIERS or
 * VOICE_CARRIERS, and anything wrong (unknown id, a carrier without the channel, a missing or invalid
 * variable) throws an Error naming it, so the server refuses to start.
 */
import type { Logger } from "pino";
import type { Config } from "../env.ts";
import type { Sql } from "../store/sql.ts";
import type { Channel } from "../../lib/channels.ts";
import { consoleCarrier } from "./console.ts";
import { type CarrierDefinition, type CarrierDeps, parseCarrierEnv } from "./definition.ts";
import { CarrierHealth, setCurrentCarrierHealth, withHealth } from "./health.ts";
import type { FetchLike } from "./http.ts";
import { CarrierRegistry, DEVELOPMENT_CARRIERS, isDevelopmentCarrier } from "./registry.ts";
import { SandboxCarrier } from "./sandbox.ts";
import { type CarrierSendObserver, withTelemetry } from "./telemetry.ts";
import { signalwireDefinition } from "./signalwire.ts";
import { textlocalDefinition } from "./textlocal.ts";
import { textmagicDefinition } from "./textmagic.ts";
import { twilioDefinition } from "./twilio.ts";
import type { Carrier } from "./types.ts";
import { vonageDefinition } from "./vonage.ts";

export { getCarrierHealth } from "./health.ts";

export interface CarrierSetup {
  registry: CarrierRegistry;
  /** The sandbox carrier when it is configured, else null. */
  sandbox: SandboxCarrier | null;
  all: readonly Carrier[];
  health: CarrierHealth;
}

export interface BuildCarriersOptions {
  config: Config;
  sql: Sql;
  logger: Logger;
  clock: () => Date;
  /** Environment the carrier adapters read their credentials from (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** HTTP client of the adapters that use fetch (tests). */
  fetch?: FetchLike;
  /** Told every send's outcome and duration (the /metrics counters, server/telemetry/metrics.ts). */
  onSend?: CarrierSendObserver;
}

/** Real carriers by id. Development carriers (sandbox, console) are built below. */
export const CARRIER_DEFINITIONS: Readonly<Record<string, CarrierDefinition<never>>> = {
  twilio: twilioDefinition as CarrierDefinition<never>,
  vonage: vonageDefinition as CarrierDefinition<never>,
  textlocal: textlocalDefinition as CarrierDefinition<never>,
  textmagic: textmagicDefinition as CarrierDefinition<never>,
  signalwire: signalwireDefinition as CarrierDefinition<never>,
};

function isLoopback(url: URL): boolean {
  return ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
}

/** Carrier base URLs must be HTTPS in production (credentials travel in them), except a loopback fake. */
function assertSecureUrls(id: string, config: unknown): void {
  for (const [name, value] of Object.entries(config as Record<string, unknown>)) {
    if (!/_(BASE_URL|SPACE_URL)$/.test(name) || typeof value !== "string") continue;
    const url = new URL(value);
    if (url.protocol !== "https:" && !isLoopback(url)) throw new Error(`${name}: must be an https:// URL in production (carrier "${id}")`);
  }
}

export function buildCarriers({ config, sql, logger, clock, env = process.env, fetch: fetchImpl, onSend = () => {} }: BuildCarriersOptions): CarrierSetup {
  const listed: Record<Channel, readonly string[]> = { sms: config.SMS_CARRIERS, voice: config.VOICE_CARRIERS };
  const wanted = new Set([...listed.sms, ...listed.voice]);
  const known = [...DEVELOPMENT_CARRIERS, ...Object.keys(CARRIER_DEFINITIONS)];
  for (const channel of ["sms", "voice"] as const) {
    for (const id of listed[channel]) {
      const variable = channel === "sms" ? "SMS_CARRIERS" : "VOICE_CARRIERS";
      const definition = CARRIER_DEFINITIONS[id];
      if (!definition && !isDevelopmentCarrier(id)) throw new Error(`${variable}: unknown carrier "${id}"; known carriers: ${known.join(", ")}`);
      if (definition && !definition.channels.includes(channel)) {
        throw new Error(`${variable}: carrier "${id}" cannot send ${channel}; it serves ${definition.channels.join(", ")}`);
      }
    }
  }

  const deps: CarrierDeps = {
    fetch: fetchImpl ?? ((input, init) => fetch(input, init)),
    publicUrl: config.PUBLIC_URL.replace(/\/+$/, ""),
    secret: config.TEXTGATE_SECRET,
    production: config.production,
    clock,
  };
  const sandbox = wanted.has("sandbox") ? new SandboxCarrier(sql, clock) : null;
  const built: Carrier[] = [...(sandbox ? [sandbox] : []), consoleCarrier()];
  const problems: string[] = [];
  for (const [id, definition] of Object.entries(CARRIER_DEFINITIONS)) {
    if (!wanted.has(id)) continue;
    const channels = definition.channels.filter((c) => listed[c].includes(id));
    try {
      const carrierConfig = parseCarrierEnv(definition, channels, env);
      if (config.production) assertSecureUrls(id, carrierConfig);
      const carrier = definition.create(carrierConfig, channels, deps);
      if (carrier.webhooks && !carrier.webhooks.configured) {
        logger.warn({ carrier: id }, `webhooks of ${id} are refused until their secret is set (see docs/carriers.md)`);
      }
      built.push(carrier);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length) throw new Error(problems.join("\n"));

  const health = new CarrierHealth(logger, clock);
  setCurrentCarrierHealth(health);
  const all = built.map((carrier) => withTelemetry(withHealth(carrier, health), onSend));
  const registry = new CarrierRegistry(all, listed);
  return { registry, sandbox, all, health };
}
