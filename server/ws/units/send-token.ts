/**
 * Send Token: a code is texted to the user through the verification engine, in process or over the REST
 * API (purpose "socket:<id>", surface "socket": hashed, attempt-limited, single-use; see SocketCodes); the client sends it back as `{ type: "token", code }`.
 * Wrong codes use attempts; the last wrong one closes with 4003. While the number is locked by wrong
 * codes in a row (server/verification/guess-limits.ts) a token closes with 4008 "too many wrong codes;
 * retry in <seconds> s".
 *
 * Each socket has its own code: the verification's purpose names the socket ("socket:<connection id>"), so
 * the engine's pending policy (a new code replaces the pending one of the same number and purpose) never
 * cancels the code of another socket of the same user, and the code's HMAC is bound to this socket.
 */
import { TextgateError } from "../../../lib/errors.ts";
import { CLOSE, CLOSE_REASON } from "../../../lib/socket/protocol.ts";
import type { SessionUnit } from "../sessions.ts";

export interface SendTokenOptions {
  /** Default 6. */
  codeLength?: number;
  /** Default 3. */
  maxAttempts?: number;
  /** Default 300 s (also the code's validity). */
  timeoutMs?: number;
  /** Verification purpose prefix; the socket's connection id is appended. Default "socket". */
  purpose?: string;
  /** The code text's locale (else the number's country's, as for every verification). */
  locale?: string;
}

/** The purpose of one socket's code: one pending code per socket, never shared between sockets. */
export function socketPurpose(prefix: string, connectionId: string): string {
  return `${prefix}:${connectionId}`;
}

export function sendToken(options: SendTokenOptions = {}): SessionUnit {
  const codeLength = options.codeLength ?? 6;
  const maxAttempts = options.maxAttempts ?? 3;
  const timeoutMs = options.timeoutMs ?? 300_000;
  return {
    name: "send-token",
    timeoutMs,
    async run(ctx) {
      const verification = await ctx.codes
        .create({ purpose: options.purpose ?? "socket", codeLength, maxAttempts, locale: options.locale, validFor: Math.max(1, Math.ceil(timeoutMs / 1000)) })
        .catch((error: unknown) => {
          // Too many codes to this number lately: the socket is refused like a flood, not as a server error.
          if (error instanceof TextgateError && (error.code === "send_limit_reached" || error.code === "rate_limited")) return null;
          throw error;
        });
      if (!verification) return { ok: false, code: CLOSE.rateLimited, reason: "too many codes sent" };
      // The verification's length, not the option's: a test number's configured code may be longer or shorter.
      ctx.pending({ type: "pending", unit: "send-token", codeLength: verification.codeLength, attemptsLeft: verification.attemptsLeft });
      for (;;) {
        const code = await ctx.nextToken();
        try {
          const result = await ctx.codes.check(verification.id, code);
          if (result.valid) return { ok: true };
          if (result.attemptsLeft === 0) return { ok: false, code: CLOSE.noAttemptsLeft, reason: CLOSE_REASON.noAttemptsLeft };
          ctx.send({ type: "token_rejected", attemptsLeft: result.attemptsLeft });
        } catch (error) {
          if (!(error instanceof TextgateError)) throw error;
          if (error.code === "invalid_request") {
            ctx.send({ type: "error", code: "invalid_token", message: error.message });
            continue;
          }
          if (error.code === "too_many_failed_attempts") {
            // The user's number is locked by wrong codes in a row (any surface): the code was not tested.
            return { ok: false, code: CLOSE.rateLimited, reason: `${CLOSE_REASON.tooManyWrongCodes}; retry in ${error.retryAfter ?? 1} s` };
          }
          // expired, canceled (replaced by a newer code) or otherwise no longer checkable
          return { ok: false, code: CLOSE.timedOut, reason: CLOSE_REASON.timedOut };
        }
      }
    },
  };
}
