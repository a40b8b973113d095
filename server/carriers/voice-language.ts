/**
 * The language tag a text-to-speech call is spoken in, from the verification's locale ("pt-br" →
 * "pt-BR"). Carriers accept BCP-47 tags such as en-US and de-DE (Vonage talk `language`, Twilio and
 * SignalWire <Say language>); which exact tags each carrier's voices support is not confirmed for all
 * of these, so an operator can pin one with <ID>_VOICE_LANGUAGE.
 */
const LANGUAGES: Readonly<Record<string, string>> = {
  en: "en-US",
  de: "de-DE",
  es: "es-ES",
  fr: "fr-FR",
  it: "it-IT",
  nl: "nl-NL",
  pt: "pt-PT",
  pl: "pl-PL",
  sv: "sv-SE",
  ro: "ro-RO",
  tr: "tr-TR",
  is: "is-IS",
  ru: "ru-RU",
  ja: "ja-JP",
  ko: "ko-KR",
  zh: "zh-CN",
};

export function voiceLanguage(locale: string | undefined, fallback: string): string {
  if (!locale) return fallback;
  const [language, region] = locale.toLowerCase().split(/[-_]/);
  if (!language) return fallback;
  if (region && /^[a-z]{2}$/.test(region)) return `${language}-${region.toUpperCase()}`;
  return LANGUAGES[language] ?? fallback;
}
