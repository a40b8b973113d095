import { useLayoutEffect, useRef } from "react";

import { formatTime } from "./format.ts";
import { MessageBody } from "./message-body.tsx";
import type { SandboxMessage } from "./sandbox-api.ts";
import styles from "./sandbox.module.css";

export interface MessageThreadProps {
  number: string;
  /** Newest first, as the API returns them; shown oldest first like a chat. */
  messages: SandboxMessage[] | null;
}

/**
 * The conversation with one number: what textgate sent on the left (like received texts), the phone's replies on
 * the right, calls marked with a phone icon and "Call:". `role="log"`, named "Messages to <number>"; announcements of new messages come
 * from the handset's own live region, so the log itself stays quiet (aria-live="off") to avoid reading them twice.
 */
export function MessageThread({ number, messages }: MessageThreadProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const chronological = messages ? [...messages].reverse() : null;
  const newestId = messages?.[0]?.id;

  const shownNumber = useRef(number);

  // Keep the newest message in view unless the user scrolled up to read older ones.
  useLayoutEffect(() => {
    if (shownNumber.current !== number) {
      shownNumber.current = number;
      stickToBottom.current = true;
    }
    const element = scroller.current;
    if (element && stickToBottom.current) element.scrollTop = element.scrollHeight;
  }, [newestId, number]);

  function onScroll() {
    const element = scroller.current;
    if (element) stickToBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 40;
  }

  return (
    <div
      ref={scroller}
      className={styles.thread}
      role="log"
      aria-label={`Messages to ${number}`}
      aria-live="off"
      tabIndex={0}
      onScroll={onScroll}
    >
      {chronological === null ? (
        <p className={styles.threadEmpty}>Loading messages…</p>
      ) : chronological.length === 0 ? (
        <p className={styles.threadEmpty}>
          No messages to {number} yet. Texts and calls show up here within a second of being sent.
        </p>
      ) : (
        <ol className={styles.messages}>
          {chronological.map((message) => (
            <MessageBubble key={message.id} message={message} latest={message.id === newestId} />
          ))}
        </ol>
      )}
    </div>
  );
}

function MessageBubble({ message, latest }: { message: SandboxMessage; latest: boolean }) {
  const outbound = message.direction === "outbound";
  const call = message.channel === "voice";
  const kind = outbound ? (call ? styles.call : styles.received) : styles.sent;
  const who = outbound ? `${call ? "Call" : "Text"} from ${message.from ?? "textgate"}` : call ? "Your call" : "Your reply";

  return (
    <li
      className={`${styles.bubbleRow} ${outbound ? styles.left : styles.right}`}
      data-testid="message"
      data-direction={message.direction}
      data-channel={message.channel}
      data-latest={latest ? "true" : undefined}
    >
      <div className={`${styles.bubble} ${kind}`}>
        <p className={styles.bubbleText}>
          {call ? (
            <span className={styles.callLabel}>
              <PhoneIcon />
              Call:{" "}
            </span>
          ) : null}
          <MessageBody body={message.body} withCopy={outbound} />
        </p>
        <p className={styles.bubbleMeta}>
          {who} · <time dateTime={message.createdAt}>{formatTime(message.createdAt)}</time>
        </p>
      </div>
    </li>
  );
}

/** A handset icon (inline SVG: emoji fonts are not a given on a self-hosted machine). */
function PhoneIcon() {
  return (
    <svg className={styles.phoneIcon} viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1z"
      />
    </svg>
  );
}
