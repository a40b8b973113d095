/**
 * The socket gate's backend for a host that talks to a textgate server (server/kit/ws.ts, remote mode):
 * codes over the REST API (`POST /api/v1/verifications`, `…/check`), the units' texts through
 * `POST /api/v1/notices`, owner alerts through `POST /api/v1/owner-alerts`, and replies and owners'
 * decisions from the event stream (`GET /api/v1/events`: `inbound.message`, `owner.decided`).
 *
 * One stream per gate, opened with the gate and read until it closes; the client reconnects with
 * Last-Event-ID (lib/client/event-stream.ts), so no text is lost between connections. A unit's text goes
 * out only once the stream is connected, so the answer to it cannot arrive before the gate listens; only
 * texts from the user's number that arrive while its unit waits count (as in server/ws/replies.ts).
 */
import { TextgateError, isTextgateRequestError, type ErrorCode, ERRORS } from "../../lib/errors.ts";
import { createTextgateClient, type TextgateClient } from "../../lib/client/index.ts";
import { NOTICE_KINDS } from "../../lib/validations/notice.ts";
import type { OwnerAlerts, OwnerDecision } from "../owners/desk.ts";
import type { SocketBackend } from "../ws/gate.ts";
import { type InboundText, ReplyRouter } from "../ws/replies.ts";
import type { UnitNotice } from "../ws/sessions.ts";
import type { RemoteTextgate } from "./remote.ts";

/** textgate's refusal as the units know it (TextgateError with the dictionary's code); anything else unchanged. */
function asTextgateError(error: unknown): unknown {
  if (!isTextgateRequestError(error) || !(error.code in ERRORS)) return error;
  return new TextgateError(error.code as ErrorCode, error.message, { retryAfter: error.retryAfter, cause: error });
}

/**
 * The purpose of one socket's code over REST, where a purpose is at most 32 characters of a-z, 0-9, _ . : -:
 * the prefix and as much of the socket id's end (its random part, lib/ids.ts) as fits, at least 16 hex
 * digits, so each socket still has its own pending code.
 */
export function remoteSocketPurpose(prefix: string, connectionId: string): string {
  const room = 32 - prefix.length - 1;
  if (room < 16) throw new Error(`sendToken({ purpose }): "${prefix}" is too long for a remote textgate (at most 15 characters)`);
  return `${prefix}:${connectionId.replaceAll("-", "").slice(-room)}`;
}

export interface RemoteBackendOptions {
  secretKey: Buffer;
  /** The brand the units' texts start with; the textgate server's DEFAULT_BRAND when unset. */
  brand?: string;
  onError(error: unknown): void;
}

