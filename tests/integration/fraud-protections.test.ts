/**
 * SMS-pumping protections end to end, over HTTP against real server processes (security checklist
 * items 19–22): blocked line types and the global send budget on the native API, and the silent block
 * of sign-in starts to too many countries from one IP (a Next route: needs the production build).
 * Every refusal is checked against the sandbox carrier: nothing went out.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCode, PREMIUM_RATE_PHONE, sentMessages, uniquePhone } from "../helpers/phones.ts";
import { REPO_ROOT, startServer, type TestServer } from "../helpers/server.ts";

const OWNER = "+14155550199";

/** pino lines the server wrote at `level` or above whose message starts with `prefix`. */
function logLines(server: TestServer, prefix: string): { level: number; msg: string; [key: string]: unknown }[] {
  return server
    .stdout()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { level: number; msg: string })
    .filter((line) => line.msg.startsWith(prefix));
}

describe("native API: line types and the send budget", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { SEND_BUDGET_PER_HOUR: "3", OWNER_PHONES: OWNER } });
  }, 60_000);
  afterAll(() => server?.stop());

  it("refuses a premium-rate number with 403 line_type_not_allowed and sends nothing; the test numbers pass", async () => {
    const refused = await server.request("POST", "/api/v1/verifications", { json: { to: PREMIUM_RATE_PHONE } });
    expect(refused.status).toBe(403);
    expect(errorCode(refused.body)).toBe("line_type_not_allowed");
    expect(await sentMessages(server.request, PREMIUM_RATE_PHONE)).toEqual([]);
  });

  it("refuses new verifications with 503 and Retry-After once the hour's budget is spent, texts the owners once, and logs the trip", async () => {
    for (const to of ["+12125550111", "+14155550112", "+12125550113"]) {
      expect((await server.request("POST", "/api/v1/verifications", { json: { to } })).status).toBe(201);
    }
    for (const to of [uniquePhone(), uniquePhone()]) {
      const refused = await server.request("POST", "/api/v1/verifications", { json: { to } });
      expect(refused.status).toBe(503);
      expect(errorCode(refused.body)).toBe("send_budget_exhausted");
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(3000);
      expect(await sentMessages(server.request, to)).toEqual([]);
    }
    // The alarm (owner text, log line) is raised after the refusal is answered, and pino writes
    // asynchronously: wait for both rather than reading them at once.
    await expect
      .poll(async () => (await sentMessages(server.request, OWNER)).map((m) => m.body), { timeout: 5000 })
      .toEqual([expect.stringMatching(/send budget \(3\/hour\) is spent/)]);
    await expect.poll(() => logLines(server, "send budget exhausted"), { timeout: 5000 }).toEqual([expect.objectContaining({ level: 50, budgetPerHour: 3 })]);
  });
});

const built = fs.existsSync(path.join(REPO_ROOT, ".next/BUILD_ID"));
if (!built && process.env.CI === "true") throw new Error("No production build: `npm test` builds it before the tests run.");

describe.skipIf(!built)("sign-in starts to too many countries from one IP", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { NODE_ENV: "production", SERVE_PAGES: "true", SANDBOX_IN_PRODUCTION: "true", AUTH_COUNTRIES_PER_IP: "2" } });
  }, 60_000);
  afterAll(() => server?.stop());

  const start = async (phone: string) => {
    const res = await fetch(`${server.url}/api/auth/sms/start`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ phone }) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const shape = (body: Record<string, unknown>) => Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v]));

  it("answers the third country like any start, sends nothing, and logs and records the block without the number", async () => {
    const us = await start("+12125550121");
    const gb = await start("+447911123456");
    const de = "+4915112345678";
    const blocked = await start(de);
    expect([us.status, gb.status, blocked.status]).toEqual([200, 200, 200]);
    expect(shape(blocked.body)).toEqual(shape(us.body));
    expect(blocked.body).toMatchObject({ to: de, channel: "sms", codeLength: 6, alphanumeric: false, attemptsLeft: 3 });
    expect(blocked.body.verificationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
    expect(await sentMessages(server.request, "+447911123456")).toHaveLength(1);
    expect(await sentMessages(server.request, de)).toEqual([]);
    // A country already used from this IP still goes out.
    expect((await start("+14155550122")).status).toBe(200);
    expect(await sentMessages(server.request, "+14155550122")).toHaveLength(1);

    await expect.poll(() => logLines(server, "sign-in start blocked silently"), { timeout: 5000 }).toHaveLength(1);
    const [line] = logLines(server, "sign-in start blocked silently");
    expect(line).toMatchObject({ level: 40, reason: "countries_per_ip", country: "DE", maskedTo: "+4•••••••••678" });
    expect(server.stdout()).not.toContain(de);
    const db = new Database(server.env.DATABASE_URL!.slice("file:".length), { readonly: true });
    try {
      await expect.poll(() => db.prepare(`SELECT data FROM audit_events WHERE type = 'auth.start_blocked'`).all(), { timeout: 3000 }).toHaveLength(1);
      const [row] = db.prepare(`SELECT data FROM audit_events WHERE type = 'auth.start_blocked'`).all() as { data: string }[];
      expect(JSON.parse(row!.data)).toEqual({ reason: "countries_per_ip", ip: expect.any(String), country: "DE", to: "+4•••••••••678" });
    } finally {
      db.close();
    }
  });
});
