/**
 * The HTTP API, served straight from the custom server's request handler instead of through Next
 * (Next's pipeline costs too much per request for the API's throughput target). server.ts calls the
 * handler first; it claims /api/v1/*, /api/sandbox/*, /api/webhooks/* and /healthz and returns false
 * for everything else, which Next then serves.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { context, propagation, type Span, SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { TextgateError } from "../../lib/errors.ts";
import { type ApiKeyAuthenticator, createApiKeyAuthenticator } from "../api-keys.ts";
import { SessionStore } from "../auth/sessions.ts";
import { createSandboxAccess, type SandboxAccess } from "../sandbox-access.ts";
import { tracer } from "../telemetry/tracing.ts";
import { sessionCookieName } from "../ws/index.ts";
import { authenticateRequest } from "./auth.ts";
import { isClientAbort } from "./client-abort.ts";
import { readJsonBody } from "./body.ts";
import { isValidPercentEncoding } from "./next-api.ts";
import { openApiRoutes } from "./openapi.ts";
import { sendError, sendJson, sendRawJson } from "./respond.ts";
import { compileRoutes } from "./router.ts";
import { compatRouterError, compatRoutes } from "./compat/index.ts";
import { healthRoutes } from "./routes/health.ts";
import { noticeRoutes } from "./routes/notices.ts";
import { ownerAlertRoutes } from "./routes/owner-alerts.ts";
import { sandboxRoutes } from "./routes/sandbox.ts";
import { verificationRoutes } from "./routes/verifications.ts";
import { webhookRoutes } from "./routes/webhooks.ts";
import { webhookEndpointRoutes } from "./routes/webhook-endpoints.ts";
import type { ApiRoute, ApiRuntime, RequestContext } from "./types.ts";

export type { ApiRuntime } from "./types.ts";

export const API_ROUTES: readonly ApiRoute[] = [...verificationRoutes, ...noticeRoutes, ...ownerAlertRoutes, ...sandboxRoutes, ...healthRoutes, ...openApiRoutes, ...webhookRoutes, ...webhookEndpointRoutes];

export interface ApiHandlerOptions {
  /** Replaces the database-backed API key check (unit tests). */
  authenticate?: ApiKeyAuthenticator;
  /** Replaces the sandbox access check built from the runtime's configuration (server.ts shares one with the /sandbox page). */
  sandboxAccess?: SandboxAccess;
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
  const sandboxAccess =
    options.sandboxAccess ??
    createSandboxAccess({
      production: runtime.config.production,
      owners: runtime.config.OWNER_PHONES,
      cookieName: sessionCookieName(runtime.config.PUBLIC_URL),
      secret: runtime.config.NEXTAUTH_SECRET,
      sessions: new SessionStore(runtime.prisma, runtime.config.AUTH_SESSION_MAX_AGE_SECONDS),
      authenticate,
    });
  // The vendor-compatible APIs (/compat/*) answer in their vendors' shapes and are left out of API_ROUTES and the OpenAPI document.
  const router = compileRoutes([...API_ROUTES, ...compatRoutes].map((route) => ({ method: route.method, path: route.path, value: route })));

  async function dispatch(req: IncomingMessage, res: ServerResponse, method: string, path: string, query: string, span: Span): Promise<void> {
    try {
      // As for the /api/ paths Next serves (next-api.ts): a path that does not decode is a 400 on every /api/ path.
      if (path.startsWith("/api/") && !isValidPercentEncoding(path)) throw new TextgateError("invalid_request", "The path is not valid percent-encoding.");
      const match = router.match(method, path);
      if (match.kind !== "found") {
        if (match.kind === "method_not_allowed") res.setHeader("allow", match.allow);
        const error = new TextgateError(match.kind);
        // Under /compat/<vendor>, in the vendor's error body, as every other failure there.
        const vendor = compatRouterError(path, error);
        if (!vendor) throw error;
        if (vendor.json !== undefined) sendRawJson(res, vendor.status, vendor.json, vendor.headers);
        else sendJson(res, vendor.status, vendor.body, vendor.headers);
        return;
      }
      const route = match.value;
      // The route's template, never the path itself: a compat path can hold a phone number (Twilio's Verifications/{to}).
      span.updateName(`${method} ${route.path}`);
      span.setAttribute("http.route", route.path);
      const ctx: RequestContext = {
        runtime,
        req,
        params: match.params,
        query,
        apiKey: route.auth ? await authenticateRequest(req, authenticate) : null,
        authenticate,
        sandboxCaller: route.sandbox ? await sandboxAccess(req) : null,
        readBody: () => readJsonBody(req, maxBodyBytes),
      };
      const reply = await route.handler(ctx);
      if (reply.stream) return reply.stream(res);
      if (reply.json !== undefined) sendRawJson(res, reply.status, reply.json, reply.headers);
      else sendJson(res, reply.status, reply.body, reply.headers);
    } catch (error) {
      if (res.destroyed || isClientAbort(error)) {
        // The client went away (or was cut off by the request timeout): nobody to answer, nothing wrong here.
        logger.debug({ err: error, method, path }, "client went away during an API request");
        if (!res.destroyed) res.destroy();
        return;
      }
      sendError(res, error, logger, { method, path });
    }
  }

  return (req, res) => {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    if (!isApiPath(path)) return false;
    const method = req.method ?? "GET";
    // One span per request (server/telemetry/tracing.ts; a no-op without the SDK), continuing the caller's trace from `traceparent`.
    const parent = propagation.extract(context.active(), req.headers);
    tracer().startActiveSpan(method, { kind: SpanKind.SERVER, attributes: { "http.request.method": method } }, parent, (span) => {
      dispatch(req, res, method, path, q === -1 ? "" : url.slice(q + 1), span)
        .catch((error: unknown) => {
          // Only reached when even the error answer failed: never let it become an unhandled rejection.
          logger.error({ err: error, path }, "could not answer an API request");
          res.destroy();
        })
        .finally(() => {
          span.setAttribute("http.response.status_code", res.statusCode);
          if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        });
    });
    return true;
  };
}
