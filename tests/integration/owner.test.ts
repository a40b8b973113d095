/**
 * The owner-alert unit (/ws/demo/owner-alert, waiting for a decision) and the owner console API against a
 * real server process: owners (OWNER_PHONES) are texted a reference and decide by SMS ("ACCEPT K7Q2",
 * "DENY K7Q2") or over HTTP; replies from other numbers are ignored; parallel requests are kept apart by
 * their reference. Users and the owner sign in over HTTP, so this needs the production build.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { CLOSE } from "../../lib/socket/protocol.ts";
import { REPO_ROOT, startServer, type TestServer } from "../helpers/server.ts";
import { databaseVariants, describeEachDatabase } from "../helpers/services.ts";

const built = fs.existsSync(path.join(REPO_ROOT, ".next/BUILD_ID"));
if (!built && process.env.CI === "true") throw new Error("No production build: `npm test` builds it before the tests run.");

const ORIGIN = "https://app.example.com";
const COOKIE = "next-auth.session-token";
const UNIT_TIMEOUT_MS = 2500;

let counter = 0;
const phone = () => `+1212555${String(2000 + ((process.pid * 17 + 1000 + counter++) % 7000)).padStart(4, "0")}`;
const OWNER = "+12125559001";
const SECOND_OWNER = "+12125559002";

interface Message {
  type: string;
  [key: string]: unknown;
}

/** A `ws` client that queues what it receives. */
class Client {
  readonly messages: Message[] = [];
  private waiters: (() => void)[] = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  /** The HTTP status when the upgrade was refused. */
  readonly refused: Promise<number | null>;
  pings = 0;

