import { describe, expect, it } from "vitest";
import { INTERNATIONAL_DIGITS_PATTERN, INTERNATIONAL_NUMBER_PATTERN, isE164 } from "./e164.ts";

describe("the E.164 shape", () => {
  it.each([
    ["+14155550123", true],
    ["+6834002", true], // 7 digits (Niue), the shortest in use
    ["+123456789012345", true], // 15 digits, the most E.164 allows
    ["+1234567890123456", false],
    ["+123456", false],
    ["+04155550123", false],
    ["14155550123", false],
    ["+1 415 555 0123", false],
  ])("%s → %s", (value, expected) => expect(isE164(value)).toBe(expected));

  it("has variants without the plus for carriers that write numbers that way", () => {
    expect(INTERNATIONAL_NUMBER_PATTERN.test("447860021130")).toBe(true);
    expect(INTERNATIONAL_NUMBER_PATTERN.test("+447860021130")).toBe(true);
    expect(INTERNATIONAL_DIGITS_PATTERN.test("+447860021130")).toBe(false);
    expect(INTERNATIONAL_DIGITS_PATTERN.test("447860021130")).toBe(true);
  });
});
