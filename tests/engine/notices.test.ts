/**
 * engine.sendNotice (POST /api/v1/notices, the texts of a host's `textgate/ws` units): the catalog's text
 * in the number's language with the brand, and a code's rules — the number's send limit shared with codes,
 * the destination policy, the send budget — before anything is sent.
 */
import { afterEach, describe, expect, it } from "vitest";
import { providersUnderTest } from "../helpers/databases.ts";
import { startTestRuntime, type TestRuntime } from "../helpers/runtime.ts";

const providers = await providersUnderTest();

describe.each(providers)("notices on %s", (provider) => {
  let t: TestRuntime;
  afterEach(async () => {
    await t?.stop();
  });

  it("texts the catalog's words in the number's language, with the brand and the accept word", async () => {
    t = await startTestRuntime(provider, { DEFAULT_BRAND: "Acme" });
    await expect(t.runtime.engine.sendNotice({ to: "+12125550140", notice: "confirmReply", yes: "OK" })).resolves.toEqual({ to: "+12125550140", sent: true });
    await expect(t.runtime.engine.sendNotice({ to: "+4915112345678", notice: "reply", brand: "Shop" })).resolves.toMatchObject({ sent: true });
    expect(await t.sent("+12125550140")).toEqual([{ channel: "sms", body: "Acme: Is that you logging in? Reply OK to accept." }]);
    expect(await t.sent("+4915112345678")).toEqual([{ channel: "sms", body: "Shop: Hallo, was steht auf dem Bildschirm?" }]);
  });

  it("counts toward the number's send limit with its codes, and refuses what a code would be refused", async () => {
    t = await startTestRuntime(provider, { SEND_LIMIT_PER_NUMBER: "2", ALLOWED_COUNTRIES: "US" });
    const to = "+12125550141";
    await t.runtime.engine.create({ to });
    await t.runtime.engine.sendNotice({ to, notice: "confirm" });
    await expect(t.runtime.engine.sendNotice({ to, notice: "confirm" })).rejects.toMatchObject({ code: "send_limit_reached" });
    await expect(t.runtime.engine.sendNotice({ to: "+4915112345678", notice: "confirm" })).rejects.toMatchObject({ code: "country_not_allowed" });
    await expect(t.runtime.engine.sendNotice({ to: "+1 555", notice: "confirm" })).rejects.toMatchObject({ code: "invalid_phone_number" });
    await expect(t.runtime.engine.sendNotice({ to: "+12125550142", notice: "confirm", locale: "xx" })).rejects.toMatchObject({ code: "unsupported_locale" });
    expect(await t.sent("+4915112345678")).toEqual([]);
    expect((await t.sent(to)).length).toBe(2);
  });
});
