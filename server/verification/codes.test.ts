import { describe, expect, it } from "vitest";
import { ALPHANUMERIC, CodeCrypto, generateCode, normalizeCode, plausibleCode } from "./codes.ts";

describe("codes", () => {
  it("draws numeric codes uniformly from the CSPRNG, keeping leading zeros (10^5 codes)", () => {
    const counts = new Array(10).fill(0) as number[];
    let leadingZeros = 0;
    const N = 100_000;
    for (let i = 0; i < N; i++) {
      const code = generateCode(6, false);
      expect(code).toMatch(/^[0-9]{6}$/);
      if (code[0] === "0") leadingZeros++;
      for (const c of code) counts[Number(c)]!++;
    }
    // Chi-square over 10 digits (9 degrees of freedom): 27.88 is the 0.1% critical value.
    const expected = (N * 6) / 10;
    const chi2 = counts.reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(27.88);
    expect(leadingZeros / N).toBeGreaterThan(0.09);
    expect(leadingZeros / N).toBeLessThan(0.11);
  });

  it("uses only the look-alike-free alphabet for alphanumeric codes", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) for (const c of generateCode(10, true)) seen.add(c);
    expect([...seen].sort().join("")).toBe([...ALPHANUMERIC].sort().join(""));
    for (const bad of "01258BILOSZ") expect(ALPHANUMERIC).not.toContain(bad);
  });

  it("normalises what people type and refuses impossible shapes", () => {
    expect(normalizeCode(" ab12 ")).toBe("AB12");
    expect(plausibleCode("0042", 4, false)).toBe(true);
    expect(plausibleCode("42", 4, false)).toBe(false);
    expect(plausibleCode("4A42", 4, false)).toBe(false);
    expect(plausibleCode("4A42", 4, true)).toBe(true);
  });

  it("binds the hash to verification, number and purpose, and compares in constant time", () => {
    const crypto = new CodeCrypto("s".repeat(40));
    const binding = { verificationId: "v1", to: "+14155550123", purpose: "login" };
    const hash = crypto.hash("123456", binding);
    expect(hash).not.toContain("123456");
    expect(crypto.matches("123456", binding, hash)).toBe(true);
    expect(crypto.matches("123457", binding, hash)).toBe(false);
    expect(crypto.matches("123456", { ...binding, verificationId: "v2" }, hash)).toBe(false);
    expect(crypto.matches("123456", { ...binding, to: "+14155550124" }, hash)).toBe(false);
    expect(crypto.matches("123456", { ...binding, purpose: "payment" }, hash)).toBe(false);
    expect(new CodeCrypto("t".repeat(40)).matches("123456", binding, hash)).toBe(false);
  });

  it("seals a code so only the same secret and verification open it", () => {
    const crypto = new CodeCrypto("s".repeat(40));
    const sealed = crypto.seal("A7K2", "v1");
    expect(sealed).not.toContain("A7K2");
    expect(crypto.open(sealed, "v1")).toBe("A7K2");
    expect(() => crypto.open(sealed, "v2")).toThrow();
    expect(() => new CodeCrypto("t".repeat(40)).open(sealed, "v1")).toThrow();
  });
});
