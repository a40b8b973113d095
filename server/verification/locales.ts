/**
 * Default message texts. Seed 002 lists the locales textgate accepts (language-region); every language
 * of that list has a translation here. `{brand}` and `{code}` are filled in by messages.ts.
 */
export interface LocaleTexts {
  sms: string;
  /** Spoken by a text-to-speech call; `{code}` is read out character by character. */
  voice: string;
}

export const TEXTS: Record<string, LocaleTexts> = {
  en: { sms: "Your {brand} verification code is {code}", voice: "Your {brand} verification code is {code}. Once again, your code is {code}." },
  de: { sms: "Ihr {brand} Bestätigungscode lautet {code}", voice: "Ihr {brand} Bestätigungscode lautet {code}. Noch einmal, Ihr Code lautet {code}." },
  es: { sms: "Tu código de verificación {brand}: {code}", voice: "Tu código de verificación de {brand} es {code}. Repito, tu código es {code}." },
  fr: { sms: "Votre code de vérification {brand} est {code}", voice: "Votre code de vérification {brand} est {code}. Je répète, votre code est {code}." },
  it: { sms: "Il tuo codice di verifica {brand} è {code}", voice: "Il tuo codice di verifica {brand} è {code}. Ripeto, il tuo codice è {code}." },
  nl: { sms: "Je {brand} verificatiecode is {code}", voice: "Je {brand} verificatiecode is {code}. Nogmaals, je code is {code}." },
  pt: { sms: "O seu código de verificação {brand} é {code}", voice: "O seu código de verificação {brand} é {code}. Repetindo, o seu código é {code}." },
  pl: { sms: "Twój kod weryfikacyjny {brand} to {code}", voice: "Twój kod weryfikacyjny {brand} to {code}. Powtarzam, twój kod to {code}." },
  sv: { sms: "Din verifieringskod för {brand} är {code}", voice: "Din verifieringskod för {brand} är {code}. Än en gång, din kod är {code}." },
  ro: { sms: "Codul tău de verificare {brand} este {code}", voice: "Codul tău de verificare {brand} este {code}. Repet, codul tău este {code}." },
  tr: { sms: "{brand} doğrulama kodunuz {code}", voice: "{brand} doğrulama kodunuz {code}. Tekrar ediyorum, kodunuz {code}." },
  is: { sms: "{brand} staðfestingarkóðinn þinn er {code}", voice: "{brand} staðfestingarkóðinn þinn er {code}. Aftur, kóðinn þinn er {code}." },
  ru: { sms: "Ваш код подтверждения {brand}: {code}", voice: "Ваш код подтверждения {brand}: {code}. Повторяю, ваш код: {code}." },
  ja: { sms: "{brand}の認証コードは{code}です", voice: "{brand}の認証コードは{code}です。もう一度言います、コードは{code}です。" },
  ko: { sms: "{brand} 인증 코드는 {code}입니다", voice: "{brand} 인증 코드는 {code}입니다. 다시 한 번, 코드는 {code}입니다." },
  "zh-cn": { sms: "您的{brand}验证码是{code}", voice: "您的{brand}验证码是{code}。再说一遍，您的验证码是{code}。" },
  "zh-tw": { sms: "您的{brand}驗證碼是{code}", voice: "您的{brand}驗證碼是{code}。再說一遍，您的驗證碼是{code}。" },
};

/** The locales seed 002 names; a bare language (en, de, …) is accepted too. */
export const SEED_LOCALES = [
  "de-de", "en-au", "en-gb", "en-us", "en-in", "es-es", "es-mx", "es-us", "fr-ca", "fr-fr", "is-is", "it-it",
  "ja-jp", "ko-kr", "nl-nl", "pl-pl", "pt-pt", "pt-br", "ro-ro", "ru-ru", "sv-se", "tr-tr", "zh-cn", "zh-tw",
] as const;

/** Canonical lower-case locale (`en-GB` → `en-gb`, `pt_BR` → `pt-br`), or null when textgate has no text for it. */
export function canonicalLocale(input: string): string | null {
  const locale = input.trim().toLowerCase().replace("_", "-");
  if (!/^[a-z]{2}(-[a-z]{2})?$/.test(locale)) return null;
  if (locale === "zh") return "zh-cn";
  if (TEXTS[locale]) return locale;
  const language = locale.slice(0, 2);
  if (!TEXTS[language] || language === "zh") return null;
  if (locale.length === 2 || (SEED_LOCALES as readonly string[]).includes(locale)) return locale;
  return null;
}

export function textsFor(locale: string): LocaleTexts {
  return TEXTS[locale] ?? TEXTS[locale.slice(0, 2)] ?? (TEXTS.en as LocaleTexts);
}

/** The locale a number's country suggests (seed 002: a 33… number gets French), when textgate has it. */
const COUNTRY_LOCALE: Record<string, string> = {
  DE: "de-de", AT: "de", CH: "de", LI: "de", GB: "en-gb", US: "en-us", AU: "en-au", IN: "en-in", IE: "en", NZ: "en", CA: "en",
  ES: "es-es", MX: "es-mx", AR: "es", CL: "es", CO: "es", PE: "es", FR: "fr-fr", BE: "fr", LU: "fr", IT: "it-it",
  NL: "nl-nl", PT: "pt-pt", BR: "pt-br", PL: "pl-pl", SE: "sv-se", RO: "ro-ro", TR: "tr-tr", IS: "is-is", RU: "ru-ru",
  JP: "ja-jp", KR: "ko-kr", CN: "zh-cn", TW: "zh-tw", HK: "zh-tw",
};

export function localeForCountry(country: string | undefined): string | undefined {
  return country ? COUNTRY_LOCALE[country] : undefined;
}
