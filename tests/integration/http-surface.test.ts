/**
 * The HTTP surface around the verification routes, over the real server: authentication, unknown
 * paths and methods, /healthz, the OpenAPI document, the sandbox handset endpoints, and the sandbox
 * being off. Database-backed parts run on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_ROUTES } from "../../server/http/index.ts";
import { errorCode, latestCode, uniquePhone } from "../helpers/phones.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { databaseVariants, describeEachDatabase } from "../helpers/services.ts";

const variants = await databaseVariants();

describeEachDatabase(variants, "HTTP surface", (database) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ database });
  });
  afterAll(() => server?.stop());

  describe("API keys", () => {
    const protectedRoutes = [
      ["POST", "/api/v1/verifications"],
      ["GET", "/api/v1/verifications/00000000-0000-4000-8000-000000000000"],
      ["POST", "/api/v1/verifications/00000000-0000-4000-8000-000000000000/check"],
      ["GET", "/api/v1/sandbox/messages?to=%2B12125550100"],
    ] as const;

    it("no key is 401 unauthorized with WWW-Authenticate: Bearer, on every protected route", async () => {
      for (const [method, path] of protectedRoutes) {
        const res = await server.request(method, path, { key: null, json: method === "POST" ? { to: "+12125550100" } : undefined });
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(errorCode(res.body)).toBe("unauthorized");
        expect(res.headers.get("www-authenticate")).toBe("Bearer");
      }
    });

    it("a wrong or malformed key is 401, and nothing is sent", async () => {
      const to = uniquePhone();
      const wrongSecret = `${server.key.slice(0, 12)}${"A".repeat(server.key.length - 12)}`;
      for (const authorization of [`Bearer ${wrongSecret}`, "Bearer tg_nothing", `Basic ${server.key}`, `Bearer ${server.key}x`, server.key, "Bearer"]) {
        const res = await server.request("POST", "/api/v1/verifications", { key: null, headers: { authorization }, json: { to } });
        expect(res.status, authorization).toBe(401);
        expect(errorCode(res.body)).toBe("unauthorized");
      }
      const sent = await server.request<{ messages: unknown[] }>("GET", `/api/v1/sandbox/messages?to=${encodeURIComponent(to)}`);
      expect(sent.body.messages).toEqual([]);
    });

    it("the scheme name is case-insensitive", async () => {
      const res = await server.request("GET", "/api/v1/sandbox/messages?to=%2B12125550100", { key: null, headers: { authorization: `bearer ${server.key}` } });
      expect(res.status).toBe(200);
    });
  });

  describe("routing", () => {
    it("an unknown API path is 404 not_found as JSON", async () => {
      for (const path of ["/api/v1/nope", "/api/v1/verifications/00000000-0000-4000-8000-000000000000/nope", "/api/sandbox/nope"]) {
        const res = await server.request("GET", path);
        expect(res.status, path).toBe(404);
        expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
        expect(errorCode(res.body)).toBe("not_found");
      }
    });

    it("a wrong method is 405 method_not_allowed with Allow", async () => {
      const cases = [
        ["GET", "/api/v1/verifications", "POST"],
        ["DELETE", "/api/v1/verifications/00000000-0000-4000-8000-000000000000", "GET, HEAD"],
        ["GET", "/api/v1/verifications/00000000-0000-4000-8000-000000000000/check", "POST"],
        ["POST", "/healthz", "GET, HEAD"],
      ] as const;
      for (const [method, path, allow] of cases) {
        const res = await server.request(method, path);
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(errorCode(res.body)).toBe("method_not_allowed");
        expect(res.headers.get("allow")).toBe(allow);
      }
    });

    it("/healthz is 200 { ok: true }, uncached JSON", async () => {
      const res = await server.request("GET", "/healthz", { key: null });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ok: true });
      expect(res.headers.get("cache-control")).toBe("no-store");
    });
  });

  describe("openapi.json", () => {
    it("is public, parses, is OpenAPI 3.1.0 and documents every route", async () => {
      const res = await server.request<{
        openapi: string;
        paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
        components: { securitySchemes: Record<string, { type: string; scheme: string }>; schemas: Record<string, unknown> };
      }>("GET", "/api/v1/openapi.json", { key: null });
      expect(res.status).toBe(200);
      expect(res.body.openapi).toBe("3.1.0");
      for (const route of API_ROUTES) {
        const path = route.path.replace(/:([A-Za-z]+)/g, "{$1}");
        const operation = res.body.paths[path]?.[route.method.toLowerCase()];
        expect(operation, `${route.method} ${path}`).toBeDefined();
        expect(Object.keys(operation?.responses ?? {}).length).toBeGreaterThan(0);
      }
      for (const path of [
        "/api/v1/verifications",
        "/api/v1/verifications/{id}",
        "/api/v1/verifications/{id}/check",
        "/api/v1/verifications/{id}/cancel",
        "/api/v1/verifications/{id}/approve",
        "/api/v1/verifications/{id}/resend",
        "/api/v1/sandbox/messages",
        "/api/sandbox/numbers",
        "/api/sandbox/messages",
        "/api/sandbox/reply",
        "/api/v1/openapi.json",
        "/healthz",
      ]) {
        expect(res.body.paths[path], path).toBeDefined();
      }
      expect(res.body.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
      expect(res.body.components.schemas).toHaveProperty("Error");
      expect(res.body.components.schemas).toHaveProperty("CreateVerificationRequest");
    });
  });

  describe("sandbox handset", () => {
    it("lists numbers and a conversation without an API key", async () => {
      const to = uniquePhone();
      const created = await server.request("POST", "/api/v1/verifications", { json: { to } });
      expect(created.status).toBe(201);
      const numbers = await server.request<{ numbers: { number: string; messages: number; lastMessageAt: string }[] }>(
        "GET",
        "/api/sandbox/numbers",
        { key: null },
      );
      expect(numbers.status).toBe(200);
      expect(numbers.body.numbers.find((n) => n.number === to)).toMatchObject({ number: to, messages: 1 });
      const conversation = await server.request<{ messages: { direction: string; body: string }[] }>(
        "GET",
        `/api/sandbox/messages?to=${encodeURIComponent(to)}`,
        { key: null },
      );
      expect(conversation.status).toBe(200);
      expect(conversation.body.messages).toHaveLength(1);
      expect(conversation.body.messages[0]?.body).toContain(await latestCode(server.request, to));
    });

    it("a reply is stored, returned with its id, and shown in the conversation", async () => {
      const from = uniquePhone();
      const res = await server.request<{ id: string; duplicate: boolean }>("POST", "/api/sandbox/reply", {
        key: null,
        json: { from: `+1 ${from.slice(2, 5)} ${from.slice(5, 8)} ${from.slice(8)}`, body: "YES 4821" },
      });
      expect(res.status).toBe(201);
      expect(res.body.id).toEqual(expect.any(String));
      expect(res.body.duplicate).toBe(false);
      const conversation = await server.request<{ messages: { id: string; direction: string; from: string; body: string }[] }>(
        "GET",
        `/api/sandbox/messages?to=${encodeURIComponent(from)}`,
        { key: null },
      );
      expect(conversation.body.messages).toEqual([expect.objectContaining({ id: res.body.id, direction: "inbound", from, body: "YES 4821" })]);
    });

    it("a reply with a bad number, an empty or long body, or a wrong content-type is refused", async () => {
      const bad = [
        [{ from: "abc", body: "x" }, 400, "invalid_phone_number"],
        [{ from: "+12125550100", body: "" }, 400, "invalid_request"],
        [{ from: "+12125550100", body: "x".repeat(1601) }, 400, "invalid_request"],
        [{ from: "+12125550100", body: "x", extra: 1 }, 400, "invalid_request"],
        [{ from: "+12125550100", to: "+1", body: "x" }, 400, "invalid_phone_number"],
      ] as const;
      for (const [json, status, code] of bad) {
        const res = await server.request("POST", "/api/sandbox/reply", { key: null, json });
        expect(res.status, JSON.stringify(json)).toBe(status);
        expect(errorCode(res.body)).toBe(code);
      }
      const form = await server.request("POST", "/api/sandbox/reply", {
        key: null,
        body: "from=%2B12125550100&body=x",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      expect(form.status).toBe(415);
    });
  });
});

describe("sandbox carrier off", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { SMS_CARRIERS: "console", VOICE_CARRIERS: "console" } });
  });
  afterAll(() => server?.stop());

  it("every sandbox route is 404 sandbox_disabled", async () => {
    const routes = [
      ["GET", "/api/v1/sandbox/messages?to=%2B12125550100"],
      ["GET", "/api/sandbox/numbers"],
      ["GET", "/api/sandbox/messages?to=%2B12125550100"],
      ["POST", "/api/sandbox/reply"],
    ] as const;
    for (const [method, path] of routes) {
      const res = await server.request(method, path, method === "POST" ? { json: { from: "+12125550100", body: "x" } } : {});
      expect(res.status, path).toBe(404);
      expect(errorCode(res.body)).toBe("sandbox_disabled");
    }
  });
});
