"use client";

import { useState } from "react";

import { TokenInput } from "@/components/verification/token-input.tsx";
import { wrongCodeText } from "@/lib/attempts.ts";

import styles from "./embed.module.css";

const WRONG = { numeric: "000000", alphanumeric: "AAAAAAAA" } as const;

/** A TokenInput that talks to nobody: any code "works" except the all-same one, which shows the error state. */
export function TokenInputDemo({ mode, alphanumeric = false }: { mode: "boxes" | "single"; alphanumeric?: boolean }) {
  const length = alphanumeric ? 8 : 6;
  const wrong = alphanumeric ? WRONG.alphanumeric : WRONG.numeric;
  const [attemptsLeft, setAttemptsLeft] = useState(3);
  const [error, setError] = useState<string | null>(null);
  const [entered, setEntered] = useState<string | null>(null);
  const [failures, setFailures] = useState(0);
  const [resendAt, setResendAt] = useState<number | null>(null);

  function complete(code: string) {
    if (code === wrong) {
      const left = Math.max(0, attemptsLeft - 1);
      setAttemptsLeft(left);
      setError(left === 0 ? "Too many wrong codes. Request a new code." : wrongCodeText(left));
      setFailures((n) => n + 1);
      setEntered(null);
      return;
    }
    setError(null);
    setEntered(code);
  }

  return (
    <div className={styles.demo}>
      <TokenInput
        mode={mode}
        alphanumeric={alphanumeric}
        length={length}
        label={mode === "boxes" ? "Demo code, one box per character" : "Demo code, single field"}
        webOtp={false}
        error={error}
        resetKey={failures}
        disabled={attemptsLeft === 0}
        attemptsLeft={attemptsLeft}
        resendAvailableAt={resendAt}
        onResend={() => {
          setAttemptsLeft(3);
          setError(null);
          setEntered(null);
          setFailures((n) => n + 1);
          setResendAt(Date.now() + 30_000);
        }}
        onChange={() => setEntered(null)}
        onComplete={complete}
      />
      <p role="status" className={styles.demoStatus}>
        {entered ? `Complete: ${entered}` : ""}
      </p>
      <p className={styles.demoHint}>
        Enter any {length} {alphanumeric ? "letters and digits" : "digits"}, or <code>{wrong}</code> to see the error state.
      </p>
    </div>
  );
}
