/**
 * Several nodes (issue 4, section 4): two server processes on one PostgreSQL database. Node A serves
 * the API and pages (sign-in, sandbox handset); node B is a sockets-only node (`npm run start:ws`'s
 * SERVE_API=false SERVE_PAGES=false). With REDIS_URL, an SMS reply received by node A admits the socket
 * held by node B, and the audit log holds the inbound event once. The negative control runs the same
 * flow without REDIS_URL and shows that node B is then NOT admitted (so the first test can fail). Owner
 * decisions cross nodes too: node A's /owner API lists the requests and sockets node B holds, and an
 * owner's decision taken on node A (over HTTP, or by an SMS node A receives) admits or closes B's socket.
 * Needs the production build, PostgreSQL and (for the first part) Redis: skipped locally when one is
 * missing, a failure with CI=true.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pino from "pino";
import { EventBus } from "../../server/events/bus.ts";
import { RedisEventBridge } from "../../server/events/redis-bridge.ts";
import type { TextgateEvent } from "../../server/events/types.ts";
import { REPO_ROOT, startServer, type TestServer } from "../helpers/server.ts";
import { CLOSE } from "../../lib/socket/protocol.ts";
import { decideOverHttp, type OwnerListing } from "../helpers/owner.ts";
import { type Client, socketTools } from "../helpers/sockets.ts";
import { createPostgresDatabase, postgresAvailable, REDIS_URL, redisAvailable, requireService, type TestPostgresDatabase } from "../helpers/services.ts";

const built = fs.existsSync(path.join(REPO_ROOT, ".next/BUILD_ID"));
if (!built && process.env.CI === "true") throw new Error("No production build: `npm test` builds it before the tests run.");

const ORIGIN = "https://app.example.com";
const OWNER = "+12125579001";
const QUESTION = /^textgate: Is that you logging in\? Reply YES to accept\.$/;

const hasPostgres = await requireService("PostgreSQL", postgresAvailable());
const hasRedis = hasPostgres && (await requireService("Redis", redisAvailable()));

let counter = 0;
const phone = () => `+1212556${String(((process.pid * 17 + counter++) % 9000) + 1000).padStart(4, "0")}`;

/** Two nodes on one fresh PostgreSQL database, with the same secret; `redis` adds REDIS_URL to both. */
async function startNodes(redis: boolean): Promise<{ a: TestServer; b: TestServer; db: TestPostgresDatabase }> {
  const db = await createPostgresDatabase({ empty: true });
  const shared: Record<string, string> = {
    NODE_ENV: "production",
    SANDBOX_IN_PRODUCTION: "true",
    TEXTGATE_SECRET: crypto.randomBytes(32).toString("base64url"),
    AUTH_START_LIMIT_PER_NUMBER: "1000",
    AUTH_START_LIMIT_PER_IP: "1000",
    WS_ALLOWED_ORIGINS: ORIGIN,
    WS_DEMO_UNIT_TIMEOUT_MS: "15000",
    WS_HEARTBEAT_MS: "500",
    OWNER_PHONES: OWNER,
    ...(redis ? { REDIS_URL } : {}),
  };
  let a: TestServer | undefined;
  try {
    // One after the other: node A applies the migrations, node B finds the database up to date.
    a = await startServer({ database: "postgresql", databaseUrl: db.url, env: { ...shared, SERVE_PAGES: "true" } });
    const b = await startServer({ database: "postgresql", databaseUrl: db.url, env: { ...shared, SERVE_API: "false", SERVE_PAGES: "false" } });
    return { a, b, db };
  } catch (error) {
    await a?.stop();
    await db.drop().catch(() => {});
    throw error;
  }
}

/** The shared socket helpers, bound to one node. */
const tools = (node: TestServer) => socketTools(() => node, { origin: ORIGIN, phone });

