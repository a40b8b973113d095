"use client";

import { useCallback, useEffect, useState } from "react";

export type Polled<T> = { state: "loading" } | { state: "error" } | { state: "ready"; data: T };

/**
 * GET `url` now and every `intervalMs` while mounted (and again from the start when `url` changes);
 * `read` turns a 2xx JSON body into the data, or null when it is not what the page expects.
 */
export function usePolled<T>(url: string, read: (body: unknown) => T | null, intervalMs = 2000): Polled<T> {
  const [load, setLoad] = useState<Polled<T>>({ state: "loading" });
  useEffect(() => {
    let live = true;
    const fetchOnce = async () => {
      try {
        const res = await fetch(url, { cache: "no-store" });
        const data = res.ok ? read(await res.json()) : null;
        if (live) setLoad(data === null ? { state: "error" } : { state: "ready", data });
      } catch {
        if (live) setLoad({ state: "error" });
      }
    };
    void fetchOnce();
    const timer = setInterval(() => void fetchOnce(), intervalMs);
    return () => {
      live = false;
      clearInterval(timer);
    };
    // `read` is a pure reader; a new closure each render must not restart the polling.
  }, [url, intervalMs]);
  return load;
}

/** What an owner-only endpoint answered: 401 and 403 are states of their own, and end the polling. */
export type OwnerPolled<T> = { state: "loading" } | { state: "signed-out" } | { state: "forbidden" } | { state: "error" } | { state: "ready"; data: T };

/**
 * GET `url` now and `intervalMs` after each answer while mounted, like usePolled, for a page's own
 * owner-only listing: signed out (401) or not an owner (403) stops asking, since asking again cannot
 * change that (signing in reloads the page). `reload` asks at once (after an action on the page).
 */
export function useOwnerPolled<T>(url: string, read: (body: unknown) => T | null, intervalMs: number): { view: OwnerPolled<T>; reload: () => Promise<void> } {
  const [view, setView] = useState<OwnerPolled<T>>({ state: "loading" });
  const load = useCallback(async (): Promise<OwnerPolled<T>["state"]> => {
    let next: OwnerPolled<T>;
    try {
      const res = await fetch(url, { cache: "no-store" });
      const data = res.ok ? read(await res.json()) : null;
      next = res.status === 401 ? { state: "signed-out" } : res.status === 403 ? { state: "forbidden" } : data !== null ? { state: "ready", data } : { state: "error" };
    } catch {
      next = { state: "error" };
    }
    setView(next);
    return next.state;
    // `read` is a pure reader; a new closure each render must not restart the polling.
  }, [url]);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const state = await load();
      if (!stopped && state !== "signed-out" && state !== "forbidden") timer = setTimeout(() => void poll(), intervalMs);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [load, intervalMs]);
  return { view, reload: async () => void (await load()) };
}
