import crypto from "node:crypto";
import twilio from "twilio";
import { describe, expect, it } from "vitest";
import { webhookRequest } from "../contract.ts";
import { safeEqual, twilioSignature, urlVariants, verifyTwilioStyle, verifyUrlToken } from "./signatures.ts";

const TOKEN = "12345";
// Twilio's documented example (webhooks-security): this URL and these params, signed with auth token 12345.
const URL_ = "https://mycompany.com/myapp.php?foo=1&bar=2";
const PARAMS: [string, string][] = [
  ["CallSid", "CA1234567890ABCDE"],
  ["Caller", "+12349013030"],
  ["Digits", "1234"],
  ["From", "+12349013030"],
  ["To", "+18005551212"],
];

describe("X-Twilio-Signature", () => {
  it("matches an HMAC-SHA1 written out from the documented algorithm", () => {
    const data = URL_ + PARAMS.map(([k, v]) => k + v).join("");
    expect(twilioSignature(TOKEN, URL_, PARAMS)).toBe(crypto.createHmac("sha1", TOKEN).update(data).digest("base64"));
  });

  it("agrees with the official twilio SDK's validateRequest", () => {
    const signature = twilioSignature(TOKEN, URL_, PARAMS);
    expect(twilio.validateRequest(TOKEN, signature, URL_, Object.fromEntries(PARAMS))).toBe(true);
    expect(verifyTwilioStyle(TOKEN, signature, webhookRequest({ url: URL_, form: PARAMS }))).toBe(true);
  });

  it("sorts keys in code-unit order and a repeated key's values", () => {
    const params: [string, string][] = [["b", "2"], ["B", "1"], ["a", "z"], ["a", "y"]];
    expect(twilioSignature(TOKEN, "https://x.test/", params)).toBe(crypto.createHmac("sha1", TOKEN).update("https://x.test/B1ayazb2").digest("base64"));
  });

  it("accepts the URL with or without the default port (a proxy may add or drop it)", () => {
    expect(urlVariants("https://verify.example.com/api/webhooks/twilio/inbound")).toEqual([
      "https://verify.example.com/api/webhooks/twilio/inbound",
      "https://verify.example.com:443/api/webhooks/twilio/inbound",
    ]);
    const signedWithPort = twilioSignature(TOKEN, "https://verify.example.com:443/x", PARAMS);
    expect(verifyTwilioStyle(TOKEN, signedWithPort, webhookRequest({ url: "https://verify.example.com/x", form: PARAMS }))).toBe(true);
  });

  const refused: { desc: string; url: string; params: [string, string][]; signature: string | undefined }[] = [
    { desc: "a tampered parameter", url: URL_, params: PARAMS.map(([k, v]) => [k, k === "Digits" ? "9999" : v]), signature: twilioSignature(TOKEN, URL_, PARAMS) },
    { desc: "an added parameter", url: URL_, params: [...PARAMS, ["Body", "x"]], signature: twilioSignature(TOKEN, URL_, PARAMS) },
    { desc: "another path", url: "https://mycompany.com/other.php?foo=1&bar=2", params: PARAMS, signature: twilioSignature(TOKEN, URL_, PARAMS) },
    { desc: "another query", url: "https://mycompany.com/myapp.php?foo=1&bar=3", params: PARAMS, signature: twilioSignature(TOKEN, URL_, PARAMS) },
    { desc: "another host", url: "https://evil.example/myapp.php?foo=1&bar=2", params: PARAMS, signature: twilioSignature(TOKEN, URL_, PARAMS) },
    { desc: "http instead of https", url: "http://mycompany.com/myapp.php?foo=1&bar=2", params: PARAMS, signature: twilioSignature(TOKEN, URL_, PARAMS) },
    { desc: "no signature", url: URL_, params: PARAMS, signature: undefined },
    { desc: "an empty signature", url: URL_, params: PARAMS, signature: "" },
  ];
  for (const c of refused) {
    it(`refuses ${c.desc}`, () => {
      expect(verifyTwilioStyle(TOKEN, c.signature, webhookRequest({ url: c.url, form: c.params }))).toBe(false);
    });
  }

  it("signs a GET webhook over its URL alone (the parameters are in the query)", () => {
    const url = "https://verify.example.com/api/webhooks/twilio/inbound?MessageSid=SM1&From=%2B447700900123&Body=YES";
    const signature = crypto.createHmac("sha1", TOKEN).update(url).digest("base64");
    expect(verifyTwilioStyle(TOKEN, signature, webhookRequest({ url, method: "GET" }))).toBe(true);
  });
});

describe("URL tokens and comparisons", () => {
  it("compares in constant time and never matches across lengths", () => {
    expect(safeEqual("abc", "abc")).toBe(true);
    expect(safeEqual("abc", "abd")).toBe(false);
    expect(safeEqual("abc", "abcd")).toBe(false);
  });

  it("refuses when no token is configured, whatever the request carries", () => {
    expect(verifyUrlToken(undefined, webhookRequest({ url: "https://x.test/?token=" }))).toBe(false);
    expect(verifyUrlToken("secret-token-0123456789abcdef", webhookRequest({ url: "https://x.test/?token=secret-token-0123456789abcdef" }))).toBe(true);
  });
});
