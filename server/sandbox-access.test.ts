/** Who may use the sandbox; over HTTP with a real server: tests/integration/web-security.test.ts. @see issue 10 */
import type { IncomingMessage } from "node:http";
import { encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import type { ValidSession } from "./auth/sessions.ts";
import { createSandboxAccess, isSandboxPage } from "./sandbox-access.ts";

const SECRET = "sandbox-access-test-secret-0123456789abcdef";
const COOKIE = "next-auth.session-token";
const KEY = `tg_0123abcd_${"k".repeat(43)}`;
const OWNER = "+12125559011";

const sessions = new Map<string, ValidSession>([
  ["owner-session", { sessionId: "owner-session", createdAt: new Date(), user: { id: "u1", name: null, phone: OWNER } }],
  ["user-session", { sessionId: "user-session", createdAt: new Date(), user: { id: "u2", name: null, phone: "+12125550100" } }],
  ["no-phone-session", { sessionId: "no-phone-session", createdAt: new Date(), user: { id: "u3", name: null, phone: null } }],
]);

const access = (production: boolean) =>
  createSandboxAccess({
    production,
    owners: [OWNER],
    cookieName: COOKIE,
    secret: SECRET,
    sessions: { validate: async (id) => (id ? (sessions.get(id) ?? null) : null) },
    authenticate: async (key) => (key === KEY ? { id: "key-1", name: "tests" } : null),
  });

const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const cookieFor = async (sid: string, secret = SECRET) => `${COOKIE}=${await encode({ token: { sid }, secret })}`;
const outcome = async (production: boolean, headers: Record<string, string>) => {
  try {
    return (await access(production)(request(headers))).via;
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe("createSandboxAccess", () => {
  it("is open outside production", async () => {
    expect(await outcome(false, {})).toBe("development");
  });

  it("in production: an owner's valid session or a valid API key; otherwise 401, or 403 for a signed-in non-owner", async () => {
    expect(await outcome(true, {})).toBe("unauthorized");
    expect(await outcome(true, { authorization: `Bearer ${KEY}` })).toBe("api_key");
    expect(await outcome(true, { authorization: "Bearer tg_00000000_nope" })).toBe("unauthorized");
    expect(await outcome(true, { authorization: `Basic ${KEY}` })).toBe("unauthorized");
    expect(await outcome(true, { cookie: await cookieFor("owner-session") })).toBe("owner");
    expect(await outcome(true, { cookie: await cookieFor("user-session") })).toBe("forbidden");
    expect(await outcome(true, { cookie: await cookieFor("no-phone-session") })).toBe("forbidden");
    // A revoked or unknown session row, a cookie signed with another secret, a cookie that is no JWT.
    expect(await outcome(true, { cookie: await cookieFor("revoked-session") })).toBe("unauthorized");
    expect(await outcome(true, { cookie: await cookieFor("owner-session", `${SECRET}-other`) })).toBe("unauthorized");
    expect(await outcome(true, { cookie: `${COOKIE}=not-a-jwt` })).toBe("unauthorized");
    // A wrong key is not rescued by an owner's cookie beside it.
    expect(await outcome(true, { authorization: "Bearer wrong", cookie: await cookieFor("owner-session") })).toBe("unauthorized");
  });
});

describe("isSandboxPage", () => {
  it("matches the handset page in every spelling Next might serve, and nothing else", () => {
    for (const path of ["/sandbox", "/sandbox/", "/sandbox.txt", "/sandbox/x", "//sandbox", "/%73andbox", "/Sandbox"]) expect(isSandboxPage(path), path).toBe(true);
    for (const path of ["/", "/sandboxes", "/api/sandbox/numbers", "/docs/sandbox", "/login"]) expect(isSandboxPage(path), path).toBe(false);
  });
});
