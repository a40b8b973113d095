/**
 * Reply: the client shows a short code (sent in `pending`), the user gets "Hi, what's on the screen?"
 * and answers by SMS with that code from their number.
 *
 * Variant `secret: true`: the answer is the user's offline shared secret (e.g. a spoken password),
 * stored hashed with `hashSharedSecret`; `sharedSecretHash(userId)` looks the hash up.
 */
import crypto from "node:crypto";
import { CLOSE } from "../../../lib/socket/protocol.ts";
import { generateCode } from "../../verification/codes.ts";
import { normalizeAnswer, type SessionUnit } from "../sessions.ts";

export interface ReplyOptions {
  /** Replaces the catalog's "Hi, what's on the screen?" (or "Hi, what's our shared secret?" with `secret`). */
  text?: string;
  /** The texts' locale (else the number's country's); see UnitContext.notice. */
  locale?: string;
  /** Length of the on-screen code; default 4. */
  codeLength?: number;
  /** Default 120 s. */
  timeoutMs?: number;
  secret?: boolean;
  /** With `secret`: the stored hash of the user's shared secret, or null when they have none. */
  sharedSecretHash?(userId: string): Promise<string | null>;
}

/** Key for shared-secret hashes, derived from a server secret (textgate's TEXTGATE_SECRET, a host's NEXTAUTH_SECRET). */
export function sharedSecretKey(secret: string): Buffer {
  return Buffer.from(crypto.hkdfSync("sha256", Buffer.from(secret), Buffer.alloc(0), "textgate/socket-shared-secret/v1", 32));
}

/** Hash of a shared secret as stored: HMAC-SHA-256 over its normalised form (case and spaces ignored), hex. */
export function hashSharedSecret(secretKey: Buffer, secret: string): string {
  return crypto.createHmac("sha256", secretKey).update(normalizeAnswer(secret)).digest("hex");
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && x.length > 0 && crypto.timingSafeEqual(x, y);
}

export function reply(options: ReplyOptions = {}): SessionUnit {
  if (options.secret && !options.sharedSecretHash) throw new Error("reply({ secret: true }) needs a sharedSecretHash lookup");
  return {
    name: options.secret ? "reply-secret" : "reply",
    timeoutMs: options.timeoutMs ?? 120_000,
    async run(ctx) {
      if (options.secret) {
        const stored = await options.sharedSecretHash?.(ctx.user.id);
        if (!stored) return { ok: false, code: CLOSE.denied, reason: "no shared secret" };
        const answer = ctx.waitForReply((body) => (sameHash(hashSharedSecret(ctx.secretKey, body), stored) ? "accept" : null));
        ctx.pending({ type: "pending", unit: "reply-secret" });
        await ctx.sendNotice({ key: "replySecret", text: options.text, locale: options.locale });
        await answer;
        return { ok: true };
      }
      const code = generateCode(options.codeLength ?? 4, false);
      const answer = ctx.waitForReply((body) => (normalizeAnswer(body) === code ? "accept" : null));
      ctx.pending({ type: "pending", unit: "reply", code });
      await ctx.sendNotice({ key: "reply", text: options.text, locale: options.locale });
      await answer;
      return { ok: true };
    },
  };
}
