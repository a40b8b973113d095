/**
 * What the HTTP API layer needs from the process runtime (server/textgate.ts), and the shapes its
 * route handlers share. The real `Textgate` satisfies `ApiRuntime` structurally; unit tests pass a fake.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { ApiKeyAuthenticator, ApiKeyIdentity } from "../api-keys.ts";
import type { SandboxEntry } from "../carriers/sandbox.ts";
import type { SandboxCaller } from "../sandbox-access.ts";
import type { Carrier, StatusUpdate } from "../carriers/types.ts";
import type { Db } from "../db/client.ts";
import type { Config } from "../env.ts";
import type { Channel, CheckResult, CreateResult, CreateVerificationInput, VerificationView } from "../verification/types.ts";
import type { NoticeKind } from "../../lib/validations/notice.ts";
import type { Webhooks } from "../webhooks/index.ts";
import type { OwnerDesk } from "../owners/desk.ts";

export type { ApiKeyIdentity, SandboxEntry };

export interface ApiEngine {
  create(input: CreateVerificationInput): Promise<CreateResult>;
  get(id: string): Promise<VerificationView>;
  check(ref: { id: string } | { to: string; purpose?: string }, code: string): Promise<CheckResult>;
  cancel(id: string): Promise<VerificationView>;
  approve(id: string): Promise<VerificationView>;
  resend(id: string, options?: { channel?: Channel }): Promise<VerificationView>;
  sendNotice(input: { to: string; notice: NoticeKind; yes?: string; locale?: string; brand?: string }): Promise<{ to: string; sent: boolean }>;
  /** A carrier's delivery receipt; true when it moved the delivery (server/http/routes/webhooks.ts). */
  applyCarrierReceipt(carrier: string, update: StatusUpdate): Promise<boolean>;
}

export interface ApiSandbox {
  listMessages(to: string, options?: { limit?: number; includeInbound?: boolean }): Promise<SandboxEntry[]>;
  listNumbers(limit?: number): Promise<{ number: string; lastMessageAt: Date; messages: number }[]>;
}

export interface ApiInbound {
  receive(input: {
    carrier: string;
    from: string;
    to?: string | null;
    body: string;
    carrierMessageId?: string | null;
  }): Promise<{ id: string; duplicate: boolean }>;
}

export interface ApiRuntime {
  config: Pick<
    Config,
    | "MAX_BODY_BYTES"
    | "PUBLIC_URL"
    | "COMPAT_TWILIO_VALID_FOR_SECONDS"
    | "COMPAT_TEXTMAGIC_VALID_FOR_SECONDS"
    | "COMPAT_TEXTMAGIC_PRICE"
    | "vonageJwtKeys"
    // Who may use the sandbox (server/sandbox-access.ts).
    | "production"
    | "OWNER_PHONES"
    | "NEXTAUTH_SECRET"
    | "AUTH_SESSION_MAX_AGE_SECONDS"
  >;
  logger: Logger;
  prisma: Db;
  engine: ApiEngine;
  sandbox: ApiSandbox | null;
  inbound: ApiInbound;
  /** For carrier webhooks (/api/webhooks/*): the configured carriers; without them those routes answer 404. */
  carriers?: { byId(id: string): Carrier | undefined };
  /** Webhook endpoints and the event stream (server/webhooks/); without them those routes answer 404. */
  webhooks?: Webhooks;
  /** The owner desk, for remote gates' owner alerts (server/http/routes/owner-alerts.ts); without it those routes answer 404. */
  owners?: { desk: Pick<OwnerDesk, "announce" | "askForRemote" | "withdrawRemote"> };
}

export interface RequestContext {
  runtime: ApiRuntime;
  req: IncomingMessage;
  /** Path parameters (`:id`), raw: validate before use. */
  params: Readonly<Record<string, string>>;
  /** The query string without "?", or "" when there is none. */
  query: string;
  /** Set on routes that require an API key; null on public routes. */
  apiKey: ApiKeyIdentity | null;
  /** The API key check of this handler (the compatible APIs read their keys from Basic credentials with it). */
  authenticate: ApiKeyAuthenticator;
  /** Set on sandbox routes (`sandbox: true`): who passed server/sandbox-access.ts; null elsewhere. */
  sandboxCaller: SandboxCaller | null;
  /** Reads and parses the JSON body; undefined when the request has none. */
  readBody(): Promise<unknown>;
}

export interface Reply {
  status: number;
  /** Serialised with JSON.stringify. */
  body?: unknown;
  /** An already serialised JSON body (takes precedence over `body`). */
  json?: string;
  headers?: Readonly<Record<string, string>>;
  /** Takes over the response instead of a JSON body (GET /api/v1/events, Server-Sent Events). */
  stream?: (res: ServerResponse) => void;
}

export type RouteHandler = (ctx: RequestContext) => Promise<Reply> | Reply;

export interface ApiRoute {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path pattern; `:name` matches one segment. */
  path: string;
  /** Whether an API key (Authorization: Bearer) is required. */
  auth: boolean;
  /** A sandbox route: in production only owners and API keys may call it (server/sandbox-access.ts). */
  sandbox?: true;
  handler: RouteHandler;
}
