"use client";

import { useEffect, useState } from "react";

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
