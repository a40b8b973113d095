import { describe, expect, it } from "vitest";

import { resentMessage, tooManyRequestsMessage } from "./adapters.ts";
import { analysePhone, formatInternational, loadPhoneLib } from "./phone-analysis.ts";
import { attemptsLeftText, codeCharacters, expiresInText } from "./token-text.ts";

describe("codeCharacters", () => {
  it("keeps only digits of a numeric code", () => {
    expect(codeCharacters(" 12-34 56 ", 6, false)).toBe("123456");
    expect(codeCharacters("abc", 6, false)).toBe("");
  });

  it("upper-cases an alphanumeric code and drops everything else", () => {
    expect(codeCharacters("7kq-4ma", 6, true)).toBe("7KQ4MA");
  });

  it("takes the word of the right length out of a whole message", () => {
    expect(codeCharacters("Your code is 7kq4ma. Do not share it.", 6, true)).toBe("7KQ4MA");
    expect(codeCharacters("Your textgate code is 482913", 6, false)).toBe("482913");
  });
});

describe("attemptsLeftText", () => {
  it("says attempt or attempts", () => {
    expect(attemptsLeftText(1)).toBe("1 attempt left.");
    expect(attemptsLeftText(3)).toBe("3 attempts left.");
  });
});

describe("analysePhone", () => {
  it("before the library loads, accepts only a plain international number", () => {
    expect(analysePhone(null, "+12125550123", "US")).toMatchObject({ e164: "+12125550123", problem: null });
    expect(analysePhone(null, "2125550123", "US").e164).toBeNull();
  });

  it("formats as you type, detects the country of a + number and explains impossible ones", async () => {
    const lib = await loadPhoneLib();
    expect(analysePhone(lib, "2125550123", "US")).toMatchObject({ formatted: "(212) 555-0123", e164: "+12125550123", problem: null });
    expect(analysePhone(lib, "+44 7860 021130", "US")).toMatchObject({ detectedCountry: "GB", e164: "+447860021130" });
    expect(analysePhone(lib, "212", "US")).toMatchObject({ e164: null, problem: "This phone number is too short." });
    expect(formatInternational("+447860021130", lib)).toBe("+44 7860 021130");
  });
});

describe("waits and resend messages", () => {
  it("says waits and validity in minutes rather than hundreds of seconds", () => {
    expect(tooManyRequestsMessage(590)).toBe("Too many requests — try again in 10 min");
    expect(expiresInText(599)).toBe("The code expires in 10 min.");
    expect(expiresInText(45)).toBe("The code expires in 45 s.");
    expect(tooManyRequestsMessage(undefined)).toBe("Too many requests — try again later");
  });

  it("tells a resend of the same code from a new code", () => {
    const same = resentMessage({ verificationId: "a" }, { verificationId: "a", to: "+14155550123" }, (n) => n);
    const fresh = resentMessage({ verificationId: "a" }, { verificationId: "b", to: "+14155550123" }, (n) => n);
    expect(same).toBe("We sent the same code again to +14155550123.");
    expect(fresh).toBe("We sent a new code to +14155550123.");
  });
});
