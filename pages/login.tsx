/**
 * /login, the drop-in sign-in page: phone, then code, then back to `callbackUrl`.
 *
 * A Pages Router page with `unstable_runtimeJS: false`, unlike every other page: Next sends its HTML and CSS
 * but none of its own JavaScript, and the page's script (components/login-page/login-script.ts) does the
 * rest without React. That keeps the first-load JavaScript of the page most people see first under its
 * 100 KB gzip budget; an App Router page always ships React and Next's router (about 138 KB). The decision
 * is written down in docs/architecture.md.
 */
import fs from "node:fs";
import path from "node:path";

import type { GetServerSideProps } from "next";
import Head from "next/head";

import { LOGIN_SCRIPT_PATH } from "@/components/login-page/login-data.ts";
import { LoginView, type LoginViewProps } from "@/components/login-page/login-view.tsx";
import { safeCallbackUrl } from "@/components/verification/adapters.ts";
import { signedInAccountFor } from "@/server/auth/signed-in-account.ts";
import { currentTextgate } from "@/server/bridge.ts";

// `runtime` is the default; it is named because Next's page-config type has no `unstable_runtimeJS`.
export const config = { runtime: "nodejs", unstable_runtimeJS: false };

type LoginProps = LoginViewProps;

let scriptVersion: string | null | undefined;

/**
 * `/_textgate/login.js?v=<mtime>`, or null when the build did not make the script. Read once in production;
 * in development on every request, since the script is rebuilt as it changes.
 */
function scriptSrc(): string | null {
  if (scriptVersion === undefined || scriptVersion === null || process.env.NODE_ENV !== "production") {
    try {
      scriptVersion = fs.statSync(path.join(process.cwd(), "public", LOGIN_SCRIPT_PATH)).mtimeMs.toString(36);
    } catch {
      scriptVersion = null;
    }
  }
  return scriptVersion === null ? null : `${LOGIN_SCRIPT_PATH}?v=${scriptVersion}`;
}

/** After "Sign out everywhere" (/account sends people here with how many sessions it ended). */
function signedOutNotice(query: Record<string, string | string[] | undefined>): string | null {
  if (query.signedOut !== "everywhere") return null;
  const sessions = Number(Array.isArray(query.sessions) ? query.sessions[0] : query.sessions);
  const ended = Number.isInteger(sessions) && sessions > 0 && sessions < 10_000 ? ` (${sessions} ${sessions === 1 ? "session" : "sessions"} ended)` : "";
  return `You are signed out everywhere${ended}. Sign in again on this device when you want.`;
}

export const getServerSideProps: GetServerSideProps<LoginProps> = async ({ query, req, res }) => {
  res.setHeader("Cache-Control", "private, no-store");
  const raw = query.callbackUrl;
  const { auth } = currentTextgate();
  return {
    props: {
      auth: auth.clientConfig,
      callbackUrl: safeCallbackUrl(Array.isArray(raw) ? raw[0] : raw, "/account"),
      scriptSrc: scriptSrc(),
      account: await signedInAccountFor(auth.nextAuthOptions, req, res),
      signedOutNotice: signedOutNotice(query),
    },
  };
};

export default function LoginPage(props: LoginProps) {
  return (
    <>
      <Head>
        <title>Sign in · textgate</title>
        <meta name="description" content="Sign in to textgate with your phone number and a one-time code." />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <link rel="icon" href="/icon.svg" type="image/svg+xml" />
      </Head>
      <LoginView {...props} />
    </>
  );
}
