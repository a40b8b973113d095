/**
 * GET /api/owner/requests — owner only: the socket requests of every node waiting for an owner's decision
 * (oldest first), and the open sockets per node. Errors: 401 signed out; 403 not an owner (OWNER_PHONES).
 */
import { currentOwner, handler, json } from "@/server/auth/route-helpers.ts";

export const GET = handler(async (_request, textgate) => {
  await currentOwner(textgate);
  const { desk, census } = textgate.owners;
  const [requests, sockets] = await Promise.all([desk.requests(), census.summary()]);
  return json({ requests, sockets });
});
