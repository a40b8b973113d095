"use client";

import { useEffect, useState } from "react";

import { Button, type ButtonVariant } from "./button.tsx";
import styles from "./ui.module.css";

export interface CopyButtonProps {
  text: string;
  /** Visible text; "Copy" by default. */
  label?: string;
  /** Accessible name when the visible label is not enough, e.g. "Copy code 123456". */
  accessibleLabel?: string;
  variant?: ButtonVariant;
  className?: string;
}

/** Copies text to the clipboard; falls back to a hidden textarea where the Clipboard API is missing (plain http). */
export function CopyButton({ text, label = "Copy", accessibleLabel, variant = "secondary", className }: CopyButtonProps) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");

  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 2000);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy() {
    try {
      await copyText(text);
      setState("copied");
    } catch {
      setState("failed");
    }
  }

  return (
    <>
      <Button variant={variant} size="sm" className={className} aria-label={accessibleLabel} onClick={copy}>
        {state === "copied" ? <span className={styles.copied}>Copied</span> : label}
      </Button>
      <span role="status" className="sr-only">
        {state === "copied" ? "Copied to the clipboard" : state === "failed" ? "Could not copy; select the text instead" : ""}
      </span>
    </>
  );
}

async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.append(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  if (!ok) throw new Error("copy failed");
}
