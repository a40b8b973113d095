/**
 * One-time codes: generation from the CSPRNG, normalisation, and the two keyed transforms kept in the
 * database instead of the code: an HMAC for checking (constant-time) and an AES-GCM seal so a later
 * workflow step or a resend can deliver the same code after a restart. Both keys are derived from
 * TEXTGATE_SECRET with HKDF, so a copy of the database alone reveals no code.
 */
import crypto from "node:crypto";
import { seal, unseal } from "../seal.ts";

export const DIGITS = "0123456789";
/** Letters and digits without look-alikes (no 0/O, 1/I/L, 5/S, 8/B, 2/Z), upper case only. */
export const ALPHANUMERIC = "34679ACDEFGHJKMNPQRTUVWXY";

export function generateCode(length: number, alphanumeric: boolean): string {
  const alphabet = alphanumeric ? ALPHANUMERIC : DIGITS;
  let code = "";
  for (let i = 0; i < length; i++) code += alphabet[crypto.randomInt(alphabet.length)];
  return code;
}

/** What a person may type: surrounding spaces and case do not matter. */
export function normalizeCode(code: string): string {
  return code.trim().toUpperCase();
}

/** Whether a submitted code could possibly be right (wrong-format input is refused without using an attempt). */
export function plausibleCode(code: string, length: number, alphanumeric: boolean): boolean {
  return code.length === length && (alphanumeric ? /^[A-Z0-9]+$/ : /^[0-9]+$/).test(code);
}

export interface CodeBinding {
  verificationId: string;
  to: string;
  purpose: string;
}

export class CodeCrypto {
  private readonly hashKey: Buffer;
  private readonly sealKey: Buffer;

  constructor(secret: string) {
    const ikm = Buffer.from(secret, "utf8");
    this.hashKey = Buffer.from(crypto.hkdfSync("sha256", ikm, Buffer.alloc(0), "textgate/code-hash/v1", 32));
    this.sealKey = Buffer.from(crypto.hkdfSync("sha256", ikm, Buffer.alloc(0), "textgate/code-seal/v1", 32));
  }

  /** HMAC-SHA-256 over the code bound to one verification, number and purpose. */
  hash(code: string, binding: CodeBinding): string {
    return crypto
      .createHmac("sha256", this.hashKey)
      .update(`${binding.verificationId}\u0000${binding.to}\u0000${binding.purpose}\u0000${normalizeCode(code)}`)
      .digest("base64url");
  }

  /** Constant-time comparison of a submitted code with the stored hash. */
  matches(code: string, binding: CodeBinding, storedHash: string): boolean {
    const expected = Buffer.from(storedHash, "base64url");
    const actual = Buffer.from(this.hash(code, binding), "base64url");
    return expected.length === actual.length && crypto.timingSafeEqual(expected, actual);
  }

  seal(code: string, verificationId: string): string {
    return seal(this.sealKey, code, verificationId);
  }

  open(sealed: string, verificationId: string): string {
    return unseal(this.sealKey, sealed, verificationId);
  }
}
