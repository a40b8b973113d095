"use client";

import { type FormEvent, useId, useState } from "react";

import { Button } from "@/components/ui/button.tsx";
import { Label } from "@/components/ui/input.tsx";
import { postJson } from "@/components/verification/adapters.ts";
import { isTextgateRequestError } from "@/lib/errors.ts";

import { DISPLAY_NAME_MAX, DisplayNameInput } from "./display-name-input.tsx";
import styles from "./auth.module.css";

/** Edits the display name on /account (POST /api/account/profile); `onSaved` refreshes the session. */
export function DisplayNameForm({ name, onSaved }: { name: string | null; onSaved: () => Promise<unknown> }) {
  const id = useId();
  const [draft, setDraft] = useState(name ?? "");
  const [state, setState] = useState<{ kind: "idle" | "saving" | "saved" } | { kind: "error"; message: string }>({ kind: "idle" });

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setState({ kind: "saving" });
    try {
      await postJson("/api/account/profile", { name: draft.trim() || null });
      await onSaved();
      setState({ kind: "saved" });
    } catch (error) {
      setState({ kind: "error", message: isTextgateRequestError(error) ? error.message : "Could not save your name. Try again." });
    }
  }

  return (
    <form className={styles.nameForm} onSubmit={(event) => void save(event)} noValidate>
      <Label htmlFor={`${id}-name`}>Display name</Label>
      <DisplayNameInput
        id={`${id}-name`}
        value={draft}
        hint={`Optional, up to ${DISPLAY_NAME_MAX} characters; empty removes it.`}
        onChange={(value) => {
          setDraft(value);
          if (state.kind !== "saving") setState({ kind: "idle" });
        }}
      />
      <div>
        <Button type="submit" variant="secondary" disabled={state.kind === "saving" || draft.trim() === (name ?? "")}>
          {state.kind === "saving" ? "Saving…" : "Save name"}
        </Button>
      </div>
      <p role="status" className="muted">
        {state.kind === "saved" ? "Your display name is saved." : ""}
      </p>
      {state.kind === "error" ? (
        <p role="alert" className={styles.error}>
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
