import { describe, expect, it } from "vitest";
import { canonicalLocale, SEED_LOCALES, TEXTS } from "./locales.ts";
import { smsSegmentInfo } from "../../lib/sms-segments.ts";
import { assertMessageFits, renderMessage } from "./messages.ts";

describe("message texts", () => {
  it("has a text for every locale Textmagic's Verify API lists, and for the seven main languages", () => {
    for (const locale of SEED_LOCALES) expect(canonicalLocale(locale), locale).toBe(locale);
    for (const language of ["en", "de", "es", "fr", "it", "nl", "pt"]) expect(TEXTS[language]).toBeDefined();
    expect(canonicalLocale("pt_BR")).toBe("pt-br");
    expect(canonicalLocale("xx")).toBeNull();
    expect(canonicalLocale("en-zz")).toBeNull();
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

describe("what a code text carries besides the code", () => {
  const locales = Object.keys(TEXTS);
  const extras = { validForSeconds: 600, originHost: "example.com" };

  it("no unit ends in a period (the validity sentence ends with its own)", () => {
    for (const locale of locales) for (const unit of [TEXTS[locale]!.minutes, TEXTS[locale]!.hours]) expect(unit, locale).not.toMatch(/\.$/);
  });

  it.each(locales)("%s: says how long the code is valid and ends with the origin-bound line, in one segment", (locale) => {
    for (const code of ["482913", "7KQ4MA2Z"]) {
      const text = renderMessage({ channel: "sms", locale, brand: "textgate", code }, extras);
      const lines = text.split("\n");
      expect(lines.at(-1), locale).toBe(`@example.com #${code}`);
      expect(lines[0], locale).toContain(TEXTS[locale]!.minutes.replace("{n}", "10"));
      expect(lines[0], locale).toContain(code);
      const info = smsSegmentInfo(text);
      expect(info.length, `${locale}: ${info.encoding} ${text}`).toBeLessThanOrEqual(info.limit);
    }
  });

  it("covers both alphabets (GSM-7 and UCS-2 locales)", () => {
    const encodings = new Set(locales.map((locale) => smsSegmentInfo(renderMessage({ channel: "sms", locale, brand: "textgate", code: "482913" }, extras)).encoding));
    expect(encodings).toEqual(new Set(["GSM-7", "UCS-2"]));
  });

  it("drops the validity sentence first, then the app hash, to stay in one segment; the origin line stays while it fits", () => {
    const long = { channel: "sms" as const, locale: "ru", brand: "B".repeat(18), code: "8".repeat(10) };
    const text = renderMessage(long, { ...extras, appHash: "FA+9qCX9VSu" });
    expect(text.split("\n").at(-1)).toBe(`@example.com #${"8".repeat(10)}`);
    expect(text).not.toContain("10 мин");
    expect(smsSegmentInfo(text).length).toBeLessThanOrEqual(70);
    const roomy = renderMessage({ channel: "sms", locale: "en", brand: "Acme", code: "482913" }, { ...extras, appHash: "FA+9qCX9VSu" });
    expect(roomy).toBe("Your Acme verification code is 482913. Valid for 10 min.\nFA+9qCX9VSu\n@example.com #482913");
  });

  it("hours past two hours, nothing for a template's own text or a call, and no line without a host", () => {
    expect(renderMessage({ channel: "sms", locale: "de", brand: "Acme", code: "482913" }, { validForSeconds: 4 * 3600 })).toBe(
      "Ihr Acme Bestätigungscode lautet 482913. Gültig für 4 Stunden.",
    );
    expect(renderMessage({ channel: "sms", locale: "en", brand: "Acme", template: "Code: {code}", code: "482913" }, extras)).toBe("Code: 482913\n@example.com #482913");
    expect(renderMessage({ channel: "voice", locale: "en", brand: "Acme", code: "12" }, extras)).toBe("Your Acme verification code is 1, 2. Once again, your code is 1, 2.");
  });
});
