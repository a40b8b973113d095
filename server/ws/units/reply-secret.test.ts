/** The Reply unit's offline-shared-secret variant, in process: a real event bus and reply router, a fake socket. */
import { describe, expect, it } from "vitest";
import type { PendingMessage, ServerMessage } from "../../../lib/socket/protocol.ts";
import { EventBus } from "../../events/bus.ts";
import { busReplies } from "../replies.ts";
import type { UnitContext } from "../sessions.ts";
import { noticeFor } from "../../verification/notices.ts";
import { hashSharedSecret, reply, sharedSecretKey } from "./reply.ts";

const USER = { id: "u1", name: null, phone: "+12125550100" };
const key = sharedSecretKey("s".repeat(40));

function setup() {
  const events = new EventBus();
  const matched: string[] = [];
  const router = busReplies(events, { markMatched: async (inboundId) => void matched.push(inboundId) }, () => {});
  const texts: string[] = [];
  const sent: (PendingMessage | ServerMessage)[] = [];
  const abort = new AbortController();
  const ctx: UnitContext = {
    user: USER,
    connectionId: "c1",
    signal: abort.signal,
    pending: (m) => sent.push(m),
    send: (m) => sent.push(m),
    nextToken: () => new Promise(() => {}),
    waitForReply: (match) => router.wait(USER.phone, "c1", match, abort.signal),
    sendNotice: async ({ key, values }) => (texts.push(noticeFor({ brand: "textgate", defaultLocale: "en" }, USER.phone, key, values)), true),
    codes: { create: async () => Promise.reject(new Error("unused")), check: async () => Promise.reject(new Error("unused")) },
    secretKey: key,
    path: "/ws/test",
  };
  let n = 0;
  const inbound = (from: string, body: string) => events.publish("inbound.received", { inboundId: `in${++n}`, carrier: "sandbox", from, to: null, body });
  return { ctx, abort, texts, sent, inbound, matched };
}

const store = new Map([[USER.id, hashSharedSecret(key, "Blue Horse")]]);
const lookup = async (userId: string) => store.get(userId) ?? null;

describe("reply({ secret: true })", () => {
  it("admits when the user's number texts the shared secret (case and spaces ignored)", async () => {
    const { ctx, texts, sent, inbound, matched } = setup();
    const result = reply({ secret: true, sharedSecretHash: lookup }).run?.(ctx);
    await new Promise((r) => setTimeout(r, 0));
    expect(sent).toEqual([{ type: "pending", unit: "reply-secret" }]);
    expect(texts).toEqual(["textgate: Hi, what's our shared secret?"]);
    inbound("+12125550199", "blue horse");
    inbound(USER.phone, "red horse");
    inbound(USER.phone, "  BLUEHORSE ");
    await expect(result).resolves.toEqual({ ok: true });
    expect(matched).toEqual(["in3"]);
  });

  it("does not count a secret texted before the unit started, and waits until aborted", async () => {
    const { ctx, abort, inbound } = setup();
    inbound(USER.phone, "Blue Horse");
    const result = reply({ secret: true, sharedSecretHash: lookup }).run?.(ctx);
    let settled = false;
    void result?.then(() => (settled = true), () => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    abort.abort(new Error("timed out"));
    await expect(result).rejects.toThrow("timed out");
  });

  it("denies a user without a stored secret, and needs a lookup", async () => {
    const { ctx } = setup();
    await expect(reply({ secret: true, sharedSecretHash: async () => null }).run?.(ctx)).resolves.toMatchObject({ ok: false, code: 4001 });
    expect(() => reply({ secret: true })).toThrow(/sharedSecretHash/);
  });
});
