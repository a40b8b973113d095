/**
 * Issue 10 item 6 over HTTP, against real server processes on SQLite and PostgreSQL: once wrong codes in
 * a row lock a number, a check for it answers 429 with Retry-After on every API surface — native
 * (too_many_failed_attempts), Twilio (60202, through the official client), Vonage ("Rate Limit Hit"),
 * Textmagic and SignalWire — even with the right code, which is not tested; the number is texted once;
 * and the lock survives a restart (it lives in the database, not in a process). Two nodes on one
 * PostgreSQL database count concurrent wrong codes exactly once and share the lock, without Redis.
 * @see server/verification/guess-limits.ts
 */
import crypto from "node:crypto";
import twilio from "twilio";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { international, latestCode, sentMessages, uniquePhone } from "../helpers/phones.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import {
  createPostgresDatabase,
  databaseVariants,
  describeEachDatabase,
  postgresAvailable,
  requireService,
  type TestPostgresDatabase,
} from "../helpers/services.ts";

const variants = await databaseVariants();
const ACCOUNT_SID = `AC${crypto.randomBytes(16).toString("hex")}`;

describeEachDatabase(variants, "wrong codes in a row lock a number on every surface", (database) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ database, env: { GUESS_LOCK_AFTER_FAILURES: "2", SEND_LIMIT_PER_NUMBER: "50" } });
  });
  afterAll(() => server?.stop());

  const basic = (user: string) => `Basic ${Buffer.from(`${user}:${server.key}`).toString("base64")}`;
  async function call(method: string, path: string, body: unknown, headers: Record<string, string>) {
    const res = await fetch(`${server.url}${path}`, { method, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, retryAfter: res.headers.get("retry-after"), body: (text ? JSON.parse(text) : null) as Record<string, unknown> | null };
  }
  const notices = async (to: string) => (await sentMessages(server.request, to)).filter((m) => /wrong codes/.test(m.body));

  it("answers 429 with Retry-After everywhere, tests no code, texts the number once, and survives a restart", async () => {
    const to = uniquePhone();
    const created = await server.request("POST", "/api/v1/verifications", { json: { to } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const code = await latestCode(server.request, to);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 2; i++) expect((await server.request("POST", `/api/v1/verifications/${id}/check`, { json: { code: wrong } })).body).toMatchObject({ valid: false });
    await vi.waitFor(async () => expect(await notices(to)).toHaveLength(1));

    // Native: even the right code is refused, and uses no attempt.
    const native = await call("POST", `/api/v1/verifications/${id}/check`, { code }, { authorization: `Bearer ${server.key}` });
    expect(native).toMatchObject({ status: 429, body: { error: { code: "too_many_failed_attempts" } } });
    expect(Number(native.retryAfter)).toBeGreaterThan(0);
    expect(Number(native.retryAfter)).toBeLessThanOrEqual(30);
    expect((await server.request("GET", `/api/v1/verifications/${id}`)).body).toMatchObject({ status: "pending", attempts: 2 });

    // Textmagic: a new request to the number, checked with its right code.
    const tm = { "x-tm-username": "tester", "x-tm-key": server.key };
    const tmSent = await call("POST", "/compat/textmagic/api/v2/verify", { phone: international(to), brand: "Acme", codeLength: 6, workflowId: 6 }, tm);
    expect(tmSent.status).toBe(201);
    const tmCheck = await call("PUT", "/compat/textmagic/api/v2/verify", { code: await latestCode(server.request, to), verifyId: tmSent.body?.verifyId }, tm);
    expect(tmCheck).toMatchObject({ status: 429, body: { code: 429 } });
    expect(Number(tmCheck.retryAfter)).toBeGreaterThan(0);

    // Vonage Verify v2.
    const vonage = { authorization: basic("abcd1234") };
    const vStart = await call("POST", "/compat/vonage/v2/verify", { brand: "Acme", workflow: [{ channel: "sms", to: international(to) }], code_length: 6 }, vonage);
    expect(vStart.status).toBe(202);
    const vCheck = await call("POST", `/compat/vonage/v2/verify/${vStart.body?.request_id}`, { code: await latestCode(server.request, to) }, vonage);
    expect(vCheck).toMatchObject({ status: 429, body: { title: "Rate Limit Hit" } });
    expect(Number(vCheck.retryAfter)).toBeGreaterThan(0);

    // SignalWire MFA.
    const signalwire = { authorization: basic("project-id") };
    const sw = await call("POST", "/compat/signalwire/api/relay/rest/mfa/sms", { to }, signalwire);
    expect(sw.status).toBe(200);
    const swCheck = await call("POST", `/compat/signalwire/api/relay/rest/mfa/${sw.body?.id}/verify`, { token: await latestCode(server.request, to) }, signalwire);
    expect(swCheck.status).toBe(429);
    expect(Number(swCheck.retryAfter)).toBeGreaterThan(0);

    // Twilio Verify, through the official client: 60202 "Max check attempts reached".
    const client = twilio(ACCOUNT_SID, server.key);
    client.verify.baseUrl = `${server.url}/compat/twilio`;
    const service = await client.verify.v2.services.create({ friendlyName: "Acme" });
    await client.verify.v2.services(service.sid).verifications.create({ to, channel: "sms" });
    const twilioCheck = await client.verify.v2
      .services(service.sid)
      .verificationChecks.create({ to, code: await latestCode(server.request, to) })
      .then(() => null, (e: { status: number; code: number }) => ({ status: e.status, code: e.code }));
    expect(twilioCheck).toEqual({ status: 429, code: 60202 });

    // The lock is in the database: a restarted process still refuses, and the number got one text.
    await server.kill();
    await server.restart();
    const afterRestart = await call("POST", `/api/v1/verifications/${id}/check`, { code }, { authorization: `Bearer ${server.key}` });
    expect(afterRestart).toMatchObject({ status: 429, body: { error: { code: "too_many_failed_attempts" } } });
    expect(await notices(to)).toHaveLength(1);
  });
});

