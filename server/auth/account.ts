/** The account actions: change the phone number (fresh sign-in + code to the new number), sign out everywhere. */
import { wrongCodeText } from "../../lib/attempts.ts";
import { TextgateError } from "../../lib/errors.ts";
import { maskPhone } from "../../lib/phone.ts";
import { sendNotice } from "../notifications.ts";
import type { Runtime } from "../runtime.ts";
import type { Session } from "next-auth";
import type { ChallengeService } from "./challenges.ts";
import { sessionStoreOf } from "./options.ts";
import { changePhone } from "./users.ts";
import { noticeFor } from "../verification/notices.ts";

export function assertRecentSignIn(runtime: Runtime, session: Session, now = new Date()): void {
  const age = (now.getTime() - new Date(session.authenticatedAt).getTime()) / 1000;
  if (!(age <= runtime.config.AUTH_REAUTH_MAX_AGE_SECONDS)) throw new TextgateError("reauth_required");
}

/** Checks the code sent to the new number and moves the account to it; the old number is told. */
export async function confirmPhoneChange(
  runtime: Runtime,
  challenges: ChallengeService,
  session: Session,
  input: { verificationId: string; code: string },
): Promise<{ phone: string }> {
  assertRecentSignIn(runtime, session);
  const view = await challenges.challengeFor(input.verificationId, "change-phone", session.user.id);
  // The code is checked before anyone looks at who has the number: a wrong code answers (and uses an
  // attempt) alike for a taken and a free number, so a signed-in user cannot probe which numbers have
  // accounts. Only the number's holder, with the right code, learns that it is taken (changePhone).
  const result = await runtime.engine.check({ id: view.id }, input.code);
  if (!result.valid) {
    throw new TextgateError("invalid_code", wrongCodeText(result.attemptsLeft ?? 0), {
      details: { attemptsLeft: result.attemptsLeft },
    });
  }
  const oldPhone = await changePhone(runtime.prisma, session.user.id, view.to, new Date());
  if (oldPhone && oldPhone !== view.to) {
    await sendNotice(
      runtime,
      oldPhone,
      noticeFor({ brand: runtime.config.DEFAULT_BRAND, defaultLocale: runtime.config.DEFAULT_LOCALE }, oldPhone, "numberChanged", { number: maskPhone(view.to) }),
    );
  }
  return { phone: view.to };
}

export async function signOutEverywhere(runtime: Runtime, session: Session): Promise<number> {
  return sessionStoreOf(runtime).revokeAll(session.user.id);
}
