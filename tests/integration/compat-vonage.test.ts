/**
 * The Vonage Verify v2 compatible API (/compat/vonage), driven by the official @vonage/verify2 client
 * (basic auth, apiHost pointed at a real server) on SQLite and PostgreSQL; exact statuses and RFC 7807
 * bodies are asserted with plain fetch. Then the client's default JWT auth, for an application whose public
 * key the server is given (COMPAT_VONAGE_JWT_APPLICATIONS).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Auth } from "@vonage/auth";
import jwt from "jsonwebtoken";
import { Verify2 } from "@vonage/verify2";
import { afterAll, beforeAll, expect, it } from "vitest";
import { international, latestCode, PREMIUM_RATE_PHONE, sentMessages, uniquePhone } from "../helpers/phones.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { databaseVariants, describeEachDatabase, itOnSqliteOnly } from "../helpers/services.ts";

const variants = await databaseVariants();

function clientFor(server: TestServer, secret = server.key): Verify2 {
  const client = new Verify2(new Auth({ apiKey: "abcd1234", apiSecret: secret }), { apiHost: `${server.url}/compat/vonage` });
  // The default is JWT, which needs an application id; basic auth is what textgate supports.
  (client as unknown as { authType: string }).authType = "basic";
  return client;
}

describeEachDatabase(variants, "Vonage Verify v2 compat", (database) => {
  let server: TestServer;
  let client: Verify2;
  beforeAll(async () => {
    server = await startServer({ database });
    client = clientFor(server);
  });
  afterAll(() => server?.stop());

  async function raw(method: string, path: string, body?: unknown, secret = server.key) {
    const res = await fetch(`${server.url}/compat/vonage${path}`, {
      method,
      headers: { authorization: `Basic ${Buffer.from(`abcd1234:${secret}`).toString("base64")}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get("content-type"), body: (text ? JSON.parse(text) : null) as Record<string, unknown> | null };
  }
  const wrong = (code: string) => (code === "0".repeat(code.length) ? "1".repeat(code.length) : "0".repeat(code.length));

  it("newRequest → 202 request_id; wrong code 400; right code completed; reuse 404; the native API sees it", async () => {
    const to = uniquePhone();
    const { requestId } = await client.newRequest({ brand: "Acme", workflow: [{ channel: "sms", to: international(to) }], clientRef: "ref-1" } as Parameters<Verify2["newRequest"]>[0]);
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const code = await latestCode(server.request, to);
    expect(code).toMatch(/^[0-9]{4}$/);
    expect((await server.request("GET", `/api/v1/verifications/${requestId}`)).body).toMatchObject({ status: "pending", clientRef: "ref-1", purpose: "vonage" });

    const bad = await raw("POST", `/v2/verify/${requestId}`, { code: wrong(code) });
    expect(bad).toMatchObject({ status: 400, type: "application/problem+json", body: { title: "Invalid Code", type: "https://developer.vonage.com/api-errors/verify#invalid-code" } });
    expect(await client.checkCode(requestId, code)).toBe("completed");
    const again = await raw("POST", `/v2/verify/${requestId}`, { code });
    expect(again).toMatchObject({ status: 404, type: "application/problem+json", body: { title: "Not Found" } });
    expect((await server.request("GET", `/api/v1/verifications/${requestId}`)).body).toMatchObject({ status: "approved" });
  });

  it("takes workflow[].to in E.164 without + as Vonage documents (447860021131), and with + too", async () => {
    // @see issue 10 item 10: this answered 422 `workflow[0].to: not a valid phone number`.
    const { requestId } = await client.newRequest({ brand: "Acme", workflow: [{ channel: "sms", to: "447860021131" }] } as Parameters<Verify2["newRequest"]>[0]);
    expect((await server.request("GET", `/api/v1/verifications/${requestId}`)).body).toMatchObject({ to: "+447860021131", status: "pending" });
    expect(await latestCode(server.request, "+447860021131")).toMatch(/^[0-9]{4}$/);
    // The same number spelled with + is the same number: one in flight, so 409.
    expect(await raw("POST", "/v2/verify", { brand: "Acme", workflow: [{ channel: "sms", to: "+447860021131" }] })).toMatchObject({ status: 409 });
    expect(await client.cancel(requestId)).toBe(true);
  });

  it("a second request to a number in flight is 409; too many wrong codes is 410", async () => {
    const to = uniquePhone();
    const first = await raw("POST", "/v2/verify", { brand: "Acme", workflow: [{ channel: "sms", to: international(to) }], code_length: 6 });
    expect(first.status).toBe(202);
    const id = first.body?.request_id as string;
    const code = await latestCode(server.request, to);
    expect(code).toHaveLength(6);
    const concurrent = await raw("POST", "/v2/verify", { brand: "Acme", workflow: [{ channel: "sms", to: international(to) }] });
    expect(concurrent).toMatchObject({ status: 409, body: { title: "Conflict" } });
    expect((await raw("POST", `/v2/verify/${id}`, { code: wrong(code) })).status).toBe(400);
    expect((await raw("POST", `/v2/verify/${id}`, { code: wrong(code) })).status).toBe(400);
    expect(await raw("POST", `/v2/verify/${id}`, { code: wrong(code) })).toMatchObject({ status: 410 });
    expect(await raw("POST", `/v2/verify/${id}`, { code })).toMatchObject({ status: 410 });
  });

  it("sms → voice workflow with channel_timeout; next_workflow sends the voice step now; cancel → 204", async () => {
    const to = uniquePhone();
    const { requestId } = await client.newRequest({
      brand: "Acme",
      workflow: [{ channel: "sms", to: international(to) }, { channel: "voice", to: international(to) }],
      channelTimeout: 60,
      locale: "de-de",
      code: "ab12cd",
    } as Parameters<Verify2["newRequest"]>[0]);
    const native = await server.request("GET", `/api/v1/verifications/${requestId}`);
    expect(native.body).toMatchObject({ workflow: [{ channel: "sms", afterSeconds: 0 }, { channel: "voice", afterSeconds: 60 }], validFor: 120, locale: "de-de" });
    expect((await sentMessages(server.request, to))[0]?.body).toMatch(/^Ihr Acme Bestätigungscode lautet (AB12CD|ab12cd)\. Gültig für \d+ (?:Minuten|Stunden)\.\n@[^ ]+ #\1$/);
    expect(await client.nextWorkflow(requestId)).toBe(true);
    const messages = await sentMessages(server.request, to);
    expect(messages.map((m) => m.channel)).toEqual(["voice", "sms"]);
    expect(await raw("POST", `/v2/verify/${requestId}/next_workflow`)).toMatchObject({ status: 409 });
    expect(await client.cancel(requestId)).toBe(true);
    expect(await raw("DELETE", `/v2/verify/${requestId}`)).toMatchObject({ status: 404 });
    expect((await server.request("GET", `/api/v1/verifications/${requestId}`)).body).toMatchObject({ status: "canceled" });
  });

  it("refuses other channels and bad parameters with 422 invalid_parameters", async () => {
    const to = uniquePhone();
    const whatsapp = await raw("POST", "/v2/verify", { brand: "Acme", workflow: [{ channel: "whatsapp", to, from: "+12125550100" }] });
    expect(whatsapp).toMatchObject({
      status: 422,
      type: "application/problem+json",
      body: { title: "Invalid params", invalid_parameters: [{ name: "workflow[0].channel", reason: expect.stringContaining("not supported") }] },
    });
    for (const bad of [
      { brand: "Acme", workflow: [{ channel: "sms", to: international(to) }], code_length: 3 },
      { brand: "Acme", workflow: [{ channel: "sms", to: international(to) }], code_length: 11 },
      { brand: "Acme", workflow: [{ channel: "sms", to: international(to) }], channel_timeout: 10 },
      { brand: "Acme", workflow: [{ channel: "sms", to: international(to) }], code: "ab" },
      { brand: "Acme", workflow: [] },
      { workflow: [{ channel: "sms", to: international(to) }] },
      { brand: "Acme", workflow: [{ channel: "sms", to: "+15550000000" }] },
    ]) {
      const res = await raw("POST", "/v2/verify", bad);
      expect(res.status, JSON.stringify(bad)).toBe(422);
      expect(res.body).toMatchObject({ title: "Invalid params" });
    }
  });

  it("a premium-rate number is 422 on workflow[0].to, and nothing is sent", async () => {
    const res = await raw("POST", "/v2/verify", { brand: "Acme", workflow: [{ channel: "sms", to: PREMIUM_RATE_PHONE }] });
    expect(res).toMatchObject({
      status: 422,
      type: "application/problem+json",
      body: { title: "Invalid params", invalid_parameters: [{ name: "workflow[0].to", reason: expect.stringContaining("premium-rate") }] },
    });
    expect(await sentMessages(server.request, PREMIUM_RATE_PHONE)).toEqual([]);
  });

  it("wrong credentials are 401", async () => {
    const res = await raw("POST", "/v2/verify", { brand: "Acme", workflow: [{ channel: "sms", to: international(uniquePhone()) }] }, "wrong");
    expect(res).toMatchObject({ status: 401, type: "application/problem+json", body: { title: "Invalid credentials supplied" } });
    await expect(clientFor(server, "wrong").newRequest({ brand: "Acme", workflow: [{ channel: "sms", to: international(uniquePhone()) }] } as Parameters<Verify2["newRequest"]>[0])).rejects.toThrow();
  });

  // Vonage's shortest channel_timeout is 15 s of real time; expiry itself is the engine's, tested on both
  // databases in tests/engine/engine.test.ts, so the wait is paid once.
  itOnSqliteOnly(database)("a request expires after its workflow's timeouts", async () => {
    const to = uniquePhone();
    const res = await raw("POST", "/v2/verify", { brand: "Acme", workflow: [{ channel: "sms", to: international(to) }], channel_timeout: 15 });
    const code = await latestCode(server.request, to);
    await new Promise((r) => setTimeout(r, 15_500));
    expect(await raw("POST", `/v2/verify/${res.body?.request_id as string}`, { code })).toMatchObject({ status: 404 });
  }, 30_000);
});

describeEachDatabase(variants, "Vonage Verify v2 compat with application JWTs", (database) => {
  const applicationId = crypto.randomUUID();
  const keys = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  const privateKey = keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const publicKey = keys.publicKey.export({ type: "spki", format: "pem" }).toString();
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "tg-vonage-app-"));
  const publicKeyFile = path.join(folder, "public.pem");
  fs.writeFileSync(publicKeyFile, publicKey);
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ database, env: { COMPAT_VONAGE_JWT_APPLICATIONS: `${applicationId}=${publicKeyFile}` } });
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  const start = (token: string) =>
    fetch(`${server.url}/compat/vonage/v2/verify`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ brand: "Acme", workflow: [{ channel: "sms", to: international(uniquePhone()) }] }),
    });
  const now = () => Math.floor(Date.now() / 1000);

  it("the official client's default JWT auth: start, wrong code, right code, as with Basic", async () => {
    // No authType override: @vonage/auth signs an RS256 JWT per request with the application's private key.
    const client = new Verify2(new Auth({ applicationId, privateKey }), { apiHost: `${server.url}/compat/vonage` });
    const to = uniquePhone();
    const { requestId } = await client.newRequest({ brand: "Acme", workflow: [{ channel: "sms", to: international(to) }] } as Parameters<Verify2["newRequest"]>[0]);
    const code = await latestCode(server.request, to);
    await expect(client.checkCode(requestId, code === "0000" ? "1111" : "0000")).rejects.toThrow();
    expect(await client.checkCode(requestId, code)).toBe("completed");
    expect((await server.request("GET", `/api/v1/verifications/${requestId}`)).body).toMatchObject({ status: "approved", purpose: "vonage" });
  });

  it("refuses with 401 a token of another key, an unknown application, an expired or endless token, and other algorithms", async () => {
    const other = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const claims = { application_id: applicationId, jti: crypto.randomUUID(), iat: now() };
    const refused = {
      "signed by another key": jwt.sign({ ...claims, exp: now() + 900 }, other, { algorithm: "RS256" }),
      "an unknown application": jwt.sign({ ...claims, application_id: crypto.randomUUID(), exp: now() + 900 }, privateKey, { algorithm: "RS256" }),
      expired: jwt.sign({ ...claims, iat: now() - 1000, exp: now() - 120 }, privateKey, { algorithm: "RS256" }),
      "without an expiry": jwt.sign(claims, privateKey, { algorithm: "RS256" }),
      "HS256 keyed with the public key": `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ ...claims, exp: now() + 900 })}`,
      "alg none": `${b64({ alg: "none", typ: "JWT" })}.${b64({ ...claims, exp: now() + 900 })}.`,
      "not a JWT": "abc.def",
    };
    const hs = refused["HS256 keyed with the public key"];
    refused["HS256 keyed with the public key"] = `${hs}.${crypto.createHmac("sha256", publicKey).update(hs).digest("base64url")}`;
    for (const [what, token] of Object.entries(refused)) {
      const res = await start(token);
      expect(res.status, what).toBe(401);
      expect(((await res.json()) as { title: string }).title, what).toBe("Invalid credentials supplied");
    }
    // The same claims, signed properly, are accepted.
    expect((await start(jwt.sign({ ...claims, exp: now() + 900 }, privateKey, { algorithm: "RS256" }))).status).toBe(202);
  });
});

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}
