import { describe, expect, it } from "vitest";
import { senderPattern } from "./http.ts";

describe("senderPattern", () => {
  it("accepts a number or an alphanumeric id of up to 11 characters", () => {
    expect(senderPattern(false).test("+14155550100")).toBe(true);
    expect(senderPattern(false).test("Textgate")).toBe(true);
    expect(senderPattern(false).test("TextgateVerify")).toBe(false);
    expect(senderPattern(true).test("14155550100")).toBe(true);
  });
});
