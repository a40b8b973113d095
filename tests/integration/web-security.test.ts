/**
 * issue 10, items 3, 7 and 8, against a production server with pages (needs the production build):
 * - the sandbox in production (SANDBOX_IN_PRODUCTION=true) answers only a signed-in owner or an API key:
 *   anonymous 401, a signed-in non-owner 403, on its API and on the /sandbox page; an anonymous reply
 *   "from" an owner's number admits nothing (server/sandbox-access.ts);
 * - the CSRF guard of /api/account and /api/owner: a foreign Origin or a non-JSON body changes nothing
 *   (server/http/same-origin.ts);
 * - page security headers: a nonce CSP whose nonce is on Next's scripts, frame-ancestors 'none' and
 *   X-Frame-Options DENY except on /embed, which EMBED_ALLOWED_ORIGINS may frame (server/http/security-headers.ts).
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLOSE } from "../../lib/socket/protocol.ts";
import { decideOverHttp, type OwnerListing } from "../helpers/owner.ts";
import { REPO_ROOT, startServer, type TestServer } from "../helpers/server.ts";
import { SESSION_COOKIE, socketTools } from "../helpers/sockets.ts";

const built = fs.existsSync(path.join(REPO_ROOT, ".next/BUILD_ID"));
if (!built && process.env.CI === "true") throw new Error("No production build: `npm test` builds it before the tests run.");

/** @see issue 10 */
const OWNER = "+12125559011";
const SOCKET_ORIGIN = "https://app.example.com";
const EMBEDDER = "https://shop.example.test";
const FOREIGN = "https://evil.example.net";
const UNIT_TIMEOUT_MS = 4000;

let counter = 0;
const phone = () => `+1212555${String(2000 + ((process.pid * 13 + 3000 + counter++) % 7000)).padStart(4, "0")}`;

