import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { Config } from "../env.ts";
import type { Sql } from "../store/sql.ts";
import { buildCarriers, getCarrierHealth } from "./index.ts";

const TWILIO = { TWILIO_ACCOUNT_SID: `AC${"0".repeat(32)}`, TWILIO_AUTH_TOKEN: "f3c1b2a4d5e6f7089a1b2c3d4e5f6a7b", TWILIO_FROM: "+14155550100" };

function build(sms: string[], voice: string[], env: Record<string, string>, production = false) {
  const config = { SMS_CARRIERS: sms, VOICE_CARRIERS: voice, PUBLIC_URL: "https://verify.example.com", TEXTGATE_SECRET: "s".repeat(40), production } as unknown as Config;
  return buildCarriers({ config, sql: {} as Sql, logger: pino({ level: "silent" }), clock: () => new Date(), env });
}
const startupError = (fn: () => unknown) => {
  try {
    fn();
    return "";
  } catch (error) {
    return (error as Error).message;
  }
};

describe("buildCarriers", () => {
  const cases: { desc: string; sms: string[]; voice: string[]; env: Record<string, string>; production?: boolean; message: RegExp }[] = [
    { desc: "an unknown carrier id", sms: ["twillio"], voice: [], env: {}, message: /^SMS_CARRIERS: unknown carrier "twillio"; known carriers: sandbox, console, .*twilio/ },
    { desc: "a carrier without the channel", sms: [], voice: ["textlocal"], env: {}, message: /^VOICE_CARRIERS: carrier "textlocal" cannot send voice; it serves sms/ },
    { desc: "a missing credential", sms: ["twilio"], voice: [], env: { TWILIO_ACCOUNT_SID: TWILIO.TWILIO_ACCOUNT_SID }, message: /TWILIO_AUTH_TOKEN: required, not set/ },
    {
      desc: "problems of two carriers at once",
      sms: ["vonage", "textmagic"],
      voice: [],
      env: {},
      message: /VONAGE_API_KEY[\s\S]*TEXTMAGIC_USERNAME/,
    },
    {
      desc: "a plain-HTTP carrier URL in production",
      sms: ["twilio"],
      voice: [],
      env: { ...TWILIO, TWILIO_API_BASE_URL: "http://twilio-proxy.internal" },
      production: true,
      message: /TWILIO_API_BASE_URL: must be an https:\/\/ URL in production/,
    },
  ];
  for (const c of cases) {
    it(`refuses to start on ${c.desc}, naming it`, () => {
      expect(startupError(() => build(c.sms, c.voice, c.env, c.production))).toMatch(c.message);
    });
  }

  it("builds configured carriers in failover order, with health tracking and webhooks", () => {
    const setup = build(["twilio", "console"], ["twilio"], TWILIO);
    expect(setup.registry.for("sms").map((c) => c.id)).toEqual(["twilio", "console"]);
    expect(setup.registry.for("voice").map((c) => c.id)).toEqual(["twilio"]);
    expect(setup.registry.byId("twilio")?.webhooks?.configured).toBe(true);
    expect(setup.registry.byId("vonage")).toBeUndefined();
    expect(getCarrierHealth().map((h) => h.carrier)).toEqual(["console", "twilio"]);
  });

  it("reads nothing for carriers that are not listed", () => {
    expect(startupError(() => build(["console"], [], { TWILIO_ACCOUNT_SID: "garbage" }))).toBe("");
  });
});
