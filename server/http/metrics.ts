/**
 * GET /metrics: this node's Prometheus metrics (server/telemetry/metrics.ts) in the text exposition
 * format, for `Authorization: Bearer $METRICS_TOKEN`. Answered by server.ts before the API router and
 * Next, on every kind of node (a sockets-only node has its socket gauges to report), and absent (the
 * path is left to Next, or 404 on an API-only node) when METRICS_TOKEN is unset.
 * The token is compared in constant time: both sides are hashed to 32 bytes first, so neither the
 * comparison nor the length check says how much of a guess was right.
 */
import crypto from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { TextgateError } from "../../lib/errors.ts";
import type { Metrics } from "../telemetry/metrics.ts";
import { parseBearer } from "./auth.ts";
import { errorResponse, sendError, sendJson } from "./respond.ts";

export const METRICS_PATH = "/metrics";

const digest = (text: string): Buffer => crypto.createHash("sha256").update(text).digest();

/** True when the Authorization header carries the token whose SHA-256 is `expected`, in time independent of where they differ. */
export function metricsTokenMatches(expected: Buffer, header: string | undefined): boolean {
  const token = parseBearer(header);
  // A missing token is still compared, so it takes as long as a wrong one.
  return crypto.timingSafeEqual(digest(token ?? ""), expected) && token !== null;
}

/** The /metrics handler (true when it answered), or null when METRICS_TOKEN is unset. */
export function createMetricsEndpoint(metrics: Metrics, token: string | undefined, logger: Logger): ((req: IncomingMessage, res: ServerResponse) => boolean) | null {
  if (!token) return null;
  const expected = digest(token);
  return (req, res) => {
    const url = req.url ?? "/";
    if (url !== METRICS_PATH && !url.startsWith(`${METRICS_PATH}?`)) return false;
    const method = req.method ?? "GET";
    if (method !== "GET" && method !== "HEAD") {
      const refused = errorResponse(new TextgateError("method_not_allowed"));
      sendJson(res, refused.status, refused.body, { ...refused.headers, allow: "GET, HEAD" });
      return true;
    }
    if (!metricsTokenMatches(expected, req.headers.authorization)) {
      sendError(res, new TextgateError("metrics_unauthorized"), logger);
      return true;
    }
    metrics.render().then(
      (text) => {
        res.writeHead(200, { "content-type": metrics.contentType, "cache-control": "no-store" });
        res.end(method === "HEAD" ? undefined : text);
      },
      (error: unknown) => sendError(res, error, logger, { method, path: METRICS_PATH }),
    );
    return true;
  };
}
