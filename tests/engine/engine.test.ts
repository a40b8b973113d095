/**
 * The verification engine on a real database (SQLite, and PostgreSQL when it answers), with a fake clock.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ALPHANUMERIC } from "../../server/verification/codes.ts";
import { providersUnderTest } from "../helpers/databases.ts";
import { startTestRuntime, type TestRuntime } from "../helpers/runtime.ts";

const providers = await providersUnderTest();
const TO = "+14155550123";

async function expectNotFound(promise: Promise<unknown>): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code: "verification_not_found", status: 404 });
}

describe.each(providers)("engine on %s", (provider) => {
  let t: TestRuntime;
  beforeEach(async () => {
    t = await startTestRuntime(provider);
  });
  afterEach(async () => {
    await t.stop();
  });

  it("sends a code that approves exactly once", async () => {
    const { verification } = await t.runtime.engine.create({ to: TO });
    expect(verification).toMatchObject({ status: "pending", to: TO, channel: "sms", attempts: 0, maxAttempts: 5, codeLength: 6 });
    expect(verification.deliveries[0]).toMatchObject({ status: "delivered", carrier: "sandbox", stepIndex: 0 });
    const code = await t.lastCode(TO);
    expect(code).toMatch(/^[0-9]{6}$/);
    const result = await t.runtime.engine.check({ id: verification.id }, code);
    expect(result).toMatchObject({ valid: true, status: "approved" });
    await expectNotFound(t.runtime.engine.check({ id: verification.id }, code));
    expect((await t.runtime.engine.get(verification.id)).status).toBe("approved");
  });

  it("accepts a local number with its country and normalises it to E.164", async () => {
    const { verification } = await t.runtime.engine.create({ to: "07860 021130", country: "GB" });
    expect(verification.to).toBe("+447860021130");
    expect(verification.locale).toBe("en-gb");
  });

  it("counts wrong codes and locks the verification at the last attempt", async () => {
    const { verification } = await t.runtime.engine.create({ to: TO, maxAttempts: 3 });
    const code = await t.lastCode(TO);
    const wrong = code === "000000" ? "111111" : "000000";
    expect(await t.runtime.engine.check({ id: verification.id }, wrong)).toMatchObject({ valid: false, attemptsLeft: 2, status: "pending" });
    expect(await t.runtime.engine.check({ id: verification.id }, wrong)).toMatchObject({ valid: false, attemptsLeft: 1 });
    expect(await t.runtime.engine.check({ id: verification.id }, wrong)).toMatchObject({ valid: false, attemptsLeft: 0, status: "max_attempts_reached" });
    await expectNotFound(t.runtime.engine.check({ id: verification.id }, code));
    expect((await t.runtime.engine.get(verification.id)).status).toBe("max_attempts_reached");
  });

  it("refuses a code of the wrong shape without using an attempt", async () => {
    const { verification } = await t.runtime.engine.create({ to: TO });
    await expect(t.runtime.engine.check({ id: verification.id }, "12345")).rejects.toMatchObject({ code: "invalid_request" });
    await expect(t.runtime.engine.check({ id: verification.id }, "12345a")).rejects.toMatchObject({ code: "invalid_request" });
    expect((await t.runtime.engine.get(verification.id)).attempts).toBe(0);
  });

  it("keeps leading zeros of a numeric code", async () => {
    const { verification } = await t.runtime.engine.create({ to: TO, code: "004200" });
    expect((await t.sent(TO))[0]?.body).toContain("004200");
    await expect(t.runtime.engine.check({ id: verification.id }, "4200")).rejects.toMatchObject({ code: "invalid_request" });
    expect((await t.runtime.engine.check({ id: verification.id }, "004200")).valid).toBe(true);
  });

  it("expires exactly at the end of its validity", async () => {
    const first = await t.runtime.engine.create({ to: TO, validFor: 60 });
    const code1 = await t.lastCode(TO);
    t.clock.advance(59);
    expect((await t.runtime.engine.check({ id: first.verification.id }, code1)).valid).toBe(true);

    const second = await t.runtime.engine.create({ to: TO, validFor: 60 });
    const code2 = await t.lastCode(TO);
    t.clock.advance(61);
    await expectNotFound(t.runtime.engine.check({ id: second.verification.id }, code2));
    expect((await t.runtime.engine.get(second.verification.id)).status).toBe("expired");
  });

  it("checks by number, the newest pending verification", async () => {
    await t.runtime.engine.create({ to: TO });
    const code = await t.lastCode(TO);
    expect((await t.runtime.engine.check({ to: "(415) 555-0123", country: "US" }, code)).valid).toBe(true);
    await expectNotFound(t.runtime.engine.check({ to: TO }, code));
    await expectNotFound(t.runtime.engine.check({ to: "+14155550199" }, code));
  });

  it("binds a code to its purpose", async () => {
    await t.runtime.engine.create({ to: TO, purpose: "login" });
    const code = await t.lastCode(TO);
    await expectNotFound(t.runtime.engine.check({ to: TO, purpose: "payment" }, code));
    expect((await t.runtime.engine.check({ to: TO, purpose: "login" }, code)).valid).toBe(true);
  });

  it("gives exactly one success to 100 concurrent checks of the right code", async () => {
    const { verification } = await t.runtime.engine.create({ to: TO, maxAttempts: 20 });
    const code = await t.lastCode(TO);
    const results = await Promise.allSettled(Array.from({ length: 100 }, () => t.runtime.engine.check({ id: verification.id }, code)));
    const successes = results.filter((r) => r.status === "fulfilled" && r.value.valid);
    const notFound = results.filter((r) => r.status === "rejected" && (r.reason as { code?: string }).code === "verification_not_found");
    expect(successes).toHaveLength(1);
    expect(notFound).toHaveLength(99);
  });

  it("never counts more than maxAttempts for 100 concurrent wrong guesses", async () => {
    const { verification } = await t.runtime.engine.create({ to: TO, maxAttempts: 5 });
    const code = await t.lastCode(TO);
    const wrong = code === "999999" ? "888888" : "999999";
    const results = await Promise.allSettled(Array.from({ length: 100 }, () => t.runtime.engine.check({ id: verification.id }, wrong)));
    const evaluated = results.filter((r) => r.status === "fulfilled");
    expect(evaluated).toHaveLength(5);
    const after = await t.runtime.engine.get(verification.id);
    expect(after.attempts).toBe(5);
    expect(after.status).toBe("max_attempts_reached");
  });

  it("generates alphanumeric codes from the alphabet without look-alikes", async () => {
    const { verification } = await t.runtime.engine.create({ to: TO, alphanumeric: true, codeLength: 10 });
    const code = await t.lastCode(TO);
    expect(code).toHaveLength(10);
    for (const char of code) expect(ALPHANUMERIC).toContain(char);
    expect((await t.runtime.engine.check({ id: verification.id }, code.toLowerCase())).valid).toBe(true);
  });

  it("writes the default text in the requested locale and refuses unknown locales", async () => {
    await t.runtime.engine.create({ to: TO, locale: "de-DE", brand: "Acme" });
    expect((await t.sent(TO)).at(-1)?.body).toMatch(/^Ihr Acme Bestätigungscode lautet ([0-9]{6})\. Gültig für 10 Minuten\.\n@localhost #\1$/);
    await t.runtime.engine.create({ to: "+33612345678" });
    expect((await t.sent("+33612345678")).at(-1)?.body).toMatch(/^Votre code de vérification textgate est ([0-9]{6})\. Valable 10 min\.\n@localhost #\1$/);
    for (const locale of ["es", "fr-ca", "it-it", "nl", "pt-br", "en-gb"]) {
      const { verification } = await t.runtime.engine.create({ to: TO, locale });
      expect(verification.locale).toBe(locale);
    }
    await expect(t.runtime.engine.create({ to: TO, locale: "xx-yy" })).rejects.toMatchObject({ code: "unsupported_locale", status: 400 });
  });

  it("uses a custom template and refuses one without {code} or too long for one segment", async () => {
    await t.runtime.engine.create({ to: TO, template: "{brand}: {code} is your PIN", brand: "Shop" });
    expect((await t.sent(TO)).at(-1)?.body).toMatch(/^Shop: ([0-9]{6}) is your PIN\n@localhost #\1$/);
    await expect(t.runtime.engine.create({ to: TO, template: "no code here" })).rejects.toMatchObject({ code: "invalid_template" });
    await expect(t.runtime.engine.create({ to: TO, template: `${"x".repeat(155)} {code}` })).rejects.toMatchObject({ code: "message_too_long" });
    // 60 non-GSM characters + a 6-digit code fit in 70 UCS-2 characters; 70 do not.
    await t.runtime.engine.create({ to: TO, template: `${"ж".repeat(60)} {code}` });
    await expect(t.runtime.engine.create({ to: TO, template: `${"ж".repeat(70)} {code}` })).rejects.toMatchObject({ code: "message_too_long" });
  });

  it("returns the same verification for a retried create with the same idempotency key", async () => {
    const first = await t.runtime.engine.create({ to: TO, idempotencyKey: "k1", apiKeyId: null });
    const again = await t.runtime.engine.create({ to: TO, idempotencyKey: "k1", apiKeyId: null });
    expect(again.replayed).toBe(true);
    expect(again.verification.id).toBe(first.verification.id);
    expect(await t.sent(TO)).toHaveLength(1);
    await expect(t.runtime.engine.create({ to: TO, channel: "voice", idempotencyKey: "k1", apiKeyId: null })).rejects.toMatchObject({
      code: "idempotency_key_reused",
    });
  });

  it("refuses to cancel in the first 30 seconds, then cancels", async () => {
    const { verification } = await t.runtime.engine.create({ to: TO });
    t.clock.advance(29);
    await expect(t.runtime.engine.cancel(verification.id)).rejects.toMatchObject({ code: "cancel_too_early", status: 409, retryAfter: 1 });
    t.clock.advance(1);
    expect((await t.runtime.engine.cancel(verification.id)).status).toBe("canceled");
    await expectNotFound(t.runtime.engine.check({ id: verification.id }, await t.lastCode(TO)));
  });

  it("approves without a code for an owner", async () => {
    const { verification } = await t.runtime.engine.create({ to: TO });
    expect((await t.runtime.engine.approve(verification.id)).status).toBe("approved");
    await expectNotFound(t.runtime.engine.approve(verification.id));
  });

  it("replaces a pending verification by default: the old code stops working", async () => {
    const first = await t.runtime.engine.create({ to: TO });
    const oldCode = await t.lastCode(TO);
    const second = await t.runtime.engine.create({ to: TO });
    expect(second.verification.id).not.toBe(first.verification.id);
    expect((await t.runtime.engine.get(first.verification.id)).status).toBe("canceled");
    await expectNotFound(t.runtime.engine.check({ id: first.verification.id }, oldCode));
  });

  it("resends the same code under policy resend, and refuses under policy reject", async () => {
    const first = await t.runtime.engine.create({ to: TO });
    const code = await t.lastCode(TO);
    const again = await t.runtime.engine.create({ to: TO, onPending: "resend" });
    expect(again).toMatchObject({ resent: true, verification: { id: first.verification.id, sends: 2 } });
    expect(await t.lastCode(TO)).toBe(code);
    await expect(t.runtime.engine.create({ to: TO, onPending: "reject" })).rejects.toMatchObject({ code: "verification_pending", status: 409 });
  });

  it("resends the same code without resetting attempts", async () => {
    const { verification } = await t.runtime.engine.create({ to: TO });
    const code = await t.lastCode(TO);
    await t.runtime.engine.check({ id: verification.id }, code === "123456" ? "654321" : "123456");
    const resent = await t.runtime.engine.resend(verification.id, { channel: "voice" });
    expect(resent.attempts).toBe(1);
    expect(resent.deliveries.map((d) => [d.kind, d.channel])).toEqual([["workflow", "sms"], ["resend", "voice"]]);
    expect(await t.lastCode(TO)).toBe(code);
  });

  it("never stores or logs the code in clear", async () => {
    const { verification } = await t.runtime.engine.create({ to: TO, codeLength: 8 });
    const code = await t.lastCode(TO);
    await t.runtime.engine.check({ id: verification.id }, code);
    await t.runtime.audit.flush();
    const rows = await t.runtime.sql.all(`SELECT * FROM verifications`);
    const deliveries = await t.runtime.sql.all(`SELECT * FROM deliveries`);
    const audit = await t.runtime.sql.all(`SELECT * FROM audit_events`);
    expect(audit.map((a) => a.type)).toEqual(expect.arrayContaining(["verification.created", "verification.step_sent", "verification.approved"]));
    expect(JSON.stringify([rows, deliveries, audit])).not.toContain(code);
  });
});
