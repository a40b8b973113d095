/**
 * GET /api/owner/insights/costs — owner only: the price of a message per carrier and country that the
 * insights' cost figures use. POST { carrier, country, currency, pricePerMessage } sets (or replaces) one;
 * country "*" prices every country of that carrier without its own row.
 * Errors: 400 invalid_request, invalid_json; 401; 403 (not an owner, or cross_site_request); 413; 415.
 */
import { currentOwner, handler, json, readJson, requireSameOrigin } from "@/server/auth/route-helpers.ts";
import { costSchema } from "@/server/owners/insights/costs.ts";

export const GET = handler(async (_request, textgate) => {
  await currentOwner(textgate);
  return json({ costs: await textgate.insights.costs.list() });
});

export const POST = handler(async (request, textgate) => {
  requireSameOrigin(request, textgate);
  await currentOwner(textgate);
  return json(await textgate.insights.costs.set(await readJson(request, costSchema)));
});
