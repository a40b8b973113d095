/** The owner desk and the owner-alert unit, in process: a real event bus, fake texts and socket. */
import { describe, expect, it } from "vitest";
import type { PendingMessage, ServerMessage } from "../../lib/socket/protocol.ts";
import { EventBus } from "../events/bus.ts";
import { describeUser, OwnerDesk, parseOwnerReply } from "./desk.ts";
import type { OwnerRequestStore, StoredOwnerRequest } from "./requests-store.ts";
import type { UnitContext } from "../ws/sessions.ts";
import { noticeFor } from "../verification/notices.ts";
import { ownerAlert } from "../ws/units/owner-alert.ts";

const OWNER = "+12125559001";
const USER = { id: "u1", name: "Ada", phone: "+12125550123" };
let inboundId = 0;

/** The database table's semantics in memory: one row per pending reference, `take` deletes it once. */
function memoryStore(): OwnerRequestStore {
  const rows = new Map<string, StoredOwnerRequest>();
  return {
    add: async (request) => (rows.has(request.reference) ? false : (rows.set(request.reference, request), true)),
    remove: async (reference, connectionId) => {
      if (rows.get(reference)?.connectionId === connectionId) rows.delete(reference);
    },
    removeHeldBy: async (reference, node) => rows.get(reference)?.node === node && rows.delete(reference),
    take: async (reference, now) => {
      const row = rows.get(reference);
      if (!row || row.expiresAt <= now) return null;
      rows.delete(reference);
      return row;
    },
    list: async (now) => [...rows.values()].filter((row) => row.expiresAt > now),
    holder: async (reference, now) => {
      const row = rows.get(reference);
      return row && row.expiresAt > now ? row.node : null;
    },
  };
}

/**
 * One desk per node and one store. With `crossNode` (the default) all desks share one event bus, which is
 * what the Redis bridge gives several nodes; without it each node has its own bus, as without REDIS_URL.
 */
function setup(owners: string[] = [OWNER], nodes = 1, crossNode = true) {
  const events = new EventBus();
  const store = memoryStore();
  const texts: { to: string; body: string }[] = [];
  const desks = Array.from({ length: nodes }, (_, i) =>
    new OwnerDesk({
      events: crossNode || i === 0 ? events : new EventBus(),
      owners,
      notify: async (to, body) => (texts.push({ to, body }), true),
      notice: (to, key, values) => noticeFor({ brand: "textgate", defaultLocale: "en" }, to, key, values),
      store,
      node: `node-${i}`,
      crossNodeEvents: crossNode,
      onError: (error) => {
        throw error;
      },
    }),
  );
  const desk = desks[0] as OwnerDesk;
  const inbound = (from: string, body: string) => events.publish("inbound.received", { inboundId: String(++inboundId), carrier: "sandbox", from, to: null, body });
  return { events, desk, desks, texts, inbound };
}

