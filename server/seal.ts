/**
 * AES-256-GCM sealing of short secrets kept at rest (codes for later workflow steps, webhook signing
 * secrets): a random 96-bit IV, the tag, then the ciphertext, base64url. `aad` binds a sealed value to
 * its row (a verification id, an endpoint id), so a sealed value copied to another row does not open.
 */
import crypto from "node:crypto";
import { randomBytesPooled } from "../lib/random.ts";

export function seal(key: Buffer, value: string, aad: string): string {
  const iv = randomBytesPooled(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(value, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
}

export function unseal(key: Buffer, sealed: string, aad: string): string {
  const raw = Buffer.from(sealed, "base64url");
  const decipher = crypto.createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}
