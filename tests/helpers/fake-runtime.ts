/**
 * An in-memory stand-in for the runtime, for fast tests of the HTTP layer (routing, parsing,
 * serialisation, error mapping) without a database or the real engine. Records every engine call.
 */
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { TextgateError } from "../../lib/errors.ts";
import type { Db } from "../../server/db/client.ts";
import { createApiHandler } from "../../server/http/index.ts";
import type { ApiEngine, ApiInbound, ApiRuntime, ApiSandbox, SandboxEntry } from "../../server/http/types.ts";
import type { CreateVerificationInput, VerificationView } from "../../server/verification/types.ts";

export const FAKE_KEY = `tg_0123abcd_${"k".repeat(43)}`;
export const FAKE_CODE = "123456";

export interface EngineCall {
  method: keyof ApiEngine;
  args: unknown[];
}

function view(id: string, input: CreateVerificationInput): VerificationView {
  const now = new Date("2026-01-01T00:00:00.000Z");
  return {
    id,
    to: input.to,
    purpose: input.purpose ?? "verify",
    status: "pending",
    channel: input.channel ?? "sms",
    workflow: [{ channel: input.channel ?? "sms", afterSeconds: 0 }],
    workflowPreset: null,
    codeLength: input.codeLength ?? 6,
    alphanumeric: false,
    locale: "en",
    brand: null,
    attempts: 0,
    maxAttempts: 5,
    attemptsLeft: 5,
    sends: 1,
    validFor: 600,
    expiresAt: new Date(now.getTime() + 600_000),
    surface: "native",
    testNumber: false,
    clientRef: null,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
    deliveries: [
      {
        id: "d1",
        stepIndex: 0,
        kind: "workflow",
        channel: "sms",
        carrier: "sandbox",
        carrierMessageId: "secret-carrier-id",
        status: "delivered",
        dueAt: now,
        sentAt: now,
        deliveredAt: now,
        failedAt: null,
        errorCode: null,
        error: "internal detail",
      },
    ],
  };
}

export function createFakeEngine() {
  const calls: EngineCall[] = [];
  const store = new Map<string, VerificationView>();
  const byIdempotencyKey = new Map<string, string>();
  const find = (id: string) => {
    const found = store.get(id);
    if (!found) throw new TextgateError("verification_not_found");
    return found;
  };
  const engine: ApiEngine = {
    async create(input) {
      calls.push({ method: "create", args: [input] });
      if (input.to.includes("bad")) throw new TextgateError("invalid_phone_number");
      if (input.to === "+19999999999") throw new TextgateError("send_limit_reached", undefined, { retryAfter: 12.2 });
      if (input.to === "+18888888888") throw new Error("database exploded: password=hunter2");
      const existing = input.idempotencyKey ? byIdempotencyKey.get(input.idempotencyKey) : undefined;
      if (existing) return { verification: find(existing), replayed: true, resent: false };
      const id = crypto.randomUUID();
      store.set(id, view(id, input));
      if (input.idempotencyKey) byIdempotencyKey.set(input.idempotencyKey, id);
      return { verification: find(id), replayed: false, resent: false };
    },
    async get(id) {
      calls.push({ method: "get", args: [id] });
      return find(id);
    },
    async check(ref, code) {
      calls.push({ method: "check", args: [ref, code] });
      const v = find("id" in ref ? ref.id : "");
      const valid = code === FAKE_CODE;
      const next: VerificationView = valid
        ? { ...v, status: "approved" }
        : { ...v, attempts: v.attempts + 1, attemptsLeft: v.attemptsLeft - 1 };
      store.set(v.id, next);
      return { valid, status: next.status, attemptsLeft: next.attemptsLeft, verification: next };
    },
    async cancel(id) {
      calls.push({ method: "cancel", args: [id] });
      return { ...find(id), status: "canceled" };
    },
    async approve(id) {
      calls.push({ method: "approve", args: [id] });
      return { ...find(id), status: "approved" };
    },
    async resend(id, options) {
      calls.push({ method: "resend", args: [id, options] });
      return { ...find(id), sends: 2 };
    },
    async applyCarrierReceipt(carrier, update) {
      calls.push({ method: "applyCarrierReceipt", args: [carrier, update] });
      return false; // the fake store has no deliveries for a receipt to move
    },
    async sendNotice(input) {
      calls.push({ method: "sendNotice", args: [input] });
      return { to: input.to, sent: true };
    },
  };
  return { engine, calls, store };
}

export function createFakeSandbox() {
  const calls: { method: string; args: unknown[] }[] = [];
  const entry: SandboxEntry = {
    id: "m1",
    direction: "outbound",
    channel: "sms",
    to: "+12125550100",
    from: null,
    body: "Your code is 123456",
    createdAt: new Date("2026-01-01T00:00:00.000Z"),
  };
  const sandbox: ApiSandbox = {
    async listMessages(to, options) {
      calls.push({ method: "listMessages", args: [to, options] });
      return to === entry.to ? [entry] : [];
    },
    async listNumbers(limit) {
      calls.push({ method: "listNumbers", args: [limit] });
      return [{ number: entry.to as string, lastMessageAt: entry.createdAt, messages: 1 }];
    },
  };
  return { sandbox, calls };
}

export function createFakeInbound() {
  const calls: unknown[] = [];
  const inbound: ApiInbound = {
    async receive(input) {
      calls.push(input);
      return { id: "in-1", duplicate: false };
    },
  };
  return { inbound, calls };
}

export interface FakeApi {
  url: string;
  engine: ReturnType<typeof createFakeEngine>;
  sandbox: ReturnType<typeof createFakeSandbox>;
  inbound: ReturnType<typeof createFakeInbound>;
  /** Requests the API handler declined (Next would serve them). */
  declined: string[];
  close(): Promise<void>;
}

/** Starts a plain node:http server that serves createApiHandler over the fakes. */
export async function startFakeApi(options: { sandbox?: boolean; maxBodyBytes?: number } = {}): Promise<FakeApi> {
  const engine = createFakeEngine();
  const sandbox = createFakeSandbox();
  const inbound = createFakeInbound();
  const runtime: ApiRuntime = {
    config: {
      MAX_BODY_BYTES: options.maxBodyBytes ?? 16_384,
      PUBLIC_URL: "http://localhost:3000",
      COMPAT_TWILIO_VALID_FOR_SECONDS: 600,
      COMPAT_TEXTMAGIC_VALID_FOR_SECONDS: 300,
      COMPAT_TEXTMAGIC_PRICE: 0,
      vonageJwtKeys: new Map(),
      production: false,
      OWNER_PHONES: [],
      NEXTAUTH_SECRET: "fake-runtime-nextauth-secret-0123456789abcdef",
      AUTH_SESSION_MAX_AGE_SECONDS: 3600,
    },
    logger: pino({ level: "silent" }),
    prisma: {} as Db,
    engine: engine.engine,
    sandbox: options.sandbox === false ? null : sandbox.sandbox,
    inbound: inbound.inbound,
  };
  const handle = createApiHandler(runtime, {
    authenticate: async (key) => (key === FAKE_KEY ? { id: "key-1", name: "test" } : null),
  });
  const declined: string[] = [];
  const server = http.createServer((req, res) => {
    if (handle(req, res)) return;
    declined.push(req.url ?? "");
    res.writeHead(200, { "content-type": "text/plain" }).end("next");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    engine,
    sandbox,
    inbound,
    declined,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
