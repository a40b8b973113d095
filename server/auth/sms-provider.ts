/**
 * The NextAuth SMS provider: sign-in by phone number and code, no password.
 *
 *   providers: [SmsProvider({ channel: "sms", codeLength: 6 })]
 *
 * It is a next-auth Credentials provider (id "sms") whose `authorize` checks the code through the
 * verification engine — attempt limits, single use, hashed codes — never around it, and then signs in
 * the number's user, creating it on its first verification (passwordless onboarding). Codes are sent
 * by POST /api/auth/sms/start, which uses the same options (`provider.sms`).
 */
import CredentialsProvider from "next-auth/providers/credentials";
import { DEFAULT_SIGN_IN_CODE, SignInFailure, signInCredentialsSchema, UNREADABLE_CODE } from "../../lib/auth/credentials.ts";
import { isTextgateError } from "../../lib/errors.ts";
import { getRuntime, type Runtime } from "../runtime.ts";
import type { ChallengeOptions } from "./challenges.ts";
import { type SignedInUser, signInByPhone } from "./users.ts";

export interface SmsProviderOptions extends Partial<ChallengeOptions> {
  /** Provider id (default "sms": signIn("sms", …)). */
  id?: string;
  name?: string;
  /** The textgate runtime to verify against (default: this process's). */
  runtime?: () => Runtime;
}

export const DEFAULT_SMS_OPTIONS: ChallengeOptions = { ...DEFAULT_SIGN_IN_CODE };

/** Checks a sign-in code and returns the signed-in user; throws SignInFailure with the reason. */
export async function verifySignIn(runtime: Runtime, input: unknown, now = new Date()): Promise<SignedInUser> {
  const parsed = signInCredentialsSchema.safeParse(input);
  if (!parsed.success) throw new SignInFailure(UNREADABLE_CODE);
  const { verificationId, code, name } = parsed.data;
  const view = await runtime.engine.get(verificationId).catch(() => null);
  if (!view || view.purpose !== "login" || view.surface !== "auth") throw new SignInFailure({ kind: "expired_or_used" });
  let result;
  try {
    result = await runtime.engine.check({ id: verificationId }, code);
  } catch (error) {
    if (isTextgateError(error) && error.code === "invalid_request") throw new SignInFailure({ kind: "invalid_format", message: error.message });
    if (isTextgateError(error) && error.code === "verification_not_found") throw new SignInFailure({ kind: "expired_or_used" });
    if (isTextgateError(error) && error.code === "too_many_failed_attempts") {
      throw new SignInFailure({ kind: "too_many_failed_attempts", retryAfter: error.retryAfter ?? 1 });
    }
    throw error;
  }
  if (!result.valid) throw new SignInFailure({ kind: "invalid_code", attemptsLeft: result.attemptsLeft });
  return signInByPhone(runtime.prisma, view.to, name, now);
}

export function SmsProvider(options: SmsProviderOptions = {}) {
  const { id = "sms", name = "SMS", runtime = getRuntime, ...challenge } = options;
  const provider = CredentialsProvider({
    id,
    name,
    credentials: {
      verificationId: { label: "Verification", type: "text" },
      code: { label: "Code", type: "text" },
      name: { label: "Display name", type: "text" },
    },
    async authorize(credentials) {
      const user = await verifySignIn(runtime(), credentials);
      return { id: user.id, name: user.name, phone: user.phone, email: null, accountExisted: user.existed };
    },
  });
  return Object.assign(provider, { sms: { ...DEFAULT_SMS_OPTIONS, ...challenge } satisfies ChallengeOptions });
}
