/**
 * /api/v1/owner-alerts: the Owner alert unit of a host's `textgate/ws` gate in remote mode
 * (lib/validations/owner-alert.ts, server/kit/ws-remote.ts). Needs an API key.
 */
import crypto from "node:crypto";
import { TextgateError } from "../../../lib/errors.ts";
import { type OwnerAlertResult, ownerAlertSchema } from "../../../lib/validations/owner-alert.ts";
import type { ApiRoute, ApiRuntime, Reply, RequestContext } from "../types.ts";

const REFERENCE = /^[A-Za-z0-9]{4}$/;

function deskOf(runtime: ApiRuntime): NonNullable<ApiRuntime["owners"]>["desk"] {
  if (!runtime.owners) throw new TextgateError("not_found", "This server has no owner desk.");
  return runtime.owners.desk;
}

/**
 * POST /api/v1/owner-alerts — `{ who, path, waitForDecision?, connectionId?, timeoutSeconds? }`: texts the
 * owners (OWNER_PHONES) that `who` is connecting to `path`, in each owner's language. With `waitForDecision`,
 * 201 `{ owners, reference, connectionId, expiresAt }`: a request the owners answer by SMS (`ACCEPT <reference>`
 * or `DENY <reference>`) or on /owner, whose decision is the `owner.decided` event (GET /api/v1/events);
 * without an owner configured, 200 with `reference` null. Without it, 200 `{ owners, reference: null, … }`.
 * Errors: 400 invalid_request, invalid_json; 401 unauthorized; 413; 415.
 */
export async function createOwnerAlert(ctx: RequestContext): Promise<Reply> {
  const body = ownerAlertSchema.parse(await ctx.readBody());
  const desk = deskOf(ctx.runtime);
  if (!body.waitForDecision) {
    const owners = await desk.announce({ who: body.who, path: body.path });
    return { status: 200, body: { owners, reference: null, connectionId: null, expiresAt: null } satisfies OwnerAlertResult };
  }
  const connectionId = body.connectionId ?? crypto.randomUUID();
  const asked = await desk.askForRemote({ who: body.who, path: body.path, connectionId, userId: `api-key:${ctx.apiKey?.id ?? "unknown"}` }, body.timeoutSeconds * 1000);
  if (!asked) return { status: 200, body: { owners: 0, reference: null, connectionId: null, expiresAt: null } satisfies OwnerAlertResult };
  return { status: 201, body: { owners: asked.sent, reference: asked.reference, connectionId, expiresAt: asked.expiresAt.toISOString() } satisfies OwnerAlertResult };
}

/**
 * DELETE /api/v1/owner-alerts/{reference} — withdraws a pending request a remote gate opened (its socket
 * closed or timed out). 204. Errors: 401 unauthorized; 404 not_found (decided, withdrawn, expired, or a
 * request of textgate's own sockets).
 */
export async function withdrawOwnerAlert(ctx: RequestContext): Promise<Reply> {
  const reference = ctx.params.reference ?? "";
  const desk = deskOf(ctx.runtime);
  if (!REFERENCE.test(reference) || !(await desk.withdrawRemote(reference))) throw new TextgateError("not_found", "No pending request with this reference.");
  return { status: 204, json: "" };
}

export const ownerAlertRoutes: ApiRoute[] = [
  { method: "POST", path: "/api/v1/owner-alerts", auth: true, handler: createOwnerAlert },
  { method: "DELETE", path: "/api/v1/owner-alerts/:reference", auth: true, handler: withdrawOwnerAlert },
];
