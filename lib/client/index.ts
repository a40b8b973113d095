/**
 * `textgate/client`: a typed client of textgate's native REST API (/api/v1), for Node and browsers.
 * Every refused request throws a TextgateRequestError (lib/errors.ts, the one error clients throw): the
 * dictionary's `code`, the server's message, `status` and `retryAfter` (seconds, from Retry-After).
 *
 * The API key is a server secret: use this client on a server (a route handler, a job, a test), never
 * in a page a visitor loads.
 */
import { requestErrorFrom } from "../errors.ts";
import type { SendNoticeRequest } from "../validations/notice.ts";
import type { OwnerAlertRequest, OwnerAlertResult } from "../validations/owner-alert.ts";
import type { CreateVerificationRequest } from "../validations/verification.ts";
import type { CreateWebhookRequest, UpdateWebhookRequest, WebhookEventType } from "../validations/webhooks.ts";
import { readEventStream } from "./event-stream.ts";
import type {
  Channel,
  CheckResult,
  SandboxMessage,
  StreamedEvent,
  Verification,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
} from "./types.ts";

export type * from "./types.ts";
export type { CreateVerificationRequest, OwnerAlertRequest, OwnerAlertResult, SendNoticeRequest, CreateWebhookRequest, UpdateWebhookRequest, WebhookEventType };
export { ERRORS, isTextgateRequestError, TextgateRequestError, type ClientErrorCode, type ErrorCode } from "../errors.ts";

export interface TextgateClientOptions {
  /** Where textgate runs, such as `https://verify.example.com` (a path prefix is kept). */
  baseUrl: string;
  /** An API key from `npm run keys:create`, sent as `Authorization: Bearer <key>`. */
  apiKey: string;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
  /** Abort a request that has not answered after this many milliseconds (default 15,000; 0 waits forever). */
  timeoutMs?: number;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface CreateVerificationOptions extends RequestOptions {
  /** Sent as `Idempotency-Key`: a retry with the same key and body sends nothing and answers the first result. */
  idempotencyKey?: string;
}

export interface SubscribeOptions extends RequestOptions {
  /** Only these event types (default: every type). */
  types?: readonly WebhookEventType[];
  /** Resume after this event id (the `id` of a StreamedEvent); events are kept at least 24 h. */
  lastEventId?: string;
  /** Phone numbers unmasked (default false: masked like a webhook that did not opt in). */
  includePhoneNumbers?: boolean;
}

export interface TextgateClient {
  verifications: {
    create(body: CreateVerificationRequest, options?: CreateVerificationOptions): Promise<Verification>;
    get(id: string, options?: RequestOptions): Promise<Verification>;
    /** A wrong code is a result (`valid: false`), not an exception; a finished or unknown verification throws verification_not_found. */
    check(id: string, code: string, options?: RequestOptions): Promise<CheckResult>;
    resend(id: string, body?: { channel?: Channel }, options?: RequestOptions): Promise<Verification>;
    cancel(id: string, options?: RequestOptions): Promise<Verification>;
    approve(id: string, options?: RequestOptions): Promise<Verification>;
  };
  webhooks: {
    create(body: CreateWebhookRequest, options?: RequestOptions): Promise<WebhookEndpointWithSecret>;
    list(options?: RequestOptions): Promise<WebhookEndpoint[]>;
    get(id: string, options?: RequestOptions): Promise<WebhookEndpoint>;
    update(id: string, body: UpdateWebhookRequest, options?: RequestOptions): Promise<WebhookEndpoint>;
    remove(id: string, options?: RequestOptions): Promise<void>;
    rotateSecret(id: string, options?: RequestOptions): Promise<WebhookEndpointWithSecret>;
    test(id: string, options?: RequestOptions): Promise<{ ok: boolean; responseStatus: number | null; error: string | null }>;
    deliveries(id: string, options?: RequestOptions): Promise<WebhookDelivery[]>;
    retryDelivery(id: string, deliveryId: string, options?: RequestOptions): Promise<WebhookDelivery>;
  };
  notices: {
    /**
     * Texts a number one of the socket units' catalog texts (POST /api/v1/notices), within the number's
     * send limit; `sent` false when no carrier took it. For `textgate/ws` in remote mode.
     */
    send(body: SendNoticeRequest, options?: RequestOptions): Promise<{ to: string; sent: boolean }>;
  };
  ownerAlerts: {
    /**
     * Texts the server's owners that someone is connecting (POST /api/v1/owner-alerts); with
     * `waitForDecision`, a request they decide, whose decision is the `owner.decided` event. For `textgate/ws`.
     */
    create(body: OwnerAlertRequest, options?: RequestOptions): Promise<OwnerAlertResult>;
    /** Withdraws a pending request (DELETE /api/v1/owner-alerts/{reference}); not_found once decided or expired. */
    withdraw(reference: string, options?: RequestOptions): Promise<void>;
  };
  events: {
    /**
     * The live event stream (GET /api/v1/events) as an async iterator. It reconnects after a dropped
     * connection from the last event it yielded, so no event is skipped; it ends when `signal` aborts.
     */
    subscribe(options?: SubscribeOptions): AsyncIterable<StreamedEvent>;
  };
  sandbox: {
    /** Texts and calls the sandbox carrier sent to a number, newest first. */
    messages(to: string, options?: RequestOptions & { limit?: number }): Promise<SandboxMessage[]>;
    /** A sandbox handset's whole conversation, newest first: what was sent to it and what it replied. */
    conversation(number: string, options?: RequestOptions & { limit?: number }): Promise<SandboxMessage[]>;
    /** A text from a sandbox handset to the server, as if the phone replied. */
    reply(body: { from: string; body: string; to?: string }, options?: RequestOptions): Promise<{ id: string; duplicate: boolean }>;
  };
}

const DEFAULT_TIMEOUT_MS = 15_000;

export function createTextgateClient(options: TextgateClientOptions): TextgateClient {
  if (!options.baseUrl || !URL.canParse(options.baseUrl)) throw new TypeError("createTextgateClient: baseUrl must be an absolute URL");
  if (!options.apiKey) throw new TypeError("createTextgateClient: apiKey is required");
  const base = options.baseUrl.replace(/\/+$/, "");
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  function signalFor(signal: AbortSignal | undefined): AbortSignal | undefined {
    const timeout = timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined;
    if (signal && timeout) return AbortSignal.any([signal, timeout]);
    return signal ?? timeout;
  }

  async function call<T>(method: string, path: string, body?: unknown, request: RequestOptions & { headers?: Record<string, string> } = {}): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${options.apiKey}`, accept: "application/json", ...request.headers };
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await doFetch(`${base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: signalFor(request.signal),
    });
    if (!response.ok) throw await requestErrorFrom(response);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  const id = (value: string) => encodeURIComponent(value);

