"use client";

import { useMemo } from "react";

import { nextAuthAdapter } from "@/components/verification/adapters.ts";
import { VerifyFlow } from "@/components/verification/verify-flow.tsx";

import { useAuthConfig } from "./use-auth-config.ts";

/** The drop-in sign-in: phone, then code, then back to `callbackUrl` (a same-origin path, checked by the page). */
export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const { config } = useAuthConfig();
  const adapter = useMemo(() => nextAuthAdapter({ callbackUrl }), [callbackUrl]);
  return (
    <VerifyFlow
      adapter={adapter}
      defaultCountry={config.defaultCountry}
      tokenMode="boxes"
      sandbox={config.sandbox}
      doneMessage={() => "You are signed in. Taking you back…"}
    />
  );
}
