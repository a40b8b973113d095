import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { CarrierHealth, withHealth } from "./health.ts";
import { type Carrier, CarrierError, type OutboundMessage } from "./types.ts";

const message: OutboundMessage = { channel: "sms", to: "+447700900123", body: "x", idempotencyKey: "k" };

function flaky(outcomes: boolean[]): Carrier {
  return {
    id: "flaky",
    channels: ["sms"],
    async send() {
      if (outcomes.shift() === false) throw new CarrierError("flaky", "carrier_unavailable", "503", true);
      return { carrierMessageId: "m", status: "sent" };
    },
  };
}

describe("carrier health", () => {
  it("records outcomes, goes down after 3 failures in a row, is degraded after, and logs each change once", async () => {
    const lines: { msg: string; state?: string }[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line) as { msg: string; state?: string }) });
    const health = new CarrierHealth(logger, () => new Date("2026-01-01T00:00:00Z"));
    const carrier = withHealth(flaky([true, false, false, false, false, true]), health);
    expect(health.snapshot()).toMatchObject([{ carrier: "flaky", state: "healthy", recentSends: 0 }]);
    for (let i = 0; i < 6; i++) await carrier.send(message).catch(() => {});
    const [snapshot] = health.snapshot();
    expect(snapshot).toMatchObject({ recentSends: 6, recentFailures: 4, consecutiveFailures: 0, state: "degraded" });
    expect(snapshot?.lastError).toMatchObject({ code: "carrier_unavailable", retryable: true, at: "2026-01-01T00:00:00.000Z" });
    expect(lines.map((l) => `${l.msg}:${l.state}`)).toEqual(["carrier down:down", "carrier degraded:degraded"]);
    // 20 good sends push the failures out of the window: healthy again, logged as a recovery.
    const good = withHealth(flaky([]), health);
    for (let i = 0; i < 20; i++) await good.send(message);
    expect(health.snapshot()[0]).toMatchObject({ state: "healthy", recentFailures: 0 });
    expect(lines.at(-1)).toMatchObject({ msg: "carrier recovered", state: "healthy" });
  });

  it("passes results and CarrierErrors through unchanged, and wraps anything else as retryable", async () => {
    const health = new CarrierHealth(pino({ level: "silent" }));
    const boom: Carrier = { id: "boom", channels: ["sms"], send: async () => Promise.reject(new Error("socket hang up")) };
    const error = await withHealth(boom, health).send(message).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "CarrierError", carrier: "boom", retryable: true });
    expect(await withHealth(flaky([true]), health).send(message)).toEqual({ carrierMessageId: "m", status: "sent" });
  });
});
