"use client";

import { useId, useMemo, useState } from "react";

import { FieldMessage, Input, Label } from "@/components/ui/input.tsx";
import { nextAuthAdapter } from "@/components/verification/adapters.ts";
import { VerifyFlow } from "@/components/verification/verify-flow.tsx";

import { useAuthConfig } from "./use-auth-config.ts";

export const DISPLAY_NAME_MAX = 60;

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
          <Input
            id={`${id}-name`}
            name="name"
            type="text"
            autoComplete="nickname"
            maxLength={DISPLAY_NAME_MAX}
            value={name}
            aria-describedby={`${id}-name-hint`}
            onChange={(event) => setName(event.target.value)}
          />
          <FieldMessage id={`${id}-name-hint`}>Optional, up to {DISPLAY_NAME_MAX} characters. Shown on your account.</FieldMessage>
        </div>
      }
    />
  );
}
