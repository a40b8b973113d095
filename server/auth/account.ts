/** The account actions: change the phone number (fresh sign-in + code to the new number), sign out everywhere. */
import type { Session } from "next-auth";
import { wrongCodeText } from "../../lib/attempts.ts";
import { TextgateError } from "../../lib/errors.ts";
import { maskPhone } from "../../lib/phone.ts";
import type { AuthSettings } from "../config-sections.ts";
import type { VerificationEngine } from "../verification/engine.ts";
import { noticeFor } from "../verification/notices.ts";
import type { ChallengeService } from "./challenges.ts";
import type { SessionStore } from "./sessions.ts";
import type { UserDirectory } from "./users.ts";

export function assertRecentSignIn(settings: Pick<AuthSettings, "reauthMaxAgeSeconds">, session: Session, now = new Date()): void {
  const age = (now.getTime() - new Date(session.authenticatedAt).getTime()) / 1000;
  if (!(age <= settings.reauthMaxAgeSeconds)) throw new TextgateError("reauth_required");
}

export interface AccountDeps {
  settings: Pick<AuthSettings, "reauthMaxAgeSeconds" | "notices">;
  engine: Pick<VerificationEngine, "check">;
  challenges: ChallengeService;
  users: UserDirectory;
  sessions: SessionStore;
  /** Texts a notice (no code) through the SMS carriers; never throws (server/notifications.ts). */
  textNotice: (to: string, body: string) => Promise<unknown>;
}

export interface AccountActions {
  assertRecentSignIn(session: Session, now?: Date): void;
  /** Checks the code sent to the new number and moves the account to it; the old number is told. */
  confirmPhoneChange(session: Session, input: { verificationId: string; code: string }): Promise<{ phone: string }>;
  /** Ends every session of the user; how many. */
  signOutEverywhere(session: Session): Promise<number>;
}

export function createAccountActions(deps: AccountDeps): AccountActions {
  const { settings } = deps;
  return {
    assertRecentSignIn: (session, now) => assertRecentSignIn(settings, session, now),
    async confirmPhoneChange(session, input) {
      assertRecentSignIn(settings, session);
      const view = await deps.challenges.challengeFor(input.verificationId, "change-phone", session.user.id);
      // The code is checked before anyone looks at who has the number: a wrong code answers (and uses an
      // attempt) alike for a taken and a free number, so a signed-in user cannot probe which numbers have
      // accounts. Only the number's holder, with the right code, learns that it is taken (changePhone).
      const result = await deps.engine.check({ id: view.id }, input.code);
      if (!result.valid) {
        throw new TextgateError("invalid_code", wrongCodeText(result.attemptsLeft ?? 0), {
          details: { attemptsLeft: result.attemptsLeft },
        });
      }
      const oldPhone = await deps.users.changePhone(session.user.id, view.to, new Date());
      if (oldPhone && oldPhone !== view.to) {
        await deps.textNotice(oldPhone, noticeFor(settings.notices, oldPhone, "numberChanged", { number: maskPhone(view.to) }));
      }
      return { phone: view.to };
    },
    signOutEverywhere: (session) => deps.sessions.revokeAll(session.user.id),
  };
}
