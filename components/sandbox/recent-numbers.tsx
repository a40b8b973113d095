import type { MouseEvent } from "react";

import { formatTime } from "./format.ts";
import type { SandboxNumber } from "./sandbox-api.ts";
import styles from "./sandbox.module.css";

export interface RecentNumbersProps {
  numbers: SandboxNumber[] | null;
  /** True while the list cannot be loaded (the error itself is shown by the handset). */
  unavailable: boolean;
  selected: string | null;
  onOpen: (number: string) => void;
}

/** Numbers the sandbox carrier has delivered to, newest first; each opens its conversation. */
export function RecentNumbers({ numbers, unavailable, selected, onOpen }: RecentNumbersProps) {
  function open(event: MouseEvent<HTMLAnchorElement>, number: string) {
    // Let modified clicks open a new tab; a plain click switches in place.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    onOpen(number);
  }

  return (
    <section className={styles.recent} aria-labelledby="recent-numbers-title">
      <h2 id="recent-numbers-title" className={styles.panelTitle}>
        Recent numbers
      </h2>
      {numbers === null ? (
        <p className="muted">{unavailable ? "Unavailable right now." : "Loading…"}</p>
      ) : numbers.length === 0 ? (
        <p className="muted">No messages yet. A number appears here as soon as textgate sends it a text or a call.</p>
      ) : (
        <ul className={styles.recentList}>
          {numbers.map((item) => (
            <li key={item.number}>
              <a
                href={`/sandbox?${new URLSearchParams({ to: item.number })}`}
                className={styles.recentLink}
                aria-current={item.number === selected ? "true" : undefined}
                onClick={(event) => open(event, item.number)}
              >
                <span className={styles.recentNumber}>{item.number}</span>
                <span className={styles.recentMeta}>
                  {item.messages} {item.messages === 1 ? "message" : "messages"}
                  {item.lastMessageAt ? (
                    <>
                      {" · "}
                      <time dateTime={item.lastMessageAt}>{formatTime(item.lastMessageAt)}</time>
                    </>
                  ) : null}
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
