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

describe("fraud settings", () => {
  it("blocks premium-rate, shared-cost, VoIP and personal numbers by default; 'none' blocks no line type", () => {
    expect(loadConfig(base, folder).BLOCKED_LINE_TYPES).toEqual(["PREMIUM_RATE", "SHARED_COST", "VOIP", "PERSONAL_NUMBER"]);
    expect(loadConfig({ ...base, BLOCKED_LINE_TYPES: "none" }, folder).BLOCKED_LINE_TYPES).toEqual([]);
    expect(loadConfig({ ...base, BLOCKED_LINE_TYPES: " voip, Toll_Free " }, folder).BLOCKED_LINE_TYPES).toEqual(["VOIP", "TOLL_FREE"]);
  });

  it("refuses unknown line types and FIXED_LINE_OR_MOBILE (the type of numbers that cannot be told apart)", () => {
    expect(problemsOf({ BLOCKED_LINE_TYPES: "VOIP,SATELLITE" })).toEqual([expect.stringMatching(/^BLOCKED_LINE_TYPES\.1: /)]);
    expect(problemsOf({ BLOCKED_LINE_TYPES: "FIXED_LINE_OR_MOBILE" })).toEqual([expect.stringMatching(/^BLOCKED_LINE_TYPES\.0: FIXED_LINE_OR_MOBILE means/)]);
  });

  it("defaults to a budget of 1000 messages an hour and 5 sign-in countries per IP; a budget of 0 means none", () => {
    const config = loadConfig(base, folder);
    expect(config.SEND_BUDGET_PER_HOUR).toBe(1000);
    expect(config.AUTH_COUNTRIES_PER_IP).toBe(5);
    expect(loadConfig({ ...base, SEND_BUDGET_PER_HOUR: "0" }, folder).SEND_BUDGET_PER_HOUR).toBe(0);
    expect(problemsOf({ SEND_BUDGET_PER_HOUR: "-1", AUTH_COUNTRIES_PER_IP: "0" })).toHaveLength(2);
  });
});

describe("HTTP timeouts", () => {
  it("default to 10 s for the headers and 30 s for the whole request; the headers may not take longer than the request", () => {
    const config = loadConfig(base, folder);
    expect([config.HTTP_HEADERS_TIMEOUT_MS, config.HTTP_REQUEST_TIMEOUT_MS]).toEqual([10_000, 30_000]);
    expect(problemsOf({ HTTP_HEADERS_TIMEOUT_MS: "40000" })).toEqual([expect.stringContaining("HTTP_HEADERS_TIMEOUT_MS: must not be longer than HTTP_REQUEST_TIMEOUT_MS")]);
    expect(problemsOf({ HTTP_REQUEST_TIMEOUT_MS: "50" })).toEqual([expect.stringContaining("HTTP_REQUEST_TIMEOUT_MS")]);
  });
});

describe("TEST_NUMBERS", () => {
  it("reads them at boot and keeps no copy of the raw text, which holds the codes", () => {
    const config = loadConfig({ ...base, TEST_NUMBERS: "+12125550100=123456", TEST_NUMBERS_VALID_UNTIL: "2099-12-31" }, folder);
    expect(config.testNumbers).toEqual({ numbers: [{ e164: "+12125550100", code: "123456" }], validUntil: new Date("2100-01-01T00:00:00.000Z") });
    expect(JSON.stringify({ ...config, testNumbers: undefined })).not.toContain("123456");
  });

  it("refuses to start on a bad entry, naming it, with the destination policy of this configuration", () => {
    expect(problemsOf({ TEST_NUMBERS: "+12125550100=123456", TEST_NUMBERS_VALID_UNTIL: "2099-12-31", ALLOWED_COUNTRIES: "GB" })).toEqual([
      expect.stringMatching(/^TEST_NUMBERS entry 1 \(\+12125550100\): Verifications to that country are not allowed/),
    ]);
    expect(problemsOf({ TEST_NUMBERS: "+12125550100=123456" })).toEqual([expect.stringMatching(/^TEST_NUMBERS_VALID_UNTIL: required/)]);
  });
});
