/**
 * next-auth's credentials sign-in over plain fetch, for pages that ship no React (the /login page): the same
 * two requests `signIn(provider, { redirect: false, … })` from next-auth/react makes (a CSRF token, then the
 * form post to the provider's callback with `json=true`), without its provider list round trip.
 */
import type { CredentialsSignIn } from "./adapters.ts";

const AUTH_BASE = "/api/auth";

/** next-auth's CSRF token, or the status of the refused request for it. */
async function csrfToken(): Promise<{ token: string } | { status: number }> {
  const csrf = await fetch(`${AUTH_BASE}/csrf`, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  if (!csrf.ok) return { status: csrf.status };
  return { token: ((await csrf.json()) as { csrfToken?: string }).csrfToken ?? "" };
}

export const postCredentials: CredentialsSignIn = async (providerId, fields) => {
  const csrf = await csrfToken();
  if (!("token" in csrf)) return { ok: false, status: csrf.status, error: null };
  const response = await fetch(`${AUTH_BASE}/callback/${encodeURIComponent(providerId)}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
    body: new URLSearchParams({ ...fields, csrfToken: csrf.token, json: "true" }),
    credentials: "same-origin",
  });
  let url: string | undefined;
  try {
    url = ((await response.json()) as { url?: string }).url;
  } catch {
    // Not JSON (a proxy's error page, a 429 from a limiter in front): the status says enough.
  }
  const error = url ? new URL(url, window.location.origin).searchParams.get("error") : null;
  return { ok: response.ok && !error, status: response.status, error };
};

/** next-auth's sign-out (what `signOut({ redirect: false })` sends); true once the session has ended. */
export async function postSignOut(): Promise<boolean> {
  const csrf = await csrfToken();
  if (!("token" in csrf)) return false;
  const response = await fetch(`${AUTH_BASE}/signout`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
    body: new URLSearchParams({ csrfToken: csrf.token, json: "true" }),
    credentials: "same-origin",
  });
  return response.ok;
}
