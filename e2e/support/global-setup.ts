/**
 * Runs after Playwright has started (or reused) the servers: checks that each project's server signs in
 * with the settings its specs expect, and creates each server's API key for the sandbox (api-keys.ts). A server reused from elsewhere (`reuseExistingServer` locally)
 * with other AUTH_* settings would otherwise fail tests in confusing ways.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FullConfig } from "@playwright/test";
import type { AuthClientConfig } from "../../lib/auth/contract.ts";
import { createE2eApiKey, e2eServerOf } from "./api-keys.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const EXPECTED: Record<string, Pick<AuthClientConfig, "codeLength" | "alphanumeric" | "sandbox">> = {
  main: { codeLength: 6, alphanumeric: false, sandbox: true },
  alphanumeric: { codeLength: 8, alphanumeric: true, sandbox: true },
  expiry: { codeLength: 6, alphanumeric: false, sandbox: true },
};

export default async function globalSetup(config: FullConfig): Promise<void> {
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
    throw new Error("e2e: there is no production build (.next/BUILD_ID is missing). Run `npx next build` first.");
  }
  // One chain per server, run at once (each key is a process of its own); a server's projects one after another.
  const byServer = new Map<string, FullConfig["projects"]>();
  for (const project of config.projects) byServer.set(e2eServerOf(project), [...(byServer.get(e2eServerOf(project)) ?? []), project]);
  await Promise.all(
    [...byServer.values()].map(async (projects) => {
      for (const project of projects) await checkProject(project);
    }),
  );
}

async function checkProject(project: FullConfig["projects"][number]): Promise<void> {
  const baseURL = project.use.baseURL;
  const server = e2eServerOf(project);
  const expected = EXPECTED[server];
  if (!baseURL || !expected) return;
  const response = await fetch(new URL("/api/auth/sms/config", baseURL));
  if (!response.ok) {
    console.warn(`e2e: ${baseURL}/api/auth/sms/config answered ${response.status}; sign-in tests of project "${project.name}" will fail.`);
    return;
  }
  await createE2eApiKey(server, Number(new URL(baseURL).port));
  const actual = (await response.json()) as AuthClientConfig;
  for (const key of Object.keys(expected) as (keyof typeof expected)[]) {
    if (actual[key] !== expected[key]) {
      throw new Error(
        `e2e: the server at ${baseURL} (project "${project.name}") has ${key}=${String(actual[key])}, expected ${String(expected[key])}. ` +
          "Is another server with other settings using this port? Stop it, or set E2E_BASE_PORT to use other ports.",
      );
    }
  }
}
