/**
 * Builds the carriers this process can use, from configuration. Each carrier adapter lives in its own
 * file; adding one means one file here and one entry in `buildCarriers`.
 */
import type { Logger } from "pino";
import type { Config } from "../env.ts";
import type { Sql } from "../store/sql.ts";
import { consoleCarrier } from "./console.ts";
import { CarrierRegistry } from "./registry.ts";
import { SandboxCarrier } from "./sandbox.ts";
import type { Carrier } from "./types.ts";

export interface CarrierSetup {
  registry: CarrierRegistry;
  /** The sandbox carrier when it is configured, else null. */
  sandbox: SandboxCarrier | null;
  all: readonly Carrier[];
}

export interface BuildCarriersOptions {
  config: Config;
  sql: Sql;
  logger: Logger;
  clock: () => Date;
  /** Environment the carrier adapters read their credentials from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** Throws an Error whose message names what is wrong (unknown carrier, missing credential). */
export function buildCarriers({ config, sql, clock }: BuildCarriersOptions): CarrierSetup {
  const wanted = new Set([...config.SMS_CARRIERS, ...config.VOICE_CARRIERS]);
  const sandbox = wanted.has("sandbox") ? new SandboxCarrier(sql, clock) : null;
  const all: Carrier[] = [...(sandbox ? [sandbox] : []), consoleCarrier()];
  const registry = new CarrierRegistry(all, { sms: config.SMS_CARRIERS, voice: config.VOICE_CARRIERS });
  return { registry, sandbox, all };
}
