import { describe, expect, it } from "vitest";
import { gsm7Length, smsParts, smsSegmentInfo } from "./sms-segments.ts";

describe("SMS segments", () => {
  it("counts GSM-7 septets, extended characters twice, and falls back to UCS-2", () => {
    expect(gsm7Length("abc")).toBe(3);
    expect(gsm7Length("€[")).toBe(4);
    expect(gsm7Length("ж")).toBeNull();
    expect(smsSegmentInfo("ж".repeat(70))).toEqual({ encoding: "UCS-2", length: 70, limit: 70 });
    expect(smsSegmentInfo("😀")).toMatchObject({ encoding: "UCS-2", length: 2 });
  });

  it("counts concatenated parts at 153 septets or 67 code units each", () => {
    expect(smsParts("a".repeat(160))).toEqual({ encoding: "GSM-7", length: 160, parts: 1 });
    expect(smsParts("a".repeat(161))).toEqual({ encoding: "GSM-7", length: 161, parts: 2 });
    expect(smsParts("ж".repeat(71))).toEqual({ encoding: "UCS-2", length: 71, parts: 2 });
    expect(smsParts("ж".repeat(135))).toEqual({ encoding: "UCS-2", length: 135, parts: 3 });
  });
});
