/**
 * Regressions of issue 10 (items 4 and 9), over the real server: what a seeded fuzz of 300,000 hostile
 * requests turned up. Prototype keys in a Textmagic body, paths that do not decode, next-auth's 500s and
 * text/plain answers, Next's HTML 400/404, slow clients that held sockets open, client aborts logged as
 * errors, and parse errors answered outside the error shape. @see issue 10
 */
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERRORS } from "../../lib/errors.ts";
import { uniquePhone } from "../helpers/phones.ts";
import { REPO_ROOT, startServer, type TestServer } from "../helpers/server.ts";

const built = fs.existsSync(path.join(REPO_ROOT, ".next/BUILD_ID"));
if (!built && process.env.CI === "true") throw new Error("No production build: `npm test` builds it before the tests run.");

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** Any method (fetch refuses TRACE), any path as written (a URL would normalise it). */
function raw(server: TestServer, method: string, pathname: string, headers: http.OutgoingHttpHeaders = {}, body?: string): Promise<Raw> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path: pathname, method, headers: body === undefined ? headers : { ...headers, "content-length": Buffer.byteLength(body) }, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

function expectErrorShape(res: Raw, status: number, code: keyof typeof ERRORS): void {
  expect(res.status, res.text).toBe(status);
  expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
  const body = JSON.parse(res.text) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
}

