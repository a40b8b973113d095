/**
 * POST /api/owner/requests/{reference}/decision { decision: "accept" | "deny" } — owner only: decides a
 * pending socket request, whichever node holds the socket. Errors: 400; 401 signed out; 403 not an owner or cross_site_request;
 * 404 no pending request with this reference (already decided, timed out or closed); 409
 * owner_request_elsewhere: another node holds it and, without REDIS_URL, the decision could not reach it.
 */
import { ownerDecisionSchema } from "@/lib/validations/account.ts";
import { TextgateError } from "@/lib/errors.ts";
import { currentOwner, handler, json, readJson, requireSameOrigin } from "@/server/auth/route-helpers.ts";

export const POST = handler(async (request, textgate) => {
  requireSameOrigin(request, textgate);
  await currentOwner(textgate);
  const { decision } = await readJson(request, ownerDecisionSchema);
  // …/requests/{reference}/decision
  const reference = decodeURIComponent(new URL(request.url).pathname.split("/").at(-2) ?? "");
  if (!(await textgate.owners.desk.decide(reference, decision))) throw new TextgateError("not_found", "No pending request with this reference.");
  return json({ reference: reference.toUpperCase(), decision });
});
