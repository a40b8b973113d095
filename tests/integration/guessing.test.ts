/**
 * Issue 10 item 6 over HTTP, against real server processes on SQLite and PostgreSQL: once wrong codes in
 * a row lock a number, a check for it answers 429 with Retry-After on every API surface — native
 * (too_many_failed_attempts), Twilio (60202, through the official client), Vonage ("Rate Limit Hit"),
 * Textmagic and SignalWire — even with the right code, which is not tested; the number is texted once;
 * and the lock survives a restart (it lives in the database, not in a process).
 * @see server/verification/guess-limits.ts
 */
import crypto from "node:crypto";
import twilio from "twilio";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { international, latestCode, sentMessages, uniquePhone } from "../helpers/phones.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { databaseVariants, describeEachDatabase } from "../helpers/services.ts";

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
