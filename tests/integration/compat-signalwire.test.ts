/**
 * The SignalWire MFA compatible API (/compat/signalwire), driven with the exact requests of SignalWire's MFA
 * curl examples (as fetch; the numbers made valid), against a real server on SQLite and PostgreSQL.
 */
import crypto from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { latestCode, PREMIUM_RATE_PHONE, sentMessages, uniquePhone } from "../helpers/phones.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { databaseVariants, describeEachDatabase } from "../helpers/services.ts";

const variants = await databaseVariants();
const PROJECT_ID = crypto.randomUUID();

describeEachDatabase(variants, "SignalWire MFA compat", (database) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ database });
  });
  afterAll(() => server?.stop());

  /** curl … -X POST -u 'YourProjectID:YourAuthToken' -H 'Content-Type: application/json' -d '…' */
  async function curl(path: string, body: unknown, token = server.key): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${server.url}/compat/signalwire${path}`, {
      method: "POST",
      headers: { authorization: `Basic ${Buffer.from(`${PROJECT_ID}:${token}`).toString("base64")}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
  const wrong = (code: string) => (code === "0".repeat(code.length) ? "1".repeat(code.length) : "0".repeat(code.length));

  it("sms: to only → the default message, 6 digits; wrong → false; right → true; reuse → 404", async () => {
    const to = uniquePhone();
    const sent = await curl("/api/relay/rest/mfa/sms", { to });
    expect(sent.status).toBe(200);
    expect(sent.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), success: true, to, channel: "sms" });
    const [message] = await sentMessages(server.request, to);
    expect(message?.body).toMatch(/^Your Personal Authorization Code is: ([0-9]{6})\n@[^ ]+ #\1$/);
    const code = await latestCode(server.request, to);

    const native = await server.request("GET", `/api/v1/verifications/${sent.body.id as string}`);
    expect(native.body).toMatchObject({ status: "pending", maxAttempts: 3, validFor: 3600, codeLength: 6, alphanumeric: false });

    expect(await curl(`/api/relay/rest/mfa/${sent.body.id as string}/verify`, { token: wrong(code) })).toEqual({ status: 200, body: { success: false } });
    expect(await curl(`/api/relay/rest/mfa/${sent.body.id as string}/verify`, { token: code })).toEqual({ status: 200, body: { success: true } });
    expect((await curl(`/api/relay/rest/mfa/${sent.body.id as string}/verify`, { token: code })).status).toBe(404);
    expect((await server.request("GET", `/api/v1/verifications/${sent.body.id as string}`)).body).toMatchObject({ status: "approved" });
  });

  it("call: to only → a voice message, channel call", async () => {
    const to = uniquePhone();
    const sent = await curl("/api/relay/rest/mfa/call", { to });
    expect(sent.body).toMatchObject({ success: true, to, channel: "call" });
    expect((await sentMessages(server.request, to))[0]?.channel).toBe("voice");
  });

  it("SignalWire's full example: from, message, allow_alpha, token_length 8, valid_for 7200, max_attempts 4", async () => {
    const to = uniquePhone();
    const sent = await curl("/api/relay/rest/mfa/sms", {
      to,
      from: "+12125550100",
      message: "Here is your code: ",
      allow_alpha: true,
      token_length: 8,
      valid_for: 7200,
      max_attempts: 4,
    });
    expect(sent.status).toBe(200);
    const [message] = await sentMessages(server.request, to);
    expect(message?.from).toBe("+12125550100");
    const match = /^Here is your code: ([A-Z0-9]{8})\n@[^ ]+ #\1$/.exec(message?.body ?? "");
    expect(match, message?.body).not.toBeNull();
    const native = await server.request("GET", `/api/v1/verifications/${sent.body.id as string}`);
    expect(native.body).toMatchObject({ maxAttempts: 4, validFor: 7200, codeLength: 8, alphanumeric: true });
    expect(await curl(`/api/relay/rest/mfa/${sent.body.id as string}/verify`, { token: (match as RegExpExecArray)[1] })).toEqual({ status: 200, body: { success: true } });
  });

  it("404 after max_attempts wrong tokens, for an unknown id, and after valid_for", async () => {
    const to = uniquePhone();
    const sent = await curl("/api/relay/rest/mfa/sms", { to, max_attempts: 2 });
    const code = await latestCode(server.request, to);
    const path = `/api/relay/rest/mfa/${sent.body.id as string}/verify`;
    expect((await curl(path, { token: wrong(code) })).body).toEqual({ success: false });
    expect((await curl(path, { token: wrong(code) })).body).toEqual({ success: false });
    const exhausted = await curl(path, { token: code });
    expect(exhausted.status).toBe(404);
    expect(exhausted.body).toMatchObject({ errors: [{ type: "not_found", code: "not_found" }] });

    expect((await curl(`/api/relay/rest/mfa/${crypto.randomUUID()}/verify`, { token: "123456" })).status).toBe(404);
    expect((await curl(`/api/relay/rest/mfa/not-an-id/verify`, { token: "123456" })).status).toBe(404);

    const to2 = uniquePhone();
    const short = await curl("/api/relay/rest/mfa/sms", { to: to2, valid_for: 1 });
    const code2 = await latestCode(server.request, to2);
    await new Promise((r) => setTimeout(r, 1300));
    expect((await curl(`/api/relay/rest/mfa/${short.body.id as string}/verify`, { token: code2 })).status).toBe(404);
  });

  it("parameter limits: token_length 4–20, max_attempts 1–20, valid_for 0–604800, message one segment / 500", async () => {
    const to = uniquePhone();
    for (const bad of [
      { token_length: 3 },
      { token_length: 21 },
      { max_attempts: 0 },
      { max_attempts: 21 },
      { valid_for: -1 },
      { valid_for: 604_801 },
      { allow_alphas: "yes" },
      { unknown: 1 },
      { message: "x".repeat(160) },
      { message: "ж".repeat(64) },
    ]) {
      const res = await curl("/api/relay/rest/mfa/sms", { to, ...bad });
      expect(res.status, JSON.stringify(bad)).toBe(422);
      expect(res.body).toMatchObject({ errors: [{ type: "validation_error" }] });
    }
    expect((await curl("/api/relay/rest/mfa/sms", {})).status).toBe(422);
    expect((await curl("/api/relay/rest/mfa/sms", { to: "+15557788999" })).body).toMatchObject({ errors: [{ attribute: "to" }] });
    expect((await curl("/api/relay/rest/mfa/call", { to, message: "x".repeat(480) })).status).toBe(200);
    expect((await curl("/api/relay/rest/mfa/call", { to, message: "x".repeat(495) })).status).toBe(422);
    expect((await curl("/api/relay/rest/mfa/sms", { to: uniquePhone(), token_length: 20, valid_for: 604_800, max_attempts: 20 })).status).toBe(200);
    expect((await curl("/api/relay/rest/mfa/sms", { to: uniquePhone(), allow_alphas: true, token_length: 4 })).status).toBe(200);
  });

  it("a premium-rate number is 422 on `to`, and nothing is sent", async () => {
    const res = await curl("/api/relay/rest/mfa/sms", { to: PREMIUM_RATE_PHONE });
    expect(res).toMatchObject({ status: 422, body: { errors: [{ type: "validation_error", attribute: "to", message: expect.stringContaining("premium-rate") }] } });
    expect(await sentMessages(server.request, PREMIUM_RATE_PHONE)).toEqual([]);
  });

  it("wrong credentials → 401", async () => {
    const res = await curl("/api/relay/rest/mfa/sms", { to: uniquePhone() }, "wrong");
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ errors: [{ code: "unauthorized" }] });
    const none = await fetch(`${server.url}/compat/signalwire/api/relay/rest/mfa/sms`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    expect(none.status).toBe(401);
  });
});
