import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    /** When this session's sign-in happened (a number change needs a recent one). */
    authenticatedAt: string;
    user: { id: string; name: string | null; phone: string | null; email: null; image: null };
  }
  interface User {
    phone?: string | null;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    /** The auth_sessions row this token stands for. */
    sid?: string;
    authAt?: string;
  }
}
