/** The API handler over an in-memory runtime: routing, auth, body limits, parsing, serialisation, error mapping. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_CODE, FAKE_KEY, type FakeApi, startFakeApi } from "../../tests/helpers/fake-runtime.ts";
import { type Client, createClient, type Json, rawRequest } from "../../tests/helpers/http.ts";
import { compatRoutes } from "./compat/index.ts";
import { API_ROUTES } from "./index.ts";
import { NEXT_API_ROUTES } from "./next-api.ts";

let api: FakeApi;
let request: Client;

beforeAll(async () => {
  api = await startFakeApi({ maxBodyBytes: 2048 });
  request = createClient(api.url, FAKE_KEY);
});
afterAll(() => api.close());

async function create(to = "+12125550100"): Promise<Json> {
  const res = await request("POST", "/api/v1/verifications", { json: { to } });
  expect(res.status).toBe(201);
  return res.body;
}

describe("dispatch", () => {
  it("claims only API paths and leaves the rest to Next", async () => {
    const res = await fetch(`${api.url}/sandbox?x=1`);
    expect(await res.text()).toBe("next");
    await fetch(`${api.url}/api/auth/session`);
    expect(api.declined).toEqual(["/sandbox?x=1", "/api/auth/session"]);
  });

  it("answers /healthz with JSON and no-store", async () => {
    const res = await request("GET", "/healthz", { key: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("answers unknown API paths with 404 not_found JSON", async () => {
    for (const path of ["/api/v1/nope", "/api/sandbox/nope", "/api/v1/verifications/"]) {
      const res = await request("GET", path);
      expect(res.status).toBe(404);
      expect(res.body.error?.code).toBe("not_found");
    }
  });

  it("answers a wrong method with 405 and Allow", async () => {
    const res = await request("DELETE", "/api/v1/verifications");
    expect(res.status).toBe(405);
    expect(res.body.error?.code).toBe("method_not_allowed");
    expect(res.headers.get("allow")).toBe("POST");
  });

  it("hides unexpected errors behind 500 internal_error", async () => {
    const res = await request("POST", "/api/v1/verifications", { json: { to: "+18888888888" } });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: "internal_error", message: "Something went wrong on the server." } });
    expect(res.text).not.toContain("hunter2");
  });

  it("passes Retry-After through", async () => {
    const res = await request("POST", "/api/v1/verifications", { json: { to: "+19999999999" } });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("13");
  });
});

describe("authentication", () => {
  it.each([
    ["no header", null, undefined],
    ["wrong key", `tg_0123abcd_${"x".repeat(43)}`, undefined],
    ["not a key", "hello", undefined],
    ["Basic scheme", null, `Basic ${FAKE_KEY}`],
    ["two tokens", null, `Bearer ${FAKE_KEY} ${FAKE_KEY}`],
  ])("refuses %s with 401 and WWW-Authenticate", async (_name, key, header) => {
    const res = await request("GET", "/api/v1/sandbox/messages?to=%2B12125550100", {
      key,
      headers: header ? { authorization: header } : {},
    });
    expect(res.status).toBe(401);
    expect(res.body.error?.code).toBe("unauthorized");
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
  });

  it("accepts any case of the scheme", async () => {
    const res = await request("GET", "/api/v1/sandbox/messages?to=%2B12125550100", { key: null, headers: { authorization: `bEaReR ${FAKE_KEY}` } });
    expect(res.status).toBe(200);
  });

  it("serves openapi.json, the handset routes and /healthz without a key", async () => {
    expect((await request("GET", "/api/v1/openapi.json", { key: null })).status).toBe(200);
    expect((await request("GET", "/api/sandbox/numbers", { key: null })).status).toBe(200);
  });
});

describe("request bodies", () => {
  it("refuses malformed JSON with 400 invalid_json", async () => {
    const res = await request("POST", "/api/v1/verifications", { body: '{"to":', headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe("invalid_json");
  });

  it("refuses bytes that are not UTF-8 with 400 invalid_json", async () => {
    const res = await request("POST", "/api/v1/verifications", {
      body: new Uint8Array([0x7b, 0x22, 0x74, 0x6f, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]),
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe("invalid_json");
  });

  it.each([["text/plain"], ["application/x-www-form-urlencoded"], ["application/jsonx"]])("refuses content-type %s with 415", async (type) => {
    const res = await request("POST", "/api/v1/verifications", { body: '{"to":"+12125550100"}', headers: { "content-type": type } });
    expect(res.status).toBe(415);
    expect(res.body.error?.code).toBe("unsupported_media_type");
  });

  it("refuses a compressed body with 415", async () => {
    const res = await request("POST", "/api/v1/verifications", {
      body: '{"to":"+12125550100"}',
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
    });
    expect(res.status).toBe(415);
  });

  it("accepts application/json with a charset", async () => {
    const res = await request("POST", "/api/v1/verifications", {
      body: '{"to":"+12125550100"}',
      headers: { "content-type": "Application/JSON; charset=utf-8" },
    });
    expect(res.status).toBe(201);
  });

  it("refuses a body without content-type with 415", async () => {
    const res = await rawRequest(api.url, {
      method: "POST",
      path: "/api/v1/verifications",
      headers: { authorization: `Bearer ${FAKE_KEY}`, "content-length": 21 },
      chunks: ['{"to":"+12125550100"}'],
    });
    expect(res.status).toBe(415);
  });

  it("refuses a declared Content-Length over the limit with 413, and the connection still answers", async () => {
    const res = await request("POST", "/api/v1/verifications", { json: { to: "+12125550100", brand: "x".repeat(4000) } });
    expect(res.status).toBe(413);
    expect(res.body.error?.code).toBe("payload_too_large");
    expect((await request("GET", "/healthz")).status).toBe(200);
  });

  it("counts a chunked body and answers 413 once it passes the limit", async () => {
    const chunk = `"${"x".repeat(1000)}",`;
    const res = await rawRequest(api.url, {
      method: "POST",
      path: "/api/v1/verifications",
      headers: { authorization: `Bearer ${FAKE_KEY}`, "content-type": "application/json" },
      chunks: ['{"to":"+12125550100","brand":[', chunk, chunk, chunk, chunk, '""]}'],
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text).error.code).toBe("payload_too_large");
  });

  it("accepts a body of exactly the limit", async () => {
    const body = `{"to":"+12125550100"${" ".repeat(2048 - 21)}}`;
    expect(Buffer.byteLength(body)).toBe(2048);
    const res = await request("POST", "/api/v1/verifications", { body, headers: { "content-type": "application/json" } });
    expect(res.status).toBe(201);
  });

  it("refuses an empty body where the schema needs one, with details", async () => {
    const res = await request("POST", "/api/v1/verifications");
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe("invalid_request");
    expect(res.body.error?.details?.length).toBeGreaterThan(0);
  });
});

describe("verifications", () => {
  it("creates with 201 and passes the key id, idempotency key and surface to the engine", async () => {
    const res = await request("POST", "/api/v1/verifications", { json: { to: "+12125550100", codeLength: 8 }, headers: { "idempotency-key": "k-1" } });
    expect(res.status).toBe(201);
    expect(res.headers.get("idempotent-replayed")).toBeNull();
    const call = api.engine.calls.findLast((c) => c.method === "create");
    expect(call?.args[0]).toEqual({ to: "+12125550100", codeLength: 8, apiKeyId: "key-1", idempotencyKey: "k-1", surface: "native" });

    const replay = await request("POST", "/api/v1/verifications", { json: { to: "+12125550100", codeLength: 8 }, headers: { "idempotency-key": "k-1" } });
    expect(replay.status).toBe(200);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body.id).toBe(res.body.id);
  });

  it("refuses an Idempotency-Key that is too long", async () => {
    const calls = api.engine.calls.length;
    const res = await request("POST", "/api/v1/verifications", { json: { to: "+12125550100" }, headers: { "idempotency-key": "k".repeat(256) } });
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe("invalid_request");
    expect(res.body.error?.details?.[0]?.path).toBe("Idempotency-Key");
    expect(api.engine.calls.length).toBe(calls);
  });

  it("serialises exactly the documented fields, with ISO dates and nothing internal", async () => {
    const created = await create();
    expect(Object.keys(created).sort()).toEqual(
      [
        "id", "to", "purpose", "channel", "workflow", "workflowPreset", "status", "codeLength", "alphanumeric", "locale", "brand",
        "attempts", "attemptsLeft", "maxAttempts", "sends", "validFor", "expiresAt", "createdAt", "updatedAt", "finishedAt",
        "clientRef", "testNumber", "deliveries",
      ].sort(),
    );
    expect(created.expiresAt).toBe("2026-01-01T00:10:00.000Z");
    const [delivery] = created.deliveries as Json[];
    expect(Object.keys(delivery as Json).sort()).toEqual(
      ["id", "stepIndex", "kind", "channel", "carrier", "status", "dueAt", "sentAt", "deliveredAt", "failedAt", "errorCode"].sort(),
    );
    const text = JSON.stringify(created);
    expect(text).not.toContain("secret-carrier-id");
    expect(text).not.toContain("internal detail");
    expect(text).not.toContain("surface");
  });

  it("reads, checks, cancels, approves and resends through the engine", async () => {
    const { id } = await create();
    expect((await request("GET", `/api/v1/verifications/${id}`)).body.id).toBe(id);

    const wrong = await request("POST", `/api/v1/verifications/${id}/check`, { json: { code: "000000" } });
    expect(wrong.status).toBe(200);
    expect(wrong.body).toEqual({ valid: false, status: "pending", attemptsLeft: 4 });
    const right = await request("POST", `/api/v1/verifications/${id}/check`, { json: { code: FAKE_CODE } });
    expect(right.body).toEqual({ valid: true, status: "approved", attemptsLeft: 4 });

    expect((await request("POST", `/api/v1/verifications/${id}/cancel`)).body.status).toBe("canceled");
    expect((await request("POST", `/api/v1/verifications/${id}/approve`, { json: {} })).body.status).toBe("approved");
    const resent = await request("POST", `/api/v1/verifications/${id}/resend`, { json: { channel: "voice" } });
    expect(resent.status).toBe(200);
    expect(api.engine.calls.findLast((c) => c.method === "resend")?.args).toEqual([id, { channel: "voice" }]);
    const resentEmpty = await request("POST", `/api/v1/verifications/${id}/resend`);
    expect(resentEmpty.status).toBe(200);
    expect(api.engine.calls.findLast((c) => c.method === "resend")?.args).toEqual([id, undefined]);
  });

  it("answers malformed ids with 404 verification_not_found without asking the engine", async () => {
    const calls = api.engine.calls.length;
    for (const id of ["nope", "1%27%20OR%201=1", "x".repeat(36)]) {
      const res = await request("GET", `/api/v1/verifications/${id}`);
      expect(res.status).toBe(404);
      expect(res.body.error?.code).toBe("verification_not_found");
    }
    const check = await request("POST", "/api/v1/verifications/nope/check", { json: { code: "123456" } });
    expect(check.status).toBe(404);
    expect(api.engine.calls.length).toBe(calls);
  });

  it.each([[123456], [["123456"]], [null], [{}], [""]])("refuses code %j with 400 and no engine call", async (code) => {
    const { id } = await create();
    const calls = api.engine.calls.length;
    const res = await request("POST", `/api/v1/verifications/${id}/check`, { json: { code } });
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe("invalid_request");
    expect(res.body.error?.details?.[0]?.path).toBe("code");
    expect(api.engine.calls.length).toBe(calls);
  });

  it("refuses a body on cancel with unknown fields", async () => {
    const { id } = await create();
    const res = await request("POST", `/api/v1/verifications/${id}/cancel`, { json: { reason: "x" } });
    expect(res.status).toBe(400);
    expect(res.body.error?.details).toEqual([{ path: "reason", message: "unknown field" }]);
  });
});

describe("sandbox", () => {
  it("normalises `to` and lists outbound messages with a limit", async () => {
    const res = await request("GET", `/api/v1/sandbox/messages?to=${encodeURIComponent("+1 (212) 555-0100")}&limit=5`);
    expect(res.status).toBe(200);
    expect((res.body.messages as Json[])[0]?.body).toBe("Your code is 123456");
    expect(api.sandbox.calls.at(-1)).toEqual({ method: "listMessages", args: ["+12125550100", { limit: 5, includeInbound: false }] });
  });

  it.each([["abc"], ["+1"], ["+１２１２５５５０１００"]])("refuses to=%j with 400 invalid_phone_number", async (to) => {
    const res = await request("GET", `/api/v1/sandbox/messages?to=${encodeURIComponent(to)}`);
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe("invalid_phone_number");
  });

  it.each([["0"], ["101"], ["abc"], ["1.5"]])("refuses limit=%s with 400 invalid_request", async (limit) => {
    const res = await request("GET", `/api/v1/sandbox/messages?to=%2B12125550100&limit=${limit}`);
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe("invalid_request");
  });

  it("serves the handset: numbers, conversation with replies, reply", async () => {
    const numbers = await request("GET", "/api/sandbox/numbers", { key: null });
    expect(numbers.body).toEqual({ numbers: [{ number: "+12125550100", lastMessageAt: "2026-01-01T00:00:00.000Z", messages: 1 }] });
    await request("GET", "/api/sandbox/messages?to=%2B12125550100", { key: null });
    expect(api.sandbox.calls.at(-1)).toEqual({ method: "listMessages", args: ["+12125550100", { limit: 50, includeInbound: true }] });
    const reply = await request("POST", "/api/sandbox/reply", { key: null, json: { from: "+1 212 555 0100", body: "YES" } });
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({ id: "in-1", duplicate: false });
    expect(api.inbound.calls.at(-1)).toEqual({ carrier: "sandbox", from: "+12125550100", to: null, body: "YES" });
  });

  it("refuses a reply from an invalid number or with an empty or too long body", async () => {
    const calls = api.inbound.calls.length;
    expect((await request("POST", "/api/sandbox/reply", { json: { from: "abc", body: "x" } })).body.error?.code).toBe("invalid_phone_number");
    expect((await request("POST", "/api/sandbox/reply", { json: { from: "+12125550100", body: "" } })).body.error?.code).toBe("invalid_request");
    expect((await request("POST", "/api/sandbox/reply", { json: { from: "+12125550100", body: "x".repeat(1601) } })).status).toBe(400);
    expect(api.inbound.calls.length).toBe(calls);
  });

  it("answers 404 sandbox_disabled when the sandbox carrier is off", async () => {
    const off = await startFakeApi({ sandbox: false });
    try {
      const client = createClient(off.url, FAKE_KEY);
      for (const [method, path] of [
        ["GET", "/api/v1/sandbox/messages?to=%2B12125550100"],
        ["GET", "/api/sandbox/numbers"],
        ["GET", "/api/sandbox/messages?to=%2B12125550100"],
        ["POST", "/api/sandbox/reply"],
      ] as const) {
        const res = await client(method, path, method === "POST" ? { json: { from: "+12125550100", body: "x" } } : {});
        expect(res.status, path).toBe(404);
        expect(res.body.error?.code).toBe("sandbox_disabled");
      }
    } finally {
      await off.close();
    }
  });
});

describe("openapi.json", () => {
  it("is OpenAPI 3.1 and documents every route with its method", async () => {
    const res = await request<{ openapi: string; paths: Record<string, Record<string, unknown>> }>("GET", "/api/v1/openapi.json", { key: null });
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    for (const route of API_ROUTES) {
      const path = route.path.replace(/:([a-z]+)/gi, "{$1}");
      expect(res.body.paths[path]?.[route.method.toLowerCase()], `${route.method} ${path}`).toBeDefined();
    }
    const documented = Object.entries(res.body.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    // The vendor-compatible APIs are documented too (their own tags and Basic auth), with their vendors' path parameter names.
    // So are the routes Next serves (next-api.ts), and next-auth's own endpoints the sign-in uses.
    const nextRoutes = NEXT_API_ROUTES.filter((route) => !route.path.endsWith("*")).flatMap((route) => route.methods.map((m) => `${m} ${route.path.replace(/:([a-z]+)/gi, "{$1}")}`));
    for (const route of nextRoutes) expect(documented, route).toContain(route);
    const nextAuth = documented.filter((entry) => / \/api\/auth\//.test(entry) && !nextRoutes.includes(entry));
    expect(nextAuth.sort()).toEqual(["GET /api/auth/csrf", "GET /api/auth/session", "POST /api/auth/callback/sms", "POST /api/auth/signout"]);
    expect(documented.length).toBe(API_ROUTES.length + compatRoutes.length + nextRoutes.length + nextAuth.length);
    for (const route of compatRoutes) {
      const pattern = new RegExp(`^${route.method} ${route.path.replace(/:[A-Za-z]+/g, "\\{[A-Za-z_]+\\}")}$`, "i");
      expect(documented.some((entry) => pattern.test(entry)), `${route.method} ${route.path}`).toBe(true);
    }
  });
});
