/**
 * Issue 13, test numbers (TEST_NUMBERS, TEST_NUMBERS_VALID_UNTIL) on SQLite and PostgreSQL: nothing is
 * handed to a carrier on any step, resend or scheduled step; the configured code approves and a wrong one
 * counts as a wrong guess; the per-number and per-IP limits apply, the send budget is not spent; webhook
 * events say `test`; past the valid-until instant the number is an ordinary one again.
 * @see server/verification/test-numbers.ts
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { engineCodes } from "../../server/ws/index.ts";
import type { UnitContext } from "../../server/ws/sessions.ts";
import { sendToken } from "../../server/ws/units/send-token.ts";
import { TEST_NUMBER_CARRIER } from "../../server/verification/test-numbers.ts";
import { payloadOf } from "../../server/webhooks/outbox.ts";
import { providersUnderTest } from "../helpers/databases.ts";
import { startTestRuntime, type TestRuntime } from "../helpers/runtime.ts";

const providers = await providersUnderTest();
const TEST = "+12125550100";
const CODE = "907314";
const ORDINARY = "+12125550177";
// After the real clock (boot refuses a past date) and the fake clock's start alike.
const VALID_UNTIL = new Date(Math.ceil((Date.now() + 30 * 86_400_000) / 1000) * 1000);

describe.each(providers)("test numbers on %s", (provider) => {
  let t: TestRuntime;
  afterEach(async () => {
    vi.restoreAllMocks();
    await t?.stop();
  });

  const start = async (env: Record<string, string> = {}) => {
    t = await startTestRuntime(provider, { TEST_NUMBERS: `${TEST}=${CODE}`, TEST_NUMBERS_VALID_UNTIL: VALID_UNTIL.toISOString(), ...env });
    const sends = [...t.runtime.carriers.for("sms"), ...t.runtime.carriers.for("voice")].map((carrier) => vi.spyOn(carrier, "send"));
    return { carrierCalls: () => sends.reduce((n, spy) => n + spy.mock.calls.length, 0) };
  };

  it("hands nothing to a carrier on any step, records each step as a test-number send, and approves the configured code", async () => {
    const { carrierCalls } = await start();
    const { verification } = await t.runtime.engine.create({
      to: TEST,
      code: "1111",
      workflow: [
        { channel: "sms", afterSeconds: 0 },
        { channel: "voice", afterSeconds: 60 },
      ],
    });
    expect(verification).toMatchObject({ testNumber: true, codeLength: CODE.length, alphanumeric: false });
    expect(verification.deliveries[0]).toMatchObject({ status: "sent", carrier: TEST_NUMBER_CARRIER, carrierMessageId: null });
    await t.runtime.engine.resend(verification.id);
    t.clock.advance(60);
    await t.runtime.engine.runDueDeliveries();
    const view = await t.runtime.engine.get(verification.id);
    expect(view.deliveries.map((d) => [d.kind, d.channel, d.status, d.carrier])).toEqual([
      ["workflow", "sms", "sent", TEST_NUMBER_CARRIER],
      ["workflow", "voice", "sent", TEST_NUMBER_CARRIER],
      ["resend", "sms", "sent", TEST_NUMBER_CARRIER],
    ]);
    expect(carrierCalls()).toBe(0);
    expect(await t.sent(TEST)).toEqual([]);
    // The code a caller asked for does not replace the configured one.
    expect((await t.runtime.engine.check({ id: verification.id }, CODE)).valid).toBe(true);

    // Stored like every code: hashed and sealed, never in clear; never in an event.
    const row = await t.runtime.sql.get<Record<string, unknown>>(`SELECT * FROM verifications WHERE id = ?`, [verification.id]);
    expect(JSON.stringify(row)).not.toContain(CODE);
    await t.runtime.webhooks.outbox.sequence(); // PostgreSQL: the pending events, numbered as every reader does
    const events = await t.runtime.sql.all<{ type: string; data: string }>(`SELECT type, data FROM events ORDER BY seq`);
    for (const event of events) expect(event.data).not.toContain(CODE);
    expect(events.map((e) => e.type)).toEqual([
      "verification.created",
      "verification.step_sent",
      "verification.step_sent",
      "verification.step_sent",
      "verification.approved",
    ]);
    // Webhooks and the event stream say so; an ordinary number's events say test: false.
    await t.runtime.engine.create({ to: ORDINARY });
    const payloads = (await t.runtime.webhooks.outbox.after(0, { limit: 20 })).map((e) => payloadOf(e, true).data);
    expect(payloads.slice(0, 5).map((d) => [d.to, d.test])).toEqual(Array(5).fill([TEST, true]));
    expect(payloads.slice(5).length).toBeGreaterThan(1);
    for (const d of payloads.slice(5)) expect([d.to, d.test]).toEqual([ORDINARY, false]);
  });

  it("counts a wrong code as a wrong guess: attempts and the number's streak, which locks it", async () => {
    await start({ GUESS_LOCK_AFTER_FAILURES: "2" });
    const first = await t.runtime.engine.create({ to: TEST, maxAttempts: 1 });
    expect(await t.runtime.engine.check({ id: first.verification.id }, "000000")).toMatchObject({ valid: false, status: "max_attempts_reached" });
    const second = await t.runtime.engine.create({ to: TEST });
    expect(await t.runtime.engine.check({ id: second.verification.id }, "000001")).toMatchObject({ valid: false, attemptsLeft: 4 });
    // Two wrong codes in a row lock the number: even the configured code is not looked at.
    await expect(t.runtime.engine.check({ id: second.verification.id }, CODE)).rejects.toMatchObject({ code: "too_many_failed_attempts" });
  });

  it("applies the per-number send limit and sign-in's per-IP limit, and spends none of the send budget", async () => {
    await start({ SEND_LIMIT_PER_NUMBER: "3", SEND_BUDGET_PER_HOUR: "1", AUTH_START_LIMIT_PER_IP: "2", AUTH_START_LIMIT_PER_NUMBER: "100" });
    const challenges = t.runtime.auth.challenges;
    const ip = "203.0.113.9";
    await challenges.start({ phone: TEST, purpose: "login", ip });
    await challenges.start({ phone: TEST, purpose: "login", ip });
    await expect(challenges.start({ phone: TEST, purpose: "login", ip })).rejects.toMatchObject({ code: "rate_limited" });
    await t.runtime.engine.create({ to: TEST });
    await expect(t.runtime.engine.create({ to: TEST })).rejects.toMatchObject({ code: "send_limit_reached" });
    // The one message of the budget is still there for a real number; then it is spent.
    await t.runtime.engine.create({ to: ORDINARY });
    await expect(t.runtime.engine.create({ to: "+12125550178" })).rejects.toMatchObject({ code: "send_budget_exhausted" });
    const signIn = await t.runtime.engine.findPending(TEST, { purpose: "login" });
    expect(signIn).toMatchObject({ surface: "auth", testNumber: true });
  });

  it("sign-in's authorize and the socket Send Token unit accept the configured code, of its own length; nothing is sent", async () => {
    const SOCKET_TEST = "+12125550102";
    const { carrierCalls } = await start({ TEST_NUMBERS: `${TEST}=${CODE},${SOCKET_TEST}=40817263` });
    const challenge = await t.runtime.auth.challenges.start({ phone: TEST, purpose: "login", ip: "192.0.2.7" });
    await expect(t.runtime.auth.signIn.authorize({ verificationId: challenge.verificationId, code: CODE })).resolves.toMatchObject({ phone: TEST });

    const pending: unknown[] = [];
    const tokens = ["408172", "40817263"];
    const ctx = {
      user: { id: "u1", name: null, phone: SOCKET_TEST },
      connectionId: "c1",
      signal: new AbortController().signal,
      pending: (message: unknown) => pending.push(message),
      send: () => {},
      nextToken: async () => tokens.shift() ?? "",
      codes: engineCodes(t.runtime.engine, SOCKET_TEST, "c1"),
    } as unknown as UnitContext;
    // The unit's own length (6) is not the code's: the client is told 8; a 6-digit token is refused as malformed.
    await expect(sendToken().run?.(ctx)).resolves.toEqual({ ok: true });
    expect(pending).toEqual([{ type: "pending", unit: "send-token", codeLength: 8, attemptsLeft: 3 }]);
    expect(carrierCalls()).toBe(0);
    expect(await t.sent(SOCKET_TEST)).toEqual([]);
  });

  it("turns them off at the valid-until instant: a test verification expires then, and the number gets real codes again", async () => {
    await start();
    t.clock.current = new Date(VALID_UNTIL.getTime() - 60_000);
    const { verification } = await t.runtime.engine.create({ to: TEST });
    expect(verification).toMatchObject({ expiresAt: VALID_UNTIL, validFor: 60 });
    t.clock.current = VALID_UNTIL;
    await expect(t.runtime.engine.check({ id: verification.id }, CODE)).rejects.toMatchObject({ code: "verification_not_found" });

    const warn = vi.spyOn(t.runtime.logger, "warn");
    const after = await t.runtime.engine.create({ to: TEST });
    await t.runtime.engine.create({ to: ORDINARY });
    // Said once, at the first request past the date.
    expect(warn.mock.calls.filter(([, message]) => String(message).startsWith("test numbers stopped"))).toEqual([
      [{ testNumbers: ["+1•••••••100"], validUntil: VALID_UNTIL.toISOString() }, expect.stringContaining("remove TEST_NUMBERS")],
    ]);
    expect(after.verification).toMatchObject({ testNumber: false });
    expect(after.verification.deliveries[0]?.carrier).toBe("sandbox");
    const code = await t.lastCode(TEST);
    if (code !== CODE) expect((await t.runtime.engine.check({ id: after.verification.id }, CODE)).valid).toBe(false);
    expect((await t.runtime.engine.check({ id: after.verification.id }, code)).valid).toBe(true);
  });
});
