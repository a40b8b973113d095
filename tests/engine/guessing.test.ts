/**
 * Issue 10 item 6: a long-term cap on guessing codes for one number, whatever the verification, purpose
 * or surface (NIST SP 800-63B §5.2.2; security checklist item 12). Wrong codes in a row lock the number
 * for a doubling delay from 30 s up to 1 h once GUESS_LOCK_AFTER_FAILURES is reached, for 24 h at
 * GUESS_MAX_FAILURES_PER_DAY; a locked check neither tests nor counts the code; a right code resets;
 * the number is texted once per streak.
 * @see server/verification/guess-limits.ts
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { TextgateEvent } from "../../server/events/types.ts";
import { lockSeconds } from "../../server/verification/guess-limits.ts";
import { providersUnderTest } from "../helpers/databases.ts";
import { startTestRuntime, type TestRuntime } from "../helpers/runtime.ts";

const providers = await providersUnderTest();
const TO = "+12125550150";

describe("the lock schedule", () => {
  it("doubles from 30 s at the lock threshold up to 1 h, and is 24 h at the daily maximum", () => {
    const settings = { lockAfter: 10, maxPerDay: 100 };
    expect([9, 10, 11, 12, 16, 17, 18, 99, 100].map((n) => lockSeconds(n, settings))).toEqual([null, 30, 60, 120, 1920, 3600, 3600, 3600, 86_400]);
  });
});

describe.each(providers)("guessing codes for one number on %s", (provider) => {
  let t: TestRuntime;
  afterEach(async () => {
    await t?.stop();
  });

  const start = async (env: Record<string, string>) => {
    t = await startTestRuntime(provider, { GUESS_LOCK_AFTER_FAILURES: "3", GUESS_MAX_FAILURES_PER_DAY: "100", ...env });
  };
  const create = async (purpose = "verify") => {
    const { verification } = await t.runtime.engine.create({ to: TO, purpose, maxAttempts: 20 });
    return { id: verification.id, code: await t.lastCode(TO) };
  };
  const wrong = (code: string) => (code === "000000" ? "111111" : "000000");
  const streak = async () => {
    const row = await t.runtime.sql.get<{ failures: number; locked_until: unknown }>(`SELECT failures, locked_until FROM guess_failures WHERE phone = ?`, [TO]);
    return row ? Number(row.failures) : 0;
  };

  it("locks after the threshold for a doubling delay; a locked check tests nothing and uses no attempt", async () => {
    await start({});
    const v = await create();
    for (let i = 0; i < 2; i++) expect((await t.runtime.engine.check({ id: v.id }, wrong(v.code))).valid).toBe(false);
    // The third wrong code in a row locks the number for 30 s.
    expect((await t.runtime.engine.check({ id: v.id }, wrong(v.code))).valid).toBe(false);
    const locked = t.runtime.engine.check({ id: v.id }, v.code);
    await expect(locked).rejects.toMatchObject({ code: "too_many_failed_attempts", status: 429, retryAfter: 30 });
    expect((await t.runtime.engine.get(v.id)).attempts).toBe(3);
    t.clock.advance(29);
    await expect(t.runtime.engine.check({ id: v.id }, wrong(v.code))).rejects.toMatchObject({ retryAfter: 1 });
    expect(await streak()).toBe(3);
    // Unlocked: the next wrong code locks for 60 s, the one after for 120 s.
    t.clock.advance(1);
    expect((await t.runtime.engine.check({ id: v.id }, wrong(v.code))).valid).toBe(false);
    await expect(t.runtime.engine.check({ id: v.id }, v.code)).rejects.toMatchObject({ retryAfter: 60 });
    t.clock.advance(60);
    expect((await t.runtime.engine.check({ id: v.id }, wrong(v.code))).valid).toBe(false);
    await expect(t.runtime.engine.check({ id: v.id }, v.code)).rejects.toMatchObject({ retryAfter: 120 });
    t.clock.advance(120);
    // A right code approves and ends the streak.
    expect((await t.runtime.engine.check({ id: v.id }, v.code)).valid).toBe(true);
    expect(await streak()).toBe(0);
    const next = await create();
    expect((await t.runtime.engine.check({ id: next.id }, wrong(next.code))).valid).toBe(false);
    expect(await streak()).toBe(1);
  });

  it("counts across verifications and purposes of the number, and texts it once per streak", async () => {
    await start({});
    const events: TextgateEvent<"verification.guessing_locked">[] = [];
    t.runtime.events.subscribe("verification.guessing_locked", (e) => events.push(e));
    const a = await create("verify");
    const b = await create("login");
    await t.runtime.engine.check({ id: a.id }, wrong(a.code));
    await t.runtime.engine.check({ id: b.id }, wrong(b.code));
    await t.runtime.engine.check({ id: a.id }, wrong(a.code));
    await expect(t.runtime.engine.check({ id: b.id }, b.code)).rejects.toMatchObject({ code: "too_many_failed_attempts" });
    t.clock.advance(30);
    await t.runtime.engine.check({ id: b.id }, wrong(b.code));
    t.clock.advance(60);
    await t.runtime.engine.check({ id: a.id }, wrong(a.code));
    await vi.waitFor(async () => expect((await t.sent(TO)).filter((m) => /wrong codes/.test(m.body))).toHaveLength(1));
    const notices = (await t.sent(TO)).filter((m) => /wrong codes/.test(m.body));
    expect(notices[0]?.body).toBe("textgate: someone entered many wrong codes for this number. Code checks are paused for 30 s. If it was not you, never share a code.");
    expect(events.map((e) => e.data)).toEqual([expect.objectContaining({ to: TO, failures: 3, lockedForSeconds: 30 })]);
    expect(await streak()).toBe(5);
  });

  it("locks for 24 h at the daily maximum; the streak is forgotten a day after its last failure", async () => {
    await start({ GUESS_LOCK_AFTER_FAILURES: "12", GUESS_MAX_FAILURES_PER_DAY: "12" });
    const v = await create();
    for (let i = 0; i < 12; i++) expect((await t.runtime.engine.check({ id: v.id }, wrong(v.code))).valid).toBe(false);
    t.clock.advance(60);
    const fresh = await create();
    await expect(t.runtime.engine.check({ id: fresh.id }, fresh.code)).rejects.toMatchObject({ code: "too_many_failed_attempts", retryAfter: 86_400 - 60 });
    t.clock.advance(86_400 - 60);
    const later = await create();
    expect((await t.runtime.engine.check({ id: later.id }, wrong(later.code))).valid).toBe(false);
    expect(await streak()).toBe(1);
  });

  it("counts each of many concurrent wrong codes exactly once", async () => {
    await start({ GUESS_LOCK_AFTER_FAILURES: "100", GUESS_MAX_FAILURES_PER_DAY: "100" });
    const verifications = await Promise.all(["p1", "p2", "p3", "p4"].map(async (purpose) => create(purpose)));
    const results = await Promise.allSettled(verifications.flatMap((v) => Array.from({ length: 10 }, () => t.runtime.engine.check({ id: v.id }, wrong(v.code)))));
    const failed = results.filter((r) => r.status === "fulfilled" && !r.value.valid).length;
    expect(failed).toBe(40);
    expect(await streak()).toBe(40);
  });

  it("refuses GUESS_LOCK_AFTER_FAILURES above GUESS_MAX_FAILURES_PER_DAY at boot", async () => {
    await expect(startTestRuntime(provider, { GUESS_LOCK_AFTER_FAILURES: "50", GUESS_MAX_FAILURES_PER_DAY: "20" })).rejects.toThrow(/GUESS_LOCK_AFTER_FAILURES/);
  });
});
