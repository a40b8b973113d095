/**
 * next-auth's own endpoints (/api/auth/session, /csrf, /callback/sms, /signout, …), behind the guard
 * (server/auth/nextauth-guard.ts) that keeps their failures in the one error shape.
 */
import NextAuth from "next-auth";
import { guardNextAuth } from "@/server/auth/nextauth-guard.ts";
import { currentTextgate } from "@/server/bridge.ts";

type Context = { params: Promise<{ nextauth: string[] }> };

async function authHandler(request: Request, context: Context): Promise<Response> {
  return NextAuth(request as never, context as never, currentTextgate().auth.nextAuthOptions);
}

const guarded = guardNextAuth(authHandler, {
  // A provider factory's own options (CredentialsProvider({ id: "sms" })) override its default id, as next-auth merges them.
  providerIds: () => currentTextgate().auth.nextAuthOptions.providers.map((provider) => (provider as { options?: { id?: string } }).options?.id ?? provider.id),
  logger: () => currentTextgate().logger,
});

export { guarded as GET, guarded as POST };
