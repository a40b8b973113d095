"use client";

import Link from "next/link";
import { useSession } from "next-auth/react";
import { type FormEvent, useId, useState } from "react";

import { Button } from "@/components/ui/button.tsx";
import { ReplyPrompt, type ReplyStatus } from "@/components/verification/reply-prompt.tsx";
import { TokenInput } from "@/components/verification/token-input.tsx";
import { CLOSE } from "@/lib/socket/protocol.ts";
import type { CloseInfo, PendingUnit } from "@/lib/socket/client.ts";

import styles from "./sockets.module.css";
import { useVerifiedSocket, type VerifiedSocketHook } from "./use-verified-socket.ts";

const ENDPOINTS = [
  { path: "/ws/demo/token", label: "Send Token" },
  { path: "/ws/demo/confirm-reply", label: "Confirm Reply" },
  { path: "/ws/demo/reply", label: "Reply" },
  { path: "/ws/demo/owner-alert", label: "Owner alert" },
  { path: "/ws/echo", label: "no unit" },
] as const;

interface SessionUser {
  phone?: string | null;
}

function describePending(pending: PendingUnit | null): string {
  if (!pending) return "Pending: checking…";
  switch (pending.unit) {
    case "send-token":
      return "Pending: enter the code we texted you";
    case "reply":
      return `Pending: reply ${pending.code} to our text`;
    case "reply-secret":
      return "Pending: reply to our text with your shared secret";
    case "confirm-reply":
      return "Pending: reply YES to our text";
    case "owner-approval":
      return `Pending: waiting for an owner to accept request ${pending.reference}`;
  }
}

function statusText(socket: VerifiedSocketHook): string {
  switch (socket.state) {
    case "idle":
      return "Not connected";
    case "connecting":
      return "Connecting…";
    case "pending":
      return describePending(socket.pending);
    case "admitted":
      return "Admitted";
    case "closed":
      return `Closed: ${closeText(socket.closeInfo)}`;
  }
}

function closeText(info: CloseInfo | null): string {
  if (!info) return "connection lost";
  if (info.reason) return info.reason;
  if (info.code === 1006) return "connection refused or lost";
  return `code ${info.code}`;
}

function replyStatus(socket: VerifiedSocketHook): ReplyStatus {
  if (socket.state === "admitted") return "confirmed";
  if (socket.state === "closed") return socket.closeInfo?.code === CLOSE.timedOut ? "expired" : "denied";
  return "waiting";
}

function show(data: unknown): string {
  return typeof data === "string" ? data : JSON.stringify(data);
}

/** The socket demo: pick an endpoint, pass its unit with the sandbox handset, then chat with the echo. */
export function SocketDemo() {
  const { data: session, status } = useSession();
  const [path, setPath] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const socket = useVerifiedSocket(path, attempt);
  const [replyCode, setReplyCode] = useState<string | null>(null);
  const [draft, setDraft] = useState("");
  const inputId = useId();

  if (socket.pending?.unit === "reply" && socket.pending.code !== replyCode) setReplyCode(socket.pending.code);

  if (status === "loading") return <p className="muted">Loading…</p>;
  if (!session) {
    return (
      <p>
        The demo opens these sockets as you: <Link href="/login?callbackUrl=/demo">sign in</Link> to try each unit with your
        number.
      </p>
    );
  }
  const phone = (session.user as SessionUser | undefined)?.phone ?? null;

  function connect(next: string) {
    setReplyCode(null);
    if (next === path) setAttempt((n) => n + 1);
    else setPath(next);
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = draft.trim();
    if (!text) return;
    if (socket.send(text)) setDraft("");
  }

  const pending = socket.pending;
  return (
    <div>
      <p>
        Each button opens a socket whose connect phase uses one unit; the server texts your number, and you answer on the{" "}
        {phone ? <Link href={`/sandbox?to=${encodeURIComponent(phone)}`}>sandbox handset</Link> : "sandbox handset"}.
      </p>
      <div className={styles.endpoints}>
        {ENDPOINTS.map((endpoint) => (
          <Button key={endpoint.path} variant="secondary" size="sm" onClick={() => connect(endpoint.path)}>
            {`Connect with ${endpoint.label}`}
          </Button>
        ))}
      </div>
      <p role="status" aria-live="polite" className={styles.status}>
        {statusText(socket)}
      </p>
      {socket.lastError && socket.lastError.code !== "token_rejected" ? (
        <p className="muted">{socket.lastError.message}</p>
      ) : null}

      {path === "/ws/demo/reply" && replyCode && socket.state !== "connecting" && socket.state !== "idle" ? (
        <div className={styles.panel}>
          <ReplyPrompt code={replyCode} status={replyStatus(socket)} onRetry={() => connect("/ws/demo/reply")} />
        </div>
      ) : null}

      {socket.state === "pending" && pending?.unit === "send-token" ? (
        <div className={styles.panel}>
          <TokenInput
            length={pending.codeLength}
            label="Code from the text"
            attemptsLeft={pending.attemptsLeft}
            error={socket.lastError?.code === "token_rejected" ? socket.lastError.message : null}
            resetKey={pending.attemptsLeft}
            onComplete={(code) => socket.sendToken(code)}
            autoFocus
          />
        </div>
      ) : null}

      {socket.state === "admitted" ? (
        <section className={styles.panel} aria-label="Chat">
          <ul className={styles.chatLog}>
            {socket.messages.map((message) => (
              <li key={message.id}>
                {message.direction === "sent" ? "You: " : "Echo: "}
                {show(message.data)}
              </li>
            ))}
          </ul>
          <form className={styles.chatForm} onSubmit={submit}>
            <label htmlFor={inputId}>Message</label>
            <input id={inputId} value={draft} onChange={(event) => setDraft(event.target.value)} maxLength={500} autoComplete="off" />
            <Button type="submit" size="sm">
              Send
            </Button>
          </form>
        </section>
      ) : null}
    </div>
  );
}
