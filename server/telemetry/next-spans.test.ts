import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { nextRouteTemplates, routeMatcher, withNextSpan } from "./next-spans.ts";
import { startTracing, type Tracing } from "./tracing-sdk.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

describe("Next's routes", () => {
  const match = routeMatcher(nextRouteTemplates(root));
  it("are this repository's app/ and pages/ routes, as templates", () => {
    expect(nextRouteTemplates(root)).toEqual(expect.arrayContaining(["/", "/owner", "/docs/api", "/api/auth/[...nextauth]", "/api/owner/requests/[reference]/decision", "/login"]));
    expect(nextRouteTemplates(root)).not.toContain("/_app");
  });
  it("map a path to its template, never the path, with static routes before dynamic ones", () => {
    expect(match("/owner")).toBe("/owner");
    expect(match("/")).toBe("/");
    expect(match("/api/owner/requests/K7Q2/decision")).toBe("/api/owner/requests/[reference]/decision");
    expect(match("/api/owner/requests")).toBe("/api/owner/requests");
    expect(match("/api/auth/sms/start")).toBe("/api/auth/sms/start");
    expect(match("/api/auth/callback/sms")).toBe("/api/auth/[...nextauth]");
    expect(match("/api/owner/webhooks/w1/deliveries/d1/retry")).toBe("/api/owner/webhooks/[id]/deliveries/[deliveryId]/retry");
    expect(match("/_next/static/chunks/main.js")).toBe("/_next/*");
    expect(match("/no/such/page")).toBeUndefined();
  });
});

describe("withNextSpan", () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    tracing = startTracing({ serviceName: "textgate-test", instanceId: "test", exporter });
    const match = routeMatcher(["/owner", "/api/owner/requests/[reference]/decision"]);
    server = http.createServer((req, res) => {
      const pathname = new URL(req.url ?? "/", "http://x").pathname;
      withNextSpan(req, res, match(pathname), () => {
        const status = pathname === "/owner" ? 200 : pathname.startsWith("/api/") ? 503 : 404;
        setTimeout(() => res.writeHead(status).end("x"), 5);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await tracing.shutdown();
    trace.disable();
  });
  beforeEach(() => exporter.reset());

  async function spans() {
    await tracing.flush();
    return exporter.getFinishedSpans();
  }

  it("a server span per request: method and route template in the name, the status, the caller's trace", async () => {
    const traceId = "0af7651916cd43dd8448eb211c80319c";
    await fetch(`${base}/owner`, { headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` } });
    await fetch(`${base}/api/owner/requests/K7Q2/decision`, { method: "POST" });
    await fetch(`${base}/nothing-here`);
    const [page, api, unknown] = await spans();
    expect(page).toMatchObject({ name: "GET /owner", kind: SpanKind.SERVER, attributes: { "http.request.method": "GET", "http.route": "/owner", "http.response.status_code": 200 } });
    expect(page?.spanContext().traceId).toBe(traceId);
    expect(api).toMatchObject({ name: "POST /api/owner/requests/[reference]/decision", attributes: { "http.response.status_code": 503 }, status: { code: SpanStatusCode.ERROR } });
    expect(JSON.stringify(api?.attributes)).not.toContain("K7Q2");
    expect(unknown).toMatchObject({ name: "GET", attributes: { "http.response.status_code": 404 } });
    expect(unknown?.attributes["http.route"]).toBeUndefined();
  });
});
