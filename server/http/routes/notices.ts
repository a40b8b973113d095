/** /api/v1/notices: the texts of a host's socket units (lib/validations/notice.ts). Needs an API key. */
import { sendNoticeSchema } from "../../../lib/validations/notice.ts";
import type { ApiRoute, Reply, RequestContext } from "../types.ts";

/**
 * POST /api/v1/notices — `{ to, notice, yes?, locale?, brand? }`: texts the catalog's `notice` to `to`,
 * under the destination policy, the per-number send limit and the send budget of codes (engine.sendNotice).
 * 200 `{ to, sent }` (`sent` false: no carrier took it). Errors: 400 invalid_request, invalid_json,
 * invalid_phone_number, unsupported_locale; 401 unauthorized; 403 country_not_allowed; 413; 415;
 * 429 send_limit_reached, rate_limited; 503 send_budget_exhausted.
 */
export async function createNotice(ctx: RequestContext): Promise<Reply> {
  const body = sendNoticeSchema.parse(await ctx.readBody());
  return { status: 200, body: await ctx.runtime.engine.sendNotice(body) };
}

export const noticeRoutes: ApiRoute[] = [{ method: "POST", path: "/api/v1/notices", auth: true, handler: createNotice }];
