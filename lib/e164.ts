/**
 * The E.164 shape (ITU-T E.164): a "+", a country code that does not start with 0, 7 to 15 digits in all.
 * Free of imports so browser code (the /login script, the sandbox handset) can use it without
 * libphonenumber; lib/phone.ts parses with the full metadata and has the last word on validity.
 */
export const E164_DIGITS = "[1-9][0-9]{6,14}";

/** "+14155550123". */
export const E164_PATTERN = new RegExp(`^\\+${E164_DIGITS}$`);

/** "+14155550123" or "14155550123": how several carriers write international numbers. */
export const INTERNATIONAL_NUMBER_PATTERN = new RegExp(`^\\+?${E164_DIGITS}$`);

/** "14155550123" only: E.164 digits without the "+". */
export const INTERNATIONAL_DIGITS_PATTERN = new RegExp(`^${E164_DIGITS}$`);

export function isE164(value: string): boolean {
  return E164_PATTERN.test(value);
}