  constructor(readonly ws: WebSocket) {
    ws.on("message", (raw) => {
      this.messages.push(JSON.parse(raw.toString()) as Message);
      for (const w of this.waiters.splice(0)) w();
    });
    ws.on("ping", () => this.pings++);
    ws.on("error", () => {});
    this.opened = new Promise((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("unexpected-response", (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    this.opened.catch(() => {});
    this.refused = new Promise((resolve) => {
      ws.once("open", () => resolve(null));
      ws.once("unexpected-response", (_req, res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
        ws.terminate();
      });
      ws.once("error", () => resolve(-1));
    });
    this.closed = new Promise((resolve) => ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  /** The next message of this type (messages of other types before it are kept). */
  async next(type: string, timeoutMs = 5000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.messages.findIndex((m) => m.type === type);
      if (index >= 0) return this.messages.splice(index, 1)[0] as Message;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no "${type}" message within ${timeoutMs} ms; got ${JSON.stringify(this.messages)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  send(value: unknown): void {
    this.ws.send(typeof value === "string" ? value : JSON.stringify(value));
  }
}

const variants = await databaseVariants();

describe.skipIf(!built)("owner alert", () => describeEachDatabase(variants, "owner alert unit and /owner", (database) => {
  let server: TestServer;
  let wsUrl: string;

  const connect = (pathname: string, options: { cookie?: string | null; origin?: string | null } = {}) => {
    const headers: Record<string, string> = {};
    const origin = options.origin === undefined ? ORIGIN : options.origin;
    if (origin !== null) headers.origin = origin;
    if (options.cookie) headers.cookie = `${COOKIE}=${options.cookie}`;
    return new Client(new WebSocket(`${wsUrl}${pathname}`, { headers }));
  };

  const sandbox = async (to: string) => {
    const res = await fetch(`${server.url}/api/sandbox/messages?to=${encodeURIComponent(to)}`);
    return ((await res.json()) as { messages: { body: string; direction?: string }[] }).messages.filter((m) => m.direction !== "inbound");
  };
  /** Waits for a text to `to` matching `pattern`; returns it. */
  const textTo = async (to: string, pattern: RegExp, timeoutMs = 5000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = (await sandbox(to)).find((m) => pattern.test(m.body));
      if (found) return found.body;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no text to ${to} matching ${pattern}: ${JSON.stringify(await sandbox(to))}`);
  };
  const replyFrom = async (from: string, body: string) => {
    const res = await fetch(`${server.url}/api/sandbox/reply`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ from, body }) });
    expect(res.status).toBe(201);
  };

  /** Signs a new user in over HTTP (start → code from the sandbox → next-auth callback); returns the session cookie. */
  type Call = (pathname: string, init?: RequestInit) => Promise<Response>;
  const signIn = async (to = phone()): Promise<{ phone: string; cookie: string; call: Call }> => {
    const jar = new Map<string, string>();
    const call = async (pathname: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      if (jar.size) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
      const res = await fetch(`${server.url}${pathname}`, { ...init, headers, redirect: "manual" });
      for (const line of res.headers.getSetCookie()) {
        const pair = line.split(";")[0] as string;
        const eq = pair.indexOf("=");
        jar.set(pair.slice(0, eq), pair.slice(eq + 1));
      }
      return res;
    };
    const start = await call("/api/auth/sms/start", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ phone: to }) });
    expect(start.status).toBe(200);
    const { verificationId } = (await start.json()) as { verificationId: string };
    const code = /([0-9]{6})$/.exec(await textTo(to, /[0-9]{6}$/))?.[1] ?? "";
    const { csrfToken } = (await (await call("/api/auth/csrf")).json()) as { csrfToken: string };
    const form = new URLSearchParams({ verificationId, code, csrfToken, json: "true", callbackUrl: "/account" });
    await call("/api/auth/callback/sms", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form });
    const cookie = jar.get(COOKIE);
    if (!cookie) throw new Error("sign-in gave no session cookie");
    return { phone: to, cookie, call };
  };

  beforeAll(async () => {
    server = await startServer({
      database,
      env: {
        NODE_ENV: "production",
        SERVE_PAGES: "true",
        SANDBOX_IN_PRODUCTION: "true",
        AUTH_START_LIMIT_PER_NUMBER: "1000",
        AUTH_START_LIMIT_PER_IP: "1000",
        WS_ALLOWED_ORIGINS: ORIGIN,
        WS_DEMO_UNIT_TIMEOUT_MS: String(UNIT_TIMEOUT_MS),
        OWNER_PHONES: `${OWNER},${SECOND_OWNER}`,
      },
    });
    wsUrl = server.url.replace("http://", "ws://");
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  const PATH = "/ws/demo/owner-alert";
  /** Opens the demo socket as a new user; returns the client, the user's number and the request's reference. */
  const request = async () => {
    const user = await signIn();
    const client = connect(PATH, { cookie: user.cookie });
    const pending = await client.next("pending");
    expect(pending).toEqual({ type: "pending", unit: "owner-approval", reference: expect.stringMatching(/^[A-Z2-9]{4}$/) });
    const reference = pending.reference as string;
    return { client, user, reference };
  };
  const alertFor = (reference: string) => new RegExp(`^textgate: \\+1•••[0-9]{3} is connecting to /ws/demo/owner-alert\\. Reply ACCEPT ${reference} or DENY ${reference}\\.$`);
  const settle = () => new Promise((r) => setTimeout(r, 400));

  it("texts every owner and admits on ACCEPT <reference> from an owner", async () => {
    const { client, user, reference } = await request();
    const alert = await textTo(OWNER, alertFor(reference));
    expect(alert).toContain(`+1•••${user.phone.slice(-3)}`);
    await textTo(SECOND_OWNER, alertFor(reference));
    await replyFrom(SECOND_OWNER, ` accept ${reference.toLowerCase()} `);
    expect(await client.next("unit_passed")).toEqual({ type: "unit_passed", unit: "owner-alert" });
    await client.next("admitted");
    client.send({ type: "message", data: "hi" });
    expect(await client.next("message")).toEqual({ type: "message", data: "hi" });
    client.ws.close();
  });

  it("closes with 4001 on DENY <reference>", async () => {
    const { client, reference } = await request();
    await textTo(OWNER, alertFor(reference));
    await replyFrom(OWNER, `DENY ${reference}`);
    expect(await client.closed).toEqual({ code: CLOSE.denied, reason: "denied by owner" });
  });

  it("closes with 4002 when no owner decides in time", async () => {
    const { client } = await request();
    expect(await client.closed).toEqual({ code: CLOSE.timedOut, reason: "timed out" });
  });

  it("ignores replies from numbers that are not owners, and unrelated texts", async () => {
    const { client, user, reference } = await request();
    await textTo(OWNER, alertFor(reference));
    await replyFrom(user.phone, `ACCEPT ${reference}`);
    await replyFrom(phone(), `ACCEPT ${reference}`);
    await replyFrom(OWNER, "who is this?");
    await replyFrom(OWNER, "ACCEPT ZZZZ");
    await settle();
    expect(client.messages).toEqual([]);
    await replyFrom(OWNER, `ACCEPT ${reference}`);
    await client.next("admitted");
    client.ws.close();
  });

  it("decides parallel requests independently by reference; a bare ACCEPT is ignored while several wait", async () => {
    const a = await request();
    const b = await request();
    expect(a.reference).not.toBe(b.reference);
    await textTo(OWNER, alertFor(a.reference));
    await textTo(OWNER, alertFor(b.reference));
    await replyFrom(OWNER, "ACCEPT");
    await settle();
    expect(a.client.messages).toEqual([]);
    expect(b.client.messages).toEqual([]);
    await replyFrom(OWNER, `DENY ${b.reference}`);
    expect(await b.client.closed).toEqual({ code: CLOSE.denied, reason: "denied by owner" });
    expect(a.client.messages).toEqual([]);
    // With exactly one request left, a bare ACCEPT decides it.
    await replyFrom(OWNER, "accept");
    await a.client.next("admitted");
    a.client.ws.close();
  });

  describe("owner console API", () => {
    let owner: Awaited<ReturnType<typeof signIn>> | undefined;
    const signInOwner = async () => (owner ??= await signIn(OWNER));

    it("lists pending requests and open sockets, and admits on an HTTP decision", async () => {
      const { call } = await signInOwner();
      const { client, reference } = await request();
      const list = await call("/api/owner/requests");
      expect(list.status).toBe(200);
      const body = (await list.json()) as { requests: { reference: string; path: string; who: string }[]; sockets: { count: number; list: { path: string; state: string }[] } };
      expect(body.requests).toContainEqual(expect.objectContaining({ reference, path: PATH, who: expect.stringMatching(/^\+1•••[0-9]{3}$/) }));
      expect(body.sockets.count).toBeGreaterThanOrEqual(1);
      expect(body.sockets.list).toContainEqual(expect.objectContaining({ path: PATH, state: "pending" }));
      const decide = (ref: string, decision: string) =>
        call(`/api/owner/requests/${ref}/decision`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ decision }) });
      expect((await decide(reference, "maybe")).status).toBe(400);
      const decided = await decide(reference, "accept");
      expect(decided.status).toBe(200);
      expect(await decided.json()).toEqual({ reference, decision: "accept" });
      await client.next("admitted");
      expect((await decide(reference, "deny")).status).toBe(404);
      client.ws.close();
    });

    it("denies over HTTP with 4001", async () => {
      const { call } = await signInOwner();
      const { client, reference } = await request();
      const res = await call(`/api/owner/requests/${reference}/decision`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ decision: "deny" }) });
      expect(res.status).toBe(200);
      expect(await client.closed).toEqual({ code: CLOSE.denied, reason: "denied by owner" });
    });

    it("refuses signed-out callers with 401 and non-owners with 403", async () => {
      expect((await fetch(`${server.url}/api/owner/requests`)).status).toBe(401);
      const { call } = await signIn();
      expect((await call("/api/owner/requests")).status).toBe(403);
      const res = await call("/api/owner/requests/ABCD/decision", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ decision: "accept" }) });
      expect(res.status).toBe(403);
    });

    it("serves the /owner page", async () => {
      const res = await fetch(`${server.url}/owner`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("Owner console");
    });
  });
}));
