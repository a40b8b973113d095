import { describe, expect, it } from "vitest";
import { isTextgateError } from "../../lib/errors.ts";
import { parsePhone } from "../../lib/phone.ts";
import { assertDestinationAllowed, type DestinationPolicy } from "./destination-policy.ts";

const DEFAULT_BLOCKED: DestinationPolicy = { allowedCountries: [], blockedLineTypes: ["PREMIUM_RATE", "SHARED_COST", "VOIP", "PERSONAL_NUMBER"] };

function refusal(to: string, policy: DestinationPolicy): string | null {
  const phone = parsePhone(to);
  if (!phone) throw new Error(`${to} does not parse`);
  try {
    assertDestinationAllowed(phone, policy);
    return null;
  } catch (error) {
    if (!isTextgateError(error)) throw error;
    return error.code;
  }
}

describe("assertDestinationAllowed", () => {
  it.each([
    { desc: "US premium-rate (900)", to: "+19005550100", type: "PREMIUM_RATE" },
    { desc: "UK premium-rate (087)", to: "+448712345678", type: "PREMIUM_RATE" },
    { desc: "French premium-rate (089)", to: "+33891234567", type: "PREMIUM_RATE" },
    { desc: "UK VoIP (056)", to: "+445612345678", type: "VOIP" },
    { desc: "UK personal number (070)", to: "+447012345678", type: "PERSONAL_NUMBER" },
    { desc: "French shared-cost (081)", to: "+33810123456", type: "SHARED_COST" },
  ])("refuses $desc with line_type_not_allowed", ({ to, type }) => {
    expect(parsePhone(to)?.lineType()).toBe(type);
    expect(refusal(to, DEFAULT_BLOCKED)).toBe("line_type_not_allowed");
  });

  it.each([
    { desc: "the test numbers (+1212555…)", to: "+12125550100", type: "FIXED_LINE_OR_MOBILE" },
    { desc: "the test numbers (+1415555…)", to: "+14155550123", type: "FIXED_LINE_OR_MOBILE" },
    { desc: "a German mobile", to: "+4915112345678", type: "MOBILE" },
    { desc: "a UK landline (voice codes)", to: "+442071234567", type: "FIXED_LINE" },
    { desc: "a US toll-free number", to: "+18005550100", type: "TOLL_FREE" },
  ])("lets $desc through", ({ to, type }) => {
    expect(parsePhone(to)?.lineType()).toBe(type);
    expect(refusal(to, DEFAULT_BLOCKED)).toBeNull();
  });

  it("lets a number of undetermined type through even when every determinable type is blocked", () => {
    const everything: DestinationPolicy = { allowedCountries: [], blockedLineTypes: ["MOBILE", "FIXED_LINE", "VOIP", "PREMIUM_RATE"] };
    expect(refusal("+12125550100", everything)).toBeNull();
    expect(refusal("+4915112345678", everything)).toBe("line_type_not_allowed");
  });

  it("names the line type in the message, and blocks nothing when the list is empty", () => {
    const phone = parsePhone("+19005550100")!;
    expect(() => assertDestinationAllowed(phone, DEFAULT_BLOCKED)).toThrow(/premium-rate numbers/);
    expect(refusal("+19005550100", { allowedCountries: [], blockedLineTypes: [] })).toBeNull();
  });

  it("checks the country allow-list first", () => {
    const usOnly: DestinationPolicy = { allowedCountries: ["US"], blockedLineTypes: DEFAULT_BLOCKED.blockedLineTypes };
    expect(refusal("+12125550100", usOnly)).toBeNull();
    expect(refusal("+4915112345678", usOnly)).toBe("country_not_allowed");
    expect(refusal("+448712345678", usOnly)).toBe("country_not_allowed");
    expect(refusal("+19005550100", usOnly)).toBe("line_type_not_allowed");
  });
});
