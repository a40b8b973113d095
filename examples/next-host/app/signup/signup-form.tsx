"use client";

import { useId, useMemo, useState } from "react";
import { nextAuthAdapter, VerifyFlow } from "textgate/react";

/** Sign-up is the composed flow with a name field in its phone step; the first sign-in creates the user (auth.ts). */
export function SignupForm() {
  const id = useId();
  const [name, setName] = useState("");
  const adapter = useMemo(() => nextAuthAdapter({ callbackUrl: "/account", basePath: "/api/textgate" }), []);
  const trimmed = name.trim();
  return (
    <VerifyFlow
      adapter={adapter}
      extra={trimmed ? { name: trimmed } : undefined}
      sendLabel="Send code"
      verifyLabel="Create account"
      phoneStepFields={
        <p>
          <label htmlFor={id}>Your name</label>
          <br />
          <input id={id} value={name} onChange={(event) => setName(event.target.value)} maxLength={80} required autoComplete="name" />
        </p>
      }
      doneMessage={() => "Your account is ready."}
    />
  );
}
