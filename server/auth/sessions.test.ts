import { afterEach, describe, expect, it } from "vitest";
import { startTestRuntime, type TestRuntime } from "../../tests/helpers/runtime.ts";
import type { TextgateEvent } from "../events/types.ts";

describe("session revocation", () => {
  let t: TestRuntime;
  afterEach(async () => {
    await t?.stop();
  });

  it("ends sessions on the server and publishes session.revoked so sockets close at once", async () => {
    t = await startTestRuntime("sqlite");
    const seen: TextgateEvent<"session.revoked">[] = [];
    t.runtime.events.subscribe("session.revoked", (e) => seen.push(e));
    await t.runtime.prisma.user.create({ data: { id: "u1", phone: "+14155550123", createdAt: new Date() } });
    const store = t.runtime.auth.sessions;
    const one = await store.create("u1");
    const two = await store.create("u1");
    expect((await store.validate(one.id))?.user.id).toBe("u1");
    await store.revoke(one.id);
    expect(await store.validate(one.id)).toBeNull();
    expect(await store.stillValid([one.id, two.id, "no-such-session"])).toEqual(new Set([two.id]));
    expect(await store.validate(two.id)).not.toBeNull();
    expect(await store.revokeAll("u1")).toBe(1);
    expect(await store.validate(two.id)).toBeNull();
    expect(seen.map((e) => e.data)).toEqual([
      { userId: "u1", sessionId: one.id },
      { userId: "u1", sessionId: null },
    ]);
    await store.revoke("no-such-session");
    expect(seen).toHaveLength(2);
  });
});