/** Signs in on A, opens a Confirm Reply socket on B, and answers YES through A's sandbox handset. */
async function crossNodeConfirmReply(a: TestServer, b: TestServer, admitWithinMs: number): Promise<{ to: string; admitted: boolean; client: Client }> {
  const to = phone();
  const { cookie } = await tools(a).signIn(to);
  const client = tools(b).connect("/ws/demo/confirm-reply", { cookie });
  expect(await client.next("pending")).toEqual({ type: "pending", unit: "confirm-reply" });
  await tools(a).textTo(to, QUESTION);
  await tools(a).replyFrom(to, "YES");
  const admitted = await client.next("admitted", admitWithinMs).then(() => true, () => false);
  return { to, admitted, client };
}

async function query<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(!built || !hasRedis)("several nodes over Redis", () => {
  let nodes: { a: TestServer; b: TestServer; db: TestPostgresDatabase };

  beforeAll(async () => {
    nodes = await startNodes(true);
  }, 90_000);
  afterAll(async () => {
    await Promise.allSettled([nodes?.a.stop(), nodes?.b.stop()]);
    await nodes?.db.drop().catch(() => {});
  });

  it("the sockets-only node answers /healthz and nothing else over HTTP", async () => {
    expect((await fetch(`${nodes.b.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${nodes.b.url}/api/v1/verifications`)).status).toBe(404);
    expect((await fetch(`${nodes.b.url}/api/sandbox/messages?to=%2B12125550000`)).status).toBe(404);
  });

  it("an SMS reply received by node A admits the socket held by node B; the audit log holds it once", async () => {
    const { to, admitted, client } = await crossNodeConfirmReply(nodes.a, nodes.b, 5000);
    expect(admitted).toBe(true);
    client.ws.close();

    const inbound = await query<{ id: string; matched_to: string | null }>(nodes.db.url, `SELECT id, matched_to FROM inbound_messages WHERE "from" = $1`, [to]);
    expect(inbound).toHaveLength(1);
    const inboundId = (inbound[0] as { id: string }).id;
    // Node B matched it to its socket unit (it only saw the event over Redis).
    expect(inbound[0]?.matched_to).toMatch(/^socket-unit:/);
    // Both nodes flush their audit batches every 100 ms: wait well past that, then count.
    await new Promise((r) => setTimeout(r, 600));
    const audit = await query<{ id: string }>(nodes.db.url, `SELECT id FROM audit_events WHERE type = 'inbound.received' AND data::text LIKE $1`, [`%${inboundId}%`]);
    expect(audit).toHaveLength(1);
    const logs = nodes.a.stdout() + nodes.a.stderr() + nodes.b.stdout() + nodes.b.stderr();
    expect(logs).not.toMatch(/audit log write failed/);
  }, 30_000);

  it("node A's /owner API lists node B's requests and sockets; owner decisions on node A reach node B's sockets", async () => {
    const { a, b } = nodes;
    const owner = await tools(a).signIn(OWNER);
    const requestOnB = async () => {
      const { cookie } = await tools(a).signIn();
      const client = tools(b).connect("/ws/demo/owner-alert", { cookie });
      const pending = await client.next("pending");
      return { client, reference: pending.reference as string };
    };
    const first = await requestOnB();
    const second = await requestOnB();
    const listing = async () => (await (await owner.call("/api/owner/requests")).json()) as OwnerListing;
    // Node B reports its sockets every heartbeat (500 ms here).
    await expect.poll(async () => (await listing()).sockets.nodes.find((n) => !n.local), { timeout: 5000 }).toMatchObject({ sockets: 2, pending: 2 });
    const { requests, sockets } = await listing();
    const nodeB = sockets.nodes.find((n) => !n.local)?.node;
    expect(requests.map((r) => [r.reference, r.node])).toEqual([[first.reference, nodeB], [second.reference, nodeB]]);
    expect(sockets.count).toBe(2);

    expect((await decideOverHttp(owner.call, first.reference, "accept")).status).toBe(200);
    await first.client.next("admitted");
    await tools(a).replyFrom(OWNER, `DENY ${second.reference}`);
    expect(await second.client.closed).toEqual({ code: CLOSE.denied, reason: "denied by owner" });
    expect((await listing()).requests).toEqual([]);
    first.client.ws.close();
  }, 30_000);
});

