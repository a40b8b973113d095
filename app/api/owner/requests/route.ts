/**
 * GET /api/owner/requests — owner only: the socket requests of every node waiting for an owner's decision
 * (oldest first), and the open sockets per node. Errors: 401 signed out; 403 not an owner (OWNER_PHONES).
 */
import { handler, json } from "@/server/auth/route-helpers.ts";
import { requireOwner } from "@/server/owner-access.ts";
import { getOwnerConsole } from "@/server/ws/owner.ts";

export const GET = handler(async (_request, runtime) => {
  await requireOwner(runtime);
  const desk = getOwnerConsole();
  const [requests, sockets] = desk ? await Promise.all([desk.requests(), desk.sockets()]) : [[], { count: 0, pending: 0, nodes: [] }];
  return json({ requests, sockets });
});
