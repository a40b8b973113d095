/**
 * Vonage's application JWTs (`Authorization: Bearer …`), as @vonage/auth makes them: RS256, signed with the
 * application's private key, claims `application_id`, `iat`, `jti`, `exp` (15 minutes by default). textgate
 * accepts the applications named in COMPAT_VONAGE_JWT_APPLICATIONS and checks each token against that
 * application's public key; only RS256 is accepted, so no token can pick a weaker algorithm.
 */
import type crypto from "node:crypto";
import jwt from "jsonwebtoken";

/** A minute of clock difference between the client and this server is tolerated. */
const CLOCK_TOLERANCE_SECONDS = 60;

/** The application a valid token was signed for, or null (malformed, unknown application, bad signature, expired, no expiry). */
export function verifyApplicationJwt(token: string, keys: ReadonlyMap<string, crypto.KeyObject>): { applicationId: string } | null {
  const unverified = jwt.decode(token, { json: true });
  const applicationId = unverified?.application_id;
  if (typeof applicationId !== "string") return null;
  const key = keys.get(applicationId);
  if (!key) return null;
  try {
    const claims = jwt.verify(token, key, { algorithms: ["RS256"], clockTolerance: CLOCK_TOLERANCE_SECONDS });
    if (typeof claims !== "object" || typeof claims.exp !== "number" || claims.application_id !== applicationId) return null;
    return { applicationId };
  } catch {
    return null;
  }
}
