/**
 * GET /api/owner/requests — owner only: the socket requests of this process waiting for an owner's
 * decision, and its open sockets. Errors: 401 signed out; 403 not an owner (OWNER_PHONES).
 */
import { handler, json } from "@/server/auth/route-helpers.ts";
import { requireOwner } from "@/server/owner-access.ts";
import { getOwnerConsole } from "@/server/ws/owner.ts";

export const GET = handler(async (_request, runtime) => {
  await requireOwner(runtime);
  const desk = getOwnerConsole();
  const sockets = desk?.sockets() ?? [];
  return json({ requests: desk?.requests() ?? [], sockets: { count: sockets.length, list: sockets } });
});
