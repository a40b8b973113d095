"use client";

import { useEffect, useState } from "react";

import type { AuthClientConfig } from "@/lib/auth/contract.ts";

/** What the pages assume until /api/auth/sms/config answers (or when it cannot be reached). */
export const DEFAULT_AUTH_CONFIG: AuthClientConfig = {
  sandbox: false,
  codeLength: 6,
  alphanumeric: false,
  channel: "sms",
  defaultCountry: "US",
};

let pending: Promise<AuthClientConfig | null> | null = null;

function loadConfig(): Promise<AuthClientConfig | null> {
  pending ??= fetch("/api/auth/sms/config", { headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? (response.json() as Promise<AuthClientConfig>) : null))
    .catch(() => null)
    .then((config) => {
      if (config === null) pending = null; // try again on the next page that asks
      return config;
    });
  return pending;
}

/** The sign-in settings of this server, fetched once per page load. */
export function useAuthConfig(): { config: AuthClientConfig; loaded: boolean } {
  const [config, setConfig] = useState<AuthClientConfig | null>(null);
  useEffect(() => {
    let live = true;
    void loadConfig().then((value) => {
      if (live && value) setConfig(value);
    });
    return () => {
      live = false;
    };
  }, []);
  return { config: config ?? DEFAULT_AUTH_CONFIG, loaded: config !== null };
}
