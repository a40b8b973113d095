/**
 * UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits. Time-ordered ids keep
 * inserts at the end of every primary-key index (fewer pages touched per write than random v4 ids)
 * and remain unguessable. Node 20 has no built-in v7.
 */
import crypto from "node:crypto";

export function uuidv7(now = Date.now()): string {
  const bytes = crypto.randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | ((bytes[6] as number) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f);
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
