"use client";

import { useId, useMemo, useState } from "react";

import { Label } from "@/components/ui/input.tsx";
import { nextAuthAdapter } from "@/components/verification/adapters.ts";
import { VerifyFlow } from "@/components/verification/verify-flow.tsx";

import { DISPLAY_NAME_MAX, DisplayNameInput } from "./display-name-input.tsx";
import { useAuthConfig } from "./use-auth-config.ts";


/** Passwordless sign-up: an optional display name, then the same phone → code flow as sign-in. */
export function SignupForm({ callbackUrl = "/account?welcome=signup" }: { callbackUrl?: string }) {
  const { config } = useAuthConfig();
  const id = useId();
  const [name, setName] = useState("");
  const adapter = useMemo(() => nextAuthAdapter({ callbackUrl }), [callbackUrl]);
  const trimmed = name.trim();

  return (
    <VerifyFlow
      adapter={adapter}
      extra={trimmed ? { name: trimmed } : undefined}
      defaultCountry={config.defaultCountry}
      tokenMode="boxes"
      sandbox={config.sandbox}
      doneMessage={() => "Your account is ready. Taking you to it…"}
      phoneStepFields={
        <div>
          <Label htmlFor={`${id}-name`}>Display name</Label>
          <DisplayNameInput id={`${id}-name`} value={name} onChange={setName} hint={`Optional, up to ${DISPLAY_NAME_MAX} characters. Shown on your account.`} />
        </div>
      }
    />
  );
}
