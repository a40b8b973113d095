/**
 * The Vonage Verify v2 compatible API (/compat/vonage), driven by the official @vonage/verify2 client
 * (basic auth, apiHost pointed at a real server) on SQLite and PostgreSQL; exact statuses and RFC 7807
 * bodies are asserted with plain fetch.
 */
import { Auth } from "@vonage/auth";
import { Verify2 } from "@vonage/verify2";
import { afterAll, beforeAll, expect, it } from "vitest";
import { latestCode, sentMessages, uniquePhone } from "../helpers/phones.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { databaseVariants, describeEachDatabase } from "../helpers/services.ts";

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
    const { requestId } = await client.newRequest({ brand: "Acme", workflow: [{ channel: "sms", to }], clientRef: "ref-1" } as Parameters<Verify2["newRequest"]>[0]);
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

  it("a second request to a number in flight is 409; too many wrong codes is 410", async () => {
    const to = uniquePhone();
    const first = await raw("POST", "/v2/verify", { brand: "Acme", workflow: [{ channel: "sms", to }], code_length: 6 });
    expect(first.status).toBe(202);
    const id = first.body?.request_id as string;
    const code = await latestCode(server.request, to);
    expect(code).toHaveLength(6);
    const concurrent = await raw("POST", "/v2/verify", { brand: "Acme", workflow: [{ channel: "sms", to }] });
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
      workflow: [{ channel: "sms", to }, { channel: "voice", to }],
      channelTimeout: 60,
      locale: "de-de",
      code: "ab12cd",
    } as Parameters<Verify2["newRequest"]>[0]);
    const native = await server.request("GET", `/api/v1/verifications/${requestId}`);
    expect(native.body).toMatchObject({ workflow: [{ channel: "sms", afterSeconds: 0 }, { channel: "voice", afterSeconds: 60 }], validFor: 120, locale: "de-de" });
    expect((await sentMessages(server.request, to))[0]?.body).toMatch(/^Ihr Acme Bestätigungscode lautet (AB12CD|ab12cd)$/);
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
      { brand: "Acme", workflow: [{ channel: "sms", to }], code_length: 3 },
      { brand: "Acme", workflow: [{ channel: "sms", to }], code_length: 11 },
      { brand: "Acme", workflow: [{ channel: "sms", to }], channel_timeout: 10 },
      { brand: "Acme", workflow: [{ channel: "sms", to }], code: "ab" },
      { brand: "Acme", workflow: [] },
      { workflow: [{ channel: "sms", to }] },
      { brand: "Acme", workflow: [{ channel: "sms", to: "+15550000000" }] },
    ]) {
      const res = await raw("POST", "/v2/verify", bad);
      expect(res.status, JSON.stringify(bad)).toBe(422);
      expect(res.body).toMatchObject({ title: "Invalid params" });
    }
  });

  it("wrong credentials are 401", async () => {
    const res = await raw("POST", "/v2/verify", { brand: "Acme", workflow: [{ channel: "sms", to: uniquePhone() }] }, "wrong");
    expect(res).toMatchObject({ status: 401, type: "application/problem+json", body: { title: "Invalid credentials supplied" } });
    await expect(clientFor(server, "wrong").newRequest({ brand: "Acme", workflow: [{ channel: "sms", to: uniquePhone() }] } as Parameters<Verify2["newRequest"]>[0])).rejects.toThrow();
  });

  it("a request expires after its workflow's timeouts", async () => {
    const to = uniquePhone();
    const res = await raw("POST", "/v2/verify", { brand: "Acme", workflow: [{ channel: "sms", to }], channel_timeout: 15 });
    const code = await latestCode(server.request, to);
    await new Promise((r) => setTimeout(r, 15_500));
    expect(await raw("POST", `/v2/verify/${res.body?.request_id as string}`, { code })).toMatchObject({ status: 404 });
  }, 30_000);
});
