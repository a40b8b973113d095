/**
 * POST /api/owner/insights/costs/remove { carrier, country } — owner only: removes one price; that
 * carrier's messages there count as unpriced again. Errors: 400; 401; 403 (not an owner, or
 * cross_site_request); 404 not_found (no such price); 413; 415.
 */
import { TextgateError } from "@/lib/errors.ts";
import { currentOwner, handler, json, readJson, requireSameOrigin } from "@/server/auth/route-helpers.ts";
import { costKeySchema } from "@/server/owners/insights/costs.ts";

export const POST = handler(async (request, textgate) => {
  requireSameOrigin(request, textgate);
  await currentOwner(textgate);
  const key = await readJson(request, costKeySchema);
  if (!(await textgate.insights.costs.remove(key))) throw new TextgateError("not_found", "No price is set for this carrier and country.");
  return json({ removed: key });
});
