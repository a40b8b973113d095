import { describe, expect, it } from "vitest";
import { maskPhone } from "./phone.ts";

describe("maskPhone", () => {
  it("keeps the first digit of the country code and the last three, one dot per hidden digit", () => {
    expect(maskPhone("+12125550123")).toBe("+1•••••••123");
    expect(maskPhone("+447860812345")).toBe("+4••••••••345");
  });

  it("hides a number too short to show any of it", () => {
    expect(maskPhone("+12345")).toBe("•••");
  });
});
