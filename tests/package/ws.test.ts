/**
 * `textgate/ws` in remote mode, from the packed package (as a host installs it), against a real textgate
 * server: a plain node:http server with the gate, sockets signed in with a next-auth JWT cookie the way
 * a host's next-auth sets it. Send Token's code is read from the sandbox, Confirm Reply's YES and the
 * owners' ACCEPT or DENY are texted from sandbox handsets; the units wait on the event stream.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createTextgateClient, type TextgateClient } from "../../lib/client/index.ts";
import { packInto } from "../../scripts/package/pack-into.ts";
import { Client } from "../helpers/sockets.ts";
import { uniquePhone } from "../helpers/phones.ts";
import { REPO_ROOT, startServer, type TestServer } from "../helpers/server.ts";

type Kit = typeof import("../../server/kit/ws.ts");

const SECRET = "host-nextauth-secret-for-the-ws-kit-test-0123456789";
/** The textgate server's owners (OWNER_PHONES). */
const OWNERS = ["+12125559911", "+12125559912"];
const ORIGIN = "https://host.example.com";

let scratch: string;
let server: TestServer;
let client: TextgateClient;
let host: http.Server;
let gate: ReturnType<Kit["createSocketGate"]>;
let wsBase: string;
/** What the gate logged: nothing, when every socket went as planned. */
const logged: string[] = [];

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "textgate-ws-"));
  const { installed } = packInto(scratch);
  for (const dep of fs.readdirSync(path.join(REPO_ROOT, "node_modules"))) {
    if (dep === "textgate" || dep.startsWith(".")) continue;
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules", dep), path.join(scratch, "node_modules", dep));
  }
  const kit = (await import(pathToFileURL(path.join(installed, "dist/ws.js")).href)) as Kit;
  server = await startServer({ env: { OWNER_PHONES: OWNERS.join(",") } });
  client = createTextgateClient({ baseUrl: server.url, apiKey: server.key });
  const echo = (socket: { send(data: unknown): void }, data: unknown) => socket.send(data);
  host = http.createServer((_req, res) => res.writeHead(404).end());
  gate = kit
    .createSocketGate({
      textgate: { baseUrl: server.url, apiKey: server.key },
      secret: SECRET,
      allowedOrigins: [ORIGIN],
      endpoints: [
        kit.defineSession({ path: "/ws/chat", connect: [kit.sendToken({ timeoutMs: 15_000 }), kit.confirmReply({ timeoutMs: 15_000 })], onMessage: echo }),
        kit.defineSession({ path: "/ws/token", connect: [kit.sendToken({ maxAttempts: 1, timeoutMs: 15_000 })], onMessage: echo }),
        kit.defineSession({ path: "/ws/open", connect: [], onMessage: echo }),
        kit.defineSession({ path: "/ws/owner", connect: [kit.ownerAlert({ waitForDecision: true, timeoutMs: 15_000 })], onMessage: echo }),
        kit.defineSession({ path: "/ws/owner-told", connect: [kit.ownerAlert()], onMessage: echo }),
      ],
      heartbeatMs: 250,
      logger: { warn: (_details, message) => logged.push(message), error: (_details, message) => logged.push(message) },
    })
    .attach(host);
  await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
  wsBase = `ws://127.0.0.1:${(host.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  await gate?.close();
  await new Promise((resolve) => (host ? host.close(resolve) : resolve(null)));
  await server?.stop();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

/** A host's next-auth session cookie for a user signed in by phone (SmsProvider's default user id is the number). */
async function cookieFor(phone: string, maxAge?: number): Promise<string> {
  return `next-auth.session-token=${await encode({ token: { sub: phone, name: "Ada" }, secret: SECRET, maxAge })}`;
}

function open(pathname: string, headers: Record<string, string>): Client {
  return new Client(new WebSocket(`${wsBase}${pathname}`, { headers: { origin: ORIGIN, ...headers } }));
}

/** Waits until the sandbox handset of `phone` has received `count` texts; returns the newest. */
async function textNumber(phone: string, count: number): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const messages = await client.sandbox.messages(phone);
    if (messages.length >= count) return messages[0]!.body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${phone} did not get text ${count}`);
}

