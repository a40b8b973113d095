/**
 * The HTTP API, served straight from the custom server's request handler instead of through Next
 * (Next's pipeline costs too much per request for the API's throughput target). server.ts calls the
 * handler first; it claims /api/v1/*, /api/sandbox/*, /api/webhooks/* and /healthz and returns false
 * for everything else, which Next then serves.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { TextgateError } from "../../lib/errors.ts";
import { type ApiKeyAuthenticator, createApiKeyAuthenticator } from "../api-keys.ts";
import { authenticateRequest } from "./auth.ts";
import { readJsonBody } from "./body.ts";
import { openApiRoutes } from "./openapi.ts";
import { sendError, sendJson, sendRawJson } from "./respond.ts";
import { compileRoutes } from "./router.ts";
import { compatRoutes } from "./compat/index.ts";
import { healthRoutes } from "./routes/health.ts";
import { sandboxRoutes } from "./routes/sandbox.ts";
import { verificationRoutes } from "./routes/verifications.ts";
import { webhookRoutes } from "./routes/webhooks.ts";
import { webhookEndpointRoutes } from "./routes/webhook-endpoints.ts";
import type { ApiRoute, ApiRuntime, RequestContext } from "./types.ts";

export type { ApiRuntime } from "./types.ts";

export const API_ROUTES: readonly ApiRoute[] = [...verificationRoutes, ...sandboxRoutes, ...healthRoutes, ...openApiRoutes, ...webhookRoutes, ...webhookEndpointRoutes];

export interface ApiHandlerOptions {
  /** Replaces the database-backed API key check (unit tests). */
  authenticate?: ApiKeyAuthenticator;
}

/** Whether a path belongs to the API rather than to Next. */
export function isApiPath(path: string): boolean {
  return path.startsWith("/api/v1/") || path.startsWith("/api/sandbox/") || path.startsWith("/api/webhooks/") || path.startsWith("/compat/") || path === "/healthz";
}

export function createApiHandler(runtime: ApiRuntime, options: ApiHandlerOptions = {}): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { logger } = runtime;
  const maxBodyBytes = runtime.config.MAX_BODY_BYTES;
  const authenticate =
    options.authenticate ??
    createApiKeyAuthenticator(runtime.prisma, { onError: (err) => logger.warn({ err }, "could not record API key use") });
  // The vendor-compatible APIs (/compat/*) answer in their vendors' shapes and are left out of API_ROUTES and the OpenAPI document.
  const router = compileRoutes([...API_ROUTES, ...compatRoutes].map((route) => ({ method: route.method, path: route.path, value: route })));

  async function dispatch(req: IncomingMessage, res: ServerResponse, method: string, path: string, query: string): Promise<void> {
    try {
      const match = router.match(method, path);
      if (match.kind === "not_found") throw new TextgateError("not_found");
      if (match.kind === "method_not_allowed") {
        res.setHeader("allow", match.allow);
        throw new TextgateError("method_not_allowed");
      }
      const route = match.value;
      const ctx: RequestContext = {
        runtime,
        req,
        params: match.params,
        query,
        apiKey: route.auth ? await authenticateRequest(req, authenticate) : null,
        readBody: () => readJsonBody(req, maxBodyBytes),
      };
      const reply = await route.handler(ctx);
      if (reply.stream) return reply.stream(res);
      if (reply.json !== undefined) sendRawJson(res, reply.status, reply.json, reply.headers);
      else sendJson(res, reply.status, reply.body, reply.headers);
    } catch (error) {
      if (res.destroyed) return; // the client went away; nobody to answer
      sendError(res, error, logger, { method, path });
    }
  }

  return (req, res) => {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    if (!isApiPath(path)) return false;
    dispatch(req, res, req.method ?? "GET", path, q === -1 ? "" : url.slice(q + 1)).catch((error: unknown) => {
      // Only reached when even the error answer failed: never let it become an unhandled rejection.
      logger.error({ err: error, path }, "could not answer an API request");
      res.destroy();
    });
    return true;
  };
}
