/**
 * A server span for every request Next serves (pages, `app/api` route handlers, its assets), as
 * server/http/index.ts opens one for the lean router's: `<METHOD> <route>` with `http.request.method`,
 * `http.route` and `http.response.status_code`, continuing a caller's `traceparent`. The route is the
 * file-system template (`/api/owner/requests/[reference]/decision`), never the path, which can hold an id;
 * it is read once at start from `app/` and `pages/` (nextRouteTemplates). Next's own build output is
 * `/_next/*`; a path no route matches has no `http.route` (OpenTelemetry's HTTP conventions leave it out).
 * A no-op without the SDK (tracing.ts).
 */
import fs from "node:fs";
import type http from "node:http";
import path from "node:path";
import { context, propagation, SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { tracer } from "./tracing.ts";

/** The routes of `app/` (page.tsx, route.ts) and `pages/` (besides _app, _document), as templates. */
export function nextRouteTemplates(root: string): string[] {
  const templates: string[] = [];
  const walk = (dir: string, prefix: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        // Route groups `(name)` add no segment; private folders `_name` are no routes (Next's conventions).
        if (entry.name.startsWith("_")) continue;
        walk(path.join(dir, entry.name), /^\(.*\)$/.test(entry.name) ? prefix : `${prefix}/${entry.name}`);
      } else if (/^(page|route)\.(tsx?|jsx?)$/.test(entry.name)) templates.push(prefix || "/");
    }
  };
  walk(path.join(root, "app"), "");
  const pages = path.join(root, "pages");
  if (fs.existsSync(pages)) {
    for (const file of fs.readdirSync(pages)) {
      const name = /^([^_.][^.]*)\.(tsx?|jsx?)$/.exec(file)?.[1];
      if (name) templates.push(name === "index" ? "/" : `/${name}`);
    }
  }
  return templates;
}

/** A matcher from path to template: static segments first, then `[param]`, then `[...rest]` (Next's order). */
export function routeMatcher(templates: readonly string[]): (pathname: string) => string | undefined {
  const rank = (t: string) => (t.includes("[...") ? 2 : t.includes("[") ? 1 : 0);
  const compiled = [...templates]
    .sort((a, b) => rank(a) - rank(b) || b.split("/").length - a.split("/").length)
    .map((template) => {
      const source = template
        .split("/")
        .filter(Boolean)
        .map((segment) => (/^\[\.\.\.[^\]]+\]$/.test(segment) ? "/.+" : /^\[[^\]]+\]$/.test(segment) ? "/[^/]+" : `/${segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`))
        .join("");
      return { template, pattern: new RegExp(`^${source || "/"}/?$`) };
    });
  return (pathname) => {
    if (pathname.startsWith("/_next/")) return "/_next/*";
    return compiled.find((c) => c.pattern.test(pathname))?.template;
  };
}

/** Serves `req` through `serve` inside a server span that ends when the response is done (or cut off). */
export function withNextSpan(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  route: string | undefined,
  serve: () => void,
): void {
  const method = req.method ?? "GET";
  const parent = propagation.extract(context.active(), req.headers);
  const attributes = { "http.request.method": method, ...(route ? { "http.route": route } : {}) };
  tracer().startActiveSpan(route ? `${method} ${route}` : method, { kind: SpanKind.SERVER, attributes }, parent, (span) => {
    res.once("close", () => {
      span.setAttribute("http.response.status_code", res.statusCode);
      if (res.statusCode >= 500 || !res.writableFinished) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    serve();
  });
}
