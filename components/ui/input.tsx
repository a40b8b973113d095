import type { ComponentProps, ReactNode } from "react";

import styles from "./ui.module.css";

export function Label({ className, ...props }: ComponentProps<"label">) {
  return <label className={[styles.label, className].filter(Boolean).join(" ")} {...props} />;
}

export interface InputProps extends ComponentProps<"input"> {
  /** Marks the field invalid for assistive technology and styles it. */
  invalid?: boolean;
}

export function Input({ className, invalid, ...props }: InputProps) {
  return (
    <input
      className={[styles.input, className].filter(Boolean).join(" ")}
      aria-invalid={invalid ? true : undefined}
      {...props}
    />
  );
}

/** A hint or an error under a field; give it an id and point the field's aria-describedby at it. */
export function FieldMessage({ id, tone = "hint", children }: { id: string; tone?: "hint" | "error"; children: ReactNode }) {
  return (
    <p id={id} className={[styles.fieldMessage, tone === "error" ? styles.error : styles.hint].join(" ")}>
      {children}
    </p>
  );
}
