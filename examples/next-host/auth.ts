/**
 * Sign-in by phone with textgate in remote mode: textgate (TEXTGATE_URL, with the API key TEXTGATE_KEY)
 * texts and checks the codes; this app keeps its users (lib/users.ts) and its next-auth JWT sessions.
 */
import type { AuthOptions } from "next-auth";
import { createSmsAuthRoutes, SmsProvider } from "textgate/next-auth";
import { userForVerifiedPhone } from "./lib/users";

declare module "next-auth" {
  interface Session {
    user?: { name?: string | null; phone?: string };
  }
}

// Read when the server starts; `next build` imports this file without them, and the kit waits for a request.
const textgate = { baseUrl: process.env.TEXTGATE_URL!, apiKey: process.env.TEXTGATE_KEY! };

export const authOptions: AuthOptions = {
  providers: [
    SmsProvider({
      textgate,
      authorizeUser: async (phone, { name }) => userForVerifiedPhone(phone, name),
    }),
  ],
  session: { strategy: "jwt" },
  pages: { signIn: "/login" },
  callbacks: {
    // The number goes into the token: textgate/ws reads the socket's user from it (server.mjs).
    jwt: ({ token, user }) => (user && "phone" in user && typeof user.phone === "string" ? { ...token, phone: user.phone } : token),
    session: ({ session, token }) => ({ ...session, user: { name: token.name ?? null, phone: typeof token.phone === "string" ? token.phone : undefined } }),
  },
};

/** The pages post to /api/textgate/sms/* (`nextAuthAdapter({ basePath: "/api/textgate" })`). */
export const smsRoutes = createSmsAuthRoutes({ textgate });
