/** Liveness for load balancers and the test harness: cheap, no database round trip. */
import type { ApiRoute, Reply } from "../types.ts";

const OK_JSON = JSON.stringify({ ok: true });

/**
 * GET /healthz — the process is up and serving the API.
 * 200 `{ ok: true }`. No errors of its own.
 */
export function health(): Reply {
  return { status: 200, json: OK_JSON };
}

export const healthRoutes: ApiRoute[] = [{ method: "GET", path: "/healthz", auth: false, handler: health }];
