"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { signOut, useSession } from "next-auth/react";
import { useEffect, useMemo, useState } from "react";

import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import { postJson } from "@/components/verification/adapters.ts";
import { isTextgateRequestError, type TextgateRequestError } from "@/lib/errors.ts";
import { formatInternational, useFormattedPhone } from "@/components/verification/phone-format.ts";
import { VerifyFlow } from "@/components/verification/verify-flow.tsx";

import { accountPhoneAdapter } from "./account-adapter.ts";
import { DisplayNameForm } from "./display-name-form.tsx";
import styles from "./auth.module.css";
import { useAuthConfig } from "./use-auth-config.ts";

const SIGN_IN_AGAIN = "/login?callbackUrl=/account";

interface SessionUser {
  name?: string | null;
  phone?: string | null;
}

/**
 * After /signup with a number that already had an account (the sign-up page sends people here with
 * `?welcome=signup`): says so, instead of silently signing in. The start of a sign-up answers alike for
 * known and unknown numbers, so only the holder of the number, after the code, learns this.
 */
function useExistingAccountNotice(accountExisted: boolean | undefined): string | null {
  const [fromSignup] = useState(() => typeof window !== "undefined" && new URLSearchParams(window.location.search).get("welcome") === "signup");
  useEffect(() => {
    // Once read, the marker leaves the address bar, so a reload or a shared link does not say it again.
    if (fromSignup) window.history.replaceState(window.history.state, "", window.location.pathname);
  }, [fromSignup]);
  return fromSignup && accountExisted ? "This number already had an account: you are signed in to it." : null;
}

/** The signed-in account: its number, its display name, changing the number, signing out here or everywhere. */
export function AccountView() {
  const { data: session, status, update } = useSession();
  const router = useRouter();
  const { config } = useAuthConfig();
  const adapter = useMemo(() => accountPhoneAdapter(), []);
  const sessionPhone = (session?.user as SessionUser | undefined)?.phone;
  const phone = useFormattedPhone(sessionPhone);
  const [signingOut, setSigningOut] = useState<"here" | "everywhere" | null>(null);
  const [signOutError, setSignOutError] = useState<string | null>(null);
  const existingAccount = useExistingAccountNotice(session?.accountExisted);

  useEffect(() => {
    if (status === "unauthenticated") router.replace(SIGN_IN_AGAIN);
  }, [status, router]);

  // While update() refreshes the session, status is "loading" again but the data stays: keep the page mounted.
  if (!session) {
    return (
      <p className="muted" role="status">
        {status === "loading" ? "Loading your account…" : "You are signed out. Taking you to sign in…"}
      </p>
    );
  }

  const user = (session.user ?? {}) as SessionUser;

  async function signOutEverywhere() {
    setSigningOut("everywhere");
    setSignOutError(null);
    let revoked = 0;
    try {
      revoked = (await postJson<{ revoked: number }>("/api/account/sessions/revoke-all", {})).revoked;
    } catch (error) {
      // 401: this session has already ended, so signing out here is all that is left to do.
      if (!(isTextgateRequestError(error) && error.status === 401)) {
        setSignOutError(`Could not end your other sessions: ${error instanceof Error ? error.message : "unknown error"}`);
        setSigningOut(null);
        return;
      }
    }
    // /login says so: "You are signed out everywhere (3 sessions ended)."
    await signOut({ callbackUrl: `/login?${new URLSearchParams({ signedOut: "everywhere", sessions: String(revoked) })}` });
  }

  return (
    <div className={styles.account}>
      {existingAccount ? (
        <p role="status" className={styles.notice}>
          {existingAccount}
        </p>
      ) : null}
      <Card className={styles.accountCard}>
        <p className={styles.signedInAs}>
          Signed in as <strong>{user.name || phone || "you"}</strong>
        </p>
        <p>
          Phone number: <strong className={styles.phone}>{phone ?? "none"}</strong>
        </p>
        <div className={styles.actions}>
          <Button
            variant="secondary"
            disabled={signingOut !== null}
            onClick={() => {
              setSigningOut("here");
              void signOut({ callbackUrl: "/login" });
            }}
          >
            Sign out
          </Button>
          <Button variant="secondary" disabled={signingOut !== null} onClick={() => void signOutEverywhere()}>
            Sign out everywhere
          </Button>
        </div>
        {signOutError ? (
          <p role="alert" className={styles.error}>
            {signOutError}
          </p>
        ) : null}
        <DisplayNameForm name={user.name ?? null} onSaved={() => update()} />
      </Card>

      <section aria-labelledby="change-phone" className={styles.section}>
        <h2 id="change-phone">Change phone number</h2>
        <p className="muted">
          We send a code to the new number; your account moves to it once you enter that code. Your old number gets a
          text telling it about the change.
        </p>
        <VerifyFlow
          adapter={adapter}
          defaultCountry={config.defaultCountry}
          tokenMode="single"
          sandbox={config.sandbox}
          phoneLabel="New phone number"
          sendLabel="Send code to new number"
          verifyLabel="Confirm new number"
          codeLabel="Verification code"
          headingLevel={3}
          renderStartError={(error) => <StartError error={error} />}
          onVerified={async () => {
            await update();
          }}
          doneMessage={(challenge) => `Your phone number is now ${formatInternational(challenge.to)}`}
        />
      </section>
    </div>
  );
}

function StartError({ error }: { error: TextgateRequestError }) {
  if (error.status === 403 && error.code === "reauth_required") {
    return (
      <div role="alert" className={styles.errorBox}>
        For your security, sign in again before changing your number. <Link href={SIGN_IN_AGAIN}>Sign in again</Link>
      </div>
    );
  }
  if (error.status === 401) {
    return (
      <div role="alert" className={styles.errorBox}>
        Your session has ended. <Link href={SIGN_IN_AGAIN}>Sign in again</Link>
      </div>
    );
  }
  return (
    <div role="alert" className={styles.errorBox}>
      {error.message}
    </div>
  );
}
