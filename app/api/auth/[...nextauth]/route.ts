/** next-auth's own endpoints (/api/auth/session, /csrf, /callback/sms, /signout, …). */
import NextAuth from "next-auth";
import { authOptionsFor } from "@/server/auth/options.ts";
import { getRuntime } from "@/server/runtime.ts";

type Context = { params: Promise<{ nextauth: string[] }> };

async function authHandler(request: Request, context: Context): Promise<Response> {
  return NextAuth(request as never, context as never, authOptionsFor(getRuntime()));
}

export { authHandler as GET, authHandler as POST };
