/**
 * Who is signed in, for the site header and /login (rendered on the server): the session's name and
 * number, or null. The session callback checks the auth_sessions row, so a revoked session reads as
 * signed out here too.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { getServerSession, type NextAuthOptions, type Session } from "next-auth";

export interface SignedInAccount {
  name: string | null;
  /** E.164. */
  phone: string | null;
}

function accountOf(session: Session | null): SignedInAccount | null {
  return session?.user?.id ? { name: session.user.name ?? null, phone: session.user.phone ?? null } : null;
}

/** In an App Router server component or route handler. */
export async function signedInAccount(options: NextAuthOptions): Promise<SignedInAccount | null> {
  return accountOf(await getServerSession(options));
}

/** In a Pages Router `getServerSideProps`. */
export async function signedInAccountFor(options: NextAuthOptions, req: IncomingMessage & { cookies: Partial<Record<string, string>> }, res: ServerResponse): Promise<SignedInAccount | null> {
  return accountOf(await getServerSession(req, res, options));
}
