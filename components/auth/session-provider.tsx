"use client";

import { SessionProvider } from "next-auth/react";
import type { ReactNode } from "react";

/** next-auth's session context for the pages that read the session (not the sign-in pages: they stay small). */
export function AuthSessionProvider({ children }: { children: ReactNode }) {
  return <SessionProvider>{children}</SessionProvider>;
}
