/** The CSRF guard's decisions; the routes that use it: tests/integration/web-security.test.ts. @see issue 10 */
import { describe, expect, it } from "vitest";
import { assertSameOriginJson, isJsonContentType } from "./same-origin.ts";

const SELF = "https://verify.example.com";
const codeOf = (headers: Parameters<typeof assertSameOriginJson>[0]): string | null => {
  try {
    assertSameOriginJson(headers, SELF);
    return null;
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe("assertSameOriginJson", () => {
  it("accepts this origin's JSON, with or without charset, and a missing Origin with Sec-Fetch-Site: same-origin", () => {
    expect(codeOf({ origin: SELF, secFetchSite: null, contentType: "application/json" })).toBeNull();
    expect(codeOf({ origin: SELF, secFetchSite: "same-origin", contentType: "Application/JSON; charset=utf-8" })).toBeNull();
    expect(codeOf({ origin: null, secFetchSite: "same-origin", contentType: "application/json" })).toBeNull();
  });

  it.each([
    ["a foreign origin", "https://evil.example.net", null],
    ["a sibling subdomain", "https://x.verify.example.com", "same-site"],
    ["another port", "https://verify.example.com:8443", "same-site"],
    ["http instead of https", "http://verify.example.com", "same-site"],
    ["a suffix", "https://verify.example.com.evil.net", null],
    ["Origin: null", "null", null],
    ["no Origin and no Fetch Metadata", null, null],
    ["no Origin, same-site Fetch Metadata", null, "same-site"],
    ["no Origin, cross-site Fetch Metadata", null, "cross-site"],
  ])("refuses %s with 403 cross_site_request, before looking at the body's type", (_label, origin, secFetchSite) => {
    expect(codeOf({ origin, secFetchSite, contentType: "text/plain" })).toBe("cross_site_request");
    expect(codeOf({ origin, secFetchSite, contentType: "application/json" })).toBe("cross_site_request");
  });

  it("refuses a same-origin body that is not JSON with 415", () => {
    for (const contentType of [null, "", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonp", "text/json"]) {
      expect(codeOf({ origin: SELF, secFetchSite: null, contentType }), String(contentType)).toBe("unsupported_media_type");
    }
  });
});

describe("isJsonContentType", () => {
  it("is true only for application/json and its parameters", () => {
    expect(isJsonContentType("application/json")).toBe(true);
    expect(isJsonContentType(" application/json ;charset=utf-8")).toBe(true);
    expect(isJsonContentType("application/json-patch+json")).toBe(false);
    expect(isJsonContentType(undefined)).toBe(false);
  });
});
