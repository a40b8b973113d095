/**
 * POST /api/account/profile { name } — sets the signed-in user's display name (an empty or null name
 * clears it): `{ name }`, spaces folded as at sign-up. Errors: 401 unauthorized; 403 cross_site_request; 400 invalid_request; 415; 413.
 */
import { z } from "zod";
import { currentSession, handler, json, readJson, requireSameOrigin } from "@/server/auth/route-helpers.ts";
import { MAX_NAME_LENGTH, renameUser } from "@/server/auth/users.ts";

const schema = z.strictObject({ name: z.string().max(MAX_NAME_LENGTH).nullable() });

export const POST = handler(async (request, runtime) => {
  requireSameOrigin(request, runtime);
  const session = await currentSession(runtime);
  const { name } = await readJson(request, schema);
  return json(await renameUser(runtime.prisma, session.user.id, name));
});
