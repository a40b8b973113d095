/**
 * GET /api/owner/insights?range=24h|7d|30d — owner only: what /owner/insights draws (conversion over time
 * and by country, carrier, channel and surface; sends and cost; send-to-approval times; fraud refusals;
 * budget use), from the rollup's rows (server/owners/insights/). Errors: 400 invalid_request (unknown
 * range or parameter); 401; 403.
 */
import { currentOwner, handler, json } from "@/server/auth/route-helpers.ts";
import { insightsQuerySchema } from "@/server/owners/insights/report.ts";

export const GET = handler(async (request, textgate) => {
  await currentOwner(textgate);
  const { range } = insightsQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return json(await textgate.insights.report(range));
});
