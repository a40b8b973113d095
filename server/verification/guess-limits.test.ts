import { describe, expect, it } from "vitest";
import { describeWait } from "../../lib/durations.ts";
import { guessingNotice } from "./guess-limits.ts";
import { TEXTS } from "./locales.ts";

describe("the guessing notice", () => {
  it("is in the language of the number's country, else the default locale", () => {
    const notice = (to: string, defaultLocale = "en") => guessingNotice({ to, brand: "Acme", lockedForSeconds: 30, defaultLocale });
    expect(notice("+12125550100")).toBe("Acme: someone entered many wrong codes for this number. Code checks are paused for 30 s. If it was not you, never share a code.");
    expect(notice("+4915112345678")).toMatch(/^Acme: Für diese Nummer wurden viele falsche Codes eingegeben\. Codeprüfungen sind für 30 s pausiert\./);
    expect(notice("+33612345678")).toMatch(/^Acme : quelqu'un a saisi/);
    // A country textgate has no language for (Kenya) falls back to DEFAULT_LOCALE.
    expect(notice("+254712345678", "sv")).toMatch(/^Acme: någon har angett/);
  });

  it("has every placeholder filled in every language", () => {
    for (const [locale, texts] of Object.entries(TEXTS)) {
      expect(texts.guessing, locale).toContain("{brand}");
      expect(texts.guessing, locale).toContain("{wait}");
    }
    expect(guessingNotice({ to: "+819012345678", brand: "Acme", lockedForSeconds: 3600, defaultLocale: "en" })).toBe(
      "Acme：この番号で誤ったコードが何度も入力されました。コードの確認を1 h停止します。心当たりがない場合は、コードを誰にも教えないでください。",
    );
  });

  it("describes waits in seconds, minutes or hours", () => {
    expect([1, 89, 90, 480, 3599, 3600, 5399, 5400, 86_400].map(describeWait)).toEqual(["1 s", "89 s", "2 min", "8 min", "60 min", "1 h", "90 min", "2 h", "24 h"]);
  });
});
