"use client";

import Link from "next/link";
import { useState } from "react";

import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";

import { TestNumbersList } from "./test-numbers-list.tsx";
import { useOwnerPolled } from "./use-polled.ts";
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

const POLL_MS = 1000;

function readListing(value: unknown): Listing | null {
  if (typeof value !== "object" || value === null) return null;
  const v = value as { requests?: unknown; sockets?: { count?: unknown; pending?: unknown; nodes?: unknown } };
  return Array.isArray(v.requests) && typeof v.sockets?.count === "number" && typeof v.sockets.pending === "number" && Array.isArray(v.sockets.nodes) ? (value as Listing) : null;
}

/** The owner's view: every node's pending requests (polled every second) with Accept / Deny, and the open sockets. */
export function OwnerConsole() {
  const { view, reload } = useOwnerPolled("/api/owner/requests", readListing, POLL_MS);
  const [busy, setBusy] = useState<string | null>(null);

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
      void reload();
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
      const { requests, sockets } = view.data;
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
