"use client";

import { useSearchParams } from "next/navigation";
import { useCallback, useRef, useState } from "react";

import { Notice } from "@/components/ui/notice.tsx";

import { MessageThread } from "./message-thread.tsx";
import { NumberForm } from "./number-form.tsx";
import { parsePhoneParam } from "./phone-number.ts";
import { RecentNumbers } from "./recent-numbers.tsx";
import { ReplyForm } from "./reply-form.tsx";
import { isSandboxDisabled, listMessages, listNumbers, type SandboxMessage, type SandboxNumber } from "./sandbox-api.ts";
import { TextgateRequestError } from "@/lib/errors.ts";
import styles from "./sandbox.module.css";
import { usePolling } from "./use-polling.ts";

const POLL_MS = 1000;

/**
 * The simulated handset: pick a number (the `?to=` query parameter is the source of truth), read what textgate
 * sent it and reply. Polls the sandbox API every second while the tab is visible.
 */
export function Handset() {
  const searchParams = useSearchParams();
  // Nullable only in the types (they allow for the Pages Router); on this App Router page it is always set.
  const rawTo = searchParams?.get("to") ?? null;
  const selected = parsePhoneParam(rawTo);
  const invalidParam = rawTo !== null && rawTo.trim() !== "" && selected === null ? rawTo : null;

  const [numbers, setNumbers] = useState<SandboxNumber[] | null>(null);
  const [thread, setThread] = useState<{ to: string; messages: SandboxMessage[] } | null>(null);
  const [numbersError, setNumbersError] = useState<string | null>(null);
  const [threadError, setThreadError] = useState<string | null>(null);
  const [disabledMessage, setDisabledMessage] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState<{ id: number; text: string } | null>(null);

  const numbersSignature = useRef<string | null>(null);
  const threadSignature = useRef<string | null>(null);
  const seen = useRef<{ to: string; ids: Set<string> } | null>(null);

  const onFailure = (error: unknown, setError: (message: string) => void) => {
    if (isSandboxDisabled(error)) setDisabledMessage(error instanceof Error ? error.message : "");
    else setError(describeError(error));
  };

  const announceNew = (to: string, messages: SandboxMessage[]) => {
    const previous = seen.current;
    if (!previous || previous.to !== to) {
      // The first load of a number shows its history without announcing it.
      seen.current = { to, ids: new Set(messages.map((message) => message.id)) };
      return;
    }
    const fresh = messages.filter((message) => !previous.ids.has(message.id));
    for (const message of fresh) previous.ids.add(message.id);
    const newest = fresh[0];
    if (!newest) return;
    const text = fresh.length === 1 ? describeMessage(newest) : `${fresh.length} new messages. Latest: ${describeMessage(newest)}`;
    setAnnouncement((current) => ({ id: (current?.id ?? 0) + 1, text }));
  };

  usePolling(
    async (signal) => {
      try {
        const list = await listNumbers(signal);
        const signature = list.map((item) => `${item.number}|${item.lastMessageAt}|${item.messages}`).join(",");
        if (signature !== numbersSignature.current) {
          numbersSignature.current = signature;
          setNumbers(list);
        }
        setNumbersError(null);
      } catch (error) {
        if (!signal.aborted) onFailure(error, setNumbersError);
      }
    },
    { intervalMs: POLL_MS, enabled: disabledMessage === null },
  );

  const refreshMessages = usePolling(
    async (signal) => {
      const to = selected;
      if (!to) return;
      try {
        const list = await listMessages(to, signal);
        if (signal.aborted) return;
        const signature = `${to}:${list.map((message) => message.id).join(",")}`;
        if (signature !== threadSignature.current) {
          threadSignature.current = signature;
          setThread({ to, messages: list });
          announceNew(to, list);
        }
        setThreadError(null);
      } catch (error) {
        if (!signal.aborted) onFailure(error, setThreadError);
      }
    },
    { intervalMs: POLL_MS, enabled: selected !== null && disabledMessage === null, key: selected },
  );

  const open = useCallback(
    (number: string) => {
      const params = new URLSearchParams(window.location.search);
      if (params.get("to") === number) {
        refreshMessages();
        return;
      }
      params.set("to", number);
      // Next.js folds pushState into its router, so useSearchParams (and the open number) follow.
      window.history.pushState(null, "", `${window.location.pathname}?${params}`);
    },
    [refreshMessages],
  );

  if (disabledMessage !== null) {
    return (
      <Notice tone="warning" title="The sandbox carrier is off" role="status" className={styles.disabled}>
        <p>{disabledMessage || "The sandbox carrier is not active on this server."}</p>
        <p>
          To use the handset, add <code>sandbox</code> to <code>SMS_CARRIERS</code> or <code>VOICE_CARRIERS</code> (it is
          the default outside production; in production also set <code>SANDBOX_IN_PRODUCTION=true</code>) and restart
          textgate.
        </p>
      </Notice>
    );
  }

  const messages = thread !== null && thread.to === selected ? thread.messages : null;
  const apiError = numbersError ?? threadError;

  const recent = <RecentNumbers numbers={numbers} unavailable={numbersError !== null} selected={selected} onOpen={open} />;
  return (
    <div className={styles.handset}>
      <NumberForm selected={selected} invalidParam={invalidParam} onOpen={open} />

      {apiError ? (
        <Notice tone="danger" title="The sandbox API did not answer" role="alert" className={styles.apiError}>
          <p>{apiError}</p>
          <p>The handset keeps retrying every second.</p>
        </Notice>
      ) : null}

      <div className={styles.layout}>
        {/* With a number open the phone comes first in the page (a phone shows it before the list); wide screens still put the list on the left. */}
        {selected ? null : recent}

        <section className={styles.phone} aria-labelledby="handset-title">
          <div className={styles.phoneHeader}>
            <h2 id="handset-title" className={styles.panelTitle}>
              {selected ?? "No number open"}
            </h2>
            {selected ? <span className={styles.liveBadge}>Live</span> : null}
          </div>
          {selected ? (
            <>
              <MessageThread number={selected} messages={messages} />
              <ReplyForm key={selected} number={selected} onSent={refreshMessages} />
            </>
          ) : (
            <p className={styles.threadEmpty}>Type a number above or pick one from the recent numbers to see its messages.</p>
          )}
        </section>
        {selected ? recent : null}
      </div>

      <div className="sr-only" aria-live="polite" aria-atomic="true" data-testid="announcer">
        {announcement ? <p key={announcement.id}>{announcement.text}</p> : null}
      </div>
    </div>
  );
}

function describeMessage(message: SandboxMessage): string {
  if (message.direction === "inbound") return `Reply from ${message.from ?? message.to}: ${message.body}`;
  return `New ${message.channel === "voice" ? "call" : "text"} to ${message.to}: ${message.body}`;
}

function describeError(error: unknown): string {
  if (error instanceof TextgateRequestError) {
    if (error.status === 404 && error.code.startsWith("http_")) {
      return "The sandbox endpoints are missing (HTTP 404). Run textgate through its own server (npm run dev or npm start), which serves /api/sandbox.";
    }
    return error.message;
  }
  return "Something went wrong while loading messages.";
}