describe("textgate/ws (remote mode, packed)", () => {
  it("admits after Send Token and Confirm Reply, ignores a YES from another number, then echoes", async () => {
    const phone = uniquePhone();
    const socket = open("/ws/chat", { cookie: await cookieFor(phone) });
    expect(await socket.next("pending")).toMatchObject({ unit: "send-token", codeLength: 6, attemptsLeft: 3 });
    const code = /\b(\d{6})\b/.exec(await textNumber(phone, 1))?.[1];
    socket.send({ type: "token", code });
    expect(await socket.next("unit_passed")).toEqual({ type: "unit_passed", unit: "send-token" });
    expect(await socket.next("pending")).toEqual({ type: "pending", unit: "confirm-reply" });
    expect(await textNumber(phone, 2)).toMatch(/Reply YES to accept/);

    await client.sandbox.reply({ from: uniquePhone(), body: "YES" });
    await new Promise((r) => setTimeout(r, 400));
    expect(socket.messages.find((m) => m.type === "admitted")).toBeUndefined();

    await client.sandbox.reply({ from: phone, body: "yes" });
    expect(await socket.next("unit_passed")).toEqual({ type: "unit_passed", unit: "confirm-reply" });
    await socket.next("admitted");
    socket.send({ type: "message", data: { hello: "host" } });
    expect(await socket.next("message")).toEqual({ type: "message", data: { hello: "host" } });
    socket.ws.close();
    expect(logged).toEqual([]);
  });

  it("closes with 4003 after a wrong token uses the last attempt", async () => {
    const phone = uniquePhone();
    const socket = open("/ws/token", { cookie: await cookieFor(phone) });
    await socket.next("pending");
    const code = /\b(\d{6})\b/.exec(await textNumber(phone, 1))?.[1];
    socket.send({ type: "token", code: code === "000000" ? "111111" : "000000" });
    expect(await socket.closed).toEqual({ code: 4003, reason: "no attempts left" });
  });

  it("refuses a signed-out socket with 401, a forged cookie with 401 and another Origin with 403, before the handshake", async () => {
    expect(await open("/ws/chat", {}).refused).toBe(401);
    const forged = `next-auth.session-token=${await encode({ token: { sub: uniquePhone() }, secret: "another-secret-another-secret-another" })}`;
    expect(await open("/ws/chat", { cookie: forged }).refused).toBe(401);
    expect(await open("/ws/chat", { cookie: await cookieFor(uniquePhone()), origin: "https://evil.example.com" }).refused).toBe(403);
    expect(await open("/ws/nowhere", { cookie: await cookieFor(uniquePhone()) }).refused).toBe(404);
  });

  it("closes a socket with 1008 once its next-auth session expires, and refuses an expired cookie with 401", async () => {
    const socket = open("/ws/open", { cookie: await cookieFor(uniquePhone(), 1) });
    await socket.next("admitted");
    expect(await socket.closed).toEqual({ code: 1008, reason: "signed out" });
    expect(await open("/ws/open", { cookie: await cookieFor(uniquePhone(), -1) }).refused).toBe(401);
  });

  it("runs Owner alert over REST: the owners are texted, ACCEPT admits, DENY closes 4001, a closed socket withdraws its request", async () => {
    const before = (await client.sandbox.messages(OWNERS[1]!)).length;
    const accepted = open("/ws/owner", { cookie: await cookieFor(uniquePhone()) });
    const { reference } = (await accepted.next("pending")) as unknown as { reference: string };
    expect(reference).toMatch(/^[A-Z2-9]{4}$/);
    // Every owner gets the alert, with who (the token's name and masked number), where, and the reference.
    const alert = await textNumber(OWNERS[1]!, before + 1);
    expect(alert).toContain("Ada (+1");
    expect(alert).toContain("/ws/owner");
    expect(alert).toContain(reference);
    await client.sandbox.reply({ from: OWNERS[0]!, body: `ACCEPT ${reference}` });
    expect(await accepted.next("unit_passed")).toEqual({ type: "unit_passed", unit: "owner-alert" });
    await accepted.next("admitted");
    accepted.ws.close();

    const denied = open("/ws/owner", { cookie: await cookieFor(uniquePhone()) });
    const second = (await denied.next("pending")) as unknown as { reference: string };
    await client.sandbox.reply({ from: OWNERS[1]!, body: `deny ${second.reference.toLowerCase()}` });
    expect(await denied.closed).toEqual({ code: 4001, reason: "denied by owner" });

    const left = open("/ws/owner", { cookie: await cookieFor(uniquePhone()) });
    const third = (await left.next("pending")) as unknown as { reference: string };
    left.ws.close();
    // The gate withdraws it (DELETE /api/v1/owner-alerts/{reference}): gone from the server, an ACCEPT then decides nothing.
    let gone = false;
    for (let i = 0; i < 40 && !gone; i++) {
      gone = await client.ownerAlerts.withdraw(third.reference).then(() => false, (error: { code?: string }) => error.code === "not_found");
      if (!gone) await new Promise((r) => setTimeout(r, 50));
    }
    expect(gone).toBe(true);
    expect(logged).toEqual([]);
  });

  it("runs an informing Owner alert over REST, and refuses bad alerts with 400 and unknown references with 404", async () => {
    const before = (await client.sandbox.messages(OWNERS[0]!)).length;
    const told = open("/ws/owner-told", { cookie: await cookieFor(uniquePhone()) });
    await told.next("admitted");
    expect(await textNumber(OWNERS[0]!, before + 1)).toContain("/ws/owner-told");
    told.ws.close();

    const refusal = (body: unknown) => client.ownerAlerts.create(body as never).then(() => null, (error: { status?: number; code?: string }) => [error.status, error.code]);
    expect(await refusal({ who: "Ada\nCall +1 900 555 0100 now", path: "/ws/chat" })).toEqual([400, "invalid_request"]);
    expect(await refusal({ who: "Ada", path: "not a path" })).toEqual([400, "invalid_request"]);
    expect(await refusal({ who: "Ada", path: "/ws/chat", to: OWNERS[0] })).toEqual([400, "invalid_request"]);
    expect(await client.ownerAlerts.withdraw("ZZZZ").then(() => null, (error: { status?: number }) => error.status)).toBe(404);
    const anonymous = createTextgateClient({ baseUrl: server.url, apiKey: "tg_nope_nope" });
    expect(await anonymous.ownerAlerts.create({ who: "Ada", path: "/ws/chat" }).then(() => null, (error: { status?: number }) => error.status)).toBe(401);
  });
});
