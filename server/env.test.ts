import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./env.ts";

const folder = fs.mkdtempSync(path.join(os.tmpdir(), "tg-env-"));
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

const base: NodeJS.ProcessEnv = { NODE_ENV: "test", TEXTGATE_SECRET: "x".repeat(32), DATABASE_URL: `file:${path.join(folder, "t.db")}` };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig({ ...base, ...env }, folder);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("COMPAT_VONAGE_JWT_APPLICATIONS", () => {
  const rsa = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" });
  const ec = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ type: "spki", format: "pem" });
  fs.writeFileSync(path.join(folder, "rsa.pem"), rsa);
  fs.writeFileSync(path.join(folder, "ec.pem"), ec);
  fs.writeFileSync(path.join(folder, "junk.pem"), "not a key");

  it("reads each application's RSA public key at boot (paths relative to the working folder)", () => {
    const config = loadConfig({ ...base, COMPAT_VONAGE_JWT_APPLICATIONS: "app-1=rsa.pem" }, folder);
    expect([...config.vonageJwtKeys.keys()]).toEqual(["app-1"]);
    expect(config.vonageJwtKeys.get("app-1")?.asymmetricKeyType).toBe("rsa");
    expect(loadConfig(base, folder).vonageJwtKeys.size).toBe(0);
  });

  it("refuses to start on a malformed entry, a missing file, a file that is no key, or a key that is not RSA, naming the variable", () => {
    const problems = problemsOf({ COMPAT_VONAGE_JWT_APPLICATIONS: "no-equals-sign,app-2=missing.pem,app-3=junk.pem,app-4=ec.pem" });
    expect(problems).toHaveLength(4);
    for (const problem of problems) expect(problem).toMatch(/^COMPAT_VONAGE_JWT_APPLICATIONS: /);
    expect(problems[3]).toContain("Vonage signs with RS256");
  });
});
