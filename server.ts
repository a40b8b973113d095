/**
 * textgate's one process: the API (lean router), the Next.js pages and, later, WebSockets, on one port.
 * Usage: npm run dev | npm start (NODE_ENV=production) | SERVE_PAGES=false for an API-only node |
 * SERVE_API=false SERVE_PAGES=false (npm run start:ws) for a sockets-only node: upgrades and /healthz.
 */
import "./server/process-setup.ts";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { Duplex } from "node:stream";
import { fileURLToPath } from "node:url";
import { ERRORS, type ErrorCode, isTextgateError, TextgateError } from "./lib/errors.ts";
import { CLIENT_IP_HEADER } from "./server/auth/client-ip.ts";
import { ConfigError, loadConfig } from "./server/env.ts";
import { isClientAbort } from "./server/http/client-abort.ts";
import { createAuthRoutesHandler } from "./server/http/auth-routes.ts";
import { createApiHandler } from "./server/http/index.ts";
import { newNonce, pageSecurityHeaders, type PageSecurityOptions } from "./server/http/security-headers.ts";
import { createMetricsEndpoint } from "./server/http/metrics.ts";
import { guardNextApi } from "./server/http/next-api.ts";
import { errorResponse, sendJson } from "./server/http/respond.ts";
import { publishTextgate } from "./server/bridge.ts";
import { signInRoutes } from "./server/auth/sign-in-routes.ts";
import { createTextgate, StartupError, type Textgate } from "./server/textgate.ts";
import { createSandboxAccess, isSandboxPage, type SandboxAccess } from "./server/sandbox-access.ts";
import { nextRouteTemplates, routeMatcher, withNextSpan } from "./server/telemetry/next-spans.ts";
import type { Tracing } from "./server/telemetry/tracing-sdk.ts";
import { socketDefinitions } from "./server/ws/definitions.ts";
import { createSocketGate, type SocketGate } from "./server/kit/ws.ts";
import { inProcessSockets, sessionCookieName } from "./server/ws/index.ts";

const root = path.dirname(fileURLToPath(import.meta.url));

