import { describe, expect, it } from "vitest";
import { canonicalLocale, SEED_LOCALES, TEXTS } from "./locales.ts";
import { assertMessageFits, gsm7Length, renderMessage, smsSegmentInfo } from "./messages.ts";

describe("message texts", () => {
  it("has a text for every locale seed 002 lists, and the seven the issue requires", () => {
    for (const locale of SEED_LOCALES) expect(canonicalLocale(locale), locale).toBe(locale);
    for (const language of ["en", "de", "es", "fr", "it", "nl", "pt"]) expect(TEXTS[language]).toBeDefined();
    expect(canonicalLocale("pt_BR")).toBe("pt-br");
    expect(canonicalLocale("xx")).toBeNull();
    expect(canonicalLocale("en-zz")).toBeNull();
  });

  it("counts GSM-7 septets, extended characters twice, and falls back to UCS-2", () => {
    expect(gsm7Length("abc")).toBe(3);
    expect(gsm7Length("€[")).toBe(4);
    expect(gsm7Length("ж")).toBeNull();
    expect(smsSegmentInfo("ж".repeat(70))).toEqual({ encoding: "UCS-2", length: 70, limit: 70 });
    expect(smsSegmentInfo("😀")).toMatchObject({ encoding: "UCS-2", length: 2 });
  });

  it("fits every default text with the longest brand and code in one segment", () => {
    for (const locale of Object.keys(TEXTS)) {
      expect(() => assertMessageFits({ channel: "sms", locale, brand: "B".repeat(18), codeLength: 20, alphanumeric: true }), locale).not.toThrow();
      expect(() => assertMessageFits({ channel: "voice", locale, brand: "B".repeat(18), codeLength: 20, alphanumeric: true }), locale).not.toThrow();
    }
  });

  it("limits a voice message to 500 characters including the spelled-out code", () => {
    const template = `${"a".repeat(490)} {code}`;
    expect(() => assertMessageFits({ channel: "voice", locale: "en", brand: "x", template, codeLength: 6, alphanumeric: false })).toThrowError(
      expect.objectContaining({ code: "message_too_long" }),
    );
    expect(() => assertMessageFits({ channel: "sms", locale: "en", brand: "x", template, codeLength: 6, alphanumeric: false })).toThrowError(
      expect.objectContaining({ code: "message_too_long" }),
    );
    expect(renderMessage({ channel: "voice", locale: "en", brand: "x", template: "{code}", code: "4821" })).toBe("4, 8, 2, 1");
  });
});
