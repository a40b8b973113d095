import { useCallback, useEffect, useLayoutEffect, useRef } from "react";

export interface PollingOptions {
  /** Pause between the end of one run and the start of the next. */
  intervalMs: number;
  /** Polling stops while false. */
  enabled: boolean;
  /** A change restarts polling at once (e.g. the selected phone number). */
  key?: string | null;
}

/**
 * Runs `task` now and then again `intervalMs` after each run ends, but only while the tab is visible; coming back
 * to the tab runs it at once. Runs never overlap, and the run in flight is aborted on unmount or when `key` changes.
 * Returns `refresh()`, which runs the task right away (e.g. after sending a reply).
 */
export function usePolling(task: (signal: AbortSignal) => Promise<void>, { intervalMs, enabled, key = null }: PollingOptions) {
  const taskRef = useRef(task);
  const refreshRef = useRef<() => void>(() => {});

  useLayoutEffect(() => {
    taskRef.current = task;
  });

  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    let running = false;
    let again = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let controller: AbortController | undefined;

    const schedule = () => {
      clearTimeout(timer);
      if (!stopped && document.visibilityState === "visible") timer = setTimeout(tick, intervalMs);
    };

    async function tick() {
      if (stopped) return;
      if (running) {
        again = true;
        return;
      }
      running = true;
      clearTimeout(timer);
      controller = new AbortController();
      try {
        await taskRef.current(controller.signal);
      } catch {
        // The task reports its own failures; polling carries on.
      } finally {
        running = false;
      }
      if (again) {
        again = false;
        void tick();
        return;
      }
      schedule();
    }

    const onVisibilityChange = () => {
      if (document.visibilityState === "visible") void tick();
      else clearTimeout(timer);
    };

    document.addEventListener("visibilitychange", onVisibilityChange);
    refreshRef.current = () => void tick();
    void tick();

    return () => {
      stopped = true;
      clearTimeout(timer);
      controller?.abort();
      document.removeEventListener("visibilitychange", onVisibilityChange);
      refreshRef.current = () => {};
    };
  }, [enabled, intervalMs, key]);

  return useCallback(() => refreshRef.current(), []);
}
