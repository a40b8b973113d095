/**
 * Issue 10 item 6 on the surfaces that are not plain HTTP APIs, in process on the real engine and
 * database: sign-in (the NextAuth provider's authorize) answers an encoded reason the /login page and the
 * React components describe; the sockets' Send Token unit closes with 4008 and a reason naming the wait.
 * (tests/integration/guessing.test.ts covers the HTTP APIs over real processes.)
 * @see server/verification/guess-limits.ts
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeSignInError, parseSignInError } from "../../lib/auth/contract.ts";
import { CLOSE } from "../../lib/socket/protocol.ts";
import { engineCodes } from "../../server/ws/index.ts";
import type { UnitContext } from "../../server/ws/sessions.ts";
import { sendToken } from "../../server/ws/units/send-token.ts";
import { startTestRuntime, type TestRuntime } from "../helpers/runtime.ts";

const TO = "+12125550160";

describe("a number locked by wrong codes, on sign-in and sockets", () => {
  let t: TestRuntime;
  beforeEach(async () => {
    t = await startTestRuntime("sqlite", { GUESS_LOCK_AFTER_FAILURES: "2" });
  });
  afterEach(async () => {
    await t?.stop();
  });

  /** Two wrong codes in a row on the native path lock TO for 30 s. */
  const lock = async () => {
    const { verification } = await t.runtime.engine.create({ to: TO, purpose: "elsewhere" });
    const code = await t.lastCode(TO);
    for (let i = 0; i < 2; i++) await t.runtime.engine.check({ id: verification.id }, code === "000000" ? "111111" : "000000");
    // The notice to the number goes out in the background: wait for it, so later codes are the newest texts.
    await expect.poll(async () => (await t.sent(TO)).some((m) => /wrong codes/.test(m.body))).toBe(true);
  };

  it("sign-in: even the right code fails with too_many_failed_attempts and its wait, shown as such", async () => {
    const challenge = await t.runtime.auth.challenges.start({ phone: TO, purpose: "login", ip: "192.0.2.7" });
    const code = await t.lastCode(TO);
    await lock();
    const reason = await t.runtime.auth.signIn.authorize({ verificationId: challenge.verificationId, code }).then(
      () => null,
      (e: Error) => e.message,
    );
    expect(reason).toBe("textgate:too_many_failed_attempts:30");
    const error = parseSignInError(reason);
    expect(error).toEqual({ kind: "too_many_failed_attempts", retryAfter: 30 });
    expect(describeSignInError(error)).toBe("Too many wrong codes were entered for this number. For your security, try again in 30 s.");
    expect((await t.runtime.engine.get(challenge.verificationId)).status).toBe("pending");
    // After the wait, the same code signs in.
    t.clock.advance(30);
    await expect(t.runtime.auth.signIn.authorize({ verificationId: challenge.verificationId, code })).resolves.toMatchObject({ phone: TO });
  });

  it("sockets: Send Token closes with 4008 and the wait, without testing the token", async () => {
    await lock();
    const tokens: string[] = [];
    const ctx = {
      user: { id: "u1", name: null, phone: TO },
      connectionId: "c1",
      signal: new AbortController().signal,
      pending: () => {},
      send: () => {},
      nextToken: async () => tokens.shift() ?? "",
      codes: engineCodes(t.runtime.engine, TO, "c1"),
    } as unknown as UnitContext;
    const result = sendToken().run?.(ctx);
    // The unit texts its code before it waits for a token.
    await expect.poll(async () => (await t.sent(TO)).length).toBe(3);
    tokens.push(await t.lastCode(TO));
    await expect(result).resolves.toEqual({ ok: false, code: CLOSE.rateLimited, reason: "too many wrong codes; retry in 30 s" });
  });
});
