import { describe, expect, it } from "vitest";
import type { Connection } from "./connection.ts";
import { Hub } from "./hub.ts";

function fakeConnection(userId: string, sessionId: string) {
  const closed: [number, string][] = [];
  const connection = { user: { id: userId }, sessionId, close: (code: number, reason: string) => closed.push([code, reason]) };
  return { connection: connection as unknown as Connection, closed };
}

describe("hub", () => {
  it("closes the sockets of one revoked session, or all of a user's, and no one else's", () => {
    const hub = new Hub();
    const a1 = fakeConnection("ada", "s1");
    const a2 = fakeConnection("ada", "s2");
    const b = fakeConnection("bob", "s3");
    for (const c of [a1, a2, b]) hub.add(c.connection);
    expect(hub.closeSessions("ada", "s1", 1008, "signed out")).toBe(1);
    expect(a1.closed).toEqual([[1008, "signed out"]]);
    expect(a2.closed).toEqual([]);
    expect(hub.closeSessions("ada", null, 1008, "signed out")).toBe(2);
    expect(a2.closed).toEqual([[1008, "signed out"]]);
    expect(b.closed).toEqual([]);
    expect(hub.closeSessions("nobody", null, 1008, "signed out")).toBe(0);
  });
});
