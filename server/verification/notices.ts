/**
 * The one renderer of the texts in notice-locales.ts: picks the locale's text (its language's, else
 * English), fills `{brand}` and the other placeholders, and keeps the values inside GSM-7 so that a text
 * in a GSM-7 language stays in a 160-character segment (a masked number's "•" would make the whole
 * text UCS-2, 70 characters a segment; in SMS it is "*").
 */
import { parsePhone } from "../../lib/phone.ts";
import { canonicalLocale, localeForCountry } from "./locales.ts";
import { NOTICE_TEXTS, type NoticeKey, type NoticeTexts } from "./notice-locales.ts";

export type { NoticeKey };

export type NoticeValues = Readonly<Record<string, string | number>>;

export interface NoticeOptions {
  locale: string;
  brand: string;
  values?: NoticeValues;
}

export function noticeTextsFor(locale: string): NoticeTexts {
  return NOTICE_TEXTS[locale] ?? NOTICE_TEXTS[locale.slice(0, 2)] ?? (NOTICE_TEXTS.en as NoticeTexts);
}

/** `{name}` → value, for a catalog text or an operator's own (a unit's `text:` option). */
export function fillPlaceholders(pattern: string, values: NoticeValues): string {
  return pattern.replace(/\{([a-zA-Z]+)\}/g, (whole, name: string) => {
    const value = values[name];
    return value === undefined ? whole : String(value).replaceAll("•", "*");
  });
}

export function renderNotice(key: NoticeKey, { locale, brand, values = {} }: NoticeOptions): string {
  return fillPlaceholders(noticeTextsFor(locale)[key], { ...values, brand });
}

/**
 * The locale of texts to `phone`: `preferred` (a unit's `locale` option) when textgate has it, else the
 * language of the number's country (locales.ts localeForCountry), else `fallback` (DEFAULT_LOCALE), else English.
 */
export function noticeLocale(phone: string, fallback: string, preferred?: string | null): string {
  return (
    (preferred ? canonicalLocale(preferred) : null) ??
    canonicalLocale(localeForCountry(parsePhone(phone)?.country) ?? fallback) ??
    canonicalLocale(fallback) ??
    "en"
  );
}

/** What every notice needs from the configuration: DEFAULT_BRAND and DEFAULT_LOCALE. */
export interface NoticeSettings {
  brand: string;
  defaultLocale: string;
}

/** The text `key` for the phone `to`, in its locale (noticeLocale), with the brand. */
export function noticeFor(settings: NoticeSettings, to: string, key: NoticeKey, values: NoticeValues = {}, preferredLocale?: string | null): string {
  return renderNotice(key, { locale: noticeLocale(to, settings.defaultLocale, preferredLocale), brand: settings.brand, values });
}

/**
 * A socket unit's text for the user's phone (UnitContext.notice): the catalog's, in the unit's `locale`
 * option or the number's; or the unit's own `text` option with its placeholders filled and the brand first.
 */
export function unitNotice(
  settings: NoticeSettings,
  phone: string,
  notice: { key: NoticeKey; values?: NoticeValues; text?: string; locale?: string },
): string {
  if (notice.text === undefined) return noticeFor(settings, phone, notice.key, notice.values, notice.locale);
  return `${settings.brand}: ${fillPlaceholders(notice.text, notice.values ?? {})}`;
}
