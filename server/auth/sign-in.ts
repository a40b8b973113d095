/**
 * textgate's sign-in by phone in this process: what `textgate/next-auth`'s in-process mode calls
 * (server/kit/in-process.ts). `authorize` checks the code through the verification engine — attempt
 * limits, single use, hashed codes — never around it, then signs in the number's user, creating it on its
 * first verification (passwordless onboarding). start/resend/config answer as textgate's own
 * /api/auth/sms/* routes always have: textgate's error shape, limits per IP and per number.
 */
import { DEFAULT_SIGN_IN_CODE, type SignInCode, SignInFailure, signInCredentialsSchema, UNREADABLE_CODE } from "../../lib/auth/credentials.ts";
import { isTextgateError } from "../../lib/errors.ts";
import { resendChallengeSchema, startChallengeSchema } from "../../lib/validations/account.ts";
import { errorAsResponse, jsonResponse } from "../http/respond.ts";
import type { InProcessSignIn } from "../kit/in-process.ts";
import type { VerificationEngine } from "../verification/engine.ts";
import type { ChallengeService } from "./challenges.ts";
import { readJson } from "./read-json.ts";
import type { SignedInUser, UserDirectory } from "./users.ts";
import type { AuthClientConfig } from "../../lib/auth/contract.ts";

export { DEFAULT_SIGN_IN_CODE };

/** Checks a sign-in code and returns the signed-in user; throws SignInFailure with the reason. */
export async function verifySignIn(deps: { engine: VerificationEngine; users: UserDirectory }, input: unknown, now = new Date()): Promise<SignedInUser> {
  const parsed = signInCredentialsSchema.safeParse(input);
  if (!parsed.success) throw new SignInFailure(UNREADABLE_CODE);
  const { verificationId, code, name } = parsed.data;
  let result;
  try {
    // Only a sign-in verification signs in: any other (an API one, an account's number change) is not found.
    result = await deps.engine.check({ id: verificationId, only: { purpose: "login", surface: "auth" } }, code);
  } catch (error) {
    if (isTextgateError(error) && error.code === "invalid_request") throw new SignInFailure({ kind: "invalid_format", message: error.message });
    if (isTextgateError(error) && error.code === "verification_not_found") throw new SignInFailure({ kind: "expired_or_used" });
    if (isTextgateError(error) && error.code === "too_many_failed_attempts") {
      throw new SignInFailure({ kind: "too_many_failed_attempts", retryAfter: error.retryAfter ?? 1 });
    }
    throw error;
  }
  if (!result.valid) throw new SignInFailure({ kind: "invalid_code", attemptsLeft: result.attemptsLeft });
  return deps.users.signInByPhone(result.verification.to, name, now);
}

export interface SignInDeps {
  engine: VerificationEngine;
  users: UserDirectory;
  challenges: ChallengeService;
  /** This server's sign-in settings as the pages see them (AUTH_*, the sandbox). */
  clientConfig: AuthClientConfig;
  /** Unexpected failures (5xx) are logged here. */
  onError: (error: unknown) => void;
}

export function createInProcessSignIn(deps: SignInDeps): InProcessSignIn {
  const answer = async (work: () => Promise<unknown>): Promise<Response> => {
    try {
      return jsonResponse(await work());
    } catch (error) {
      const response = errorAsResponse(error);
      if (response.status >= 500) deps.onError(error);
      return response;
    }
  };
  return {
    start: (request, ip, code) =>
      answer(async () => {
        const body = await readJson(request, startChallengeSchema);
        return deps.challenges.withOptions(code ?? {}).start({ ...body, purpose: "login", ip });
      }),
    resend: (request, ip) =>
      answer(async () => {
        const body = await readJson(request, resendChallengeSchema);
        return deps.challenges.resend({ ...body, purpose: "login", ip });
      }),
    config: (code) => answer(async () => ({ ...deps.clientConfig, ...pick(code ?? {}) })),
    authorize: (credentials) => verifySignIn(deps, credentials),
  };
}

/** What of a host's code settings the pages need to know. */
function pick(code: Partial<SignInCode>): Partial<AuthClientConfig> {
  return Object.fromEntries(
    Object.entries({ codeLength: code.codeLength, alphanumeric: code.alphanumeric, channel: code.channel }).filter(([, v]) => v !== undefined),
  );
}
