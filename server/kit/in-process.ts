/**
 * `textgate/next-auth` in-process mode: what a textgate built in the host's own process (createTextgate,
 * server/textgate.ts) offers the kit's sign-in entry, so `SmsProvider` and `createSmsAuthRoutes` work the
 * same whether textgate is a server the host calls over REST or a library in its process. Types only:
 * the kit's package bundle stays free of the server's domain (Prisma, carriers); the textgate instance
 * brings the implementation (server/auth/sign-in.ts).
 */
import type { SignInCode } from "../../lib/auth/credentials.ts";

/** A signed-in user as the in-process sign-in returns it. */
export interface InProcessUser {
  id: string;
  name: string | null;
  phone: string | null;
  /** False on a first sign-in (the account was just created). */
  existed: boolean;
}

export interface InProcessSignIn {
  /** POST …/sms/start: the answer in textgate's error shape; `ip` as the kit's entry resolved it. */
  start(request: Request, ip: string, code?: Partial<SignInCode>): Promise<Response>;
  /** POST …/sms/resend. */
  resend(request: Request, ip: string): Promise<Response>;
  /** GET …/sms/config. */
  config(code?: Partial<SignInCode>): Promise<Response>;
  /** The next-auth Credentials provider's authorize: the user, or a thrown SignInFailure. */
  authorize(credentials: unknown): Promise<InProcessUser>;
}

/** textgate in this process, as the kit sees it (a `Textgate` of createTextgate satisfies it). */
export interface InProcessTextgate {
  auth: { signIn: InProcessSignIn };
}

export function isInProcess(textgate: unknown): textgate is InProcessTextgate | (() => InProcessTextgate) {
  return typeof textgate === "function" || (typeof textgate === "object" && textgate !== null && "auth" in textgate);
}
