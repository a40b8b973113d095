"use client";

import { useState } from "react";

import { postSignOut } from "@/components/verification/credentials-sign-in.ts";

import styles from "./site.module.css";

/** The header's "Sign out": ends the session on the server, then goes to /login. */
export function SignOutButton() {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className={styles.navButton}
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        await postSignOut();
        window.location.assign("/login");
      }}
    >
      {busy ? "Signing out…" : "Sign out"}
    </button>
  );
}
