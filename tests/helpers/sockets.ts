/**
 * Real `ws` clients and the HTTP steps socket tests need: signing a user in the way the pages do
 * (start → code from the sandbox → next-auth callback), reading texts from the sandbox handset and
 * replying as a phone. Shared by the socket, owner and several-node tests.
 */
import { expect } from "vitest";
import WebSocket from "ws";
import type { TestServer } from "./server.ts";

export const SESSION_COOKIE = "next-auth.session-token";
const COOKIE = SESSION_COOKIE;

export interface Message {
  type: string;
  [key: string]: unknown;
}

/** A `ws` client that queues what it receives. */
export class Client {
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

export interface SocketToolsOptions {
  /** The Origin sent by default (must be on the server's WS_ALLOWED_ORIGINS). */
  origin: string;
  /** A fresh, valid phone number per call. */
  phone: () => string;
}

/** Helpers bound to a server that may be started later (hence the getter). */
export function socketTools(getServer: () => TestServer, { origin: ORIGIN, phone }: SocketToolsOptions) {
  const serverUrl = () => getServer().url;
  const connect = (pathname: string, options: { cookie?: string | null; origin?: string | null } = {}) => {
    const headers: Record<string, string> = {};
    const origin = options.origin === undefined ? ORIGIN : options.origin;
    if (origin !== null) headers.origin = origin;
    if (options.cookie) headers.cookie = `${COOKIE}=${options.cookie}`;
    return new Client(new WebSocket(`${serverUrl().replace("http://", "ws://")}${pathname}`, { headers }));
  };

  const sandbox = async (to: string) => {
    // An API key: in production the sandbox answers only keys and owners (server/sandbox-access.ts).
    const res = await fetch(`${serverUrl()}/api/sandbox/messages?to=${encodeURIComponent(to)}`, { headers: { authorization: `Bearer ${getServer().key}` } });
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
    const res = await fetch(`${serverUrl()}/api/sandbox/reply`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${getServer().key}` },
      body: JSON.stringify({ from, body }),
    });
    expect(res.status).toBe(201);
  };

  /**
   * Signs a new user in over HTTP (start → code from the sandbox, or `knownCode` such as a test number's →
   * next-auth callback); returns the session cookie.
   */
  type Call = (pathname: string, init?: RequestInit) => Promise<Response>;
  const signIn = async (to = phone(), knownCode?: string): Promise<{ phone: string; cookie: string; call: Call }> => {
    const jar = new Map<string, string>();
    const call = async (pathname: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      if (jar.size) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
      // As a browser does on every POST from the server's own pages (the CSRF guard checks it).
      if (init.method && init.method !== "GET" && !headers.has("origin")) headers.set("origin", new URL(serverUrl()).origin);
      const res = await fetch(`${serverUrl()}${pathname}`, { ...init, headers, redirect: "manual" });
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
    const code = knownCode ?? /([0-9]{6})$/.exec(await textTo(to, /[0-9]{6}$/))?.[1] ?? "";
    const { csrfToken } = (await (await call("/api/auth/csrf")).json()) as { csrfToken: string };
    const form = new URLSearchParams({ verificationId, code, csrfToken, json: "true", callbackUrl: "/account" });
    await call("/api/auth/callback/sms", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form });
    const cookie = jar.get(COOKIE);
    if (!cookie) throw new Error("sign-in gave no session cookie");
    return { phone: to, cookie, call };
  };

  return { connect, sandbox, textTo, replyFrom, signIn };
}
