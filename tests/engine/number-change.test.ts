/**
 * Issue 10 item 5: a number change must not tell a signed-in user which numbers have accounts. A wrong
 * code answers the same (status, code, body) and uses an attempt alike whether or not the number is
 * taken; only the right code, which only the number's holder has, reveals that it is.
 * @see docs/architecture.md (Decisions: number changes check the code first)
 */
import type { Session } from "next-auth";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isTextgateError } from "../../lib/errors.ts";
import { startTestRuntime, type TestRuntime } from "../helpers/runtime.ts";

const TAKEN = "+12125550111";
const FREE = "+12125550112";

describe("changing to a number: a wrong code answers alike for taken and free numbers", () => {
  let t: TestRuntime;
  let session: Session;
  beforeEach(async () => {
    t = await startTestRuntime("sqlite");
    await t.runtime.auth.users.signInByPhone(TAKEN, "Someone else", t.clock.now());
    const me = await t.runtime.auth.users.signInByPhone("+12125550110", "Me", t.clock.now());
    session = {
      expires: "",
      // assertRecentSignIn judges the sign-in time against the real clock.
      authenticatedAt: new Date().toISOString(),
      user: { id: me.id, name: me.name, phone: me.phone, email: null, image: null },
    } as Session;
  });
  afterEach(async () => {
    await t?.stop();
  });

  const failure = async (promise: Promise<unknown>) => {
    const error = await promise.then(() => null, (e: unknown) => e);
    if (!isTextgateError(error)) throw new Error(`expected a TextgateError, got ${String(error)}`);
    return { status: error.status, body: error.toBody() };
  };

  it("gives the same status, code and body and uses one attempt each; only the right code reveals", async () => {
    const challenges = t.runtime.auth.challenges;
    const start = (phone: string) => challenges.start({ phone, purpose: "change-phone", ip: "192.0.2.1", owner: session.user.id });
    const [taken, free] = await Promise.all([start(TAKEN), start(FREE)]);
    const wrong = async (to: string) => ((await t.lastCode(to)) === "123456" ? "654321" : "123456");
    const [onTaken, onFree] = await Promise.all([
      failure(t.runtime.auth.account.confirmPhoneChange(session, { verificationId: taken.verificationId, code: await wrong(TAKEN) })),
      failure(t.runtime.auth.account.confirmPhoneChange(session, { verificationId: free.verificationId, code: await wrong(FREE) })),
    ]);
    expect(onTaken).toEqual(onFree);
    expect(onTaken).toMatchObject({ status: 400, body: { error: { code: "invalid_code", details: { attemptsLeft: 2 } } } });
    expect((await t.runtime.engine.get(taken.verificationId)).attempts).toBe(1);
    expect((await t.runtime.engine.get(free.verificationId)).attempts).toBe(1);

    // The right code for the taken number: refused, and the account keeps its number.
    const right = await failure(t.runtime.auth.account.confirmPhoneChange(session, { verificationId: taken.verificationId, code: await t.lastCode(TAKEN) }));
    expect(right).toMatchObject({ status: 409, body: { error: { code: "phone_unavailable" } } });
    expect((await t.runtime.prisma.user.findUnique({ where: { id: session.user.id } }))?.phone).toBe("+12125550110");
    // The right code for the free number moves the account.
    await expect(t.runtime.auth.account.confirmPhoneChange(session, { verificationId: free.verificationId, code: await t.lastCode(FREE) })).resolves.toEqual({ phone: FREE });
  });
});
