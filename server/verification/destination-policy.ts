/**
 * Where codes may go (security checklist item 20): the country allow-list and the blocked line types,
 * both judged from the number alone, before anything is stored or handed to a carrier.
 * A number whose line type the metadata cannot tell (FIXED_LINE_OR_MOBILE, as for every +1 number, or
 * none at all) passes: refusing it would refuse most of North America.
 */
import { TextgateError } from "../../lib/errors.ts";
import type { LineType, ParsedPhone } from "../../lib/phone.ts";

export interface DestinationPolicy {
  /** ISO country codes codes may go to; empty allows every country. */
  allowedCountries: readonly string[];
  /** Line types refused (BLOCKED_LINE_TYPES); empty refuses none. */
  blockedLineTypes: readonly LineType[];
}

const LINE_TYPE_NAMES: Partial<Record<LineType, string>> = {
  PREMIUM_RATE: "premium-rate",
  SHARED_COST: "shared-cost",
  VOIP: "VoIP",
  PERSONAL_NUMBER: "personal (follow-me)",
  TOLL_FREE: "toll-free",
  FIXED_LINE: "landline",
  PAGER: "pager",
  UAN: "universal access (UAN)",
  VOICEMAIL: "voicemail access",
};

/** Throws country_not_allowed or line_type_not_allowed when codes may not go to `phone`. */
export function assertDestinationAllowed(phone: ParsedPhone, policy: DestinationPolicy): void {
  if (policy.allowedCountries.length && !(phone.country && policy.allowedCountries.includes(phone.country))) {
    throw new TextgateError("country_not_allowed");
  }
  if (!policy.blockedLineTypes.length) return;
  const lineType = phone.lineType();
  if (lineType && policy.blockedLineTypes.includes(lineType)) {
    throw new TextgateError(
      "line_type_not_allowed",
      `Codes are not sent to ${LINE_TYPE_NAMES[lineType] ?? lineType.toLowerCase()} numbers on this server. Use a mobile number.`,
      { details: [{ path: "to", message: `line type ${lineType} is not allowed` }] },
    );
  }
}