describe.skipIf(!built)("web security in production", () => {
  let server: TestServer;
  const { connect, textTo, replyFrom, signIn } = socketTools(() => server, { origin: SOCKET_ORIGIN, phone });
  const anonymous = (pathname: string, init: RequestInit = {}) => fetch(`${server.url}${pathname}`, { ...init, redirect: "manual" });
  const withKey = (pathname: string, init: RequestInit = {}) =>
    fetch(`${server.url}${pathname}`, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${server.key}` } });
  const inboundFrom = async (from: string) => {
    const res = await withKey(`/api/sandbox/messages?to=${encodeURIComponent(from)}`);
    return ((await res.json()) as { messages: { direction: string; body: string }[] }).messages.filter((m) => m.direction === "inbound");
  };
  const sessionUser = async (call: (p: string) => Promise<Response>) => ((await (await call("/api/auth/session")).json()) as { user?: { phone: string; name: string | null } }).user;

  beforeAll(async () => {
    server = await startServer({
      env: {
        NODE_ENV: "production",
        SERVE_PAGES: "true",
        SANDBOX_IN_PRODUCTION: "true",
        OWNER_PHONES: OWNER,
        EMBED_ALLOWED_ORIGINS: EMBEDDER,
        WS_ALLOWED_ORIGINS: SOCKET_ORIGIN,
        WS_DEMO_UNIT_TIMEOUT_MS: String(UNIT_TIMEOUT_MS),
        AUTH_START_LIMIT_PER_NUMBER: "1000",
        AUTH_START_LIMIT_PER_IP: "1000",
      },
    });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  describe("the sandbox (item 3)", () => {
    it("refuses anonymous clients with 401 and the one error shape, on every sandbox route and the page", async () => {
      const to = phone();
      for (const [method, pathname] of [
        ["GET", "/api/sandbox/numbers"],
        ["GET", `/api/sandbox/messages?to=${encodeURIComponent(to)}`],
        ["GET", `/api/v1/sandbox/messages?to=${encodeURIComponent(to)}`],
      ] as const) {
        const res = await anonymous(pathname, { method });
        expect(res.status, pathname).toBe(401);
        expect(await res.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
      }
      const reply = await anonymous("/api/sandbox/reply", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ from: to, body: "hi" }) });
      expect(reply.status).toBe(401);
      expect(((await reply.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
      expect(await inboundFrom(to)).toEqual([]);

      const page = await anonymous(`/sandbox?to=${encodeURIComponent(to)}`);
      expect(page.status).toBe(401);
      const html = await page.text();
      expect(html).toContain("/login?callbackUrl=%2Fsandbox");
      expect(html).not.toContain("<key>");
      expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      // Other spellings of the page's path are gated too.
      expect((await anonymous("/sandbox/")).status).toBe(401);
      expect((await anonymous("/%73andbox")).status).toBe(401);
    });

    it("refuses a wrong API key with 401", async () => {
      const res = await anonymous("/api/sandbox/numbers", { headers: { authorization: `Bearer tg_00000000_${"A".repeat(43)}` } });
      expect(res.status).toBe(401);
    });

    it("answers an API key on its API and its page", async () => {
      expect((await withKey("/api/sandbox/numbers")).status).toBe(200);
      const to = phone();
      const reply = await withKey("/api/sandbox/reply", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ from: to, body: "from a test" }) });
      expect(reply.status).toBe(201);
      expect((await inboundFrom(to)).map((m) => m.body)).toEqual(["from a test"]);
    });

    it("refuses a signed-in user who is not an owner with 403, and serves an owner", async () => {
      const user = await signIn();
      const forbidden = await user.call("/api/sandbox/numbers");
      expect(forbidden.status).toBe(403);
      expect(((await forbidden.json()) as { error: { code: string } }).error.code).toBe("forbidden");
      expect((await user.call("/sandbox")).status).toBe(403);

      const owner = await signIn(OWNER);
      expect((await owner.call("/api/sandbox/numbers")).status).toBe(200);
      const messages = await owner.call(`/api/sandbox/messages?to=${encodeURIComponent(user.phone)}`);
      expect(messages.status).toBe(200);
      expect(((await messages.json()) as { messages: { body: string }[] }).messages.some((m) => /code is [0-9]{6}\b/.test(m.body))).toBe(true);
      const page = await owner.call("/sandbox");
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<title>[^<]*Sandbox/);
      const reply = await owner.call("/api/sandbox/reply", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ from: user.phone, body: "owner says hi" }) });
      expect(reply.status).toBe(201);
    });

    it("refuses an owner's cookie sent from another origin to the reply route (CSRF)", async () => {
      const owner = await signIn(OWNER);
      const to = phone();
      const res = await owner.call("/api/sandbox/reply", {
        method: "POST",
        headers: { "content-type": "application/json", origin: FOREIGN },
        body: JSON.stringify({ from: to, body: "forged" }),
      });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("cross_site_request");
      expect(await inboundFrom(to)).toEqual([]);
    });

    it("stops serving an owner whose session was signed out", async () => {
      const owner = await signIn(OWNER);
      const revoked = await owner.call("/api/account/sessions/revoke-all", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      expect(revoked.status).toBe(200);
      // The same cookie, whose session row is now revoked.
      const res = await fetch(`${server.url}/api/sandbox/numbers`, { headers: { cookie: `${SESSION_COOKIE}=${owner.cookie}` } });
      expect(res.status).toBe(401);
    });

    it("an anonymous reply from an owner's number does not admit an owner-gated socket; the owner's own reply does", async () => {
      const user = await signIn();
      const client = connect("/ws/demo/owner-alert", { cookie: user.cookie });
      const pending = await client.next("pending");
      const reference = pending.reference as string;
      expect(reference).toMatch(/^[A-Z2-9]{4}$/);
      await textTo(OWNER, new RegExp(`ACCEPT ${reference}`));

      const forged = await anonymous("/api/sandbox/reply", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ from: OWNER, body: `ACCEPT ${reference}` }),
      });
      expect(forged.status).toBe(401);
      await new Promise((r) => setTimeout(r, 500));
      expect(client.messages).toEqual([]);
      expect(await inboundFrom(OWNER)).toEqual([]);

      // The request is still waiting: the owner (through the API key, as a test harness) decides it.
      await replyFrom(OWNER, `ACCEPT ${reference}`);
      await client.next("admitted");
      client.ws.close();
    });
  });

  describe("the CSRF guard of /api/account and /api/owner (item 8)", () => {
    it("refuses a foreign Origin with text/plain (403) and changes nothing", async () => {
      const user = await signIn();
      const res = await user.call("/api/account/sessions/revoke-all", { method: "POST", headers: { "content-type": "text/plain", origin: FOREIGN }, body: "x" });
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: { code: "cross_site_request", message: expect.any(String) } });
      expect((await sessionUser(user.call))?.phone).toBe(user.phone);
    });

    it("refuses Origin null, a foreign Origin with JSON, and a request with neither Origin nor Sec-Fetch-Site", async () => {
      const user = await signIn();
      const cookie = { cookie: `${SESSION_COOKIE}=${user.cookie}`, "content-type": "application/json" };
      for (const headers of [{ ...cookie, origin: "null" }, { ...cookie, origin: FOREIGN }, { ...cookie, origin: `${server.url}.evil.example` }, cookie, { ...cookie, "sec-fetch-site": "same-site" }]) {
        const res = await fetch(`${server.url}/api/account/sessions/revoke-all`, { method: "POST", headers, body: "{}" });
        expect(res.status, JSON.stringify(headers)).toBe(403);
      }
      expect((await sessionUser(user.call))?.phone).toBe(user.phone);
    });

    it("refuses a same-origin request whose body is not JSON with 415", async () => {
      const user = await signIn();
      for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonp"]) {
        const res = await user.call("/api/account/sessions/revoke-all", { method: "POST", headers: { "content-type": type }, body: "x" });
        expect(res.status, type).toBe(415);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unsupported_media_type");
      }
      expect((await sessionUser(user.call))?.phone).toBe(user.phone);
    });

    it("sends no code for a cross-site number change", async () => {
      const user = await signIn();
      const next = phone();
      const res = await user.call("/api/account/phone/start", { method: "POST", headers: { "content-type": "text/plain", origin: FOREIGN }, body: JSON.stringify({ phone: next }) });
      expect(res.status).toBe(403);
      const confirm = await user.call("/api/account/phone/confirm", { method: "POST", headers: { "content-type": "application/json", origin: FOREIGN }, body: JSON.stringify({ verificationId: "x", code: "123456" }) });
      expect(confirm.status).toBe(403);
      await new Promise((r) => setTimeout(r, 300));
      const sent = await withKey(`/api/sandbox/messages?to=${encodeURIComponent(next)}`);
      expect(((await sent.json()) as { messages: unknown[] }).messages).toEqual([]);
    });

    it("renames the account with same-origin JSON only (POST /api/account/profile)", async () => {
      const user = await signIn();
      const rename = (body: string, headers: Record<string, string> = {}) =>
        user.call("/api/account/profile", { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
      expect((await rename(JSON.stringify({ name: "Mallory" }), { "content-type": "text/plain", origin: FOREIGN })).status).toBe(403);
      expect((await rename(JSON.stringify({ name: "x".repeat(61) }))).status).toBe(400);
      expect((await rename(JSON.stringify({ name: "Eve", role: "owner" }))).status).toBe(400);
      expect((await rename("{", {})).status).toBe(400);
      const saved = await rename(JSON.stringify({ name: "  Ada   Lovelace " }));
      expect(saved.status).toBe(200);
      expect(await saved.json()).toEqual({ name: "Ada Lovelace" });
      expect((await sessionUser(user.call))?.name).toBe("Ada Lovelace");
      const cleared = await rename(JSON.stringify({ name: "" }));
      expect(await cleared.json()).toEqual({ name: null });
      const anonymous = await fetch(`${server.url}/api/account/profile`, { method: "POST", headers: { "content-type": "application/json", origin: new URL(server.url).origin }, body: "{\"name\":\"x\"}" });
      expect(anonymous.status).toBe(401);
    });

    it("refuses an owner's decision from another origin; the request stays pending", async () => {
      const user = await signIn();
      const client = connect("/ws/demo/owner-alert", { cookie: user.cookie });
      const reference = (await client.next("pending")).reference as string;
      const owner = await signIn(OWNER);
      const forged = await owner.call(`/api/owner/requests/${reference}/decision`, {
        method: "POST",
        headers: { "content-type": "text/plain", origin: FOREIGN },
        body: JSON.stringify({ decision: "accept" }),
      });
      expect(forged.status).toBe(403);
      const listing = (await (await owner.call("/api/owner/requests")).json()) as OwnerListing;
      expect(listing.requests.map((r) => r.reference)).toContain(reference);
      expect(client.messages).toEqual([]);
      expect((await decideOverHttp(owner.call, reference, "deny")).status).toBe(200);
      expect(await client.closed).toEqual({ code: CLOSE.denied, reason: "denied by owner" });
    });

    it("accepts same-origin JSON, and Sec-Fetch-Site: same-origin without Origin", async () => {
      const user = await signIn();
      const viaFetchMetadata = await fetch(`${server.url}/api/account/sessions/revoke-all`, {
        method: "POST",
        headers: { cookie: `${SESSION_COOKIE}=${user.cookie}`, "content-type": "application/json", "sec-fetch-site": "same-origin" },
        body: "{}",
      });
      expect(viaFetchMetadata.status).toBe(200);
      expect(await viaFetchMetadata.json()).toEqual({ revoked: 1 });
      expect(await sessionUser(user.call)).toBeUndefined();

      const other = await signIn();
      const res = await other.call("/api/account/sessions/revoke-all", { method: "POST", headers: { "content-type": "application/json; charset=utf-8" }, body: "{}" });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ revoked: 1 });
    });
  });

  describe("page security headers (item 7)", () => {
    const nonceOf = (csp: string | null) => /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp ?? "")?.[1];

    it.each(["/", "/login", "/owner", "/signup", "/account", "/demo", "/docs/api"])("%s: a nonce CSP on every script, not frameable", async (pathname) => {
      const res = await anonymous(pathname);
      expect(res.status).toBe(200);
      const csp = res.headers.get("content-security-policy");
      expect(csp).toMatch(/default-src 'self'/);
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}'(;|$)/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain("unsafe-eval");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(res.headers.get("strict-transport-security")).toBeNull();
      const nonce = nonceOf(csp);
      const html = await res.text();
      // Every executable script carries this response's nonce or loads from this origin ('self').
      for (const tag of html.match(/<script\b[^>]*>/g) ?? []) {
        if (/type="application\/(json|ld\+json)"/.test(tag)) continue;
        const src = /\bsrc="([^"]+)"/.exec(tag)?.[1];
        if (src) expect(src.startsWith("/"), tag).toBe(true);
        else expect(tag, tag).toContain(`nonce="${nonce}"`);
      }
    });

    it("gives every response its own nonce", async () => {
      const a = nonceOf((await anonymous("/")).headers.get("content-security-policy"));
      const b = nonceOf((await anonymous("/")).headers.get("content-security-policy"));
      expect(a).toBeTruthy();
      expect(a).not.toBe(b);
    });

    it("ignores a nonce the client sends in its own Content-Security-Policy header", async () => {
      const res = await anonymous("/", { headers: { "content-security-policy": "script-src 'nonce-AAAAAAAAAAAAAAAAAAAAAA=='" } });
      const nonce = nonceOf(res.headers.get("content-security-policy"));
      expect(nonce).not.toBe("AAAAAAAAAAAAAAAAAAAAAA==");
      expect(await res.text()).not.toContain('nonce="AAAAAAAAAAAAAAAAAAAAAA=="');
    });

    it("/embed may be framed by this origin and EMBED_ALLOWED_ORIGINS only", async () => {
      const res = await anonymous("/embed");
      expect(res.status).toBe(200);
      expect(res.headers.get("content-security-policy")).toContain(`frame-ancestors 'self' ${EMBEDDER}`);
      expect(res.headers.get("x-frame-options")).toBeNull();
    });
  });
});
