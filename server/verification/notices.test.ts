/**
 * The notice catalog (notice-locales.ts) and its renderer (notices.ts): every key in every locale of the
 * code texts, the same placeholders as English, the brand in each, one SMS segment (GSM-7 or UCS-2,
 * counted by lib/sms-segments.ts) with representative values, and the locale choice.
 */
import { describe, expect, it } from "vitest";
import { smsParts } from "../../lib/sms-segments.ts";
import { TEXTS } from "./locales.ts";
import { NOTICE_TEXTS, type NoticeKey, UNBRANDED_NOTICES } from "./notice-locales.ts";
import { fillPlaceholders, noticeLocale, renderNotice, unitNotice } from "./notices.ts";

const KEYS = Object.keys(NOTICE_TEXTS.en!) as NoticeKey[];
const LOCALES = Object.keys(NOTICE_TEXTS);
const placeholders = (text: string) => [...text.matchAll(/\{([a-zA-Z]+)\}/g)].map((m) => m[1]).sort();

/** Values as they come: a name with a masked number, an app's socket path, a 4-character reference. */
const SAMPLE = {
  yes: "YES",
  who: "Ada (+1•••••••123)",
  path: "/ws/chat",
  ref: "K7Q2",
  count: 2,
  number: "+4•••123",
  perHour: 1000,
  minutes: 60,
  host: "hooks.example.com",
  country: "NG",
  carrier: "messagebird",
  percent: 12,
  approved: 3,
  started: 250,
};
/** Texts to a user's phone carry only the brand besides fixed words: they must fit with the longest brand (DEFAULT_BRAND, 18). */
const USER_TEXTS: NoticeKey[] = ["reply", "replySecret", "confirmReply", "confirm"];

describe("notice catalog", () => {
  it("has every locale of the code texts, and every key in each", () => {
    expect(LOCALES.sort()).toEqual(Object.keys(TEXTS).sort());
    for (const locale of LOCALES) expect(Object.keys(NOTICE_TEXTS[locale]!).sort(), locale).toEqual([...KEYS].sort());
  });

  it.each(LOCALES)("%s: the placeholders of English, and the brand in every text", (locale) => {
    for (const key of KEYS) {
      const text = NOTICE_TEXTS[locale]![key];
      expect(placeholders(text), `${locale}.${key}`).toEqual(placeholders(NOTICE_TEXTS.en![key]));
      if (!UNBRANDED_NOTICES.includes(key)) expect(text, `${locale}.${key}`).toContain("{brand}");
      expect(renderNotice(key, { locale, brand: "textgate", values: SAMPLE }), `${locale}.${key}`).not.toMatch(/\{[a-zA-Z]+\}/);
    }
  });

  it.each(LOCALES)("%s: each text fits one SMS segment", (locale) => {
    for (const key of KEYS) {
      const text = renderNotice(key, { locale, brand: "textgate", values: SAMPLE });
      const alert = key === "ownerAlert" ? `${text} ${renderNotice("ownerDecide", { locale, brand: "textgate", values: SAMPLE })}` : text;
      expect(smsParts(alert), `${locale}.${key}: ${alert}`).toMatchObject({ parts: 1 });
    }
    for (const key of USER_TEXTS) {
      const text = renderNotice(key, { locale, brand: "B".repeat(18), values: SAMPLE });
      expect(smsParts(text), `${locale}.${key}: ${text}`).toMatchObject({ parts: 1 });
    }
  });
});

describe("renderNotice", () => {
  it("fills the brand and values, with a masked number in GSM-7 so an English text keeps 160 characters", () => {
    const text = renderNotice("ownerAlert", { locale: "en-us", brand: "Acme", values: { who: "Ada (+1•••••••123)", path: "/ws/chat" } });
    expect(text).toBe("Acme: Ada (+1*******123) is connecting to /ws/chat.");
    expect(smsParts(text).encoding).toBe("GSM-7");
  });

  it("uses the language's text for a regional locale and English for one it lacks", () => {
    expect(renderNotice("confirm", { locale: "fr-ca", brand: "Acme" })).toBe("Acme : Vous venez de vous connecter");
    expect(renderNotice("confirm", { locale: "xx", brand: "Acme" })).toBe("Acme: You've just logged in");
  });

  it("fills an operator's own text the same way, leaving unknown braces alone", () => {
    expect(fillPlaceholders("{who} on {path} {other}", { who: "Ada (+1•••••••123)", path: "/p" })).toBe("Ada (+1*******123) on /p {other}");
  });
});

describe("unitNotice", () => {
  const settings = { brand: "Acme", defaultLocale: "en" };
  it("speaks the unit's locale option, else the number's language, and keeps a unit's own text (branded)", () => {
    expect(unitNotice(settings, "+12125550100", { key: "reply" })).toBe("Acme: Hi, what's on the screen?");
    expect(unitNotice(settings, "+33612345678", { key: "reply" })).toBe("Acme : Bonjour, qu'y a-t-il à l'écran ?");
    expect(unitNotice(settings, "+33612345678", { key: "reply", locale: "de-DE" })).toBe("Acme: Hallo, was steht auf dem Bildschirm?");
    expect(unitNotice(settings, "+12125550100", { key: "confirmReply", values: { yes: "JA" }, locale: "de" })).toBe(
      "Acme: Melden Sie sich gerade an? Antworten Sie JA zum Bestätigen.",
    );
    expect(unitNotice(settings, "+33612345678", { key: "confirmReply", values: { yes: "OUI" }, text: "Reply {yes}, please" })).toBe("Acme: Reply OUI, please");
  });
});

describe("noticeLocale", () => {
  it("takes the preferred locale, else the number's country, else the fallback, else English", () => {
    expect(noticeLocale("+33612345678", "en", "de-DE")).toBe("de-de");
    expect(noticeLocale("+33612345678", "en")).toBe("fr-fr");
    expect(noticeLocale("+33612345678", "en", "xx-YY")).toBe("fr-fr");
    expect(noticeLocale("+12125550100", "de")).toBe("en-us");
    expect(noticeLocale("+23480312345678", "de")).toBe("de");
    expect(noticeLocale("+23480312345678", "xx")).toBe("en");
  });
});
