/**
 * Default message texts. Textmagic's Verify API (docs/compat/textmagic.md) lists the locales textgate accepts (language-region); every language
 * of that list has a translation here. The SMS texts of languages that need UCS-2 (one segment: 70
 * characters) are short, so that with the validity sentence and the origin-bound line (messages.ts) a
 * code still goes in one segment. `{brand}` and `{code}` are filled in by messages.ts; `{wait}` in
 * the guessing notice by guess-limits.ts.
 */
export interface LocaleTexts {
  sms: string;
  /**
   * Appended to the default SMS text: how long the code works, `{duration}` from `minutes` or `hours`.
   * Starts with its own punctuation, as languages join sentences differently.
   */
  validity: string;
  minutes: string;
  hours: string;
  /** Spoken by a text-to-speech call; `{code}` is read out character by character. */
  voice: string;
  /** The one notice to a number locked by wrong codes in a row (no code in it); `{wait}` as "30 s", "8 min", "1 h". */
  guessing: string;
}

export const TEXTS: Record<string, LocaleTexts> = {
  en: { sms: "Your {brand} verification code is {code}", validity: ". Valid for {duration}.", minutes: "{n} min", hours: "{n} h", voice: "Your {brand} verification code is {code}. Once again, your code is {code}.", guessing: "{brand}: someone entered many wrong codes for this number. Code checks are paused for {wait}. If it was not you, never share a code." },
  de: { sms: "Ihr {brand} Bestätigungscode lautet {code}", validity: ". Gültig für {duration}.", minutes: "{n} Minuten", hours: "{n} Stunden", voice: "Ihr {brand} Bestätigungscode lautet {code}. Noch einmal, Ihr Code lautet {code}.", guessing: "{brand}: Für diese Nummer wurden viele falsche Codes eingegeben. Codeprüfungen sind für {wait} pausiert. Waren Sie das nicht, geben Sie nie einen Code weiter." },
  es: { sms: "Tu código {brand}: {code}", validity: ". Válido {duration}.", minutes: "{n} min", hours: "{n} h", voice: "Tu código de verificación de {brand} es {code}. Repito, tu código es {code}.", guessing: "{brand}: alguien introdujo muchos códigos incorrectos para este número. Las comprobaciones se pausan durante {wait}. Si no fuiste tú, no compartas ningún código." },
  fr: { sms: "Votre code de vérification {brand} est {code}", validity: ". Valable {duration}.", minutes: "{n} min", hours: "{n} h", voice: "Votre code de vérification {brand} est {code}. Je répète, votre code est {code}.", guessing: "{brand} : quelqu'un a saisi de nombreux codes erronés pour ce numéro. Les vérifications sont suspendues pendant {wait}. Si ce n'était pas vous, ne partagez aucun code." },
  it: { sms: "Il tuo codice di verifica {brand} è {code}", validity: ". Valido per {duration}.", minutes: "{n} min", hours: "{n} ore", voice: "Il tuo codice di verifica {brand} è {code}. Ripeto, il tuo codice è {code}.", guessing: "{brand}: qualcuno ha inserito molti codici errati per questo numero. Le verifiche sono sospese per {wait}. Se non sei stato tu, non condividere mai un codice." },
  nl: { sms: "Je {brand} verificatiecode is {code}", validity: ". Geldig voor {duration}.", minutes: "{n} min", hours: "{n} uur", voice: "Je {brand} verificatiecode is {code}. Nogmaals, je code is {code}.", guessing: "{brand}: iemand heeft veel verkeerde codes ingevoerd voor dit nummer. Controles zijn {wait} gepauzeerd. Was jij dit niet, deel dan nooit een code." },
  pt: { sms: "Código {brand}: {code}", validity: ". Válido {duration}.", minutes: "{n} min", hours: "{n} h", voice: "O seu código de verificação {brand} é {code}. Repetindo, o seu código é {code}.", guessing: "{brand}: alguém introduziu muitos códigos errados para este número. As verificações estão suspensas durante {wait}. Se não foi você, nunca partilhe um código." },
  pl: { sms: "Twój kod {brand}: {code}", validity: ". Ważny {duration}.", minutes: "{n} min", hours: "{n} h", voice: "Twój kod weryfikacyjny {brand} to {code}. Powtarzam, twój kod to {code}.", guessing: "{brand}: ktoś wpisał wiele błędnych kodów dla tego numeru. Sprawdzanie kodów wstrzymano na {wait}. Jeśli to nie Ty, nigdy nie udostępniaj kodu." },
  sv: { sms: "Din verifieringskod för {brand} är {code}", validity: ". Giltig i {duration}.", minutes: "{n} min", hours: "{n} tim", voice: "Din verifieringskod för {brand} är {code}. Än en gång, din kod är {code}.", guessing: "{brand}: någon har angett många felaktiga koder för det här numret. Kontrollerna är pausade i {wait}. Om det inte var du, dela aldrig en kod." },
  ro: { sms: "Codul tău {brand}: {code}", validity: ". Valabil {duration}.", minutes: "{n} min", hours: "{n} ore", voice: "Codul tău de verificare {brand} este {code}. Repet, codul tău este {code}.", guessing: "{brand}: cineva a introdus multe coduri greșite pentru acest număr. Verificările sunt suspendate timp de {wait}. Dacă nu ai fost tu, nu împărtăși niciun cod." },
  tr: { sms: "{brand} kodunuz: {code}", validity: ". {duration} geçerlidir.", minutes: "{n} dk", hours: "{n} sa", voice: "{brand} doğrulama kodunuz {code}. Tekrar ediyorum, kodunuz {code}.", guessing: "{brand}: bu numara için çok sayıda yanlış kod girildi. Kod kontrolleri {wait} süreyle durduruldu. Siz değilseniz, kodu kimseyle paylaşmayın." },
  is: { sms: "{brand} kóði: {code}", validity: ". Gildir í {duration}.", minutes: "{n} mín", hours: "{n} klst", voice: "{brand} staðfestingarkóðinn þinn er {code}. Aftur, kóðinn þinn er {code}.", guessing: "{brand}: einhver sló inn marga ranga kóða fyrir þetta númer. Athugunum er frestað í {wait}. Ef þetta varst ekki þú, deildu aldrei kóða." },
  ru: { sms: "Ваш код {brand}: {code}", validity: ". Действует {duration}.", minutes: "{n} мин", hours: "{n} ч", voice: "Ваш код подтверждения {brand}: {code}. Повторяю, ваш код: {code}.", guessing: "{brand}: для этого номера введено много неверных кодов. Проверка кодов приостановлена на {wait}. Если это были не вы, никому не сообщайте код." },
  ja: { sms: "{brand}の認証コードは{code}です", validity: "。有効期限は{duration}です。", minutes: "{n}分", hours: "{n}時間", voice: "{brand}の認証コードは{code}です。もう一度言います、コードは{code}です。", guessing: "{brand}：この番号で誤ったコードが何度も入力されました。コードの確認を{wait}停止します。心当たりがない場合は、コードを誰にも教えないでください。" },
  ko: { sms: "{brand} 인증 코드는 {code}입니다", validity: ". {duration} 동안 유효합니다.", minutes: "{n}분", hours: "{n}시간", voice: "{brand} 인증 코드는 {code}입니다. 다시 한 번, 코드는 {code}입니다.", guessing: "{brand}: 이 번호로 잘못된 코드가 여러 번 입력되었습니다. {wait} 동안 코드 확인이 중지됩니다. 본인이 아니라면 코드를 절대 공유하지 마세요." },
  "zh-cn": { sms: "您的{brand}验证码是{code}", validity: "，{duration}内有效。", minutes: "{n}分钟", hours: "{n}小时", voice: "您的{brand}验证码是{code}。再说一遍，您的验证码是{code}。", guessing: "{brand}：此号码已多次输入错误验证码。验证将暂停{wait}。如非本人操作，请勿向任何人透露验证码。" },
  "zh-tw": { sms: "您的{brand}驗證碼是{code}", validity: "，{duration}內有效。", minutes: "{n}分鐘", hours: "{n}小時", voice: "您的{brand}驗證碼是{code}。再說一遍，您的驗證碼是{code}。", guessing: "{brand}：此號碼已多次輸入錯誤驗證碼。驗證將暫停{wait}。如非本人操作，請勿向任何人透露驗證碼。" },
};

/** The locales Textmagic's Verify API names; a bare language (en, de, …) is accepted too. */
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

/** The locale a number's country suggests (a 33… number gets French), when textgate has it. */
const COUNTRY_LOCALE: Record<string, string> = {
  DE: "de-de", AT: "de", CH: "de", LI: "de", GB: "en-gb", US: "en-us", AU: "en-au", IN: "en-in", IE: "en", NZ: "en", CA: "en",
  ES: "es-es", MX: "es-mx", AR: "es", CL: "es", CO: "es", PE: "es", FR: "fr-fr", BE: "fr", LU: "fr", IT: "it-it",
  NL: "nl-nl", PT: "pt-pt", BR: "pt-br", PL: "pl-pl", SE: "sv-se", RO: "ro-ro", TR: "tr-tr", IS: "is-is", RU: "ru-ru",
  JP: "ja-jp", KR: "ko-kr", CN: "zh-cn", TW: "zh-tw", HK: "zh-tw",
};

export function localeForCountry(country: string | undefined): string | undefined {
  return country ? COUNTRY_LOCALE[country] : undefined;
}
