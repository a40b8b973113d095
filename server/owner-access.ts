/** Owner-only access for the /api/owner/* route handlers: signed in (401) with a number in OWNER_PHONES (403). */
import type { Session } from "next-auth";
import { TextgateError } from "../lib/errors.ts";
import { currentSession } from "./auth/route-helpers.ts";
import type { Runtime } from "./runtime.ts";

export async function requireOwner(runtime: Runtime): Promise<Session> {
  const session = await currentSession(runtime);
  const phone = session.user.phone;
  if (!phone || !runtime.config.OWNER_PHONES.includes(phone)) throw new TextgateError("forbidden", "Only owners (OWNER_PHONES) may do that.");
  return session;
}
