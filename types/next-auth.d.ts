import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    /** When this session's sign-in happened (a number change needs a recent one). */
    authenticatedAt: string;
    /** This sign-in found an account the number already had (a sign-up then says so). */
    accountExisted: boolean;
    user: { id: string; name: string | null; phone: string | null; email: null; image: null };
  }
  interface User {
    phone?: string | null;
    accountExisted?: boolean;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    /** The auth_sessions row this token stands for. */
    sid?: string;
    authAt?: string;
    /** The account existed before this sign-in (from the provider's `authorize`). */
    accountExisted?: boolean;
  }
}