describe.skipIf(!built || !hasPostgres)("several nodes without Redis (negative control)", () => {
  let nodes: { a: TestServer; b: TestServer; db: TestPostgresDatabase };

  beforeAll(async () => {
    nodes = await startNodes(false);
  }, 90_000);
  afterAll(async () => {
    await Promise.allSettled([nodes?.a.stop(), nodes?.b.stop()]);
    await nodes?.db.drop().catch(() => {});
  });

  it("does not admit node B's socket from a reply received by node A", async () => {
    const { to, admitted, client } = await crossNodeConfirmReply(nodes.a, nodes.b, 2000);
    expect(admitted).toBe(false);
    client.ws.close();
    const inbound = await query<{ matched_to: string | null }>(nodes.db.url, `SELECT matched_to FROM inbound_messages WHERE "from" = $1`, [to]);
    expect(inbound).toEqual([{ matched_to: null }]);
  }, 30_000);
});

describe.skipIf(!hasRedis)("Redis event bridge (in process)", () => {
  it("delivers each event once to other nodes, with its id, marked remote, and never loops", async () => {
    const channel = `textgate:test:${crypto.randomUUID()}`;
    const logger = pino({ level: "silent" });
    const buses = [new EventBus(), new EventBus(), new EventBus()];
    const seen = buses.map(() => [] as { event: TextgateEvent; remote: boolean }[]);
    buses.forEach((bus, i) => bus.subscribe("*", (event, meta) => seen[i]?.push({ event, remote: meta.remote })));
    const bridges = buses.map((events) => new RedisEventBridge({ url: REDIS_URL, events, logger, channel }));
    try {
      await Promise.all(bridges.map((b) => b.ready));
      const event = buses[0]?.publish("inbound.received", { inboundId: "in_1", carrier: "sandbox", from: "+12125550100", to: null, body: "YES" });
      await new Promise((r) => setTimeout(r, 300));
      expect(seen[0]).toEqual([{ event, remote: false }]);
      expect(seen[1]).toEqual([{ event, remote: true }]);
      expect(seen[2]).toEqual([{ event, remote: true }]);
    } finally {
      await Promise.all(bridges.map((b) => b.close()));
    }
  });

  it("ignores malformed messages and unknown event types", async () => {
    const channel = `textgate:test:${crypto.randomUUID()}`;
    const bus = new EventBus();
    const seen: TextgateEvent[] = [];
    bus.subscribe("*", (event) => seen.push(event));
    const bridge = new RedisEventBridge({ url: REDIS_URL, events: bus, logger: pino({ level: "silent" }), channel });
    const { Redis } = await import("ioredis");
    const raw = new Redis(REDIS_URL);
    try {
      await bridge.ready;
      const event = { id: "x", at: new Date().toISOString(), data: {} };
      for (const message of ["not json", JSON.stringify({ node: "other" }), JSON.stringify({ node: "other", event: { ...event, type: "nope" } })]) {
        await raw.publish(channel, message);
      }
      await raw.publish(channel, JSON.stringify({ node: "other", event: { ...event, type: "verification.expired" } }));
      await new Promise((r) => setTimeout(r, 300));
      expect(seen.map((e) => e.type)).toEqual(["verification.expired"]);
    } finally {
      raw.disconnect();
      await bridge.close();
    }
  });
});

describe("Redis event bridge without Redis", () => {
  it("logs, never throws into publishers, and closes promptly when Redis is unreachable", async () => {
    const bus = new EventBus();
    const seen: TextgateEvent[] = [];
    bus.subscribe("*", (event) => seen.push(event));
    const bridge = new RedisEventBridge({ url: "redis://127.0.0.1:1", events: bus, logger: pino({ level: "silent" }) });
    expect(() => bus.publish("verification.expired", { verificationId: "v", to: "+12125550100", purpose: "login", surface: "native", channel: "sms" })).not.toThrow();
    await new Promise((r) => setTimeout(r, 500));
    expect(seen).toHaveLength(1);
    const started = Date.now();
    await bridge.close();
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
