"use client";

import { useEffect, useState } from "react";

/**
 * Whole seconds left until `target`, ticking once a second; 0 once it has passed or when there is no target.
 * `null` until the first effect has run, so server and browser render the same thing.
 */
export function useCountdown(target: Date | string | number | null | undefined): number | null {
  const time = target === null || target === undefined ? null : new Date(target).getTime();
  const [now, setNow] = useState<number | null>(null);

  useEffect(() => {
    setNow(Date.now());
    if (time === null || Number.isNaN(time) || time <= Date.now()) return;
    const timer = setInterval(() => {
      const current = Date.now();
      setNow(current);
      if (current >= time) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
  }, [time]);

  if (time === null || Number.isNaN(time)) return 0;
  if (now === null) return null;
  return Math.max(0, Math.ceil((time - now) / 1000));
}
