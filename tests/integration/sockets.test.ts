/**
 * SMS-gated WebSocket sessions against a real server process, with real `ws` clients: the upgrade's
 * guards (cookie, Origin, path, caps), the frame rules, each connect unit (pass, wrong answer, timeout,
 * replay of an old answer, answer from another number) and sign-out closing sockets. Users sign in over
 * HTTP the way the pages do, so this needs the production build.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { CLOSE } from "../../lib/socket/protocol.ts";
import { createDb } from "../../server/db/client.ts";
import { resolveDatabaseTarget } from "../../server/db/database-url.ts";
import { REPO_ROOT, startServer, type TestServer } from "../helpers/server.ts";
import { scrape, valueOf } from "../helpers/prometheus.ts";
import { Client, SESSION_COOKIE as COOKIE, socketTools } from "../helpers/sockets.ts";
import { databaseVariants, describeEachDatabase } from "../helpers/services.ts";

const built = fs.existsSync(path.join(REPO_ROOT, ".next/BUILD_ID"));
if (!built && process.env.CI === "true") throw new Error("No production build: `npm test` builds it before the tests run.");

const ORIGIN = "https://app.example.com";
const UNIT_TIMEOUT_MS = 2500;
const METRICS_TOKEN = "sockets-metrics-token-0123456789";

let counter = 0;
const phone = () => `+1212555${String(2000 + ((process.pid * 13 + 4000 + counter++) % 8000)).padStart(4, "0")}`;

const variants = await databaseVariants();

describe.skipIf(!built)("sockets", () => describeEachDatabase(variants, "SMS-gated WebSocket sessions", (database) => {
  let server: TestServer;
  let wsUrl: string;

  const { connect, sandbox, textTo, replyFrom, signIn } = socketTools(() => server, { origin: ORIGIN, phone });

  beforeAll(async () => {
    server = await startServer({
      database,
      env: {
        NODE_ENV: "production",
        SERVE_PAGES: "true",
        SANDBOX_IN_PRODUCTION: "true",
        AUTH_START_LIMIT_PER_NUMBER: "1000",
        AUTH_START_LIMIT_PER_IP: "1000",
        WS_ALLOWED_ORIGINS: `${ORIGIN},https://other.example.com`,
        WS_HEARTBEAT_MS: "500",
        WS_DEMO_UNIT_TIMEOUT_MS: String(UNIT_TIMEOUT_MS),
        WS_MAX_CONNECTIONS_PER_USER: "3",
        WS_MESSAGES_PER_SECOND: "20",
        METRICS_TOKEN,
      },
    });
    wsUrl = server.url.replace("http://", "ws://");
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  describe("upgrade", () => {
    it("refuses no cookie and forged cookies with 401", async () => {
      expect(await connect("/ws/echo").refused).toBe(401);
      expect(await connect("/ws/echo", { cookie: "not-a-jwt" }).refused).toBe(401);
      const forged = await encode({ token: { sid: "01a20111-e0a3-72c7-ab4d-7a8cce67f3f9", sub: "x" }, secret: "a".repeat(43) });
      expect(await connect("/ws/echo", { cookie: forged }).refused).toBe(401);
    });

    it("refuses a wrong, look-alike, null or missing Origin with 403", async () => {
      const { cookie } = await signIn();
      for (const origin of ["https://evil.example.com", "https://app.example.com.evil.com", "http://app.example.com", "null", null]) {
        expect(await connect("/ws/echo", { cookie, origin }).refused, String(origin)).toBe(403);
      }
      const other = connect("/ws/echo", { cookie, origin: "https://other.example.com" });
      expect(await other.refused).toBeNull();
      other.ws.close();
    });

    it("refuses unknown paths with 404", async () => {
      const { cookie } = await signIn();
      expect(await connect("/ws/nope", { cookie }).refused).toBe(404);
      expect(await connect("/api/v1/verifications", { cookie }).refused).toBe(404);
    });

    it("does not leave Next's upgrade paths hanging in production", async () => {
      const client = connect("/_next/webpack-hmr");
      const started = Date.now();
      expect(await client.refused).toBe(-1);
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it("refuses an expired session with 401", async () => {
      const { cookie, phone: to } = await signIn();
      const prisma = createDb(resolveDatabaseTarget(server.env.DATABASE_URL as string));
      try {
        const user = await prisma.user.findUniqueOrThrow({ where: { phone: to } });
        await prisma.authSession.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
      } finally {
        await prisma.$disconnect();
      }
      expect(await connect("/ws/echo", { cookie }).refused).toBe(401);
    });

    it("closes an open socket with 1008 when its session expires", async () => {
      const { cookie, phone: to } = await signIn();
      const client = connect("/ws/echo", { cookie });
      await client.next("admitted");
      const prisma = createDb(resolveDatabaseTarget(server.env.DATABASE_URL as string));
      try {
        const user = await prisma.user.findUniqueOrThrow({ where: { phone: to } });
        await prisma.authSession.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
      } finally {
        await prisma.$disconnect();
      }
      expect(await client.closed).toEqual({ code: CLOSE.policy, reason: "signed out" });
    });

    it("caps sockets per user with 429", async () => {
      const { cookie } = await signIn();
      const open = [connect("/ws/echo", { cookie }), connect("/ws/echo", { cookie }), connect("/ws/echo", { cookie })];
      for (const c of open) await c.next("admitted");
      expect(await connect("/ws/echo", { cookie }).refused).toBe(429);
      open[0]?.ws.close();
      await open[0]?.closed;
      await new Promise((r) => setTimeout(r, 100));
      const again = connect("/ws/echo", { cookie });
      await again.next("admitted");
      for (const c of [...open, again]) c.ws.close();
    });

    /** Writes a raw upgrade request with `extra` header lines; resolves with the HTTP status of the answer. */
    const rawUpgrade = (cookie: string, extra: string): Promise<number> =>
      new Promise((resolve, reject) => {
        const { port } = new URL(server.url);
        const socket = net.connect(Number(port), "127.0.0.1");
        let answer = "";
        socket.on("data", (chunk) => {
          answer += chunk.toString("latin1");
          const status = /^HTTP\/1\.1 (\d{3})/.exec(answer);
          if (status) {
            socket.destroy();
            resolve(Number(status[1]));
          }
        });
        socket.on("error", reject);
        socket.write(
          `GET /ws/echo HTTP/1.1\r\nHost: localhost:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
            `Origin: ${ORIGIN}\r\nCookie: ${COOKIE}=${cookie}\r\nSec-WebSocket-Version: 13\r\n` +
            `Sec-WebSocket-Key: ${crypto.randomBytes(16).toString("base64")}\r\n${extra}\r\n`,
        );
      });

    it("refuses upgrades with more than 2000 headers (431, CVE-2024-37890) or oversized headers, and keeps serving", async () => {
      const { cookie } = await signIn();
      expect(await rawUpgrade(cookie, "")).toBe(101);
      // 2,100 tiny headers stay under Node's 16 KB header size limit, so only their count refuses them.
      expect(await rawUpgrade(cookie, "a:1\r\n".repeat(2100))).toBe(431);
      expect(await rawUpgrade(cookie, `X-Big: ${"b".repeat(20 * 1024)}\r\n`)).toBe(431);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const client = connect("/ws/echo", { cookie });
      await client.next("admitted");
      client.ws.close();
    });
  });

  describe("frames", () => {
    it("admits /ws/echo at once and echoes messages; heartbeats ping", async () => {
      const { cookie } = await signIn();
      const client = connect("/ws/echo", { cookie });
      await client.next("admitted");
      client.send({ type: "message", data: { hello: "world" } });
      expect(await client.next("message")).toEqual({ type: "message", data: { hello: "world" } });
      await new Promise((r) => setTimeout(r, 1200));
      expect(client.pings).toBeGreaterThan(0);
      client.ws.close();
    });

    it("counts open and pending sockets in /metrics, read when scraped", async () => {
      const { cookie } = await signIn();
      const sockets = async () => {
        const samples = await scrape(server.url, METRICS_TOKEN);
        return { open: valueOf(samples, "textgate_sockets", { state: "open" }), pending: valueOf(samples, "textgate_sockets", { state: "pending" }) };
      };
      const admitted = connect("/ws/echo", { cookie });
      await admitted.next("admitted");
      const waiting = connect("/ws/demo/token", { cookie });
      await waiting.next("pending");
      const during = await sockets();
      expect(during.open).toBeGreaterThanOrEqual(2);
      expect(during.pending).toBeGreaterThanOrEqual(1);
      admitted.ws.close();
      waiting.ws.close();
      // Sockets of earlier tests may still be closing, never opening: the counts fall by at least these two.
      const deadline = Date.now() + 5000;
      let after = await sockets();
      while ((after.open > during.open - 2 || after.pending > during.pending - 1) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        after = await sockets();
      }
      expect(after.open).toBeLessThanOrEqual(during.open - 2);
      expect(after.pending).toBeLessThanOrEqual(during.pending - 1);
    });

    it("terminates a peer that stops answering pings", async () => {
      const { cookie } = await signIn();
      const client = new Client(new WebSocket(`${wsUrl}/ws/echo`, { headers: { origin: ORIGIN, cookie: `${COOKIE}=${cookie}` }, autoPong: false }));
      await client.next("admitted");
      const started = Date.now();
      expect((await client.closed).code).toBe(1006);
      expect(Date.now() - started).toBeLessThan(3000);
    });

    it("closes an oversized frame with 1009", async () => {
      const { cookie } = await signIn();
      const client = connect("/ws/echo", { cookie });
      await client.next("admitted");
      client.send({ type: "message", data: "x".repeat(17 * 1024) });
      expect((await client.closed).code).toBe(CLOSE.tooBig);
    });

    it("accepts a message in a few fragments and closes one sent as very many tiny fragments with 1008", async () => {
      const { cookie } = await signIn();
      const client = connect("/ws/echo", { cookie });
      await client.next("admitted");
      const sendInFragments = (text: string, count: number) => {
        const size = Math.ceil(text.length / count);
        for (let i = 0; i < text.length; i += size) client.ws.send(text.slice(i, i + size), { fin: i + size >= text.length });
      };
      sendInFragments(JSON.stringify({ type: "message", data: "a".repeat(40) }), 4);
      expect(await client.next("message")).toEqual({ type: "message", data: "a".repeat(40) });
      sendInFragments(JSON.stringify({ type: "message", data: "b".repeat(2000) }), 2000);
      expect((await client.closed).code).toBe(CLOSE.policy);
      expect(client.messages).toEqual([]);
    });

    it("closes non-JSON and unknown messages with 1008 after an error, binary with 1003", async () => {
      const { cookie } = await signIn();
      const a = connect("/ws/echo", { cookie });
      await a.next("admitted");
      a.send("not json");
      expect(await a.next("error")).toMatchObject({ code: "invalid_frame" });
      expect(await a.closed).toEqual({ code: CLOSE.policy, reason: "invalid frame" });
      const b = connect("/ws/echo", { cookie });
      await b.next("admitted");
      b.send({ type: "shout", data: 1 });
      expect((await b.closed).code).toBe(CLOSE.policy);
      const c = connect("/ws/echo", { cookie });
      await c.next("admitted");
      c.ws.send(Buffer.from([1, 2, 3]));
      expect((await c.closed).code).toBe(CLOSE.unsupported);
    });

    it("closes a text frame that is not UTF-8 with 1007", async () => {
      const { cookie } = await signIn();
      const client = connect("/ws/echo", { cookie });
      await client.next("admitted");
      client.ws.send(Buffer.from([0x22, 0xff, 0xfe, 0x22]), { binary: false });
      expect((await client.closed).code).toBe(CLOSE.invalidData);
    });

    it("closes a socket sending too many messages per second with 4008", async () => {
      const { cookie } = await signIn();
      const client = connect("/ws/echo", { cookie });
      await client.next("admitted");
      for (let i = 0; i < 40; i++) client.send({ type: "message", data: i });
      expect(await client.closed).toEqual({ code: CLOSE.rateLimited, reason: "rate limited" });
    });
  });

  describe("Send Token", () => {
    it("admits with the texted code, refuses messages before, and texts the Confirm notice after", async () => {
      const { cookie, phone: to } = await signIn();
      const client = connect("/ws/demo/token", { cookie });
      expect(await client.next("pending")).toEqual({ type: "pending", unit: "send-token", codeLength: 6, attemptsLeft: 3 });
      client.send({ type: "message", data: "too early" });
      expect(await client.next("error")).toMatchObject({ code: "not_admitted" });
      const code = /([0-9]{6})/.exec(await textTo(to, /code/i))?.[1] as string;
      client.send({ type: "token", code });
      expect(await client.next("unit_passed")).toEqual({ type: "unit_passed", unit: "send-token" });
      await client.next("admitted");
      client.send({ type: "message", data: "hi" });
      expect(await client.next("message")).toEqual({ type: "message", data: "hi" });
      expect(await textTo(to, /^textgate: You've just logged in$/)).toBe("textgate: You've just logged in");
      client.ws.close();
    });

    it("uses attempts for wrong codes and closes with 4003 at the last one; the code does not work twice", async () => {
      const { cookie, phone: to } = await signIn();
      const client = connect("/ws/demo/token", { cookie });
      await client.next("pending");
      const code = /([0-9]{6})/.exec(await textTo(to, /code/i))?.[1] as string;
      const wrong = code === "111111" ? "222222" : "111111";
      client.send({ type: "token", code: "12" });
      expect(await client.next("error")).toMatchObject({ code: "invalid_token" });
      client.send({ type: "token", code: wrong });
      expect(await client.next("token_rejected")).toEqual({ type: "token_rejected", attemptsLeft: 2 });
      client.send({ type: "token", code: wrong });
      expect(await client.next("token_rejected")).toEqual({ type: "token_rejected", attemptsLeft: 1 });
      client.send({ type: "token", code: wrong });
      expect(await client.closed).toEqual({ code: CLOSE.noAttemptsLeft, reason: "no attempts left" });
      expect(client.messages.some((m) => m.type === "admitted")).toBe(false);
    });

    // @see issue 10 item 6: a number locked by wrong codes in a row (any surface) closes Send Token with the wait.
    it("closes with 4008 and the wait when the user's number is locked by wrong codes, without testing the token", async () => {
      const { cookie, phone: to } = await signIn();
      const native = await server.request("POST", "/api/v1/verifications", { json: { to, purpose: "elsewhere", maxAttempts: 10 } });
      const nativeCode = /([0-9]{6})$/.exec(await textTo(to, /verification code is [0-9]{6}\b/))?.[1] as string;
      for (let i = 0; i < 10; i++) {
        await server.request("POST", `/api/v1/verifications/${native.body.id}/check`, { json: { code: nativeCode === "000000" ? "111111" : "000000" } });
      }
      await textTo(to, /wrong codes/);
      const client = connect("/ws/demo/token", { cookie });
      await client.next("pending");
      const code = /([0-9]{6})$/.exec(await textTo(to, /verification code is [0-9]{6}\b/))?.[1] as string;
      client.send({ type: "token", code });
      const closed = await client.closed;
      expect(closed.code).toBe(CLOSE.rateLimited);
      expect(closed.reason).toMatch(/^too many wrong codes; retry in ([1-9]|[12][0-9]|30) s$/);
      expect(client.messages.some((m) => m.type === "admitted")).toBe(false);
    });

    it("gives each pending socket of one user its own code: a second socket neither cancels the first's code nor accepts it", async () => {
      const { cookie, phone: to } = await signIn();
      const newestCode = async () => /([0-9]{6})/.exec(await textTo(to, /code/i))?.[1] as string;
      const a = connect("/ws/demo/token", { cookie });
      await a.next("pending");
      const codeA = await newestCode();
      const b = connect("/ws/demo/token", { cookie });
      await b.next("pending");
      // The code is texted before `pending` is sent, and the sandbox lists the newest text first.
      const codeB = await newestCode();
      expect(codeB).not.toBe(codeA);

      a.send({ type: "token", code: codeB });
      expect(await a.next("token_rejected")).toEqual({ type: "token_rejected", attemptsLeft: 2 });
      b.send({ type: "token", code: codeA });
      expect(await b.next("token_rejected")).toEqual({ type: "token_rejected", attemptsLeft: 2 });
      a.send({ type: "token", code: codeA });
      await a.next("admitted");
      b.send({ type: "token", code: codeB });
      await b.next("admitted");
      a.ws.close();
      b.ws.close();
    });
  });

  describe("Confirm Reply", () => {
    const question = /^textgate: Is that you logging in\? Reply YES to accept\.$/;

    it("admits when the user answers yes from their number", async () => {
      const { cookie, phone: to } = await signIn();
      const client = connect("/ws/demo/confirm-reply", { cookie });
      expect(await client.next("pending")).toEqual({ type: "pending", unit: "confirm-reply" });
      await textTo(to, question);
      await replyFrom(to, " yes ");
      expect(await client.next("unit_passed")).toEqual({ type: "unit_passed", unit: "confirm-reply" });
      await client.next("admitted");
      client.ws.close();
    });

    it("denies with 4001 on NO", async () => {
      const { cookie, phone: to } = await signIn();
      const client = connect("/ws/demo/confirm-reply", { cookie });
      await client.next("pending");
      await textTo(to, question);
      await replyFrom(to, "No");
      expect(await client.closed).toEqual({ code: CLOSE.denied, reason: "denied" });
    });

    it("ignores answers from another number and unrelated texts", async () => {
      const { cookie, phone: to } = await signIn();
      const client = connect("/ws/demo/confirm-reply", { cookie });
      await client.next("pending");
      await textTo(to, question);
      await replyFrom(phone(), "YES");
      await replyFrom(to, "what is this?");
      await new Promise((r) => setTimeout(r, 400));
      expect(client.messages).toEqual([]);
      await replyFrom(to, "YES");
      await client.next("admitted");
      client.ws.close();
    });

    it("does not count a YES sent before the unit started, and times out with 4002", async () => {
      const { cookie, phone: to } = await signIn();
      await replyFrom(to, "YES");
      const started = Date.now();
      const client = connect("/ws/demo/confirm-reply", { cookie });
      await client.next("pending");
      expect(await client.closed).toEqual({ code: CLOSE.timedOut, reason: "timed out" });
      expect(Date.now() - started).toBeGreaterThanOrEqual(UNIT_TIMEOUT_MS - 100);
      expect(client.messages.some((m) => m.type === "admitted")).toBe(false);
    });
  });

  describe("Reply", () => {
    it("admits when the user texts the on-screen code from their number", async () => {
      const { cookie, phone: to } = await signIn();
      const client = connect("/ws/demo/reply", { cookie });
      const pending = await client.next("pending");
      expect(pending).toMatchObject({ type: "pending", unit: "reply", code: expect.stringMatching(/^[0-9]{4}$/) });
      await textTo(to, /^textgate: Hi, what's on the screen\?$/);
      const wrong = pending.code === "0000" ? "1111" : "0000";
      await replyFrom(to, wrong);
      await replyFrom(phone(), pending.code as string);
      await new Promise((r) => setTimeout(r, 300));
      expect(client.messages).toEqual([]);
      await replyFrom(to, ` ${pending.code as string} `);
      await client.next("admitted");
      client.ws.close();
    });
  });

  describe("sign-out", () => {
    it("closes only the signed-out session's sockets with 1008", async () => {
      const first = await signIn();
      const second = await signIn(first.phone);
      const a = connect("/ws/echo", { cookie: first.cookie });
      const b = connect("/ws/echo", { cookie: second.cookie });
      await a.next("admitted");
      await b.next("admitted");
      const { csrfToken } = (await (await first.call("/api/auth/csrf")).json()) as { csrfToken: string };
      await first.call("/api/auth/signout", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrfToken, json: "true" }),
      });
      expect(await a.closed).toEqual({ code: CLOSE.policy, reason: "signed out" });
      b.send({ type: "message", data: "still here" });
      expect(await b.next("message")).toEqual({ type: "message", data: "still here" });
      expect(await connect("/ws/echo", { cookie: first.cookie }).refused).toBe(401);
      b.ws.close();
    });

    it("closes the user's sockets with 1008 after sign out everywhere, and the old cookie gets 401", async () => {
      const { cookie } = await signIn();
      const a = connect("/ws/echo", { cookie });
      const b = connect("/ws/demo/confirm-reply", { cookie });
      await a.next("admitted");
      await b.next("pending");
      const res = await fetch(`${server.url}/api/account/sessions/revoke-all`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie: `${COOKIE}=${cookie}`, origin: new URL(server.url).origin },
        body: "{}",
      });
      expect(res.status).toBe(200);
      const started = Date.now();
      expect(await a.closed).toEqual({ code: CLOSE.policy, reason: "signed out" });
      expect(await b.closed).toEqual({ code: CLOSE.policy, reason: "signed out" });
      expect(Date.now() - started).toBeLessThan(2000);
      expect(await connect("/ws/echo", { cookie }).refused).toBe(401);
    });
  });
}));
