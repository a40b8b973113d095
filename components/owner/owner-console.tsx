"use client";

import Link from "next/link";
import { useCallback, useEffect, useState } from "react";

import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";

import { TestNumbersList } from "./test-numbers-list.tsx";
import { VerificationsList } from "./verifications-list.tsx";
import { WebhooksList } from "./webhooks-list.tsx";

interface OwnerRequest {
  reference: string;
  who: string;
  path: string;
  createdAt: string;
}

interface Listing {
  requests: OwnerRequest[];
  /** Every node's sockets (see GET /api/owner/requests). */
  sockets: { count: number; pending: number; nodes: unknown[] };
}

type View = { state: "loading" } | { state: "signed-out" } | { state: "forbidden" } | { state: "error" } | { state: "ready"; listing: Listing };

const POLL_MS = 1000;

function isListing(value: unknown): value is Listing {
  if (typeof value !== "object" || value === null) return false;
  const v = value as { requests?: unknown; sockets?: { count?: unknown; pending?: unknown; nodes?: unknown } };
  return Array.isArray(v.requests) && typeof v.sockets?.count === "number" && typeof v.sockets.pending === "number" && Array.isArray(v.sockets.nodes);
}

/** The owner's view: every node's pending requests (polled every second) with Accept / Deny, and the open sockets. */
export function OwnerConsole() {
  const [view, setView] = useState<View>({ state: "loading" });
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async (): Promise<View["state"]> => {
    let next: View;
    try {
      const res = await fetch("/api/owner/requests", { cache: "no-store" });
      const body: unknown = res.status === 401 || res.status === 403 ? null : await res.json();
      next = res.status === 401 ? { state: "signed-out" } : res.status === 403 ? { state: "forbidden" } : res.ok && isListing(body) ? { state: "ready", listing: body } : { state: "error" };
    } catch {
      next = { state: "error" };
    }
    setView(next);
    return next.state;
  }, []);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const state = await load();
      // Signed out or not an owner: asking again every second cannot change that (signing in reloads the page).
      if (!stopped && state !== "signed-out" && state !== "forbidden") timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [load]);

  const decide = async (reference: string, decision: "accept" | "deny") => {
    setBusy(reference);
    try {
      await fetch(`/api/owner/requests/${encodeURIComponent(reference)}/decision`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ decision }),
      });
    } finally {
      setBusy(null);
      void load();
    }
  };

  switch (view.state) {
    case "loading":
      return <p className="muted">Loading…</p>;
    case "signed-out":
      return (
        <p>
          <Link href="/login?callbackUrl=/owner">Sign in</Link> with an owner&apos;s number to use this page.
        </p>
      );
    case "forbidden":
      return <p>Only owners (numbers in OWNER_PHONES) may use this page.</p>;
    case "error":
      return <p className="muted">Could not load the requests; retrying…</p>;
    case "ready": {
      const { requests, sockets } = view.listing;
      return (
        <>
          <p>
            Open sockets: <strong data-testid="socket-count">{sockets.count}</strong> ({sockets.pending} pending) on{" "}
            {sockets.nodes.length === 1 ? "1 node" : `${sockets.nodes.length} nodes`}
          </p>
          <h2>Pending requests</h2>
          {requests.length === 0 ? (
            <p className="muted">No connection is waiting for a decision.</p>
          ) : (
            <ul aria-label="Pending requests">
              {requests.map((request) => (
                <li key={request.reference}>
                  <Card>
                    <p>
                      <strong>{request.reference}</strong> — {request.who} → <code>{request.path}</code>
                    </p>
                    <Button size="sm" disabled={busy === request.reference} onClick={() => void decide(request.reference, "accept")}>
                      Accept
                    </Button>{" "}
                    <Button size="sm" variant="secondary" disabled={busy === request.reference} onClick={() => void decide(request.reference, "deny")}>
                      Deny
                    </Button>
                  </Card>
                </li>
              ))}
            </ul>
          )}
          <VerificationsList />
          <TestNumbersList />
          <WebhooksList />
        </>
      );
    }
  }
}