export function remoteBackend(textgate: RemoteTextgate, options: RemoteBackendOptions): SocketBackend {
  const abort = new AbortController();
  let connection: { resolve(): void; reject(error: unknown): void } = { resolve: () => {}, reject: () => {} };
  const connected = new Promise<void>((resolve, reject) => (connection = { resolve, reject }));
  connected.catch(() => {}); // a failed stream fails the units that wait for it, not the process
  const baseFetch = globalThis.fetch.bind(globalThis);
  const eventsUrl = `${textgate.baseUrl.replace(/\/+$/, "")}/api/v1/events`;
  const client: TextgateClient = createTextgateClient({
    ...textgate,
    // Tells when the stream is connected: the units text only then (see the comment at the top).
    fetch: async (input, init) => {
      const response = await baseFetch(input, init);
      if (String(input).startsWith(eventsUrl) && response.ok) connection.resolve();
      return response;
    },
  });

  // Owners' decisions by reference, for the requests this gate opened; a decision that comes in before the
  // POST that opened its request has answered (an owner quicker than the response) waits in `early`.
  const waiting = new Map<string, { connectionId: string; resolve(decision: OwnerDecision): void }>();
  const early = new Map<string, { connectionId: string; decision: OwnerDecision }>();
  const decided = (reference: string, connectionId: string, decision: OwnerDecision) => {
    const entry = waiting.get(reference);
    if (entry?.connectionId === connectionId) entry.resolve(decision);
    else if (!entry) {
      early.set(reference, { connectionId, decision });
      setTimeout(() => early.delete(reference), 60_000).unref();
    }
  };

  // The stream's texts go to the router through `deliver` (no matches recorded: the rows are textgate's).
  let deliver: (text: InboundText) => void = () => {};
  const replies = new ReplyRouter((d) => ((deliver = d), () => (deliver = () => {})), null, options.onError);
  let failure: unknown = null;
  const reading = (async () => {
    try {
      for await (const event of client.events.subscribe({ types: ["inbound.message", "owner.decided"], includePhoneNumbers: true, signal: abort.signal })) {
        if (event.type === "owner.decided") {
          const { reference, connectionId, decision } = event.data as { reference?: unknown; connectionId?: unknown; decision?: unknown };
          if (typeof reference === "string" && typeof connectionId === "string" && (decision === "accept" || decision === "deny")) decided(reference, connectionId, decision);
          continue;
        }
        const { inboundId, from, body } = event.data as { inboundId?: unknown; from?: unknown; body?: unknown };
        if (typeof from === "string" && typeof body === "string") deliver({ inboundId: String(inboundId ?? event.id), from, body });
      }
    } catch (error) {
      // A refusal of the stream (a wrong API key): nothing can be confirmed; units fail with a server error.
      if (abort.signal.aborted) return;
      failure = error;
      options.onError(error);
      connection.reject(error);
    }
  })();

  const owners: OwnerAlerts = {
    async announce(alert) {
      if (alert.text !== undefined) throw new Error("ownerAlert({ text }) needs textgate in process; a remote textgate sends only its catalog's alert");
      return (await client.ownerAlerts.create({ who: alert.who, path: alert.path })).owners;
    },
    async ask(alert, signal, ttlMs) {
      if (alert.text !== undefined) throw new Error("ownerAlert({ text }) needs textgate in process; a remote textgate sends only its catalog's alert");
      if (failure) throw failure;
      // The decision comes on the stream: listening before the owners are texted.
      await connected;
      signal.throwIfAborted();
      const opened = await client.ownerAlerts
        .create({ who: alert.who, path: alert.path, waitForDecision: true, connectionId: alert.connectionId, timeoutSeconds: Math.max(5, Math.min(3600, Math.ceil(ttlMs / 1000))) })
        .catch((error: unknown) => Promise.reject(asTextgateError(error)));
      const reference = opened.reference;
      if (!reference) return null;
      const decision = new Promise<OwnerDecision>((resolve, reject) => {
        const onAbort = () => {
          waiting.delete(reference);
          // Withdrawn so that /owner stops listing it; already decided or expired is fine.
          client.ownerAlerts.withdraw(reference).catch((error: unknown) => {
            if (!isTextgateRequestError(error) || error.status !== 404) options.onError(error);
          });
          reject(signal.reason);
        };
        const settle = (outcome: OwnerDecision) => {
          signal.removeEventListener("abort", onAbort);
          waiting.delete(reference);
          resolve(outcome);
        };
        const before = early.get(reference);
        if (before?.connectionId === alert.connectionId) {
          early.delete(reference);
          return settle(before.decision);
        }
        signal.addEventListener("abort", onAbort, { once: true });
        waiting.set(reference, { connectionId: alert.connectionId, resolve: settle });
      });
      decision.catch(() => {});
      return { reference, decision };
    },
  };

  return {
    owners,
    codes: (phone, connectionId) => ({
      async create(request) {
        const verification = await client.verifications
          .create({
            to: phone,
            channel: "sms",
            purpose: remoteSocketPurpose(request.purpose, connectionId),
            codeLength: request.codeLength,
            maxAttempts: request.maxAttempts,
            validFor: request.validFor,
            ...(request.locale ? { locale: request.locale } : {}),
            ...(options.brand ? { brand: options.brand } : {}),
          })
          .catch((error: unknown) => Promise.reject(asTextgateError(error)));
        return { id: verification.id, codeLength: verification.codeLength, attemptsLeft: verification.attemptsLeft };
      },
      async check(id, code) {
        const result = await client.verifications.check(id, code).catch((error: unknown) => Promise.reject(asTextgateError(error)));
        return { valid: result.valid, attemptsLeft: result.attemptsLeft };
      },
    }),
    waitForReply: (phone, connectionId, match, signal) => (failure ? Promise.reject(failure) : replies.wait(phone, connectionId, match, signal)),
    async sendNotice(phone: string, notice: UnitNotice) {
      if (notice.text !== undefined) throw new Error("a unit's own `text` needs textgate in process; a remote textgate sends only its catalog texts");
      const kind = NOTICE_KINDS.find((k) => k === notice.key);
      if (!kind) throw new Error(`no REST notice for the text ${notice.key}`);
      await connected;
      const yes = notice.values?.yes;
      const sent = await client.notices.send({
        to: phone,
        notice: kind,
        ...(typeof yes === "string" ? { yes } : {}),
        ...(notice.locale ? { locale: notice.locale } : {}),
        ...(options.brand ? { brand: options.brand } : {}),
      });
      return sent.sent;
    },
    secretKey: options.secretKey,
    async close() {
      abort.abort();
      replies.close();
      await reading;
    },
  };
}