  async function sandboxList(path: string, to: string, request: RequestOptions & { limit?: number }): Promise<SandboxMessage[]> {
    const query = new URLSearchParams({ to, ...(request.limit ? { limit: String(request.limit) } : {}) });
    return (await call<{ messages: SandboxMessage[] }>("GET", `${path}?${query}`, undefined, request)).messages;
  }

  return {
    verifications: {
      create: (body, request = {}) =>
        call("POST", "/api/v1/verifications", body, {
          signal: request.signal,
          headers: request.idempotencyKey ? { "idempotency-key": request.idempotencyKey } : undefined,
        }),
      get: (verificationId, request) => call("GET", `/api/v1/verifications/${id(verificationId)}`, undefined, request),
      check: (verificationId, code, request) => call("POST", `/api/v1/verifications/${id(verificationId)}/check`, { code }, request),
      resend: (verificationId, body = {}, request) => call("POST", `/api/v1/verifications/${id(verificationId)}/resend`, body, request),
      cancel: (verificationId, request) => call("POST", `/api/v1/verifications/${id(verificationId)}/cancel`, {}, request),
      approve: (verificationId, request) => call("POST", `/api/v1/verifications/${id(verificationId)}/approve`, {}, request),
    },
    webhooks: {
      create: (body, request) => call("POST", "/api/v1/webhooks", body, request),
      list: async (request) => (await call<{ data: WebhookEndpoint[] }>("GET", "/api/v1/webhooks", undefined, request)).data,
      get: (endpointId, request) => call("GET", `/api/v1/webhooks/${id(endpointId)}`, undefined, request),
      update: (endpointId, body, request) => call("PATCH", `/api/v1/webhooks/${id(endpointId)}`, body, request),
      remove: (endpointId, request) => call("DELETE", `/api/v1/webhooks/${id(endpointId)}`, undefined, request),
      rotateSecret: (endpointId, request) => call("POST", `/api/v1/webhooks/${id(endpointId)}/rotate-secret`, {}, request),
      test: (endpointId, request) => call("POST", `/api/v1/webhooks/${id(endpointId)}/test`, {}, request),
      deliveries: async (endpointId, request) =>
        (await call<{ data: WebhookDelivery[] }>("GET", `/api/v1/webhooks/${id(endpointId)}/deliveries`, undefined, request)).data,
      retryDelivery: (endpointId, deliveryId, request) =>
        call("POST", `/api/v1/webhooks/${id(endpointId)}/deliveries/${id(deliveryId)}/retry`, {}, request),
    },
    notices: {
      send: (body, request) => call("POST", "/api/v1/notices", body, request),
    },
    ownerAlerts: {
      create: (body, request) => call("POST", "/api/v1/owner-alerts", body, request),
      withdraw: (reference, request) => call("DELETE", `/api/v1/owner-alerts/${id(reference)}`, undefined, request),
    },
    events: {
      subscribe: (subscribe = {}) =>
        readEventStream({
          url: `${base}/api/v1/events`,
          apiKey: options.apiKey,
          fetch: doFetch,
          types: subscribe.types,
          includePhoneNumbers: subscribe.includePhoneNumbers,
          lastEventId: subscribe.lastEventId,
          signal: subscribe.signal,
        }),
    },
    sandbox: {
      messages: (to, request = {}) => sandboxList("/api/v1/sandbox/messages", to, request),
      conversation: (number, request = {}) => sandboxList("/api/sandbox/messages", number, request),
      reply: (body, request) => call("POST", "/api/sandbox/reply", body, request),
    },
  };
}