const hasPostgres = await requireService("PostgreSQL", postgresAvailable());

describe.skipIf(!hasPostgres)("two nodes on one PostgreSQL database, no Redis", () => {
  let a: TestServer;
  let b: TestServer;
  let db: TestPostgresDatabase;
  beforeAll(async () => {
    db = await createPostgresDatabase({ empty: true });
    const env = { TEXTGATE_SECRET: crypto.randomBytes(32).toString("base64url"), GUESS_LOCK_AFTER_FAILURES: "40", SEND_LIMIT_PER_NUMBER: "50" };
    // One after the other: node A applies the migrations.
    a = await startServer({ database: "postgresql", databaseUrl: db.url, env });
    b = await startServer({ database: "postgresql", databaseUrl: db.url, env });
  });
  afterAll(async () => {
    await Promise.allSettled([a?.stop(), b?.stop()]);
    await db?.drop();
  });

  it("counts concurrent wrong codes on both nodes exactly once; the lock the 40th sets holds on both", async () => {
    const to = uniquePhone();
    const create = async (node: TestServer, purpose: string) => {
      const res = await node.request("POST", "/api/v1/verifications", { json: { to, purpose, maxAttempts: 10 } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return { id: res.body.id as string, code: await latestCode(node.request, to) };
    };
    const vs = [await create(a, "p1"), await create(b, "p2"), await create(a, "p3"), await create(b, "p4")];
    const wrong = (code: string) => (code === "000000" ? "111111" : "000000");
    const check = (node: TestServer, v: { id: string; code: string }, code = wrong(v.code)) =>
      node.request("POST", `/api/v1/verifications/${v.id}/check`, { json: { code } });
    // 39 at once, alternating nodes: none may see a lock (the 40th failure sets it).
    const answers = await Promise.all(Array.from({ length: 39 }, (_, i) => check(i % 2 ? b : a, vs[i % 4] as { id: string; code: string })));
    expect(answers.map((r) => r.status)).toEqual(Array(39).fill(200));
    expect(answers.every((r) => r.body.valid === false)).toBe(true);
    expect((await check(b, vs[3] as { id: string; code: string })).body).toMatchObject({ valid: false });
    const fresh = await create(b, "p5");
    for (const node of [a, b]) {
      const locked = await check(node, fresh, fresh.code);
      expect(locked.status).toBe(429);
      expect(locked.body).toMatchObject({ error: { code: "too_many_failed_attempts" } });
    }
  });
});
