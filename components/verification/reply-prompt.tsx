"use client";

import { Button } from "../ui/button.tsx";

import styles from "./verification.module.css";

export type ReplyStatus = "waiting" | "confirmed" | "expired" | "denied";

export interface ReplyPromptProps {
  /** What the person must text back, e.g. "4821". */
  code: string;
  status: ReplyStatus;
  /** Offers "Try again" once the request has expired or was denied. */
  onRetry?: () => void;
  className?: string;
}

const STATUS_TEXT: Record<ReplyStatus, string> = {
  waiting: "Waiting for your reply…",
  confirmed: "Confirmed. Thank you!",
  expired: "This request has expired.",
  denied: "The request was declined.",
};

/**
 * "Reply 4821 to the text we just sent you", for the reply flows: the person answers the SMS instead of typing a
 * code here. Presentational: the caller passes the status (live updates arrive over the WebSocket elsewhere).
 */
export function ReplyPrompt({ code, status, onRetry, className }: ReplyPromptProps) {
  return (
    <div className={[styles.replyPrompt, className].filter(Boolean).join(" ")} data-status={status}>
      <p className={styles.replyInstruction}>
        Reply <strong className={styles.replyCode}>{code}</strong> to the text we just sent you
      </p>
      <p role="status" aria-live="polite" className={styles.replyStatus}>
        <span className={styles.replyDot} aria-hidden="true" />
        {STATUS_TEXT[status]}
      </p>
      {onRetry && (status === "expired" || status === "denied") ? (
        <Button variant="secondary" size="sm" onClick={onRetry}>
          Try again
        </Button>
      ) : null}
    </div>
  );
}
