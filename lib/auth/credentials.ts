/**
 * What next-auth's SMS Credentials provider receives (`signIn("sms", { verificationId, code, name? })`)
 * and how its `authorize` refuses: a SignInFailure, whose message next-auth hands back to signIn() as
 * `error` (parse it with parseSignInError). Shared by both modes of `textgate/next-auth` (server/kit/next-auth.ts):
 * in process (server/auth/sign-in.ts) and remote.
 */
import { z } from "zod";
import { encodeSignInError, type SignInError } from "./contract.ts";

export const signInCredentialsSchema = z.object({
  verificationId: z.string().min(1).max(64),
  code: z.string().min(1).max(64),
  name: z.string().max(200).optional(),
});

export class SignInFailure extends Error {
  constructor(readonly reason: SignInError) {
    super(encodeSignInError(reason));
  }
}

/** How a sign-in code is sent and checked. */
export interface SignInCode {
  channel: "sms" | "voice";
  /** 4–10 digits (or letters with `alphanumeric`). */
  codeLength: number;
  alphanumeric: boolean;
  /** Seconds a code works. */
  validFor: number;
  /** Wrong codes a verification takes. */
  maxAttempts: number;
  brand?: string;
  locale?: string;
  template?: string;
}

/** A sign-in code's defaults, the same in both modes of `textgate/next-auth`. */
export const DEFAULT_SIGN_IN_CODE = { channel: "sms", codeLength: 6, alphanumeric: false, validFor: 600, maxAttempts: 3 } as const satisfies SignInCode;

/** The refusal for credentials that do not even parse. */
export const UNREADABLE_CODE: SignInError = { kind: "invalid_format", message: "Enter the code from the text message." };
