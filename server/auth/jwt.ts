/**
 * next-auth's session token (`next-auth/jwt`'s encode and decode: a JWE, `dir` + A256GCM, under a key
 * derived from the secret by HKDF), with the derived key kept per secret. next-auth derives it again on
 * every call, and a sign-in, each session read and each socket admission decode or encode a token
 * (docs/benchmarks.md, issue 14). The tokens are next-auth's byte for byte: the same algorithm, key, claims
 * (iat, exp, jti) and clock tolerance, so either side reads what the other wrote.
 *
 * jose is the copy next-auth itself loads (resolved from next-auth's own location), so no second version
 * of it can differ from the one next-auth encodes with.
 */
import { createSecretKey, hkdf, type KeyObject, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import type { JWT, JWTDecodeParams, JWTEncodeParams } from "next-auth/jwt";

type Jose = typeof import("jose");

let joseModule: Jose | undefined;
function jose(): Jose {
  if (!joseModule) {
    const require = createRequire(import.meta.url);
    joseModule = createRequire(require.resolve("next-auth/jwt"))("jose") as Jose;
  }
  return joseModule;
}

/** next-auth's default maxAge (30 days), used when a caller gives none. */
const DEFAULT_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

/** Derived keys by salt and secret; a process has one or two secrets, so the bound only guards against misuse. */
const keys = new Map<string, Promise<KeyObject>>();
const MAX_KEYS = 16;

/** The key next-auth derives (getDerivedEncryptionKey in node_modules/next-auth/jwt/index.js), as a KeyObject. */
export function derivedKey(secret: string | Buffer, salt = ""): Promise<KeyObject> {
  const id = `${salt}\u0000${typeof secret === "string" ? secret : secret.toString("base64")}`;
  let key = keys.get(id);
  if (!key) {
    if (keys.size >= MAX_KEYS) keys.clear();
    const info = `NextAuth.js Generated Encryption Key${salt ? ` (${salt})` : ""}`;
    key = new Promise<KeyObject>((resolve, reject) =>
      hkdf("sha256", secret, salt, info, 32, (error, bytes) => (error ? reject(error) : resolve(createSecretKey(Buffer.from(bytes))))),
    );
    keys.set(id, key);
    // A failed derivation is not kept: the next call tries again.
    key.catch(() => keys.delete(id));
  }
  return key;
}

/** `next-auth/jwt`'s encode with the kept key. */
export async function encodeJwt({ token = {}, secret, maxAge = DEFAULT_MAX_AGE_SECONDS, salt = "" }: JWTEncodeParams): Promise<string> {
  const key = await derivedKey(secret, salt);
  const now = (Date.now() / 1000) | 0;
  return new (jose().EncryptJWT)(token)
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .setIssuedAt()
    .setExpirationTime(now + maxAge)
    .setJti(randomUUID())
    .encrypt(key);
}

/** `next-auth/jwt`'s decode with the kept key: null without a token, a throw for one that does not decrypt or has expired. */
export async function decodeJwt({ token, secret, salt = "" }: JWTDecodeParams): Promise<JWT | null> {
  if (!token) return null;
  const key = await derivedKey(secret, salt);
  const { payload } = await jose().jwtDecrypt(token, key, { clockTolerance: 15 });
  return payload as JWT;
}
