import type { ReactNode } from "react";

import styles from "./ui.module.css";

export interface CodeBlockProps {
  code: string;
  /** Shown above the code, e.g. "Create a verification". */
  caption?: ReactNode;
  /** Extra controls for the header, e.g. a <CopyButton>. */
  actions?: ReactNode;
}

/** Preformatted code in a figure; the <pre> is focusable so keyboard users can scroll it sideways. */
export function CodeBlock({ code, caption, actions }: CodeBlockProps) {
  return (
    <figure className={styles.codeBlock}>
      {caption || actions ? (
        <figcaption className={styles.codeBlockHeader}>
          <span>{caption}</span>
          {actions}
        </figcaption>
      ) : null}
      <pre tabIndex={0}>
        <code>{code}</code>
      </pre>
    </figure>
  );
}
