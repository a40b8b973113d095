import type { ComponentProps } from "react";

import styles from "./ui.module.css";

export type ButtonVariant = "primary" | "secondary" | "ghost";

export interface ButtonProps extends ComponentProps<"button"> {
  variant?: ButtonVariant;
  size?: "md" | "sm";
}

/** A button; `type="button"` unless told otherwise, so it never submits a form by accident. */
export function Button({ variant = "primary", size = "md", className, type = "button", ...props }: ButtonProps) {
  const classes = [styles.button, styles[variant], size === "sm" ? styles.sm : undefined, className].filter(Boolean).join(" ");
  return <button type={type} className={classes} {...props} />;
}

/** Class names that make a link look like a button. */
export function buttonClassName(variant: ButtonVariant = "primary", size: "md" | "sm" = "md"): string {
  return [styles.button, styles[variant], size === "sm" ? styles.sm : undefined].filter(Boolean).join(" ");
}