/** Opens a socket, writes `head` whole, then `trickle` one byte at a time; resolves with what came back when the server closed it. */
function slowClient(server: TestServer, head: string, trickle: string, intervalMs: number): Promise<{ text: string; closedAfterMs: number }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(Number(port), hostname);
    let text = "";
    let i = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (text += chunk));
    socket.on("error", () => {}); // a reset after the answer is a close too
    socket.on("close", () => {
      clearInterval(timer);
      resolve({ text, closedAfterMs: Date.now() - started });
    });
    socket.on("connect", () => {
      socket.write(head);
      timer = setInterval(() => {
        if (i < trickle.length && !socket.destroyed) socket.write(trickle[i++] as string);
      }, intervalMs);
    });
    setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the slow connection open for 20 s; received: ${text}`));
    }, 20_000).unref();
  });
}

describe("hostile input on the API", () => {
  let server: TestServer;
  const basic = () => `Basic ${Buffer.from(`tester:${server.key}`).toString("base64")}`;

  beforeAll(async () => {
    server = await startServer({ env: { HTTP_HEADERS_TIMEOUT_MS: "1000", HTTP_REQUEST_TIMEOUT_MS: "2000", LOG_LEVEL: "debug" } });
  });
  afterAll(() => server?.stop());

  it("Textmagic: prototype names as JSON keys are unknown parameters (400), not a 500", async () => {
    for (const key of ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"]) {
      const res = await raw(server, "POST", "/compat/textmagic/api/v2/verify", { authorization: basic(), "content-type": "application/json" }, `{"phone":"${uniquePhone()}","${key}":1}`);
      expect(res.status, `${key}: ${res.text}`).toBe(400);
      const body = JSON.parse(res.text) as { code: number; message: string; errors: { fields: Record<string, string[]> } };
      expect(body).toMatchObject({ code: 400, message: "Validation Failed" });
      expect(Object.hasOwn(body.errors.fields, key), key).toBe(true);
      expect(body.errors.fields[key]).toEqual(["unknown parameter"]);
    }
  });

  it("Twilio: a JSON object whose toString is a string is read as its JSON text, not a 500", async () => {
    const twilio = `Basic ${Buffer.from(`AC00000000000000000000000000000000:${server.key}`).toString("base64")}`;
    const res = await raw(server, "POST", "/compat/twilio/v2/Services", { authorization: twilio, "content-type": "application/json" }, '{"FriendlyName":{"toString":"x"}}');
    expect(res.status, res.text).toBe(201);
    expect(JSON.parse(res.text)).toMatchObject({ friendly_name: '{"toString":"x"}' });
  });

  it("an unknown compat path or method is answered in that vendor's error body", async () => {
    const twilio = await raw(server, "GET", "/compat/twilio/v2/Nope");
    expect(twilio.status).toBe(404);
    expect(JSON.parse(twilio.text)).toMatchObject({ code: 20404, status: 404 });
    const twilioMethod = await raw(server, "PATCH", "/compat/twilio/v2/Services");
    expect(twilioMethod.status).toBe(405);
    expect(twilioMethod.headers.allow).toBe("POST, GET, HEAD");
    expect(JSON.parse(twilioMethod.text)).toMatchObject({ code: 20004, status: 405 });
    const signalwire = await raw(server, "GET", "/compat/signalwire/api/relay/rest/mfa/sms");
    expect(signalwire.status).toBe(405);
    expect(JSON.parse(signalwire.text)).toMatchObject({ errors: [{ code: "method_not_allowed" }] });
    const textmagic = await raw(server, "TRACE", "/compat/textmagic/api/v2/verify");
    expect(textmagic.status).toBe(405);
    expect(JSON.parse(textmagic.text)).toMatchObject({ code: 405, message: expect.any(String) });
    const vonage = await raw(server, "GET", "/compat/vonage/v2/nope");
    expect(vonage.status).toBe(404);
    expect(vonage.headers["content-type"]).toBe("application/problem+json");
    expect(JSON.parse(vonage.text)).toMatchObject({ title: "Not Found", type: expect.stringContaining("vonage") });
  });

  it("a path that does not decode is 400 invalid_request on every /api/ path", async () => {
    for (const pathname of ["/api/v1/verifications/%zz", "/api/v1/verifications/%E0%A4%A/check", "/api/sandbox/%", "/api/webhooks/%zz/inbound"]) {
      expectErrorShape(await raw(server, pathname.endsWith("check") ? "POST" : "GET", pathname, { authorization: `Bearer ${server.key}` }), 400, "invalid_request");
    }
  });

  it("headers sent at a byte a second: 408 request_timeout and the connection closed within the bound", async () => {
    const { text, closedAfterMs } = await slowClient(server, "", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n", 200);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(text).toContain('"code":"request_timeout"');
    // 1 s headers timeout, checked every 250 ms: generous bounds, never a tight timing.
    expect(closedAfterMs).toBeLessThan(8_000);
  });

  it("a body sent at a byte a second: 408 and closed within the request timeout's bound, nothing stored, no error logged", async () => {
    const to = uniquePhone();
    const body = JSON.stringify({ to });
    const head = `POST /api/v1/verifications HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${server.key}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const { text, closedAfterMs } = await slowClient(server, head, body, 250);
    expect(closedAfterMs).toBeLessThan(10_000);
    expect(text === "" || /^HTTP\/1\.1 408 /.test(text), text).toBe(true);
    const sent = await raw(server, "GET", `/api/v1/sandbox/messages?to=${encodeURIComponent(to)}`, { authorization: `Bearer ${server.key}` });
    expect(JSON.parse(sent.text)).toEqual({ messages: [] });
    expect(server.stdout().split("\n").filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
  });

  it("a kept-alive connection idle longer than the headers timeout still serves its next request", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const { hostname, port } = new URL(server.url);
    const get = () =>
      new Promise<{ status: number; socket: net.Socket }>((resolve, reject) => {
        const req = http.get({ hostname, port, path: "/healthz", agent }, (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode ?? 0, socket: req.socket as net.Socket }));
        });
        req.on("error", reject);
      });
    const first = await get();
    await new Promise((r) => setTimeout(r, 1_800));
    const second = await get();
    agent.destroy();
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.socket).toBe(first.socket);
  });

  it("a client that aborts mid-body is logged at debug, not as an error", async () => {
    const { hostname, port } = new URL(server.url);
    await new Promise<void>((resolve) => {
      const socket = net.connect(Number(port), hostname, () => {
        socket.write(`POST /compat/textmagic/api/v2/verify HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic()}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"phone":`);
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 200);
      });
    });
    await new Promise((r) => setTimeout(r, 300));
    const lines = server.stdout().split("\n");
    expect(lines.filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
    expect(lines.some((line) => /"level":20/.test(line) && line.includes("client went away"))).toBe(true);
  });

  it("requests Node's parser refuses get the error shape too", async () => {
    const { hostname, port } = new URL(server.url);
    const exchange = (data: string) =>
      new Promise<string>((resolve) => {
        const socket = net.connect(Number(port), hostname, () => socket.write(data));
        let text = "";
        socket.setEncoding("utf8");
        socket.on("data", (chunk: string) => (text += chunk));
        socket.on("error", () => {});
        socket.on("close", () => resolve(text));
      });
    const garbage = await exchange("NOT HTTP AT ALL\r\n\r\n");
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    expect(garbage).toContain('"code":"invalid_request"');
    const big = await exchange(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(big).toMatch(/^HTTP\/1\.1 431 /);
    expect(big).toContain('"code":"headers_too_large"');
  });
});

