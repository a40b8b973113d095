/** POST /api/account/sessions/revoke-all — ends every session of the signed-in user. Errors: 401. */
import { signOutEverywhere } from "@/server/auth/account.ts";
import { currentSession, handler, json } from "@/server/auth/route-helpers.ts";

export const POST = handler(async (_request, runtime) => {
  const session = await currentSession(runtime);
  return json({ revoked: await signOutEverywhere(runtime, session) });
});
