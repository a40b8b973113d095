"use client";

import { type ReactNode, useState } from "react";

import styles from "./docs.module.css";

/**
 * A <details> whose content exists only while it is open: the reference has a hundred and more
 * examples, and rendering every closed one made the page too heavy to use (and to scan) on a phone.
 */
export function LazyDetails({ summary, children, initiallyOpen = false }: { summary: ReactNode; children: ReactNode; initiallyOpen?: boolean }) {
  const [open, setOpen] = useState(initiallyOpen);
  return (
    <details className={styles.details} open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>{summary}</summary>
      {open ? children : null}
    </details>
  );
}