describe.skipIf(!built)("hostile input on the routes Next serves", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { NODE_ENV: "production", SERVE_PAGES: "true", SANDBOX_IN_PRODUCTION: "true" } });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("next-auth: a callbackUrl that is not a URL is 400, not an empty 500", async () => {
    for (const action of ["csrf", "session", "providers"]) {
      expectErrorShape(await raw(server, "GET", `/api/auth/${action}?callbackUrl=abc`), 400, "invalid_request");
    }
  });

  it("next-auth: a callback posted as JSON that is not JSON is 400 invalid_json", async () => {
    expectErrorShape(await raw(server, "POST", "/api/auth/callback/sms", { "content-type": "application/json" }, "verificationId=1&code=2"), 400, "invalid_json");
  });

  it("next-auth: GET on the credentials callback is 405, TRACE is 405, an unknown provider is 404", async () => {
    const get = await raw(server, "GET", "/api/auth/callback/sms");
    expectErrorShape(get, 405, "method_not_allowed");
    expect(get.headers.allow).toBe("POST");
    const trace = await raw(server, "TRACE", "/api/auth/session");
    expectErrorShape(trace, 405, "method_not_allowed");
    expectErrorShape(await raw(server, "POST", "/api/auth/callback/github", { "content-type": "application/x-www-form-urlencoded" }, "a=1"), 404, "not_found");
    expectErrorShape(await raw(server, "POST", "/api/auth/signin/nope", { "content-type": "application/x-www-form-urlencoded" }, "a=1"), 404, "not_found");
  });

  it("a bad percent-encoding, an unknown path and a wrong method under /api/ are JSON, not Next's HTML", async () => {
    expectErrorShape(await raw(server, "POST", "/api/owner/requests/%zz/decision", { "content-type": "application/json" }, '{"decision":"accept"}'), 400, "invalid_request");
    expectErrorShape(await raw(server, "GET", "/api/nope"), 404, "not_found");
    expectErrorShape(await raw(server, "GET", "/api/auth/../../login"), 404, "not_found");
    const wrong = await raw(server, "DELETE", "/api/auth/sms/start");
    expectErrorShape(wrong, 405, "method_not_allowed");
    expect(wrong.headers.allow).toBe("POST");
  });

  it("keeps next-auth's successes and redirects, and a failed sign-in's { url }", async () => {
    const csrf = await fetch(`${server.url}/api/auth/csrf`);
    expect(csrf.status).toBe(200);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const cookie = csrf.headers.getSetCookie().map((line) => line.split(";")[0]).join("; ");
    const signin = await fetch(`${server.url}/api/auth/signin`, { redirect: "manual" });
    expect(signin.status).toBe(302);
    expect(signin.headers.get("location")).toMatch(/\/login\?callbackUrl=/);
    const failed = await fetch(`${server.url}/api/auth/callback/sms`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: new URLSearchParams({ verificationId: "00000000-0000-4000-8000-000000000000", code: "123456", csrfToken, json: "true", callbackUrl: "//evil.example/x" }),
    });
    expect(failed.status).toBe(401);
    const { url } = (await failed.json()) as { url: string };
    expect(new URL(url).searchParams.get("error")).toBe("textgate:expired_or_used");
  });

  it("nothing of this reached stderr", () => {
    expect(server.stderr()).not.toMatch(/⨯|Error|Unhandled/);
  });
});
