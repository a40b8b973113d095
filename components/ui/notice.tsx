import type { ReactNode } from "react";

import styles from "./ui.module.css";

export interface NoticeProps {
  tone?: "info" | "warning" | "danger";
  title?: ReactNode;
  children?: ReactNode;
  /** "alert" for errors that appear after an action, "status" for quieter updates; none for static notes. */
  role?: "alert" | "status";
  className?: string;
}

export function Notice({ tone = "info", title, children, role, className }: NoticeProps) {
  return (
    <div role={role} className={[styles.notice, styles[tone], className].filter(Boolean).join(" ")}>
      {title ? <strong className={styles.noticeTitle}>{title}</strong> : null}
      {children}
    </div>
  );
}