async function main(): Promise<void> {
  const config = loadConfig();
  // next-auth reads these from the environment (callback URLs, cookie signing).
  process.env.NEXTAUTH_URL ??= config.PUBLIC_URL;
  process.env.NEXTAUTH_SECRET = config.NEXTAUTH_SECRET;
  // The tracing SDK only with a collector to send to, imported then: a server without one never loads it.
  const tracing: Tracing | null = config.OTEL_EXPORTER_OTLP_ENDPOINT
    ? (await import("./server/telemetry/tracing-sdk.ts")).startTracing({ serviceName: config.OTEL_SERVICE_NAME, instanceId: `${os.hostname()}:${process.pid}` })
    : null;
  const runtime = await createTextgate(config);
  // The route modules and pages Next bundles read this one (server/bridge.ts).
  publishTextgate(runtime);
  const metrics = runtime.metrics && createMetricsEndpoint(runtime.metrics, config.METRICS_TOKEN, runtime.logger);
  // One check of who may use the sandbox, for its API routes and its page (/sandbox).
  const sandboxAccess = createSandboxAccess({
    production: config.production,
    owners: config.OWNER_PHONES,
    cookieName: sessionCookieName(config.PUBLIC_URL),
    secret: config.NEXTAUTH_SECRET,
    sessions: runtime.auth.sessions,
    authenticate: runtime.apiKeys,
  });
  const security: PageSecurityOptions = { production: config.production, publicUrl: config.PUBLIC_URL, embedOrigins: config.EMBED_ALLOWED_ORIGINS };
  const api = config.SERVE_API ? createApiHandler(runtime, { sandboxAccess, authenticate: runtime.apiKeys }) : socketsOnlyHandler;
  const sockets = createSocketGate({ textgate: inProcessSockets(runtime, runtime.sections.ws), endpoints: socketDefinitions({ unitTimeoutMs: runtime.sections.ws.unitTimeoutMs }) });
  // /api/auth/* answered here rather than by Next's routes, the same handlers (server/http/auth-routes.ts).
  const authRoutes = createAuthRoutesHandler({
    signIn: signInRoutes,
    nextAuthOptions: () => runtime.auth.nextAuthOptions,
    logger: runtime.logger,
    origin: new URL(config.PUBLIC_URL).origin,
  });
  let pages: ((req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>) | null = null;
  let nextRoute: ((pathname: string) => string | undefined) | null = null;
  let upgrade: ((req: http.IncomingMessage, socket: import("node:stream").Duplex, head: Buffer) => Promise<void>) | null = null;
  if (config.SERVE_PAGES) {
    if (!config.production) {
      // /login's script is bundled apart from Next (pages/login.tsx says why); rebuilt as its sources change.
      const { watchLoginScript } = await import("./scripts/build-login-script.ts");
      await watchLoginScript();
    }
    const { default: next } = await import("next");
    const app = next({ dev: !config.production, dir: root, hostname: "localhost", port: config.PORT });
    await app.prepare();
    pages = app.getRequestHandler();
    nextRoute = routeMatcher(nextRouteTemplates(root));
    upgrade = app.getUpgradeHandler();
  }

  const serverOptions: http.ServerOptions = {
    // A client that sends its headers or its body slowly (1 byte/s) holds a socket only this long, then gets 408.
    headersTimeout: config.HTTP_HEADERS_TIMEOUT_MS,
    requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
    // Node checks both timeouts on this interval (30 s by default, which would stretch a 10 s limit to 40 s).
    connectionsCheckingInterval: Math.max(100, Math.min(5_000, Math.floor(config.HTTP_HEADERS_TIMEOUT_MS / 4))),
  };
  const server = http.createServer(serverOptions, (req, res) => {
    // The client's address for rate limits in Next's route handlers; never taken from the request.
    req.headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? "unknown";
    if (metrics?.(req, res)) return;
    if (api(req, res)) return;
    if (pages) {
      // Every /api/ path answers JSON: what Next would answer in HTML or fail on is refused here (next-api.ts).
      if (guardNextApi(req, res)) return;
      const servePage = pages;
      const pathname = URL.parse(req.url ?? "/", "http://localhost")?.pathname ?? "/";
      withNextSpan(req, res, nextRoute?.(pathname), () => {
        const nonce = newNonce();
        const headers = pageSecurityHeaders(pathname, nonce, security);
        for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
        // Next takes the nonce for its scripts from the request's CSP (server/http/security-headers.ts).
        req.headers["content-security-policy"] = headers["content-security-policy"];
        if (authRoutes(req, res, pathname)) return;
        gateSandboxPage(req, res, pathname, sandboxAccess, runtime.sandbox !== null)
          .then((allowed) => (allowed ? servePage(req, res) : undefined))
          .catch((error: unknown) => {
            if (isClientAbort(error)) runtime.logger.debug({ err: error, url: req.url }, "client went away during a page request");
            else runtime.logger.error({ err: error, url: req.url }, "page request failed");
            if (res.headersSent) return void res.end();
            if (req.url?.startsWith("/api/")) sendJson(res, 500, new TextgateError("internal_error").toBody());
            else res.writeHead(500).end();
          });
      });
      return;
    }
    const message = config.SERVE_API ? "This node serves only the API (SERVE_PAGES=false)." : "This node serves only WebSockets (SERVE_API=false, SERVE_PAGES=false).";
    const notFound = errorResponse(new TextgateError("not_found", message));
    sendJson(res, notFound.status, notFound.body, notFound.headers);
  });
  server.on("upgrade", (req, socket, head) => {
    // Next's own upgrades (dev reload) go to Next in development; in production Next serves none (it would
    // leave them hanging), so they are destroyed. Everything else is a textgate socket (or 404).
    if (req.url?.startsWith("/_next/")) {
      if (upgrade && !config.production) void upgrade(req, socket, head);
      else socket.destroy();
      return;
    }
    sockets.handleUpgrade(req, socket, head);
  });
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => answerClientError(error, socket, runtime));
  // An idle kept-alive connection is not a slow request: Node starts the headers timeout at a request's first byte.
  server.keepAliveTimeout = 65_000;
  // Keep every header (Node would drop those past ~1,000 silently; the 16 KB header size limit still bounds
  // them), so the socket server's upgrade guard counts them all (MAX_UPGRADE_HEADERS, server/ws/upgrade.ts).
  server.maxHeadersCount = 0;
  await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  runtime.logger.info(
    { port, database: config.database.provider, sms: config.SMS_CARRIERS, voice: config.VOICE_CARRIERS, pages: config.SERVE_PAGES, api: config.SERVE_API, redis: Boolean(config.REDIS_URL) },
    `textgate listening on http://localhost:${port}${runtime.sandbox && config.SERVE_PAGES ? ` (sandbox handset: http://localhost:${port}/sandbox)` : ""}`,
  );
  installShutdown(server, runtime, sockets, tracing);
}

/**
 * The handset page is gated like the sandbox's API (server/sandbox-access.ts): in production only a signed-in
 * owner (or an API key) gets it; anyone else gets a short HTML page, 401 with a link to sign in or 403.
 * Returns whether Next should serve the request.
 */
async function gateSandboxPage(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  pathname: string,
  access: SandboxAccess,
  sandboxActive: boolean,
): Promise<boolean> {
  if (!sandboxActive || !isSandboxPage(pathname)) return true;
  try {
    await access(req);
    return true;
  } catch (error) {
    if (!isTextgateError(error)) throw error;
    const signIn = `/login?${new URLSearchParams({ callbackUrl: "/sandbox" })}`;
    const action = error.status === 401 ? `<p><a href="${escapeHtml(signIn)}">Sign in with an owner's number</a></p>` : "";
    res.writeHead(error.status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
        `<title>Sandbox handset · textgate</title></head><body><h1>Sandbox handset</h1><p>${escapeHtml(error.message)}</p>${action}</body></html>`,
    );
    return false;
  }
}

function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

const CLIENT_ERRORS = new Map<string, ErrorCode>([
  ["ERR_HTTP_REQUEST_TIMEOUT", "request_timeout"],
  ["HPE_HEADER_OVERFLOW", "headers_too_large"],
]);

/**
 * Requests Node's parser refuses or that ran out of time (HTTP_HEADERS_TIMEOUT_MS, HTTP_REQUEST_TIMEOUT_MS)
 * never reach a handler; they get the one error shape too, then the connection closes. Node's own default
 * (https://nodejs.org/api/http.html#event-clienterror) answers in plain text.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex, runtime: Textgate): void {
  runtime.logger.debug({ err: error }, "HTTP client error");
  // A response already under way on this socket must not be corrupted by a second status line.
  const inFlight = (socket as Duplex & { _httpMessage?: http.ServerResponse | null })._httpMessage;
  if (error.code === "ECONNRESET" || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const code = CLIENT_ERRORS.get(error.code ?? "") ?? "invalid_request";
  const body = JSON.stringify(new TextgateError(code).toBody());
  socket.end(
    `HTTP/1.1 ${ERRORS[code].status} ${http.STATUS_CODES[ERRORS[code].status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Cache-Control: no-store\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    // Destroyed once written: http.Server keeps sockets half-open, and a slow client may never close its side.
    () => socket.destroy(),
  );
}

/** The HTTP side of a sockets-only node (SERVE_API=false): only GET /healthz, for load balancers. */
function socketsOnlyHandler(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  if (req.url?.split("?")[0] !== "/healthz") return false;
  res.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(req.method === "HEAD" ? undefined : JSON.stringify({ ok: true }));
  return true;
}

function installShutdown(server: http.Server, runtime: Textgate, sockets: SocketGate, tracing: Tracing | null): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    runtime.logger.info({ signal }, "shutting down");
    const closingSockets = sockets.close();
    server.close();
    server.closeIdleConnections();
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    void closingSockets
      .then(() => runtime.close())
      // The last spans are exported before the process goes (a collector that is down costs at most the force timeout).
      .then(() => tracing?.shutdown().catch((error: unknown) => runtime.logger.warn({ err: error }, "could not export the last spans")))
      .then(() => process.exit(0));
  };
  // Memory figures for `npm run bench:ws` (on stderr, never over HTTP); with --expose-gc, after a full GC.
  process.on("SIGUSR2", () => {
    (globalThis as { gc?: () => void }).gc?.();
    process.stderr.write(`${JSON.stringify({ memory: process.memoryUsage() })}\n`);
  });
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof StartupError) {
    console.error(error.message);
  } else {
    console.error("textgate failed to start:", error);
  }
  process.exit(1);
});