function context(desk: OwnerDesk, connectionId: string, abort: AbortController) {
  const sent: (PendingMessage | ServerMessage)[] = [];
  const ctx: UnitContext = {
    user: USER,
    connectionId,
    path: "/ws/demo/owner-alert",
    owners: desk,
    signal: abort.signal,
    pending: (m) => sent.push(m),
    send: (m) => sent.push(m),
    nextToken: () => new Promise(() => {}),
    waitForReply: () => new Promise(() => {}),
    sendNotice: async () => true,
    codes: { create: async () => Promise.reject(new Error("unused")), check: async () => Promise.reject(new Error("unused")) },
    secretKey: Buffer.alloc(32),
  };
  return { ctx, sent };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("owner replies", () => {
  it("parses ACCEPT/DENY with an optional reference, case and spaces ignored", () => {
    expect(parseOwnerReply(" accept  k7q2 ")).toEqual({ decision: "accept", reference: "K7Q2" });
    expect(parseOwnerReply("DENY K7Q2")).toEqual({ decision: "deny", reference: "K7Q2" });
    expect(parseOwnerReply("Accept")).toEqual({ decision: "accept", reference: null });
    expect(parseOwnerReply("yes")).toBeNull();
    expect(parseOwnerReply("accept k7q2 now")).toBeNull();
    expect(parseOwnerReply("")).toBeNull();
  });

  it("names the user with the number masked as everywhere else (lib/phone.ts)", () => {
    expect(describeUser(USER)).toBe("Ada (+1•••••••123)");
    expect(describeUser({ name: null, phone: "+12125550123" })).toBe("+1•••••••123");
  });
});

describe("owner-alert unit", () => {
  it("alert only: texts every owner and passes at once", async () => {
    const { desk, texts } = setup([OWNER, "+12125559002", "+4915112345678"]);
    const { ctx, sent } = context(desk, "c1", new AbortController());
    expect(await ownerAlert().run?.(ctx)).toEqual({ ok: true });
    // Each owner in the language of their number; the masked number in GSM-7 ("*"), so the text keeps 160 characters.
    expect(texts).toEqual([
      ...[OWNER, "+12125559002"].map((to) => ({ to, body: "textgate: Ada (+1*******123) is connecting to /ws/demo/owner-alert." })),
      { to: "+4915112345678", body: "textgate: Ada (+1*******123) verbindet sich mit /ws/demo/owner-alert." },
    ]);
    expect(sent).toEqual([]);
    expect(await desk.requests()).toEqual([]);
  });

  it("waits for ACCEPT <ref> from an owner; other numbers and other references are ignored", async () => {
    const { desk, texts, inbound } = setup();
    const { ctx, sent } = context(desk, "c1", new AbortController());
    const result = ownerAlert({ waitForDecision: true }).run?.(ctx);
    await tick();
    const reference = (sent[0] as { reference: string }).reference;
    expect(sent).toEqual([{ type: "pending", unit: "owner-approval", reference }]);
    expect(texts).toEqual([{ to: OWNER, body: `textgate: Ada (+1*******123) is connecting to /ws/demo/owner-alert. Reply ACCEPT ${reference} or DENY ${reference}.` }]);
    expect(await desk.requests()).toEqual([expect.objectContaining({ reference, connectionId: "c1", userId: "u1", who: "Ada (+1•••••••123)" })]);
    inbound(USER.phone, `ACCEPT ${reference}`);
    inbound(OWNER, "ACCEPT ZZZZ");
    await tick();
    expect(await desk.requests()).toHaveLength(1);
    inbound(OWNER, `accept ${reference.toLowerCase()}`);
    expect(await result).toEqual({ ok: true });
    expect(await desk.requests()).toEqual([]);
    // The owner is told what each answer did; the user's own "ACCEPT" gets nothing.
    await tick();
    expect(texts.slice(1)).toEqual([
      { to: OWNER, body: "textgate: ZZZZ is not waiting for a decision (already decided, timed out or unknown)." },
      { to: OWNER, body: `textgate: Accepted ${reference}: Ada (+1*******123) is now connected to /ws/demo/owner-alert.` },
    ]);
  });

  it("DENY closes with 4001; a bare answer decides only when exactly one request waits; the owner is told each outcome", async () => {
    const { desk, inbound, texts } = setup();
    const a = context(desk, "a", new AbortController());
    const b = context(desk, "b", new AbortController());
    const unit = ownerAlert({ waitForDecision: true });
    const ra = unit.run?.(a.ctx);
    const rb = unit.run?.(b.ctx);
    await tick();
    const refB = (b.sent[0] as { reference: string }).reference;
    inbound(OWNER, "DENY");
    await tick();
    expect(await desk.requests()).toHaveLength(2);
    inbound(OWNER, `DENY ${refB}`);
    expect(await rb).toEqual({ ok: false, code: 4001, reason: "denied by owner" });
    inbound(OWNER, "ACCEPT");
    expect(await ra).toEqual({ ok: true });
    const refA = (a.sent[0] as { reference: string }).reference;
    await tick();
    inbound(OWNER, "DENY");
    await tick();
    expect(texts.filter((t) => !t.body.includes("is connecting to")).map((t) => t.body)).toEqual([
      "textgate: 2 requests are waiting: reply ACCEPT <reference> or DENY <reference>.",
      `textgate: Denied ${refB}: Ada (+1*******123) is not connected to /ws/demo/owner-alert.`,
      `textgate: Accepted ${refA}: Ada (+1*******123) is now connected to /ws/demo/owner-alert.`,
      "textgate: No request is waiting for a decision.",
    ]);
  });

  it("withdraws the request when the unit is aborted (timeout, socket closed), and denies at once without owners", async () => {
    const { desk } = setup();
    const abort = new AbortController();
    const { ctx } = context(desk, "c1", abort);
    const result = ownerAlert({ waitForDecision: true }).run?.(ctx);
    await tick();
    expect(await desk.requests()).toHaveLength(1);
    abort.abort(new Error("timed out"));
    await expect(result).rejects.toThrow("timed out");
    expect(await desk.requests()).toEqual([]);
    const none = setup([]);
    expect(await ownerAlert({ waitForDecision: true }).run?.(context(none.desk, "c2", new AbortController()).ctx)).toEqual({ ok: false, code: 4001, reason: "no owner to approve" });
  });

  it("decides by reference over HTTP (desk.decide); unknown references are refused", async () => {
    const { desk } = setup();
    const { ctx, sent } = context(desk, "c1", new AbortController());
    const result = ownerAlert({ waitForDecision: true }).run?.(ctx);
    await tick();
    const reference = (sent[0] as { reference: string }).reference;
    expect(await desk.decide("NOPE", "accept")).toBe(false);
    expect(await desk.decide(reference, "accept")).toBe(true);
    expect(await desk.decide(reference, "deny")).toBe(false);
    expect(await result).toEqual({ ok: true });
  });

  it("several nodes: lists every node's requests; a decision taken on one node reaches the node holding the socket", async () => {
    const { desks, inbound } = setup([OWNER], 2);
    const [a, b] = desks as [OwnerDesk, OwnerDesk];
    const heldByB = context(b, "on-b", new AbortController());
    const heldByA = context(a, "on-a", new AbortController());
    const unit = ownerAlert({ waitForDecision: true });
    const resultB = unit.run?.(heldByB.ctx);
    const resultA = unit.run?.(heldByA.ctx);
    await tick();
    const refB = (heldByB.sent[0] as { reference: string }).reference;
    const refA = (heldByA.sent[0] as { reference: string }).reference;
    expect((await a.requests()).map((r) => [r.reference, r.node])).toEqual([[refB, "node-1"], [refA, "node-0"]]);
    expect(await a.decide(refB, "accept")).toBe(true);
    expect(await resultB).toEqual({ ok: true });
    // Only the desk of the node that received the text decides (others see it marked remote over Redis).
    inbound(OWNER, "DENY");
    expect(await resultA).toEqual({ ok: false, code: 4001, reason: "denied by owner" });
    expect(await b.requests()).toEqual([]);
  });

  it("several nodes without REDIS_URL: refuses (409) to decide another node's request, which stays pending there", async () => {
    const { desks } = setup([OWNER], 2, false);
    const [a, b] = desks as [OwnerDesk, OwnerDesk];
    const held = context(b, "on-b", new AbortController());
    const result = ownerAlert({ waitForDecision: true }).run?.(held.ctx);
    await tick();
    const reference = (held.sent[0] as { reference: string }).reference;
    await expect(a.decide(reference, "accept")).rejects.toMatchObject({ code: "owner_request_elsewhere", status: 409 });
    expect((await a.requests()).map((r) => r.reference)).toEqual([reference]);
    expect(await a.decide("ZZZZ", "accept")).toBe(false);
    expect(await b.decide(reference, "accept")).toBe(true);
    expect(await result).toEqual({ ok: true });
  });

  it("does not resolve a newer request that reuses the reference of one decided on another node", async () => {
    const { desk, events } = setup();
    const { ctx, sent } = context(desk, "newer", new AbortController());
    const result = ownerAlert({ waitForDecision: true }).run?.(ctx);
    await tick();
    const reference = (sent[0] as { reference: string }).reference;
    events.publish("owner.decided", { reference, connectionId: "older", decision: "accept" });
    await tick();
    expect(await desk.requests()).toHaveLength(1);
    expect(await desk.decide(reference, "deny")).toBe(true);
    expect(await result).toEqual({ ok: false, code: 4001, reason: "denied by owner" });
  });
});
