"use client";

import { useMemo } from "react";

import { useAuthConfig } from "@/components/auth/use-auth-config.ts";
import { nextAuthAdapter } from "@/components/verification/adapters.ts";
import { VerifyFlow } from "@/components/verification/verify-flow.tsx";

/** The real thing on the embed page: signs in against this server through next-auth. */
export function LiveVerifyFlow() {
  const { config } = useAuthConfig();
  const adapter = useMemo(() => nextAuthAdapter({ callbackUrl: "/account" }), []);
  return (
    <VerifyFlow
      adapter={adapter}
      defaultCountry={config.defaultCountry}
      sandbox={config.sandbox}
      headingLevel={3}
      doneMessage={() => "You are signed in. Taking you to your account…"}
    />
  );
}
