"use client";

import { type FormEvent, useState } from "react";
import { TokenInput, useVerifiedSocket, type VerifiedSocketHook } from "textgate/react";

/** The sockets of server.mjs. */
const ENDPOINTS = [
  { path: "/ws/token", label: "Send Token" },
  { path: "/ws/confirm", label: "Confirm Reply" },
] as const;

function statusOf(socket: VerifiedSocketHook): string {
  if (socket.state === "idle") return "Not connected";
  if (socket.state === "connecting") return "Connecting…";
  if (socket.state === "admitted") return "Admitted";
  if (socket.state === "closed") return `Closed: ${socket.closeInfo?.reason || (socket.closeInfo?.code === 1006 ? "refused or lost" : `code ${socket.closeInfo?.code}`)}`;
  if (socket.pending?.unit === "send-token") return "Pending: enter the code we texted you";
  if (socket.pending?.unit === "confirm-reply") return "Pending: reply YES to our text";
  return "Pending";
}

export function Chat() {
  const [path, setPath] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [draft, setDraft] = useState("");
  const socket = useVerifiedSocket(path, attempt);

  function connect(next: string) {
    if (next === path) setAttempt((n) => n + 1);
    else setPath(next);
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (draft.trim() && socket.send(draft.trim())) setDraft("");
  }

  return (
    <div>
      {ENDPOINTS.map((endpoint) => (
        <button key={endpoint.path} type="button" onClick={() => connect(endpoint.path)}>
          {`Connect with ${endpoint.label}`}
        </button>
      ))}
      <p role="status">{statusOf(socket)}</p>
      {socket.state === "pending" && socket.pending?.unit === "send-token" ? (
        <TokenInput
          length={socket.pending.codeLength}
          label="Code from the text"
          attemptsLeft={socket.pending.attemptsLeft}
          error={socket.lastError?.code === "token_rejected" ? socket.lastError.message : null}
          resetKey={socket.pending.attemptsLeft}
          onComplete={(code) => socket.sendToken(code)}
          autoFocus
        />
      ) : null}
      {socket.state === "admitted" ? (
        <section aria-label="Chat">
          <ul>
            {socket.messages.map((message) => (
              <li key={message.id}>{`${message.direction === "sent" ? "You" : "Echo"}: ${String(message.data)}`}</li>
            ))}
          </ul>
          <form onSubmit={submit}>
            <label>
              Message <input value={draft} onChange={(event) => setDraft(event.target.value)} maxLength={500} />
            </label>
            <button type="submit">Send</button>
          </form>
        </section>
      ) : null}
    </div>
  );
}
