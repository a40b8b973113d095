import { describe, expect, it } from "vitest";
import { countConversions, decideConversionAlarms, RECOVERY_MARGIN } from "./conversion-alarms.ts";

const settings = { threshold: 0.5, minStarted: 10 };
const group = (key: string, started: number, approved: number) => ({ scope: "country" as const, key, started, approved });

describe("countConversions", () => {
  it("counts started and approved per country and per first-step carrier; no carrier, no carrier group", () => {
    const counts = countConversions([
      { to: "+447400100123", status: "approved", carrier: "twilio" },
      { to: "+447400100124", status: "expired", carrier: "twilio" },
      { to: "+12125550100", status: "pending", carrier: null },
    ]);
    expect(counts).toEqual(
      expect.arrayContaining([
        { scope: "country", key: "GB", started: 2, approved: 1 },
        { scope: "country", key: "US", started: 1, approved: 0 },
        { scope: "carrier", key: "twilio", started: 2, approved: 1 },
      ]),
    );
    expect(counts).toHaveLength(3);
  });
});

describe("decideConversionAlarms", () => {
  it("raises a group below the threshold with enough volume, once", () => {
    expect(decideConversionAlarms([group("GB", 10, 4)], new Set(), settings)).toEqual({ raise: [group("GB", 10, 4)], recover: [] });
    expect(decideConversionAlarms([group("GB", 10, 4)], new Set(["country:GB"]), settings)).toEqual({ raise: [], recover: [] });
  });

  it("leaves groups without enough volume alone, raised or not", () => {
    expect(decideConversionAlarms([group("GB", 9, 0)], new Set(), settings)).toEqual({ raise: [], recover: [] });
    expect(decideConversionAlarms([group("GB", 9, 9)], new Set(["country:GB"]), settings)).toEqual({ raise: [], recover: [] });
  });

  it("does not raise at the threshold itself", () => {
    expect(decideConversionAlarms([group("GB", 10, 5)], new Set(), settings).raise).toEqual([]);
  });

  it("recovers only at threshold + margin, so a rate hovering at the threshold does not flap", () => {
    const raised = new Set(["country:GB"]);
    expect(decideConversionAlarms([group("GB", 100, 55)], raised, settings).recover).toEqual([]);
    const back = group("GB", 100, Math.round((0.5 + RECOVERY_MARGIN) * 100));
    expect(decideConversionAlarms([back], raised, settings).recover).toEqual([back]);
    // A threshold near 1 recovers at 100%.
    expect(decideConversionAlarms([group("GB", 10, 10)], raised, { threshold: 0.95, minStarted: 10 }).recover).toHaveLength(1);
  });

  it("is off with threshold 0", () => {
    expect(decideConversionAlarms([group("GB", 100, 0)], new Set(), { threshold: 0, minStarted: 1 })).toEqual({ raise: [], recover: [] });
  });
});
