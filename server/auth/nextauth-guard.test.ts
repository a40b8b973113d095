import { describe, expect, it, vi } from "vitest";
import { ERRORS } from "../../lib/errors.ts";
import { guardNextAuth } from "./nextauth-guard.ts";
import { sameOriginRedirect } from "./options.ts";

const BASE = "http://127.0.0.1:3000";

function setup(answer: () => Promise<Response> | Response = () => Response.json({ ok: true })) {
  const handler = vi.fn(async (_request: Request, _context: unknown) => answer());
  const logger = { error: vi.fn(), debug: vi.fn() };
  const guarded = guardNextAuth(handler, { providerIds: () => ["sms"], logger: () => logger as never });
  return { handler, logger, call: (path: string, init?: RequestInit) => guarded(new Request(`${BASE}${path}`, init), {}) };
}

async function expectError(response: Response, status: number, code: keyof typeof ERRORS) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message).toEqual(expect.any(String));
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(ERRORS[code].status).toBe(status);
}

// @see issue 10, item 4
describe("guardNextAuth", () => {
  it("refuses unknown actions and providers with 404, wrong methods with 405, before next-auth runs", async () => {
    const { call, handler } = setup();
    await expectError(await call("/api/auth/nope"), 404, "not_found");
    await expectError(await call("/api/auth/callback/github", { method: "POST", body: "a=1", headers: { "content-type": "application/x-www-form-urlencoded" } }), 404, "not_found");
    await expectError(await call("/api/auth/signin/other", { method: "POST" }), 404, "not_found");
    await expectError(await call("/api/auth/session/extra"), 404, "not_found");
    const get = await call("/api/auth/callback/sms");
    await expectError(get, 405, "method_not_allowed");
    expect(get.headers.get("allow")).toBe("POST");
    await expectError(await call("/api/auth/csrf", { method: "POST" }), 405, "method_not_allowed");
    expect(handler).not.toHaveBeenCalled();
  });

  it("refuses a body sent as JSON that is not JSON, and one over the size limit", async () => {
    const { call, handler } = setup();
    for (const body of ["{", "not json", ""]) {
      await expectError(await call("/api/auth/callback/sms", { method: "POST", body, headers: { "content-type": "application/json" } }), 400, "invalid_json");
    }
    await expectError(await call("/api/auth/callback/sms", { method: "POST", body: `a=${"x".repeat(20_000)}`, headers: { "content-type": "application/x-www-form-urlencoded" } }), 413, "payload_too_large");
    // A streamed body has no Content-Length to refuse first: it is counted as it comes.
    const chunk = new TextEncoder().encode("x".repeat(4096));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({ pull: (controller) => (sent++ < 100 ? controller.enqueue(chunk) : controller.close()) });
    await expectError(await call("/api/auth/callback/sms", { method: "POST", body: stream, headers: { "content-type": "application/x-www-form-urlencoded" }, duplex: "half" } as RequestInit), 413, "payload_too_large");
    expect(sent).toBeLessThan(100);
    expect(handler).not.toHaveBeenCalled();
  });

  it("refuses an error name a Location header cannot carry", async () => {
    const { call } = setup();
    await expectError(await call("/api/auth/error?error=a%0Ab"), 400, "invalid_request");
    await expectError(await call("/api/auth/error/%E4%B8%AD"), 400, "invalid_request");
    // next-auth reads the last of several (seed 42 of the fuzz test).
    await expectError(await call("/api/auth/error?error=pending&error=%00"), 400, "invalid_request");
    await expectError(await call("/api/auth/error?error=x&error=%E2%80%AE%2B1212"), 400, "invalid_request");
  });

  it("passes good requests, successes, redirects and { url } failures through unchanged", async () => {
    const redirect = setup(() => new Response(null, { status: 302, headers: { location: "/login?error=x" } }));
    const res = await redirect.call("/api/auth/signin");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/login?error=x");
    const failed = setup(() => Response.json({ url: `${BASE}/api/auth/error?error=textgate%3Aexpired_or_used` }, { status: 401 }));
    const answer = await failed.call("/api/auth/callback/sms", { method: "POST", body: "json=true", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(answer.status).toBe(401);
    expect(await answer.json()).toEqual({ url: `${BASE}/api/auth/error?error=textgate%3Aexpired_or_used` });
    const ok = setup();
    expect(await (await ok.call("/api/auth/session")).json()).toEqual({ ok: true });
    expect(ok.handler).toHaveBeenCalledOnce();
  });

  it("answers next-auth's text/plain and empty failures in the error shape, and a throw as a logged 500", async () => {
    await expectError(await setup(() => new Response("Error: This action with HTTP POST is not supported by NextAuth.js", { status: 400 })).call("/api/auth/session", { method: "POST" }), 400, "invalid_request");
    await expectError(await setup(() => Response.json({}, { status: 400 })).call("/api/auth/session", { method: "POST" }), 400, "invalid_request");
    const thrown = setup(() => {
      throw new TypeError("Invalid URL");
    });
    await expectError(await thrown.call("/api/auth/csrf"), 500, "internal_error");
    expect(thrown.logger.error).toHaveBeenCalledOnce();
    const aborted = setup(() => {
      throw Object.assign(new Error("aborted"), { code: "ECONNRESET" });
    });
    await aborted.call("/api/auth/session");
    expect(aborted.logger.error).not.toHaveBeenCalled();
    expect(aborted.logger.debug).toHaveBeenCalledOnce();
  });
});

describe("sameOriginRedirect (next-auth's redirect callback)", () => {
  it("keeps paths and same-origin URLs, sends everything else home, and never throws", () => {
    expect(sameOriginRedirect("/account", BASE)).toBe(`${BASE}/account`);
    expect(sameOriginRedirect(`${BASE}/owner?x=1`, BASE)).toBe(`${BASE}/owner?x=1`);
    for (const url of ["abc", "", "https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "http://127.0.0.1:3001/", "%zz", "http://[::1", 5, null, {}, ["/account"]]) {
      expect(sameOriginRedirect(url, BASE), String(url)).toBe(BASE);
    }
  });
});

describe("next-auth's client log", () => {
  it("is logged as a warning with its code only and never reaches next-auth", async () => {
    const { call, handler } = setup();
    const logger = { warn: vi.fn(), error: vi.fn(), debug: vi.fn() };
    const guarded = guardNextAuth(handler, { providerIds: () => ["sms"], logger: () => logger as never });
    const res = await guarded(new Request(`${BASE}/api/auth/_log`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "code=CLIENT_FETCH_ERROR&level=error&message=%2B447860812345" }), {});
    expect(res.status).toBe(200);
    expect(logger.warn).toHaveBeenCalledWith({ nextAuthCode: "CLIENT_FETCH_ERROR" }, "next-auth client log");
    expect(logger.error).not.toHaveBeenCalled();
    expect(handler).not.toHaveBeenCalled();
    await expectError(await call("/api/auth/_log"), 405, "method_not_allowed");
  });
});

describe("callback URLs next-auth would answer with a 500", () => {
  it("refuses a callbackUrl in the query that is neither a path nor an http(s) URL, with 400", async () => {
    const { call, handler } = setup();
    for (const value of ["abc", "javascript:alert(1)", "%zz", "mailto:x@y"]) {
      await expectError(await call(`/api/auth/csrf?callbackUrl=${encodeURIComponent(value)}`), 400, "invalid_request");
      await expectError(await call(`/api/auth/session?callbackUrl=${encodeURIComponent(value)}`), 400, "invalid_request");
      await expectError(await call(`/api/auth/providers?callbackUrl=${encodeURIComponent(value)}`), 400, "invalid_request");
    }
    expect(handler).not.toHaveBeenCalled();
    await call("/api/auth/csrf?callbackUrl=%2Faccount");
    await call(`/api/auth/csrf?callbackUrl=${encodeURIComponent("https://evil.example/")}`);
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it("refuses a callback URL cookie next-auth cannot use with 400 and clears it", async () => {
    const { call, handler } = setup();
    const res = await call("/api/auth/session", { headers: { cookie: "a=1; next-auth.callback-url=abc" } });
    await expectError(res, 400, "invalid_request");
    expect(res.headers.get("set-cookie")).toMatch(/^next-auth\.callback-url=; Path=\/; Max-Age=0/);
    const secure = await call("/api/auth/csrf", { headers: { cookie: "__Secure-next-auth.callback-url=javascript%3Ax" } });
    expect(secure.headers.get("set-cookie")).toContain("Secure");
    // A cookie that does not decode is dropped by Next's cookie parser; a good one goes on.
    await call("/api/auth/session", { headers: { cookie: "next-auth.callback-url=%zz" } });
    await call("/api/auth/session", { headers: { cookie: `next-auth.callback-url=${encodeURIComponent(`${BASE}/account`)}` } });
    expect(handler).toHaveBeenCalledTimes(2);
  });
});
