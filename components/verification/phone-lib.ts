/**
 * The parts of libphonenumber-js (min metadata) the browser uses, loaded with one dynamic import of this
 * module: named exports let bundlers drop the rest of the library from that chunk.
 */
export { AsYouType, isSupportedCountry, parsePhoneNumberFromString, validatePhoneNumberLength } from "libphonenumber-js/min";
